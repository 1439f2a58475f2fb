import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { Plan } from '../../schemas/plan.js';
import { type ConnectDependencies, type ConnectionOptions, connectSfn } from '../aws.js';
import { ExitCode, UsageError } from '../errors.js';
import { readAllEvents } from '../follow.js';
import type { Io } from '../io.js';
import { loadPlan } from '../plan-file.js';
import { type RunReport, buildReport } from '../report.js';
import { describeExecution, type TargetOptions, resolveExecution } from '../resolve.js';
import { renderReportHtml } from '../render/report-html.js';
import { formatDuration } from '../render/format.js';
import { parseOutput } from '../objectives.js';
import { type DetailsConnection, withRecoveryDetails } from '../recovery-details.js';

/** Options of `lifeboat report`. */
export interface ReportOptions extends ConnectionOptions, TargetOptions {
  /** An execution ARN, or a name looked up among the plan's (or `--state-machine`'s) machines. */
  readonly execution: string;
  /** `--html FILE`: where to write the HTML report. @default `<execution name>.report.html` */
  readonly html?: string;
  /** `--json`: print the report as one JSON document (and write HTML only if `--html` is given). */
  readonly json: boolean;
}

/**
 * Reads an execution through Step Functions and builds its report. With `details` (how to reach
 * the run bucket), a distributed run's per-workload lists are read back from there
 * (`cli/recovery-details.ts`) so that the report shows every workload.
 */
export async function reportOf(
  client: SFNClient,
  executionArn: string,
  plan: Plan | undefined,
  site: { command: string; region: string },
  now: Date,
  details?: DetailsConnection & { readonly warn?: (message: string) => void },
): Promise<RunReport> {
  let description = await describeExecution(client, executionArn, site);
  const events = await readAllEvents(client, executionArn, site);
  if (details !== undefined && description.output !== undefined) {
    const expanded = await withRecoveryDetails(parseOutput(description.output), site.region, details);
    if (expanded.problem !== undefined) details.warn?.(`${site.command}: ${expanded.problem}`);
    else if (expanded.output !== undefined) description = { ...description, output: JSON.stringify(expanded.output) };
  }
  return buildReport(description, events, plan, now);
}

/** Writes a report's HTML file (creating its directory); returns its absolute path. */
export async function writeReportHtml(report: RunReport, file: string): Promise<string> {
  const path = resolve(file);
  const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderReportHtml(report, { version }), 'utf8');
  return path;
}

/** A file name from an execution name: letters, digits, `-`, `_`, `.` only. */
export function reportFileName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.report.html`;
}

/**
 * `lifeboat report EXECUTION`: the run report an auditor keeps. Writes one self-contained HTML
 * file (timeline chart, RPO and RTO against the objectives per workload, the recovery set,
 * resources created and torn down, a verdict) and prints its path; `--json` prints the same
 * report as JSON.
 *
 * Exit 0 when the verdict is met (or not judged, or the run is still running), 1 when the run
 * failed or missed an objective.
 */
export async function report(opts: ReportOptions, io: Io, dependencies: ConnectDependencies = {}): Promise<ExitCode> {
  const command = 'lifeboat report';
  if (opts.html === '') throw new UsageError(`${command}: --html expects a file name, found none`, { hint: 'e.g. --html drill.report.html' });
  const plan = opts.plan === undefined ? undefined : await loadPlan(opts.plan, command);
  const connection = await connectSfn(opts, dependencies);
  try {
    const execution = await resolveExecution(connection, opts.execution, opts, command);
    const built = await reportOf(execution.client, execution.arn, plan, { command, region: execution.region }, io.now(), {
      ...(connection.localEndpoint === undefined ? {} : { localEndpoint: connection.localEndpoint }),
      ...(opts.profile === undefined ? {} : { profile: opts.profile }),
      warn: (message) => io.warn(message),
    });
    let path: string | undefined;
    if (!opts.json || opts.html !== undefined) path = await writeReportHtml(built, opts.html ?? reportFileName(built.name));
    if (opts.json) {
      io.result({ ...built, ...(path === undefined ? {} : { htmlFile: path }) });
    } else {
      const s = io.style;
      const colour = built.verdict === 'met' ? s.green : built.verdict === 'running' || built.verdict === 'unknown' ? s.cyan : s.red;
      io.progress(`${colour(built.verdict.toUpperCase())} ${built.name} (${built.status}, ${formatDuration(built.durationSeconds)}): ${built.reasons[0] ?? ''}`);
      io.result(path ?? '');
    }
    return built.verdict === 'failed' || built.verdict === 'missed' ? ExitCode.Failed : ExitCode.Ok;
  } finally {
    await connection.close();
  }
}
