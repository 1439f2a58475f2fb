import { Annotations, Stack } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { Plan } from '../../schemas/plan.js';

/** Properties of {@link AlarmTopic}. */
export interface AlarmTopicProps {
  /** The parsed plan (`notifications`). */
  readonly plan: Plan;
  /** Key for a topic this construct creates. */
  readonly key: IKey;
}

/**
 * Where this stack's alarms go: the plan's `notifications.snsTopicArn` when it is in this
 * stack's region, otherwise a new KMS-encrypted, TLS-only topic `lifeboat-<plan>-alarms`.
 * The plan's e-mail addresses are subscribed to whichever topic is used.
 *
 * CloudWatch alarm actions publish to a topic in the alarm's own region, and the plan keeps its
 * topic in the recovery region (so alarms still arrive when the primary region is down): the
 * backup stack therefore gets a topic of its own in the primary region.
 */
export class AlarmTopic extends Construct {
  /** The topic alarms publish to. */
  public readonly topic: ITopic;
  /** True when the topic was created here (not the plan's own). */
  public readonly isCreated: boolean;

  public constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const { plan } = props;
    const stack = Stack.of(this);
    const given = plan.notifications.snsTopicArn;
    const givenRegion = given?.split(':')[3]; // arn:partition:sns:region:account:name
    if (given !== undefined && givenRegion === stack.region) {
      this.topic = Topic.fromTopicArn(this, 'Topic', given);
      this.isCreated = false;
    } else {
      this.topic = new Topic(this, 'Topic', {
        topicName: `lifeboat-${plan.name}-alarms`,
        displayName: `Lifeboat ${plan.name} alarms (${stack.region})`,
        masterKey: props.key,
        enforceSSL: true,
      });
      this.isCreated = true;
      const emails = plan.notifications.emails ?? [];
      if (emails.length === 0) {
        Annotations.of(this).addWarningV2(
          'lifeboat:alarm-topic-without-subscribers',
          `Lifeboat ${plan.name}: alarms in ${stack.region} go to a new topic with no subscribers; add "notifications.emails" to the plan or subscribe to lifeboat-${plan.name}-alarms`,
        );
      }
    }
    for (const email of plan.notifications.emails ?? []) {
      this.topic.addSubscription(new EmailSubscription(email));
    }
  }
}
