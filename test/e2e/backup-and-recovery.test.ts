import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterEach, describe, expect, test } from 'vitest';
import type { LocalLifeboat } from '../../cli/local/session.js';
import { TAG_KEYS, ROLES } from '../../schemas/tags.js';
import { examplePlan, localLifeboat, statesEntered } from './helpers.js';

let env: LocalLifeboat | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

/** The Maximum of a Lifeboat metric around `from`, read with GetMetricData through the sandbox endpoint. */
async function metric(env: LocalLifeboat, region: string, name: string, dimensions: { Name: string; Value: string }[], from: Date): Promise<number[]> {
  const cw = new CloudWatchClient({ region, endpoint: env.sandbox.endpoint, credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' }, maxAttempts: 1 });
  try {
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(from.getTime() - 3_600_000),
        EndTime: new Date(from.getTime() + 24 * 3_600_000),
        MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'Lifeboat', MetricName: name, Dimensions: dimensions }, Period: 86_400, Stat: 'Maximum' } }],
      }),
    );
    return out.MetricDataResults?.[0]?.Values ?? [];
  } finally {
    cw.destroy();
  }
}

describe('e2e: backup, failover and drill on the sandbox', () => {
  test('a backup leaves one verified, encrypted copy per protected instance in the recovery region, and a failover launches from them', async () => {
    // GIVEN the three-tier plan (db by id, web by tag selector x2, optional reports) seeded in us-east-1
    env = await localLifeboat();
    const { plan } = env;
    const primary = env.sandbox.ec2.region(plan.primaryRegion);
    const recovery = env.sandbox.ec2.region(plan.recoveryRegion);
    const protectedIds = primary.instances({ state: 'running' }).map((i) => i.instanceId);
    expect(protectedIds).toHaveLength(4);

    // WHEN
    const backup = await env.runToEnd('backup');

    // THEN
    expect(backup.status, backup.cause).toBe('SUCCEEDED');
    const copies = recovery.images({ state: 'available' }).filter((i) => i.tags[TAG_KEYS.role] === ROLES.recoveryPoint);
    expect(copies.map((c) => c.tags[TAG_KEYS.sourceInstance]).sort()).toEqual([...protectedIds].sort());
    for (const copy of copies) {
      expect(copy.tags[TAG_KEYS.verified]).toBe('true');
      expect(copy.tags[TAG_KEYS.plan]).toBe(plan.name);
      expect(copy.tags[TAG_KEYS.executionArn]).toBe(backup.executionArn);
      expect(copy.blockDeviceMappings.length).toBeGreaterThan(0);
      for (const m of copy.blockDeviceMappings) {
        expect(m.encrypted).toBe(true);
        expect(m.kmsKeyId).toBe(plan.backup.kmsKeyId);
      }
    }

    // WHEN the failover runs with input {}
    const failover = await env.runToEnd('failover', {});

    // THEN one failover instance per recovery point, launched from it, running in the recovery region
    expect(failover.status, failover.cause).toBe('SUCCEEDED');
    const launched = recovery.instances({ state: 'running' }).filter((i) => i.tags[TAG_KEYS.role] === ROLES.failoverInstance);
    expect(launched.map((i) => i.imageId).sort()).toEqual(copies.map((c) => c.imageId).sort());
    expect(statesEntered(failover.events)).toContain('Record recovery metrics');
    // and both runs published their objective metrics to CloudWatch, where the dashboard and alarms read them
    // the recovery point age is published in the recovery region, beside the recovery points (record-metrics)
    const rpo = await metric(env, plan.recoveryRegion, 'RecoveryPointAgeSeconds', [{ Name: 'Plan', Value: plan.name }], backup.startDate);
    const backupSeconds = (backup.stopDate!.getTime() - backup.startDate.getTime()) / 1000;
    expect(rpo).toHaveLength(1);
    expect(rpo[0]).toBeGreaterThan(0);
    expect(rpo[0]).toBeLessThanOrEqual(Math.ceil(backupSeconds)); // whole seconds
    const rto = await metric(env, plan.recoveryRegion, 'RecoveryTimeSeconds', [{ Name: 'Plan', Value: plan.name }, { Name: 'Mode', Value: 'failover' }], failover.startDate);
    expect(rto).toEqual([Math.round((failover.output as { recoveryTimeSeconds: number }).recoveryTimeSeconds)]); // whole seconds
    // and the primary region still has only the protected instances
    expect(primary.instances({ state: 'running' }).map((i) => i.instanceId).sort()).toEqual([...protectedIds].sort());
  });

  test('a drill launches into the isolated subnet, tears everything down, and reports its RTO', async () => {
    env = await localLifeboat();
    const { plan } = env;
    const recovery = env.sandbox.ec2.region(plan.recoveryRegion);
    expect((await env.runToEnd('backup')).status).toBe('SUCCEEDED');

    const drill = await env.runToEnd('drill', {});

    expect(drill.status, drill.cause).toBe('SUCCEEDED');
    const drillInstances = recovery.instances().filter((i) => i.tags[TAG_KEYS.role] === ROLES.drillInstance);
    expect(drillInstances.length).toBe(4);
    for (const i of drillInstances) {
      expect(plan.drill.isolatedSubnetIds).toContain(i.subnetId);
      expect(['shutting-down', 'terminated']).toContain(i.state);
    }
    expect(statesEntered(drill.events)).toContain('Tear down drill');
    const rto = (drill.output as { recoveryTimeSeconds?: number }).recoveryTimeSeconds;
    expect(rto).toBeGreaterThan(0);
  });

  test('the small plan backs up and drills with its defaults', async () => {
    env = await localLifeboat({ plan: examplePlan('small') });
    expect((await env.runToEnd('backup')).status).toBe('SUCCEEDED');
    const drill = await env.runToEnd('drill');
    expect(drill.status, drill.cause).toBe('SUCCEEDED');
    expect(env.sandbox.ec2.region(env.plan.recoveryRegion).instances({ state: 'running' })).toEqual([]);
  });
});
