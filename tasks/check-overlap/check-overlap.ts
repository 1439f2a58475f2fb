import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import type { CheckOverlapInput, CheckOverlapOutput } from '../../schemas/tasks/check-overlap.js';
import type { TaskContext } from '../_shared/define-task.js';
import { InvalidInputError } from '../_shared/errors.js';

/** The metric published (value 1, dimension `Plan`) when a scheduled backup is skipped. */
export const BACKUP_SKIPPED_METRIC = 'BackupSkipped';

/**
 * `check-overlap`: the first step of a backup. Lists the RUNNING executions of the backup's own
 * state machine (from `context.executionArn`) other than this one; when there is one, publishes
 * `BackupSkipped` = 1 and reports it, and the workflow ends early (`Backup skipped`) instead of
 * starting a second backup of the same instances.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html
 */
export async function checkOverlap(input: CheckOverlapInput, context: TaskContext): Promise<CheckOverlapOutput> {
  const match = /^(arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}):execution:([^:]+):[^:]+$/.exec(context.executionArn);
  if (!match) {
    throw new InvalidInputError(`task 'check-overlap' › context.executionArn: expected a Standard execution ARN, found ${JSON.stringify(context.executionArn)}`);
  }
  const stateMachineArn = `${match[1]}:stateMachine:${match[2]}`;
  const sfn = context.sfn(input.region);
  const running: Array<{ executionArn: string; startDate: Date }> = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 100, nextToken }));
    for (const e of page.executions ?? []) {
      if (e.executionArn && e.executionArn !== context.executionArn && e.startDate) running.push({ executionArn: e.executionArn, startDate: e.startDate });
    }
    nextToken = page.nextToken || undefined;
  } while (nextToken && running.length < 10);
  // Only an earlier run counts: two started together both see each other, and the later one yields.
  const now = context.now.getTime();
  const earlier = running.filter((r) => r.startDate.getTime() <= now).sort((a, b) => a.startDate.getTime() - b.startDate.getTime()).slice(0, 10);
  if (earlier.length > 0) {
    await context.cloudwatch(input.region).send(
      new PutMetricDataCommand({
        Namespace: 'Lifeboat',
        MetricData: [{ MetricName: BACKUP_SKIPPED_METRIC, Value: 1, Unit: 'Count', Dimensions: [{ Name: 'Plan', Value: input.planName }], Timestamp: context.now }],
      }),
    );
    context.log('previous backup still running: skipped', { previous: earlier[0]!.executionArn });
  }
  return { isPreviousRunning: earlier.length > 0, previous: earlier.map((r) => ({ executionArn: r.executionArn, startDate: r.startDate.toISOString() })) };
}
