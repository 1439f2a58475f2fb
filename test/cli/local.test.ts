/**
 * Issue 11 on the sandbox: `list --local` across plans, names on the sandbox's clock, hints that
 * keep `--local`, regions the sandbox does not serve refused as usage errors.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bindProject } from '../../cli/local/bind.js';
import { writeSandboxInfo } from '../../cli/local/endpoint.js';
import { type Sandbox, startSandbox } from '../../sandbox/index.js';
import { runCli } from './cli-harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SMALL = join(ROOT, 'examples/small.plan.json');
/** The sandbox's virtual clock, far from the wall clock. */
const SANDBOX_START = Date.parse('2031-03-04T05:06:07Z');

describe('cli: --local against a running sandbox', () => {
  let dir: string;
  let sandbox: Sandbox;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lifeboat-cli-local-'));
    // Two regions only, so a valid region it does not serve can be shown refused.
    sandbox = await startSandbox({ dataDir: dir, startMs: SANDBOX_START, log: () => {}, ec2: { regions: ['us-east-1', 'us-west-2'] } });
    await bindProject(sandbox, { taskLog: () => {} });
    writeSandboxInfo(dir, { endpoint: sandbox.endpoint, pid: process.pid, dataDir: dir, region: sandbox.region, startedAt: new Date().toISOString() });
  });
  afterAll(async () => {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('list --local with no run yet says there is no Lifeboat machine and how to start one, keeping --local', async () => {
    const run = await runCli(['list', '--local', '--data', dir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('no Lifeboat state machines on the sandbox');
    expect(run.stderr).toContain(`'lifeboat backup --local --data ${dir} --plan FILE'`);
  });

  test("a run started with --local is named on the sandbox's clock, and list --local without --plan shows it with its plan", async () => {
    const started = await runCli(['backup', '--local', '--data', dir, '--plan', SMALL, '--json']);
    expect(started.code).toBe(0);
    const { name, startDate } = JSON.parse(started.stdout) as { name: string; startDate: string };
    // the name's stamp and the sandbox's start date are on the same clock (2031, not today)
    expect(name).toMatch(/^backup-20310304T\d{6}Z-[0-9a-f]{4}$/);
    expect(startDate.slice(0, 10)).toBe('2031-03-04');
    const stamp = /^backup-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(name)!.slice(1);
    const stampMs = Date.parse(`${stamp[0]}-${stamp[1]}-${stamp[2]}T${stamp[3]}:${stamp[4]}:${stamp[5]}Z`);
    expect(Math.abs(Date.parse(startDate) - stampMs)).toBeLessThan(60_000);

    const listed = await runCli(['list', '--local', '--data', dir]);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^PLAN\s+NAME\s+KIND\s+STATUS/);
    expect(lines.some((l) => l.startsWith('wiki') && l.includes(name) && l.includes('backup'))).toBe(true);
  });

  test('list --status with no match says which status had none', async () => {
    const run = await runCli(['list', '--local', '--data', dir, '--plan', SMALL, '--status', 'TIMED_OUT']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('no TIMED_OUT executions\n');
  });

  test('a hint naming another command keeps --local and --data', async () => {
    const run = await runCli(['history', 'backup-20310304T000000Z-ffff', '--local', '--data', dir, '--plan', SMALL]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`hint: run 'lifeboat list --local --data ${dir} --plan ${SMALL}' to see recent runs`);
  });

  test('a valid AWS region the sandbox does not serve is a usage error naming it, never an internal error', async () => {
    const plan = join(dir, 'tokyo.plan.json');
    writeFileSync(
      plan,
      JSON.stringify({
        name: 'tokyo',
        primaryRegion: 'ap-northeast-1',
        recoveryRegion: 'us-west-2',
        objectives: { rpoMinutes: 240, rtoMinutes: 60 },
        workloads: [{ name: 'app', instanceIds: ['i-0123456789abcdef0'], launch: { subnetIds: ['subnet-0a1b2c3d4e5f60718'], instanceTypes: ['t3.medium'] } }],
        drill: { isolatedSubnetIds: ['subnet-0d1e2f3a4b5c60718'] },
      }),
    );
    // plan check accepts it: ap-northeast-1 is a real region
    expect((await runCli(['plan', 'check', plan])).code).toBe(0);
    for (const argv of [
      ['backup', '--local', '--data', dir, '--plan', plan],
      ['list', '--local', '--data', dir, '--plan', plan],
      ['list', '--local', '--data', dir, '--region', 'ap-northeast-1'],
    ]) {
      const run = await runCli(argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr).toContain(`error: lifeboat ${argv[0]}: the local sandbox does not serve ap-northeast-1 (it serves us-east-1, us-west-2)`);
      expect(run.stderr).not.toContain('internal error');
    }
  });
});

describe('cli: --local without a running sandbox', () => {
  test('a run started without --follow is followed to its end, not aborted when the command exits', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeboat-cli-inprocess-'));
    try {
      const run = await runCli(['backup', '--local', '--data', dir, '--plan', SMALL, '--json']);
      expect(run.stderr).toContain("no 'lifeboat sandbox' is running for this data directory");
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ status: 'SUCCEEDED' });
      const listed = JSON.parse((await runCli(['list', '--local', '--data', dir, '--json'])).stdout) as { executions: { status: string }[] };
      expect(listed.executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
