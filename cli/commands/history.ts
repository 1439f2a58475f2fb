import { type ConnectDependencies, type ConnectionOptions, connectSfn } from '../aws.js';
import { ExitCode } from '../errors.js';
import { readAllEvents } from '../follow.js';
import type { Io } from '../io.js';
import { renderTimeline } from '../render/timeline.js';
import { type TargetOptions, resolveExecution } from '../resolve.js';
import { toTimeline } from '../timeline.js';

/** Options of `lifeboat history`. */
export interface HistoryOptions extends ConnectionOptions, TargetOptions {
  /** An execution ARN, or a name looked up among the plan's (or `--state-machine`'s) machines. */
  readonly execution: string;
  /** `--json`: the timeline as one JSON document. */
  readonly json: boolean;
}

/**
 * `lifeboat history EXECUTION`: one run's timeline, read with GetExecutionHistory (every page).
 *
 * Exit 0 when the run SUCCEEDED or is still RUNNING, 1 when it FAILED, TIMED_OUT or was ABORTED.
 */
export async function history(opts: HistoryOptions, io: Io, dependencies: ConnectDependencies = {}): Promise<ExitCode> {
  const command = 'lifeboat history';
  const connection = await connectSfn(opts, dependencies);
  try {
    const execution = await resolveExecution(connection, opts.execution, opts, command);
    const events = await readAllEvents(execution.client, execution.arn, { command, region: execution.region });
    const timeline = toTimeline(events);
    const name = execution.description.name ?? opts.execution;
    // DescribeExecution is authoritative for the status (a history read mid-run may lag it).
    const status = (execution.description.status as typeof timeline.status | undefined) ?? timeline.status;
    if (opts.json) {
      io.result({
        executionArn: execution.arn,
        name,
        stateMachineArn: execution.description.stateMachineArn,
        region: execution.region,
        ...timeline,
        status,
      });
    } else {
      io.result(renderTimeline({ ...timeline, status }, { name, arn: execution.arn }, io.style));
    }
    return status === 'SUCCEEDED' || status === 'RUNNING' ? ExitCode.Ok : ExitCode.Failed;
  } finally {
    await connection.close();
  }
}
