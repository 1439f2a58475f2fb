import { EC2Client } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand,
  ListStateMachinesCommand,
  UpdateStateMachineCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { Plan } from '../../schemas/plan.js';
import type { TaskId } from '../../schemas/tasks/index.js';
import { approvalTopicArn } from '../../workflows/failover/approval.js';
import { isDistributed, planObjects, renderBackup, renderCollector, renderFailback, renderFailover, renderPublishRpo, type PlanObject } from '../../workflows/render.js';
import { recordPlan } from './console-pages.js';
import { deployOperations } from './operations.js';
import { applyFixture, planFixture } from './seed.js';

/** The sandbox's fixed account id. */
export const LOCAL_ACCOUNT_ID = '123456789012';

/** The role ARN the sandbox records for every local state machine (it checks no IAM). */
export const LOCAL_ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/lifeboat-local`;

/**
 * The Lambda ARN a task has on the sandbox in a region.
 *
 * @example localTaskArn('us-west-2', 'copy') // 'arn:aws:lambda:us-west-2:123456789012:function:lifeboat-copy'
 */
export function localTaskArn(region: string, id: TaskId): string {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:lifeboat-${id}`;
}

/**
 * The run bucket of a region on the sandbox (distributed runs keep item lists and results there).
 *
 * @example localRunBucket('us-west-2') // 'lifeboat-runs-us-west-2'
 */
export function localRunBucket(region: string): string {
  return `lifeboat-runs-${region}`;
}

/** The state machines of a plan, by kind: the three runs, the collector of each region and the RPO publisher (`publishRpo`, `lifeboat-<plan>-publish-rpo`). */
export interface DeployedMachines {
  readonly backup: string;
  readonly failover: string;
  readonly drill: string;
  /** `lifeboat-<plan>-collect` in the primary region. */
  readonly collectPrimary: string;
  /** `lifeboat-<plan>-collect` in the recovery region. */
  readonly collectRecovery: string;
  /** `lifeboat-<plan>-publish-rpo` in the recovery region. */
  readonly publishRpo: string;
  /** `lifeboat-<plan>-failback` in the recovery region (a plan with a `failback` section). */
  readonly failback?: string;
}

/** One machine to deploy: name, region and rendered definition. */
interface MachineSpec {
  readonly kind: keyof DeployedMachines;
  readonly name: string;
  readonly region: string;
  readonly definition: string;
}

/**
 * Where a local run's approval request goes (the alarm topic `deployOperations` creates in the
 * recovery region, or the plan's own there), and the flag its commands need to reach the sandbox.
 */
function localNotifications(plan: Plan): { notificationTopic: string; cliFlags: string } {
  return { notificationTopic: approvalTopicArn(plan, LOCAL_ACCOUNT_ID), cliFlags: '--local' };
}

/** The plan's machines with their definitions rendered for the sandbox's task ARNs. */
export function localMachineSpecs(plan: Plan): MachineSpec[] {
  const backupRegion = plan.primaryRegion;
  const recoveryRegion = plan.recoveryRegion;
  return [
    {
      kind: 'backup',
      name: `lifeboat-${plan.name}-backup`,
      region: backupRegion,
      definition: JSON.stringify(renderBackup(plan, { taskArn: (id) => localTaskArn(backupRegion, id), runBucket: localRunBucket(backupRegion) })),
    },
    {
      kind: 'failover',
      name: `lifeboat-${plan.name}-failover`,
      region: recoveryRegion,
      definition: JSON.stringify(renderFailover(plan, 'failover', { taskArn: (id) => localTaskArn(recoveryRegion, id), runBucket: localRunBucket(recoveryRegion), ...localNotifications(plan) })),
    },
    {
      kind: 'drill',
      name: `lifeboat-${plan.name}-drill`,
      region: recoveryRegion,
      definition: JSON.stringify(renderFailover(plan, 'drill', { taskArn: (id) => localTaskArn(recoveryRegion, id), runBucket: localRunBucket(recoveryRegion), ...localNotifications(plan) })),
    },
    {
      kind: 'collectPrimary',
      name: `lifeboat-${plan.name}-collect`,
      region: backupRegion,
      definition: JSON.stringify(renderCollector(plan, backupRegion, { taskArn: (id) => localTaskArn(backupRegion, id) })),
    },
    {
      kind: 'collectRecovery',
      name: `lifeboat-${plan.name}-collect`,
      region: recoveryRegion,
      definition: JSON.stringify(renderCollector(plan, recoveryRegion, { taskArn: (id) => localTaskArn(recoveryRegion, id) })),
    },
    {
      kind: 'publishRpo',
      name: `lifeboat-${plan.name}-publish-rpo`,
      region: recoveryRegion,
      definition: JSON.stringify(renderPublishRpo(plan, { taskArn: (id) => localTaskArn(recoveryRegion, id), runBucket: localRunBucket(recoveryRegion) })),
    },
    ...(plan.failback !== undefined
      ? [
          {
            kind: 'failback' as const,
            name: `lifeboat-${plan.name}-failback`,
            region: recoveryRegion,
            definition: JSON.stringify(renderFailback(plan, { taskArn: (id) => localTaskArn(recoveryRegion, id), ...localNotifications(plan) })),
          },
        ]
      : []),
  ];
}

/**
 * Makes the sandbox ready to run a plan: seeds the plan's fixture (its instances in the primary
 * region, its subnets, groups and launch templates in the recovery region; see `seed.ts`) where
 * they are missing, then creates, or updates in place, the plan's backup, failover and drill
 * state machines, its backup and drill schedules and its alarms (with their SNS topics) through
 * the ordinary AWS APIs (the calls a deployment tool makes; see `operations.ts`).
 *
 * @param clientFor an SFN client for a region, pointed at the sandbox endpoint
 */
export async function deployPlanLocally(plan: Plan, clientFor: (region: string) => SFNClient): Promise<DeployedMachines> {
  const sfn = clientFor(plan.primaryRegion);
  await seedPlanFixture(plan, sfn);
  const machines = await deployMachines(plan, clientFor);
  await deployOperations(plan, { endpoint: await endpointOf(sfn), credentials: sfn.config.credentials });
  return machines;
}

/** `http://host:port` of the sandbox an SFN client points at. */
export async function endpointOf(sfn: SFNClient): Promise<string> {
  const endpoint = await sfn.config.endpoint?.();
  if (!endpoint) throw new Error('deploy to the sandbox: expected a Step Functions client pointed at the sandbox, found one with no endpoint; make it with --local (the sandbox\'s URL)');
  return `${endpoint.protocol}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ''}`;
}

/** Creates or updates the plan's state machines (no seeding). */
export async function deployMachines(plan: Plan, clientFor: (region: string) => SFNClient): Promise<DeployedMachines> {
  if (isDistributed(plan)) {
    for (const region of [plan.primaryRegion, plan.recoveryRegion]) await ensureRunBucket(clientFor(region), region);
    // The workload tables the definitions name, before any definition that reads them (docs/decisions/0021).
    await putPlanObjects(planObjects(plan), clientFor);
  }
  // The plan itself, where the console's Lifeboat pages read it (console-pages.ts).
  const recovery = clientFor(plan.recoveryRegion);
  await ensureRunBucket(recovery, plan.recoveryRegion);
  await recordPlan(plan, await endpointOf(recovery), await recovery.config.credentials());
  const arns: Partial<Record<keyof DeployedMachines, string>> = {};
  for (const spec of localMachineSpecs(plan)) {
    const sfn = clientFor(spec.region);
    const existing = await findMachine(sfn, spec.name);
    if (existing) {
      await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: existing, definition: spec.definition }));
      arns[spec.kind] = existing;
    } else {
      const created = await sfn.send(
        new CreateStateMachineCommand({ name: spec.name, definition: spec.definition, roleArn: LOCAL_ROLE_ARN, type: 'STANDARD' }),
      );
      arns[spec.kind] = created.stateMachineArn!;
    }
  }
  return arns as DeployedMachines;
}

async function findMachine(sfn: SFNClient, name: string): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ nextToken }));
    const hit = page.stateMachines?.find((m) => m.name === name);
    if (hit) return hit.stateMachineArn;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

/** Seeds the plan's fixture into the sandbox the SFN client points at, reusing its endpoint and credentials. */
async function seedPlanFixture(plan: Plan, sfn: SFNClient): Promise<void> {
  const base = await endpointOf(sfn);
  const clients: EC2Client[] = [];
  try {
    await applyFixture(base, planFixture(plan), (region) => {
      // Setup, not a task: let the SDK retry through injected throttling.
      const c = new EC2Client({ region, endpoint: base, credentials: sfn.config.credentials, maxAttempts: 8 });
      clients.push(c);
      return c;
    });
  } finally {
    for (const c of clients) c.destroy();
  }
}

/**
 * Creates the region's run bucket on the sandbox the SFN client points at, unless it exists (what
 * the CDK stacks do on AWS): distributed runs write their item lists and results there.
 */
export async function ensureRunBucket(sfn: SFNClient, region: string): Promise<string> {
  const endpoint = await sfn.config.endpoint?.();
  if (!endpoint) throw new Error('deploy to the sandbox: expected a Step Functions client pointed at the sandbox, found one with no endpoint; make it with --local (the sandbox\'s URL)');
  const base = `${endpoint.protocol}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ''}`;
  const bucket = localRunBucket(region);
  const s3 = new S3Client({ region, endpoint: base, credentials: sfn.config.credentials, forcePathStyle: true, maxAttempts: 3 });
  try {
    try {
      await s3.send(new HeadBucketCommand({ Bucket: bucket }));
      return bucket;
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) throw error;
    }
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
      }),
    );
    return bucket;
  } finally {
    s3.destroy();
  }
}

/**
 * Writes a distributed plan's workload tables to the sandbox's run buckets, as the CDK stacks'
 * `PlanTables` deployment does on AWS (docs/decisions/0021). Each key names its content's SHA-256,
 * so an object already there is the same table and is left alone; nothing is ever deleted (a
 * running execution of the previous definition still reads its own table).
 */
export async function putPlanObjects(objects: readonly PlanObject[], clientFor: (region: string) => SFNClient): Promise<void> {
  for (const region of [...new Set(objects.map((o) => o.region))]) {
    const sfn = clientFor(region);
    const s3 = new S3Client({ region, endpoint: await endpointOf(sfn), credentials: sfn.config.credentials, forcePathStyle: true, maxAttempts: 3 });
    try {
      const bucket = localRunBucket(region);
      for (const object of objects.filter((o) => o.region === region)) {
        try {
          await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: object.key }));
          continue;
        } catch (error) {
          if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) throw error;
        }
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: object.key, Body: object.body, ContentType: 'application/json' }));
      }
    } finally {
      s3.destroy();
    }
  }
}
