import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { Plan } from '../../schemas/plan.js';
import type { TaskId } from '../../schemas/tasks/index.js';
import { renderCollector } from '../../workflows/render.js';
import { taskArnPlaceholder } from '../names.js';
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
 * A region's collector: the state machine `lifeboat-<plan>-collect` (workflows/collect). Its
 * schedule (every 6 hours, input `{}`) is one of the plan's schedules (workflows/schedules.ts),
 * added with the others by the stack.
 */
export class Collector extends Construct {
  /** The collector workflow. */
  public readonly machine: WorkflowMachine;

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
  }
}
