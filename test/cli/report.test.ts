/**
 * `lifeboat report`: the verdict and its reasons, RPO/RTO per workload, the chart's rows, and an
 * HTML file that is self-contained and escapes everything a plan, a tag or an error can carry.
 */
import { DescribeExecutionCommand, type DescribeExecutionCommandOutput, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parsePlan } from '../../schemas/plan.js';
import { buildReport } from '../../cli/report.js';
import { esc, renderReportHtml } from '../../cli/render/report-html.js';
import { SHOP_PLAN, executionArn, mockSfn, runCli, tempFiles } from './cli-harness.js';
import { HistoryBuilder, pagedHistory } from './history-builder.js';

const NAME = 'drill-20261125T103000Z-3fa1';
const ARN = executionArn('us-west-2', 'lifeboat-shop-drill', NAME);
const PLAN = parsePlan(SHOP_PLAN, 'shop.plan.json');
const NOW = new Date('2026-11-25T12:00:00Z');

/** A drill: resolve, a wave Map with a polling launch (one throttled retry), teardown, metrics. */
function drill(options: { recoveryTimeSeconds: number; fail?: boolean }): { events: HistoryBuilder; description: DescribeExecutionCommandOutput } {
  const h = new HistoryBuilder().started();
  h.task('Resolve recovery points', { task: 'resolve-recovery-points', attempts: [{ output: {} }] });
  h.add('MapStateEntered', { name: 'Launch waves', input: '[]' });
  h.add('MapStateStarted', { length: 1 });
  h.add('MapIterationStarted', { name: 'Launch waves', index: 0 });
  h.task('Launch instances', {
    task: 'launch-in-region',
    attempts: [{ error: 'Lifeboat.Throttled', cause: 'Request limit exceeded.' }, { output: { instances: [{ instanceId: 'i-0eeeeeeeeeeeeeee5' }] } }],
  });
  h.state('Wait', 'Wait for instances', 120);
  h.task('Launch instances', { task: 'launch-in-region', attempts: [{ output: {} }] });
  h.state('Succeed', 'Wave ready');
  h.add('MapIterationSucceeded', { name: 'Launch waves', index: 0 });
  h.add('MapStateSucceeded', {});
  h.add('MapStateExited', { name: 'Launch waves', output: '[]' });
  if (options.fail === true) {
    h.task('Check instances', { task: 'launch-in-region', attempts: [{ error: 'Lifeboat.LaunchFailed', cause: '{"errorType":"Lifeboat.LaunchFailed","errorMessage":"instance i-0eeeeeeeeeeeeeee5 of db is impaired <img src=x onerror=alert(1)>","trace":["at f (/home/ops/tasks/launch.ts:9:1)"]}' }] });
    h.failed('Lifeboat.StepFailed', 'step "Check instances" failed with Lifeboat.LaunchFailed: {"errorType":"Lifeboat.LaunchFailed","errorMessage":"instance i-0eeeeeeeeeeeeeee5 of db is impaired <img src=x onerror=alert(1)>"}');
  } else {
    h.task('Tear down drill', { task: 'teardown', attempts: [{ output: { terminated: ['i-0eeeeeeeeeeeeeee5'] } }] });
  }
  const output = {
    planName: 'shop',
    mode: 'drill',
    startedAt: h.events[0].timestamp!.toISOString(),
    recoveryTimeSeconds: options.recoveryTimeSeconds,
    oldestRecoveryPointTime: '2026-11-25T09:30:00.000Z',
    instances: [{ workload: 'db', imageId: 'ami-0bbbbbbbbbbbbbbb2', instanceId: 'i-0eeeeeeeeeeeeeee5' }],
  };
  if (options.fail !== true) h.succeeded(output);
  const last = h.events.at(-1)!;
  const description: DescribeExecutionCommandOutput = {
    $metadata: {},
    executionArn: ARN,
    stateMachineArn: ARN.replace(':execution:', ':stateMachine:').replace(`:${NAME}`, ''),
    name: NAME,
    status: options.fail === true ? 'FAILED' : 'SUCCEEDED',
    startDate: h.events[0].timestamp,
    stopDate: last.timestamp,
    ...(options.fail === true ? { error: 'Lifeboat.StepFailed', cause: last.executionFailedEventDetails?.cause } : { output: JSON.stringify(output) }),
  };
  return { events: h, description };
}

describe('cli: buildReport', () => {
  test('met: every objective met, with the figures closest to their objective named', () => {
    const { events, description } = drill({ recoveryTimeSeconds: 600 });
    const report = buildReport(description, events.events, PLAN, NOW);
    expect(report.verdict).toBe('met');
    expect(report.reasons[0]).toMatch(/every objective was met/);
    expect(report.workloads).toEqual([
      expect.objectContaining({ workload: 'db', rpo: expect.objectContaining({ achievedSeconds: 3600, objectiveSeconds: 14400, status: 'met' }), rto: expect.objectContaining({ achievedSeconds: 600, objectiveSeconds: 3600, status: 'met' }), recoveryPoints: ['ami-0bbbbbbbbbbbbbbb2'], instances: ['i-0eeeeeeeeeeeeeee5'] }),
    ]);
    expect(report.resources).toEqual({ created: [expect.objectContaining({ id: 'i-0eeeeeeeeeeeeeee5' })], removed: [expect.objectContaining({ id: 'i-0eeeeeeeeeeeeeee5' })], instancesLeft: [] });
    // the chart: one row per state in its scope; the wave's launch polled twice, with its retry marked
    const launch = report.chart.rows.find((r) => r.name === 'Launch instances')!;
    expect(launch).toMatchObject({ iteration: 'Launch waves #0', label: 'Launch instances · Launch waves #0' });
    expect(launch.bars).toHaveLength(2);
    expect(launch.errors).toEqual([expect.objectContaining({ text: 'Lifeboat.Throttled: Request limit exceeded.', isRetried: true })]);
  });

  test('missed: a drill that succeeded slower than the RTO says which objective, by how much', () => {
    const { events, description } = drill({ recoveryTimeSeconds: 4000 });
    const report = buildReport(description, events.events, PLAN, NOW);
    expect(report.verdict).toBe('missed');
    expect(report.reasons).toContain('RTO for db 1h07m against an objective of 1h00m: missed');
  });

  test('failed: names the step, the error and the readable cause; the instance left is listed', () => {
    const { events, description } = drill({ recoveryTimeSeconds: 0, fail: true });
    const report = buildReport(description, events.events, PLAN, NOW);
    expect(report.verdict).toBe('failed');
    expect(report.reasons[0]).toBe('the run FAILED in step "Check instances" with Lifeboat.StepFailed');
    expect(report.reasons[1]).toContain('Lifeboat.LaunchFailed: instance i-0eeeeeeeeeeeeeee5 of db is impaired');
    expect(report.reasons.join(' ')).not.toContain('errorType');
    expect(report.resources.instancesLeft).toEqual(['i-0eeeeeeeeeeeeeee5']);
  });

  test('without the plan the verdict is not judged, and says how to judge it', () => {
    const { events, description } = drill({ recoveryTimeSeconds: 600 });
    const report = buildReport(description, events.events, undefined, NOW);
    expect(report.verdict).toBe('unknown');
    expect(report.reasons[0]).toContain('pass --plan FILE');
  });
});

describe('cli: objectives as the workflows record them', () => {
  test("a drill's recorded 'achieved' gives each workload its own RTO and recovery set, judged without the plan", () => {
    const { events, description } = drill({ recoveryTimeSeconds: 600 });
    const set = { executionArn: executionArn('us-east-1', 'lifeboat-shop-backup', 'backup-20261125T093000Z-0a0a'), recoveryPointTime: '2026-11-25T09:30:00.000Z' };
    const output = {
      ...JSON.parse(description.output!),
      achieved: {
        rpoSeconds: 3600, rtoSeconds: 4000, rpoObjectiveSeconds: 14400, rtoObjectiveSeconds: 3600, isRpoMet: true, isRtoMet: false,
        groups: [{ workloads: ['db'], ...set, rpoSeconds: 3600, rtoSeconds: 300 }, { workloads: ['web'], ...set, rpoSeconds: 3600, rtoSeconds: 4000 }],
      },
    };
    const report = buildReport({ ...description, output: JSON.stringify(output) }, events.events, undefined, NOW);
    expect(report.rto).toMatchObject({ achievedSeconds: 4000, objectiveSeconds: 3600, status: 'missed' });
    const db = report.workloads.find((w) => w.workload === 'db')!;
    const web = report.workloads.find((w) => w.workload === 'web')!;
    expect(db).toMatchObject({ rto: { achievedSeconds: 300, status: 'met' }, recoverySet: set, instances: ['i-0eeeeeeeeeeeeeee5'] });
    expect(web).toMatchObject({ rto: { achievedSeconds: 4000, status: 'missed' }, recoverySet: set });
    expect(report.verdict).toBe('missed');
    expect(report.reasons).toEqual(['RTO for web 1h07m against an objective of 1h00m: missed']);
    expect(renderReportHtml(report)).toContain('backup-20261125T093000Z-0a0a');
  });

  test("a backup's recorded 'rpo': a workload with no restorable point is a missed RPO", () => {
    const h = new HistoryBuilder().started();
    h.task('Resolve workloads', { task: 'resolve-workloads', attempts: [{ output: {} }] });
    const output = {
      planName: 'shop',
      recoveryPointTime: '2026-11-25T10:30:00.000Z',
      rpo: {
        measuredAt: '2026-11-25T11:00:00.000Z', maxAgeSeconds: null, objectiveSeconds: 14400, isWithinObjective: false,
        sets: [{ executionArn: executionArn('us-east-1', 'lifeboat-shop-backup', 'backup-20261125T103000Z-0b0b'), recoveryPointTime: '2026-11-25T10:30:00.000Z', ageSeconds: 1800, isComplete: true, workloads: ['web'] }],
        missing: ['db'],
      },
    };
    h.succeeded(output);
    const arn = executionArn('us-east-1', 'lifeboat-shop-backup', 'backup-20261125T103000Z-0b0b');
    const report = buildReport({ $metadata: {}, executionArn: arn, stateMachineArn: arn, name: 'backup-20261125T103000Z-0b0b', status: 'SUCCEEDED', startDate: h.events[0].timestamp, stopDate: h.events.at(-1)!.timestamp, output: JSON.stringify(output) }, h.events, PLAN, NOW);
    expect(report.workloads.map((w) => [w.workload, w.rpo.status, w.rpo.achievedSeconds])).toEqual([
      ['web', 'met', 1800],
      ['db', 'missed', undefined],
    ]);
    expect(report.verdict).toBe('missed');
  });
});

describe('cli: the HTML report', () => {
  test('is self-contained: no script, no external URL, a CSP that forbids both', () => {
    const { events, description } = drill({ recoveryTimeSeconds: 600 });
    const html = renderReportHtml(buildReport(description, events.events, PLAN, NOW), { version: '0.1.0' });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).toContain('<svg');
    expect(html.match(/<rect class="bar /g)?.length).toBeGreaterThanOrEqual(5);
  });

  test('escapes names, tags and causes (no markup from a plan or an error reaches the page)', () => {
    const { events, description } = drill({ recoveryTimeSeconds: 0, fail: true });
    const hostile = '"><script>alert(1)</script>';
    const report = buildReport({ ...description, name: `drill-${hostile}` }, events.events, { ...PLAN, name: `shop${hostile}` }, NOW);
    const html = renderReportHtml({
      ...report,
      workloads: [{ workload: `db${hostile}`, rpo: { status: 'unknown', basis: hostile }, rto: { status: 'unknown', basis: 'not measured' }, recoveryPoints: [`ami${hostile}`], instances: [] }],
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain(esc(hostile));
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(esc(`<a href='x'>&"`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&quot;');
  });
});

describe('cli: lifeboat report', () => {
  let sfn: ReturnType<typeof mockSfn>;
  let plan: string;
  beforeEach(() => {
    sfn = mockSfn();
    plan = tempFiles({ 'shop.plan.json': SHOP_PLAN })['shop.plan.json'];
  });
  afterEach(() => sfn.restore());

  test('writes the HTML file and prints its path; --json prints the report; exit 1 when an objective was missed', async () => {
    const { events, description } = drill({ recoveryTimeSeconds: 4000 });
    sfn.on(DescribeExecutionCommand).resolves(description);
    sfn.on(GetExecutionHistoryCommand).callsFake(pagedHistory(() => events.events));
    const file = join(tempFiles({ x: '' }).x, '..', 'out', 'drill.html');

    const run = await runCli(['report', NAME, '--plan', plan, '--html', file]);
    const json = await runCli(['report', ARN, '--plan', plan, '--json']);

    expect(run.code).toBe(1);
    expect(run.stdout.trim()).toBe(file);
    expect(run.stderr).toMatch(/^MISSED drill-20261125T103000Z-3fa1 \(SUCCEEDED, /);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('<strong>MISSED</strong>');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ name: NAME, verdict: 'missed', rto: { achievedSeconds: 4000, status: 'missed' } });
  });
});
