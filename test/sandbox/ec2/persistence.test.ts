import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  CreateImageCommand,
  CreateLaunchTemplateCommand,
  CreateTagsCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { DebouncedDocument, Store } from '../../../sandbox/store.js';
import { until } from './harness.js';
import { T0 } from './setup.js';

const REGION = 'us-west-2';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Holds a sandbox's virtual clock still (no jumps to pending transitions) until released. */
function holdClock(sandbox: Sandbox): () => void {
  let release!: () => void;
  void sandbox.clock.track(new Promise<void>((resolve) => (release = resolve)));
  return release;
}

describe('sandbox: ec2 persistence', () => {
  const dirs: string[] = [];
  const sandboxes: Sandbox[] = [];
  const logs: string[] = [];

  async function start(dataDir: string, options: { startMs?: number } = {}): Promise<{ sandbox: Sandbox; ec2: EC2Client }> {
    const sandbox = await startSandbox({ dataDir, startMs: options.startMs ?? T0, seed: 7, log: (m) => logs.push(m) });
    sandboxes.push(sandbox);
    return { sandbox, ec2: new EC2Client({ endpoint: sandbox.endpoint, region: REGION, credentials, maxAttempts: 1 }) };
  }

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-ec2-persist-'));
    dirs.push(dir);
    return dir;
  }

  afterEach(async () => {
    for (const s of sandboxes.splice(0)) await s.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    logs.length = 0;
  });

  test('images, snapshots, instances, tags, launch templates and client tokens are described the same after a restart on the same data directory', async () => {
    // GIVEN a sandbox with a seeded instance, a launched one, an image being created and a launch template
    const dataDir = tempDir();
    const first = await start(dataDir);
    const release = holdClock(first.sandbox);
    const [sourceId] = first.sandbox.ec2.seedInstances(REGION, [{ instanceType: 'm5.large', tags: { app: 'shop' }, volumes: [{ sizeGiB: 20, encrypted: true }, { sizeGiB: 50 }] }]);
    const base = first.sandbox.ec2.region(REGION).images({ includePublic: true })[0]!.imageId;
    const launched = await first.ec2.send(
      new RunInstancesCommand({ ImageId: base, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro', ClientToken: 'launch-web-1', TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] }] }),
    );
    const launchedId = launched.Instances![0]!.InstanceId!;
    const { ImageId: imageId } = await first.ec2.send(
      new CreateImageCommand({ InstanceId: sourceId, Name: 'shop-backup-1', TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'app', Value: 'shop' }] }, { ResourceType: 'snapshot', Tags: [{ Key: 'app', Value: 'shop' }] }] }),
    );
    await first.ec2.send(new CreateTagsCommand({ Resources: [imageId!], Tags: [{ Key: 'retain', Value: '7d' }] }));
    const template = await first.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'web', LaunchTemplateData: { InstanceType: 't3.small', ImageId: base } }));
    const imagesBefore = await first.ec2.send(new DescribeImagesCommand({ Owners: ['self'] }));
    const instancesBefore = await first.ec2.send(new DescribeInstancesCommand({}));
    const snapshotsBefore = await first.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    expect(imagesBefore.Images!.map((i) => i.State)).toEqual(['pending']);
    expect(snapshotsBefore.Snapshots).toHaveLength(2);
    const stoppedAt = first.sandbox.clock.now();
    await first.sandbox.stop();
    release();

    // WHEN a new sandbox starts on the same directory, with a clock told to start earlier
    const second = await start(dataDir, { startMs: T0 - 3_600_000 });
    holdClock(second.sandbox);

    // THEN time has not gone backwards and every resource is described as before
    expect(second.sandbox.clock.now()).toBeGreaterThanOrEqual(stoppedAt);
    const imagesAfter = await second.ec2.send(new DescribeImagesCommand({ Owners: ['self'] }));
    expect(imagesAfter.Images).toEqual(imagesBefore.Images);
    expect(imagesAfter.Images![0]).toMatchObject({ ImageId: imageId, Name: 'shop-backup-1', State: 'pending', Tags: [{ Key: 'app', Value: 'shop' }, { Key: 'retain', Value: '7d' }] });
    const instancesAfter = await second.ec2.send(new DescribeInstancesCommand({}));
    expect(instancesAfter.Reservations).toEqual(instancesBefore.Reservations);
    const byId = new Map(instancesAfter.Reservations!.flatMap((r) => r.Instances!).map((i) => [i.InstanceId!, i]));
    expect(byId.get(sourceId!)).toMatchObject({ State: { Name: 'running' }, Tags: [{ Key: 'app', Value: 'shop' }] });
    expect(byId.get(launchedId)).toMatchObject({ State: { Name: 'pending' }, Tags: [{ Key: 'Name', Value: 'web' }], ClientToken: 'launch-web-1' });
    const snapshotsAfter = await second.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    expect(snapshotsAfter.Snapshots!.map((s) => [s.SnapshotId, s.State, s.VolumeSize, s.Encrypted, s.Tags])).toEqual(
      snapshotsBefore.Snapshots!.map((s) => [s.SnapshotId, 'pending', s.VolumeSize, s.Encrypted, [{ Key: 'app', Value: 'shop' }]]),
    );
    const templates = await second.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['web'] }));
    expect(templates.LaunchTemplates!.map((t) => t.LaunchTemplateId)).toEqual([template.LaunchTemplate!.LaunchTemplateId]);
    // the ClientToken is still remembered: the same call returns the same instance, not a new one
    const again = await second.ec2.send(
      new RunInstancesCommand({ ImageId: base, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro', ClientToken: 'launch-web-1', TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] }] }),
    );
    expect(again.Instances!.map((i) => i.InstanceId)).toEqual([launchedId]);
  });

  test('a pending image, its snapshots and a pending instance finish their transitions on the restarted clock', async () => {
    // GIVEN an image and an instance still pending when the sandbox stops
    const dataDir = tempDir();
    const first = await start(dataDir);
    const release = holdClock(first.sandbox);
    const [sourceId] = first.sandbox.ec2.seedInstances(REGION, [{ instanceType: 'm5.large', volumes: [{ sizeGiB: 100 }] }]);
    const { ImageId: imageId } = await first.ec2.send(new CreateImageCommand({ InstanceId: sourceId, Name: 'nightly' }));
    const base = first.sandbox.ec2.region(REGION).images({ includePublic: true }).find((i) => i.ownerId !== '123456789012')!.imageId;
    const run = await first.ec2.send(new RunInstancesCommand({ ImageId: base, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro' }));
    const readyAt = first.sandbox.ec2.region(REGION).images({ state: 'pending' })[0]!.readyAt!;
    expect(readyAt).toBeGreaterThan(first.sandbox.clock.now());
    await first.sandbox.stop();
    release();

    // WHEN a new sandbox on the same directory lets its clock run to the image's due time
    const second = await start(dataDir);
    expect(second.sandbox.ec2.region(REGION).images({ state: 'pending' }).map((i) => [i.imageId, i.readyAt])).toEqual([[imageId, readyAt]]);
    await until(second.sandbox.clock, readyAt);

    // THEN the image is available, its snapshot completed, the instance running
    const images = await second.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId!] }));
    expect(images.Images!.map((i) => i.State)).toEqual(['available']);
    const snapshots = await second.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [images.Images![0]!.BlockDeviceMappings![0]!.Ebs!.SnapshotId!] }));
    expect(snapshots.Snapshots!.map((s) => [s.State, s.Progress])).toEqual([['completed', '100%']]);
    const instances = await second.ec2.send(new DescribeInstancesCommand({ InstanceIds: [run.Instances![0]!.InstanceId!] }));
    expect(instances.Reservations![0]!.Instances![0]!.State!.Name).toBe('running');
  });

  test('ids made after a restart never repeat ids made before it', async () => {
    // GIVEN a sandbox that made instances, volumes, images and snapshots
    const dataDir = tempDir();
    const first = await start(dataDir);
    const [sourceId] = first.sandbox.ec2.seedInstances(REGION, [{ instanceType: 'm5.large', volumes: [{ sizeGiB: 8 }, { sizeGiB: 8 }] }]);
    await first.ec2.send(new CreateImageCommand({ InstanceId: sourceId, Name: 'before' }));
    const idsOf = (s: Sandbox): string[] => {
      const state = s.ec2.admin('state', {}) as { regions: Record<string, { images: { imageId: string; blockDeviceMappings: { snapshotId: string }[] }[]; instances: { instanceId: string; volumes: { volumeId: string }[] }[]; subnets: { subnetId: string }[]; securityGroups: { groupId: string }[] }> };
      return Object.values(state.regions).flatMap((r) => [
        ...r.images.flatMap((i) => [i.imageId, ...i.blockDeviceMappings.map((m) => m.snapshotId)]),
        ...r.instances.flatMap((i) => [i.instanceId, ...i.volumes.map((v) => v.volumeId)]),
        ...r.subnets.map((s) => s.subnetId),
        ...r.securityGroups.map((g) => g.groupId),
      ]);
    };
    const before = new Set(idsOf(first.sandbox));
    await first.sandbox.stop();

    // WHEN a new sandbox with the same seed makes the same kinds of resources
    const second = await start(dataDir);
    const [again] = second.sandbox.ec2.seedInstances(REGION, [{ instanceType: 'm5.large', volumes: [{ sizeGiB: 8 }, { sizeGiB: 8 }] }]);
    const created = await second.ec2.send(new CreateImageCommand({ InstanceId: again, Name: 'after' }));
    const subnetIds = second.sandbox.ec2.seedSubnets(REGION, [{}]);

    // THEN none of the new ids was handed out before
    const fresh = [again!, created.ImageId!, ...subnetIds, ...second.sandbox.ec2.region(REGION).snapshots().map((s) => s.snapshotId).filter((id) => !before.has(id))];
    expect(second.sandbox.ec2.region(REGION).snapshots()).toHaveLength(4);
    for (const id of fresh) expect(before.has(id), `${id} was already used before the restart`).toBe(false);
    expect(new Set(idsOf(second.sandbox)).size).toBe(idsOf(second.sandbox).length);
  });

  test('a terminated instance stays terminated and faults are not carried over a restart', async () => {
    // GIVEN a terminated instance and a region marked unreachable
    const dataDir = tempDir();
    const first = await start(dataDir);
    const [id] = first.sandbox.ec2.seedInstances(REGION, [{ instanceType: 't3.micro' }]);
    await first.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id!] }));
    first.sandbox.ec2.setOutage(REGION, true);
    expect((first.sandbox.ec2.admin('faults.get', {}) as { faults: { outages: string[] } }).faults.outages).toEqual([REGION]);
    await first.sandbox.stop();

    // WHEN it restarts
    const second = await start(dataDir);

    // THEN the region answers and the instance went on to terminated
    const res = await second.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id!] }));
    expect(res.Reservations![0]!.Instances![0]!.State!.Name).toBe('terminated');
    expect((second.sandbox.ec2.admin('faults.get', {}) as { faults: { outages: string[] } }).faults.outages).toEqual([]);
  });

  test('the admin reset clears the persisted EC2 state too', async () => {
    // GIVEN a sandbox with an image, reset through the admin API
    const dataDir = tempDir();
    const first = await start(dataDir);
    const [sourceId] = first.sandbox.ec2.seedInstances(REGION, [{ instanceType: 'm5.large' }]);
    await first.ec2.send(new CreateImageCommand({ InstanceId: sourceId, Name: 'gone-after-reset' }));
    const res = await fetch(`${first.sandbox.endpoint}/_sandbox/reset`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);

    // WHEN a new sandbox starts on the directory
    await first.sandbox.stop();
    const second = await start(dataDir);

    // THEN nothing of the account's is left
    expect((await second.ec2.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images).toEqual([]);
    expect((await second.ec2.send(new DescribeInstancesCommand({}))).Reservations).toEqual([]);
  });

  test('an EC2 document of another version is reported by name and EC2 starts fresh', async () => {
    // GIVEN a data directory whose EC2 document is not one this sandbox can read
    const dataDir = tempDir();
    new Store({ dataDir }).write('ec2', 'state', { version: 99, regions: {} });

    // WHEN a sandbox starts on it
    const { ec2 } = await start(dataDir);

    // THEN it says what is wrong and serves fresh regions
    expect(logs.some((m) => m.includes('ec2 snapshot › version: expected 1, found 99') && m.includes('EC2 starts fresh'))).toBe(true);
    expect((await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images).toEqual([]);
  });
});

describe('unit: DebouncedDocument (how the EC2 and CloudWatch documents reach the store)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    vi.useRealTimers();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  test('changes within the delay share one write of the latest state; flush writes what is pending; close drops later changes', () => {
    // GIVEN a document over a persistent store, on fake wall-clock timers
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-debounced-'));
    dirs.push(dataDir);
    const store = new Store({ dataDir });
    let state = 0;
    let produced = 0;
    const doc = new DebouncedDocument(store, 'things', 'state', () => {
      produced++;
      return { state };
    });

    // WHEN it changes three times within the delay
    state = 1;
    doc.changed();
    state = 2;
    doc.changed();
    vi.advanceTimersByTime(249);
    state = 3;
    doc.changed();

    // THEN nothing is written before the delay, then once, with the latest state
    expect(store.read('things', 'state')).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect([produced, store.read('things', 'state')]).toEqual([1, { state: 3 }]);

    // WHEN it changes again and is flushed at once (as on stop)
    state = 4;
    doc.changed();
    doc.flush();
    doc.flush();
    doc.close();
    state = 5;
    doc.changed();
    vi.advanceTimersByTime(1000);

    // THEN the flush wrote once, and nothing after close
    expect([produced, store.read('things', 'state')]).toEqual([2, { state: 4 }]);
  });

  test('without a data directory nothing is produced or written', () => {
    const doc = new DebouncedDocument(new Store(), 'things', 'state', () => {
      throw new Error('must not be called');
    });
    doc.changed();
    doc.write();
    doc.flush();
    expect(new Store().read('things', 'state')).toBeUndefined();
  });
});
