/**
 * The text rendering of a {@link Timeline} for `lifeboat history` and the demo report.
 */
import type { Style } from '../io.js';
import { type Timeline, type TimelineStep, redriveSegment } from '../timeline.js';
import { errorAndCause, readableCause } from './cause.js';
import { formatClock, formatDuration, formatTime, oneLine, table } from './format.js';

/** What the header says about the execution. */
export interface ExecutionLabel {
  /** The execution's name. */
  readonly name: string;
  /** Its ARN. */
  readonly arn?: string;
}

/** The visits of one state, folded together (a polling loop or a Map's iterations), up to a redrive. */
interface StepGroup {
  readonly name: string;
  readonly type: string;
  /** The redrive that ran these visits (absent: the first attempt). */
  readonly redrive?: number;
  readonly steps: TimelineStep[];
}

/**
 * Folds the visits of each state into one group; a redrive starts new groups, so a step that
 * failed the run keeps its own "failed" row and what the redrive did there gets another.
 */
export function groupSteps(timeline: Pick<Timeline, 'steps' | 'redrives'>): StepGroup[] {
  const groups = new Map<string, StepGroup>();
  for (const step of timeline.steps) {
    const redrive = redriveSegment(timeline, step);
    const key = `${step.name}\u0000${redrive}`;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { name: step.name, type: step.type, ...(redrive === 0 ? {} : { redrive }), steps: [] }));
    group.steps.push(step);
  }
  return [...groups.values()];
}

/**
 * What a group of visits was: "polled 19 times" (a task's polling loop), "3 passes" (another
 * state's), "in 2 iterations" (a Map's), "redrive 1"; empty for a single visit.
 */
export function visitsLabel(group: StepGroup): string {
  const iterations = new Set(group.steps.filter((s) => s.iteration !== undefined).map((s) => `${s.iteration!.map}\u0000${s.iteration!.index}`)).size;
  const visits = group.steps.length;
  const parts: string[] = [];
  if (visits > Math.max(iterations, 1)) parts.push(group.type === 'Task' ? `polled ${visits} times` : `${visits} passes`);
  if (iterations > 1) parts.push(`in ${iterations} iterations`);
  if (group.redrive !== undefined) parts.push(`redrive ${group.redrive}`);
  return parts.join(' ');
}

function colourStatus(status: string, style: Style): string {
  if (status === 'SUCCEEDED' || status === 'ok') return style.green(status);
  if (status === 'RUNNING' || status === 'running') return style.cyan(status);
  if (status === 'caught') return style.yellow(status);
  return style.red(status);
}

const RESULT: Readonly<Record<TimelineStep['status'], string>> = {
  succeeded: 'ok',
  caught: 'caught',
  failed: 'failed',
  running: 'running',
  stopped: 'stopped',
};

/**
 * Renders a timeline: a header (status, start, duration, error and cause), one row per state
 * (visits of the same state folded into one row, `×N`) with start, total duration, retries and
 * result, each state's errors beneath it, then the resources created and removed.
 */
export function renderTimeline(timeline: Timeline, label: ExecutionLabel, style: Style, options: { maxErrorsPerStep?: number; isDebug?: boolean } = {}): string {
  const maxErrors = options.maxErrorsPerStep ?? 5;
  const isDebug = options.isDebug === true;
  const lines: string[] = [];
  lines.push(`${style.bold(label.name)}  ${colourStatus(timeline.status, style)}`);
  if (label.arn) lines.push(`  ${style.dim(label.arn)}`);
  lines.push(`  started   ${formatTime(timeline.startedAt)}`);
  if (timeline.stoppedAt) lines.push(`  stopped   ${formatTime(timeline.stoppedAt)}`);
  lines.push(`  duration  ${formatDuration(timeline.durationSeconds)}${timeline.status === 'RUNNING' ? ' so far' : ''}`);
  for (const redrive of timeline.redrives) {
    lines.push(`  redriven  ${formatTime(redrive.at)} (redrive ${redrive.redriveCount}, after ${redrive.previousStatus}${redrive.previousError ? ` with ${redrive.previousError}` : ''})`);
  }
  if (timeline.error) lines.push(`  error     ${style.red(timeline.error)}`);
  if (timeline.cause) lines.push(`  cause     ${isDebug ? timeline.cause : oneLine(readableCause(timeline.cause), 4000)}`);
  lines.push('');

  const rows: string[][] = [[style.bold('STEP'), style.bold('STARTED'), style.bold('DURATION'), style.bold('RETRIES'), style.bold('RESULT')]];
  const details: Map<number, string[]> = new Map();
  for (const group of groupSteps(timeline)) {
    const first = group.steps[0];
    const last = group.steps[group.steps.length - 1];
    const total = group.steps.reduce((sum, step) => sum + (step.durationSeconds ?? 0), 0);
    const retries = group.steps.reduce((sum, step) => sum + step.retries, 0);
    const visits = visitsLabel(group);
    const count = visits === '' ? '' : style.dim(` (${visits})`);
    rows.push([`${group.name}${count}`, formatClock(first.enteredAt), formatDuration(total), String(retries), colourStatus(RESULT[last.status], style)]);
    const notes: string[] = [];
    const errors = group.steps.flatMap((step) => step.errors);
    for (const error of errors.slice(0, maxErrors)) {
      notes.push(`    ${style.yellow('!')} ${formatClock(error.at)} ${errorAndCause(error.error, error.cause, { isDebug })}`);
    }
    if (errors.length > maxErrors) notes.push(`    ${style.dim(`… and ${errors.length - maxErrors} more (see --json)`)}`);
    const created = group.steps.flatMap((step) => step.created);
    const removed = group.steps.flatMap((step) => step.removed);
    if (created.length > 0) notes.push(`    ${style.green('+')} ${created.join(', ')}`);
    if (removed.length > 0) notes.push(`    ${style.red('-')} ${removed.join(', ')}`);
    if (notes.length > 0) details.set(rows.length - 1, notes);
  }
  table(rows).forEach((row, i) => {
    lines.push(`  ${row}`);
    for (const note of details.get(i) ?? []) lines.push(note);
  });

  const { created, removed } = timeline.resources;
  lines.push('');
  lines.push(`resources created (${created.length})${created.length > 0 ? ':' : ''}`);
  for (const resource of created) lines.push(`  ${resource.id}  ${style.dim(`${resource.kind}, by ${resource.step}`)}`);
  if (removed.length > 0) {
    lines.push(`resources removed (${removed.length}):`);
    for (const resource of removed) lines.push(`  ${resource.id}  ${style.dim(`${resource.kind}, by ${resource.step}`)}`);
  }
  return lines.join('\n');
}
