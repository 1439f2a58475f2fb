import { type ConnectDependencies, type ConnectionOptions, connectSfn, connectionFlags } from '../aws.js';
import { ExitCode } from '../errors.js';
import { followExecution, readAllEvents } from '../follow.js';
import type { Io } from '../io.js';
import { isObjectiveMissed, recoverySummaryOf, renderRecoverySummary } from '../recovery-summary.js';
import { withRecoveryDetails } from '../recovery-details.js';
import { renderMapRuns } from '../render/map-runs.js';
import { renderTimeline } from '../render/timeline.js';
import { type MapRunNode, readMapRuns } from '../run-tree.js';
import { type TargetOptions, resolveExecution } from '../resolve.js';
import { kindFromName, parseStatesArn } from '../machines.js';
import { type ObjectiveFigure, measureObjectives, parseOutput } from '../objectives.js';
import { formatDuration } from '../render/format.js';
import { loadPlan } from '../plan-file.js';
import { type Timeline, runDurationSeconds, toTimeline } from '../timeline.js';

/** Options of `lifeboat history`. */
export interface HistoryOptions extends ConnectionOptions, TargetOptions {
  /** An execution ARN, or a name looked up among the plan's (or `--state-machine`'s) machines. */
  readonly execution: string;
  /** `--json`: the timeline as one JSON document. */
  readonly json: boolean;
  /** `--follow`: if the run is still RUNNING, show its progress until it ends, then the timeline. @default false */
  readonly follow?: boolean;
}

/**
 * `lifeboat history EXECUTION`: one run's timeline, read with GetExecutionHistory (every page).
 *
 * With `--follow`, a RUNNING run is followed to its end first (progress on stderr).
 * Exit 0 when the run SUCCEEDED or is still RUNNING, 3 when a failover or drill SUCCEEDED but
 * missed its RPO or RTO objective, 1 when it FAILED, TIMED_OUT or was ABORTED.
 */
export async function history(opts: HistoryOptions, io: Io, dependencies: ConnectDependencies = {}): Promise<ExitCode> {
  const command = 'lifeboat history';
  const connection = await connectSfn(opts, dependencies);
  try {
    const execution = await resolveExecution(connection, opts.execution, opts, command);
    const site = { command, region: execution.region };
    let description = execution.description;
    if (opts.follow === true && description.status === 'RUNNING') {
      // Catch up on what happened so far as progress lines, then follow to the end.
      const followed = await followExecution(execution.client, execution.arn, io, { ...site, intervalMilliseconds: opts.isLocal ? 250 : 2000, connectionFlags: connectionFlags(opts) });
      description = followed.execution;
    }
    const events = await readAllEvents(execution.client, execution.arn, site);
    const timeline: Timeline = toTimeline(events);
    // A distributed run: follow its Map Runs to the child executions and their histories.
    const mapRuns = events.some((e) => e.type === 'MapRunStarted') ? await readMapRuns(execution.client, execution.arn, events, site) : [];
    const name = description.name ?? opts.execution;
    // DescribeExecution is authoritative for the status (a history read mid-run may lag it).
    const status = (description.status as Timeline['status'] | undefined) ?? timeline.status;
    // A distributed run's output names a few workloads per group; the whole lists are in its run bucket.
    const expanded = await withRecoveryDetails(parseOutput(description.output), execution.region, { ...(connection.localEndpoint === undefined ? {} : { localEndpoint: connection.localEndpoint }), ...(opts.profile === undefined ? {} : { profile: opts.profile }) });
    if (expanded.problem !== undefined) io.warn(`${command}: ${expanded.problem}`);
    const output = expanded.output;
    // The sets restored and the RPO/RTO achieved against the objectives, from the run's output.
    const recovery = status === 'SUCCEEDED' ? recoverySummaryOf(output) : undefined;
    // One duration for list, history and the report (runDurationSeconds).
    const durationSeconds = runDurationSeconds({ ...description, status }, io.now()) ?? timeline.durationSeconds;
    const plan = opts.plan === undefined ? undefined : await loadPlan(opts.plan, command);
    const kind = kindFromName(parseStatesArn(execution.arn)?.stateMachineName ?? name);
    const { rpo, rto, workloads } = measureObjectives(kind, output, description, plan?.objectives);
    if (opts.json) {
      io.result({
        executionArn: execution.arn,
        name,
        stateMachineArn: description.stateMachineArn,
        region: execution.region,
        ...timeline,
        status,
        ...(durationSeconds === undefined ? {} : { durationSeconds }),
        ...(output === undefined ? {} : { output }),
        ...(rpo === undefined ? {} : { rpo }),
        ...(rto === undefined ? {} : { rto }),
        ...(workloads.length === 0 ? {} : { workloads }),
        ...(recovery === undefined ? {} : { recovery }),
        ...(mapRuns.length > 0 ? { mapRuns: mapRunsJson(mapRuns) } : {}),
      });
    } else {
      const text = renderTimeline({ ...timeline, status, ...(durationSeconds === undefined ? {} : { durationSeconds }) }, { name, arn: execution.arn }, io.style, { isDebug: io.isDebug });
      const s = io.style;
      const line = (what: string, figure: ObjectiveFigure | undefined): string[] =>
        figure === undefined || figure.achievedSeconds === undefined
          ? []
          : [
              `  ${what}  ${formatDuration(figure.achievedSeconds).padEnd(8)} against ${formatDuration(figure.objectiveSeconds)}: ${
                figure.status === 'met' ? s.green('met') : figure.status === 'missed' ? s.red('MISSED') : s.dim('not judged (pass --plan FILE)')
              }  ${s.dim(figure.basis)}`,
            ];
      const objectives = [...line('RPO', rpo), ...line('RTO', rto)];
      // A run that recorded its recovery sets and achieved figures (or a backup's RPO) says so in
      // full, per workload, with MISSED; otherwise the figures measured from its output. A
      // distributed run: every child execution of its Map Runs after the parent's timeline.
      const summary = recovery !== undefined ? `${text}\n\n${[s.bold('objectives'), ...renderRecoverySummary(recovery, s).map((l) => `  ${l}`)].join('\n')}` : objectives.length === 0 ? text : `${text}\n\n${s.bold('objectives')}\n${objectives.join('\n')}`;
      io.result(summary + renderMapRuns(mapRuns, s));
    }
    if (status === 'SUCCEEDED' && isObjectiveMissed(recovery)) return ExitCode.ObjectiveMissed;
    return status === 'SUCCEEDED' || status === 'RUNNING' ? ExitCode.Ok : ExitCode.Failed;
  } finally {
    await connection.close();
  }
}

/** The Map Runs for `--json`: each child execution with its own timeline, nested Map Runs included. */
function mapRunsJson(runs: readonly MapRunNode[]): unknown[] {
  return runs.map((run) => ({
    mapRunArn: run.mapRunArn,
    ...(run.stateName !== undefined ? { stateName: run.stateName } : {}),
    children: run.children.map((child) => ({
      executionArn: child.executionArn,
      name: child.name,
      ...toTimeline(child.events),
      status: child.status,
      ...(child.mapRuns.length > 0 ? { mapRuns: mapRunsJson(child.mapRuns) } : {}),
    })),
  }));
}
