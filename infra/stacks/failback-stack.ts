import { Stack, type StackProps } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { Plan } from '../../schemas/plan.js';
import type { TaskId } from '../../schemas/tasks/index.js';
import { renderFailback } from '../../workflows/render.js';
import { LifeboatKey } from '../constructs/lifeboat-key.js';
import { TaskFunction } from '../constructs/task-function.js';
import { WorkflowMachine } from '../constructs/workflow-machine.js';
import { constructIdOf, FAILBACK_TASKS, taskArnPlaceholder } from '../names.js';

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

  public constructor(scope: Construct, id: string, props: FailbackStackProps) {
    super(scope, id, props);
    const { plan, projectRoot } = props;
    if (plan.failback === undefined) {
      throw new Error(`infra › failback stack of plan ${JSON.stringify(plan.name)}: expected a "failback" section in the plan, found none`);
    }
    const key = new LifeboatKey(this, 'Key', { plan }).key;
    const functions = new Map<TaskId, IFunction>();
    for (const task of FAILBACK_TASKS) {
      functions.set(task, new TaskFunction(this, constructIdOf(task), { task, plan, projectRoot, logKey: key, variant: 'failback' }).function);
    }
    this.functions = functions;
    this.failback = new WorkflowMachine(this, 'Failback', {
      kind: 'failback',
      plan,
      definition: renderFailback(plan, { taskArn: taskArnPlaceholder }),
      functions,
      logKey: key,
    });
  }
}
