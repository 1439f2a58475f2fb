import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeAvailabilityZonesCommand, DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, test } from 'vitest';
import { COMMERCIAL_REGION_NAMES, startSandbox, type Sandbox } from '../../../sandbox/index.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let sandbox: Sandbox | undefined;
const dirs: string[] = [];

afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ec2 = (region: string) => new EC2Client({ endpoint: sandbox!.endpoint, region, credentials, maxAttempts: 1 });
const sfn = (region: string) => new SFNClient({ endpoint: sandbox!.endpoint, region, credentials, maxAttempts: 1 });

describe('sandbox: regions', () => {
  // https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html and
  // https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html (opt-in since 20 March 2019)
  test('DescribeRegions lists every commercial region with its opt-in status, as for an account opted in to all', async () => {
    sandbox = await startSandbox({ log: () => {} });
    const all = await ec2('us-east-1').send(new DescribeRegionsCommand({ AllRegions: true }));
    const status = Object.fromEntries(all.Regions!.map((r) => [r.RegionName, r.OptInStatus]));
    expect(Object.keys(status).sort()).toEqual([...COMMERCIAL_REGION_NAMES].sort());
    expect(Object.keys(status).length).toBeGreaterThanOrEqual(34);
    expect(status['us-east-1']).toBe('opt-in-not-required');
    expect(status['eu-north-1']).toBe('opt-in-not-required');
    expect(status['af-south-1']).toBe('opted-in');
    expect(status['mx-central-1']).toBe('opted-in');
    expect(all.Regions!.find((r) => r.RegionName === 'ap-southeast-6')?.Endpoint).toBe('ec2.ap-southeast-6.amazonaws.com');
    const optedIn = await ec2('us-east-1').send(new DescribeRegionsCommand({ Filters: [{ Name: 'opt-in-status', Values: ['opted-in'] }] }));
    expect(optedIn.Regions!.map((r) => r.RegionName)).toEqual(expect.arrayContaining(['ap-east-1', 'il-central-1', 'ca-west-1']));
    expect(optedIn.Regions!.some((r) => r.RegionName === 'us-west-2')).toBe(false);
  });

  test('every commercial region answers every service, and a region that does not exist fails as an unreachable endpoint', async () => {
    sandbox = await startSandbox({ log: () => {} });
    const zones = await ec2('ap-southeast-7').send(new DescribeAvailabilityZonesCommand({}));
    expect(zones.AvailabilityZones!.map((z) => z.ZoneName)).toEqual(['ap-southeast-7a', 'ap-southeast-7b', 'ap-southeast-7c']);
    expect((await sfn('il-central-1').send(new ListStateMachinesCommand({}))).stateMachines).toEqual([]);
    const cw = new CloudWatchClient({ endpoint: sandbox.endpoint, region: 'me-central-1', credentials, maxAttempts: 1 });
    expect((await cw.send(new ListMetricsCommand({}))).Metrics).toEqual([]);

    for (const region of ['xx-nowhere-1', 'us-east-9', 'cn-north-1', 'us-gov-west-1']) {
      const error = await ec2(region).send(new DescribeRegionsCommand({})).catch((e: unknown) => e as Error & { code?: string; $metadata?: unknown });
      expect(error).toBeInstanceOf(Error);
      // A network error, not an answer from a service.
      expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBeUndefined();
      expect(String((error as { code?: string }).code ?? (error as Error).message)).toMatch(/ECONNRESET|socket hang up|EPIPE/);
      await expect(sfn(region).send(new ListStateMachinesCommand({}))).rejects.toThrow(/ECONNRESET|socket hang up|EPIPE/);
    }
  });

  test('a restricted set serves only its regions; the others are unreachable', async () => {
    sandbox = await startSandbox({ log: () => {}, regions: ['us-east-1', 'eu-west-1'] });
    const listed = await ec2('eu-west-1').send(new DescribeRegionsCommand({}));
    expect(listed.Regions!.map((r) => r.RegionName)).toEqual(['us-east-1', 'eu-west-1']);
    await expect(ec2('us-west-2').send(new DescribeRegionsCommand({}))).rejects.toThrow(/ECONNRESET|socket hang up|EPIPE/);
    await expect(sfn('us-west-2').send(new ListStateMachinesCommand({}))).rejects.toThrow(/ECONNRESET|socket hang up|EPIPE/);
  });

  test('rejects a region set with a region that is not commercial, naming it', async () => {
    await expect(startSandbox({ log: () => {}, regions: ['us-east-1', 'mars-north-1'] })).rejects.toThrow(/sandbox: regions: "mars-north-1" is not an AWS commercial region/);
    await expect(startSandbox({ log: () => {}, regions: ['eu-west-1'] })).rejects.toThrow(/region: "us-east-1" is not one of the regions served/);
  });

  test('keeps per-region state lazy: a region costs nothing, on disk or in memory, until it is used', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lifeboat-regions-'));
    dirs.push(dataDir);
    sandbox = await startSandbox({ log: () => {}, dataDir });
    await ec2('us-east-1').send(new DescribeRegionsCommand({}));
    expect(Object.keys(sandbox.ec2.snapshot().regions)).toEqual(['us-east-1']);
    await ec2('ap-southeast-6').send(new DescribeAvailabilityZonesCommand({}));
    expect(Object.keys(sandbox.ec2.snapshot().regions).sort()).toEqual(['ap-southeast-6', 'us-east-1']);
    // a restart on the same data carries on with the regions in use, and still serves the others
    await sandbox.stop();
    sandbox = await startSandbox({ log: () => {}, dataDir });
    expect(Object.keys(sandbox.ec2.snapshot().regions).sort()).toEqual(['ap-southeast-6', 'us-east-1']);
    expect((await ec2('sa-east-1').send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones).toHaveLength(3);
  });
});
