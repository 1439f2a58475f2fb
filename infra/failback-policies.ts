import { Aws } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Plan } from '../schemas/plan.js';
import { ROLES, TAG_KEYS, VERIFIED_VALUE } from '../schemas/tags.js';
import type { TaskId } from '../schemas/tasks/index.js';
import {
  copyStatements,
  describe,
  imageWriteStatements,
  ec2Arn,
  imagesAndSnapshots,
  keyResource,
  keyStatements,
  launchStatementsIn,
  approvalTopicResource,
  ownedByPlan,
  probeStatements,
  tagOnCreate,
  taggedForPlan,
  trafficStatements,
} from './task-policies.js';

/*
 * The IAM statements of the failback stack's functions (docs/decisions/0013-failback.md). The
 * failback runs the backup's image/copy/verify tasks and the failover's launch task in the other
 * direction, so those four get the statements below instead of the backup's and failover's: imaging only this plan's failover
 * instances, copying only this plan's images back, launching only into `failback.launch`. The
 * sources for actions, resources and condition keys are those listed in task-policies.ts.
 */

/**
 * The tasks whose failback functions get the statements below instead of the backup's or
 * failover's: the four the failback runs in the other direction, and the approval request, the
 * traffic switch back and the probe relay, which work on the failback's own resources.
 */
export const FAILBACK_OWN_TASKS: readonly TaskId[] = ['image', 'copy', 'verify', 'launch-in-region', 'request-approval', 'switch-traffic', 'probe-health'];

/**
 * The name of the failback's health probe in the primary region (`lifeboat-<plan>-failback-probe-health`),
 * attached to the primary VPC (`failback.healthProbe`), deployed by the backup stack; the failback
 * stack's own `probe-health` function relays each pass to it (Step Functions cannot invoke a
 * function in another region; docs/decisions/0013-failback.md).
 */
export function failbackProbeFunctionArn(plan: Plan): string {
  return `arn:${Aws.PARTITION}:lambda:${plan.primaryRegion}:${Aws.ACCOUNT_ID}:function:lifeboat-${plan.name}-failback-probe-health`;
}

/** The statements of the failback's probe in the primary region: read instances there, ENIs in `failback.healthProbe` only. */
export function failbackProbeStatements(plan: Plan): PolicyStatement[] {
  return probeStatements(plan, plan.primaryRegion, plan.failback?.healthProbe);
}

/** `aws:ResourceTag` of this plan's failover (recovered) instances. */
export const failoverInstancesOfPlan = (plan: Plan) => ({
  StringEquals: { [`aws:ResourceTag/${TAG_KEYS.plan}`]: plan.name, [`aws:ResourceTag/${TAG_KEYS.role}`]: ROLES.failoverInstance },
});

/** The failback copy key (in the primary region), as {@link keyResource} gives it. */
export function failbackKeyResource(plan: Plan): { arn: string; conditions?: Record<string, unknown> } | undefined {
  return keyResource(plan.failback?.kmsKeyId, plan.primaryRegion);
}

/**
 * The statements of one failback function (a task of {@link FAILBACK_OWN_TASKS}), for a plan with
 * a `failback` section.
 *
 * @example failbackPolicyStatements('image', plan) // CreateImage of this plan's failover instances in the recovery region
 */
export function failbackPolicyStatements(task: TaskId, plan: Plan): PolicyStatement[] {
  const primary = plan.primaryRegion;
  const recovery = plan.recoveryRegion;
  const failback = plan.failback;
  if (failback === undefined) throw new Error(`infra › failback of plan ${JSON.stringify(plan.name)}: expected a "failback" section, found none`);
  switch (task) {
    case 'image':
      return [
        describe(['DescribeImages', 'DescribeInstances'], [recovery]),
        new PolicyStatement({
          sid: 'ImagePlanFailoverInstances',
          actions: ['ec2:CreateImage'],
          resources: [ec2Arn(recovery, 'instance/*')],
          conditions: failoverInstancesOfPlan(plan),
        }),
        ...imageWriteStatements(plan, recovery),
      ];
    case 'copy':
      return [
        ...copyStatements(plan, recovery, primary, { copyTo: 'CopyToTaggedImages', retag: 'RetagPlanCopies' }),
        ...keyStatements(failbackKeyResource(plan)),
      ];
    case 'verify':
      return [
        describe(['DescribeImages', 'DescribeSnapshots'], [primary]),
        new PolicyStatement({
          sid: 'MarkPlanCopiesVerified',
          actions: ['ec2:CreateTags'],
          resources: imagesAndSnapshots(primary),
          conditions: {
            StringEquals: {
              [`aws:ResourceTag/${TAG_KEYS.plan}`]: plan.name,
              [`aws:RequestTag/${TAG_KEYS.verified}`]: VERIFIED_VALUE,
            },
            'ForAllValues:StringEquals': { 'aws:TagKeys': [TAG_KEYS.verified] },
          },
        }),
      ];
    case 'launch-in-region':
      return launchStatementsIn(plan, {
        region: primary,
        launches: plan.workloads.map((w) => failback.launch[w.name]).filter((l) => l !== undefined),
        key: failbackKeyResource(plan),
        // In the primary region a relaunch may only replace a failback instance, never anything else of the plan.
        replaceableRole: ROLES.failbackInstance,
      });
    case 'request-approval': {
      const topic = approvalTopicResource(plan);
      const isStackTopic = !(plan.notifications.snsTopicArn !== undefined && plan.notifications.snsTopicArn.split(':')[3] === recovery);
      return [
        new PolicyStatement({ sid: 'PublishApprovalRequest', actions: ['sns:Publish'], resources: [topic] }),
        // The recovery stack's topic is encrypted with that stack's key: usable only through SNS
        // in the recovery region, and only a key tagged with this plan (the failback stack cannot
        // name the other stack's key ARN without depending on it).
        ...(isStackTopic
          ? [
              new PolicyStatement({
                sid: 'UseRecoveryTopicKeyThroughSns',
                actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
                resources: [`arn:${Aws.PARTITION}:kms:${recovery}:${Aws.ACCOUNT_ID}:key/*`],
                conditions: { StringEquals: { 'kms:ViaService': `sns.${recovery}.amazonaws.com`, [`aws:ResourceTag/${TAG_KEYS.plan}`]: plan.name } },
              }),
            ]
          : []),
      ];
    }
    case 'switch-traffic':
      // The switch back: the primary region's target groups and the records of failback.traffic only.
      return trafficStatements(plan, failback.traffic, primary);
    case 'probe-health':
      // The relay: invoke the failback's probe in the primary region, nothing else.
      return [new PolicyStatement({ sid: 'InvokeFailbackProbeInPrimary', actions: ['lambda:InvokeFunction'], resources: [failbackProbeFunctionArn(plan)] })];
    default:
      throw new Error(`infra › failback: task ${JSON.stringify(task)} has no failback function; expected one of ${FAILBACK_OWN_TASKS.join(', ')}`);
  }
}

/** `find-recovered-instances`: read instances in the recovery region, nothing else. */
export function findRecoveredStatements(plan: Plan): PolicyStatement[] {
  return [describe(['DescribeInstances'], [plan.recoveryRegion])];
}

/**
 * `retire-instances`: stop or terminate, and tag `lifeboat:retired-by` (that key only), this
 * plan's failover instances in the recovery region, and nothing else.
 */
export function retireStatements(plan: Plan): PolicyStatement[] {
  const recovery = plan.recoveryRegion;
  const action = plan.failback?.retire.action ?? 'terminate';
  return [
    describe(['DescribeInstances'], [recovery]),
    new PolicyStatement({
      sid: 'MarkRetiredFailoverInstances',
      actions: ['ec2:CreateTags'],
      resources: [ec2Arn(recovery, 'instance/*')],
      conditions: { ...failoverInstancesOfPlan(plan), 'ForAllValues:StringEquals': { 'aws:TagKeys': [TAG_KEYS.retiredBy] } },
    }),
    new PolicyStatement({
      sid: 'RetirePlanFailoverInstances',
      actions: [action === 'stop' ? 'ec2:StopInstances' : 'ec2:TerminateInstances'],
      resources: [ec2Arn(recovery, 'instance/*')],
      conditions: failoverInstancesOfPlan(plan),
    }),
  ];
}
