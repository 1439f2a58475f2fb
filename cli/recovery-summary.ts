/**
 * What a run's output says about the RPO and RTO (docs/contracts.md, "Recovery sets, and what RPO
 * means"): the recovery sets a failover or drill restored and what it achieved against the plan's
 * objectives, or the RPO a backup left behind. Read from the execution's output, so that `lifeboat
 * history`, `--follow` and the demo need nothing but Step Functions. Pure: no AWS calls.
 *
 * How it differs from `objectives.ts` (`measureObjectives`, for `report` and `history --json`):
 * this relays the run's own verdict as recorded, for people and for the exit code
 * (`isObjectiveMissed`). It keeps `achieved` only when it has a boolean `isRpoMet` and `rpo` only
 * when it has a boolean `isWithinObjective`, whatever the run's kind, and never measures anything
 * itself: no fallback for older outputs, no plan objectives, no per-workload breakdown beyond the
 * recorded groups. `measureObjectives` does all of those, so the two are kept apart on purpose.
 */
import type { Style } from './io.js';
import { formatDuration, formatTime } from './render/format.js';

/** A recovery set a failover or drill restored. */
export interface RestoredSet {
  readonly executionArn: string;
  readonly recoveryPointTime: string;
  readonly isComplete: boolean;
  readonly workloads: readonly string[];
  /** A distributed run: how many workloads (`workloads` names the first few when the run bucket was not read). */
  readonly workloadCount?: number;
}

/** Workloads that share their achieved RPO and RTO. */
export interface AchievedGroup {
  readonly workloads: readonly string[];
  /** A distributed run: how many workloads (`workloads` names the first few when the run bucket was not read). */
  readonly workloadCount?: number;
  readonly executionArn: string;
  readonly recoveryPointTime: string;
  readonly rpoSeconds: number;
  readonly rtoSeconds: number | null;
}

/** What a failover or drill achieved (the `achieved` of its output). */
export interface Achieved {
  readonly rpoSeconds: number | null;
  readonly rtoSeconds: number | null;
  readonly rpoObjectiveSeconds: number;
  readonly rtoObjectiveSeconds: number;
  readonly isRpoMet: boolean;
  readonly isRtoMet: boolean;
  readonly groups: readonly AchievedGroup[];
}

/** The RPO as a backup measured it when it ended (the `rpo` of its output). */
export interface BackupRpo {
  readonly maxAgeSeconds: number | null;
  readonly objectiveSeconds: number;
  readonly isWithinObjective: boolean;
  readonly missing: readonly string[];
  /** How many workloads have no recovery point (`missing` names the first few when the report was cut). */
  readonly missingCount?: number;
}

/** A run's RPO/RTO summary; fields absent when the output has none (a failed run, an older Lifeboat). */
export interface RecoverySummary {
  readonly sets?: readonly RestoredSet[];
  readonly achieved?: Achieved;
  readonly rpo?: BackupRpo;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The summary in an execution's output (a JSON string as DescribeExecution returns it, or the
 * parsed value); undefined when it has none.
 */
export function recoverySummaryOf(output: unknown): RecoverySummary | undefined {
  let value = output;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  }
  if (!isObject(value)) return undefined;
  const summary: { sets?: RestoredSet[]; achieved?: Achieved; rpo?: BackupRpo } = {};
  if (Array.isArray(value.sets)) summary.sets = value.sets.filter(isObject) as unknown as RestoredSet[];
  if (isObject(value.achieved) && typeof value.achieved.isRpoMet === 'boolean') summary.achieved = value.achieved as unknown as Achieved;
  if (isObject(value.rpo) && typeof value.rpo.isWithinObjective === 'boolean') summary.rpo = value.rpo as unknown as BackupRpo;
  return Object.keys(summary).length > 0 ? summary : undefined;
}

/** True when a failover or drill achieved its run but missed its RPO or RTO objective. */
export function isObjectiveMissed(summary: RecoverySummary | undefined): boolean {
  return summary?.achieved !== undefined && (!summary.achieved.isRpoMet || !summary.achieved.isRtoMet);
}

/** The execution name at the end of an execution ARN (`backup-20261125T103000Z-3fa1`). */
function runName(executionArn: string): string {
  return executionArn.split(':').at(-1) ?? executionArn;
}

/** A list of workloads, with "and N more" when the output names only the first of `count`. */
function workloadList(workloads: readonly string[], count: number | undefined): string {
  const more = count !== undefined && count > workloads.length ? ` and ${(count - workloads.length).toLocaleString('en-US')} more` : '';
  return `${workloads.join(', ')}${more}`;
}

/**
 * The summary as lines for people: the sets restored, then RPO and RTO against the objectives
 * with `met` or `MISSED`, then each workload's (a failover or drill); or a backup's RPO.
 */
export function renderRecoverySummary(summary: RecoverySummary, style: Style): string[] {
  const lines: string[] = [];
  const verdict = (isMet: boolean) => (isMet ? style.green('met') : style.red(style.bold('MISSED')));
  if (summary.sets !== undefined && summary.sets.length > 0) {
    lines.push('restored from');
    for (const set of summary.sets) {
      const note = set.isComplete ? '' : style.yellow(' (not a complete set)');
      lines.push(`  ${runName(set.executionArn)}  ${formatTime(set.recoveryPointTime)}${note}: ${workloadList(set.workloads, set.workloadCount)}`);
    }
  }
  const a = summary.achieved;
  if (a !== undefined) {
    lines.push(`RPO  ${formatDuration(a.rpoSeconds ?? undefined).padEnd(7)} achieved (age of the oldest recovery point restored, at the start) against ${formatDuration(a.rpoObjectiveSeconds)}: ${verdict(a.isRpoMet)}`);
    lines.push(`RTO  ${formatDuration(a.rtoSeconds ?? undefined).padEnd(7)} achieved (start until the last wave was ready) against ${formatDuration(a.rtoObjectiveSeconds)}: ${verdict(a.isRtoMet)}`);
    if (a.groups.length > 0) {
      lines.push('per workload');
      for (const group of a.groups) {
        const rpoMissed = group.rpoSeconds > a.rpoObjectiveSeconds ? style.red(' MISSED') : '';
        const rtoMissed = group.rtoSeconds !== null && group.rtoSeconds > a.rtoObjectiveSeconds ? style.red(' MISSED') : '';
        lines.push(`  ${workloadList(group.workloads, group.workloadCount)}: RPO ${formatDuration(group.rpoSeconds)}${rpoMissed}, RTO ${formatDuration(group.rtoSeconds ?? undefined)}${rtoMissed}`);
      }
    }
  }
  const r = summary.rpo;
  if (r !== undefined) {
    const age = r.maxAgeSeconds === null ? 'unknown (a critical workload has no recovery point)' : formatDuration(r.maxAgeSeconds);
    lines.push(`RPO  ${age} (age of the newest recovery point of every workload, when the backup ended) against ${formatDuration(r.objectiveSeconds)}: ${verdict(r.isWithinObjective)}`);
    if (r.missing.length > 0) lines.push(`  no recovery point: ${workloadList(r.missing, r.missingCount)}`);
  }
  return lines;
}
