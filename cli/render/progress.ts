/**
 * Progress of a running execution, on stderr: one line when a step starts, meets an error, and
 * ends, and on a TTY a live status line. Built on {@link toTimeline}, so `--follow` and
 * `lifeboat history` tell the same story.
 *
 * Lines come out in the order of the history events they describe, whatever the polling interval:
 * a Map's "✓" comes after its iterations' lines. A polling loop (the same state visited again in
 * the same scope, e.g. "Copy images" → "Copies available?" → "Wait for copies" → "Copy images")
 * gets one "→" and one "✓" after its last pass, labelled with the number of polls.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { Io } from '../io.js';
import { type Timeline, type TimelineStep, redriveSegment, toTimeline } from '../timeline.js';
import { errorAndCause } from './cause.js';
import { formatDuration, plural } from './format.js';

/** State types worth a progress line; Pass, Choice and Wait only show in the live status line. */
const SHOWN = new Set(['Task', 'Map', 'Parallel', 'Fail', 'Succeed']);

/** One progress line, placed by the history event it reports. */
interface Line {
  /** Identifies the line across updates, so it is printed once. */
  readonly id: string;
  /** The event it reports (fractions order lines reporting the same event). */
  readonly order: number;
  readonly text: string;
}

/** The scope a visit runs in: top level or one Map iteration. */
function scopeKey(step: TimelineStep): string {
  return step.iteration === undefined ? '' : `${step.iteration.map}\u0000${step.iteration.index}`;
}

/**
 * The visits of one state in one scope, between redrives: a single visit, or the passes of a
 * polling loop.
 */
export interface VisitGroup {
  readonly name: string;
  readonly type: string;
  readonly visits: TimelineStep[];
  /** True once the loop is over: a later state ran in the same scope, the scope ended, or the run did. */
  isOver: boolean;
}

/**
 * Groups a timeline's steps into {@link VisitGroup}s, in order of their first visit. A visit
 * joins the group of the same state in the same scope unless another shown state ran in between
 * (then the loop was over) or a redrive resumed it.
 */
export function visitGroups(timeline: Timeline): VisitGroup[] {
  const groups: VisitGroup[] = [];
  const open = new Map<string, VisitGroup>();
  const lastInScope = new Map<string, VisitGroup>();
  for (const step of timeline.steps) {
    if (!SHOWN.has(step.type)) continue;
    const scope = scopeKey(step);
    const key = `${scope}\u0001${step.name}\u0001${redriveSegment(timeline, step)}`;
    let group = open.get(key);
    if (group === undefined || group.isOver || lastInScope.get(scope) !== group) {
      if (group !== undefined) group.isOver = true;
      group = { name: step.name, type: step.type, visits: [], isOver: false };
      groups.push(group);
      open.set(key, group);
    }
    const previous = lastInScope.get(scope);
    if (previous !== undefined && previous !== group) previous.isOver = true;
    lastInScope.set(scope, group);
    group.visits.push(step);
  }
  const isRunning = timeline.status === 'RUNNING';
  for (const group of groups) {
    const last = group.visits[group.visits.length - 1];
    if (!isRunning || last.status === 'failed' || last.status === 'caught' || last.status === 'stopped') group.isOver = true;
    // The scope ended: the Map that ran the iteration was exited after this visit.
    if (last.iteration !== undefined && !group.isOver) {
      const map = timeline.steps.find(
        (s) => s.type === 'Map' && s.name === last.iteration!.map && s.status !== 'running' && (s.exitedEventId ?? 0) > (last.exitedEventId ?? Infinity),
      );
      if (map !== undefined) group.isOver = true;
    }
    // Fail and Succeed states, and the visits of any state that are not a loop, end with their exit.
    if (last.status !== 'running' && (group.type === 'Fail' || group.type === 'Succeed' || group.type === 'Map' || group.type === 'Parallel')) group.isOver = true;
  }
  return groups;
}

/** "polled 19 times" for a loop of task visits, "2 passes" for other states. */
export function passesLabel(type: string, count: number): string {
  if (count <= 1) return '';
  return type === 'Task' ? `polled ${count} times` : plural(count, 'pass', 'passes');
}

/**
 * Prints progress lines for the parts of a history not printed yet. A polling loop is shown as
 * one step: "→" on its first pass, "✓" after its last, with the number of polls.
 */
export class ProgressPrinter {
  private readonly printed = new Set<string>();
  private redrives = 0;
  private skipUpTo = 0;

  constructor(private readonly io: Io) {}

  /**
   * Marks everything in `events` as already shown (used before following a redrive, so only what
   * happens next is printed).
   */
  skip(events: readonly HistoryEvent[]): Timeline {
    const timeline = toTimeline(events);
    this.skipUpTo = events.reduce((max, event) => Math.max(max, event.id ?? 0), this.skipUpTo);
    for (const line of this.lines(timeline)) this.printed.add(line.id);
    this.redrives = timeline.redrives.length;
    return timeline;
  }

  /** Prints what changed since the last call, given every event so far; returns the timeline. */
  update(events: readonly HistoryEvent[]): Timeline {
    const timeline = toTimeline(events);
    const { io } = this;
    const s = io.errStyle;
    const lines = this.lines(timeline).filter((line) => !this.printed.has(line.id));
    for (const redrive of timeline.redrives.slice(this.redrives)) {
      lines.push({
        id: `redrive:${redrive.redriveCount}`,
        order: redrive.eventId ?? 0,
        text: `${s.cyan('↻')} redriven (redrive ${redrive.redriveCount}) after ${redrive.previousStatus}${redrive.previousError ? ` with ${redrive.previousError}` : ''}`,
      });
    }
    this.redrives = timeline.redrives.length;
    lines.sort((a, b) => a.order - b.order);
    for (const line of lines) {
      this.printed.add(line.id);
      io.progress(line.text);
    }
    const current = [...timeline.steps].reverse().find((step) => step.status === 'running');
    io.status(`${s.cyan('…')} ${timeline.status.toLowerCase()} ${formatDuration(timeline.durationSeconds)}${current ? ` · ${current.name}` : ''}`);
    return timeline;
  }

  /** Every line the timeline calls for so far (printed or not), each placed by its event. */
  private lines(timeline: Timeline): Line[] {
    const s = this.io.errStyle;
    const isDebug = this.io.isDebug === true;
    const lines: Line[] = [];
    for (const group of visitGroups(timeline)) {
      const first = group.visits[0];
      const last = group.visits[group.visits.length - 1];
      const where = first.iteration === undefined ? '' : s.dim(` [${first.iteration.map} #${first.iteration.index}]`);
      const name = `${group.name}${where}`;
      const key = `${group.name}\u0000${scopeKey(first)}\u0000${first.enteredEventId ?? first.enteredAt}`;
      const resumed = first.redrive === undefined ? '' : s.dim(` (redrive ${first.redrive})`);
      if (group.type !== 'Fail' && group.type !== 'Succeed') {
        lines.push({ id: `enter:${key}`, order: first.enteredEventId ?? 0, text: `${s.dim('→')} ${name}${resumed}` });
      }
      for (const visit of group.visits) {
        visit.errors.forEach((error, i) => {
          const isRetried = i < visit.attempts - 1;
          lines.push({
            id: `error:${key}:${error.eventId ?? error.at}:${i}`,
            order: (error.eventId ?? 0) + 0.1,
            text: `  ${s.yellow('!')} ${name}: ${errorAndCause(error.error, error.cause, { isDebug })}${isRetried ? s.dim(` (retry ${i + 1})`) : ''}`,
          });
        });
      }
      if (!group.isOver || last.status === 'running') continue;
      const end = last.exitedEventId ?? 0;
      const endMs = last.exitedAt !== undefined ? Date.parse(last.exitedAt) : Date.parse(last.enteredAt) + (last.durationSeconds ?? 0) * 1000;
      const took = formatDuration(Math.max(0, endMs - Date.parse(first.enteredAt)) / 1000);
      const polls = passesLabel(group.type, group.visits.length);
      const created = group.visits.flatMap((v) => v.created);
      const removed = group.visits.flatMap((v) => v.removed);
      const notes = [polls, created.length > 0 ? `created ${created.join(', ')}` : '', removed.length > 0 ? `removed ${removed.join(', ')}` : '']
        .filter((n) => n !== '')
        .map((n) => s.dim(n));
      const tail = [s.dim(took), ...notes].join(' ');
      let text: string;
      if (last.status === 'succeeded') text = `${s.green('✓')} ${name} ${tail}`;
      else if (last.status === 'caught') text = `${s.yellow('✗')} ${name} ${tail} failed, caught: ${last.errors.at(-1)?.error ?? 'error'}`;
      else if (last.status === 'failed') text = `${s.red('✗')} ${name} ${tail} failed`;
      else text = `${s.red('■')} ${name} ${tail} stopped`;
      lines.push({ id: `done:${key}:${end}`, order: end + 0.2, text });
    }
    return lines.filter((line) => line.order > this.skipUpTo);
  }
}
