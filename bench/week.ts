/**
 * A week of schedules (issue 12, "a week of virtual time can be rehearsed in seconds"): the small
 * example plan deployed with its schedules and alarms (`withSchedules`, as
 * test/e2e/scheduled-week.test.ts does), then the virtual clock moved a week ahead through the
 * admin `clock` action. Every scheduled run is a real Step Functions execution whose Lambda tasks
 * run the real task code; the alarms are evaluated each period on the way.
 *
 * Reports wall and CPU time of the week (deployment excluded), executions by machine, Lambda
 * invocations, ms per execution and the peak RSS.
 *
 *   npm run bench -- --only week
 *   node --import tsx bench/week.ts [--days 7] [--data] [--cpu-prof-week week.cpuprofile]
 *
 * `--cpu-prof-week` profiles the week alone (not the start-up); read it with bench/cpuprofile.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parsePlan } from '../schemas/plan.js';
import { startLocalLifeboat } from '../cli/local/session.js';

/** What a week costs. */
export interface WeekReport {
  readonly days: number;
  /** Whether the sandbox persisted to a data directory (as `lifeboat sandbox` runs). */
  readonly persistent: boolean;
  readonly wallSeconds: number;
  /** User + system CPU time of this process during the week. */
  readonly cpuSeconds: number;
  /** Wall time the event loop sat idle (waiting on timers or I/O with nothing to run). */
  readonly eventLoopIdleSeconds: number;
  /** Executions started during the week, by state machine name (without the plan prefix). */
  readonly executionsByMachine: Readonly<Record<string, number>>;
  readonly executions: number;
  /** Executions that did not succeed, as `name: status`. */
  readonly unsuccessful: readonly string[];
  readonly lambdaInvocations: number;
  readonly peakRssBytes: number;
  /** Alarm state changes published to SNS during the week. */
  readonly alarmNotifications: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Sunday 29 November 2026, 12:00 UTC, as in test/e2e/scheduled-week.test.ts. */
const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);

/** The small example plan as the scheduled-week e2e test deploys it (RPO 5 h, an on-call topic). */
function weekPlan() {
  const file = join(import.meta.dirname, '../examples/small.plan.json');
  const small = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  return parsePlan(
    { ...small, objectives: { rpoMinutes: 300, rtoMinutes: 60 }, notifications: { snsTopicArn: 'arn:aws:sns:us-west-2:123456789012:oncall', emails: ['oncall@example.com'] } },
    'small.plan.json',
  );
}

/** Deploys the small plan with its schedules, then moves the clock `days` ahead and measures that. */
export async function benchWeek(options: { days?: number; persistent?: boolean; cpuProfile?: string } = {}): Promise<WeekReport> {
  const days = options.days ?? 7;
  const persistent = options.persistent === true;
  const dataDir = persistent ? mkdtempSync(join(tmpdir(), 'lifeboat-bench-week-')) : undefined;
  const plan = weekPlan();
  const env = await startLocalLifeboat({ plan, seed: 7, startMs: T0, withSchedules: true, dataDir, taskLog: () => {} });
  try {
    let lambdaInvocations = 0;
    const lambdas = env.sandbox.lambdas;
    const invoke = lambdas.invoke.bind(lambdas);
    lambdas.invoke = (...args) => {
      lambdaInvocations++;
      return invoke(...args);
    };
    const before = new Set(env.sandbox.sfn.listAllExecutions().map((e) => e.executionArn));
    const topics = Object.values(env.operations!.topics);
    const publishedBefore = topics.reduce((n, t) => n + env.sandbox.sns.messages(t).length, 0);
    // Profiles the week only (not the deployment before it), for bench/cpuprofile.ts.
    const inspector = options.cpuProfile !== undefined ? new Session() : undefined;
    if (inspector) {
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
    }
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const res = await fetch(`${env.sandbox.endpoint}/_sandbox/clock`, { method: 'POST', body: JSON.stringify({ to: T0 + days * DAY + HOUR }) });
    if (res.status !== 200) throw new Error(`bench week › move the clock: expected 200, found ${res.status} ${await res.text()}`);
    const wallSeconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const elu = performance.eventLoopUtilization(elu0);
    if (inspector) {
      const { profile } = await inspector.post('Profiler.stop');
      writeFileSync(options.cpuProfile!, JSON.stringify(profile));
      inspector.disconnect();
    }
    // The process's peak resident set so far (start-up and deployment included), from the OS.
    const peakRss = process.resourceUsage().maxRSS * 1024;
    const executionsByMachine: Record<string, number> = {};
    const unsuccessful: string[] = [];
    for (const e of env.sandbox.sfn.listAllExecutions()) {
      if (before.has(e.executionArn)) continue;
      const machine = e.stateMachineArn.split(':').at(-1)!.replace(`lifeboat-${plan.name}-`, '');
      executionsByMachine[machine] = (executionsByMachine[machine] ?? 0) + 1;
      if (e.status !== 'SUCCEEDED') unsuccessful.push(`${e.executionArn.split(':').at(-1)}: ${e.status}`);
    }
    const executions = Object.values(executionsByMachine).reduce((a, b) => a + b, 0);
    const alarmNotifications = topics.reduce((n, t) => n + env.sandbox.sns.messages(t).length, 0) - publishedBefore;
    return { days, persistent, wallSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, eventLoopIdleSeconds: elu.idle / 1000, executionsByMachine, executions, unsuccessful, lambdaInvocations, peakRssBytes: peakRss, alarmNotifications };
  } finally {
    await env.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One line per figure, as `npm run bench` prints them. */
export function weekLines(r: WeekReport): string[] {
  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const kinds = Object.entries(r.executionsByMachine).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${fmt(n)}`).join(', ');
  const where = r.persistent ? 'with a data directory' : 'in memory';
  return [
    `${fmt(r.days)} days ${where}: ${fmt(r.executions)} executions (${kinds}), ${r.unsuccessful.length} not SUCCEEDED${r.unsuccessful.length ? ` (${r.unsuccessful.slice(0, 5).join(', ')})` : ''}, ${fmt(r.lambdaInvocations)} Lambda invocations, ${fmt(r.alarmNotifications)} alarm notifications`,
    `${fmt(r.days)} days ${where}: wall ${fmt(r.wallSeconds, 1)} s, CPU ${fmt(r.cpuSeconds, 1)} s = ${fmt((r.wallSeconds * 1000) / r.executions, 2)} ms wall, ${fmt((r.cpuSeconds * 1000) / r.executions, 2)} ms CPU per execution; event loop idle ${fmt(r.eventLoopIdleSeconds, 1)} s; peak RSS ${fmt(r.peakRssBytes / 1024 / 1024)} MiB`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { days: { type: 'string', default: '7' }, data: { type: 'boolean', default: false }, 'cpu-prof-week': { type: 'string' } } });
  const days = Number(values.days);
  if (!(days > 0 && days <= 366)) {
    process.stderr.write(`bench week › --days: expected a number of days from 1 to 366, found ${JSON.stringify(values.days)}\n`);
    process.exit(2);
  }
  const r = await benchWeek({ days, persistent: values.data, cpuProfile: values['cpu-prof-week'] });
  for (const line of weekLines(r)) process.stdout.write(`${line}\n`);
}
