import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { DescribeImagesCommand, DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { startSandbox } from '../../sandbox/index.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const PLAN = 'examples/small.plan.json';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Runs `node bin/lifeboat.js …` from the repository root, as a user would, in a process of its own. */
async function lifeboat(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['bin/lifeboat.js', ...args], { cwd: ROOT, timeout: 240_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
}

interface Listed {
  readonly kind: string;
  readonly status: string;
  readonly startDate: string;
  readonly stopDate: string;
}

describe('e2e: --local commands in separate processes share the sandbox data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-local-cli-'));
  const data = join(dir, 'sandbox');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a drill in a new process recovers from the backup an earlier process made, and list shows both runs', { timeout: 600_000 }, async () => {
    // GIVEN a backup run to the end by one `lifeboat` process
    const backup = await lifeboat('backup', '--local', '--plan', PLAN, '--follow', '--data', data);
    expect(backup.stdout).toMatch(/backup-\S+ SUCCEEDED/);
    // the progress lines (stderr) name what each step created
    const copied = /Copy images.*created (ami-[0-9a-f]{17})/.exec(backup.stderr)?.[1];
    expect(copied, `expected the backup's progress to name the copied image, found:\n${backup.stderr}`).toBeDefined();

    // WHEN another process runs a drill on the same data directory
    const drill = await lifeboat('drill', '--local', '--plan', PLAN, '--follow', '--data', data);

    // THEN the drill found the recovery point and succeeded
    expect(drill.stdout).toMatch(/drill-\S+ SUCCEEDED/);
    const listed = JSON.parse((await lifeboat('list', '--local', '--plan', PLAN, '--data', data, '--json')).stdout) as { executions: Listed[] };
    expect(listed.executions.map((e) => [e.kind, e.status])).toEqual([
      ['drill', 'SUCCEEDED'],
      ['backup', 'SUCCEEDED'],
    ]);
    // simulated time did not run backwards between the processes
    const [drillRun, backupRun] = listed.executions;
    expect(Date.parse(drillRun!.startDate)).toBeGreaterThanOrEqual(Date.parse(backupRun!.stopDate));

    // AND the drill's instance was launched from the image the first process copied
    const sandbox = await startSandbox({ dataDir: data, log: () => {} });
    try {
      const ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: 'us-west-2', credentials, maxAttempts: 1 });
      const images = await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }));
      expect(images.Images!.map((i) => [i.ImageId, i.State])).toEqual([[copied, 'available']]);
      const instances = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'image-id', Values: [copied!] }] }));
      expect(instances.Reservations!.flatMap((r) => r.Instances!).map((i) => i.State!.Name)).toEqual(['terminated']);
    } finally {
      await sandbox.stop();
    }
  });
});
