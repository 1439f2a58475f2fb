import { Aws } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { LaunchSettings, Plan } from '../schemas/plan.js';
import { ROLES, TAG_KEYS, VERIFIED_VALUE } from '../schemas/tags.js';
import type { TaskId } from '../schemas/tasks/index.js';
import { vcpuQuotaOf } from '../schemas/tasks/preflight.js';
import { findRecoveredStatements, retireStatements } from './failback-policies.js';
import { METRICS } from './names.js';

/**
 * The IAM statements each task's Lambda role gets: only the calls that task makes, on the
 * regions it makes them in, scoped by Lifeboat's tags wherever EC2 evaluates them.
 *
 * Sources for resource types and condition keys (checked action by action):
 * - Service Authorization Reference, "Actions, resources, and condition keys for Amazon EC2"
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 *   (the same data ships with cfn-lint 1.51 in `cfnlint/data/AdditionalSpecs/Policies.json`):
 *   CreateImage → image, instance, snapshot; CopyImage → image, snapshot (source and target,
 *   source-side since 2024-10-28, see copy-ami-permissions.html); DeregisterImage → image;
 *   DeleteSnapshot → snapshot; TerminateInstances → instance; RunInstances → image, instance,
 *   key-pair, launch-template, network-interface, security-group, snapshot, subnet, volume, …;
 *   Describe* → no resource-level permissions (Resource must be "*"). Every one of those
 *   resource types supports `aws:RequestTag/${TagKey}`, `aws:ResourceTag/${TagKey}` and
 *   `aws:TagKeys`; network-interface supports `ec2:Subnet`; instance supports `ec2:InstanceProfile`.
 * - Tag on create: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html
 *   (`ec2:CreateTags` is authorised as part of the create call; `ec2:CreateAction` names it).
 * - `cloudwatch:namespace`: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html
 * - KMS for EBS encryption (CopyImage and RunInstances with a customer managed key):
 *   https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption-requirements.html
 *   (`kms:GrantIsForAWSResource` keeps CreateGrant to grants EC2 makes on the caller's behalf).
 * - `kms:ResourceAliases` for keys named by alias:
 *   https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases
 */

/** What the statements are built from. */
export interface TaskPolicyOptions {
  /** The parsed plan. */
  readonly plan: Plan;
  /**
   * The region of the stack the function is in (the collector works in its own region only).
   * @default both of the plan's regions
   */
  readonly region?: string;
  /**
   * The ARN of the stack's run bucket (distributed runs keep item lists and results there).
   * Without it, no task gets S3 access.
   */
  readonly runBucketArn?: string;
}

/** The run bucket's objects a task may touch: the `runs/` prefix only. */
function runObjects(bucketArn: string, actions: string[], sid: string): PolicyStatement {
  return new PolicyStatement({ sid, actions: actions.map((a) => `s3:${a}`), resources: [`${bucketArn}/runs/*`] });
}

export const ec2Arn = (region: string, resource: string, account: string = Aws.ACCOUNT_ID): string =>
  `arn:${Aws.PARTITION}:ec2:${region}:${account}:${resource}`;
/** Images and snapshots have no account in their ARN. */
export const ec2OwnerlessArn = (region: string, resource: string): string => ec2Arn(region, resource, '');
/** Every AMI and every snapshot in `region` (ownerless ARNs): what CreateImage and CopyImage make, and what a deregistration removes. */
export const imagesAndSnapshots = (region: string): string[] => [ec2OwnerlessArn(region, 'image/*'), ec2OwnerlessArn(region, 'snapshot/*')];

/** `aws:ResourceTag/lifeboat:plan = <plan>`: the resource was made by this plan. */
export const ownedByPlan = (plan: Plan) => ({ StringEquals: { [`aws:ResourceTag/${TAG_KEYS.plan}`]: plan.name } });
/** `aws:RequestTag/lifeboat:plan = <plan>`: the new resource is tagged for this plan on create. */
export const taggedForPlan = (plan: Plan) => ({ StringEquals: { [`aws:RequestTag/${TAG_KEYS.plan}`]: plan.name } });

/** Describe calls have no resource-level permissions; `aws:RequestedRegion` still limits where. */
export function describe(actions: string[], regions: string[]): PolicyStatement {
  return new PolicyStatement({
    sid: 'Describe',
    effect: Effect.ALLOW,
    actions: actions.map((a) => `ec2:${a}`).sort(),
    resources: ['*'],
    conditions: { StringEquals: { 'aws:RequestedRegion': [...new Set(regions)].sort() } },
  });
}

/** `ec2:CreateTags` allowed only as part of `createAction` (tags in a TagSpecification). */
export function tagOnCreate(createAction: string, resources: string[]): PolicyStatement {
  return new PolicyStatement({
    sid: `TagOn${createAction}`,
    actions: ['ec2:CreateTags'],
    resources,
    conditions: { StringEquals: { 'ec2:CreateAction': createAction } },
  });
}

/** The KMS key ARN pattern and extra condition for the plan's copy key, or undefined without one. */
export function copyKeyResource(plan: Plan): { arn: string; conditions?: Record<string, unknown> } | undefined {
  return keyResource(plan.backup.kmsKeyId, plan.recoveryRegion);
}

/** The KMS key ARN pattern and extra condition of a key id, key ARN or alias in `region`. */
export function keyResource(keyId: string | undefined, region: string): { arn: string; conditions?: Record<string, unknown> } | undefined {
  if (keyId === undefined) return undefined;
  if (keyId.startsWith('arn:') && keyId.includes(':key/')) return { arn: keyId };
  const alias = keyId.startsWith('arn:') ? keyId.slice(keyId.indexOf(':alias/') + 1) : keyId.startsWith('alias/') ? keyId : undefined;
  if (alias !== undefined) {
    // An alias is not a key ARN: IAM matches the key, and kms:ResourceAliases names the alias.
    return {
      arn: `arn:${Aws.PARTITION}:kms:${region}:${Aws.ACCOUNT_ID}:key/*`,
      conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alias } },
    };
  }
  return { arn: `arn:${Aws.PARTITION}:kms:${region}:${Aws.ACCOUNT_ID}:key/${keyId}` };
}

/** What EC2 needs from the caller to read and write EBS data under a customer managed key. */
function copyKeyStatements(plan: Plan): PolicyStatement[] {
  return keyStatements(copyKeyResource(plan));
}

/** {@link copyKeyStatements} for any key (the failback's copies use a key in the primary region). */
export function keyStatements(key: { arn: string; conditions?: Record<string, unknown> } | undefined): PolicyStatement[] {
  if (key === undefined) return [];
  return [
    new PolicyStatement({
      sid: 'UseCopyKey',
      actions: [
        'kms:Decrypt',
        'kms:DescribeKey',
        'kms:Encrypt',
        'kms:GenerateDataKeyWithoutPlaintext',
        'kms:ReEncryptFrom',
        'kms:ReEncryptTo',
      ],
      resources: [key.arn],
      ...(key.conditions ? { conditions: key.conditions } : {}),
    }),
    new PolicyStatement({
      sid: 'GrantCopyKeyToEc2',
      actions: ['kms:CreateGrant'],
      resources: [key.arn],
      conditions: { ...(key.conditions ?? {}), Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
  ];
}

/** PutMetricData in the Lifeboat namespace only (the action has no resource-level permissions). */
/**
 * `request-approval` publishes the approval request to the plan's notifications topic, and to no
 * other topic: the plan's `notifications.snsTopicArn` when it is in the recovery region, else the
 * `lifeboat-<plan>-alarms` topic the recovery stack creates (encrypted: the stack adds the key use).
 *
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
 */
export function approvalTopicResource(plan: Plan): string {
  const given = plan.notifications.snsTopicArn;
  if (given !== undefined && given.split(':')[3] === plan.recoveryRegion) return given;
  return `arn:${Aws.PARTITION}:sns:${plan.recoveryRegion}:${Aws.ACCOUNT_ID}:lifeboat-${plan.name}-alarms`;
}

function publishApprovalRequest(plan: Plan): PolicyStatement {
  return new PolicyStatement({ sid: 'PublishApprovalRequest', actions: ['sns:Publish'], resources: [approvalTopicResource(plan)] });
}

export function putMetrics(): PolicyStatement {
  return new PolicyStatement({
    sid: 'PutLifeboatMetrics',
    actions: ['cloudwatch:PutMetricData'],
    resources: ['*'],
    conditions: { StringEquals: { 'cloudwatch:namespace': METRICS.namespace } },
  });
}

/** CreateImage may read the protected instances only: by id, or by the workload's tag selector. */
function sourceInstanceStatements(plan: Plan): PolicyStatement[] {
  const region = plan.primaryRegion;
  const ids = plan.workloads.flatMap((w) => w.instanceIds ?? []);
  const statements: PolicyStatement[] = [];
  if (ids.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'ImageProtectedInstancesById',
        actions: ['ec2:CreateImage'],
        resources: ids.map((id) => ec2Arn(region, `instance/${id}`)),
      }),
    );
  }
  plan.workloads.forEach((w, i) => {
    if (w.tagSelector === undefined) return;
    const tags = Object.fromEntries(Object.entries(w.tagSelector).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
    statements.push(
      new PolicyStatement({
        sid: `ImageProtectedInstancesByTags${i}`,
        actions: ['ec2:CreateImage'],
        resources: [ec2Arn(region, 'instance/*')],
        conditions: { StringEquals: tags },
      }),
    );
  });
  return statements;
}

/** What {@link launchStatementsIn} scopes a launching role to. */
export interface LaunchScope {
  /** Where the instances are launched. */
  readonly region: string;
  /** The launch settings used there (a workload's `launch`, or its `failback.launch`). */
  readonly launches: readonly LaunchSettings[];
  /** More subnets and groups used there (the drill's isolation). */
  readonly extraSubnetIds?: readonly string[];
  readonly extraGroupIds?: readonly string[];
  /** The KMS key the images were copied with, if any. */
  readonly key?: { arn: string; conditions?: Record<string, unknown> };
  /** Instances a relaunch after a redrive may terminate: tagged for the plan (and, when given, this role). */
  readonly replaceableRole?: string;
}

/** All subnets and security groups a scope may launch into, as ARNs in its region. */
function launchNetwork(o: LaunchScope): { subnets: string[]; securityGroups: string[] } {
  const region = o.region;
  const subnetIds = new Set([...o.launches.flatMap((l) => l.subnetIds), ...(o.extraSubnetIds ?? [])]);
  // A workload without groups uses its launch template's or the VPC's default group, whose id
  // the plan does not know: then any group in the region may be used (using a group grants no
  // change to it).
  const isEveryGroupKnown = o.launches.every((l) => l.securityGroupIds.length > 0);
  const groupIds = new Set([...o.launches.flatMap((l) => l.securityGroupIds), ...(o.extraGroupIds ?? [])]);
  return {
    subnets: [...subnetIds].sort().map((id) => ec2Arn(region, `subnet/${id}`)),
    securityGroups: isEveryGroupKnown
      ? [...groupIds].sort().map((id) => ec2Arn(region, `security-group/${id}`))
      : [ec2Arn(region, 'security-group/*')],
  };
}

/** The plan's instance profile ARNs, sorted. */
function planProfiles(plan: Plan): string[] {
  return [...new Set(plan.workloads.flatMap((w) => (w.launch.instanceProfileArn ? [w.launch.instanceProfileArn] : [])))].sort();
}

function launchStatements(plan: Plan): PolicyStatement[] {
  return launchStatementsIn(plan, recoveryLaunchScope(plan));
}

/** Where the plan's failovers and drills launch: the recovery region, the workloads' launches and the drill's isolation. */
function recoveryLaunchScope(plan: Plan): LaunchScope {
  return {
    region: plan.recoveryRegion,
    launches: plan.workloads.map((w) => w.launch),
    extraSubnetIds: plan.drill.isolatedSubnetIds,
    extraGroupIds: plan.drill.securityGroupIds ?? [],
    key: copyKeyResource(plan),
  };
}

/**
 * A launching task's statements in a scope: reading instances, {@link runInstancesStatements},
 * the substitution tag, terminating the plan's instances (a relaunch after a redrive) and the
 * images' KMS key.
 */
export function launchStatementsIn(plan: Plan, o: LaunchScope): PolicyStatement[] {
  const region = o.region;
  return [
    describe(['DescribeInstances', 'DescribeInstanceStatus'], [region]),
    ...runInstancesStatements(plan, o),
    // After a substitution, the reasons are recorded on the instance (lifeboat:substitution only).
    new PolicyStatement({
      sid: 'RecordSubstitutionOnPlanInstances',
      actions: ['ec2:CreateTags'],
      resources: [ec2Arn(region, 'instance/*')],
      conditions: {
        ...ownedByPlan(plan),
        'ForAllValues:StringEquals': { 'aws:TagKeys': [TAG_KEYS.substitution] },
      },
    }),
    // After a redrive, an instance that failed in an earlier attempt is replaced.
    new PolicyStatement({
      sid: 'ReplaceFailedPlanInstances',
      actions: ['ec2:TerminateInstances'],
      resources: [ec2Arn(region, 'instance/*')],
      conditions:
        o.replaceableRole === undefined
          ? ownedByPlan(plan)
          : { StringEquals: { [`aws:ResourceTag/${TAG_KEYS.plan}`]: plan.name, [`aws:ResourceTag/${TAG_KEYS.role}`]: o.replaceableRole } },
    }),
    ...keyStatements(o.key),
  ];
}

/**
 * What `RunInstances` of a scope's launches needs: tagged instances and volumes, from the plan's
 * recovery points, into the scope's subnets and groups, with its key pairs, templates and instance
 * profiles. Shared by the launching tasks and `preflight`: a `DryRun` call is authorised exactly as
 * the real call is, so pre-flight's role must be allowed the same launches for its answer to
 * mean anything about the launch role's (it launches nothing: every call it makes carries DryRun).
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html (DryRun)
 */
function runInstancesStatements(plan: Plan, o: LaunchScope): PolicyStatement[] {
  const region = o.region;
  const { subnets, securityGroups } = launchNetwork(o);
  const profiles = [...new Set(o.launches.flatMap((l) => (l.instanceProfileArn ? [l.instanceProfileArn] : [])))].sort();
  const keyNames = [...new Set(o.launches.flatMap((l) => (l.keyName ? [l.keyName] : [])))].sort();
  const templates = o.launches.flatMap((l) => (l.launchTemplate ? [l.launchTemplate] : []));
  const statements: PolicyStatement[] = [
    new PolicyStatement({
      sid: 'LaunchTaggedInstances',
      actions: ['ec2:RunInstances'],
      resources: [ec2Arn(region, 'instance/*'), ec2Arn(region, 'volume/*')],
      conditions: {
        ...taggedForPlan(plan),
        // Only the plan's instance profiles may be attached (absent: no profile at all).
        ...(profiles.length > 0 ? { StringEqualsIfExists: { 'ec2:InstanceProfile': profiles } } : {}),
      },
    }),
    new PolicyStatement({
      sid: 'LaunchFromRecoveryPoints',
      actions: ['ec2:RunInstances'],
      resources: imagesAndSnapshots(region),
      conditions: ownedByPlan(plan),
    }),
    new PolicyStatement({
      sid: 'LaunchIntoPlanSubnets',
      actions: ['ec2:RunInstances'],
      resources: [...subnets, ...securityGroups],
    }),
    new PolicyStatement({
      sid: 'LaunchNetworkInterfacesInPlanSubnets',
      actions: ['ec2:RunInstances'],
      resources: [ec2Arn(region, 'network-interface/*')],
      conditions: { ArnEquals: { 'ec2:Subnet': subnets } },
    }),
    tagOnCreate('RunInstances', [
      ec2Arn(region, 'instance/*'),
      ec2Arn(region, 'volume/*'),
      ec2Arn(region, 'network-interface/*'),
    ]),
  ];
  if (keyNames.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'LaunchWithPlanKeyPairs',
        actions: ['ec2:RunInstances'],
        resources: keyNames.map((name) => ec2Arn(region, `key-pair/${name}`)),
      }),
    );
  }
  if (templates.length > 0) {
    // A template named by name has no id to put in an ARN: then any template, read-only use.
    const isEveryIdKnown = templates.every((t) => t.id !== undefined);
    statements.push(
      new PolicyStatement({
        sid: 'LaunchWithPlanTemplates',
        actions: ['ec2:RunInstances'],
        resources: isEveryIdKnown
          ? [...new Set(templates.map((t) => ec2Arn(region, `launch-template/${t.id}`)))].sort()
          : [ec2Arn(region, 'launch-template/*')],
      }),
    );
  }
  if (profiles.length > 0) {
    // An instance profile ARN does not name its role, so PassRole cannot name it either; EC2
    // checks `ec2:InstanceProfile` above, so only the plan's profiles (and their roles) pass.
    statements.push(
      new PolicyStatement({
        sid: 'PassPlanInstanceProfileRoles',
        actions: ['iam:PassRole'],
        resources: [...new Set(profiles.map((arn) => arn.split(':')[4]))].map(
          (account) => `arn:${Aws.PARTITION}:iam::${account}:role/*`,
        ),
        conditions: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      }),
    );
  }
  return statements;
}

/**
 * `preflight` (recovery region): the reads of its checks and the DryRun launches, nothing that
 * changes anything but what a DryRun is authorised as (see {@link runInstancesStatements}):
 * EC2 Describe* (no resource-level permissions), `kms:DescribeKey` on the plan's copy key only,
 * `servicequotas:GetServiceQuota` on the EC2 vCPU quotas of the plan's instance families only,
 * `iam:GetInstanceProfile` on the plan's instance profiles only, `cloudwatch:GetMetricData` (no
 * resource-level permissions) for the last drills' measured RTO.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_servicequotas.html (quota ARN)
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 */
function preflightStatements(plan: Plan): PolicyStatement[] {
  const region = plan.recoveryRegion;
  const key = copyKeyResource(plan);
  const profiles = planProfiles(plan);
  const quotaCodes = [...new Set(plan.workloads.flatMap((w) => w.launch.instanceTypes.map((t) => vcpuQuotaOf(t).code)))].sort();
  const statements: PolicyStatement[] = [
    describe(
      ['DescribeImages', 'DescribeInstanceTypeOfferings', 'DescribeInstanceTypes', 'DescribeInstances', 'DescribeKeyPairs', 'DescribeSecurityGroups', 'DescribeSubnets'],
      [region],
    ),
    ...runInstancesStatements(plan, recoveryLaunchScope(plan)),
    new PolicyStatement({
      sid: 'ReadRecoveryTimeMetrics',
      actions: ['cloudwatch:GetMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': [region] } },
    }),
  ];
  if (key !== undefined) {
    statements.push(
      new PolicyStatement({ sid: 'DescribeCopyKey', actions: ['kms:DescribeKey'], resources: [key.arn], ...(key.conditions ? { conditions: key.conditions } : {}) }),
    );
  }
  if (quotaCodes.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'ReadVcpuQuotas',
        actions: ['servicequotas:GetServiceQuota'],
        resources: quotaCodes.map((code) => `arn:${Aws.PARTITION}:servicequotas:${region}:${Aws.ACCOUNT_ID}:ec2/${code}`),
      }),
    );
  }
  if (profiles.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'ReadPlanInstanceProfiles',
        actions: ['iam:GetInstanceProfile'],
        resources: profiles,
      }),
    );
  }
  return statements;
}

/**
 * The collector (both regions: each stack's collector works in its own region, and a source AMI
 * is kept while a verified copy in the recovery region came from it): read the plan's
 * resources, read its executions, terminate only drill instances of this plan (after tagging
 * them `lifeboat:collected-by`, and nothing else), deregister and delete only images and
 * snapshots that carry this plan's tag.
 */
function collectStatements(plan: Plan, region?: string): PolicyStatement[] {
  const regions = region === undefined ? [...new Set([plan.primaryRegion, plan.recoveryRegion])] : [region];
  // The primary region's collector keeps a source AMI while a verified copy came from it: it
  // reads images in the recovery region. The recovery region's never reads the primary.
  const describeRegions = regions.includes(plan.primaryRegion) ? [...new Set([...regions, plan.recoveryRegion])] : regions;
  const drillInstances = {
    StringEquals: {
      [`aws:ResourceTag/${TAG_KEYS.plan}`]: plan.name,
      [`aws:ResourceTag/${TAG_KEYS.role}`]: ROLES.drillInstance,
    },
  };
  return [
    describe(['DescribeImages', 'DescribeInstances', 'DescribeSnapshots'], describeRegions),
    new PolicyStatement({
      sid: 'ReadPlanExecutions',
      actions: ['states:DescribeExecution'],
      // Only the plan's own machines, lifeboat-<plan>-backup|failover|drill. A copy in the
      // recovery region was made by a backup in the primary region: the region is left open so
      // that the recovery stack names no other region (when the primary is down, the read fails
      // and the copy is simply kept).
      resources: (['backup', 'failover', 'drill'] as const).map(
        (kind) => `arn:${Aws.PARTITION}:states:*:${Aws.ACCOUNT_ID}:execution:lifeboat-${plan.name}-${kind}:*`,
      ),
    }),
    new PolicyStatement({
      sid: 'MarkCollectedDrillInstances',
      actions: ['ec2:CreateTags'],
      resources: regions.map((r) => ec2Arn(r, 'instance/*')),
      conditions: { ...drillInstances, 'ForAllValues:StringEquals': { 'aws:TagKeys': [TAG_KEYS.collectedBy] } },
    }),
    new PolicyStatement({
      sid: 'TerminateLeftoverDrillInstances',
      actions: ['ec2:TerminateInstances'],
      resources: regions.map((r) => ec2Arn(r, 'instance/*')),
      conditions: drillInstances,
    }),
    new PolicyStatement({
      sid: 'DeleteLeftoverPlanImages',
      actions: ['ec2:DeregisterImage', 'ec2:DeleteSnapshot'],
      resources: regions.flatMap((r) => imagesAndSnapshots(r)),
      conditions: ownedByPlan(plan),
    }),
    putMetrics(),
  ];
}

/**
 * `probe-health`: read the wave's instances' private addresses, and what a function attached to a
 * VPC needs for Lambda to manage its network interfaces (the actions of AWS's
 * AWSLambdaVPCAccessExecutionRole, scoped to the plan's probe subnets and security groups).
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html (execution role permissions)
 */
/**
 * The health probe's statements: read instances in `region`, and the VPC-access ENI calls in the
 * probe network only. Default: the plan's `healthProbe` in the recovery region; the failback's
 * probe passes `failback.healthProbe` and the primary region.
 */
export function probeStatements(plan: Plan, recovery = plan.recoveryRegion, probe = plan.healthProbe): PolicyStatement[] {
  if (probe === undefined) return [describe(['DescribeInstances'], [recovery])];
  const subnets = probe.subnetIds.map((id) => ec2Arn(recovery, `subnet/${id}`));
  return [
    describe(['DescribeInstances', 'DescribeNetworkInterfaces', 'DescribeSubnets'], [recovery]),
    new PolicyStatement({
      sid: 'CreateProbeInterfaceInProbeNetwork',
      actions: ['ec2:CreateNetworkInterface'],
      resources: [...subnets, ...probe.securityGroupIds.map((id) => ec2Arn(recovery, `security-group/${id}`))],
    }),
    new PolicyStatement({
      sid: 'ManageProbeInterfaces',
      actions: ['ec2:AssignPrivateIpAddresses', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:UnassignPrivateIpAddresses'],
      resources: [ec2Arn(recovery, 'network-interface/*')],
      conditions: { ArnEquals: { 'ec2:Subnet': subnets } },
    }),
  ];
}

/**
 * The statements one task's role needs, for this plan.
 *
 * @example taskPolicyStatements('teardown', { plan }) // DescribeInstances + TerminateInstances on drill instances
 */
export function taskPolicyStatements(task: TaskId, { plan, region, runBucketArn }: TaskPolicyOptions): PolicyStatement[] {
  const own = ownStatements(task, plan, region);
  if (runBucketArn === undefined) return own;
  // Distributed runs: the resolve tasks write item lists; summarize-results reads results and writes the consolidated list.
  if (task === 'resolve-workloads') return [...own, runObjects(runBucketArn, ['PutObject'], 'WriteRunItems')];
  if (task === 'resolve-recovery-points') return [...own, runObjects(runBucketArn, ['GetObject', 'PutObject'], 'WriteRunItems')];
  if (task === 'summarize-results') return [...own, runObjects(runBucketArn, ['GetObject', 'PutObject'], 'ReadRunResults')];
  // Pre-flight writes its whole report; a failover that proceeds reads it back in resolve-recovery-points.
  if (task === 'preflight') return [...own, runObjects(runBucketArn, ['PutObject'], 'WritePreflightReport')];
  // A distributed failover or drill: record-metrics reads the sets and the waves' instance lists and
  // writes the whole achieved result (docs/contracts.md, "Distributed runs"); a backup's only writes
  // its whole RPO report, as the RPO publisher does (docs/contracts.md, "RPO report").
  if (task === 'record-metrics' && region !== plan.primaryRegion) return [...own, runObjects(runBucketArn, ['GetObject', 'PutObject'], 'ReadWriteRecoveryLists')];
  if (task === 'record-metrics' || task === 'publish-rpo') return [...own, runObjects(runBucketArn, ['PutObject'], 'WriteRpoReport')];
  return own;
}

/** The statements of one task that do not depend on the stack's run bucket. */
function ownStatements(task: TaskId, plan: Plan, region?: string): PolicyStatement[] {
  const primary = plan.primaryRegion;
  const recovery = plan.recoveryRegion;
  switch (task) {
    case 'resolve-workloads':
      return [describe(['DescribeInstances'], [primary])];
    case 'image':
      return [
        describe(['DescribeImages', 'DescribeInstances'], [primary]),
        ...sourceInstanceStatements(plan),
        ...imageWriteStatements(plan, primary),
      ];
    case 'copy':
      return [
        ...copyStatements(plan, primary, recovery, { copyTo: 'CopyToTaggedRecoveryPoints', retag: 'RetagPlanRecoveryPoints' }),
        ...copyKeyStatements(plan),
      ];
    case 'verify':
      return [
        describe(['DescribeImages', 'DescribeSnapshots'], [recovery]),
        new PolicyStatement({
          sid: 'MarkPlanRecoveryPointsVerified',
          actions: ['ec2:CreateTags'],
          resources: imagesAndSnapshots(recovery),
          conditions: {
            StringEquals: {
              [`aws:ResourceTag/${TAG_KEYS.plan}`]: plan.name,
              [`aws:RequestTag/${TAG_KEYS.verified}`]: VERIFIED_VALUE,
            },
            'ForAllValues:StringEquals': { 'aws:TagKeys': [TAG_KEYS.verified] },
          },
        }),
      ];
    case 'prune':
      return [
        describe(['DescribeImages'], [primary, recovery]),
        new PolicyStatement({
          sid: 'DeletePlanImagesAndSnapshots',
          actions: ['ec2:DeregisterImage', 'ec2:DeleteSnapshot'],
          resources: [primary, recovery].flatMap((r) => imagesAndSnapshots(r)),
          conditions: ownedByPlan(plan),
        }),
        // Sealing a finished run's recovery set: `lifeboat:set-size` (and no other key) on this
        // plan's verified recovery points only.
        new PolicyStatement({
          sid: 'SealPlanRecoverySets',
          actions: ['ec2:CreateTags'],
          resources: [ec2OwnerlessArn(recovery, 'image/*')],
          conditions: {
            StringEquals: {
              [`aws:ResourceTag/${TAG_KEYS.plan}`]: plan.name,
              [`aws:ResourceTag/${TAG_KEYS.role}`]: ROLES.recoveryPoint,
              [`aws:ResourceTag/${TAG_KEYS.verified}`]: VERIFIED_VALUE,
            },
            'ForAllValues:StringEquals': { 'aws:TagKeys': [TAG_KEYS.setSize] },
          },
        }),
      ];
    case 'record-metrics':
      // A backup's record-metrics measures the RPO from the recovery points' tags.
      return [describe(['DescribeImages'], [recovery]), putMetrics()];
    case 'publish-rpo':
      return [describe(['DescribeImages'], [recovery]), putMetrics()];
    case 'request-approval':
      return [publishApprovalRequest(plan)];
    case 'record-failure':
      return [putMetrics()];
    case 'resolve-recovery-points':
      return [describe(['DescribeImages'], [recovery])];
    case 'launch-in-region':
      return launchStatements(plan);
    case 'preflight':
      return preflightStatements(plan);
    case 'collect':
      return collectStatements(plan, region);
    case 'check-overlap':
      return [
        new PolicyStatement({
          sid: 'ListOwnBackupExecutions',
          actions: ['states:ListExecutions'],
          // ListExecutions is authorised on the state machine: only the plan's backup machine.
          resources: [`arn:${Aws.PARTITION}:states:${primary}:${Aws.ACCOUNT_ID}:stateMachine:lifeboat-${plan.name}-backup`],
        }),
        putMetrics(),
      ];
    case 'summarize-results':
      return [];
    case 'switch-traffic':
      return trafficStatements(plan);
    case 'probe-health':
      return probeStatements(plan);
    case 'find-recovered-instances':
      return findRecoveredStatements(plan);
    case 'retire-instances':
      return retireStatements(plan);
    case 'teardown':
      return [
        describe(['DescribeInstances'], [recovery]),
        new PolicyStatement({
          sid: 'TerminatePlanDrillInstances',
          actions: ['ec2:TerminateInstances'],
          resources: [ec2Arn(recovery, 'instance/*')],
          conditions: {
            StringEquals: {
              [`aws:ResourceTag/${TAG_KEYS.plan}`]: plan.name,
              [`aws:ResourceTag/${TAG_KEYS.role}`]: ROLES.drillInstance,
            },
          },
        }),
      ];
  }
}

/**
 * The traffic switch (plan.traffic): RegisterTargets on the plan's target groups only;
 * DescribeTargetHealth (no resource-level permissions: "*"); on Route 53, list and change record
 * sets in the plan's hosted zones only, the changes limited to the plan's record names and types
 * and to DELETE and CREATE (the switch never UPSERTs), and GetChange.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_elasticloadbalancingv2.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-rrset-conditions.html
 */
/**
 * The traffic switch's statements: register targets in the given target groups, read their health
 * in `region`, change only the named records. `traffic` and `region` default to the plan's
 * `traffic` in the recovery region; a failback passes `failback.traffic` and the primary region.
 */
export function trafficStatements(plan: Plan, traffic = plan.traffic, region = plan.recoveryRegion): PolicyStatement[] {
  if (traffic === undefined) return [];
  const out: PolicyStatement[] = [];
  const groups = [...new Set(traffic.targetGroups.map((g) => g.targetGroupArn))];
  if (groups.length > 0) {
    out.push(
      new PolicyStatement({ sid: 'RegisterPlanTargets', actions: ['elasticloadbalancing:RegisterTargets'], resources: groups }),
      // No resource-level permissions for DescribeTargetHealth: limited to the recovery region.
      new PolicyStatement({ sid: 'ReadTargetHealth', actions: ['elasticloadbalancing:DescribeTargetHealth'], resources: ['*'], conditions: { StringEquals: { 'aws:RequestedRegion': [region] } } }),
    );
  }
  const zones = [...new Set(traffic.records.map((r) => r.hostedZoneId))];
  if (zones.length > 0) {
    const zoneArns = zones.map((z) => `arn:${Aws.PARTITION}:route53:::hostedzone/${z}`);
    // Normalized names: lower case, without the trailing dot.
    const names = [...new Set(traffic.records.map((r) => r.name.toLowerCase().replace(/\.$/, '')))].sort();
    const types = [...new Set(traffic.records.map((r) => r.type))].sort();
    out.push(new PolicyStatement({ sid: 'ReadPlanRecords', actions: ['route53:ListResourceRecordSets'], resources: zoneArns }), ...recordChangeStatements('ChangePlanRecords', zoneArns, names, types));
  }
  return out;
}

/**
 * `ChangeResourceRecordSets` in the given zones, only for the given record names and types and only
 * as CREATE or DELETE (how the switch replaces a value), and `GetChange` to wait for INSYNC.
 */
function recordChangeStatements(sid: string, zoneArns: string[], names: string[], types: string[]): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid,
      actions: ['route53:ChangeResourceRecordSets'],
      resources: zoneArns,
      conditions: {
        'ForAllValues:StringEquals': {
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': names,
          'route53:ChangeResourceRecordSetsRecordTypes': types,
          'route53:ChangeResourceRecordSetsActions': ['CREATE', 'DELETE'],
        },
      },
    }),
    new PolicyStatement({ sid: 'ReadRecordChanges', actions: ['route53:GetChange'], resources: [`arn:${Aws.PARTITION}:route53:::change/*`] }),
  ];
}

/**
 * The drill's own `switch-traffic` function (`lifeboat-<plan>-drill-switch-traffic`): the drill
 * machine invokes it instead of the failover's, so a drill can never change a production record
 * nor register in a production target group. It reads the plan's records (the template of the
 * drill value, or the report); with `traffic.drill` "exercise" it changes the drill record names
 * only (CREATE, DELETE) and registers and deregisters in the drill target groups only.
 */
export function drillTrafficStatements(plan: Plan): PolicyStatement[] {
  const traffic = plan.traffic;
  if (traffic === undefined) return [];
  const out: PolicyStatement[] = [];
  const isExercise = traffic.drill === 'exercise';
  const groups = isExercise ? [...new Set(traffic.targetGroups.flatMap((g) => (g.drillTargetGroupArn !== undefined ? [g.drillTargetGroupArn] : [])))] : [];
  if (groups.length > 0) {
    out.push(
      new PolicyStatement({ sid: 'RegisterDrillTargets', actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], resources: groups }),
      new PolicyStatement({ sid: 'ReadTargetHealth', actions: ['elasticloadbalancing:DescribeTargetHealth'], resources: ['*'], conditions: { StringEquals: { 'aws:RequestedRegion': [plan.recoveryRegion] } } }),
    );
  }
  const zones = [...new Set(traffic.records.map((r) => r.hostedZoneId))];
  if (zones.length === 0) return out;
  const zoneArns = zones.map((z) => `arn:${Aws.PARTITION}:route53:::hostedzone/${z}`);
  out.push(new PolicyStatement({ sid: 'ReadPlanRecords', actions: ['route53:ListResourceRecordSets'], resources: zoneArns }));
  if (isExercise) {
    const names = [...new Set(traffic.records.flatMap((r) => (r.drillRecordName !== undefined ? [r.drillRecordName.toLowerCase().replace(/\.$/, '')] : [])))].sort();
    const types = [...new Set(traffic.records.map((r) => r.type))].sort();
    out.push(...recordChangeStatements('ChangeDrillRecords', zoneArns, names, types));
  }
  return out;
}

/**
 * CreateImage into images and snapshots tagged for the plan on create in `region`, and deregistering
 * this plan's failed images there (the backup's image task in the primary region, the failback's in
 * the recovery region).
 */
export function imageWriteStatements(plan: Plan, region: string): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'CreateTaggedImages',
      actions: ['ec2:CreateImage'],
      resources: imagesAndSnapshots(region),
      conditions: taggedForPlan(plan),
    }),
    tagOnCreate('CreateImage', imagesAndSnapshots(region)),
    // A failed image from an earlier redrive attempt is deregistered before a new one is made.
    new PolicyStatement({
      sid: 'DeregisterPlanImages',
      actions: ['ec2:DeregisterImage', 'ec2:DeleteSnapshot'],
      resources: imagesAndSnapshots(region),
      conditions: ownedByPlan(plan),
    }),
  ];
}

/**
 * The copy task's EC2 statements for copies from `from` into `to` (the backup: primary to recovery;
 * the failback: the reverse): read both regions, count the snapshot copies in flight in `to`, copy
 * only this plan's images into copies tagged for the plan on create, re-tag them (never
 * `verified`), and deregister this plan's failed copies. `sids` names the two statements whose ids
 * say which way the copies go.
 */
export function copyStatements(plan: Plan, from: string, to: string, sids: { readonly copyTo: string; readonly retag: string }): PolicyStatement[] {
  return [
    describe(['DescribeImages'], [from, to]),
    // The snapshot copies in progress in the destination, counted against its quota (Describe* has no resource-level permissions).
    new PolicyStatement({
      sid: 'DescribeCopySnapshots',
      actions: ['ec2:DescribeSnapshots'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': [to] } },
    }),
    new PolicyStatement({
      sid: 'CopyFromPlanImages',
      actions: ['ec2:CopyImage'],
      resources: imagesAndSnapshots(from),
      conditions: ownedByPlan(plan),
    }),
    new PolicyStatement({
      sid: sids.copyTo,
      actions: ['ec2:CopyImage'],
      resources: imagesAndSnapshots(to),
      conditions: taggedForPlan(plan),
    }),
    tagOnCreate('CopyImage', imagesAndSnapshots(to)),
    // The run's copy queue (docs/decisions/0018, "Update"): a pass takes a source AMI of this plan
    // out of the queue (removes lifeboat:copy) before copying it, and puts it back if the copy did
    // not start. Only that tag key, only on this plan's source AMIs.
    new PolicyStatement({
      sid: 'CopyQueueOnPlanImages',
      actions: ['ec2:DeleteTags', 'ec2:CreateTags'],
      resources: [ec2OwnerlessArn(from, 'image/*')],
      conditions: { ...ownedByPlan(plan), 'ForAllValues:StringEquals': { 'aws:TagKeys': [TAG_KEYS.copy] } },
    }),
    // A copy found with other lifeboat tags than expected (CopyImageTags brings the source's)
    // is re-tagged: this plan's recovery-point tags, never `verified`, and only on an image
    // that already carries this plan's tag (every copy does: on create, or copied from its
    // source). An unrelated AMI cannot be tagged into the plan and then deregistered below.
    new PolicyStatement({
      sid: sids.retag,
      actions: ['ec2:CreateTags'],
      resources: [ec2OwnerlessArn(to, 'image/*')],
      conditions: {
        StringEquals: {
          [`aws:ResourceTag/${TAG_KEYS.plan}`]: plan.name,
          [`aws:RequestTag/${TAG_KEYS.plan}`]: plan.name,
          [`aws:RequestTag/${TAG_KEYS.role}`]: ROLES.recoveryPoint,
        },
        'ForAllValues:StringNotEquals': { 'aws:TagKeys': [TAG_KEYS.verified, TAG_KEYS.setSize] },
      },
    }),
    // A failed copy from an earlier attempt is deregistered (with its snapshots) after a redrive.
    new PolicyStatement({
      sid: 'DeregisterFailedPlanCopies',
      actions: ['ec2:DeregisterImage', 'ec2:DeleteSnapshot'],
      resources: imagesAndSnapshots(to),
      conditions: ownedByPlan(plan),
    }),
  ];
}
