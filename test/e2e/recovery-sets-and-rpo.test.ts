import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, test } from 'vitest';
import type { LocalLifeboat } from '../../cli/local/session.js';
import { ROLES, TAG_KEYS } from '../../schemas/tags.js';
import { runCli } from '../cli/cli-harness.js';
import { examplePlan, localLifeboat } from './helpers.js';

/*
 * Recovery sets and the honest RPO, end to end on the sandbox (issue 7): the real workflows and
 * task handlers, EC2 and CloudWatch through the SDK, the virtual clock moved by the admin API.
 */

let env: LocalLifeboat | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

/** `POST /_sandbox/<action>` (sandbox/admin.ts). */
async function admin(env: LocalLifeboat, action: string, body: unknown): Promise<any> {
  const res = await fetch(`${env.sandbox.endpoint.replace(/\/$/, '')}/_sandbox/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sandbox admin ${action}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Every datum of a Lifeboat metric in the last day before `to`, oldest first, read with GetMetricData. */
async function series(env: LocalLifeboat, region: string, name: string, dimensions: { Name: string; Value: string }[], to: Date): Promise<number[]> {
  const cw = new CloudWatchClient({ region, endpoint: env.sandbox.endpoint, credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' }, maxAttempts: 1 });
  try {
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(to.getTime() - 86_400_000),
        EndTime: new Date(to.getTime() + 60_000),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'Lifeboat', MetricName: name, Dimensions: dimensions }, Period: 60, Stat: 'Maximum' } }],
      }),
    );
    return out.MetricDataResults?.[0]?.Values ?? [];
  } finally {
    cw.destroy();
  }
}

describe('e2e: recovery sets and the honest RPO', () => {
  test('a drill restores the newest set of a tier: a terminated instance does not come back, and retention prunes its points', { timeout: 300_000 }, async () => {
    // GIVEN the three-tier plan keeping one recovery set, its web tier grown to 3 instances
    const base = examplePlan('three-tier');
    env = await localLifeboat({ plan: { ...base, backup: { ...base.backup, retention: { count: 1 } } } });
    const { plan } = env;
    const primary = env.sandbox.ec2.region(plan.primaryRegion);
    const recovery = env.sandbox.ec2.region(plan.recoveryRegion);
    const selector = plan.workloads.find((w) => w.name === 'web')!.tagSelector!;
    await admin(env, 'ec2.seed-instances', { region: plan.primaryRegion, instances: [{ instanceType: 'm6i.large', tags: { Name: 'shop-web-3', ...selector } }] });
    const web = () => primary.instances({ state: 'running' }).filter((i) => i.tags.tier === 'web').map((i) => i.instanceId);
    expect(web()).toHaveLength(3);
    const first = await env.runToEnd('backup');
    expect(first.status, first.cause).toBe('SUCCEEDED');
    // the run's points are sealed as one set: 3 web instances
    const webPoints = (run: string) =>
      recovery.images().filter((i) => i.tags[TAG_KEYS.role] === ROLES.recoveryPoint && i.tags[TAG_KEYS.workload] === 'web' && i.tags[TAG_KEYS.executionArn] === run);
    expect(webPoints(first.executionArn).map((p) => p.tags[TAG_KEYS.setSize])).toEqual(['3', '3', '3']);

    // WHEN one web instance is terminated and the plan is backed up again
    const [departed] = web();
    await env.ec2(plan.primaryRegion).send(new TerminateInstancesCommand({ InstanceIds: [departed!] }));
    await admin(env, 'clock', { advanceSeconds: 4 * 3600 });
    const second = await env.runToEnd('backup');
    expect(second.status, second.cause).toBe('SUCCEEDED');
    const drill = await env.runToEnd('drill', {});

    // THEN the drill restored 2 web instances from the second set, not 3
    expect(drill.status, drill.cause).toBe('SUCCEEDED');
    const launched = recovery.instances().filter((i) => i.tags[TAG_KEYS.role] === ROLES.drillInstance && i.tags[TAG_KEYS.executionArn] === drill.executionArn);
    const launchedWeb = launched.filter((i) => i.tags[TAG_KEYS.workload] === 'web');
    expect(launchedWeb).toHaveLength(2);
    expect(launchedWeb.map((i) => i.tags[TAG_KEYS.sourceInstance])).not.toContain(departed);
    expect(launchedWeb.map((i) => i.imageId).sort()).toEqual(webPoints(second.executionArn).map((p) => p.imageId).sort());
    // and the run's output and history say which set each workload came from
    const output = drill.output as { sets: { executionArn: string; isComplete: boolean; workloads: string[] }[]; achieved: { rpoSeconds: number } };
    expect(output.sets).toEqual([expect.objectContaining({ executionArn: second.executionArn, isComplete: true, workloads: ['db', 'web', 'reports'] })]);
    const resolved = drill.events.find((e) => e.type === 'TaskStateExited' && e.stateExitedEventDetails?.name === 'Resolve recovery points');
    expect(JSON.parse(resolved!.stateExitedEventDetails!.output!).sets[0].executionArn).toBe(second.executionArn);
    expect(output.achieved.rpoSeconds).toBe(Math.round((drill.startDate.getTime() - second.startDate.getTime()) / 1000));

    // AND retention (1 set) pruned the first set, the departed instance's point with it
    const pointsOf = (instanceId: string) => recovery.images().filter((i) => i.tags[TAG_KEYS.role] === ROLES.recoveryPoint && i.tags[TAG_KEYS.sourceInstance] === instanceId && i.state !== 'deregistered');
    expect(pointsOf(departed!)).toEqual([]);
    expect(webPoints(first.executionArn).filter((p) => p.state !== 'deregistered')).toEqual([]);
    expect(primary.images().filter((i) => i.tags[TAG_KEYS.sourceInstance] === departed && i.state !== 'deregistered')).toEqual([]);
  });

  test('when backups stop, the published recovery point age grows past the RPO; a drill then says MISSED and exits 3', { timeout: 300_000 }, async () => {
    // GIVEN one backup, then no more (the clock moves 5 hours with no backup; the RPO is 4 hours)
    env = await localLifeboat();
    const { plan } = env;
    const backup = await env.runToEnd('backup');
    expect(backup.status, backup.cause).toBe('SUCCEEDED');
    const planDims = [{ Name: 'Plan', Value: plan.name }];

    // WHEN the scheduled publisher runs an hour later, and again five hours later
    await admin(env, 'clock', { advanceSeconds: 3600 });
    const early = await env.runToEnd('publishRpo');
    await admin(env, 'clock', { advanceSeconds: 4 * 3600 });
    const late = await env.runToEnd('publishRpo');

    // THEN the age it published grew with the clock and breaches the objective
    expect(early.status, early.cause).toBe('SUCCEEDED');
    expect(late.status, late.cause).toBe('SUCCEEDED');
    const ageAt = (run: typeof early) => (run.output as { rpo: { maxAgeSeconds: number; isWithinObjective: boolean } }).rpo;
    expect(ageAt(early).maxAgeSeconds).toBe(Math.round((early.startDate.getTime() - backup.startDate.getTime()) / 1000));
    expect(ageAt(early).isWithinObjective).toBe(true);
    expect(ageAt(late).maxAgeSeconds).toBe(Math.round((late.startDate.getTime() - backup.startDate.getTime()) / 1000));
    expect(ageAt(late).maxAgeSeconds).toBeGreaterThan(plan.objectives.rpoMinutes * 60);
    expect(ageAt(late).isWithinObjective).toBe(false);
    // in CloudWatch, in the recovery region, where the rpo-breached alarm reads it: end of backup, then the two publications
    const published = await series(env, plan.recoveryRegion, 'RecoveryPointAgeSeconds', planDims, late.stopDate!);
    expect(published).toHaveLength(3);
    expect(published[1]!).toBeGreaterThan(published[0]!);
    expect(published[2]!).toBeGreaterThan(plan.objectives.rpoMinutes * 60);
    const web = await series(env, plan.recoveryRegion, 'RecoveryPointAgeSeconds', [...planDims, { Name: 'Workload', Value: 'web' }], late.stopDate!);
    expect(web.at(-1)).toBe(ageAt(late).maxAgeSeconds);

    // WHEN a drill runs now
    const drill = await env.runToEnd('drill', {});

    // THEN it succeeds, names the set, and records an achieved RPO beyond the objective
    expect(drill.status, drill.cause).toBe('SUCCEEDED');
    const achieved = (drill.output as { achieved: { rpoSeconds: number; isRpoMet: boolean; isRtoMet: boolean } }).achieved;
    expect(achieved.isRpoMet).toBe(false);
    expect(achieved.isRtoMet).toBe(true);
    expect(achieved.rpoSeconds).toBe(Math.round((drill.startDate.getTime() - backup.startDate.getTime()) / 1000));
    const achievedMetric = await series(env, plan.recoveryRegion, 'AchievedRecoveryPointAgeSeconds', [...planDims, { Name: 'Mode', Value: 'drill' }], drill.stopDate!);
    expect(achievedMetric).toEqual([achieved.rpoSeconds]);

    // AND `lifeboat history` on it says MISSED plainly and exits 3
    const saved = { endpoint: process.env.AWS_ENDPOINT_URL, key: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    Object.assign(process.env, { AWS_ENDPOINT_URL: env.sandbox.endpoint, AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox' });
    try {
      const text = await runCli(['history', drill.executionArn, '--region', plan.recoveryRegion]);
      expect(text.code, text.stderr).toBe(3);
      expect(text.stdout).toMatch(/RPO +\S+ +achieved .* against 4h00m: MISSED/);
      expect(text.stdout).toMatch(/RTO +\S+ +achieved .* against 1h00m: met/);
      expect(text.stdout).toContain(backup.name);
      const json = await runCli(['history', drill.executionArn, '--region', plan.recoveryRegion, '--json']);
      expect(json.code).toBe(3);
      expect(JSON.parse(json.stdout).recovery.achieved).toEqual(expect.objectContaining({ isRpoMet: false, rpoSeconds: achieved.rpoSeconds }));
    } finally {
      for (const [k, v] of [['AWS_ENDPOINT_URL', saved.endpoint], ['AWS_ACCESS_KEY_ID', saved.key], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
