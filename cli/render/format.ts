/**
 * Small text formatters shared by the CLI's renderers.
 */

/**
 * A duration for people: `850ms`, `12.4s`, `4m12s`, `1h02m`.
 *
 * @example formatDuration(252) // '4m12s'
 */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '–';
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds < 60) return `${(Math.round(seconds * 10) / 10).toFixed(seconds < 10 ? 1 : 0)}s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  const minutes = Math.round(whole / 60);
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** A UTC time as `2026-11-25 10:30:00Z`. */
export function formatTime(iso: string | Date | undefined): string {
  if (iso === undefined) return '–';
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) return '–';
  return date.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/** The clock part of a UTC time: `10:30:00`. */
export function formatClock(iso: string | undefined): string {
  return iso === undefined ? '–' : formatTime(iso).slice(11, 19);
}

/** Cuts a text to `max` characters on one line, marking the cut with `…`. */
export function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** Strips ANSI colour codes, to measure visible width. */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/** Lays rows out in columns separated by two spaces (the last column is not padded). */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - visibleLength(cell))))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * A count with its noun, singular for one: `1 workload`, `3 workloads`.
 *
 * @example plural(1, 'pass', 'passes') // '1 pass'
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
