import { DescribeImagesCommand, DescribeInstancesCommand, EC2Client, type Image, type Instance } from '@aws-sdk/client-ec2';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { handler as resolveRecoveryPoints } from '../../tasks/resolve-recovery-points/handler.js';
import { handler as resolveWorkloads } from '../../tasks/resolve-workloads/handler.js';
import { handler as summarizeResults } from '../../tasks/summarize-results/handler.js';
import { EXECUTION_ARN, captureLogs, envelope, instanceField, matchesFilters, rejectionOf } from './helpers.js';

const ec2 = mockClient(EC2Client);
const s3 = mockClient(S3Client);
/** The run bucket, as S3 would hold it: key → body. */
let objects: Map<string, string>;

/** Writes static input fields to the run bucket as a deployment does (docs/decisions/0021) and returns the envelope's reference. */
const storeTable = (value: unknown, region = 'us-east-1') => {
  const body = JSON.stringify(value);
  const sha256 = createHash('sha256').update(body).digest('hex');
  const ref = { bucket: `lifeboat-runs-${region}`, key: `plans/shop/${sha256}.json`, sha256, region };
  objects.set(`${ref.bucket}/${ref.key}`, body);
  return ref;
};
const body = (text: string) => ({ Body: { transformToString: async () => text } as never });
const STORE = { bucket: 'lifeboat-runs-us-east-1', prefix: 'runs/lifeboat-shop-backup/run-1' };

beforeEach(() => {
  captureLogs();
  ec2.reset();
  s3.reset();
  objects = new Map();
  s3.on(PutObjectCommand).callsFake((req) => {
    objects.set(`${req.Bucket}/${req.Key}`, String(req.Body));
    return {};
  });
  s3.on(GetObjectCommand).callsFake((req) => {
    const text = objects.get(`${req.Bucket}/${req.Key}`);
    if (text === undefined) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    return body(text);
  });
});
afterEach(() => vi.restoreAllMocks());

describe('task: resolve-workloads (distributed run)', () => {
  const instances: Instance[] = Array.from({ length: 5 }, (_, i) => ({ InstanceId: `i-0a1b2c3d4e5f6000${i + 1}`, State: { Name: 'running' } }));
  beforeEach(() => {
    ec2.on(DescribeInstancesCommand).callsFake((req) => ({
      Reservations: [{ Instances: instances.filter((i) => matchesFilters((n) => instanceField(i, n), req.Filters)) }],
    }));
  });
  const workloads = instances.map((i, n) => ({ name: `app-${n + 1}`, isCritical: true, instanceIds: [i.InstanceId!] }));

  test('writes the batches to the run bucket as the item list and returns only counts and the object', async () => {
    // GIVEN the workload table in the run bucket (written at deploy), the rest of the input as JSON
    const event = { ...envelope('resolve-workloads', { planName: 'shop', region: 'us-east-1', batchSize: 2, itemStore: STORE }), storedInput: storeTable({ workloads }) };
    // WHEN
    const out = await resolveWorkloads(event);
    // THEN
    const key = `${STORE.prefix}/batches.json`;
    expect(out).toEqual({ batches: [], batchCount: 3, items: { bucket: STORE.bucket, key }, targetCount: 5, unmatched: [], unmatchedCount: 0 });
    const items = JSON.parse(objects.get(`${STORE.bucket}/${key}`)!);
    expect(items.map((b: { batch: number; targets: unknown[] }) => [b.batch, b.targets.length])).toEqual([[1, 2], [2, 2], [3, 1]]);
    expect(items[2].targets).toEqual([{ workload: 'app-5', instanceId: 'i-0a1b2c3d4e5f60005' }]);
  });

  test('fails an inline run that resolves to more instances than it carries, naming the fix', async () => {
    const error = await rejectionOf(resolveWorkloads(envelope('resolve-workloads', { planName: 'shop', region: 'us-east-1', batchSize: 2, workloads, maxTargets: 4 })));
    expect(error.name).toBe('Lifeboat.InvalidInput');
    expect(error.message).toMatch(/plan 'shop' resolves to 5 instances, more than the 4 an inline run carries.*set "scale": \{"mode": "distributed"\}/);
  });

  test('reads a stored table once per container, checked against the SHA-256 its definition names', async () => {
    const table = { workloads: workloads.map((w) => ({ ...w, name: `${w.name}-once` })) };
    const event = { ...envelope('resolve-workloads', { planName: 'shop', region: 'us-east-1', batchSize: 2, itemStore: STORE }), storedInput: storeTable(table) };
    await resolveWorkloads(event);
    await resolveWorkloads(event);
    const reads = s3.commandCalls(GetObjectCommand).filter((c) => c.args[0].input.Key === event.storedInput.key);
    expect(reads).toHaveLength(1);
  });

  test('a stored table that is missing, changed after deploy, or repeats an input field is refused, naming the object and what to do', async () => {
    const input = { planName: 'shop', region: 'us-east-1', batchSize: 2, itemStore: STORE };
    // Missing: the plan was never deployed with this table.
    const missing = storeTable({ workloads: workloads.slice(0, 1) });
    objects.delete(`${missing.bucket}/${missing.key}`);
    const notFound = await rejectionOf(resolveWorkloads({ ...envelope('resolve-workloads', input), storedInput: missing }));
    expect(notFound.name).toBe('Lifeboat.NotFound');
    expect(notFound.message).toContain(`storedInput: expected the plan's workload table at s3://${missing.bucket}/${missing.key}`);
    expect(notFound.message).toContain('Deploy the plan again (cdk deploy; on the sandbox, any lifeboat backup|drill|failover --local --plan <plan file> deploys it first)');
    // Changed: another body under the key the definition names.
    const changed = storeTable({ workloads: workloads.slice(0, 2) });
    objects.set(`${changed.bucket}/${changed.key}`, JSON.stringify({ workloads: workloads.slice(0, 3) }));
    const mismatch = await rejectionOf(resolveWorkloads({ ...envelope('resolve-workloads', input), storedInput: changed }));
    expect(mismatch.name).toBe('Lifeboat.InvalidInput');
    expect(mismatch.message).toMatch(new RegExp(`storedInput: expected s3://${changed.bucket}/${changed.key} to hold the table this state machine was deployed with \\(SHA-256 ${changed.sha256}\\), found other content \\(SHA-256 [0-9a-f]{64}\\)`));
    // In both: the input's field and the table's.
    const both = { ...envelope('resolve-workloads', { ...input, workloads }), storedInput: storeTable({ workloads: workloads.slice(0, 4) }) };
    expect((await rejectionOf(resolveWorkloads(both))).message).toMatch(/storedInput: expected fields not also in input, found "workloads" in both/);
  });

  test('an S3 write that is refused is Lifeboat.InvalidInput naming the object; a 503 is Lifeboat.Transient', async () => {
    const event = { ...envelope('resolve-workloads', { planName: 'shop', region: 'us-east-1', batchSize: 2, itemStore: STORE }), storedInput: storeTable({ workloads }) };
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    const denied = await rejectionOf(resolveWorkloads(event));
    expect([denied.name, denied.message]).toEqual(['Lifeboat.InvalidInput', expect.stringContaining(`write s3://${STORE.bucket}/${STORE.prefix}/batches.json: AccessDenied`)]);
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }));
    expect((await rejectionOf(resolveWorkloads(event))).name).toBe('Lifeboat.Throttled');
  });
});

describe('task: resolve-recovery-points (distributed run)', () => {
  const point = (n: number, wave: number): Image => ({
    ImageId: `ami-0a1b2c3d4e5f6${String(n).padStart(4, '0')}`,
    State: 'available',
    Tags: [
      { Key: 'lifeboat:plan', Value: 'shop' },
      { Key: 'lifeboat:role', Value: 'recovery-point' },
      { Key: 'lifeboat:verified', Value: 'true' },
      { Key: 'lifeboat:workload', Value: `app-${n}` },
      { Key: 'lifeboat:source-instance', Value: `i-0a1b2c3d4e5f6${String(n).padStart(4, '0')}` },
      { Key: 'lifeboat:recovery-point-time', Value: '2026-11-25T06:30:00.000Z' },
      { Key: 'lifeboat:execution-arn', Value: EXECUTION_ARN },
      { Key: 'lifeboat:set-size', Value: '1' },
      { Key: 'wave', Value: String(wave) },
    ],
  });
  const launch = { subnetIds: ['subnet-0aa11bb22cc330001'], securityGroupIds: [], instanceTypes: ['m5.large'] };

  test("writes each wave's launch batches to its own item list, in wave order, keeping counts only in the output", async () => {
    ec2.on(DescribeImagesCommand).resolves({ Images: [1, 2, 3, 4, 5].map((n) => point(n, n <= 3 ? 1 : 2)) });
    const workloads = [1, 2, 3, 4, 5].map((n) => ({ name: `app-${n}`, isCritical: true, wave: n <= 3 ? 1 : 2, launch }));
    const store = { bucket: 'lifeboat-runs-us-west-2', prefix: 'runs/lifeboat-shop-drill/run-1' };
    const event = { ...envelope('resolve-recovery-points', { planName: 'shop', region: 'us-west-2', itemStore: store, launchBatchSize: 2 }), storedInput: storeTable({ workloads }, 'us-west-2') };
    const out = (await resolveRecoveryPoints(event)) as { waves: unknown[] };
    expect(out.waves).toEqual([
      { wave: 1, targets: [], targetCount: 3, batchCount: 2, items: { bucket: store.bucket, key: `${store.prefix}/wave-1.json` } },
      { wave: 2, targets: [], targetCount: 2, batchCount: 1, items: { bucket: store.bucket, key: `${store.prefix}/wave-2.json` } },
    ]);
    // The sets name their first workloads with a count; every workload is in recovery-sets.json.
    const sets = (out as unknown as { sets: unknown[] }).sets;
    expect(sets).toEqual([{ executionArn: EXECUTION_ARN, recoveryPointTime: '2026-11-25T06:30:00.000Z', isComplete: true, workloads: ['app-1', 'app-2', 'app-3', 'app-4', 'app-5'], workloadCount: 5 }]);
    expect(out).toMatchObject({ missing: [], missingCount: 0, recoverySets: { bucket: store.bucket, key: `${store.prefix}/recovery-sets.json` } });
    const stored = JSON.parse(objects.get(`${store.bucket}/${store.prefix}/recovery-sets.json`)!);
    expect(stored).toEqual({ sets: [{ executionArn: EXECUTION_ARN, recoveryPointTime: '2026-11-25T06:30:00.000Z', isComplete: true, workloads: ['app-1', 'app-2', 'app-3', 'app-4', 'app-5'] }], missing: [] });
    const wave1 = JSON.parse(objects.get(`${store.bucket}/${store.prefix}/wave-1.json`)!);
    expect(wave1.map((b: { wave: number; batch: number; targets: { workload: string }[] }) => [b.wave, b.batch, b.targets.map((t) => t.workload)])).toEqual([
      [1, 1, ['app-1', 'app-2']],
      [1, 2, ['app-3']],
    ]);
  });

  test('a distributed run of 12 workloads names its first 5 per set, and the first 50 missing, with counts; the object has them all', async () => {
    const names = Array.from({ length: 80 }, (_, i) => `app-${i + 1}`);
    // app-1..12 have a recovery point; app-13..80 are optional and have none
    ec2.on(DescribeImagesCommand).resolves({ Images: names.slice(0, 12).map((_, i) => point(i + 1, 1)) });
    const workloads = names.map((name, i) => ({ name, isCritical: i < 12, wave: 1, launch }));
    const store = { bucket: 'lifeboat-runs-us-west-2', prefix: 'runs/lifeboat-shop-drill/run-2' };
    const event = { ...envelope('resolve-recovery-points', { planName: 'shop', region: 'us-west-2', itemStore: store, launchBatchSize: 5 }), storedInput: storeTable({ workloads }, 'us-west-2') };
    const out = (await resolveRecoveryPoints(event)) as { sets: { workloads: string[]; workloadCount: number }[]; missing: string[]; missingCount: number };
    expect(out.sets.map((s) => [s.workloads, s.workloadCount])).toEqual([[names.slice(0, 5), 12]]);
    expect([out.missing, out.missingCount]).toEqual([names.slice(12, 62), 68]);
    const stored = JSON.parse(objects.get(`${store.bucket}/${store.prefix}/recovery-sets.json`)!);
    expect([stored.sets[0].workloads, stored.missing]).toEqual([names.slice(0, 12), names.slice(12)]);
  });

  test('at 10,000 workloads (32-character names) the output stays under 8 KiB with every count right (issue 8, "Any size")', async () => {
    // app-1..12 are critical and have a point; 9,988 optional ones (32-character names) have none: 340 KB of names before the bound
    const names = Array.from({ length: 10_000 }, (_, i) => (i < 12 ? `app-${i + 1}` : `workload-with-a-long-name-${String(i).padStart(6, '0')}`));
    ec2.on(DescribeImagesCommand).resolves({ Images: names.slice(0, 12).map((_, i) => point(i + 1, 1)) });
    const workloads = names.map((name, i) => ({ name, isCritical: i < 12, wave: 1, launch }));
    const store = { bucket: 'lifeboat-runs-us-west-2', prefix: 'runs/lifeboat-shop-drill/run-3' };
    const event = { ...envelope('resolve-recovery-points', { planName: 'shop', region: 'us-west-2', itemStore: store }), storedInput: storeTable({ workloads }, 'us-west-2') };
    const out = (await resolveRecoveryPoints(event)) as { missing: string[]; missingCount: number; sets: { workloadCount: number }[] };
    expect(JSON.stringify(out).length).toBeLessThan(8_192);
    expect([out.missing.length, out.missing[0], out.missingCount, out.sets[0].workloadCount]).toEqual([50, names[12], 9_988, 12]);
    expect(JSON.parse(objects.get(`${store.bucket}/${store.prefix}/recovery-sets.json`)!).missing).toHaveLength(9_988);
  });

  test('10,000 critical workloads without a recovery point fail with a cause that names the first 20 and counts the rest', async () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `workload-with-a-long-name-${String(i).padStart(6, '0')}`);
    ec2.on(DescribeImagesCommand).resolves({ Images: [] });
    const workloads = names.map((name) => ({ name, isCritical: true, wave: 1, launch }));
    const store = { bucket: 'lifeboat-runs-us-west-2', prefix: 'runs/lifeboat-shop-drill/run-4' };
    const event = { ...envelope('resolve-recovery-points', { planName: 'shop', region: 'us-west-2', itemStore: store }), storedInput: storeTable({ workloads }, 'us-west-2') };
    const error = await rejectionOf(resolveRecoveryPoints(event));
    expect(error.name).toBe('Lifeboat.NotFound');
    // A Step Functions cause holds at most 32,768 characters; unbounded, this one was about 900,000.
    expect(error.message.length).toBeLessThan(4_096);
    expect(error.message).toContain(`critical workload '${names[19]}'`);
    expect(error.message).not.toContain(names[20]);
    expect(error.message).toMatch(/; and 9980 more workload\(s\) without a recovery point \(every one is in this task's log\)$/);
  });
});

describe('task: summarize-results', () => {
  const manifestKey = 'runs/lifeboat-shop-backup/run-1/batches/0a1b/manifest.json';
  const put = (key: string, value: unknown) => objects.set(`lifeboat-runs-us-east-1/${key}`, JSON.stringify(value));
  const input = (kind: 'backup-batches' | 'launch-wave', storeKey: string) => ({
    kind,
    planName: 'shop',
    region: 'us-east-1',
    manifest: { bucket: 'lifeboat-runs-us-east-1', key: manifestKey },
    store: { bucket: 'lifeboat-runs-us-east-1', key: storeKey },
  });

  test('adds up the verified points of every result file the manifest lists and writes the list once', async () => {
    put(manifestKey, {
      DestinationBucket: 'lifeboat-runs-us-east-1',
      MapRunArn: 'arn:aws:states:us-east-1:123456789012:mapRun:lifeboat-shop-backup/batch:0a1b',
      ResultFiles: { SUCCEEDED: [{ Key: 'r/SUCCEEDED_0.json', Size: 1 }, { Key: 'r/SUCCEEDED_1.json', Size: 1 }], FAILED: [], PENDING: [] },
    });
    put('r/SUCCEEDED_0.json', [{ batch: 1, verified: [{ workload: 'a', instanceId: 'i-0a1b2c3d4e5f60001', imageId: 'ami-0a1b2c3d4e5f60001' }] }]);
    put('r/SUCCEEDED_1.json', [
      // a failed-then-redriven child may be written as its execution record, Output as a JSON string
      { ExecutionArn: `${EXECUTION_ARN}/batch:2`, Status: 'SUCCEEDED', Output: JSON.stringify({ batch: 2, verified: [{ workload: 'b', instanceId: 'i-0a1b2c3d4e5f60002', imageId: 'ami-0a1b2c3d4e5f60002' }] }) },
    ]);
    const out = await summarizeResults(envelope('summarize-results', input('backup-batches', 'runs/lifeboat-shop-backup/run-1/recovery-points.json')));
    expect(out).toEqual({
      kind: 'backup-batches',
      succeededCount: 2,
      failedCount: 0,
      records: { bucket: 'lifeboat-runs-us-east-1', key: 'runs/lifeboat-shop-backup/run-1/recovery-points.json' },
      recordCount: 2,
      verifiedCount: 2,
    });
    expect(JSON.parse(objects.get('lifeboat-runs-us-east-1/runs/lifeboat-shop-backup/run-1/recovery-points.json')!).map((r: { workload: string }) => r.workload)).toEqual(['a', 'b']);
  });

  test("takes a wave's latest readyAt, sums ready and skipped instances, and names at most 50 skipped", async () => {
    const skipped = Array.from({ length: 60 }, (_, i) => `opt/i-0a1b2c3d4e5f6${String(i).padStart(4, '0')}`);
    put(manifestKey, { ResultFiles: { SUCCEEDED: [{ Key: 'w/SUCCEEDED_0.json' }], FAILED: [], PENDING: [] } });
    put('w/SUCCEEDED_0.json', [
      { wave: 1, readyAt: '2026-11-25T10:04:00.000Z', readyCount: 2, skipped: skipped.slice(0, 30), instances: [{ workload: 'web', instanceId: 'i-1' }, { workload: 'web', instanceId: 'i-2' }] },
      { wave: 1, readyAt: '2026-11-25T10:06:30.000Z', readyCount: 1, skipped: skipped.slice(30), instances: [{ workload: 'db', instanceId: 'i-3' }] },
    ]);
    const out = await summarizeResults(envelope('summarize-results', input('launch-wave', 'runs/lifeboat-shop-drill/run-1/wave-1-instances.json')));
    expect(out).toMatchObject({ kind: 'launch-wave', succeededCount: 2, readyAt: '2026-11-25T10:06:30.000Z', readyCount: 3, skippedCount: 60, recordCount: 3, workloadCount: 2 });
    // The wave's workloads are counted, not listed: the instance list in the run bucket names them.
    expect(out).not.toHaveProperty('workloads');
    expect((out as { skipped: string[] }).skipped).toEqual(skipped.slice(0, 50));
  });

  test('fails with Lifeboat.NotFound naming the manifest when it does not exist', async () => {
    const error = await rejectionOf(summarizeResults(envelope('summarize-results', input('backup-batches', 'runs/x/recovery-points.json'))));
    expect([error.name, error.message]).toEqual(['Lifeboat.NotFound', expect.stringContaining(`read s3://lifeboat-runs-us-east-1/${manifestKey}: NoSuchKey`)]);
  });
});
