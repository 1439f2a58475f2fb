import * as z from 'zod';

/*
 * The plan's `approval` block: whether a failover (and a drill) waits at "Await approval" until
 * enough people have said yes (docs/contracts.md, "The plan"; docs/decisions/0015-approval.md).
 * Imported by `plan.ts`; zod only.
 */

/** The default time a run waits for its approvals: 4 hours. */
export const DEFAULT_APPROVAL_TIMEOUT_MINUTES = 240;

/** The most approvers a plan may require. */
export const MAX_REQUIRED_APPROVERS = 5;

const approversError = `a number of approvers: a whole number from 1 to ${MAX_REQUIRED_APPROVERS}`;
const timeoutError = 'a timeout in minutes: a whole number from 5 to 10080 (7 days)';

/**
 * Approval before launch. Absent from the plan: no run waits. Present: a failover waits (unless
 * `failover` is false), a drill only with `drill: true`.
 *
 * The request goes to the plan's notifications topic (`notifications.snsTopicArn` when it is in
 * the recovery region, otherwise the `lifeboat-<plan>-alarms` topic infra creates there).
 */
export const ApprovalSettingsSchema = z
  .strictObject(
    {
      /** A failover waits for approval. @default true */
      failover: z.boolean({ error: 'true or false' }).default(true),
      /** A drill waits for approval too (a scheduled drill then waits for someone). @default false */
      drill: z.boolean({ error: 'true or false' }).default(false),
      /**
       * A failback (a plan with a `failback` section) waits for approval before it launches in the
       * primary region, once its copies are verified there. @default true
       */
      failback: z.boolean({ error: 'true or false' }).default(true),
      /** How many distinct principals must approve. @default 1 */
      requiredApprovers: z
        .number({ error: approversError })
        .int({ error: approversError })
        .min(1, { error: approversError })
        .max(MAX_REQUIRED_APPROVERS, { error: approversError })
        .default(1),
      /**
       * The principal who started the run (the `startedBy` that `lifeboat failover` puts in the
       * execution input) may approve it. @default false
       */
      starterMayApprove: z.boolean({ error: 'true or false' }).default(false),
      /** How long the run waits for all approvals before it ends FAILED. @default 240 */
      timeoutMinutes: z
        .number({ error: timeoutError })
        .int({ error: timeoutError })
        .min(5, { error: timeoutError })
        .max(10_080, { error: timeoutError })
        .default(DEFAULT_APPROVAL_TIMEOUT_MINUTES),
    },
    { error: 'an approval object such as {"requiredApprovers": 2}' },
  )
  .superRefine(
    (a, ctx) => {
      if (typeof a !== 'object' || a === null) return;
      if (a.failover === false && a.drill === false && a.failback === false) {
        ctx.addIssue({
          code: 'custom',
          message: 'approval for at least one of "failover", "drill" and "failback" (or leave "approval" out)',
          input: a,
          params: { found: '"failover": false, "drill": false and "failback": false' },
        });
      }
    },
    { when: () => true },
  );

/** Approval settings, defaults filled in. */
export type ApprovalSettings = z.infer<typeof ApprovalSettingsSchema>;

/** The known keys of `approval`, for "did you mean" suggestions. */
export const APPROVAL_KEYS = ['failover', 'drill', 'failback', 'requiredApprovers', 'starterMayApprove', 'timeoutMinutes'] as const;

/**
 * The approval a run of `mode` needs, or undefined when it starts launching at once.
 *
 * @example approvalFor(plan.approval, 'failover') // { requiredApprovers: 2, ... } or undefined
 */
export function approvalFor(approval: ApprovalSettings | undefined, mode: 'failover' | 'drill' | 'failback'): ApprovalSettings | undefined {
  if (approval === undefined) return undefined;
  return approval[mode] ? approval : undefined;
}
