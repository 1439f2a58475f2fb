import { EC2Client } from '@aws-sdk/client-ec2';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { type RestoreTrafficOutput, type SwitchTrafficOutput, SwitchTrafficOutputSchema } from '../../schemas/tasks/switch-traffic.js';
import type { TaskContext } from '../../tasks/_shared/define-task.js';
import { trafficApis, type TrafficApis } from '../../tasks/_shared/traffic-apis.js';
import { restoreTraffic } from '../../tasks/switch-traffic/restore.js';
import { type ConnectDependencies, type ConnectionOptions, LOCAL_CREDENTIALS, connectSfn } from '../aws.js';
import { ExitCode, OperationError } from '../errors.js';
import { readAllEvents } from '../follow.js';
import type { Io } from '../io.js';
import { loadPlan } from '../plan-file.js';
import { resolveExecution } from '../resolve.js';

/** Options of `lifeboat traffic undo`. */
export interface TrafficUndoOptions extends ConnectionOptions {
  /** An execution ARN, or its name among the plan's machines. */
  readonly execution: string;
  /** `--plan FILE`. */
  readonly plan: string;
  /** `--dry-run`: say what would be put back, change nothing. */
  readonly isDryRun: boolean;
  readonly json: boolean;
}

/** Replaceable parts of {@link trafficUndo}, for tests. */
export interface TrafficUndoDependencies extends ConnectDependencies {
  /** The Route 53 and ELBv2 calls. @default the real ones, at the sandbox with --local */
  readonly apis?: TrafficApis;
  /** How long to wait between passes. @default 250 ms with --local, 5 s on AWS */
  readonly pauseMilliseconds?: number;
}

/** What `lifeboat traffic undo --json` prints. */
export interface TrafficUndoResult {
  readonly plan: string;
  readonly execution: string;
  readonly restore: RestoreTrafficOutput;
}

/** The state whose passes hold the switch's output: failover and drill name it the same. */
const SWITCH_STATE = 'Switch traffic';

/**
 * `lifeboat traffic undo EXECUTION --plan FILE [--dry-run] [--json] [--local]`: puts back what a
 * run's traffic switch changed, from the values the run recorded before it changed them (the
 * run's output `traffic`, or, for a run that failed or is still running, the last pass of
 * `Switch traffic` in its history), never from what the records hold now: each record the switch
 * changed goes back to its `before` (deleted when it had none), one Route 53 batch per hosted
 * zone, waited on until INSYNC and read back; then the instances it registered are deregistered.
 *
 * The passes are the `switch-traffic` task's own (`action: "restore"`), run in this process with
 * the caller's credentials. Idempotent: run again, it finds every record as it was and changes
 * nothing. A record someone changed since the switch fails the command, changing nothing.
 *
 * Exit 0 when everything is back (or, with `--dry-run`, reported), 1 otherwise.
 */
export async function trafficUndo(opts: TrafficUndoOptions, io: Io, dependencies: TrafficUndoDependencies = {}): Promise<ExitCode> {
  const command = 'lifeboat traffic undo';
  const plan = await loadPlan(opts.plan, command);
  const connection = await connectSfn({ ...opts, region: undefined }, dependencies);
  const clients: Array<{ destroy(): void }> = [];
  try {
    const execution = await resolveExecution(connection, opts.execution, { ...opts, plan: opts.plan }, command);
    const name = execution.description.name ?? opts.execution;
    const switched = await switchOutputOf(execution.description.output, () => readAllEvents(execution.client, execution.arn, { command, region: execution.region }));
    const mode = (switched?.mode ?? (execution.arn.includes(`:lifeboat-${plan.name}-drill:`) ? 'drill' : 'failover')) as 'failover' | 'drill';
    if (switched === undefined) {
      throw new OperationError(`${command}: ${JSON.stringify(name)} has no traffic switch to undo: no pass of '${SWITCH_STATE}' succeeded (status ${execution.description.status})`, {
        hint: 'nothing was switched by this run; check the records with aws route53 list-resource-record-sets',
      });
    }
    let apis = dependencies.apis;
    if (apis === undefined) {
      const endpoint = connection.localEndpoint;
      if (endpoint !== undefined) apis = trafficApis({ endpoint, credentials: { ...LOCAL_CREDENTIALS } });
      else {
        // The caller's credentials (and --profile), as the SDK finds them.
        const ec2 = new EC2Client({ region: plan.recoveryRegion, ...(opts.profile !== undefined ? { profile: opts.profile } : {}) });
        clients.push(ec2);
        apis = trafficApis({ credentials: ec2.config.credentials });
      }
    }
    const pause = dependencies.pauseMilliseconds ?? (connection.isLocal ? 250 : 5000);
    const timeoutMinutes = plan.traffic?.timeoutMinutes ?? 15;
    const startedAt = (await connection.now()) ?? io.now();
    const deadline = new Date(startedAt.getTime() + timeoutMinutes * 60_000).toISOString();
    io.progress(`${io.errStyle.green('▶')} ${opts.isDryRun ? 'dry run of undoing' : 'undoing'} the traffic switch of ${name} (plan ${plan.name}${connection.isLocal ? ', local sandbox' : ''})`);
    let out: RestoreTrafficOutput | undefined;
    for (let pass = 1; ; pass++) {
      const now = (await connection.now()) ?? io.now();
      const context = {
        executionArn: execution.arn, stateName: 'lifeboat traffic undo', now, redriveCount: 0,
        log: () => undefined,
      } as unknown as TaskContext;
      try {
        out = await restoreTraffic(
          { action: 'restore', planName: plan.name, region: plan.recoveryRegion, mode, deadline, switched, ...(opts.isDryRun ? { isDryRun: true } : {}), ...(out ? { previous: out } : {}) },
          context,
          apis,
        );
      } catch (error) {
        throw new OperationError(`${command}: ${(error as Error).message}`, {
          hint: 'nothing is changed twice: run the command again once the cause is fixed',
          cause: error,
        });
      }
      if (out.isComplete) break;
      if (pass % 4 === 0) io.progress(`  … ${out.phase}${out.throttled ? ` (throttled: ${out.throttled.join('; ')})` : ''}`);
      await io.sleep(pause);
    }
    const result: TrafficUndoResult = { plan: plan.name, execution: execution.arn, restore: out };
    io.result(opts.json ? result : renderUndo(result));
    return ExitCode.Ok;
  } finally {
    for (const c of clients) c.destroy();
    await connection.close();
  }
}

/**
 * The switch's output: the run's output `traffic` when it has one, else the last successful
 * `Switch traffic` pass in the history (a run that failed or is still running).
 */
export async function switchOutputOf(output: string | undefined, events: () => Promise<HistoryEvent[]>): Promise<SwitchTrafficOutput | undefined> {
  if (output !== undefined) {
    const parsed = JSON.parse(output) as { traffic?: unknown };
    if (parsed.traffic !== undefined && parsed.traffic !== null) return SwitchTrafficOutputSchema.parse(parsed.traffic);
  }
  let state: string | undefined;
  let last: SwitchTrafficOutput | undefined;
  for (const e of await events()) {
    if (e.type === 'TaskStateEntered') state = e.stateEnteredEventDetails?.name;
    if (e.type === 'TaskSucceeded' && state === SWITCH_STATE && e.taskSucceededEventDetails?.output !== undefined) {
      const payload = JSON.parse(e.taskSucceededEventDetails.output) as { Payload?: unknown };
      const parsed = SwitchTrafficOutputSchema.safeParse(payload.Payload ?? payload);
      if (parsed.success) last = parsed.data;
    }
  }
  return last;
}

/** The text report: one line per record and per target group. */
export function renderUndo(r: TrafficUndoResult): string {
  const o = r.restore;
  const lines: string[] = [];
  const verb = o.isDryRun ? 'would put back' : 'put back';
  lines.push(`Traffic switch of ${r.execution.split(':').pop()} (plan ${r.plan}): ${o.isDryRun ? 'dry run, nothing changed' : o.isVerified ? 'undone and verified' : 'not complete'}`);
  if (o.records.length === 0) lines.push('  no record was changed by the switch');
  for (const rec of o.records) {
    const what = `${rec.type} ${rec.name}${rec.setIdentifier !== undefined ? ` (${rec.setIdentifier})` : ''}`;
    const to = rec.to === null ? 'deleted (it did not exist before)' : valueOf(rec.to);
    lines.push(`  ${rec.status === 'unchanged' ? 'already' : verb}  ${what}  →  ${to}`);
  }
  for (const c of o.changes) lines.push(`  change ${c.changeId} in hosted zone ${c.hostedZoneId}: ${c.status}`);
  for (const g of o.targetGroups) {
    const gone = g.health.map((h) => `${h.id} ${h.state}`).join(', ');
    lines.push(`  target group ${g.targetGroupArn}: ${o.isDryRun ? `would deregister ${g.instanceIds.join(', ')}` : `deregistered ${g.instanceIds.join(', ')}${gone ? ` (${gone})` : ''}`}`);
  }
  return lines.join('\n');
}

function valueOf(r: NonNullable<RestoreTrafficOutput['records'][number]['to']>): string {
  const routing = [r.weight !== undefined ? `weight ${r.weight}` : '', r.failover ?? ''].filter((x) => x !== '').join(', ');
  const target = r.aliasTarget !== undefined ? `alias ${r.aliasTarget.dnsName}` : (r.values ?? []).join(' ');
  return `${target}${routing ? ` (${routing})` : ''}`;
}
