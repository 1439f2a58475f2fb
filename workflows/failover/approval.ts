import type { AslCatcher, AslTask } from '../../schemas/asl.js';
import type { Plan } from '../../schemas/plan.js';
import type { ApprovalSettings } from '../../schemas/plan-approval.js';
import { APPROVAL_REJECTED_ERROR, APPROVAL_TIMED_OUT_ERROR } from '../../schemas/tasks/request-approval.js';
import type { Fragment } from '../builders.js';
import { TASK_CONTEXT, choice, fail, jsonata, lit, objectExpr, pass, str, task } from '../builders.js';
import { STANDARD_RETRY, TOP_FAILURE_VARS, catchAll } from '../policies.js';
import type { TaskArns } from '../render-context.js';

/** State names of the approval gate (docs/decisions/0015-approval.md). */
export const APPROVAL_STATES = {
  ask: 'Ask for approval',
  wait: 'Await approval',
  valid: 'Approval counts?',
  count: 'Count approval',
  enough: 'Enough approvals?',
  rejected: 'Approval rejected',
  timedOut: 'Approval timed out',
} as const;

/** Options of {@link approvalSteps}. */
export interface ApprovalStepsOptions {
  readonly plan: Plan;
  /** `failback`: the gate before a failback launches in the primary region (its request names that region). */
  readonly mode: 'failover' | 'drill' | 'failback';
  readonly approval: ApprovalSettings;
  readonly arns: TaskArns;
  /** The plan's notifications topic in the recovery region (an ARN or a CDK substitution). */
  readonly topicArn: string;
  /** Flags the printed commands need (`--local` on the sandbox). */
  readonly cliFlags?: string;
  /** JSONata yielding the pre-flight result, or `null` (no pre-flight in this workflow). */
  readonly preflight: string;
  /** The state after approval (`Resolve recovery points`). */
  readonly next: string;
  /** The failure recorder of the top level. */
  readonly record: string;
  /** A drill's teardown after failure: a rejection or timeout goes there (with the failure variables set) instead of a Fail state. */
  readonly teardownAfterFailure?: string;
}

/**
 * The approval gate between pre-flight and launch:
 *
 * ```
 * Ask for approval (deadline = now + timeout, empty lists)
 *   → Await approval (request-approval publishes to SNS; .waitForTaskToken; TimeoutSeconds = the timeout)
 *       → Approval counts? ─ after the deadline / not an approval / same principal again / the starter (where refused)
 *       │                     → recorded as a refusal → Await approval (a new request, a new token)
 *       └ otherwise → Count approval → Enough approvals? ─ no → Await approval
 *                                                       └ yes → next (nothing was launched before)
 *   Await approval ── Lifeboat.ApprovalRejected (lifeboat reject) → Approval rejected (Fail)
 *                  ── States.Timeout, or Lifeboat.ApprovalTimedOut (request-approval
 *                     finds the deadline passed)                  → Approval timed out (Fail)
 *                     (a drill: both go through its teardown after failure, then fail)
 *                  ── anything else (SNS refused, ...)            → Record failure
 * ```
 *
 * Each `lifeboat approve` is one SendTaskSuccess carrying the caller's STS identity, so every
 * approval is a `TaskSucceeded` event of the history. The same principal twice, or the starter
 * where `approval.starterMayApprove` is false, is refused here even when a client skipped the
 * CLI's own check. No HeartbeatSeconds: nobody works on the task, so nothing could send
 * heartbeats. Each request waits at most the plan's timeout (TimeoutSeconds is a literal, as
 * cfn-lint requires); an answer after the deadline is not counted, and the next request, finding
 * the deadline passed, ends the wait. So the run never launches after the deadline, and ends
 * FAILED at the latest one timeout after the last answer that came before it.
 */
export function approvalSteps(o: ApprovalStepsOptions): Fragment {
  const s = APPROVAL_STATES;
  const { plan, approval } = o;
  const timeoutMs = approval.timeoutMinutes * 60_000;
  const answer = '$approvalAnswer';
  const by = '$states.context.Execution.Input.startedBy';
  const arn = `${answer}.principal.arn`;
  const isApproval = `($type(${answer}) = "object" and ${answer}.decision = "approve" and $type(${answer}.principal) = "object" and $type(${arn}) = "string" and $contains(${arn}, /^arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:[^ ]+$/))`;
  const refusal = (reason: string) =>
    jsonata(`[$append($approvalRefusals, [{"principalArn": $type(${arn}) = "string" ? ${arn} : null, "reason": ${reason}}])]`);
  const requested = objectExpr(
    {
      planName: str(plan.name),
      mode: str(o.mode),
      // Where the run launches: a failback launches in the primary region.
      region: str(o.mode === 'failback' ? plan.primaryRegion : plan.recoveryRegion),
      topicArn: str(o.topicArn),
      round: '$approvalRound + 1',
      requiredApprovers: lit(approval.requiredApprovers),
      starterMayApprove: lit(approval.starterMayApprove),
      deadline: '$approvalDeadline',
      objectives: lit({ rpoMinutes: plan.objectives.rpoMinutes, rtoMinutes: plan.objectives.rtoMinutes }),
      startedBy: '$startedBy',
      approvals: '$approvals',
      refusals: '$approvalRefusals',
      preflight: o.preflight,
      ...(o.cliFlags === undefined || o.cliFlags === '' ? {} : { cliFlags: str(o.cliFlags) }),
    },
  );
  const approvers = '($count($approvals) = 0 ? "nobody" : $join($approvals.principal.arn, ", "))';
  const rejectedCause = `"Await approval: " & ($exists($states.errorOutput.Cause) ? $states.errorOutput.Cause : "rejected, no reason given") & ". Nothing was launched (approved before: " & ${approvers} & ")."`;
  const timedOutCause = `"Await approval: " & $string(${approval.requiredApprovers} - $count($approvals)) & " of ${approval.requiredApprovers} approval(s) missing at the deadline " & $approvalDeadline & " (the plan's approval.timeoutMinutes is ${approval.timeoutMinutes}); approved by " & ${approvers} & ". Nothing was launched: start the run again to ask again."`;
  // A failover ends at its own Fail state; a drill goes through its teardown after failure first
  // (every drill path tears down; here it finds nothing), with the same cause.
  const failureAssign = (error: string, cause: string) => ({
    [TOP_FAILURE_VARS.step]: s.wait,
    [TOP_FAILURE_VARS.error]: error,
    [TOP_FAILURE_VARS.cause]: jsonata(cause),
    [TOP_FAILURE_VARS.redriveCount]: jsonata('$states.context.Execution.RedriveCount'),
  });
  const endCatch = (errors: string | string[], cause: string, failState: string): AslCatcher => {
    const list = typeof errors === 'string' ? [errors] : errors;
    const name = list.includes(APPROVAL_TIMED_OUT_ERROR) ? APPROVAL_TIMED_OUT_ERROR : list[0]!;
    return o.teardownAfterFailure === undefined
      ? { ErrorEquals: list, Assign: { approvalFailure: jsonata(cause) }, Next: failState }
      : { ErrorEquals: list, Assign: failureAssign(name, cause), Next: o.teardownAfterFailure };
  };
  const base = task('request-approval', {
    functionArn: o.arns('request-approval'),
    input: jsonata(requested),
    assign: {
      approvalAnswer: jsonata('$states.result'),
      approvalRound: jsonata('$approvalRound + 1'),
    },
    output: jsonata(`{"round": $approvalRound + 1, "principalArn": $type($states.result.principal.arn) = "string" ? $states.result.principal.arn : null}`),
    retry: STANDARD_RETRY,
    catch: [
      endCatch(APPROVAL_REJECTED_ERROR, rejectedCause, s.rejected),
      endCatch(['States.Timeout', APPROVAL_TIMED_OUT_ERROR], timedOutCause, s.timedOut),
      catchAll(s.wait, o.record, TOP_FAILURE_VARS),
    ],
    next: s.valid,
    comment: `Publishes the approval request to the plan's topic and waits for ${approval.requiredApprovers} distinct approval(s) (lifeboat approve / lifeboat reject), until the deadline.`,
  });
  const payload = (base.Arguments as { Payload: Record<string, unknown> }).Payload;
  const waitState: AslTask = {
    ...base,
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Arguments: {
      ...(base.Arguments as Record<string, never>),
      Payload: { ...payload, context: { ...TASK_CONTEXT, taskToken: jsonata('$states.context.Task.Token') } } as never,
    },
    // A literal, as cfn-lint's schema wants (AWS would take a JSONata expression too): each request
    // waits at most the whole timeout; an answer after the deadline is not counted (Approval counts?).
    TimeoutSeconds: approval.timeoutMinutes * 60,
  };

  return {
    [s.ask]: pass({
      comment: `The plan asks for ${approval.requiredApprovers} approval(s) before a ${o.mode} launches, within ${approval.timeoutMinutes} minutes.`,
      assign: {
        approvals: [],
        approvalRefusals: [],
        approvalRound: 0,
        approvalAnswer: null,
        approvalDeadline: jsonata(`$fromMillis($toMillis($states.context.State.EnteredTime) + ${timeoutMs})`),
        startedBy: jsonata(
          `($type(${by}) = "object" and $type(${by}.arn) = "string") ? $merge([{"arn": ${by}.arn}, $type(${by}.account) = "string" ? {"account": ${by}.account} : {}, $type(${by}.userId) = "string" ? {"userId": ${by}.userId} : {}]) : null`,
        ),
      },
      next: s.wait,
    }),
    [s.wait]: waitState,
    [s.valid]: choice({
      comment: 'Counts only an approval from a principal that has not approved yet (and not the starter, where the plan refuses it).',
      rules: [
        {
          // Not counted; the next request finds the deadline passed and ends the wait (request-approval).
          when: '$toMillis($states.context.State.EnteredTime) > $toMillis($approvalDeadline)',
          next: s.wait,
          assign: { approvalRefusals: refusal('"the answer came after the deadline"') },
        },
        {
          when: `$not(${isApproval})`,
          next: s.wait,
          assign: { approvalRefusals: refusal('"the answer is not an approval from lifeboat approve (expected {\\"decision\\": \\"approve\\", \\"principal\\": {\\"arn\\": …}})"') },
        },
        {
          when: `${arn} in $approvals.principal.arn`,
          next: s.wait,
          assign: { approvalRefusals: refusal('"this principal has already approved this run; another principal must approve"') },
        },
        ...(approval.starterMayApprove
          ? []
          : [
              {
                when: `$type($startedBy) = "object" and ${arn} = $startedBy.arn`,
                next: s.wait,
                assign: { approvalRefusals: refusal('"this principal started the run, and the plan\'s approval.starterMayApprove is false"') },
              },
            ]),
      ],
      otherwise: s.count,
    }),
    [s.count]: pass({
      comment: 'Records the approval: who (from STS, as lifeboat approve sent it) and when.',
      assign: {
        approvals: jsonata(
          `[$append($approvals, [{"principal": $merge([{"arn": ${arn}}, $type(${answer}.principal.account) = "string" ? {"account": ${answer}.principal.account} : {}, $type(${answer}.principal.userId) = "string" ? {"userId": ${answer}.principal.userId} : {}]), "approvedAt": $states.context.State.EnteredTime}])]`,
        ),
      },
      next: s.enough,
    }),
    [s.enough]: choice({
      rules: [{ when: `$count($approvals) >= ${approval.requiredApprovers}`, next: o.next }],
      otherwise: s.wait,
    }),
    ...(o.teardownAfterFailure === undefined
      ? {
          [s.rejected]: fail({ error: APPROVAL_REJECTED_ERROR, cause: jsonata('$approvalFailure') }),
          [s.timedOut]: fail({ error: APPROVAL_TIMED_OUT_ERROR, cause: jsonata('$approvalFailure') }),
        }
      : {}),
  };
}

/**
 * The topic an approval request goes to: the plan's `notifications.snsTopicArn` when it is in the
 * recovery region, otherwise the `lifeboat-<plan>-alarms` topic that the recovery stack creates
 * there (infra/constructs/alarm-topic.ts), in `accountId`.
 *
 * @example approvalTopicArn(plan, '123456789012') // 'arn:aws:sns:us-west-2:123456789012:lifeboat-shop-alarms'
 */
export function approvalTopicArn(plan: Plan, accountId: string): string {
  const given = plan.notifications.snsTopicArn;
  if (given !== undefined && given.split(':')[3] === plan.recoveryRegion) return given;
  return `arn:aws:sns:${plan.recoveryRegion}:${accountId}:lifeboat-${plan.name}-alarms`;
}
