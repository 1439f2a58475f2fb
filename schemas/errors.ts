import * as z from 'zod';

/**
 * The error names that Lifeboat's tasks raise and that the workflows' Retry and Catch match on.
 *
 * Lambda reports `error.name` as the error type, so each task error class sets `name` to one of
 * these. Renaming one is a breaking change: deployed state machines match on the string.
 */
export const LifeboatErrorNameSchema = z.enum([
  /** EC2 (or CloudWatch) throttled the call: retried by the workflow with backoff and jitter. */
  'Lifeboat.Throttled',
  /** A transient service fault (5xx, timeout, network): retried by the workflow. */
  'Lifeboat.Transient',
  /** Not enough capacity for any instance type and subnet on the ladder. */
  'Lifeboat.Capacity',
  /** A resource the step needs does not exist (instance, image, recovery point). */
  'Lifeboat.NotFound',
  /** The task's input failed validation, or EC2 rejected a parameter: never retried. */
  'Lifeboat.InvalidInput',
  /** An AMI or its copy ended in the `failed` state. */
  'Lifeboat.ImageFailed',
  /** A copy failed verification (state, snapshots, encryption or tags). */
  'Lifeboat.VerificationFailed',
  /** A launched instance terminated, or its status checks failed. */
  'Lifeboat.LaunchFailed',
  /** A recovered instance did not pass its application health check by the check's deadline. */
  'Lifeboat.HealthCheckFailed',
  /** A step did not finish within its deadline (an image, copy or launch that never completes). */
  'Lifeboat.Timeout',
  /** Raised by the failure recorder: the run failed at the step named in the cause. */
  'Lifeboat.StepFailed',
  /** Any other error: a bug or an unmapped EC2 error. Not retried. */
  'Lifeboat.Unexpected',
]);

/** One of Lifeboat's error names. */
export type LifeboatErrorName = z.infer<typeof LifeboatErrorNameSchema>;

/** All Lifeboat error names, in declaration order. */
export const LIFEBOAT_ERROR_NAMES: readonly LifeboatErrorName[] = LifeboatErrorNameSchema.options;

/**
 * The errors of the approval gate ("Await approval", docs/decisions/0015-approval.md). No task
 * raises them: `lifeboat reject` sends the first with SendTaskFailure, and the run's Fail states
 * end with them, so a failure recorder never has to catch them.
 */
export const ApprovalErrorNameSchema = z.enum([
  /** An approver rejected the run (`lifeboat reject`); nothing was launched. */
  'Lifeboat.ApprovalRejected',
  /** The approvals did not all arrive within the plan's `approval.timeoutMinutes`; nothing was launched. */
  'Lifeboat.ApprovalTimedOut',
]);

/** The approval gate's error names. */
export const APPROVAL_ERROR_NAMES: readonly z.infer<typeof ApprovalErrorNameSchema>[] = ApprovalErrorNameSchema.options;
