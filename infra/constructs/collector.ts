import { Duration, TimeZone } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { Plan } from '../../schemas/plan.js';
import type { TaskId } from '../../schemas/tasks/index.js';
import { renderCollector } from '../../workflows/render.js';
import { COLLECT_SCHEDULE, taskArnPlaceholder } from '../names.js';
import { WorkflowMachine } from './workflow-machine.js';

/** Properties of {@link Collector}. */
export interface CollectorProps {
  readonly plan: Plan;
  /** The region of the stack: the collector works there. */
  readonly region: string;
  /** The stack's task functions (must include `collect`). */
  readonly functions: ReadonlyMap<TaskId, IFunction>;
  readonly logKey: IKey;
}

/**
 * A region's collector: the state machine `lifeboat-<plan>-collect` (workflows/collect) and the
 * EventBridge Scheduler schedule that starts it every 6 hours with `{}`.
 */
export class Collector extends Construct {
  /** The collector workflow. */
  public readonly machine: WorkflowMachine;
  /** Its schedule. */
  public readonly schedule: Schedule;

  public constructor(scope: Construct, id: string, props: CollectorProps) {
    super(scope, id);
    const { plan, region } = props;
    this.machine = new WorkflowMachine(this, 'Machine', {
      kind: 'collect',
      plan,
      definition: renderCollector(plan, region, { taskArn: taskArnPlaceholder }),
      functions: props.functions,
      logKey: props.logKey,
    });
    this.schedule = new Schedule(this, 'Schedule', {
      description: `Lifeboat ${plan.name}: collect what finished runs left behind in ${region}, ${COLLECT_SCHEDULE}`,
      schedule: ScheduleExpression.expression(COLLECT_SCHEDULE, TimeZone.ETC_UTC),
      target: new StepFunctionsStartExecution(this.machine.stateMachine, {
        input: ScheduleTargetInput.fromObject({}),
        // A collection that could not start within the hour is simply the next one's work.
        maxEventAge: Duration.hours(1),
        retryAttempts: 3,
      }),
    });
  }
}
