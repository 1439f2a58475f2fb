import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  CopyImageCommand,
  CreateImageCommand,
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeleteTagsCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  EnableImageDeprecationCommand,
  paginateDescribeImages,
  type DescribeImagesCommandInput,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { ec2Env, errorOf, T0, type Ec2Env } from './setup.js';

const EAST = 'us-east-1';
const WEST = 'us-west-2';

describe('sandbox: ec2 images', () => {
  let env: Ec2Env;
  let east: EC2Client;
  let west: EC2Client;
  let instanceId: string;

  beforeEach(async () => {
    env = await ec2Env();
    east = env.client(EAST);
    west = env.client(WEST);
    [instanceId] = env.ec2.seedInstances(EAST, [
      { instanceType: 'm5.large', tags: { app: 'shop', tier: 'web' }, volumes: [{ sizeGiB: 20, encrypted: false }, { sizeGiB: 100, encrypted: false }] },
    ]) as [string];
  });
  afterEach(async () => env.close());

  async function createAvailableImage(name: string, tags: Record<string, string> = {}): Promise<string> {
    const res = await env.hold(
      east.send(new CreateImageCommand({ InstanceId: instanceId, Name: name, TagSpecifications: [{ ResourceType: 'image', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }] })),
    );
    const image = env.ec2.region(EAST).images().find((i) => i.imageId === res.ImageId)!;
    await env.advanceTo((image.readyAt! - T0) / 1000 + 1);
    return res.ImageId!;
  }

  test('every region starts with available public base images owned by amazon, with every set present', async () => {
    const res = await env.hold(west.send(new DescribeImagesCommand({ Owners: ['amazon'] })));
    expect(res.Images!.length).toBeGreaterThanOrEqual(2);
    for (const img of res.Images!) {
      expect(img.ImageId).toMatch(/^ami-[0-9a-f]{17}$/);
      expect(img).toMatchObject({ State: 'available', ImageOwnerAlias: 'amazon', Public: true, RootDeviceType: 'ebs' });
      expect(img.Name).toMatch(/^(al2023|amzn2)-ami-/);
      expect(img.Tags).toEqual([]);
      expect(img.BlockDeviceMappings![0]!.Ebs!.SnapshotId).toMatch(/^snap-[0-9a-f]{17}$/);
    }
    const own = await env.hold(west.send(new DescribeImagesCommand({ Owners: ['self'] })));
    expect(own.Images).toEqual([]);
    expect(own.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('CreateImage returns a pending AMI whose snapshots complete on the latency model, then turns available', async () => {
    // GIVEN
    const res = await env.hold(east.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'web-1', NoReboot: true })));
    const created = await env.hold(east.send(new DescribeImagesCommand({ ImageIds: [res.ImageId!] })));
    const img = created.Images![0]!;
    expect(img).toMatchObject({ State: 'pending', SourceInstanceId: instanceId, OwnerId: '123456789012', ImageLocation: '123456789012/web-1' });
    // the virtual clock started at T0 and has only moved with wall time since
    expect(Date.parse(img.CreationDate!) - T0).toBeGreaterThanOrEqual(0);
    expect(Date.parse(img.CreationDate!) - T0).toBeLessThan(5000);
    const snapshotIds = img.BlockDeviceMappings!.map((m) => m.Ebs!.SnapshotId!);
    expect(img.BlockDeviceMappings!.map((m) => m.Ebs!.VolumeSize)).toEqual([20, 100]);
    const view = env.ec2.region(EAST).images().find((i) => i.imageId === res.ImageId)!;
    // default model: 90 s + 4 s/GiB per snapshot (±10 %), then 30 s to register
    const readySeconds = (view.readyAt! - T0) / 1000;
    const modelled = (view.readyAt! - Date.parse(img.CreationDate!)) / 1000;
    expect(modelled).toBeGreaterThan((90 + 4 * 100) * 0.9 + 30);
    expect(modelled).toBeLessThan((90 + 4 * 100) * 1.1 + 30);
    // WHEN half way
    await env.advanceTo(readySeconds / 3);
    const mid = await env.hold(east.send(new DescribeSnapshotsCommand({ SnapshotIds: snapshotIds })));
    // THEN the smaller snapshot may be done; the larger one is still pending with partial progress
    const big = mid.Snapshots!.find((s) => s.VolumeSize === 100)!;
    expect(big.State).toBe('pending');
    expect(Number(big.Progress!.replace('%', ''))).toBeGreaterThan(0);
    expect(Number(big.Progress!.replace('%', ''))).toBeLessThan(100);
    await env.advanceTo(readySeconds - 1);
    expect((await env.hold(east.send(new DescribeImagesCommand({ ImageIds: [res.ImageId!] })))).Images![0]!.State).toBe('pending');
    await env.advanceTo(readySeconds + 1);
    const done = await env.hold(east.send(new DescribeImagesCommand({ ImageIds: [res.ImageId!] })));
    expect(done.Images![0]!.State).toBe('available');
    const snaps = await env.hold(east.send(new DescribeSnapshotsCommand({ SnapshotIds: snapshotIds })));
    expect(snaps.Snapshots!.map((s) => [s.State, s.Progress])).toEqual([
      ['completed', '100%'],
      ['completed', '100%'],
    ]);
  });

  test('rejects CreateImage with a duplicate, malformed or missing name, an unknown instance, and answers DryRun with 412', async () => {
    await env.hold(east.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'web-1' })));
    const dup = await errorOf(() => env.hold(east.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'web-1' }))));
    expect([dup.name, dup.$metadata?.httpStatusCode]).toEqual(['InvalidAMIName.Duplicate', 400]);
    const bad = await errorOf(() => env.hold(east.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'x!' }))));
    expect(bad.name).toBe('InvalidAMIName.Malformed');
    const missing = await errorOf(() => env.hold(east.send(new CreateImageCommand({ InstanceId: instanceId } as never))));
    expect(missing.name).toBe('MissingParameter');
    const unknown = await errorOf(() => env.hold(east.send(new CreateImageCommand({ InstanceId: 'i-0123456789abcdef0', Name: 'web-2' }))));
    expect(unknown.name).toBe('InvalidInstanceID.NotFound');
    const malformed = await errorOf(() => env.hold(east.send(new CreateImageCommand({ InstanceId: 'i-xyz', Name: 'web-2' }))));
    expect(malformed.name).toBe('InvalidInstanceID.Malformed');
    const dry = await errorOf(() => env.hold(east.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'web-dry', DryRun: true }))));
    expect([dry.name, dry.message, dry.$metadata?.httpStatusCode]).toEqual(['DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412]);
    expect(env.ec2.region(EAST).images().map((i) => i.name)).toEqual(['web-1']);
  });

  test('DescribeImages filters by tag, tag-key, name wildcard, state and source instance, and fails on unknown ids and filters', async () => {
    const a = await createAvailableImage('shop-web-20261125', { env: 'prod', team: 'a' });
    const b = await createAvailableImage('shop-db-20261125', { env: 'dev' });
    const q = async (input: DescribeImagesCommandInput) =>
      ((await env.hold(east.send(new DescribeImagesCommand(input)))).Images ?? []).map((i) => i.ImageId).sort();
    expect(await q({ Owners: ['self'], Filters: [{ Name: 'tag:env', Values: ['prod', 'staging'] }] })).toEqual([a]);
    expect(await q({ Owners: ['self'], Filters: [{ Name: 'tag:env', Values: ['*'] }, { Name: 'tag-key', Values: ['team'] }] })).toEqual([a]);
    expect(await q({ Owners: ['self'], Filters: [{ Name: 'name', Values: ['shop-*-2026112?'] }] })).toEqual([a, b].sort());
    expect(await q({ Filters: [{ Name: 'source-instance-id', Values: [instanceId] }, { Name: 'state', Values: ['available'] }] })).toEqual([a, b].sort());
    expect(await q({ Owners: ['self'], Filters: [{ Name: 'state', Values: ['pending'] }] })).toEqual([]);
    expect(await q({ ImageIds: [b], Filters: [{ Name: 'tag:env', Values: ['prod'] }] })).toEqual([]);
    const notFound = await errorOf(() => q({ ImageIds: [a, 'ami-0000000000000000f'] }));
    expect([notFound.name, notFound.message]).toEqual(['InvalidAMIID.NotFound', "The image id '[ami-0000000000000000f]' does not exist"]);
    expect((await errorOf(() => q({ ImageIds: ['ami-123'] }))).name).toBe('InvalidAMIID.Malformed');
    expect((await errorOf(() => q({ Filters: [{ Name: 'colour', Values: ['red'] }] }))).name).toBe('InvalidParameterValue');
    expect((await errorOf(() => q({ ImageIds: [a], MaxResults: 5 }))).name).toBe('InvalidParameterCombination');
    expect((await errorOf(() => q({ MaxResults: 4 }))).name).toBe('InvalidParameterValue');
  });

  test('EnableImageDeprecation sets the deprecation time (rounded to the minute); the owner still sees the image; past times are rejected', async () => {
    const a = await createAvailableImage('to-deprecate');
    const at = new Date(env.clock.now() + 86400_000 + 20_000);
    await env.hold(east.send(new EnableImageDeprecationCommand({ ImageId: a, DeprecateAt: at })));
    const img = (await env.hold(east.send(new DescribeImagesCommand({ Owners: ['self'] })))).Images!.find((i) => i.ImageId === a)!;
    expect(img.DeprecationTime).toBe(new Date(Math.round(at.getTime() / 60_000) * 60_000).toISOString());
    await env.advanceTo(3 * 86400);
    const later = await env.hold(east.send(new DescribeImagesCommand({ Owners: ['self'], IncludeDeprecated: false })));
    expect(later.Images!.map((i) => i.ImageId)).toEqual([a]);
    const past = await errorOf(() => env.hold(east.send(new EnableImageDeprecationCommand({ ImageId: a, DeprecateAt: new Date(T0) }))));
    expect(past.name).toBe('InvalidParameterValue');
  });

  test('DescribeImages pages with MaxResults and NextToken, and the SDK paginator sees every image once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await env.hold(east.send(new CreateImageCommand({ InstanceId: instanceId, Name: `page-${i}` })))).ImageId!);
    const first = await env.hold(east.send(new DescribeImagesCommand({ Owners: ['self'], MaxResults: 5 })));
    expect(first.Images).toHaveLength(5);
    expect(first.NextToken).toBeTruthy();
    const second = await env.hold(east.send(new DescribeImagesCommand({ Owners: ['self'], MaxResults: 5, NextToken: first.NextToken })));
    expect(second.Images).toHaveLength(2);
    expect(second.NextToken).toBeUndefined();
    const seen: string[] = [];
    await env.hold(
      (async () => {
        for await (const page of paginateDescribeImages({ client: east, pageSize: 5 }, { Owners: ['self'] })) seen.push(...page.Images!.map((i) => i.ImageId!));
      })(),
    );
    expect(seen.sort()).toEqual(ids.sort());
  });

  test('CopyImage runs in the destination region, copies snapshots, encrypts on request with the destination default key, and copies tags only when asked', async () => {
    const source = await createAvailableImage('web-src', { env: 'prod' });
    const res = await env.hold(
      west.send(
        new CopyImageCommand({
          SourceImageId: source,
          SourceRegion: EAST,
          Name: 'web-copy',
          Encrypted: true,
          CopyImageTags: false,
          TagSpecifications: [
            { ResourceType: 'image', Tags: [{ Key: 'role', Value: 'copy' }] },
            { ResourceType: 'snapshot', Tags: [{ Key: 'role', Value: 'copy-snap' }] },
          ],
        }),
      ),
    );
    expect((await errorOf(() => env.hold(east.send(new DescribeImagesCommand({ ImageIds: [res.ImageId!] })))))).toHaveProperty('name', 'InvalidAMIID.NotFound');
    const copy = (await env.hold(west.send(new DescribeImagesCommand({ ImageIds: [res.ImageId!] })))).Images![0]!;
    expect(copy).toMatchObject({ State: 'pending', SourceImageId: source, SourceImageRegion: EAST, Name: 'web-copy' });
    expect(copy.Tags).toEqual([{ Key: 'role', Value: 'copy' }]);
    const defaultKey = env.ec2.region(WEST).defaultKmsKeyId;
    expect(defaultKey).toMatch(/^arn:aws:kms:us-west-2:123456789012:key\//);
    expect(copy.BlockDeviceMappings!.map((m) => [m.Ebs!.Encrypted, m.Ebs!.KmsKeyId])).toEqual([
      [true, defaultKey],
      [true, defaultKey],
    ]);
    const snaps = await env.hold(west.send(new DescribeSnapshotsCommand({ SnapshotIds: copy.BlockDeviceMappings!.map((m) => m.Ebs!.SnapshotId!) })));
    expect(snaps.Snapshots!.map((s) => [s.State, s.Encrypted, s.Tags])).toEqual([
      ['pending', true, [{ Key: 'role', Value: 'copy-snap' }]],
      ['pending', true, [{ Key: 'role', Value: 'copy-snap' }]],
    ]);
    // copies take longer than image creation: 600 s + 15 s/GiB for the 100 GiB volume
    const view = env.ec2.region(WEST).images().find((i) => i.imageId === res.ImageId)!;
    expect((view.readyAt! - Date.parse(copy.CreationDate!)) / 1000).toBeGreaterThan((600 + 15 * 100) * 0.9);
    await env.advanceTo((view.readyAt! - T0) / 1000 + 1);
    expect((await env.hold(west.send(new DescribeImagesCommand({ ImageIds: [res.ImageId!] })))).Images![0]!.State).toBe('available');

    const withTags = await env.hold(west.send(new CopyImageCommand({ SourceImageId: source, SourceRegion: EAST, Name: 'web-copy-tags', CopyImageTags: true, Encrypted: true, KmsKeyId: 'arn:aws:kms:us-west-2:123456789012:key/11111111-2222-3333-4444-555555555555' })));
    const tagged = (await env.hold(west.send(new DescribeImagesCommand({ ImageIds: [withTags.ImageId!] })))).Images![0]!;
    expect(tagged.Tags).toEqual([{ Key: 'env', Value: 'prod' }]);
    expect(tagged.BlockDeviceMappings![0]!.Ebs!.KmsKeyId).toBe('arn:aws:kms:us-west-2:123456789012:key/11111111-2222-3333-4444-555555555555');
  });

  test('CopyImage keeps an encrypted source encrypted, and rejects KmsKeyId without Encrypted', async () => {
    const [encInstance] = env.ec2.seedInstances(EAST, [{ instanceType: 'm5.large', volumes: [{ sizeGiB: 8, encrypted: true }] }]);
    const img = await env.hold(east.send(new CreateImageCommand({ InstanceId: encInstance!, Name: 'enc-src' })));
    const view = env.ec2.region(EAST).images().find((i) => i.imageId === img.ImageId)!;
    await env.advanceTo((view.readyAt! - T0) / 1000 + 1);
    const res = await env.hold(west.send(new CopyImageCommand({ SourceImageId: img.ImageId!, SourceRegion: EAST, Name: 'enc-copy' })));
    const copy = (await env.hold(west.send(new DescribeImagesCommand({ ImageIds: [res.ImageId!] })))).Images![0]!;
    expect(copy.BlockDeviceMappings![0]!.Ebs).toMatchObject({ Encrypted: true, KmsKeyId: env.ec2.region(WEST).defaultKmsKeyId });
    const e = await errorOf(() => env.hold(west.send(new CopyImageCommand({ SourceImageId: img.ImageId!, SourceRegion: EAST, Name: 'enc-copy-2', KmsKeyId: 'alias/dr' }))));
    expect([e.name, e.$metadata?.httpStatusCode]).toEqual(['InvalidParameterDependency', 400]);
  });

  test('CopyImage is idempotent per ClientToken and region, and fails on a changed request with the same token', async () => {
    const source = await createAvailableImage('web-src');
    const input = { SourceImageId: source, SourceRegion: EAST, Name: 'web-copy', Encrypted: true, ClientToken: 'a'.repeat(64) };
    const first = await env.hold(west.send(new CopyImageCommand(input)));
    const again = await env.hold(west.send(new CopyImageCommand(input)));
    expect(again.ImageId).toBe(first.ImageId);
    expect(env.ec2.region(WEST).images()).toHaveLength(1);
    const mismatch = await errorOf(() => env.hold(west.send(new CopyImageCommand({ ...input, Name: 'other-name' }))));
    expect([mismatch.name, mismatch.$metadata?.httpStatusCode]).toEqual(['IdempotentParameterMismatch', 400]);
    // the same token in another region is a new request (tokens are scoped to the region)
    const elsewhere = await env.hold(env.client('eu-west-1').send(new CopyImageCommand(input)));
    expect(elsewhere.ImageId).not.toBe(first.ImageId);
  });

  test('rejects CopyImage of an unknown or not yet available source', async () => {
    const unknown = await errorOf(() => env.hold(west.send(new CopyImageCommand({ SourceImageId: 'ami-0123456789abcdef0', SourceRegion: EAST, Name: 'x-copy' }))));
    expect(unknown.name).toBe('InvalidAMIID.NotFound');
    const pending = await env.hold(east.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'pending-src' })));
    // the source lives in us-east-1: asking us-west-2 for it with the wrong SourceRegion finds nothing
    const wrongRegion = await errorOf(() => env.hold(west.send(new CopyImageCommand({ SourceImageId: pending.ImageId!, SourceRegion: WEST, Name: 'x-copy' }))));
    expect(wrongRegion.name).toBe('InvalidAMIID.NotFound');
    const notReady = await errorOf(() => env.hold(west.send(new CopyImageCommand({ SourceImageId: pending.ImageId!, SourceRegion: EAST, Name: 'x-copy' }))));
    expect(notReady.name).toBe('InvalidAMIID.Unavailable');
    const missing = await errorOf(() => env.hold(west.send(new CopyImageCommand({ SourceImageId: pending.ImageId!, Name: 'x-copy' } as never))));
    expect(missing.name).toBe('MissingParameter');
  });

  test('DeregisterImage with DeleteAssociatedSnapshots deletes the snapshots; DeleteSnapshot refuses one in use', async () => {
    const a = await createAvailableImage('keep-snaps');
    const img = (await env.hold(east.send(new DescribeImagesCommand({ ImageIds: [a] })))).Images![0]!;
    const snapIds = img.BlockDeviceMappings!.map((m) => m.Ebs!.SnapshotId!);
    const inUse = await errorOf(() => env.hold(east.send(new DeleteSnapshotCommand({ SnapshotId: snapIds[0]! }))));
    expect([inUse.name, inUse.message]).toEqual(['InvalidSnapshot.InUse', `The snapshot ${snapIds[0]} is currently in use by ${a}`]);
    const res = await env.hold(east.send(new DeregisterImageCommand({ ImageId: a, DeleteAssociatedSnapshots: true })));
    expect(res.Return).toBe(true);
    expect(res.DeleteSnapshotResults!.map((r) => [r.SnapshotId, r.ReturnCode])).toEqual(snapIds.map((s) => [s, 'success']));
    expect((await errorOf(() => env.hold(east.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapIds[0]!] })))))).toHaveProperty('name', 'InvalidSnapshot.NotFound');
    expect((await errorOf(() => env.hold(east.send(new DescribeImagesCommand({ ImageIds: [a] })))))).toHaveProperty('name', 'InvalidAMIID.NotFound');

    const b = await createAvailableImage('drop-snaps-later');
    const bSnaps = (await env.hold(east.send(new DescribeImagesCommand({ ImageIds: [b] })))).Images![0]!.BlockDeviceMappings!.map((m) => m.Ebs!.SnapshotId!);
    const plain = await env.hold(east.send(new DeregisterImageCommand({ ImageId: b })));
    expect(plain.DeleteSnapshotResults).toEqual([]);
    expect((await env.hold(east.send(new DeleteSnapshotCommand({ SnapshotId: bSnaps[0]! })))).$metadata.httpStatusCode).toBe(200);
    expect(env.ec2.region(EAST).snapshots().map((s) => s.snapshotId)).toEqual([bSnaps[1]]);
  });

  test('CreateTags upserts, enforces the 50-tag limit and the aws: prefix; DeleteTags removes by key or key and value', async () => {
    const a = await createAvailableImage('tagged', { env: 'prod', keep: 'yes' });
    await env.hold(east.send(new CreateTagsCommand({ Resources: [a, instanceId], Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'new', Value: '' }] })));
    const tagsOf = async () => Object.fromEntries((await env.hold(east.send(new DescribeImagesCommand({ ImageIds: [a] })))).Images![0]!.Tags!.map((t) => [t.Key, t.Value]));
    expect(await tagsOf()).toEqual({ env: 'dev', keep: 'yes', new: '' });
    expect(env.ec2.region(EAST).instances()[0]!.tags).toMatchObject({ env: 'dev', new: '' });
    const many = Array.from({ length: 48 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const limit = await errorOf(() => env.hold(east.send(new CreateTagsCommand({ Resources: [a], Tags: many }))));
    expect(limit.name).toBe('TagLimitExceeded');
    expect(await tagsOf()).toEqual({ env: 'dev', keep: 'yes', new: '' });
    const reserved = await errorOf(() => env.hold(east.send(new CreateTagsCommand({ Resources: [a], Tags: [{ Key: 'aws:foo', Value: 'x' }] }))));
    expect(reserved.name).toBe('InvalidParameterValue');
    const unknown = await errorOf(() => env.hold(east.send(new CreateTagsCommand({ Resources: ['snap-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] }))));
    expect(unknown.name).toBe('InvalidSnapshot.NotFound');
    await env.hold(east.send(new DeleteTagsCommand({ Resources: [a], Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'keep' }] })));
    expect(await tagsOf()).toEqual({ env: 'dev', new: '' });
    await env.hold(east.send(new DeleteTagsCommand({ Resources: [a] })));
    expect(await tagsOf()).toEqual({});
  });
});
