import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DescribeImagesCommand, DescribeSnapshotsCommand, EC2Client, type Image } from '@aws-sdk/client-ec2';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, test } from 'vitest';
import { TAG_KEYS } from '../../schemas/tags.js';
import { sandboxProcess as startSandboxProcess } from './helpers.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const PLAN = 'examples/three-tier.plan.json';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const children: ChildProcess[] = [];
const dirs: string[] = [];

/** {@link startSandboxProcess} with seed 9, its process killed after the test. */
async function sandboxProcess(data: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const box = await startSandboxProcess(data, ['--seed', '9']);
  children.push(box.child);
  return box;
}

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const sfnAt = (endpoint: string) => new SFNClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
const history = async (sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> => (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
const functionOf = (e: HistoryEvent): string | undefined => (JSON.parse(e.taskScheduledEventDetails?.parameters ?? '{}') as { FunctionName?: string }).FunctionName;

/** The recovery points in a region, by the instance each was made from. */
async function imagesBySource(endpoint: string, region: string): Promise<{ bySource: Record<string, string[]>; images: Image[]; snapshots: number }> {
  const ec2 = new EC2Client({ endpoint, region, credentials, maxAttempts: 1 });
  const images = (await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images ?? [];
  const snapshots = (await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots?.length ?? 0;
  ec2.destroy();
  const bySource: Record<string, string[]> = {};
  for (const i of images) {
    const source = i.Tags?.find((t) => t.Key === TAG_KEYS.sourceInstance)?.Value ?? '(untagged)';
    (bySource[source] ??= []).push(i.ImageId!);
  }
  return { bySource, images, snapshots };
}

describe('e2e: a backup whose sandbox is killed (SIGKILL) mid-run finishes after a restart, with no duplicates', () => {
  test('killed while copying: the restarted sandbox carries the run on; one image per instance in each region, as an uninterrupted run leaves', { timeout: 600_000 }, async () => {
    // GIVEN a standalone sandbox and a backup of the three-tier plan started from another process
    const data = mkdtempSync(join(tmpdir(), 'lifeboat-backup-crash-'));
    dirs.push(data);
    const first = await sandboxProcess(data);
    const started = await run(process.execPath, ['bin/lifeboat.js', 'backup', '--local', '--plan', PLAN, '--data', data, '--json'], { cwd: ROOT, timeout: 240_000 });
    const { executionArn } = JSON.parse(started.stdout) as { executionArn: string };
    const sfn1 = sfnAt(first.endpoint);

    // WHEN the sandbox process is killed as soon as the first image copy is in flight
    let inFlight: HistoryEvent | undefined;
    for (let i = 0; i < 20_000 && !inFlight; i++) {
      inFlight = (await history(sfn1, executionArn)).find((e) => e.type === 'TaskScheduled' && functionOf(e)?.endsWith('-copy'));
      if (!inFlight) await new Promise((r) => setTimeout(r, 5));
    }
    expect(inFlight, 'the backup never reached its copy step').toBeDefined();
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    sfn1.destroy();
    // … and a new one starts on the same data directory
    const second = await sandboxProcess(data);
    const sfn2 = sfnAt(second.endpoint);

    // THEN the run, still RUNNING after the restart, finishes successfully
    let status = 'RUNNING';
    for (let i = 0; i < 2_400 && status === 'RUNNING'; i++) {
      status = (await sfn2.send(new DescribeExecutionCommand({ executionArn }))).status!;
      if (status === 'RUNNING') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('SUCCEEDED');
    const events = await history(sfn2, executionArn);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type === 'ExecutionSucceeded')).toHaveLength(1);
    // the copies in flight at the kill were scheduled again: the events of the last 250 ms before a
    // crash may not have reached disk (on the virtual clock that can be dozens of events), so the
    // run resumes from an earlier event and asks for the same images' copies again
    const imagesOf = (e: HistoryEvent): string[] =>
      ((JSON.parse(e.taskScheduledEventDetails!.parameters!) as { Payload: { input: { images?: { imageId: string }[] } } }).Payload.input.images ?? []).map((i) => i.imageId).sort();
    const copyPasses = events.filter((e) => e.type === 'TaskScheduled' && functionOf(e)?.endsWith('-copy'));
    expect(copyPasses.some((e) => JSON.stringify(imagesOf(e)) === JSON.stringify(imagesOf(inFlight!)))).toBe(true);
    // … and every instance has exactly one available image in the primary region and one copy in
    // the recovery region: the copy in flight at the kill was invoked again without copying twice
    const primary = await imagesBySource(second.endpoint, 'us-east-1');
    const recovery = await imagesBySource(second.endpoint, 'us-west-2');
    const sources = Object.keys(primary.bySource).sort();
    expect(sources).toHaveLength(4);
    expect(sources).not.toContain('(untagged)');
    expect(Object.values(primary.bySource).every((ids) => ids.length === 1)).toBe(true);
    expect(Object.keys(recovery.bySource).sort()).toEqual(sources);
    expect(Object.values(recovery.bySource).every((ids) => ids.length === 1)).toBe(true);
    expect([...primary.images, ...recovery.images].every((i) => i.State === 'available')).toBe(true);
    // (an uninterrupted backup of this plan leaves 4 images and 6 snapshots in each region)
    expect([primary.snapshots, recovery.snapshots]).toEqual([6, 6]);
    sfn2.destroy();
  });
});
