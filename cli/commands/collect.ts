import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { type ConnectDependencies, type ConnectionOptions, call, connectSfn } from '../aws.js';
import { ExitCode } from '../errors.js';
import { followExecution } from '../follow.js';
import type { Io } from '../io.js';
import { loadPlan } from '../plan-file.js';
import { resolveMachine } from '../resolve.js';
import type { DeployPlanLocally } from './start.js';

/** Options of `lifeboat collect`. */
export interface CollectOptions extends ConnectionOptions {
  /** `--plan FILE`: the collectors are `lifeboat-<plan>-collect` in the plan's two regions. */
  readonly plan: string;
  /** `--dry-run`: list what would be removed, remove nothing. */
  readonly isDryRun: boolean;
  /** `--grace-minutes N`: how long after a backup closed its images may go. @default the collector's 24 hours */
  readonly graceMinutes?: number;
  readonly json: boolean;
}

/** Replaceable parts of {@link collect}, for tests. */
export interface CollectDependencies extends ConnectDependencies {
  readonly deployPlanLocally?: DeployPlanLocally;
}

/** One region's collector run, as reported. */
export interface CollectRun {
  readonly region: string;
  readonly executionArn: string;
  readonly status: string;
  readonly output?: {
    readonly isDryRun: boolean;
    readonly counts: { instances: number; images: number; snapshots: number };
    readonly removed: Array<{ resourceId: string; kind: string; reason: string; executionArn: string | null; executionStatus: string }>;
    readonly keptRunning: number;
    readonly keptRecent: number;
    readonly deferred: number;
    readonly lastError: string | null;
  };
  readonly cause?: string;
}

/**
 * `lifeboat collect --plan FILE [--dry-run] [--grace-minutes N] [--local]`: runs the plan's
 * collector (`lifeboat-<plan>-collect`) in the primary region, then in the recovery region, and
 * reports what each removed (or, with `--dry-run`, would remove). The same state machines run on
 * their schedule; this starts them now, with `{ "dryRun": true }` when asked.
 *
 * Exit 0 when both runs SUCCEEDED, 1 otherwise.
 */
export async function collect(opts: CollectOptions, io: Io, dependencies: CollectDependencies = {}): Promise<ExitCode> {
  const command = 'lifeboat collect';
  const plan = await loadPlan(opts.plan, command);
  // Each collector lives in its own region: --region does not apply.
  const connection = await connectSfn({ ...opts, region: undefined }, dependencies);
  try {
    if (opts.isLocal) {
      const deploy = dependencies.deployPlanLocally ?? (await loadLocalDeploy());
      await call({ command, operation: 'CreateStateMachine' }, () => deploy(plan, (region) => connection.client(region)));
    }
    const input = { ...(opts.isDryRun ? { dryRun: true } : {}), ...(opts.graceMinutes === undefined ? {} : { graceMinutes: opts.graceMinutes }) };
    const runs: CollectRun[] = [];
    for (const region of [plan.primaryRegion, plan.recoveryRegion]) {
      const machine = await resolveMachine(connection, { name: `lifeboat-${plan.name}-collect`, region }, command);
      const stamp = io.now().toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
      const name = `collect-${stamp}-${io.randomHex(2)}`;
      const started = await call({ command, operation: 'StartExecution', region }, () =>
        machine.client.send(new StartExecutionCommand({ stateMachineArn: machine.arn, name, input: JSON.stringify(input) })),
      );
      const executionArn = started.executionArn ?? '';
      io.progress(`${io.errStyle.green('▶')} ${opts.isDryRun ? 'dry run of ' : ''}the collector in ${region}: ${name}`);
      const { execution } = await followExecution(machine.client, executionArn, io, { command, region, intervalMilliseconds: opts.isLocal ? 250 : 2000 });
      const described = await call({ command, operation: 'DescribeExecution', region }, () => machine.client.send(new DescribeExecutionCommand({ executionArn })));
      runs.push({
        region,
        executionArn,
        status: execution.status ?? 'UNKNOWN',
        ...(described.output ? { output: JSON.parse(described.output) as CollectRun['output'] } : {}),
        ...(execution.cause === undefined ? {} : { cause: execution.cause }),
      });
    }
    io.result(opts.json ? { plan: plan.name, isDryRun: opts.isDryRun, runs } : renderRuns(runs, opts.isDryRun));
    return runs.every((r) => r.status === 'SUCCEEDED') ? ExitCode.Ok : ExitCode.Failed;
  } finally {
    await connection.close();
  }
}

/** The text report: one block per region, one line per removed resource. */
export function renderRuns(runs: readonly CollectRun[], isDryRun: boolean): string {
  const verb = isDryRun ? 'would remove' : 'removed';
  const lines: string[] = [];
  for (const run of runs) {
    if (run.output === undefined) {
      lines.push(`${run.region}: ${run.status}${run.cause ? `: ${run.cause}` : ''}`);
      continue;
    }
    const o = run.output;
    lines.push(
      `${run.region}: ${verb} ${o.counts.instances} instance(s), ${o.counts.images} image(s), ${o.counts.snapshots} snapshot(s); kept ${o.keptRunning} of running executions, ${o.keptRecent} of backups closed within the grace; ${o.deferred} deferred${o.lastError ? ` (${o.lastError})` : ''}`,
    );
    for (const r of o.removed) lines.push(`  ${r.kind} ${r.resourceId}  ${r.reason}  ${r.executionArn ?? '-'} (${r.executionStatus})`);
  }
  return lines.join('\n');
}

async function loadLocalDeploy(): Promise<DeployPlanLocally> {
  const specifier = '../local/deploy.js';
  const module = (await import(specifier)) as { deployPlanLocally?: DeployPlanLocally };
  if (typeof module.deployPlanLocally !== 'function') throw new TypeError(`--local › cli/local/deploy.ts: expected an export deployPlanLocally(plan, clientFor), found ${typeof module.deployPlanLocally}; the Lifeboat install is incomplete, reinstall it`);
  return module.deployPlanLocally;
}
