import type { Clock } from '../../clock.js';
import type { SeededRandom } from '../../random.js';

/** What the engine needs from its surroundings. */
export interface EngineHost {
  /** All timestamps, Wait states, retry back-off and timeouts go through it. */
  readonly clock: Clock;
  /** Jitter, task tokens, UUIDs: all from here. */
  readonly random: SeededRandom;
  readonly region: string;
  readonly accountId: string;
  /** Invokes a Lambda function by ARN (or name, or partial ARN) with a JSON payload. */
  invokeLambda(functionArn: string, payload: unknown): Promise<LambdaResult>;
  /**
   * Wall-clock milliseconds the clock is held (`clock.track`) after a `.waitForTaskToken` task with
   * TimeoutSeconds or HeartbeatSeconds issues its token, and after each heartbeat, so that an API
   * client can answer before a virtual clock skips to the expiry. Ends early when the task ends.
   * @default 0 (no hold)
   */
  readonly clientGraceMs?: number;
  /**
   * Objects in S3, for a Distributed Map's `ItemReader` (`s3:getObject`, `s3:listObjectsV2`) and
   * `ResultWriter` (`s3:putObject`). Without it those fields fail with `States.ItemReaderFailed` /
   * `States.ResultWriterFailed`.
   */
  readonly s3?: S3Access;
  /**
   * Told about Distributed Map runs and their child executions, so that an API can serve them
   * (DescribeMapRun, ListExecutions by mapRunArn, DescribeExecution of a child). Optional: without
   * it Distributed Maps still run.
   */
  readonly mapRuns?: MapRunRegistry;
}

/** What a Distributed Map needs of S3. Methods throw an error whose `code` is S3's error code. */
export interface S3Access {
  getObject(bucket: string, key: string): { readonly body: Buffer };
  putObject(bucket: string, key: string, body: string, contentType: string): void;
  listObjectsV2(bucket: string, options: { prefix?: string; continuationToken?: string }): {
    readonly objects: ReadonlyArray<{ key: string; size: number; etag: string; lastModified: number }>;
    readonly nextContinuationToken?: string;
  };
}

/** The engine's Map Runs and their children, as seen by the API (see `states/distributed-map.ts`). */
export interface MapRunRegistry {
  /** A Map Run was created (called once per Map Run, before its children start). */
  mapRunStarted(run: import('./states/distributed-map.js').MapRun): void;
  /** A Map Run's status, counts or settings changed. */
  mapRunChanged(run: import('./states/distributed-map.js').MapRun): void;
  /** A STANDARD child execution started (EXPRESS children are not served by the API, as on AWS). */
  childStarted(child: import('./execution.js').Execution): void;
  /** A Map Run by ARN (a redrive of its parent looks its runs up here after a restart). */
  mapRun(mapRunArn: string): import('./states/distributed-map.js').MapRun | undefined;
  /** An execution by ARN (a redrive looks a Map Run's children up here after a restart). */
  execution(executionArn: string): import('./execution.js').Execution | undefined;
}

/** The outcome of one Lambda invocation. */
export type LambdaResult =
  | { readonly kind: 'ok'; readonly payload: unknown }
  | { readonly kind: 'function-error'; readonly errorType: string; readonly errorMessage: string; readonly trace?: string[] }
  | { readonly kind: 'service-error'; readonly error: string; readonly cause: string };

/** One history event exactly as GetExecutionHistory returns it (timestamp in epoch seconds, fractional). */
export interface HistoryEvent {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

/** Status of an execution as DescribeExecution reports it. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** What names an execution and what it runs (definition and input: JSON text, already validated). */
export type ExecutionIdentity = Pick<ExecutionFacts, 'executionArn' | 'stateMachineArn' | 'name' | 'definition' | 'input' | 'roleArn'>;

/** Options of `Execution.start`. */
export interface StartOptions extends ExecutionIdentity {
  readonly host: EngineHost;
  /** Called after every change (event appended, status change): used to persist. */
  readonly onChange?: (execution: import('./execution.js').Execution) => void;
  /**
   * Maximum number of history events (a sandbox extension, for benchmarks that exceed AWS's quota).
   * @default 25000
   */
  readonly historyLimit?: number;
  /** Set on a Distributed Map's child execution: the Map Run that started it. */
  readonly mapRunArn?: string;
}

/**
 * Where a redrive resumes: the state that did not succeed, its raw input and the variables of its
 * scope; for Parallel and Map, which branches/iterations already succeeded.
 */
export interface ResumePoint {
  readonly state: string;
  readonly input: unknown;
  readonly vars: Record<string, unknown>;
  readonly inner?: InnerResume;
  /**
   * When the state was entered before the sandbox ended (epoch ms), for an execution resumed after
   * a restart: a Wait then keeps only its remaining time. Absent for a redrive (the state starts over).
   */
  readonly enteredAtMs?: number;
}

/** Progress inside a Parallel or Map state that failed or was stopped. */
export type InnerResume =
  | { readonly kind: 'parallel'; readonly branches: Array<{ readonly ok: true; readonly output: unknown } | { readonly ok: false; readonly resume?: ResumePoint }> }
  | { readonly kind: 'map'; readonly succeeded: string; readonly results: unknown[]; readonly failed: Record<string, ResumePoint> }
  /**
   * A Distributed Map: its Map Run, whose failed children a redrive redrives; `continuing` after a
   * sandbox restart, when the Map Run carries on with its running children (not a redrive).
   */
  | { readonly kind: 'distributed'; readonly mapRunArn: string; readonly continuing?: boolean };

/** What describes an execution: as the service reads a running one, and as its snapshot keeps it. */
export interface ExecutionFacts {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
  readonly definition: string;
  readonly roleArn: string;
  readonly status: ExecutionStatus;
  readonly startDate: number;
  readonly stopDate?: number;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly redriveCount: number;
  readonly redriveDate?: number;
  /** A Distributed Map's child: the Map Run that started it. */
  readonly mapRunArn?: string;
}

/** A closed execution as plain JSON, for the store. */
export interface ExecutionSnapshot extends ExecutionFacts {
  readonly version: 1;
  readonly events: HistoryEvent[];
  readonly resume?: ResumePoint;
  readonly historyLimit?: number;
}
