import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { Plan } from '../../schemas/plan.js';

/** Properties of {@link LifeboatKey}. */
export interface LifeboatKeyProps {
  /** The parsed plan. */
  readonly plan: Plan;
}

/**
 * The stack's customer managed key for its log groups and its alarm topic.
 *
 * Why a customer managed key: with level ALL and execution data, the state machine logs hold
 * the plan's instance, AMI, subnet and security group ids and every error cause — an inventory
 * of what a disaster recovery plan protects. A key of its own lets the account say who may read
 * them and audits every read in CloudTrail. Rotation is on.
 *
 * The key policy lets CloudWatch Logs in this region use the key for this account's log groups
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html) and
 * CloudWatch alarms publish to the encrypted topic
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
 */
export class LifeboatKey extends Construct {
  /** The key. */
  public readonly key: Key;

  public constructor(scope: Construct, id: string, props: LifeboatKeyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new Key(this, 'Key', {
      description: `Lifeboat ${props.plan.name}: logs and alarm topic in ${stack.region}`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchLogsUseForThisAccountsLogGroups',
        principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: [
          'kms:Decrypt',
          'kms:DescribeKey',
          'kms:Encrypt',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
        ],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*`,
          },
        },
      }),
    );
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
  }
}
