import { RedriveExecutionCommand } from '@aws-sdk/client-sfn';
import { type ConnectDependencies, type ConnectionOptions, connectSfn, connectionFlags, describeAwsError } from '../aws.js';
import { ExitCode, OperationError } from '../errors.js';
import { followExecution, readAllEvents } from '../follow.js';
import type { Io } from '../io.js';
import { parseStatesArn } from '../machines.js';
import { type TargetOptions, resolveExecution } from '../resolve.js';

/** Options of `lifeboat redrive`. */
export interface RedriveOptions extends ConnectionOptions, TargetOptions {
  /** An execution ARN, or a name looked up among the plan's (or `--state-machine`'s) machines. */
  readonly execution: string;
  /** `--follow`: show progress until the end; exit 0 only on SUCCEEDED. */
  readonly follow: boolean;
  /** `--json`: one JSON document on stdout. */
  readonly json: boolean;
}

/**
 * `lifeboat redrive EXECUTION`: restarts a FAILED, ABORTED or TIMED_OUT execution from the state
 * that did not succeed (RedriveExecution); finished states are not run again.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html
 */
export async function redrive(opts: RedriveOptions, io: Io, dependencies: ConnectDependencies = {}): Promise<ExitCode> {
  const command = 'lifeboat redrive';
  const connection = await connectSfn(opts, dependencies);
  try {
    const execution = await resolveExecution(connection, opts.execution, opts, command);
    const { description } = execution;
    const name = description.name ?? opts.execution;
    if (description.status === 'RUNNING') {
      throw new OperationError(`${command}: ${JSON.stringify(name)} is still RUNNING; only a FAILED, ABORTED or TIMED_OUT run can be redriven`, {
        hint: `follow it with 'lifeboat history ${execution.arn}${connectionFlags(opts)} --follow'`,
      });
    }
    if (description.status === 'SUCCEEDED') {
      throw new OperationError(`${command}: ${JSON.stringify(name)} SUCCEEDED; there is nothing to redrive`, {
        hint: 'start a new run instead',
      });
    }
    if (parseStatesArn(execution.arn)?.stateMachineName.endsWith('-drill') === true) {
      io.warn('a failed drill does not resume (its teardown already ran): a redrive only repeats its end; start a new drill instead');
    }
    // Read what happened before, so --follow prints only what the redrive does.
    const before = opts.follow ? await readAllEvents(execution.client, execution.arn, { command, region: execution.region }) : [];
    let redriveDate: Date | undefined;
    try {
      ({ redriveDate } = await execution.client.send(new RedriveExecutionCommand({ executionArn: execution.arn })));
    } catch (error) {
      if ((error as { name?: string }).name === 'ExecutionNotRedrivable') {
        throw new OperationError(`${command}: ${JSON.stringify(name)} cannot be redriven: ${(error as Error).message}`, {
          hint: `${description.redriveStatusReason ? `${description.redriveStatusReason}; ` : ''}a run can be redriven within 14 days of stopping, if it has fewer than 24,999 history events; otherwise start a new run`,
          cause: error,
        });
      }
      throw describeAwsError(error, { command, operation: 'RedriveExecution', region: execution.region });
    }
    const s = io.errStyle;
    io.progress(`${s.cyan('↻')} redriving ${s.bold(name)} in ${execution.region} (it had ${description.status}${description.error ? ` with ${description.error}` : ''})`);
    const summary = { executionArn: execution.arn, name, region: execution.region, redriveDate: redriveDate?.toISOString(), previousStatus: description.status };
    if (!opts.follow) {
      io.result(opts.json ? summary : execution.arn);
      return ExitCode.Ok;
    }
    const { execution: ended } = await followExecution(execution.client, execution.arn, io, {
      command,
      region: execution.region,
      intervalMilliseconds: opts.isLocal ? 250 : 2000,
      alreadyShown: before,
      connectionFlags: connectionFlags(opts),
    });
    io.result(
      opts.json
        ? { ...summary, status: ended.status, ...(ended.error === undefined ? {} : { error: ended.error }), ...(ended.cause === undefined ? {} : { cause: ended.cause }) }
        : `${execution.arn} ${ended.status}`,
    );
    return ended.status === 'SUCCEEDED' ? ExitCode.Ok : ExitCode.Failed;
  } finally {
    await connection.close();
  }
}
