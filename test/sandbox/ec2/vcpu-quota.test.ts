/**
 * RunInstances against the Standard On-Demand vCPU quota, read from the region's running count
 * (sandbox/ec2/occupancy.ts) rather than a scan: the count follows every state change (launch,
 * stop, terminate, a launch that never runs) and a restart from the data directory.
 * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeInstancesCommand, EC2Client, RunInstancesCommand, StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { failure } from '../sdk-failure.js';
import { T0 } from './setup.js';

const REGION = 'us-west-2';
const CODE = 'L-1216C47A';
const LIMIT_MESSAGE = (limit: number) =>
  `You have requested more vCPU capacity than your current vCPU limit of ${limit} allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.`;

describe('sandbox: ec2 vCPU quota from the running count', () => {
  const sandboxes: Sandbox[] = [];
  let dataDir: string;

  async function start(): Promise<{ sandbox: Sandbox; ec2: EC2Client; imageId: string }> {
    const sandbox = await startSandbox({ dataDir, startMs: T0, seed: 11, log: () => {} });
    sandboxes.push(sandbox);
    const ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'x' }, maxAttempts: 1 });
    const imageId = sandbox.ec2.region(REGION).images({ includePublic: true }).find((i) => i.name.includes('x86_64'))!.imageId;
    return { sandbox, ec2, imageId };
  }

  /** How many m5.large (2 vCPUs) a RunInstances of MaxCount 10 launches now, or the error. */
  async function launchUpTo(ec2: EC2Client, imageId: string, maxCount = 10): Promise<number> {
    const out = await ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: 'm5.large', MinCount: 1, MaxCount: maxCount }));
    return out.Instances!.length;
  }

  async function statesSettled(ec2: EC2Client): Promise<string[]> {
    for (let tries = 0; tries < 200; tries++) {
      const states = (await ec2.send(new DescribeInstancesCommand({}))).Reservations!.flatMap((r) => r.Instances!.map((i) => i.State!.Name!));
      if (states.every((s) => s === 'running' || s === 'stopped' || s === 'terminated')) return states.sort();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('instances did not settle');
  }

  afterEach(async () => {
    for (const s of sandboxes.splice(0)) await s.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the quota answers follow launch, terminate and stop, and are the same after a restart from disk', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sandbox-ec2-vcpu-'));
    const first = await start();
    first.sandbox.servicequotas.setQuota(REGION, 'ec2', CODE, 10);
    // GIVEN a running m5.large (2 vCPUs, counted) and a stopped one (not counted)
    const [runningId] = first.sandbox.ec2.seedInstances(REGION, [{ instanceType: 'm5.large' }, { instanceType: 'm5.large', state: 'stopped' }]);
    // WHEN launching up to 10: 8 vCPUs are left, so 4 are launched, and then nothing fits
    expect(await launchUpTo(first.ec2, first.imageId)).toBe(4);
    const full = await failure(first.ec2.send(new RunInstancesCommand({ ImageId: first.imageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 })));
    expect(full).toMatchObject({ name: 'VcpuLimitExceeded', status: 400, message: LIMIT_MESSAGE(10) });
    // GPU types are another bucket: not held back by the standard count
    await first.ec2.send(new RunInstancesCommand({ ImageId: first.imageId, InstanceType: 'g5.xlarge', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: `${REGION}a` } }));

    // WHEN one launched instance is terminated: shutting-down holds no vCPUs, one m5.large fits
    const launched = (await first.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-type', Values: ['m5.large'] }, { Name: 'instance-state-name', Values: ['pending', 'running'] }] })))
      .Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!))
      .filter((id) => id !== runningId);
    await first.ec2.send(new TerminateInstancesCommand({ InstanceIds: [launched[0]!] }));
    expect(await launchUpTo(first.ec2, first.imageId)).toBe(1);
    // AND when the seeded running one is stopped: one more
    await first.ec2.send(new StopInstancesCommand({ InstanceIds: [runningId!] }));
    expect(await launchUpTo(first.ec2, first.imageId)).toBe(1);
    expect((await failure(launchUpTo(first.ec2, first.imageId))).name).toBe('VcpuLimitExceeded');

    // WHEN the transitions land (pending → running, stopping → stopped, shutting-down → terminated): still full
    expect(await statesSettled(first.ec2)).toEqual([...Array(6).fill('running'), 'stopped', 'stopped', 'terminated']);
    expect((await failure(launchUpTo(first.ec2, first.imageId))).name).toBe('VcpuLimitExceeded');
    await first.sandbox.stop();

    // WHEN a new sandbox starts on the same data directory (quotas are configuration: set again)
    const second = await start();
    second.sandbox.servicequotas.setQuota(REGION, 'ec2', CODE, 10);
    // THEN the restored count is 10 of 10: nothing fits; 2 more vCPUs let exactly one m5.large in
    expect(await failure(launchUpTo(second.ec2, second.imageId))).toMatchObject({ name: 'VcpuLimitExceeded', message: LIMIT_MESSAGE(10) });
    second.sandbox.servicequotas.setQuota(REGION, 'ec2', CODE, 12);
    expect(await launchUpTo(second.ec2, second.imageId)).toBe(1);
    expect((await failure(launchUpTo(second.ec2, second.imageId))).name).toBe('VcpuLimitExceeded');
  });
});
