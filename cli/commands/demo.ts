/**
 * `lifeboat demo` (and `npm start`): the local drill. Starts the sandbox in this process, seeds the
 * example plan's instances in the primary region, runs a backup and then a drill through the real
 * workflows and task handlers, shows progress while they run, and ends with a report: each run's
 * timeline, the achieved RPO and RTO against the plan's objectives, and the resources created and
 * torn down. The runs stay in the data directory, so `lifeboat history <name> --local` and
 * `lifeboat list --local` show them afterwards.
 */
import { join, resolve } from 'node:path';
import type { Plan } from '../../schemas/plan.js';
import { ROLES, TAG_KEYS } from '../../schemas/tags.js';
import { ExitCode, OperationError } from '../errors.js';
import { followExecution } from '../follow.js';
import type { Io } from '../io.js';
import { DEFAULT_SANDBOX_DATA_DIR } from '../local/endpoint.js';
import { startLocalLifeboat, type LocalLifeboat } from '../local/session.js';
import { executionName, type RunKind } from '../machines.js';
import { type RecoverySummary, recoverySummaryOf, renderRecoverySummary } from '../recovery-summary.js';
import { loadPlan } from '../plan-file.js';
import { formatDuration, plural } from '../render/format.js';
import { reportFileName, reportOf, writeReportHtml } from './report.js';
import { renderTimeline } from '../render/timeline.js';
import { toTimeline, type Timeline } from '../timeline.js';

/** Options of {@link demo}. */
export interface DemoOptions {
  /** Print one JSON document instead of the readable report. */
  readonly json: boolean;
  /** Seed of ids, jitter and faults. @default '1' */
  readonly seed?: string;
  /** The plan to run. @default 'examples/three-tier.plan.json' */
  readonly plan?: string;
  /** Where the sandbox keeps its state. @default '.lifeboat/sandbox' */
  readonly dataDir?: string;
}

/** The example plan the demo runs when none is given. */
export const DEMO_PLAN = 'examples/three-tier.plan.json';

/** The runs the demo makes. */
type DemoRunKind = 'backup' | 'drill';

/** One run of the demo, as reported. */
export interface DemoRun {
  readonly kind: DemoRunKind;
  readonly name: string;
  readonly executionArn: string;
  readonly status: string;
  readonly simulatedSeconds: number;
  readonly timeline: Timeline;
}

/** What the demo reports (also its `--json` document). */
export interface DemoReport {
  readonly plan: string;
  readonly recoveryRegion: string;
  readonly dataDir: string;
  readonly runs: readonly DemoRun[];
  readonly rpo: { readonly achievedSeconds: number; readonly objectiveSeconds: number; readonly isMet: boolean };
  readonly rto: { readonly achievedSeconds: number; readonly objectiveSeconds: number; readonly isMet: boolean };
  /** The drill's recovery sets and achieved RPO/RTO per workload (from its output), when it succeeded. */
  readonly recovery?: RecoverySummary;
  /** The drill's HTML report (`lifeboat report`), for an auditor. */
  readonly reportFile?: string;
  readonly resources: {
    readonly sourceImages: number;
    /** Made by this demo's backup. */
    readonly recoveryPoints: number;
    /** Every recovery point of the plan in the recovery region, earlier runs' included (retention). */
    readonly recoveryPointsKept: number;
    readonly verifiedRecoveryPoints: number;
    readonly snapshots: number;
    readonly drillInstancesLaunched: number;
    readonly drillInstancesTornDown: number;
    readonly drillInstancesLeftRunning: number;
  };
}

/** `lifeboat demo`: backup then drill on the local sandbox, with a report. */
export async function demo(opts: DemoOptions, io: Io): Promise<ExitCode> {
  const command = 'lifeboat demo';
  const plan = await loadPlan(opts.plan ?? DEMO_PLAN, command);
  const dataDir = resolve(opts.dataDir ?? DEFAULT_SANDBOX_DATA_DIR);
  const s = io.errStyle;
  io.progress(`${s.bold('Lifeboat demo')}: plan ${JSON.stringify(plan.name)} (${opts.plan ?? DEMO_PLAN}) on the local sandbox`);
  io.progress(`  ${plan.primaryRegion} → ${plan.recoveryRegion}, ${plural(plan.workloads.length, 'workload')}, objectives RPO ${plan.objectives.rpoMinutes} min, RTO ${plan.objectives.rtoMinutes} min`);
  io.progress(`  data: ${dataDir} (task logs in lambda.log there); simulated time on a virtual clock`);

  const env = await startLocalLifeboat({ plan, dataDir, seed: opts.seed ?? '1' });
  try {
    const seeded = env.sandbox.ec2.region(plan.primaryRegion).instances({ state: 'running' }).length;
    io.progress(`  seeded ${plural(seeded, 'running instance')} in ${plan.primaryRegion}`);
    const backup = await runAndFollow(env, 'backup', io);
    if (backup.status !== 'SUCCEEDED') return finish(io, opts, report(env, plan, dataDir, [backup]), ExitCode.Failed);
    const drill = await runAndFollow(env, 'drill', io);
    const result = { ...report(env, plan, dataDir, [backup, drill]), reportFile: await writeRunReport(env, plan, drill, dataDir) };
    if (drill.status !== 'SUCCEEDED') return finish(io, opts, result, ExitCode.Failed);
    return finish(io, opts, result, !result.rpo.isMet || !result.rto.isMet ? ExitCode.ObjectiveMissed : ExitCode.Ok);
  } finally {
    await env.stop();
  }
}

async function runAndFollow(env: LocalLifeboat, kind: DemoRunKind, io: Io): Promise<DemoRun> {
  const region = env.regionOf(kind);
  const name = executionName(kind, new Date(env.sandbox.clock.now()), io.randomHex(2));
  io.progress('');
  io.progress(`${io.errStyle.bold(`▶ ${kind}`)} ${name} (${region})`);
  const executionArn = await env.start(kind, {}, name);
  const followed = await followExecution(env.sfn(region), executionArn, io, { command: 'lifeboat demo', region, intervalMilliseconds: 25 });
  const result = await env.result(executionArn);
  const timeline = toTimeline(result.events);
  if (followed.execution.status !== result.status) {
    throw new OperationError(`lifeboat demo: ${name} reported ${followed.execution.status} while following and ${result.status} at the end`);
  }
  return {
    kind,
    name,
    executionArn,
    status: result.status,
    simulatedSeconds: ((result.stopDate?.getTime() ?? result.startDate.getTime()) - result.startDate.getTime()) / 1000,
    timeline,
  };
}

/** Measures the report from the runs and from EC2 itself (the recovery region's images and instances). */
function report(env: LocalLifeboat, plan: Plan, dataDir: string, runs: DemoRun[]): DemoReport {
  const recovery = env.sandbox.ec2.region(plan.recoveryRegion);
  const primary = env.sandbox.ec2.region(plan.primaryRegion);
  const mine = (tags: Record<string, string>) => tags[TAG_KEYS.plan] === plan.name;
  const backupRun = runs.find((r) => r.kind === 'backup')!;
  const allPoints = recovery.images().filter((i) => mine(i.tags) && i.tags[TAG_KEYS.role] === ROLES.recoveryPoint);
  // This backup's recovery points; earlier runs' points (kept by retention) are counted apart.
  const points = allPoints.filter((i) => i.tags[TAG_KEYS.executionArn] === backupRun.executionArn);
  const drillRun = runs.find((r) => r.kind === 'drill');
  const drillInstances = drillRun
    ? recovery.instances().filter((i) => mine(i.tags) && i.tags[TAG_KEYS.role] === ROLES.drillInstance && i.tags[TAG_KEYS.executionArn] === drillRun.executionArn)
    : [];
  // Achieved RPO and RTO as the drill recorded them: the age of the oldest recovery point it
  // restored, at its start, and its start until the last wave was ready. Without a drill that
  // succeeded: the RPO the backup measured when it ended (its newest points' age).
  const drillOutput = drillRun ? lastOutput(env, drillRun) : undefined;
  const summary = drillRun?.status === 'SUCCEEDED' ? recoverySummaryOf(drillOutput) : undefined;
  const backupRpo = recoverySummaryOf(lastOutput(env, backupRun))?.rpo?.maxAgeSeconds;
  const rpoSeconds = summary?.achieved?.rpoSeconds ?? backupRpo ?? NaN;
  const rtoSeconds = summary?.achieved?.rtoSeconds ?? Number(drillOutput?.recoveryTimeSeconds ?? NaN);
  return {
    plan: plan.name,
    recoveryRegion: plan.recoveryRegion,
    dataDir,
    runs,
    rpo: { achievedSeconds: rpoSeconds, objectiveSeconds: plan.objectives.rpoMinutes * 60, isMet: rpoSeconds <= plan.objectives.rpoMinutes * 60 },
    rto: { achievedSeconds: rtoSeconds, objectiveSeconds: plan.objectives.rtoMinutes * 60, isMet: rtoSeconds <= plan.objectives.rtoMinutes * 60 },
    ...(summary === undefined ? {} : { recovery: summary }),
    resources: {
      sourceImages: primary.images().filter((i) => mine(i.tags) && i.tags[TAG_KEYS.role] === ROLES.sourceImage && i.tags[TAG_KEYS.executionArn] === backupRun.executionArn).length,
      recoveryPoints: points.length,
      recoveryPointsKept: allPoints.length,
      verifiedRecoveryPoints: points.filter((p) => p.tags[TAG_KEYS.verified] === 'true').length,
      snapshots: points.reduce((n, p) => n + p.blockDeviceMappings.length, 0),
      drillInstancesLaunched: drillInstances.length,
      drillInstancesTornDown: drillInstances.filter((i) => i.state === 'shutting-down' || i.state === 'terminated').length,
      drillInstancesLeftRunning: drillInstances.filter((i) => i.state === 'pending' || i.state === 'running').length,
    },
  };
}

/** Writes a run's HTML report (the one `lifeboat report` writes) under `<dataDir>/reports/`. */
async function writeRunReport(env: LocalLifeboat, plan: Plan, run: DemoRun, dataDir: string): Promise<string> {
  const region = env.regionOf(run.kind);
  const built = await reportOf(env.sfn(region), run.executionArn, plan, { command: 'lifeboat demo', region }, new Date(env.sandbox.clock.now()));
  return writeReportHtml(built, join(dataDir, 'reports', reportFileName(run.name)));
}

function lastOutput(env: LocalLifeboat, run: DemoRun): Record<string, unknown> | undefined {
  const execution = env.sandbox.sfn.getExecution(run.executionArn);
  return execution?.output ? (JSON.parse(execution.output) as Record<string, unknown>) : undefined;
}

function finish(io: Io, opts: DemoOptions, r: DemoReport, code: ExitCode): ExitCode {
  if (opts.json) {
    io.result(r);
    return code;
  }
  const st = io.style;
  const lines: string[] = ['', st.bold('Lifeboat demo report'), ''];
  for (const run of r.runs) {
    lines.push(renderTimeline(run.timeline, { name: `${run.kind}: ${run.name}`, arn: run.executionArn }, st, { isDebug: io.isDebug }));
    lines.push('');
  }
  const verdict = (isMet: boolean) => (isMet ? st.green('met') : st.red(st.bold('MISSED')));
  lines.push(st.bold('Objectives'));
  if (r.recovery !== undefined) {
    for (const line of renderRecoverySummary(r.recovery, st)) lines.push(`  ${line}`);
  } else if (Number.isFinite(r.rpo.achievedSeconds)) {
    lines.push(`  RPO  ${formatDuration(r.rpo.achievedSeconds).padEnd(8)} (age of the newest recovery point when the backup ended) against ${formatDuration(r.rpo.objectiveSeconds)}: ${verdict(r.rpo.isMet)}`);
  } else {
    lines.push(`  RPO  not measured: the backup did not finish`);
  }
  if (r.recovery?.achieved !== undefined) {
    // said above, per workload
  } else if (Number.isFinite(r.rto.achievedSeconds)) {
    lines.push(`  RTO  ${formatDuration(r.rto.achievedSeconds).padEnd(8)} achieved (drill start until every instance passed its status checks) against ${formatDuration(r.rto.objectiveSeconds)}: ${verdict(r.rto.isMet)}`);
  } else {
    lines.push(`  RTO  not measured: the drill did not finish`);
  }
  lines.push('');
  const x = r.resources;
  lines.push(st.bold('Resources'));
  lines.push(`  created   ${plural(x.sourceImages, 'source image')} (primary), ${plural(x.recoveryPoints, 'recovery point')} with ${plural(x.snapshots, 'encrypted snapshot')} (${x.verifiedRecoveryPoints} verified), ${plural(x.drillInstancesLaunched, 'drill instance')}`);
  lines.push(`  torn down ${plural(x.drillInstancesTornDown, 'drill instance')}; left running: ${x.drillInstancesLeftRunning}`);
  lines.push(`  kept      ${plural(x.recoveryPointsKept, 'recovery point')} in ${r.recoveryRegion} after retention (this run's and earlier runs')`);
  lines.push('');
  const planFile = opts.plan ?? DEMO_PLAN;
  const data = opts.dataDir ? ` --data ${opts.dataDir}` : '';
  if (code === ExitCode.ObjectiveMissed) {
    lines.push(st.red(st.bold(`OBJECTIVE MISSED: the drill succeeded, but ${[!r.rpo.isMet ? 'the RPO' : '', !r.rto.isMet ? 'the RTO' : ''].filter(Boolean).join(' and ')} is beyond the plan's objective (exit code 3).`)));
    lines.push('');
  }
  if (r.reportFile !== undefined) lines.push(`${st.bold('Drill report')} (HTML, for an auditor): ${r.reportFile}`, '');
  lines.push(`Runs are kept in ${r.dataDir}: try 'lifeboat list --local${data} --plan ${planFile}' or 'lifeboat history ${r.runs.at(-1)?.name ?? '<name>'} --local${data} --plan ${planFile}'.`);
  io.result(lines.join('\n'));
  return code;
}
