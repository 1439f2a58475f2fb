import type { Plan } from '../../schemas/plan.js';

/**
 * How old the newest recovery point can get under a plan's backup schedule, compared with its RPO
 * objective, for `lifeboat plan check` (a warning, never an error). A simple, documented model
 * (docs/architecture.md, "Honest RPO"):
 *
 *   worst age ≈ the longest gap between two scheduled backups + the expected duration of one backup
 *
 * because the recovery point of a run is its start time, and it becomes restorable only when the
 * run has verified it. The expected duration is the typical case of the history-budget model
 * (workflows/budget.ts): images ready in about {@link TYPICAL_IMAGE_MINUTES} minutes and copies in
 * about {@link TYPICAL_COPY_MINUTES} per batch, batches run `maxConcurrentBatches` at a time; and
 * never less than the copy quotas allow (docs/decisions/0018): one image, then every instance's
 * {@link TYPICAL_SNAPSHOTS_PER_INSTANCE} snapshot copies of {@link TYPICAL_COPY_MINUTES} through the
 * `backup.copyQuotas` slots (concurrent snapshot copies, and concurrent AMI copies). A workload
 * found by tag selector counts as one instance (its size is known only at run time), so the
 * figure is a lower bound for such plans.
 */

/** Typical minutes until a batch's images are available (budget.ts, "typical"). */
export const TYPICAL_IMAGE_MINUTES = 10;
/** Typical minutes until a batch's cross-region copies are available (budget.ts, "typical"). */
export const TYPICAL_COPY_MINUTES = 30;
/** Typical EBS snapshots per instance (a root and a data volume): the snapshot copies one AMI copy costs. */
export const TYPICAL_SNAPSHOTS_PER_INSTANCE = 2;

/** The model's figures for a plan. */
export interface RpoExposure {
  /** The longest gap between two scheduled backups, in minutes; undefined when the expression is beyond the model. */
  readonly intervalMinutes?: number;
  /** The expected duration of one backup, in minutes. */
  readonly backupMinutes: number;
  /** intervalMinutes + backupMinutes, when the interval is known. */
  readonly worstAgeMinutes?: number;
  readonly rpoMinutes: number;
  /** Instances counted (a tag selector counts 1). */
  readonly instanceCount: number;
  /**
   * Workloads found by tag selector, each counted as one instance: when above 0, `backupMinutes`
   * is a lower bound (a selector may match thousands of instances, known only at run time).
   */
  readonly selectorCount: number;
  readonly rounds: number;
  /** The copy quotas' bound alone, in minutes: when it is `backupMinutes`, more batches at once do not help. */
  readonly quotaMinutes: number;
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const UNIT_MINUTES: Record<string, number> = { minute: 1, minutes: 1, hour: 60, hours: 60, day: 1440, days: 1440 };
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/**
 * The longest gap between two firings of an EventBridge Scheduler expression, in minutes:
 * `rate(…)` exactly; `cron(…)` by enumerating a fortnight of firings when its day-of-month is
 * `*` or `?` (minutes, hours and day-of-week as lists, ranges, `*` and `/` steps, e.g. `0/15`); undefined for
 * anything else (specific days of month, `L`, `W`, `#`).
 *
 * @example scheduleIntervalMinutes('rate(4 hours)') // 240
 * @example scheduleIntervalMinutes('cron(0 0/6 * * ? *)') // 360
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
export function scheduleIntervalMinutes(expression: string): number | undefined {
  const rate = RATE.exec(expression.trim());
  if (rate) return Number(rate[1]) * UNIT_MINUTES[rate[2]!]!;
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (!cron) return undefined;
  const [minutes, hours, dom, , dow] = cron[1]!.trim().split(/\s+/);
  if (minutes === undefined || hours === undefined || dom === undefined || dow === undefined) return undefined;
  if (dom !== '*' && dom !== '?') return undefined;
  const mins = cronField(minutes, 0, 59);
  const hrs = cronField(hours, 0, 23);
  const days = dow === '*' || dow === '?' ? [0, 1, 2, 3, 4, 5, 6] : cronField(dow.toUpperCase().replace(/[A-Z]{3}/g, (d) => String(DAYS.indexOf(d) + 1)), 1, 7)?.map((d) => d - 1);
  if (!mins || !hrs || !days || mins.length === 0 || hrs.length === 0 || days.length === 0) return undefined;
  const firings: number[] = [];
  for (let day = 0; day < 14; day += 1) {
    if (!days.includes(day % 7)) continue;
    for (const h of hrs) for (const m of mins) firings.push(day * 1440 + h * 60 + m);
  }
  firings.sort((a, b) => a - b);
  let longest = 0;
  for (let i = 1; i < firings.length; i += 1) longest = Math.max(longest, firings[i]! - firings[i - 1]!);
  return firings.length > 1 ? longest : undefined;
}

/** The values of one cron field (`5`, `1-5`, `*`, `0/15`, `0,30`, `10-40/10`), or undefined if beyond the model. */
function cronField(field: string, min: number, max: number): number[] | undefined {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) return undefined;
    const from = match[1] === '*' ? min : Number(match[2]);
    const to = match[1] === '*' ? max : match[3] !== undefined ? Number(match[3]) : match[4] !== undefined ? max : from;
    const step = match[4] !== undefined ? Number(match[4]) : 1;
    if (from < min || to > max || step < 1) return undefined;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

/** The model's figures for a plan (see the module comment). */
export function rpoExposure(plan: Plan): RpoExposure {
  const instanceCount = plan.workloads.reduce((n, w) => n + (w.instanceIds?.length ?? 1), 0);
  const selectorCount = plan.workloads.filter((w) => w.instanceIds === undefined).length;
  const batches = Math.max(1, Math.ceil(instanceCount / plan.backup.batchSize));
  const rounds = Math.ceil(batches / plan.backup.maxConcurrentBatches);
  const quotas = plan.backup.copyQuotas;
  const quotaMinutes = Math.ceil(
    TYPICAL_IMAGE_MINUTES +
      Math.max(
        TYPICAL_COPY_MINUTES,
        (instanceCount * TYPICAL_SNAPSHOTS_PER_INSTANCE * TYPICAL_COPY_MINUTES) / quotas.concurrentSnapshotCopies,
        (instanceCount * TYPICAL_COPY_MINUTES) / quotas.concurrentAmiCopies,
      ),
  );
  const backupMinutes = Math.max(rounds * (TYPICAL_IMAGE_MINUTES + TYPICAL_COPY_MINUTES), quotaMinutes);
  const intervalMinutes = scheduleIntervalMinutes(plan.backup.schedule);
  return {
    ...(intervalMinutes === undefined ? {} : { intervalMinutes, worstAgeMinutes: intervalMinutes + backupMinutes }),
    backupMinutes,
    rpoMinutes: plan.objectives.rpoMinutes,
    instanceCount,
    selectorCount,
    rounds,
    quotaMinutes,
  };
}

/** `4h40m`, `45m`. */
function minutesText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m}m` : `${h}h${String(m).padStart(2, '0')}m`;
}

/**
 * The plan-check warnings of the model: one, naming the fields to change, when the worst age
 * exceeds the RPO objective; none otherwise (or when the schedule is beyond the model).
 */
export function rpoWarnings(plan: Plan): string[] {
  const e = rpoExposure(plan);
  if (e.worstAgeMinutes === undefined || e.intervalMinutes === undefined || e.worstAgeMinutes <= e.rpoMinutes) return [];
  const fitting = e.rpoMinutes - e.backupMinutes;
  const isQuotaBound = isCopyQuotaBound(e);
  const advice =
    fitting >= 1
      ? `schedule backups at least every ${minutesText(fitting)} (e.g. ${fitting % 60 === 0 ? `rate(${fitting / 60} hours)` : `rate(${fitting} minutes)`})`
      : isQuotaBound
        ? `raise the recovery region's copy quotas (Service Quotas) and backup.copyQuotas so a backup takes less than the RPO`
        : `raise backup.batchSize or backup.maxConcurrentBatches so a backup takes less than the RPO`;
  return [
    `backup.schedule: ${JSON.stringify(plan.backup.schedule)} leaves up to ${minutesText(e.intervalMinutes)} between backups; with an expected backup duration of ${minutesText(e.backupMinutes)} (${expectedBackupText(e)}) the newest recovery point can be ${minutesText(e.worstAgeMinutes)} old, beyond objectives.rpoMinutes (${minutesText(e.rpoMinutes)}); ${advice}, or raise objectives.rpoMinutes`,
  ];
}

/**
 * How the expected duration was made, in words (for `plan check`), saying when tag selectors make
 * it a lower bound: a selector matching 3,000 instances otherwise reads "about 40m" for a backup
 * of two days (bench/shapes.ts, one-workload-tags).
 */
export function expectedBackupText(e: RpoExposure): string {
  const how = isCopyQuotaBound(e)
    ? `${e.instanceCount} ${e.instanceCount === 1 ? 'instance' : 'instances'} × ${TYPICAL_SNAPSHOTS_PER_INSTANCE} snapshot copies of ${TYPICAL_COPY_MINUTES}m through the copy quotas, after ${TYPICAL_IMAGE_MINUTES}m images`
    : `${e.rounds} ${e.rounds === 1 ? 'round' : 'rounds'} of batches × ${TYPICAL_IMAGE_MINUTES}m images + ${TYPICAL_COPY_MINUTES}m copies`;
  if (e.selectorCount === 0) return how;
  return `${how}; ${e.selectorCount === 1 ? 'its tag selector' : `each of its ${e.selectorCount} tag selectors`} counted as one instance, so a lower bound`;
}

/** True when the copy quotas, not the batches, set the expected duration. */
function isCopyQuotaBound(e: RpoExposure): boolean {
  return e.quotaMinutes > e.rounds * (TYPICAL_IMAGE_MINUTES + TYPICAL_COPY_MINUTES);
}

/** `4h40m`, `45m` (exported for `plan check`). */
export { minutesText };
