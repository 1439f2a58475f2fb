import type { LifeboatErrorName } from '../../schemas/errors.js';
import {
  CapacityError,
  InvalidInputError,
  isLifeboatError,
  type LifeboatError,
  NotFoundError,
  ThrottledError,
  TransientError,
  UnexpectedError,
} from './errors.js';

/**
 * One row of the EC2 (and CloudWatch) error mapping: which codes it matches and the Lifeboat
 * error name it yields. Rows are tried in order; the first match wins.
 */
export interface ErrorMappingRow {
  /** What the row matches, in words (for docs and test names). */
  readonly matches: string;
  readonly name: LifeboatErrorName;
  readonly test: (error: AwsErrorFacts) => boolean;
}

/** What the mapping looks at in a thrown error. */
export interface AwsErrorFacts {
  /** The service's error code (`Code`, else `name`), e.g. `InvalidAMIID.NotFound`. */
  readonly code: string;
  /** The HTTP status of the response, when there was one. */
  readonly httpStatus?: number;
  /** A Node.js system error code (`ECONNRESET`), when the request never got an answer. */
  readonly systemCode?: string;
}

const THROTTLING = new Set(['RequestLimitExceeded', 'Throttling', 'ThrottlingException', 'TooManyRequestsException']);
const TRANSIENT = new Set(['InternalError', 'Unavailable', 'ServiceUnavailable', 'TimeoutError', 'InternalServiceFault', 'InternalFailure']);
const SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);
const CAPACITY = new Set(['InsufficientInstanceCapacity', 'InsufficientCapacity', 'InstanceLimitExceeded', 'ResourceLimitExceeded']);
const INVALID = new Set(['MissingParameter', 'UnauthorizedOperation', 'IdempotentParameterMismatch']);

/**
 * The mapping table of docs/contracts.md ("Errors"), in match order.
 *
 * Codes come before HTTP status because EC2 answers `InsufficientInstanceCapacity` with a 500,
 * which must be a capacity problem, not a transient one.
 *
 * @see https://docs.aws.amazon.com/ec2/latest/devguide/errors-overview.html
 */
export const EC2_ERROR_TABLE: readonly ErrorMappingRow[] = [
  { matches: 'RequestLimitExceeded, Throttling, ThrottlingException, TooManyRequestsException', name: 'Lifeboat.Throttled', test: (e) => THROTTLING.has(e.code) },
  { matches: 'InsufficientInstanceCapacity, InsufficientCapacity, InstanceLimitExceeded, ResourceLimitExceeded', name: 'Lifeboat.Capacity', test: (e) => CAPACITY.has(e.code) },
  { matches: '*.NotFound', name: 'Lifeboat.NotFound', test: (e) => e.code.endsWith('.NotFound') },
  {
    matches: '*.Malformed, InvalidParameter*, MissingParameter, UnauthorizedOperation, IdempotentParameterMismatch',
    name: 'Lifeboat.InvalidInput',
    test: (e) => e.code.endsWith('.Malformed') || e.code.startsWith('InvalidParameter') || INVALID.has(e.code),
  },
  {
    matches: 'InternalError, Unavailable, ServiceUnavailable, HTTP 5xx, timeouts, socket errors',
    name: 'Lifeboat.Transient',
    test: (e) =>
      TRANSIENT.has(e.code) ||
      (e.httpStatus !== undefined && e.httpStatus >= 500) ||
      (e.systemCode !== undefined && SOCKET.has(e.systemCode)) ||
      SOCKET.has(e.code),
  },
];

/** Reads the code, HTTP status and system error code of an SDK (or Node.js) error. */
export function awsErrorFacts(error: unknown): AwsErrorFacts {
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, any>;
  const code = typeof e.Code === 'string' && e.Code !== '' ? e.Code : typeof e.name === 'string' ? e.name : 'Error';
  const httpStatus = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const systemCode = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : undefined;
  return { code, httpStatus, systemCode };
}

/** The Lifeboat error name for an EC2/CloudWatch error (`Lifeboat.Unexpected` when no row matches). */
export function lifeboatErrorNameOf(error: unknown): LifeboatErrorName {
  if (isLifeboatError(error)) return error.name;
  const facts = awsErrorFacts(error);
  return EC2_ERROR_TABLE.find((row) => row.test(facts))?.name ?? 'Lifeboat.Unexpected';
}

const CLASSES: Partial<Record<LifeboatErrorName, new (message: string, options?: ErrorOptions) => LifeboatError>> = {
  'Lifeboat.Throttled': ThrottledError,
  'Lifeboat.Transient': TransientError,
  'Lifeboat.Capacity': CapacityError,
  'Lifeboat.NotFound': NotFoundError,
  'Lifeboat.InvalidInput': InvalidInputError,
  'Lifeboat.Unexpected': UnexpectedError,
};

/**
 * Maps any thrown value to a Lifeboat error, keeping the original as `cause`.
 *
 * Lifeboat errors pass through unchanged. The message says where (`where`, e.g.
 * `CopyImage ami-… → us-west-2`), then the code and the service's message.
 *
 * @example throw toLifeboatError(err, 'CreateImage i-0123456789abcdef0')
 */
export function toLifeboatError(error: unknown, where?: string): LifeboatError {
  if (isLifeboatError(error)) return error;
  const name = lifeboatErrorNameOf(error);
  const facts = awsErrorFacts(error);
  const message = error instanceof Error ? error.message : String(error);
  const text = `${where ? `${where}: ` : ''}${facts.code}: ${message}`;
  const Class = CLASSES[name] ?? UnexpectedError;
  return new Class(text, { cause: error });
}

/** The service error code of a thrown value (`Code`, else `name`). */
export function errorCodeOf(error: unknown): string {
  return awsErrorFacts(error).code;
}

/** The AWS call a thrown error came from, noted by the task's client wrapper (`define-task.ts`). */
export interface CallFacts {
  /** The service as an operator knows it: `EC2`, `CloudWatch`, `Step Functions`. */
  readonly service: string;
  readonly region: string;
  /** The API action, e.g. `DescribeInstances`. */
  readonly operation: string;
  /** Where the call went: the configured endpoint (`AWS_ENDPOINT_URL…`), else the service's regional one. */
  readonly endpoint: string;
}

const CALL = Symbol.for('lifeboat.call');

/** Notes on a thrown error which AWS call it came from (kept on the error object, never in its message). */
export function noteCall(error: unknown, facts: CallFacts): void {
  if (typeof error === 'object' && error !== null && !(CALL in error)) Object.defineProperty(error, CALL, { value: facts, enumerable: false });
}

/** The call noted by {@link noteCall}, if any. */
export function callOf(error: unknown): CallFacts | undefined {
  return typeof error === 'object' && error !== null ? ((error as Record<symbol, CallFacts | undefined>)[CALL] ?? undefined) : undefined;
}

/**
 * True when the error is a transient fault with no HTTP answer at all: the endpoint was not
 * reached (connection refused or reset, DNS, the request timeout), as in a regional outage.
 */
export function isNoAnswer(error: unknown): boolean {
  return !isLifeboatError(error) && lifeboatErrorNameOf(error) === 'Lifeboat.Transient' && awsErrorFacts(error).httpStatus === undefined;
}

/** Where the step ran and what to tell the operator to redrive, for {@link unreachableError}. */
export interface StepFacts {
  readonly task: string;
  /** The Step Functions state, e.g. `Resolve workloads`. */
  readonly stateName?: string;
  readonly executionArn?: string;
  /** The SDK's request timeout, ms (`clients/cache.ts`). */
  readonly requestTimeoutMs: number;
}

/**
 * `Lifeboat.Transient` for a call that got no answer, worded for the operator: the step, the
 * service, region and endpoint that did not answer, what was expected, what was found, and what
 * to do (the workflow retries; a failed run is redriven once the region answers).
 *
 * @example unreachableError(err, { task: 'resolve-workloads', stateName: 'Resolve workloads', requestTimeoutMs: 30_000 })
 *   // Lifeboat.Transient: step "Resolve workloads" (task resolve-workloads): EC2 in us-east-1 is unreachable at https://ec2.us-east-1.amazonaws.com: …
 */
export function unreachableError(error: unknown, step: StepFacts): LifeboatError {
  const call = callOf(error);
  const facts = awsErrorFacts(error);
  const message = error instanceof Error ? error.message : String(error);
  const found = `${facts.systemCode && facts.systemCode !== facts.code ? `${facts.code} ${facts.systemCode}` : facts.code}: ${message}`;
  const where = step.stateName ? `step ${JSON.stringify(step.stateName)} (task ${step.task})` : `task ${step.task}`;
  const target = call ? `${call.service} in ${call.region} is unreachable at ${call.endpoint}` : 'an AWS endpoint is unreachable';
  const expected = `expected an answer to ${call?.operation ?? 'its call'} within ${Math.round(step.requestTimeoutMs / 1000)} s`;
  const name = step.executionArn?.split(':').at(-1);
  const redrive = name ? `lifeboat redrive ${name} --plan <plan file>` : 'lifeboat redrive <execution> --plan <plan file>';
  return new TransientError(
    `${where}: ${target}: ${expected}, found no answer (${found}). ` +
      `Step Functions retries the step (Lifeboat.Transient). If the run failed, redrive it once the region answers: ${redrive} ` +
      '(docs/runbooks/failover.md, "An AWS endpoint does not answer").',
    { cause: error },
  );
}
