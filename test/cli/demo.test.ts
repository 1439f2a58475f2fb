import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { DemoReport } from '../../cli/commands/demo.js';
import { runCli } from './cli-harness.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lifeboat-demo-'));
  dirs.push(d);
  return d;
}

describe('cli: demo', () => {
  test('runs a backup then a drill of the example plan and reports RPO, RTO and resources measured from EC2', async () => {
    // GIVEN an empty data directory
    const data = tempDir();

    // WHEN
    const run = await runCli(['demo', '--data', data, '--json']);

    // THEN both runs succeeded and the report adds up
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as DemoReport;
    expect(report.runs.map((r) => [r.kind, r.status])).toEqual([
      ['backup', 'SUCCEEDED'],
      ['drill', 'SUCCEEDED'],
    ]);
    // achieved RPO: the age, at the drill's start, of the recovery set it restored (the backup's)
    const [backup, drill] = report.runs;
    expect(report.recovery?.sets).toEqual([{ executionArn: backup!.executionArn, recoveryPointTime: expect.any(String), isComplete: true, workloads: ['db', 'web', 'reports'] }]);
    // the set's time is the backup's start (its execution StartTime; the history's first event may be a few ms later)
    expect(Math.abs(Date.parse(report.recovery!.sets![0]!.recoveryPointTime) - Date.parse(backup!.timeline.startedAt!))).toBeLessThan(1000);
    const expectedRpo = (Date.parse(drill!.timeline.startedAt!) - Date.parse(backup!.timeline.startedAt!)) / 1000;
    expect(Math.abs(report.rpo.achievedSeconds - expectedRpo)).toBeLessThanOrEqual(1);
    expect(report.rpo.achievedSeconds).toBeGreaterThanOrEqual(Math.floor(backup!.simulatedSeconds));
    expect(report.rpo.objectiveSeconds).toBe(240 * 60);
    expect(report.rto.achievedSeconds).toBeGreaterThan(0);
    expect(report.rto.achievedSeconds).toBeLessThan(report.runs[1]!.simulatedSeconds);
    expect(report.resources).toMatchObject({ sourceImages: 4, recoveryPoints: 4, verifiedRecoveryPoints: 4, drillInstancesLaunched: 4, drillInstancesTornDown: 4, drillInstancesLeftRunning: 0 });
    // progress went to stderr while the runs were followed
    expect(run.stderr).toContain('▶ backup');
    expect(run.stderr).toContain('Tear down drill');

    // WHEN the same data directory is listed afterwards, through --local in this process
    const list = await runCli(['list', '--local', '--data', data, '--plan', 'examples/three-tier.plan.json', '--json']);

    // THEN the same two runs are there
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(list.stdout))).toContain(report.runs[1]!.name);
    expect(JSON.stringify(JSON.parse(list.stdout))).toContain(report.runs[0]!.name);
  });

  test('prints a readable report with the timelines and the objectives', async () => {
    const run = await runCli(['demo', '--data', tempDir(), '--plan', 'examples/small.plan.json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/RPO +\S+ +achieved .* against 4h00m: met/);
    expect(run.stdout).toMatch(/RTO +\S+ +achieved .* against 1h00m: met/);
    expect(run.stdout).toContain('Tear down drill');
    expect(run.stdout).toContain('left running: 0');
  });

  test('rejects a broken plan before starting anything, naming each bad path', async () => {
    const data = tempDir();
    const run = await runCli(['demo', '--data', data, '--plan', 'examples/broken.plan.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('examples/broken.plan.json › workloads[0].launch.subnetIds');
    expect(run.stderr).toContain('examples/broken.plan.json › recoveryRegion');
  });
});
