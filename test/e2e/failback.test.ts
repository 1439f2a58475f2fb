import { DescribeInstancesCommand, type EC2Client, type Instance } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, test } from 'vitest';
import type { LocalLifeboat } from '../../cli/local/session.js';
import { ROLES, TAG_KEYS } from '../../schemas/tags.js';
import { failure, localLifeboat, statesEntered } from './helpers.js';

let env: LocalLifeboat | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

/** Every instance of a region, read back with EC2 DescribeInstances through the sandbox endpoint (all pages). */
async function describeAll(ec2: EC2Client): Promise<Instance[]> {
  const out: Instance[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(new DescribeInstancesCommand({ NextToken }));
    for (const r of page.Reservations ?? []) out.push(...(r.Instances ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}
const tag = (i: Instance, key: string) => i.Tags?.find((t) => t.Key === key)?.Value;
const isUp = (i: Instance) => ['pending', 'running'].includes(i.State?.Name ?? '');

/** A local Lifeboat of the three-tier plan that has been backed up and failed over. */
async function failedOver(): Promise<{ env: LocalLifeboat; failoverArn: string; recovered: Instance[] }> {
  const e = await localLifeboat();
  const backup = await e.runToEnd('backup');
  expect(backup.status, backup.cause).toBe('SUCCEEDED');
  const failover = await e.runToEnd('failover', {});
  expect(failover.status, failover.cause).toBe('SUCCEEDED');
  const recovered = (await describeAll(e.ec2(e.plan.recoveryRegion))).filter((i) => isUp(i) && tag(i, TAG_KEYS.role) === ROLES.failoverInstance);
  expect(recovered).toHaveLength(4); // db, two web, reports
  return { env: e, failoverArn: failover.executionArn, recovered };
}

describe('e2e: failback on the sandbox', () => {
  test('backup → failover → failback ends with the instances back in the primary region and nothing running in the recovery region after the hold', async () => {
    // GIVEN a plan failed over to us-west-2
    const setup = await failedOver();
    env = setup.env;
    const { plan } = env;

    // WHEN the failback runs with {} (as from the console)
    const failback = await env.runToEnd('failback', {});

    // THEN one failback instance per recovered instance runs in the primary region, in the failback subnets
    expect(failback.status, `${failback.error}: ${failback.cause}`).toBe('SUCCEEDED');
    const primary = (await describeAll(env.ec2(plan.primaryRegion))).filter((i) => tag(i, TAG_KEYS.role) === ROLES.failbackInstance);
    expect(primary.filter(isUp)).toHaveLength(4);
    expect(primary.map((i) => tag(i, TAG_KEYS.sourceInstance)).sort()).toEqual(setup.recovered.map((i) => i.InstanceId).sort());
    for (const i of primary) {
      const launch = plan.failback!.launch[tag(i, TAG_KEYS.workload)!]!;
      expect(launch.subnetIds).toContain(i.SubnetId);
      expect(tag(i, TAG_KEYS.executionArn)).toBe(failback.executionArn);
      // launched from a verified, encrypted copy in the primary region, made by this failback
      const image = env.sandbox.ec2.region(plan.primaryRegion).images().find((im) => im.imageId === i.ImageId)!;
      expect(image.tags[TAG_KEYS.verified]).toBe('true');
      expect(image.tags[TAG_KEYS.executionArn]).toBe(failback.executionArn);
      for (const m of image.blockDeviceMappings) expect(m).toMatchObject({ encrypted: true, kmsKeyId: plan.failback!.kmsKeyId });
    }
    // and nothing of the plan runs in the recovery region any more: the recovered instances are terminated and say by whom
    const recovery = await describeAll(env.ec2(plan.recoveryRegion));
    expect(recovery.filter((i) => isUp(i) || i.State?.Name === 'stopped')).toEqual([]);
    for (const r of recovery.filter((i) => tag(i, TAG_KEYS.role) === ROLES.failoverInstance)) {
      expect(tag(r, TAG_KEYS.retiredBy)).toMatch(new RegExp(`^${failback.executionArn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at `));
    }
    // retirement came only after every wave was ready and the plan's 30-minute hold
    const states = statesEntered(failback.events);
    expect(states.indexOf('Retire recovery instances')).toBeGreaterThan(states.lastIndexOf('Wave ready'));
    const holdEntered = failback.events.find((e) => e.type === 'WaitStateEntered' && e.stateEnteredEventDetails?.name === 'Hold recovery instances')!;
    const holdExited = failback.events.find((e) => e.type === 'WaitStateExited' && e.stateExitedEventDetails?.name === 'Hold recovery instances')!;
    expect((holdExited.timestamp!.getTime() - holdEntered.timestamp!.getTime()) / 1000).toBe(30 * 60);
    // RPO (the images' age when the launch started) and RTO, measured like a failover
    const out = failback.output as { failoverExecutionArn: string; recoveryTimeSeconds: number; achieved: { rpoSeconds: number; rtoSeconds: number; isRpoMet: boolean } };
    expect(out.failoverExecutionArn).toBe(setup.failoverArn);
    expect(out.achieved.rtoSeconds).toBe(Math.round(out.recoveryTimeSeconds));
    expect(out.achieved.rpoSeconds).toBeGreaterThan(0);
    expect(out.achieved.rpoSeconds).toBeLessThan(out.achieved.rtoSeconds);
    // the normal direction stays in place: a backup after the failback still succeeds
    const after = await env.runToEnd('backup');
    expect(after.status, after.cause).toBe('SUCCEEDED');
  });

  test('a failback that fails at a wave leaves the recovery instances running; redriven, it replaces the impaired instance and retires them', async () => {
    // GIVEN a failed-over plan whose db instance, once failed back, has impaired status checks in the primary region
    const setup = await failedOver();
    env = setup.env;
    const { plan } = env;
    env.sandbox.ec2.setFaults({ impaired: [{ region: plan.primaryRegion, tags: { [TAG_KEYS.workload]: 'db', [TAG_KEYS.role]: ROLES.failbackInstance } }] });

    // WHEN
    const first = await env.runToEnd('failback', {});

    // THEN it fails naming the wave step and the instance, and the recovery region still serves
    expect(first.status).toBe('FAILED');
    const cause = JSON.parse(failure(first.events)!.cause!) as { errorMessage: string };
    expect(cause.errorMessage).toMatch(/^step "Launch instances" failed with Lifeboat\.LaunchFailed: launch in us-east-1: db\/i-\w+ \(critical\) instance i-\w+: status checks impaired$/);
    expect(statesEntered(first.events)).not.toContain('Retire recovery instances');
    const stillUp = (await describeAll(env.ec2(plan.recoveryRegion))).filter((i) => isUp(i) && tag(i, TAG_KEYS.role) === ROLES.failoverInstance);
    expect(stillUp.map((i) => i.InstanceId).sort()).toEqual(setup.recovered.map((i) => i.InstanceId).sort());

    // WHEN the cause is gone and the run is redriven
    env.sandbox.ec2.clearFaults();
    const second = await env.redrive(first.executionArn);

    // THEN it resumes at the failed wave (no new images), ends with the primary serving and nothing up in the recovery region
    expect(second.status, `${second.error}: ${second.cause}`).toBe('SUCCEEDED');
    const events = second.events;
    const imagesCreated = env.sandbox.ec2.region(plan.recoveryRegion).images().filter((im) => im.tags[TAG_KEYS.executionArn] === first.executionArn);
    expect(imagesCreated).toHaveLength(4);
    expect(events.filter((e) => e.type === 'ExecutionRedriven')).toHaveLength(1);
    const primary = (await describeAll(env.ec2(plan.primaryRegion))).filter((i) => tag(i, TAG_KEYS.role) === ROLES.failbackInstance);
    expect(primary.filter(isUp)).toHaveLength(4);
    const dbs = primary.filter((i) => tag(i, TAG_KEYS.workload) === 'db');
    expect(dbs.map((i) => i.State?.Name).sort()).toEqual(['running', 'terminated']);
    expect((await describeAll(env.ec2(plan.recoveryRegion))).filter((i) => isUp(i) || i.State?.Name === 'stopped')).toEqual([]);
  });
});
