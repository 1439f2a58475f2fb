/**
 * Progress of a running execution, on stderr: one line when a task starts, retries, fails or
 * finishes, and on a TTY a live status line. Built on {@link toTimeline}, so `--follow` and
 * `lifeboat history` tell the same story.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { Io } from '../io.js';
import { type Timeline, type TimelineStep, toTimeline } from '../timeline.js';
import { formatDuration, oneLine } from './format.js';

/** State types worth a progress line; Pass, Choice and Wait only show in the live status line. */
const SHOWN = new Set(['Task', 'Map', 'Parallel', 'Fail', 'Succeed']);

interface Printed {
  /** A later visit of a state already shown (a polling loop): only problems are printed. */
  isRepeat: boolean;
  isEntered: boolean;
  attempts: number;
  errors: number;
  isDone: boolean;
}

/** What makes two visits "the same state": its name and Map iteration. */
function visitKey(step: TimelineStep): string {
  return step.iteration === undefined ? step.name : `${step.name}\u0000${step.iteration.map}\u0000${step.iteration.index}`;
}

/**
 * Prints progress lines for the parts of a history not printed yet. A state visited again (a
 * polling loop) is printed only when it retries, fails or creates something.
 */
export class ProgressPrinter {
  private readonly printed: Printed[] = [];
  private readonly visited = new Set<string>();
  private redrives = 0;

  constructor(private readonly io: Io) {}

  /**
   * Marks everything in `events` as already shown (used before following a redrive, so only what
   * happens next is printed).
   */
  skip(events: readonly HistoryEvent[]): Timeline {
    const timeline = toTimeline(events);
    timeline.steps.forEach((step, i) => {
      // Not added to `visited`: after a redrive, the states it runs again are shown again.
      this.printed[i] = { isRepeat: true, isEntered: true, attempts: step.attempts, errors: step.errors.length, isDone: step.status !== 'running' };
    });
    this.redrives = timeline.redrives.length;
    return timeline;
  }

  /** Prints what changed since the last call, given every event so far; returns the timeline. */
  update(events: readonly HistoryEvent[]): Timeline {
    const timeline = toTimeline(events);
    const { io } = this;
    const s = io.errStyle;
    for (const redrive of timeline.redrives.slice(this.redrives)) {
      io.progress(`${s.cyan('↻')} redriven (redrive ${redrive.redriveCount}) after ${redrive.previousStatus}${redrive.previousError ? ` with ${redrive.previousError}` : ''}`);
    }
    this.redrives = timeline.redrives.length;
    timeline.steps.forEach((step, i) => {
      if (this.printed[i] === undefined) {
        const key = visitKey(step);
        this.printed[i] = { isRepeat: this.visited.has(key), isEntered: false, attempts: 0, errors: 0, isDone: false };
        this.visited.add(key);
      }
      const printed = this.printed[i];
      if (!SHOWN.has(step.type)) return;
      const where = step.iteration === undefined ? '' : s.dim(` [${step.iteration.map} #${step.iteration.index}]`);
      const name = `${step.name}${where}`;
      if (!printed.isEntered) {
        printed.isEntered = true;
        if (step.type !== 'Fail' && step.type !== 'Succeed' && !printed.isRepeat) io.progress(`${s.dim('→')} ${name}`);
      }
      for (const error of step.errors.slice(printed.errors)) {
        io.progress(`  ${s.yellow('!')} ${name}: ${error.error ?? 'error'}${error.cause ? `: ${oneLine(error.cause)}` : ''}`);
      }
      printed.errors = step.errors.length;
      if (step.attempts > Math.max(printed.attempts, 1)) {
        io.progress(`  ${s.cyan('↻')} ${name}: attempt ${step.attempts}`);
      }
      printed.attempts = Math.max(printed.attempts, step.attempts);
      if (!printed.isDone && step.status !== 'running') {
        printed.isDone = true;
        const took = formatDuration(step.durationSeconds);
        const created = step.created.length > 0 ? s.dim(` created ${step.created.join(', ')}`) : '';
        const removed = step.removed.length > 0 ? s.dim(` removed ${step.removed.join(', ')}`) : '';
        if (step.status === 'succeeded') {
          if (!printed.isRepeat || step.created.length > 0 || step.removed.length > 0) io.progress(`${s.green('✓')} ${name} ${s.dim(took)}${created}${removed}`);
        } else if (step.status === 'caught') io.progress(`${s.yellow('✗')} ${name} ${s.dim(took)} failed, caught: ${step.errors.at(-1)?.error ?? 'error'}`);
        else if (step.status === 'failed') io.progress(`${s.red('✗')} ${name} ${s.dim(took)} failed`);
        else io.progress(`${s.red('■')} ${name} ${s.dim(took)} stopped`);
      }
    });
    const current = [...timeline.steps].reverse().find((step) => step.status === 'running');
    io.status(`${s.cyan('…')} ${timeline.status.toLowerCase()} ${formatDuration(timeline.durationSeconds)}${current ? ` · ${current.name}` : ''}`);
    return timeline;
  }
}
