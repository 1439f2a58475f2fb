/**
 * EventBridge Scheduler's schedule expressions: `rate(value unit)`, six-field `cron(...)` and
 * one-time `at(yyyy-mm-ddThh:mm:ss)`, evaluated in an IANA time zone.
 *
 * - rate: the first occurrence is the StartDate, or the creation time without one; then every
 *   `value` minutes/hours/days (a day is 24 hours, whatever the time zone's DST does).
 * - cron: minutes hours day-of-month month day-of-week year; exactly one of the two day fields is
 *   `?`; `*`, lists, ranges, steps, month and day names, `L`, `W` (day of month) and `L`, `#`
 *   (day of week). Evaluated in the schedule's time zone: a local time that DST skips is skipped,
 *   a local time that repeats runs once (the first).
 * - at: a local date and time in the schedule's time zone, once.
 *
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */

/** A parsed expression. */
export type ScheduleExpression =
  | { readonly kind: 'rate'; readonly everyMs: number }
  | { readonly kind: 'cron'; readonly cron: CronFields }
  | { readonly kind: 'at'; readonly local: LocalTime };

interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** The parsed fields of a cron expression. */
export interface CronFields {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  /** Undefined when `?`. */
  readonly dayOfMonth?: DayOfMonth;
  readonly months: ReadonlySet<number>;
  /** Undefined when `?`. */
  readonly dayOfWeek?: DayOfWeek;
  /** Undefined when `*`. */
  readonly years?: ReadonlySet<number>;
}

interface DayOfMonth {
  readonly days: ReadonlySet<number>;
  readonly last: boolean;
  /** `nW`: the weekday nearest to day n. */
  readonly nearestWeekday?: number;
  /** `LW`: the last weekday of the month. */
  readonly lastWeekday: boolean;
}

interface DayOfWeek {
  /** 1 = Sunday … 7 = Saturday. */
  readonly days: ReadonlySet<number>;
  /** `dL`: the last such day of the month. */
  readonly lastOf?: number;
  /** `d#n`: the n-th such day of the month. */
  readonly nth?: { readonly day: number; readonly n: number };
}

/** An expression the parser refused; the message is what went wrong. */
export class ExpressionError extends Error {}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MINUTE_MS = 60_000;
const UNIT_MS: Record<string, number> = { minute: MINUTE_MS, hour: 60 * MINUTE_MS, day: 24 * 60 * MINUTE_MS };

/**
 * Parses an expression.
 *
 * @throws ExpressionError naming the part that is wrong
 */
export function parseExpression(expression: string): ScheduleExpression {
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    if (value < 1) throw new ExpressionError('the rate value must be a positive number');
    if ((value === 1) !== !rate[2]!.endsWith('s')) throw new ExpressionError(`use "${rate[2]!.replace(/s$/, '')}" for a value of 1 and the plural otherwise`);
    return { kind: 'rate', everyMs: value * UNIT_MS[rate[2]!.replace(/s$/, '')]! };
  }
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (at) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [number, number, number, number, number, number];
    const check = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
      throw new ExpressionError('the at() date and time do not exist');
    }
    return { kind: 'at', local: { year, month, day, hour, minute, second } };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return { kind: 'cron', cron: parseCron(cron[1]!) };
  throw new ExpressionError('expected rate(value unit), cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss)');
}

function parseCron(body: string): CronFields {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) throw new ExpressionError(`a cron expression has 6 fields, found ${fields.length}`);
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) throw new ExpressionError('exactly one of day-of-month and day-of-week must be "?"');
  return {
    minutes: parseSet(min, 0, 59, 'minutes'),
    hours: parseSet(hour, 0, 23, 'hours'),
    dayOfMonth: dom === '?' ? undefined : parseDayOfMonth(dom),
    months: parseSet(month, 1, 12, 'month', MONTHS),
    dayOfWeek: dow === '?' ? undefined : parseDayOfWeek(dow),
    years: year === '*' ? undefined : parseSet(year, 1970, 2199, 'year'),
  };
}

function parseDayOfMonth(field: string): DayOfMonth {
  if (field === 'L') return { days: new Set(), last: true, lastWeekday: false };
  if (field === 'LW') return { days: new Set(), last: false, lastWeekday: true };
  const w = /^(\d{1,2})W$/.exec(field);
  if (w) {
    const n = Number(w[1]);
    if (n < 1 || n > 31) throw new ExpressionError(`day-of-month ${field}: the day must be 1-31`);
    return { days: new Set(), last: false, nearestWeekday: n, lastWeekday: false };
  }
  return { days: parseSet(field, 1, 31, 'day-of-month'), last: false, lastWeekday: false };
}

function parseDayOfWeek(field: string): DayOfWeek {
  const lastOf = /^([1-7]|[A-Z]{3})L$/.exec(field);
  if (lastOf) return { days: new Set(), lastOf: dayNumber(lastOf[1]!, field) };
  if (field === 'L') return { days: new Set(), lastOf: 7 };
  const nth = /^([1-7]|[A-Z]{3})#([1-5])$/.exec(field);
  if (nth) return { days: new Set(), nth: { day: dayNumber(nth[1]!, field), n: Number(nth[2]) } };
  return { days: parseSet(field, 1, 7, 'day-of-week', DAYS) };
}

function dayNumber(text: string, field: string): number {
  if (/^\d$/.test(text)) return Number(text);
  const i = DAYS.indexOf(text);
  if (i < 0) throw new ExpressionError(`day-of-week ${field}: unknown day ${JSON.stringify(text)}`);
  return i + 1;
}

/** `*`, `a`, `a-b`, `a/s`, `a-b/s`, `*\/s` and comma lists of them; names when given. */
function parseSet(field: string, lo: number, hi: number, what: string, names?: readonly string[]): Set<number> {
  const out = new Set<number>();
  const value = (text: string): number => {
    const i = names ? names.indexOf(text.toUpperCase()) : -1;
    const n = i >= 0 ? i + 1 : /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(n) || n < lo || n > hi) throw new ExpressionError(`${what} ${JSON.stringify(field)}: ${JSON.stringify(text)} is not in ${lo}-${hi}`);
    return n;
  };
  for (const part of field.split(',')) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new ExpressionError(`${what} ${JSON.stringify(field)}: cannot read ${JSON.stringify(part)}`);
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) throw new ExpressionError(`${what} ${JSON.stringify(field)}: the step must be at least 1`);
    let from: number;
    let to: number;
    if (m[1] === '*') [from, to] = [lo, hi];
    else if (m[1]!.includes('-')) [from, to] = m[1]!.split('-').map(value) as [number, number];
    else [from, to] = [value(m[1]!), m[2] === undefined ? value(m[1]!) : hi];
    if (from > to) throw new ExpressionError(`${what} ${JSON.stringify(field)}: the range ${from}-${to} runs backwards`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

// ---- time zones -----------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

/** True when `tz` is an IANA time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  return f;
}

/** The local wall time of an instant, as if it were UTC (epoch ms). */
function localAsUtc(utcMs: number, tz: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!);
}

/**
 * The instant of a local wall time in `tz`, or undefined when DST skips it. A time that occurs
 * twice (DST ends) gives the earlier instant.
 */
export function localToUtc(local: LocalTime, tz: string): number | undefined {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  const candidates = new Set<number>();
  // The offset at the wall time read as UTC, and a day either side, covers every transition.
  for (const probe of [wall - 86_400_000, wall, wall + 86_400_000]) candidates.add(wall - (localAsUtc(probe, tz) - probe));
  const hits = [...candidates].filter((utc) => localAsUtc(utc, tz) === wall).sort((a, b) => a - b);
  return hits[0];
}

// ---- next occurrence --------------------------------------------------------------------------

/**
 * The first occurrence strictly after `afterMs` (epoch ms), or undefined when there is none.
 *
 * @param anchorMs where a rate schedule counts from (StartDate, or creation time)
 */
export function nextOccurrence(expr: ScheduleExpression, tz: string, afterMs: number, anchorMs: number): number | undefined {
  if (expr.kind === 'rate') {
    if (afterMs < anchorMs) return anchorMs;
    const k = Math.floor((afterMs - anchorMs) / expr.everyMs) + 1;
    return anchorMs + k * expr.everyMs;
  }
  if (expr.kind === 'at') {
    const at = localToUtc(expr.local, tz);
    return at !== undefined && at > afterMs ? at : undefined;
  }
  return nextCron(expr.cron, tz, afterMs);
}

function nextCron(cron: CronFields, tz: string, afterMs: number): number | undefined {
  const start = new Date(localAsUtc(afterMs, tz));
  let y = start.getUTCFullYear();
  let m = start.getUTCMonth() + 1;
  let d = start.getUTCDate();
  const minutes = [...cron.minutes].sort((a, b) => a - b);
  const hours = [...cron.hours].sort((a, b) => a - b);
  // Day by day in local calendar time, at most to the last year cron allows.
  for (let steps = 0; steps < 366 * 232 && y <= 2199; steps++) {
    if ((cron.years === undefined || cron.years.has(y)) && cron.months.has(m) && dayMatches(cron, y, m, d)) {
      for (const hour of hours) {
        for (const minute of minutes) {
          const at = localToUtc({ year: y, month: m, day: d, hour, minute, second: 0 }, tz);
          if (at !== undefined && at > afterMs) return at;
        }
      }
    }
    const next = new Date(Date.UTC(y, m - 1, d + 1));
    [y, m, d] = [next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()];
  }
  return undefined;
}

function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** 1 = Sunday … 7 = Saturday. */
function weekday(y: number, m: number, d: number): number {
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;
}

function isWeekday(y: number, m: number, d: number): boolean {
  const w = weekday(y, m, d);
  return w !== 1 && w !== 7;
}

function dayMatches(cron: CronFields, y: number, m: number, d: number): boolean {
  const last = daysIn(y, m);
  const dom = cron.dayOfMonth;
  if (dom) {
    if (dom.last) return d === last;
    if (dom.lastWeekday) {
      let day = last;
      while (!isWeekday(y, m, day)) day--;
      return d === day;
    }
    if (dom.nearestWeekday !== undefined) {
      const target = Math.min(dom.nearestWeekday, last);
      if (isWeekday(y, m, target)) return d === target;
      // Saturday → Friday before (or Monday after on the 1st); Sunday → Monday after (or Friday before on the last day).
      const w = weekday(y, m, target);
      const moved = w === 7 ? (target === 1 ? target + 2 : target - 1) : target === last ? target - 2 : target + 1;
      return d === moved;
    }
    return dom.days.has(d);
  }
  const dow = cron.dayOfWeek!;
  const w = weekday(y, m, d);
  if (dow.lastOf !== undefined) return w === dow.lastOf && d + 7 > last;
  if (dow.nth) return w === dow.nth.day && Math.ceil(d / 7) === dow.nth.n;
  return dow.days.has(w);
}
