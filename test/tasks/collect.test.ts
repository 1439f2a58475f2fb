import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  type Image,
  type Instance,
  type Snapshot,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { handler } from '../../tasks/collect/handler.js';
import { captureLogs, ec2Error, envelope, imageField, instanceField, matchesFilters, rejectionOf } from './helpers.js';

const ec2 = mockClient(EC2Client);
const sfn = mockClient(SFNClient);
const cw = mockClient(CloudWatchClient);

const PRIMARY = 'us-east-1';
const RECOVERY = 'us-west-2';
const NOW = '2026-11-26T10:31:00.000Z';
const exec = (machine: string, name: string) => `arn:aws:states:${machine === 'backup' ? PRIMARY : RECOVERY}:123456789012:execution:lifeboat-shop-${machine}:${name}`;
const RUNNING_DRILL = exec('drill', 'drill-running');
const FAILED_DRILL = exec('drill', 'drill-failed');
const FAILED_BACKUP = exec('backup', 'backup-failed');
const FRESH_FAILED_BACKUP = exec('backup', 'backup-failed-just-now');
const GOOD_BACKUP = exec('backup', 'backup-good');
const RUNNING_BACKUP = exec('backup', 'backup-running');
const STATUSES: Record<string, { status: string; stopDate?: Date }> = {
  [RUNNING_DRILL]: { status: 'RUNNING' },
  [FAILED_DRILL]: { status: 'FAILED', stopDate: new Date('2026-11-26T10:00:00Z') },
  [FAILED_BACKUP]: { status: 'FAILED', stopDate: new Date('2026-11-25T00:00:00Z') },
  [FRESH_FAILED_BACKUP]: { status: 'FAILED', stopDate: new Date('2026-11-26T10:00:00Z') },
  [GOOD_BACKUP]: { status: 'SUCCEEDED', stopDate: new Date('2026-11-25T00:00:00Z') },
  [RUNNING_BACKUP]: { status: 'RUNNING' },
};

const tags = (t: Record<string, string>) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));
const drillInstance = (id: string, arn: string, state = 'running'): Instance => ({
  InstanceId: id,
  State: { Name: state as any },
  Tags: tags({ 'lifeboat:plan': 'shop', 'lifeboat:role': 'drill-instance', 'lifeboat:execution-arn': arn }),
});
const image = (id: string, role: string, arn: string, extra: Record<string, string> = {}, snapshot = `snap-${id.slice(4)}`): Image => ({
  ImageId: id,
  State: 'available',
  BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: snapshot } }],
  Tags: tags({ 'lifeboat:plan': 'shop', 'lifeboat:role': role, 'lifeboat:execution-arn': arn, ...extra }),
});

let instances: Instance[];
let images: Record<string, Image[]>;
let snapshots: Snapshot[];

const input = (extra: Record<string, unknown> = {}) => ({
  planName: 'shop',
  region: RECOVERY,
  copiesRegion: null,
  isDryRun: false,
  graceMinutes: 1440,
  collectedBy: 'arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-collect:c-1',
  maxRemovals: 200,
  ...extra,
});
const run = (extra: Record<string, unknown> = {}) => handler(envelope('collect', input(extra), { stateEnteredTime: NOW }));

describe('task: collect', () => {
  beforeEach(() => {
    captureLogs();
    ec2.reset();
    sfn.reset();
    cw.reset();
    instances = [
      drillInstance('i-0c0c0c0c0c0c0c0c1', FAILED_DRILL),
      drillInstance('i-0c0c0c0c0c0c0c0c2', FAILED_DRILL, 'stopped'),
      drillInstance('i-0c0c0c0c0c0c0c0c3', RUNNING_DRILL),
    ];
    images = {
      [RECOVERY]: [
        image('ami-0c0c0c0c0c0c0c0c1', 'recovery-point', FAILED_BACKUP),
        image('ami-0c0c0c0c0c0c0c0c2', 'recovery-point', FAILED_BACKUP, { 'lifeboat:verified': 'true', 'lifeboat:source-image': 'ami-0b0b0b0b0b0b0b0b2' }),
        image('ami-0c0c0c0c0c0c0c0c3', 'recovery-point', RUNNING_BACKUP),
        image('ami-0c0c0c0c0c0c0c0c4', 'recovery-point', FRESH_FAILED_BACKUP),
      ],
      [PRIMARY]: [
        image('ami-0b0b0b0b0b0b0b0b1', 'source-image', FAILED_BACKUP),
        image('ami-0b0b0b0b0b0b0b0b2', 'source-image', FAILED_BACKUP),
        image('ami-0b0b0b0b0b0b0b0b3', 'source-image', GOOD_BACKUP),
      ],
    };
    snapshots = [
      { SnapshotId: 'snap-0c0c0c0c0c0c0c0c2', State: 'completed', Tags: tags({ 'lifeboat:plan': 'shop', 'lifeboat:execution-arn': FAILED_BACKUP }) },
      { SnapshotId: 'snap-0d0d0d0d0d0d0d0d1', State: 'completed', Tags: tags({ 'lifeboat:plan': 'shop', 'lifeboat:execution-arn': FAILED_BACKUP }) },
      { SnapshotId: 'snap-0d0d0d0d0d0d0d0d2', State: 'completed', Tags: tags({ 'lifeboat:plan': 'shop', 'lifeboat:execution-arn': RUNNING_BACKUP }) },
      { SnapshotId: 'snap-0d0d0d0d0d0d0d0d3', State: 'pending', Tags: tags({ 'lifeboat:plan': 'shop', 'lifeboat:execution-arn': FAILED_BACKUP }) },
    ];
    ec2.on(DescribeInstancesCommand).callsFake((req) => ({
      Reservations: [{ Instances: instances.filter((i) => matchesFilters((n) => instanceField(i, n), req.Filters)) }],
    }));
    // Images per region: the mock sees the client's region.
    ec2.on(DescribeImagesCommand).callsFake(async (req, getClient) => {
      const region = await (getClient() as EC2Client).config.region();
      return { Images: (images[region] ?? []).filter((i) => matchesFilters((n) => imageField(i, n), req.Filters)) };
    });
    ec2.on(DescribeSnapshotsCommand).callsFake(() => ({ Snapshots: snapshots }));
    ec2.on(DeregisterImageCommand).resolves({});
    ec2.on(DeleteSnapshotCommand).resolves({});
    ec2.on(CreateTagsCommand).resolves({});
    ec2.on(TerminateInstancesCommand).resolves({});
    sfn.on(DescribeExecutionCommand).callsFake((req) => {
      const facts = STATUSES[req.executionArn];
      if (!facts) throw new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${req.executionArn}'`, $metadata: {} });
      return { executionArn: req.executionArn, status: facts.status, stopDate: facts.stopDate, startDate: new Date('2026-11-24T00:00:00Z') };
    });
    cw.on(PutMetricDataCommand).resolves({});
  });
  afterEach(() => vi.restoreAllMocks());

  test('terminates drill instances of a finished drill, tagging them first, and leaves a running drill alone', async () => {
    const out = await run();
    const terminated = ec2.commandCalls(TerminateInstancesCommand).flatMap((c) => c.args[0].input.InstanceIds);
    expect(terminated).toEqual(['i-0c0c0c0c0c0c0c0c1', 'i-0c0c0c0c0c0c0c0c2']);
    const tagged = ec2.commandCalls(CreateTagsCommand)[0]!.args[0].input;
    expect(tagged.Resources).toEqual(['i-0c0c0c0c0c0c0c0c1', 'i-0c0c0c0c0c0c0c0c2']);
    expect(tagged.Tags).toEqual([{ Key: 'lifeboat:collected-by', Value: `${input().collectedBy} at ${NOW}` }]);
    expect(out.counts.instances).toBe(2);
    expect(out.removed.filter((r) => r.kind === 'instance')).toEqual([
      { resourceId: 'i-0c0c0c0c0c0c0c0c1', kind: 'instance', reason: 'drill-instance-of-finished-execution', executionArn: FAILED_DRILL, executionStatus: 'FAILED' },
      { resourceId: 'i-0c0c0c0c0c0c0c0c2', kind: 'instance', reason: 'drill-instance-of-finished-execution', executionArn: FAILED_DRILL, executionStatus: 'FAILED' },
    ]);
  });

  test('deregisters an unverified copy of a failed backup past the grace; keeps verified copies, copies of running backups and of backups closed within the grace', async () => {
    const out = await run();
    expect(ec2.commandCalls(DeregisterImageCommand).map((c) => c.args[0].input)).toEqual([{ ImageId: 'ami-0c0c0c0c0c0c0c0c1', DeleteAssociatedSnapshots: true }]);
    expect(out.counts.images).toBe(1);
    // running: the drill instance, the running backup's copy and its snapshot
    expect(out.keptRunning).toBe(3);
    expect(out.keptRecent).toBe(1);
  });

  test('deletes a completed snapshot no image uses, of a finished execution; keeps pending ones, used ones and those of running executions', async () => {
    await run();
    expect(ec2.commandCalls(DeleteSnapshotCommand).map((c) => c.args[0].input.SnapshotId)).toEqual(['snap-0d0d0d0d0d0d0d0d1']);
  });

  test('in the primary region, deregisters source AMIs of a failed backup that no verified copy came from, and keeps those of a succeeded backup', async () => {
    const out = await run({ region: PRIMARY, copiesRegion: RECOVERY });
    expect(ec2.commandCalls(DeregisterImageCommand).map((c) => c.args[0].input.ImageId)).toEqual(['ami-0b0b0b0b0b0b0b0b1']);
    expect(out.removed.find((r) => r.kind === 'image')).toMatchObject({ reason: 'unverified-source-image', executionStatus: 'FAILED' });
  });

  test('a dry run lists what it would remove and removes nothing', async () => {
    const out = await run({ isDryRun: true });
    expect(out.isDryRun).toBe(true);
    expect(out.counts).toEqual({ instances: 2, images: 1, snapshots: 1 });
    expect(ec2.commandCalls(TerminateInstancesCommand)).toEqual([]);
    expect(ec2.commandCalls(CreateTagsCommand)).toEqual([]);
    expect(ec2.commandCalls(DeregisterImageCommand)).toEqual([]);
    expect(ec2.commandCalls(DeleteSnapshotCommand)).toEqual([]);
    expect(cw.commandCalls(PutMetricDataCommand)).toEqual([]);
  });

  test('publishes ResourcesCollected per resource type', async () => {
    await run();
    const data = cw.commandCalls(PutMetricDataCommand)[0]!.args[0].input;
    expect(data.Namespace).toBe('Lifeboat');
    expect(data.MetricData!.map((d) => [d.MetricName, d.Dimensions!.find((x) => x.Name === 'ResourceType')!.Value, d.Value])).toEqual([
      ['ResourcesCollected', 'instances', 2],
      ['ResourcesCollected', 'images', 1],
      ['ResourcesCollected', 'snapshots', 1],
    ]);
  });

  test('a throttled DescribeExecution touches nothing of that execution and defers it: not complete', async () => {
    sfn.on(DescribeExecutionCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }));
    const out = await run();
    expect(ec2.commandCalls(TerminateInstancesCommand)).toEqual([]);
    expect(ec2.commandCalls(DeregisterImageCommand)).toEqual([]);
    expect(out.isComplete).toBe(false);
    expect(out.deferred).toBeGreaterThan(0);
    expect(out.lastError).toMatch(/^Lifeboat\.Throttled: DescribeExecution/);
  });

  test('a throttled read defers, a throttled terminate defers: the pass does not fail', async () => {
    ec2.on(DescribeImagesCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    ec2.on(TerminateInstancesCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    const out = await run();
    expect(out).toMatchObject({ isComplete: false, counts: { instances: 0, images: 0, snapshots: 0 } });
    expect(out.deferred).toBe(3);
  });

  test('an execution Step Functions no longer has is over', async () => {
    const gone = exec('drill', 'drill-from-last-year');
    instances = [drillInstance('i-0c0c0c0c0c0c0c0c9', gone)];
    const out = await run();
    expect(out.removed[0]).toMatchObject({ resourceId: 'i-0c0c0c0c0c0c0c0c9', executionStatus: 'GONE' });
  });

  test("never touches a resource whose execution tag names another plan's machine", async () => {
    instances = [drillInstance('i-0c0c0c0c0c0c0c0c8', 'arn:aws:states:us-west-2:123456789012:execution:lifeboat-billing-drill:d-1')];
    await run();
    expect(sfn.commandCalls(DescribeExecutionCommand).map((c) => c.args[0].input.executionArn)).not.toContain(
      'arn:aws:states:us-west-2:123456789012:execution:lifeboat-billing-drill:d-1',
    );
    expect(ec2.commandCalls(TerminateInstancesCommand)).toEqual([]);
  });

  test('stops at maxRemovals and defers the rest to the next pass', async () => {
    const out = await run({ maxRemovals: 1 });
    expect(out.counts).toEqual({ instances: 1, images: 0, snapshots: 0 });
    expect(out.isComplete).toBe(false);
  });

  test('fails with Lifeboat.InvalidInput when termination is not authorised', async () => {
    ec2.on(TerminateInstancesCommand).rejects(ec2Error('UnauthorizedOperation', 403));
    expect((await rejectionOf(run())).name).toBe('Lifeboat.InvalidInput');
  });
});
