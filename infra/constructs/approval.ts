import { Aws } from 'aws-cdk-lib';
import { type IFunction } from 'aws-cdk-lib/aws-lambda';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { Plan } from '../../schemas/plan.js';
import { approvalFor } from '../../schemas/plan-approval.js';
import { stateMachineName } from '../names.js';

/** Properties of {@link ApprovalAccess}. */
export interface ApprovalAccessProps {
  readonly plan: Plan;
  /** The `request-approval` function. */
  readonly requestFunction: IFunction;
  /** The key of the topic the stack created (undefined: the plan's own topic, whose key is the plan owner's business). */
  readonly topicKey?: IKey;
}

/**
 * The IAM around "Await approval" (docs/decisions/0015-approval.md):
 *
 * - the `request-approval` function may use the stack's key for the encrypted topic it publishes
 *   to (only through SNS in this region); its `sns:Publish` on that one topic is in
 *   infra/task-policies.ts;
 * - `lifeboat-<plan>-approver`, a managed policy to attach to the people (or their SSO permission
 *   set) who approve: read the plan's failover, drill and failback runs (those the plan's approval
 *   applies to), and answer their task tokens (`states:SendTaskSuccess` / `states:SendTaskFailure`
 *   on those state machines only), by the
 *   execution ARN the request names. `sts:GetCallerIdentity` needs no permission; naming a run by
 *   its name with `--plan` also needs `states:ListStateMachines` (no resource-level permission).
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
 */
export class ApprovalAccess extends Construct {
  /** The approvers' managed policy. */
  public readonly approverPolicy: ManagedPolicy;

  public constructor(scope: Construct, id: string, props: ApprovalAccessProps) {
    super(scope, id);
    const { plan } = props;
    if (props.topicKey !== undefined) {
      props.requestFunction.addToRolePolicy(
        new PolicyStatement({
          sid: 'UseTopicKeyThroughSns',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [props.topicKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `sns.${plan.recoveryRegion}.amazonaws.com` } },
        }),
      );
    }
    // The failback machine (lifeboat-<plan>-failback, its own stack in this region) asks the same approvers.
    const kinds = (['failover', 'drill', 'failback'] as const).filter((mode) => approvalFor(plan.approval, mode) !== undefined && (mode !== 'failback' || plan.failback !== undefined));
    const states = (resource: string) => `arn:${Aws.PARTITION}:states:${plan.recoveryRegion}:${Aws.ACCOUNT_ID}:${resource}`;
    this.approverPolicy = new ManagedPolicy(this, 'ApproverPolicy', {
      managedPolicyName: `lifeboat-${plan.name}-approver`,
      description: `Lifeboat ${plan.name}: read and answer the approval requests of its ${kinds.join(' and ')} runs (lifeboat approve / reject)`,
      statements: [
        new PolicyStatement({
          sid: 'ReadRuns',
          actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
          resources: kinds.map((kind) => states(`execution:${stateMachineName(plan, kind)}:*`)),
        }),
        new PolicyStatement({
          sid: 'AnswerApprovalRequests',
          actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
          resources: kinds.map((kind) => states(`stateMachine:${stateMachineName(plan, kind)}`)),
        }),
      ],
    });
  }
}
