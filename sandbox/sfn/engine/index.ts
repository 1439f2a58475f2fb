/**
 * The Amazon States Language engine of the sandbox: runs STANDARD executions of a definition on a
 * host's clock, Lambda invoker and seeded random, and writes their history as AWS does.
 *
 * The Step Functions API service (`sandbox/sfn/service.ts`) is its only caller.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html
 */
export { Execution } from './execution.js';
export { EngineError } from './errors.js';
export { validateDefinition } from './validate.js';
export { MapRun, type MapRunSnapshot, type MapRunStatus } from './states/distributed-map.js';
export type {
  EngineHost, ExecutionSnapshot, ExecutionStatus, HistoryEvent, LambdaResult, MapRunRegistry, ResumePoint, S3Access, StartOptions,
} from './types.js';
