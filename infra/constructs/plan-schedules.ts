import { Duration, TimeZone } from 'aws-cdk-lib';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { Plan } from '../../schemas/plan.js';
import { planSchedules, type ScheduleDefinition } from '../../workflows/schedules.js';

/**
 * The plan's schedules that live in `region` (workflows/schedules.ts, the definition the sandbox
 * deployment uses too), each starting its state machine from `machines`.
 *
 * @throws Error when a schedule targets a workflow this stack has no machine for
 */
export function addPlanSchedules(scope: Construct, plan: Plan, region: string, machines: Readonly<Record<ScheduleDefinition['target']['workflow'], IStateMachine | undefined>>): Map<string, Schedule> {
  const out = new Map<string, Schedule>();
  for (const def of planSchedules(plan).filter((d) => d.region === region)) {
    const machine = machines[def.target.workflow];
    if (!machine) throw new Error(`schedule ${JSON.stringify(def.id)}: expected a ${def.target.workflow} state machine in the ${region} stack, found none`);
    const id = `${def.id.split('-').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('')}Schedule`;
    out.set(def.id, new Schedule(scope, id, {
      scheduleName: def.name,
      description: def.description,
      schedule: ScheduleExpression.expression(def.expression, TimeZone.of(def.timezone)),
      target: new StepFunctionsStartExecution(machine, {
        input: ScheduleTargetInput.fromObject(def.input),
        maxEventAge: Duration.seconds(def.maxEventAgeSeconds),
        retryAttempts: def.retryAttempts,
      }),
    }));
  }
  return out;
}
