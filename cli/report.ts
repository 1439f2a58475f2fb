/**
 * The run report: what an auditor needs from one execution, gathered once and rendered as JSON
 * (`lifeboat report --json`) or as one self-contained HTML file (`cli/render/report-html.ts`).
 *
 * Everything comes from the execution itself (DescribeExecution and its history) and, when given,
 * the plan (objectives, workloads, waves): the same calls on AWS and on the sandbox.
 */
import type { DescribeExecutionCommandOutput, HistoryEvent } from '@aws-sdk/client-sfn';
import type { Plan } from '../schemas/plan.js';
import { type RunKind, kindFromName, parseStatesArn } from './machines.js';
import { type ObjectiveFigure, type WorkloadObjectives, measureObjectives, parseOutput } from './objectives.js';
import { errorAndCause } from './render/cause.js';
import { formatDuration } from './render/format.js';
import { type ResourceRef, type Timeline, type TimelineStep, runDurationSeconds, toTimeline } from './timeline.js';

/** The one-word outcome of a run. */
export type Verdict = 'met' | 'missed' | 'failed' | 'running' | 'unknown';

/** One bar of the timeline chart: a visit of a state. */
export interface ChartBar {
  readonly start: string;
  readonly end: string;
  readonly status: TimelineStep['status'];
  readonly attempts: number;
}

/** One row of the timeline chart: a state in one scope (top level or a Map iteration), up to a redrive. */
export interface ChartRow {
  readonly label: string;
  readonly name: string;
  readonly type: string;
  /** The Map iteration, e.g. `Launch waves #1` (waves are the iterations of the launch Map). */
  readonly iteration?: string;
  readonly redrive?: number;
  readonly bars: readonly ChartBar[];
  /** Errors met (each failed attempt): when, and what. */
  readonly errors: readonly { readonly at: string; readonly text: string; readonly isRetried: boolean }[];
}

/** What `lifeboat report` reports. */
export interface RunReport {
  readonly executionArn: string;
  readonly name: string;
  readonly kind?: RunKind;
  readonly plan?: { readonly name: string; readonly primaryRegion: string; readonly recoveryRegion: string; readonly rpoMinutes: number; readonly rtoMinutes: number };
  readonly region: string;
  readonly status: string;
  readonly startedAt?: string;
  readonly stoppedAt?: string;
  readonly durationSeconds?: number;
  readonly redriveCount: number;
  readonly verdict: Verdict;
  /** Why, in plain words. */
  readonly reasons: readonly string[];
  readonly error?: string;
  readonly cause?: string;
  readonly rpo?: ObjectiveFigure;
  readonly rto?: ObjectiveFigure;
  readonly workloads: readonly WorkloadObjectives[];
  readonly chart: { readonly start?: string; readonly end?: string; readonly rows: readonly ChartRow[]; readonly omittedRows: number };
  readonly resources: {
    readonly created: readonly ResourceRef[];
    readonly removed: readonly ResourceRef[];
    /** Instances this run launched and did not terminate (a drill should leave none). */
    readonly instancesLeft: readonly string[];
  };
  readonly output?: unknown;
  readonly generatedAt: string;
}

/** At most this many chart rows; more (a Map over thousands of workloads) are counted, not drawn. */
const MAX_ROWS = 300;

function iterationLabel(step: TimelineStep): string | undefined {
  return step.iteration === undefined ? undefined : `${step.iteration.map} #${step.iteration.index}`;
}

function chartRows(timeline: Timeline): { rows: ChartRow[]; omitted: number } {
  const rows = new Map<string, { row: ChartRow; bars: ChartBar[]; errors: ChartRow['errors'][number][] }>();
  const end = timeline.stoppedAt ?? timeline.steps.reduce((max, s) => (s.exitedAt !== undefined && s.exitedAt > max ? s.exitedAt : max), timeline.startedAt ?? '');
  for (const step of timeline.steps) {
    if (step.type === 'Choice' || step.type === 'Pass') continue; // instantaneous: nothing to see on a time axis
    const iteration = iterationLabel(step);
    const redrive = timeline.redrives.filter((r) => (r.eventId ?? 0) < (step.enteredEventId ?? 0)).length;
    const key = `${step.name}\u0000${iteration ?? ''}\u0000${redrive}`;
    let entry = rows.get(key);
    if (entry === undefined) {
      const bars: ChartBar[] = [];
      const errors: ChartRow['errors'][number][] = [];
      const label = `${step.name}${iteration === undefined ? '' : ` · ${iteration}`}${redrive > 0 ? ` · redrive ${redrive}` : ''}`;
      entry = { row: { label, name: step.name, type: step.type, ...(iteration === undefined ? {} : { iteration }), ...(redrive > 0 ? { redrive } : {}), bars, errors }, bars, errors };
      rows.set(key, entry);
    }
    const stepEnd = step.exitedAt ?? new Date(Date.parse(step.enteredAt) + (step.durationSeconds ?? 0) * 1000).toISOString();
    entry.bars.push({ start: step.enteredAt, end: stepEnd > end && end !== '' ? end : stepEnd, status: step.status, attempts: step.attempts });
    step.errors.forEach((error, i) => entry!.errors.push({ at: error.at, text: errorAndCause(error.error, error.cause, { max: 300 }), isRetried: i < step.attempts - 1 }));
  }
  const all = [...rows.values()].map((e) => e.row);
  return { rows: all.slice(0, MAX_ROWS), omitted: Math.max(0, all.length - MAX_ROWS) };
}

function describeFigure(what: 'RPO' | 'RTO', figure: ObjectiveFigure, workload?: string): string {
  const who = workload === undefined ? '' : ` for ${workload}`;
  if (figure.achievedSeconds === undefined) return `${what}${who}: ${figure.basis}`;
  return `${what}${who} ${formatDuration(figure.achievedSeconds)} against an objective of ${formatDuration(figure.objectiveSeconds)}`;
}

/** The verdict and its reasons. */
function judge(report: Omit<RunReport, 'verdict' | 'reasons'>, timeline: Timeline): { verdict: Verdict; reasons: string[] } {
  const reasons: string[] = [];
  if (report.status === 'RUNNING') return { verdict: 'running', reasons: ['the run has not ended yet: this report is a snapshot'] };
  if (report.status !== 'SUCCEEDED') {
    const failedStep = [...timeline.steps].reverse().find((s) => s.status === 'failed' && s.type !== 'Fail') ?? [...timeline.steps].reverse().find((s) => s.status === 'caught');
    // A run stopped by a decision rather than a failed task (pre-flight's blocking findings, a
    // rejected approval) names its step in the recorded cause: `step "<name>" failed with …`.
    const stepName = failedStep?.name ?? /\bstep "([^"]+)" failed\b/.exec(report.cause ?? '')?.[1];
    reasons.push(`the run ${report.status}${stepName ? ` in step "${stepName}"` : ''}${report.error ? ` with ${report.error}` : ''}`);
    if (report.cause) reasons.push(errorAndCause(report.error, report.cause, { max: 600 }));
    if (report.resources.instancesLeft.length > 0) reasons.push(`instances left running: ${report.resources.instancesLeft.join(', ')}`);
    return { verdict: 'failed', reasons };
  }
  const figures: { what: 'RPO' | 'RTO'; figure: ObjectiveFigure; workload?: string }[] = [];
  for (const w of report.workloads) {
    figures.push({ what: 'RPO', figure: w.rpo, workload: w.workload });
    if (w.rto) figures.push({ what: 'RTO', figure: w.rto, workload: w.workload });
  }
  if (figures.length === 0) {
    if (report.rpo) figures.push({ what: 'RPO', figure: report.rpo });
    if (report.rto) figures.push({ what: 'RTO', figure: report.rto });
  }
  const missed = figures.filter((f) => f.figure.status === 'missed');
  if (report.resources.instancesLeft.length > 0) reasons.push(`instances left running after the run: ${report.resources.instancesLeft.join(', ')}`);
  if (missed.length > 0) {
    for (const f of missed) reasons.push(`${describeFigure(f.what, f.figure, f.workload)}: missed`);
    return { verdict: 'missed', reasons };
  }
  const known = figures.filter((f) => f.figure.status === 'met');
  if (known.length === 0) {
    reasons.push(report.plan === undefined ? 'the run SUCCEEDED; its objectives are not known (pass --plan FILE to judge RPO and RTO)' : 'the run SUCCEEDED but recorded no RPO or RTO to judge');
    return { verdict: 'unknown', reasons };
  }
  reasons.unshift(`the run SUCCEEDED and every objective was met (${known.length} ${known.length === 1 ? 'figure' : 'figures'})`);
  const worst = (what: 'RPO' | 'RTO') => known.filter((f) => f.what === what).sort((a, b) => (b.figure.achievedSeconds ?? 0) / (b.figure.objectiveSeconds ?? 1) - (a.figure.achievedSeconds ?? 0) / (a.figure.objectiveSeconds ?? 1))[0];
  for (const what of ['RPO', 'RTO'] as const) {
    const f = worst(what);
    if (f) reasons.push(`closest to its objective: ${describeFigure(what, f.figure, f.workload)}`);
  }
  return { verdict: 'met', reasons };
}

/**
 * Builds the report of one execution.
 *
 * @param description DescribeExecution's answer
 * @param events the whole history
 * @param plan the plan, when known (objectives, regions)
 * @param now when the report is made
 */
export function buildReport(description: DescribeExecutionCommandOutput, events: readonly HistoryEvent[], plan: Plan | undefined, now: Date): RunReport {
  const timeline = toTimeline(events);
  const arn = description.executionArn ?? '';
  const parsed = parseStatesArn(arn);
  const name = description.name ?? parsed?.executionName ?? arn;
  const kind = kindFromName(parsed?.stateMachineName ?? name) ?? kindFromName(name);
  const status = description.status ?? timeline.status;
  const output = parseOutput(description.output);
  const objectives = measureObjectives(kind, output, description, plan?.objectives);
  const { rows, omitted } = chartRows(timeline);
  const removedIds = new Set(timeline.resources.removed.map((r) => r.id));
  const instancesLeft = timeline.resources.created.filter((r) => r.kind === 'instance' && !removedIds.has(r.id)).map((r) => r.id);
  const error = description.error ?? timeline.error;
  const cause = description.cause ?? timeline.cause;
  const durationSeconds = runDurationSeconds({ ...description, status }, now) ?? timeline.durationSeconds;
  const base = {
    executionArn: arn,
    name,
    ...(kind === undefined ? {} : { kind }),
    ...(plan === undefined
      ? {}
      : { plan: { name: plan.name, primaryRegion: plan.primaryRegion, recoveryRegion: plan.recoveryRegion, rpoMinutes: plan.objectives.rpoMinutes, rtoMinutes: plan.objectives.rtoMinutes } }),
    region: parsed?.region ?? '',
    status,
    ...(timeline.startedAt ?? description.startDate ? { startedAt: timeline.startedAt ?? description.startDate!.toISOString() } : {}),
    ...(timeline.stoppedAt ?? description.stopDate ? { stoppedAt: timeline.stoppedAt ?? description.stopDate!.toISOString() } : {}),
    ...(durationSeconds === undefined ? {} : { durationSeconds }),
    redriveCount: description.redriveCount ?? timeline.redriveCount,
    ...(error === undefined ? {} : { error }),
    ...(cause === undefined ? {} : { cause }),
    ...(objectives.rpo === undefined ? {} : { rpo: objectives.rpo }),
    ...(objectives.rto === undefined ? {} : { rto: objectives.rto }),
    workloads: objectives.workloads,
    chart: {
      ...(timeline.startedAt === undefined ? {} : { start: timeline.startedAt }),
      ...((timeline.stoppedAt ?? description.stopDate?.toISOString()) === undefined ? {} : { end: timeline.stoppedAt ?? description.stopDate!.toISOString() }),
      rows,
      omittedRows: omitted,
    },
    resources: { created: timeline.resources.created, removed: timeline.resources.removed, instancesLeft },
    ...(output === undefined ? {} : { output }),
    generatedAt: now.toISOString(),
  };
  return { ...base, ...judge(base, timeline) };
}
