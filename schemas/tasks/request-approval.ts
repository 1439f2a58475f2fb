import * as z from 'zod';
import { IsoTimeSchema, LaunchModeSchema, PlanNameSchema, RegionSchema } from './common.js';

/*
 * `request-approval`: the task behind "Await approval" (a `.waitForTaskToken` state). It publishes
 * what an approver needs to the plan's notifications topic and returns; the run then waits until
 * `lifeboat approve` / `lifeboat reject` answer the token (docs/decisions/0015-approval.md).
 */

/** A principal as STS GetCallerIdentity names it. */
export const PrincipalSchema = z.strictObject({
  /** `arn:aws:iam::…:user/…` or `arn:aws:sts::…:assumed-role/<role>/<session>`. */
  arn: z
    .string({ error: 'a principal ARN such as "arn:aws:iam::123456789012:user/alice"' })
    .regex(/^arn:aws[a-z-]*:(?:iam|sts)::\d{12}:\S+$/, { error: 'a principal ARN such as "arn:aws:iam::123456789012:user/alice"' }),
  account: z.string().regex(/^\d{12}$/, { error: 'a 12-digit account id' }).optional(),
  userId: z.string().min(1).max(256).optional(),
});
/** A principal as STS names it. */
export type Principal = z.infer<typeof PrincipalSchema>;

/** One approval the run has counted. */
export const ApprovalRecordSchema = z.strictObject({
  principal: PrincipalSchema,
  /** When the approval arrived (the state's entered time after it). */
  approvedAt: IsoTimeSchema,
});
/** One counted approval. */
export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;

/** An answer the run did not count, and why. */
export const RefusalSchema = z.strictObject({
  /** Who sent it, when the answer named someone. */
  principalArn: z.string().max(2048).nullable(),
  reason: z.string().min(1).max(1024),
});

/** What an approver sees of one pre-flight finding (the `preflight` step's output, `$.preflight`). */
export const ApprovalFindingSchema = z.looseObject({
  workload: z.string().nullish(),
  check: z.string(),
  severity: z.string(),
  expected: z.string().nullish(),
  found: z.string().nullish(),
  fix: z.string().nullish(),
});

/** The pre-flight result as the approval request reads it; null when no pre-flight ran. */
export const ApprovalPreflightSchema = z.looseObject({
  blocking: z.number().int().min(0).optional(),
  warnings: z.number().int().min(0).optional(),
  findings: z.array(ApprovalFindingSchema).optional(),
  findingsTruncated: z.boolean().optional(),
  recoverySets: z
    .array(
      z.looseObject({
        workload: z.string(),
        recoveryPointTime: z.string().nullish(),
        ageSeconds: z.number().nullish(),
        rpoObjectiveSeconds: z.number().nullish(),
      }),
    )
    .optional(),
  predictedRtoSeconds: z.number().nullish(),
  checkedAt: z.string().nullish(),
});
/** The pre-flight result as the approval request reads it. */
export type ApprovalPreflight = z.infer<typeof ApprovalPreflightSchema>;

/** Input of `request-approval`. */
export const RequestApprovalInputSchema = z.strictObject({
  planName: PlanNameSchema,
  mode: LaunchModeSchema,
  region: RegionSchema,
  /** The plan's notifications topic in the recovery region. */
  topicArn: z
    .string({ error: 'an SNS topic ARN' })
    .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/, { error: 'an SNS topic ARN' }),
  /** 1 for the first request, 2 for the next after one approval (or refusal), ... */
  round: z.number().int().min(1),
  requiredApprovers: z.number().int().min(1).max(10),
  starterMayApprove: z.boolean(),
  /** When the run stops waiting and ends FAILED. */
  deadline: IsoTimeSchema,
  /** The plan's objectives, for the approver. */
  objectives: z.strictObject({ rpoMinutes: z.number().int().min(1), rtoMinutes: z.number().int().min(1) }),
  /** Who started the run: the execution input's `startedBy` (set by `lifeboat failover`), or null. */
  startedBy: PrincipalSchema.nullable(),
  approvals: z.array(ApprovalRecordSchema),
  refusals: z.array(RefusalSchema),
  /** `$.preflight` of the run, or null when no pre-flight ran. */
  preflight: ApprovalPreflightSchema.nullable(),
  /** Flags the printed `lifeboat approve`/`reject` commands need to reach this run (`--local` on the sandbox). */
  cliFlags: z.string().max(200).optional(),
});
/** Input of `request-approval`. */
export type RequestApprovalInput = z.infer<typeof RequestApprovalInputSchema>;

/** Output of `request-approval` (recorded as TaskSubmitted; the state's result is the approver's answer). */
export const RequestApprovalOutputSchema = z.strictObject({
  messageId: z.string().min(1),
  topicArn: z.string(),
  round: z.number().int().min(1),
});
/** Output of `request-approval`. */
export type RequestApprovalOutput = z.infer<typeof RequestApprovalOutputSchema>;

/**
 * What `lifeboat approve` sends with SendTaskSuccess: the decision and the caller's identity from
 * STS GetCallerIdentity. The run counts it only if the principal has not approved yet (and is not
 * the starter where the plan says so); anything else is recorded as a refusal.
 */
export const ApprovalAnswerSchema = z.strictObject({
  decision: z.literal('approve'),
  principal: PrincipalSchema,
  /** Free text the approver added (`--comment`). */
  comment: z.string().max(1024).optional(),
});
/** What `lifeboat approve` sends. */
export type ApprovalAnswer = z.infer<typeof ApprovalAnswerSchema>;

/** The error `lifeboat reject` sends with SendTaskFailure; its cause is `rejected by <principal ARN>: <reason>`. */
export const APPROVAL_REJECTED_ERROR = 'Lifeboat.ApprovalRejected';
/** The error of a run whose approvals did not all arrive before the deadline. */
export const APPROVAL_TIMED_OUT_ERROR = 'Lifeboat.ApprovalTimedOut';
