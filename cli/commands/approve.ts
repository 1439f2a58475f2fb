import { SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import type { Principal } from '../../schemas/tasks/request-approval.js';
import { APPROVAL_REJECTED_ERROR } from '../../schemas/tasks/request-approval.js';
import { approvalStanding, type OpenApprovalRequest } from '../approval.js';
import { type ConnectDependencies, type ConnectionOptions, connectSfn, connectionFlags, describeAwsError } from '../aws.js';
import { ExitCode, OperationError, UsageError } from '../errors.js';
import { readAllEvents } from '../follow.js';
import type { Io } from '../io.js';
import { type ResolvedExecution, type TargetOptions, resolveExecution } from '../resolve.js';
import { type CallerIdentity, stsCallerIdentity } from '../sts.js';

/** Options of `lifeboat approve` and `lifeboat reject`. */
export interface AnswerOptions extends ConnectionOptions, TargetOptions {
  /** An execution ARN, or a name looked up among the plan's (or `--state-machine`'s) machines. */
  readonly execution: string;
  /** `--reason TEXT` (reject: required) or `--comment TEXT` (approve: optional). */
  readonly text?: string;
  /** `--json`: one JSON document on stdout. */
  readonly json: boolean;
}

/** Replaceable parts, for tests. */
export interface AnswerDependencies extends ConnectDependencies {
  /** Replaces STS GetCallerIdentity. */
  readonly callerIdentity?: CallerIdentity;
}

/** The longest reason or comment (the run's Fail cause carries it). */
export const MAX_ANSWER_TEXT = 1024;

/**
 * `lifeboat approve EXECUTION`: answers the run's open "Await approval" request with
 * SendTaskSuccess carrying the caller's identity from STS. Refused here, before anything is sent,
 * when the run is not waiting, when this principal has already approved it, or when it started
 * the run and the plan does not let the starter approve (the run refuses those too).
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html
 */
export async function approve(opts: AnswerOptions, io: Io, dependencies: AnswerDependencies = {}): Promise<ExitCode> {
  const command = 'lifeboat approve';
  if (opts.text !== undefined && opts.text.length > MAX_ANSWER_TEXT) {
    throw new UsageError(`${command}: --comment is ${opts.text.length} characters; at most ${MAX_ANSWER_TEXT} are kept`, { hint: 'shorten it' });
  }
  return answer(opts, io, dependencies, command, async ({ execution, open, me }) => {
    const r = open.request;
    if (r.approvals.some((a) => a.principal.arn === me.arn)) {
      throw new OperationError(`${command}: ${me.arn} has already approved ${name(execution)}; the plan needs ${r.requiredApprovers} distinct principals (${r.approvals.length} so far)`, {
        hint: 'another principal must approve: ask someone else to run the same command with their own credentials',
      });
    }
    if (!r.starterMayApprove && r.startedBy !== null && r.startedBy.arn === me.arn) {
      throw new OperationError(`${command}: ${me.arn} started ${name(execution)}, and the plan's approval.starterMayApprove is false`, {
        hint: 'someone other than the person who started the run must approve it',
      });
    }
    const output = JSON.stringify({ decision: 'approve', principal: me, ...(opts.text === undefined ? {} : { comment: opts.text }) });
    await send(execution, command, 'SendTaskSuccess', () => execution.client.send(new SendTaskSuccessCommand({ taskToken: open.taskToken, output })));
    const count = r.approvals.length + 1;
    const remaining = r.requiredApprovers - count;
    const s = io.errStyle;
    io.progress(`${s.green('✔')} approved ${s.bold(name(execution))} as ${me.arn} (${count} of ${r.requiredApprovers})`);
    const summary = { executionArn: execution.arn, decision: 'approve', principal: me, approvals: count, requiredApprovers: r.requiredApprovers };
    io.result(
      opts.json
        ? summary
        : remaining > 0
          ? `approved (${count} of ${r.requiredApprovers}): the run waits for ${remaining} more approval(s) from other principals until ${r.deadline}`
          : `approved (${count} of ${r.requiredApprovers}): the run goes on to launch; follow it with 'lifeboat history ${execution.arn}${connectionFlags(opts)} --follow'`,
    );
    return ExitCode.Ok;
  });
}

/**
 * `lifeboat reject EXECUTION --reason TEXT`: answers the open "Await approval" request with
 * SendTaskFailure (`Lifeboat.ApprovalRejected`); the run ends FAILED with the rejecting principal
 * and the reason in its cause, having launched nothing.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskFailure.html
 */
export async function reject(opts: AnswerOptions, io: Io, dependencies: AnswerDependencies = {}): Promise<ExitCode> {
  const command = 'lifeboat reject';
  const reason = opts.text?.trim() ?? '';
  if (reason === '') {
    throw new UsageError(`${command}: --reason TEXT is required: the run's failure cause carries it`, { hint: `e.g. ${command} ${opts.execution} --reason "primary region recovered"` });
  }
  if (reason.length > MAX_ANSWER_TEXT) throw new UsageError(`${command}: --reason is ${reason.length} characters; at most ${MAX_ANSWER_TEXT}`, { hint: 'shorten it' });
  return answer(opts, io, dependencies, command, async ({ execution, open, me }) => {
    const cause = `rejected by ${me.arn}: ${reason}`;
    await send(execution, command, 'SendTaskFailure', () =>
      execution.client.send(new SendTaskFailureCommand({ taskToken: open.taskToken, error: APPROVAL_REJECTED_ERROR, cause })),
    );
    const s = io.errStyle;
    io.progress(`${s.red('✘')} rejected ${s.bold(name(execution))} as ${me.arn}`);
    io.result(opts.json ? { executionArn: execution.arn, decision: 'reject', principal: me, reason } : `rejected: the run ends FAILED at "Await approval" (${cause})`);
    return ExitCode.Ok;
  });
}

/** Finds the open request and the caller, then lets `act` answer it. */
async function answer(
  opts: AnswerOptions,
  io: Io,
  dependencies: AnswerDependencies,
  command: string,
  act: (found: { execution: ResolvedExecution; open: OpenApprovalRequest; me: Principal }) => Promise<ExitCode>,
): Promise<ExitCode> {
  const connection = await connectSfn(opts, dependencies);
  try {
    const execution = await resolveExecution(connection, opts.execution, opts, command);
    const status = execution.description.status;
    if (status !== 'RUNNING') {
      throw new OperationError(`${command}: ${name(execution)} is ${status}, not waiting for approval${execution.description.error ? ` (it ended with ${execution.description.error})` : ''}`, {
        hint: `see what happened with 'lifeboat history ${execution.arn}${connectionFlags(opts)}'`,
      });
    }
    const events = await readAllEvents(execution.client, execution.arn, { command, region: execution.region });
    const standing = approvalStanding(events);
    if (standing.kind !== 'waiting') {
      throw new OperationError(
        `${command}: ${name(execution)} is not waiting for approval: it is at ${JSON.stringify(standing.currentState ?? 'its start')}${standing.hasApprovalStep ? ' (its approval is behind it)' : ' and has no "Await approval" step before it'}`,
        {
          hint: standing.hasApprovalStep
            ? `nothing to answer; follow it with 'lifeboat history ${execution.arn}${connectionFlags(opts)} --follow'`
            : 'only runs of a plan with "approval" wait at "Await approval" (docs/contracts.md); if it is about to get there, try again in a moment',
        },
      );
    }
    const me = await (dependencies.callerIdentity ?? stsCallerIdentity)(execution.client, { command, isLocal: opts.isLocal });
    return await act({ execution, open: standing.open, me });
  } finally {
    await connection.close();
  }
}

async function send(execution: ResolvedExecution, command: string, operation: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const n = (error as { name?: string }).name;
    if (n === 'TaskDoesNotExist' || n === 'TaskTimedOut' || n === 'InvalidToken') {
      throw new OperationError(`${command}: ${operation}: the approval request of ${name(execution)} was answered, timed out or ended meanwhile (${n})`, {
        hint: `run 'lifeboat history ${execution.arn}' to see where it is; answer again if it asks again`,
        cause: error,
      });
    }
    throw describeAwsError(error, { command, operation, region: execution.region });
  }
}

function name(execution: ResolvedExecution): string {
  return execution.description.name ?? execution.arn;
}
