/**
 * A {@link RunReport} as one self-contained HTML file: inline CSS and SVG, no script, no network
 * (a Content-Security-Policy forbids both), readable offline years later by an auditor.
 *
 * Every text that comes from a plan, a tag, an execution or an error goes through {@link esc}:
 * names are chosen by users and causes quote whatever a task met.
 */
import type { ObjectiveFigure } from '../objectives.js';
import type { ChartRow, RunReport } from '../report.js';
import { readableCause } from './cause.js';
import { formatDuration, formatTime } from './format.js';

/** Escapes text for HTML element content and quoted attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const CSS = `
:root { --ok: #1a7f37; --missed: #b35900; --failed: #c62828; --run: #1f6feb; --wait: #8c959f; --ink: #1f2328; --muted: #59636e; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; padding: 24px 32px 48px; max-width: 1280px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.sub { color: var(--muted); margin: 0 0 16px; word-break: break-all; }
.verdict { border-radius: 6px; padding: 12px 16px; border: 2px solid; margin: 12px 0; }
.verdict strong { font-size: 20px; letter-spacing: .04em; }
.verdict ul { margin: 6px 0 0; padding-left: 20px; }
.v-met { border-color: var(--ok); background: #dafbe1; }
.v-missed { border-color: var(--missed); background: #fff1e5; }
.v-failed { border-color: var(--failed); background: #ffebe9; }
.v-running, .v-unknown { border-color: var(--run); background: #ddf4ff; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; background: #f6f8fa; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
.s-met { color: var(--ok); font-weight: 600; }
.s-missed { color: var(--missed); font-weight: 600; }
.s-unknown { color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12.5px; }
svg text { font: 11px system-ui, sans-serif; fill: var(--ink); }
svg .axis { stroke: var(--line); }
svg .tick { fill: var(--muted); }
svg .bar-succeeded { fill: var(--ok); }
svg .bar-caught { fill: var(--missed); }
svg .bar-failed, svg .bar-stopped { fill: var(--failed); }
svg .bar-running { fill: var(--run); }
svg .bar-wait { fill: var(--wait); }
svg .error { fill: var(--failed); stroke: #fff; stroke-width: 1; }
svg .retry { fill: var(--missed); stroke: #fff; stroke-width: 1; }
.legend span { display: inline-block; margin-right: 14px; color: var(--muted); }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; border-radius: 2px; }
.note { color: var(--muted); }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`;

function figureCells(figure: ObjectiveFigure | undefined): string {
  if (figure === undefined) return '<td class="num">–</td><td class="num">–</td><td class="s-unknown">–</td>';
  return `<td class="num">${esc(formatDuration(figure.achievedSeconds))}</td><td class="num">${esc(formatDuration(figure.objectiveSeconds))}</td><td class="s-${esc(figure.status)}">${esc(figure.status)}</td>`;
}

const LABEL_WIDTH = 300;
const CHART_WIDTH = 860;
const ROW_HEIGHT = 18;
const TOP = 26;

/** The timeline chart: one row per state (and Map iteration), bars on a time axis, errors and retries marked. */
function chartSvg(report: RunReport): string {
  const { rows } = report.chart;
  if (rows.length === 0 || report.chart.start === undefined) return '<p class="note">No step ran.</p>';
  const start = Date.parse(report.chart.start);
  const lastBar = Math.max(...rows.flatMap((r) => r.bars.map((b) => Date.parse(b.end))));
  const end = Math.max(report.chart.end === undefined ? lastBar : Date.parse(report.chart.end), lastBar, start + 1000);
  const span = end - start;
  const x = (iso: string): number => LABEL_WIDTH + ((Date.parse(iso) - start) / span) * CHART_WIDTH;
  const height = TOP + rows.length * ROW_HEIGHT + 8;
  const width = LABEL_WIDTH + CHART_WIDTH + 20;
  const parts: string[] = [];
  // Axis: six ticks, labelled with the UTC clock and the time since the start.
  for (let i = 0; i <= 5; i += 1) {
    const at = start + (span * i) / 5;
    const tx = LABEL_WIDTH + (CHART_WIDTH * i) / 5;
    parts.push(`<line class="axis" x1="${tx.toFixed(1)}" y1="${TOP - 4}" x2="${tx.toFixed(1)}" y2="${height - 4}"/>`);
    const label = i === 0 || i === 5 ? `${new Date(at).toISOString().slice(11, 19)}Z` : `+${formatDuration((at - start) / 1000)}`;
    parts.push(`<text class="tick" x="${tx.toFixed(1)}" y="12" text-anchor="${i === 0 ? 'start' : i === 5 ? 'end' : 'middle'}">${esc(label)}</text>`);
  }
  rows.forEach((row: ChartRow, index) => {
    const y = TOP + index * ROW_HEIGHT;
    const cls = ['bar-row', row.redrive === undefined ? '' : 'redriven'].filter(Boolean).join(' ');
    parts.push(`<g class="${cls}" data-step="${esc(row.name)}"${row.iteration === undefined ? '' : ` data-iteration="${esc(row.iteration)}"`}>`);
    parts.push(`<text x="4" y="${y + 13}">${esc(row.label.length > 48 ? `${row.label.slice(0, 47)}…` : row.label)}<title>${esc(row.label)}</title></text>`);
    for (const bar of row.bars) {
      const x1 = x(bar.start);
      const w = Math.max(2, x(bar.end) - x1);
      const kind = row.type === 'Wait' && bar.status === 'succeeded' ? 'wait' : bar.status;
      const took = formatDuration((Date.parse(bar.end) - Date.parse(bar.start)) / 1000);
      parts.push(
        `<rect class="bar bar-${esc(kind)}" x="${x1.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW_HEIGHT - 6}" rx="2"><title>${esc(`${row.label}: ${bar.status}, ${took}${bar.attempts > 1 ? `, ${bar.attempts} attempts` : ''} (${formatTime(bar.start)} → ${formatTime(bar.end)})`)}</title></rect>`,
      );
    }
    for (const error of row.errors) {
      const ex = x(error.at);
      const cls = error.isRetried ? 'retry' : 'error';
      parts.push(
        `<path class="marker ${cls}" d="M${ex.toFixed(1)} ${y + 1} l5 8 l-5 8 l-5 -8 z"><title>${esc(`${error.isRetried ? 'retried after' : 'error'} at ${formatTime(error.at)}: ${error.text}`)}</title></path>`,
      );
    }
    parts.push('</g>');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" aria-label="Timeline of ${esc(report.name)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}

const VERDICT_WORDS: Readonly<Record<RunReport['verdict'], string>> = {
  met: 'MET',
  missed: 'MISSED',
  failed: 'FAILED',
  running: 'RUNNING',
  unknown: 'NOT JUDGED',
};

/**
 * Renders a report as a complete HTML document.
 *
 * @param options.version the lifeboat version, for the footer
 */
export function renderReportHtml(report: RunReport, options: { version?: string } = {}): string {
  const kind = report.kind ?? 'run';
  const title = `Lifeboat ${kind} report: ${report.name}`;
  const plan = report.plan;
  const facts: [string, string][] = [
    ['plan', plan === undefined ? 'not given (objectives as the run recorded them)' : `${plan.name} (${plan.primaryRegion} → ${plan.recoveryRegion}; RPO ${plan.rpoMinutes} min, RTO ${plan.rtoMinutes} min)`],
    ['execution', report.executionArn],
    ['region', report.region],
    ['status', report.status],
    ['started', formatTime(report.startedAt)],
    ['stopped', formatTime(report.stoppedAt)],
    ['duration', formatDuration(report.durationSeconds)],
    ['redrives', String(report.redriveCount)],
  ];
  if (report.error !== undefined) facts.push(['error', report.error]);

  const objectiveRows: string[] = [];
  if (report.rpo !== undefined || report.rto !== undefined) {
    objectiveRows.push(`<tr class="objective-row" data-workload="(run)"><td><em>whole run</em></td>${figureCells(report.rpo)}${figureCells(report.rto)}</tr>`);
  }
  for (const w of report.workloads) {
    objectiveRows.push(`<tr class="objective-row" data-workload="${esc(w.workload)}"><td>${esc(w.workload)}</td>${figureCells(w.rpo)}${figureCells(w.rto)}</tr>`);
  }
  const basis = [report.rpo, report.rto].filter((f): f is ObjectiveFigure => f !== undefined).map((f, i) => `${i === 0 && report.rpo ? 'RPO' : 'RTO'}: ${f.basis}`);

  const setRows = report.workloads.map(
    (w) =>
      `<tr><td>${esc(w.workload)}</td><td>${w.recoverySet === undefined ? '–' : `<span class="mono">${esc(w.recoverySet.executionArn.split(':').at(-1))}</span><br>${esc(formatTime(w.recoverySet.recoveryPointTime))}`}</td><td class="mono">${w.recoveryPoints.map(esc).join('<br>') || '–'}</td><td class="mono">${w.instances.map(esc).join('<br>') || '–'}</td></tr>`,
  );
  const resourceRows = (list: RunReport['resources']['created']) => list.map((r) => `<tr><td class="mono">${esc(r.id)}</td><td>${esc(r.kind)}</td><td>${esc(r.step)}</td></tr>`).join('');
  const { created, removed, instancesLeft } = report.resources;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="sub">${esc(report.executionArn)}</p>
<section class="verdict v-${esc(report.verdict)}" id="verdict">
<strong>${esc(VERDICT_WORDS[report.verdict])}</strong>
<ul>${report.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>
</section>
<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
${report.cause === undefined ? '' : `<h2>Cause</h2><p class="mono" id="cause">${esc(readableCause(report.cause))}</p>`}
<h2>Objectives</h2>
${
  objectiveRows.length === 0
    ? '<p class="note">This run recorded no RPO or RTO.</p>'
    : `<table id="objectives"><thead><tr><th>workload</th><th>RPO achieved</th><th>RPO objective</th><th>RPO</th><th>RTO achieved</th><th>RTO objective</th><th>RTO</th></tr></thead><tbody>${objectiveRows.join('')}</tbody></table>
<p class="note">${basis.map(esc).join('; ')}</p>`
}
<h2>Timeline</h2>
<p class="legend"><span><i style="background:var(--ok)"></i>ok</span><span><i style="background:var(--wait)"></i>waiting</span><span><i style="background:var(--missed)"></i>failed, caught</span><span><i style="background:var(--failed)"></i>failed</span><span><i style="background:var(--run)"></i>running</span><span>◆ red: error · ◆ orange: error then retried</span></p>
${chartSvg(report)}
${report.chart.omittedRows > 0 ? `<p class="note">${report.chart.omittedRows} more rows (Map iterations) are not drawn; see <code>lifeboat history --json</code>.</p>` : ''}
<h2>Recovery set</h2>
${
  setRows.length === 0
    ? '<p class="note">The run output names no recovery point.</p>'
    : `<table id="recovery-set"><thead><tr><th>workload</th><th>recovery set (backup run, point in time)</th><th>recovery point (AMI)</th><th>instance launched</th></tr></thead><tbody>${setRows.join('')}</tbody></table>`
}
<h2>Resources</h2>
<p id="resource-summary">created ${created.length}, torn down ${removed.length}${instancesLeft.length > 0 ? `, <strong>instances left running: ${instancesLeft.map(esc).join(', ')}</strong>` : ''}</p>
${created.length === 0 ? '' : `<table id="created"><thead><tr><th>created</th><th>kind</th><th>by step</th></tr></thead><tbody>${resourceRows(created)}</tbody></table>`}
${removed.length === 0 ? '' : `<table id="removed"><thead><tr><th>torn down</th><th>kind</th><th>by step</th></tr></thead><tbody>${resourceRows(removed)}</tbody></table>`}
<footer>Generated ${esc(formatTime(report.generatedAt))} by lifeboat${options.version === undefined ? '' : ` ${esc(options.version)}`} from the execution's history (${esc(report.executionArn)}).</footer>
</body>
</html>
`;
}
