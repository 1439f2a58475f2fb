import type { LifeboatErrorName } from '../../schemas/errors.js';

/**
 * The base of every error a task throws on purpose.
 *
 * Lambda reports `error.name` as the error type that the workflows' Retry and Catch match on,
 * so every subclass sets `name` explicitly (esbuild may rename classes when bundling).
 */
export abstract class LifeboatError extends Error {
  abstract override readonly name: LifeboatErrorName;
}

/**
 * `Lifeboat.ApprovalTimedOut` (schemas/errors.ts, the approval gate's names): `request-approval`
 * found the run's approval deadline passed; "Await approval" catches it. Typed as a task error
 * name so the one wrapper passes it through unchanged; no other task raises it.
 */
export class ApprovalTimedOutError extends LifeboatError {
  override readonly name = 'Lifeboat.ApprovalTimedOut' as unknown as LifeboatErrorName;
}

/** `Lifeboat.Throttled`: EC2 or CloudWatch throttled the call. Retried by the workflow. */
export class ThrottledError extends LifeboatError {
  override readonly name = 'Lifeboat.Throttled' as const;
}
/** `Lifeboat.Transient`: a 5xx, a timeout or a network error. Retried by the workflow. */
export class TransientError extends LifeboatError {
  override readonly name = 'Lifeboat.Transient' as const;
}
/** `Lifeboat.Capacity`: no capacity for any instance type and subnet on the ladder. */
export class CapacityError extends LifeboatError {
  override readonly name = 'Lifeboat.Capacity' as const;
}
/** `Lifeboat.NotFound`: an instance, image or recovery point the step needs does not exist. */
export class NotFoundError extends LifeboatError {
  override readonly name = 'Lifeboat.NotFound' as const;
}
/** `Lifeboat.InvalidInput`: the task's input is invalid, or EC2 rejected a parameter. */
export class InvalidInputError extends LifeboatError {
  override readonly name = 'Lifeboat.InvalidInput' as const;
}
/** `Lifeboat.ImageFailed`: an AMI or its copy ended in the `failed` state. */
export class ImageFailedError extends LifeboatError {
  override readonly name = 'Lifeboat.ImageFailed' as const;
}
/** `Lifeboat.VerificationFailed`: a copy failed one or more verification checks. */
export class VerificationFailedError extends LifeboatError {
  override readonly name = 'Lifeboat.VerificationFailed' as const;
}
/** `Lifeboat.LaunchFailed`: a launched critical instance terminated or its status checks failed. */
export class LaunchFailedError extends LifeboatError {
  override readonly name = 'Lifeboat.LaunchFailed' as const;
}
/** `Lifeboat.HealthCheckFailed`: a recovered instance did not pass its health check by the deadline. */
export class HealthCheckFailedError extends LifeboatError {
  override readonly name = 'Lifeboat.HealthCheckFailed' as const;
}
/** `Lifeboat.Timeout`: a loop task's deadline passed before its items were done. */
export class TimeoutError extends LifeboatError {
  override readonly name = 'Lifeboat.Timeout' as const;
}
/** `Lifeboat.StepFailed`: raised by `record-failure` to end the run FAILED, naming the step. */
export class StepFailedError extends LifeboatError {
  override readonly name = 'Lifeboat.StepFailed' as const;
}
/** `Lifeboat.Unexpected`: a bug, or an EC2 error outside the mapping table. Not retried. */
export class UnexpectedError extends LifeboatError {
  override readonly name = 'Lifeboat.Unexpected' as const;
}

/** True for errors a task threw on purpose (already carrying a Lifeboat error name). */
export function isLifeboatError(error: unknown): error is LifeboatError {
  return error instanceof LifeboatError;
}
