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

/** Options of `Execution.start`. */
export interface StartOptions {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  /** JSON text, already validated. */
  readonly definition: string;
  /** JSON text, already validated. */
  readonly input: string;
  readonly roleArn: string;
  readonly host: EngineHost;
  /** Called after every change (event appended, status change): used to persist. */
  readonly onChange?: (execution: import('./execution.js').Execution) => void;
  /**
   * Maximum number of history events (a sandbox extension, for benchmarks that exceed AWS's quota).
   * @default 25000
   */
  readonly historyLimit?: number;
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
  | { readonly kind: 'map'; readonly succeeded: string; readonly results: unknown[]; readonly failed: Record<string, ResumePoint> };

/** A closed execution as plain JSON, for the store. */
export interface ExecutionSnapshot {
  readonly version: 1;
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
  readonly events: HistoryEvent[];
  readonly resume?: ResumePoint;
  readonly historyLimit?: number;
}
