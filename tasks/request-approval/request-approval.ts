import type { ApprovalPreflight, RequestApprovalInput, RequestApprovalOutput } from '../../schemas/tasks/request-approval.js';
import { clientOptions } from '../_shared/clients/cache.js';
import type { TaskContext } from '../_shared/define-task.js';
import { ApprovalTimedOutError, NotFoundError, UnexpectedError } from '../_shared/errors.js';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';

/** Publishes one message to an SNS topic; returns the message id. */
export type Publish = (message: { topicArn: string; subject: string; text: string; attributes: Record<string, string> }) => Promise<string>;

/**
 * `request-approval`: the Lambda behind "Await approval" (`lambda:invoke.waitForTaskToken`).
 * Publishes the approval request (plan, recovery set and its age per workload, pre-flight
 * findings, predicted RTO, who started the run, who approved so far, the exact commands) to the
 * plan's notifications topic and returns at once; the run waits for `lifeboat approve` or
 * `lifeboat reject` to answer the token.
 *
 * A request made after the deadline throws `Lifeboat.ApprovalTimedOut` instead (the run ends
 * FAILED at "Await approval").
 *
 * The token is in the envelope's context but this task never reads it: it is not in the message
 * nor in the log line (docs/decisions/0015-approval.md). A retry after a crash may publish the
 * same request twice (SNS standard topics do not deduplicate); the round number tells them apart.
 */
export async function requestApproval(input: RequestApprovalInput, context: TaskContext, publish: Publish = snsPublish): Promise<RequestApprovalOutput> {
  if (context.now.getTime() > Date.parse(input.deadline)) {
    // A request after the deadline (an answer came late, or the run was slow): the wait is over.
    throw new ApprovalTimedOutError(`request-approval: the approval deadline ${input.deadline} passed before round ${input.round} (${input.approvals.length} of ${input.requiredApprovers} approvals); nothing was launched`);
  }
  const message = approvalMessage(input, context.executionArn);
  const messageId = await publish(
    {
      topicArn: input.topicArn,
      subject: message.subject,
      text: message.text,
      attributes: { 'lifeboat.plan': input.planName, 'lifeboat.mode': input.mode, 'lifeboat.execution-arn': context.executionArn, 'lifeboat.round': String(input.round) },
    },
  );
  context.log('approval requested', { round: input.round, approvals: input.approvals.length, required: input.requiredApprovers, messageId });
  return { messageId, topicArn: input.topicArn, round: input.round };
}

/**
 * The request as an approver reads it (an e-mail subscription shows the text as it is).
 *
 * @param cliFlags flags the `lifeboat` commands need to reach this run (`--local` on the sandbox)
 */
export function approvalMessage(input: RequestApprovalInput, executionArn: string): { subject: string; text: string } {
  const what = input.mode === 'drill' ? 'drill' : input.mode.toUpperCase();
  const have = input.approvals.length;
  const subject = `Lifeboat: approve ${what} of ${input.planName} in ${input.region}? (${have} of ${input.requiredApprovers} approvals)`.slice(0, 99);
  const flags = input.cliFlags === undefined || input.cliFlags === '' ? '' : ` ${input.cliFlags}`;
  const lines: string[] = [];
  lines.push(
    `Lifeboat ${input.mode} of plan "${input.planName}" into ${input.region} is waiting for approval before it launches anything.`,
    '',
    `Execution:   ${executionArn}`,
    `Started by:  ${input.startedBy === null ? 'not known to the run (started from the console or a schedule, not by lifeboat; CloudTrail StartExecution names the caller)' : input.startedBy.arn}`,
    `Approvals:   ${have} of ${input.requiredApprovers} (distinct principals${input.starterMayApprove ? '' : '; the principal who started the run may not approve'})`,
    ...input.approvals.map((a) => `             - ${a.principal.arn} at ${a.approvedAt}`),
    ...(input.refusals.length === 0 ? [] : ['Not counted:', ...input.refusals.map((r) => `             - ${r.principalArn ?? 'an answer without a principal'}: ${r.reason}`)]),
    `Deadline:    ${input.deadline} (then the run ends FAILED at "Await approval", having launched nothing)`,
    `Objectives:  RPO ${input.objectives.rpoMinutes} min, RTO ${input.objectives.rtoMinutes} min`,
    '',
    ...preflightLines(input.preflight, input.objectives.rpoMinutes * 60),
    '',
    'To approve (your identity is read from AWS STS):',
    `  lifeboat approve ${executionArn}${flags}`,
    'To reject (the run ends FAILED with your reason):',
    `  lifeboat reject ${executionArn}${flags} --reason "<why>"`,
  );
  return { subject, text: lines.join('\n') };
}

/** The pre-flight part: recovery set per workload with its age, predicted RTO, findings. */
function preflightLines(preflight: ApprovalPreflight | null, rpoSeconds: number): string[] {
  if (preflight === null) return ['Pre-flight: not run for this execution (no findings, recovery sets or predicted RTO to show).'];
  const out: string[] = [];
  out.push(`Pre-flight:  ${preflight.blocking ?? 0} blocking, ${preflight.warnings ?? 0} warnings${preflight.checkedAt ? ` (checked ${preflight.checkedAt})` : ''}`);
  out.push(`Predicted RTO: ${preflight.predictedRtoSeconds === undefined || preflight.predictedRtoSeconds === null ? 'unknown' : `${Math.round(preflight.predictedRtoSeconds / 60)} min`}`);
  const sets = preflight.recoverySets ?? [];
  out.push('Recovery set per workload:');
  if (sets.length === 0) out.push('  (none reported)');
  for (const s of sets) {
    const objective = s.rpoObjectiveSeconds ?? rpoSeconds;
    const age = s.ageSeconds === undefined || s.ageSeconds === null ? 'age unknown' : `${formatAge(s.ageSeconds)} old${s.ageSeconds > objective ? ` (over the RPO objective of ${formatAge(objective)})` : ''}`;
    out.push(`  - ${s.workload}: ${s.recoveryPointTime ?? 'no verified recovery set'}, ${age}`);
  }
  const findings = preflight.findings ?? [];
  out.push('Findings:');
  if (findings.length === 0) out.push('  (none)');
  for (const f of findings) {
    out.push(`  - [${f.severity}] ${f.workload ?? 'plan'} › ${f.check}: expected ${f.expected ?? '?'}, found ${f.found ?? '?'}${f.fix ? `; fix: ${f.fix}` : ''}`);
  }
  if (preflight.findingsTruncated === true) out.push('  (more findings: see the "Pre-flight checks" step with lifeboat history)');
  return out;
}

function formatAge(seconds: number): string {
  const m = Math.round(seconds / 60);
  return m < 120 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * SNS Publish with the function's own credentials, one attempt (the workflow's Retry retries:
 * docs/decisions/0001). A missing topic is `Lifeboat.NotFound` with what to do; throttling and 5xx
 * go through the one error table.
 *
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
export const snsPublish: Publish = async (m) => {
  const region = m.topicArn.split(':')[3]!;
  let client = snsClients.get(region);
  if (client === undefined) {
    client = new SNSClient(clientOptions(region));
    snsClients.set(region, client);
  }
  try {
    const out = await client.send(
      new PublishCommand({
        TopicArn: m.topicArn,
        Subject: m.subject,
        Message: m.text,
        MessageAttributes: Object.fromEntries(Object.entries(m.attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
      }),
    );
    if (out.MessageId === undefined) throw new UnexpectedError(`request-approval › SNS Publish to ${m.topicArn}: expected a MessageId in the answer, found none`);
    return out.MessageId;
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFoundException' || (error as { Code?: string }).Code === 'NotFound') {
      throw new NotFoundError(`request-approval › SNS Publish: expected the plan's notifications topic ${m.topicArn}, found none; deploy the recovery stack (it creates lifeboat-<plan>-alarms) or fix notifications.snsTopicArn`);
    }
    throw error;
  }
};

const snsClients = new Map<string, SNSClient>();

/** Drops the cached SNS clients (for tests and the sandbox binding, which change the environment). */
export function resetSnsClients(): void {
  for (const client of snsClients.values()) client.destroy();
  snsClients.clear();
}
