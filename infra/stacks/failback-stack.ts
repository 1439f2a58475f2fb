import { Stack, type StackProps } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { Plan } from '../../schemas/plan.js';
import type { TaskId } from '../../schemas/tasks/index.js';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { renderFailback } from '../../workflows/render.js';
import { LifeboatKey } from '../constructs/lifeboat-key.js';
import { FailbackAlarms } from '../constructs/monitoring.js';
import { taskFunctions } from '../constructs/task-function.js';
import { NOTIFICATION_TOPIC_PLACEHOLDER, WorkflowMachine } from '../constructs/workflow-machine.js';
import { failbackProbeFunctionArn } from '../failback-policies.js';
import { failbackTasks, taskArnPlaceholder } from '../names.js';
import { approvalTopicResource } from '../task-policies.js';
import { PROBE_RELAY_ENV } from '../../schemas/tasks/probe-health.js';

/** Properties of {@link FailbackStack}. */
export interface FailbackStackProps extends StackProps {
  /** The parsed plan; it must have a `failback` section. */
  readonly plan: Plan;
  /** The repository root (task handlers, lock file, tsconfig). */
  readonly projectRoot: string;
}

/**
 * The failback of a plan, in the recovery region (docs/decisions/0013-failback.md): the state
 * machine `lifeboat-<plan>-failback` (started from the console with `{}`, or `lifeboat failback`)
 * and its own functions `lifeboat-<plan>-failback-<task>`, with least-privilege statements for
 * the way back (image this plan's failover instances, copy this plan's images to the primary
 * region, launch only into `failback.launch`, retire only this plan's failover instances).
 *
 * A stack of its own, beside `lifeboat-<plan>-recovery`, because it is the one part that reaches
 * into the primary region: the recovery stack stays free of any reference to it, so a failover
 * never depends on it. It starts in the recovery region, where the recovered instances and the
 * failover's tags are and which is known to be up; a primary region that fails again mid-failback
 * leaves this machine able to record the failure while the recovery instances keep serving.
 */
export class FailbackStack extends Stack {
  /** The failback workflow. */
  public readonly failback: WorkflowMachine;
  /** The task functions, by task id. */
  public readonly functions: ReadonlyMap<TaskId, IFunction>;
  /** The failback-failed alarm. */
  public readonly alarms: FailbackAlarms;

  public constructor(scope: Construct, id: string, props: FailbackStackProps) {
    super(scope, id, props);
    const { plan, projectRoot } = props;
    if (plan.failback === undefined) {
      throw new Error(`infra › failback stack of plan ${JSON.stringify(plan.name)}: expected a "failback" section in the plan, found none`);
    }
    const key = new LifeboatKey(this, 'Key', { plan }).key;
    const functions = taskFunctions(this, failbackTasks(plan), (task) => ({
      plan, projectRoot, logKey: key, variant: 'failback',
      // The probe here relays each pass to the failback's probe in the primary VPC (backup stack).
      ...(task === 'probe-health' ? { environment: { [PROBE_RELAY_ENV]: failbackProbeFunctionArn(plan) } } : {}),
    }));
    this.functions = functions;
    // The plan's notifications topic in this region (the recovery stack creates lifeboat-<plan>-alarms
    // unless the plan names its own): approval requests and the failback-failed alarm go there.
    const topic = Topic.fromTopicArn(this, 'NotificationTopic', approvalTopicResource(plan));
    this.failback = new WorkflowMachine(this, 'Failback', {
      kind: 'failback',
      plan,
      definition: renderFailback(plan, { taskArn: taskArnPlaceholder, notificationTopic: NOTIFICATION_TOPIC_PLACEHOLDER }),
      functions,
      logKey: key,
      notificationTopicArn: topic.topicArn,
    });
    this.alarms = new FailbackAlarms(this, 'Alarms', { plan, topic });
  }
}
