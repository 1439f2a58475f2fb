/**
 * DescribeImages and DescribeSnapshots through the SDK, with exact filters the sandbox answers from
 * its index (sandbox/ec2/record-index.ts) and the same filters written with a wildcard, which it
 * answers by scanning the region: after CreateImage, CopyImage, CreateTags, DeleteTags, state
 * transitions and DeregisterImage both answer the same images, in the same order (by id), with
 * the same pages. Filter semantics: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  CopyImageCommand,
  CreateImageCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  type EC2Client,
  type Filter,
} from '@aws-sdk/client-ec2';
import { ec2Env, errorOf, type Ec2Env } from './setup.js';

const EAST = 'us-east-1';
const WEST = 'us-west-2';

/** The same filter written so that only a scan can answer it (`?` for the last character). */
function wild(filters: Filter[]): Filter[] {
  return filters.map((f) => ({ Name: f.Name, Values: f.Values!.map((v) => `${v.slice(0, -1)}?`) }));
}

describe('sandbox: ec2 describe by index answers as the scan does', () => {
  let env: Ec2Env;
  let east: EC2Client;
  let west: EC2Client;
  let instanceIds: string[];

  beforeEach(async () => {
    env = await ec2Env();
    east = env.client(EAST);
    west = env.client(WEST);
    instanceIds = env.ec2.seedInstances(
      EAST,
      Array.from({ length: 7 }, () => ({ instanceType: 'm5.large', volumes: [{ sizeGiB: 8, encrypted: false }] })),
    );
  });
  afterEach(async () => env.close());

  async function images(client: EC2Client, filters: Filter[]): Promise<string[]> {
    const res = await env.hold(client.send(new DescribeImagesCommand({ Owners: ['self'], Filters: filters })));
    return res.Images!.map((i) => i.ImageId!);
  }

  async function same(client: EC2Client, filters: Filter[]): Promise<string[]> {
    const exact = await images(client, filters);
    expect(exact).toEqual(await images(client, wild(filters)));
    return exact;
  }

  test('tags given, changed and deleted, states moved on, images deregistered', async () => {
    // GIVEN seven images of one run, tagged queued
    const ids: string[] = [];
    for (const [i, instanceId] of instanceIds.entries()) {
      const res = await env.hold(
        east.send(
          new CreateImageCommand({
            InstanceId: instanceId,
            Name: `img-${i}`,
            TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'run', Value: 'run-1' }, { Key: 'copy', Value: 'queued' }] }],
          }),
        ),
      );
      ids.push(res.ImageId!);
    }
    const sorted = [...ids].sort();
    const queued = [{ Name: 'tag:run', Values: ['run-1'] }, { Name: 'tag:copy', Values: ['queued'] }];
    expect(await same(east, queued)).toEqual(sorted);
    expect(await same(east, [{ Name: 'state', Values: ['pending'] }])).toEqual(sorted);
    expect(await same(east, [...queued, { Name: 'state', Values: ['available'] }])).toEqual([]);

    // WHEN two leave the queue (DeleteTags), one is tagged back, one changes value
    await env.hold(east.send(new DeleteTagsCommand({ Resources: [ids[0]!, ids[1]!], Tags: [{ Key: 'copy' }] })));
    await env.hold(east.send(new CreateTagsCommand({ Resources: [ids[1]!], Tags: [{ Key: 'copy', Value: 'queued' }] })));
    await env.hold(east.send(new CreateTagsCommand({ Resources: [ids[2]!], Tags: [{ Key: 'copy', Value: 'started' }] })));
    // THEN
    const stillQueued = sorted.filter((id) => id !== ids[0] && id !== ids[2]);
    expect(await same(east, queued)).toEqual(stillQueued);
    expect(await same(east, [{ Name: 'tag:copy', Values: ['started'] }])).toEqual([ids[2]]);
    expect(await same(east, [{ Name: 'tag:copy', Values: ['started', 'queued'] }])).toEqual(sorted.filter((id) => id !== ids[0]));

    // WHEN the images turn available (a transition) and one is deregistered
    await env.advanceTo(3600);
    await env.hold(east.send(new DeregisterImageCommand({ ImageId: ids[3]! })));
    // THEN
    expect(await same(east, [{ Name: 'state', Values: ['pending'] }])).toEqual([]);
    expect(await same(east, [...queued, { Name: 'state', Values: ['available'] }])).toEqual(stillQueued.filter((id) => id !== ids[3]));

    // AND pages of an indexed answer are the scan's pages
    const page1 = await env.hold(east.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'tag:run', Values: ['run-1'] }], MaxResults: 5 })));
    const wild1 = await env.hold(east.send(new DescribeImagesCommand({ Owners: ['self'], Filters: wild([{ Name: 'tag:run', Values: ['run-1'] }]), MaxResults: 5 })));
    expect(page1.Images!.map((i) => i.ImageId)).toEqual(wild1.Images!.map((i) => i.ImageId));
    expect(page1.NextToken).toBeDefined();
    expect(page1.NextToken).toEqual(wild1.NextToken);
    const page2 = await env.hold(east.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'tag:run', Values: ['run-1'] }], MaxResults: 5, NextToken: page1.NextToken })));
    expect([...page1.Images!, ...page2.Images!].map((i) => i.ImageId)).toEqual(sorted.filter((id) => id !== ids[3]));
    expect(page2.NextToken).toBeUndefined();
  });

  test('copies: the name check refuses a name in use and allows it again once deregistered; snapshots by status and tag', async () => {
    const made = await env.hold(east.send(new CreateImageCommand({ InstanceId: instanceIds[0]!, Name: 'web' })));
    await env.advanceTo(3600);
    const copy = await env.hold(
      west.send(
        new CopyImageCommand({ SourceImageId: made.ImageId!, SourceRegion: EAST, Name: 'web', TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'run', Value: 'run-1' }] }] }),
      ),
    );
    // the copy's name is now in use in the west
    const dup = await errorOf(() => env.hold(west.send(new CopyImageCommand({ SourceImageId: made.ImageId!, SourceRegion: EAST, Name: 'web' }))));
    expect(dup.name).toBe('InvalidAMIName.Duplicate');
    expect(await same(west, [{ Name: 'name', Values: ['web'] }])).toEqual([copy.ImageId]);

    const snaps = async (filters: Filter[]) =>
      (await env.hold(west.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: filters })))).Snapshots!.map((s) => s.SnapshotId!);
    const pending = await snaps([{ Name: 'status', Values: ['pending'] }]);
    expect(pending).toHaveLength(1);
    expect(pending).toEqual(await snaps(wild([{ Name: 'status', Values: ['pending'] }])));
    expect(await snaps([{ Name: 'tag:run', Values: ['run-1'] }])).toEqual(pending);
    await env.advanceTo(3 * 3600);
    expect(await snaps([{ Name: 'status', Values: ['pending'] }])).toEqual([]);
    expect(await snaps([{ Name: 'status', Values: ['completed'] }])).toEqual(pending);
    expect(await snaps([{ Name: 'status', Values: ['completed'] }])).toEqual(await snaps(wild([{ Name: 'status', Values: ['completed'] }])));

    await env.hold(west.send(new DeregisterImageCommand({ ImageId: copy.ImageId! })));
    expect(await same(west, [{ Name: 'name', Values: ['web'] }])).toEqual([]);
    const again = await env.hold(west.send(new CopyImageCommand({ SourceImageId: made.ImageId!, SourceRegion: EAST, Name: 'web' })));
    expect(again.ImageId).toMatch(/^ami-/);
  });
});
