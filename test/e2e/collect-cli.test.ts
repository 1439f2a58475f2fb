import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const PLAN = 'examples/small.plan.json';

async function lifeboat(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const out = await run(process.execPath, ['bin/lifeboat.js', ...args], { cwd: ROOT, timeout: 240_000, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, ...out };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('e2e: lifeboat collect --local', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-collect-cli-'));
  const data = join(dir, 'sandbox');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('runs the collector of both regions; a dry run reports per region and removes nothing', { timeout: 600_000 }, async () => {
    const backup = await lifeboat('backup', '--local', '--plan', PLAN, '--follow', '--data', data);
    expect(backup.code, backup.stderr).toBe(0);

    const dry = await lifeboat('collect', '--local', '--plan', PLAN, '--data', data, '--dry-run', '--json');

    expect(dry.code, dry.stderr).toBe(0);
    const report = JSON.parse(dry.stdout) as { plan: string; isDryRun: boolean; runs: Array<{ region: string; status: string; executionArn: string; output: { isDryRun: boolean; counts: object } }> };
    expect(report.isDryRun).toBe(true);
    expect(report.runs.map((r) => [r.region, r.status])).toEqual([
      ['us-east-1', 'SUCCEEDED'],
      ['us-west-2', 'SUCCEEDED'],
    ]);
    for (const r of report.runs) {
      expect(r.executionArn).toMatch(new RegExp(`:execution:lifeboat-${report.plan}-collect:collect-`));
      expect(r.output).toMatchObject({ isDryRun: true, counts: { instances: 0, images: 0, snapshots: 0 } });
    }
    expect(dry.stderr).toContain('dry run of the collector in us-east-1');
  });

  test('refuses to run without --plan, with a hint', async () => {
    const out = await lifeboat('collect', '--local', '--data', data);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('lifeboat collect: --plan FILE is required');
  });
});
