/**
 * The child executions of a run's Distributed Maps, rendered after the parent's timeline by
 * `lifeboat history`: per Map Run a table of its children (status, start, duration, events, what
 * each created), and the full timeline of every child that did not succeed.
 */
import type { Style } from '../io.js';
import type { MapRunNode } from '../run-tree.js';
import { toTimeline } from '../timeline.js';
import { formatClock, formatDuration, table } from './format.js';
import { renderTimeline } from './timeline.js';

/** Renders the Map Runs of a run (nothing when it had none). */
export function renderMapRuns(runs: readonly MapRunNode[], style: Style, indent = ''): string {
  const lines: string[] = [];
  for (const run of runs) {
    const counts = new Map<string, number>();
    for (const child of run.children) counts.set(child.status, (counts.get(child.status) ?? 0) + 1);
    const summary = [...counts.entries()].map(([status, n]) => `${n} ${status.toLowerCase()}`).join(', ');
    lines.push('');
    lines.push(`${indent}${style.bold(`map run${run.stateName ? ` '${run.stateName}'` : ''}`)}: ${run.children.length} child execution${run.children.length === 1 ? '' : 's'}${summary ? ` (${summary})` : ''}`);
    lines.push(`${indent}  ${style.dim(run.mapRunArn)}`);
    const rows: string[][] = [[style.bold('CHILD'), style.bold('STATUS'), style.bold('STARTED'), style.bold('DURATION'), style.bold('EVENTS'), style.bold('CREATED')]];
    const failed: string[] = [];
    for (const child of run.children) {
      const timeline = toTimeline(child.events);
      const status = child.status;
      const coloured = status === 'SUCCEEDED' ? style.green(status) : status === 'RUNNING' ? style.cyan(status) : style.red(status);
      rows.push([
        child.name,
        coloured,
        formatClock(timeline.startedAt),
        formatDuration(timeline.durationSeconds),
        String(timeline.eventCount),
        String(timeline.resources.created.length),
      ]);
      if (status !== 'SUCCEEDED' && status !== 'RUNNING') {
        failed.push(
          renderTimeline({ ...timeline, status: status as typeof timeline.status }, { name: child.name, arn: child.executionArn }, style)
            .split('\n')
            .map((l) => `${indent}    ${l}`)
            .join('\n'),
        );
      }
      if (child.mapRuns.length > 0) failed.push(renderMapRuns(child.mapRuns, style, `${indent}    `));
    }
    for (const row of table(rows)) lines.push(`${indent}  ${row}`);
    for (const block of failed) lines.push('', block);
  }
  return lines.join('\n');
}
