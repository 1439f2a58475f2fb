import { EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, test } from 'vitest';
import { applyFixture } from '../../cli/local/seed.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';

/*
 * The sandbox fixture of a very large plan (bench/shapes.ts, long-names-tags: 5,000 tag selectors
 * of a 128-character key and 256-character values, two instances each) did not fit one admin
 * request (413: at most 8 MiB); applyFixture now seeds in parts.
 */
describe('local session: the fixture of a plan of thousands of long-tagged instances', () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => sandbox?.stop());

  test('is seeded in parts under the admin API body limit, every instance once', async () => {
    sandbox = await startSandbox({ seed: 3, region: 'us-east-1' });
    const key = 'k'.repeat(128);
    const instances = Array.from({ length: 3600 }, (_, i) => ({
      instanceType: 'm6i.large',
      tags: { Name: `host-${i}`, [key]: `${i}:${'v'.repeat(250)}`, a: 'x'.repeat(256), b: 'y'.repeat(256), c: 'z'.repeat(256), d: 'w'.repeat(256), e: 'u'.repeat(256), f: 't'.repeat(256), g: 's'.repeat(256), h: 'r'.repeat(256) },
    }));
    expect(Buffer.byteLength(JSON.stringify({ region: 'us-east-1', instances }))).toBeGreaterThan(8 * 1024 * 1024);
    const client = new EC2Client({ region: 'us-east-1', endpoint: sandbox.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const seeded = await applyFixture(sandbox.endpoint, { regions: { 'us-east-1': { subnetIds: [], securityGroupIds: [], instances, launchTemplates: [] } } }, () => client);
    client.destroy();
    expect(seeded['us-east-1']).toHaveLength(3600);
    expect(new Set(seeded['us-east-1']).size).toBe(3600);
    const names = new Set(sandbox.ec2.region('us-east-1').instances().map((i) => i.tags.Name));
    expect(names.has('host-0') && names.has('host-3599')).toBe(true);
  }, 60_000);
});
