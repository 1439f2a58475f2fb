import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DescribeImagesCommand, DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CloudWatchClient, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { createSandbox, type Sandbox } from '../../../sandbox/index.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('sandbox: ec2 and cloudwatch on the sandbox server', () => {
  let sandbox: Sandbox;
  const client = (region: string) => new EC2Client({ region, endpoint: sandbox.endpoint, credentials, maxAttempts: 1 });
  const admin = async (action: string, body: unknown) => {
    const res = await fetch(`${sandbox.endpoint}/_sandbox/${action}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  beforeEach(async () => {
    sandbox = await createSandbox({ seed: 5, startMs: Date.UTC(2026, 10, 25, 10, 0, 0), log: () => {} });
    await sandbox.start();
  });
  afterEach(async () => sandbox.stop());

  test('answers EC2 and CloudWatch through the one endpoint, with the request id header matching the body', async () => {
    const res = await client('eu-west-1').send(new DescribeImagesCommand({ Owners: ['amazon'] }));
    expect(res.Images!.length).toBeGreaterThan(0);
    expect(res.$metadata.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const cw = new CloudWatchClient({ region: 'eu-west-1', endpoint: sandbox.endpoint, credentials, maxAttempts: 1 });
    await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'Hits', Value: 1 }] }));
    expect((await cw.send(new ListMetricsCommand({ Namespace: 'App' }))).Metrics!.map((m) => m.MetricName)).toEqual(['Hits']);
  });

  test('seeds, injects faults and resets through POST /_sandbox/<action>', async () => {
    expect((await admin('ec2.seed-network', { region: 'us-east-1', subnets: [{ subnetId: 'subnet-0aaaaaaaaaaaaaaa1' }] })).json).toEqual({ subnetIds: ['subnet-0aaaaaaaaaaaaaaa1'], securityGroupIds: [] });
    const seeded = await admin('seed', { ec2: { region: 'us-east-1', instances: [{ instanceType: 'm5.large', subnetId: 'subnet-0aaaaaaaaaaaaaaa1', tags: { app: 'shop' } }] } });
    expect(seeded.status).toBe(200);
    const ids = (seeded.json.ec2 as { instanceIds: string[] }).instanceIds;
    const found = await client('us-east-1').send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:app', Values: ['shop'] }] }));
    expect(found.Reservations!.flatMap((r) => r.Instances!.map((i) => [i.InstanceId, i.SubnetId]))).toEqual([[ids[0], 'subnet-0aaaaaaaaaaaaaaa1']]);
    expect((await admin('ec2.faults.set', { throttle: { DescribeInstances: 1 } })).status).toBe(200);
    const e = await client('us-east-1').send(new DescribeInstancesCommand({})).catch((err: Error) => err);
    expect((e as Error).name).toBe('RequestLimitExceeded');
    const bad = await admin('ec2.faults.set', { throttle: { DescribeInstances: 5 } });
    expect(bad.status).toBe(400);
    expect(String(bad.json.error)).toMatch(/ec2 faults › throttle\.DescribeInstances/);
    expect((await admin('ec2.faults.clear', {})).status).toBe(200);
    expect((await client('us-east-1').send(new DescribeInstancesCommand({}))).Reservations).toHaveLength(1);
    sandbox.ec2.reset();
    expect((await client('us-east-1').send(new DescribeInstancesCommand({}))).Reservations).toEqual([]);
  });

  test('a region outage makes calls to that region fail with a transient error, and no other region', async () => {
    await admin('ec2.outage', { region: 'us-east-1' });
    const e = (await client('us-east-1').send(new DescribeInstancesCommand({})).catch((err: Error) => err)) as Error & { code?: string; $metadata?: { httpStatusCode?: number } };
    // the server drops the connection unanswered: a network error, as for a dead endpoint
    expect([e.code, e.$metadata?.httpStatusCode]).toEqual(['ECONNRESET', undefined]);
    expect((await client('us-west-2').send(new DescribeInstancesCommand({}))).Reservations).toEqual([]);
  });
});
