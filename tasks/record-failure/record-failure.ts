import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { RecordFailureInput, RecordFailureOutput } from '../../schemas/tasks/record-failure.js';
import type { TaskContext } from '../_shared/define-task.js';
import { StepFailedError } from '../_shared/errors.js';
import { METRIC_NAMESPACE, metricDimensions, successMetricName } from '../record-metrics/record-metrics.js';

/**
 * The readable part of a Step Functions cause: a Lambda failure's cause is the JSON
 * `{"errorType": …, "errorMessage": …}`, of which the message is what an on-call engineer needs.
 */
export function readableCause(cause: string | undefined): string {
  if (!cause) return 'no cause given';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: use it as it is
  }
  return cause;
}

/**
 * The cause without the `step "<step>" (task <id>): ` its task already put in front (see
 * `unreachableError` in `_shared/ec2-errors.ts`), so the step is named once in the message.
 */
export function causeAfterStep(cause: string, step: string): string {
  const prefix = `step ${JSON.stringify(step)} (task `;
  if (!cause.startsWith(prefix)) return cause;
  const end = cause.indexOf('): ', prefix.length);
  return end < 0 ? cause : cause.slice(end + 3);
}

/**
 * `record-failure`: the first state of every failure path (docs/contracts.md, "Workflows").
 *
 * After a redrive (`context.redriveCount > failedAtRedriveCount`) it answers `{resume: true}` so
 * the workflow goes back to the failed step. Otherwise it publishes `StepFailures` (dimension
 * `Plan`) and the kind's success metric as 0 (same dimensions as `record-metrics`), and then
 * either throws `Lifeboat.StepFailed` (`isFinal`: backup and failover end FAILED here) or
 * returns `{resume: false}` (a drill goes on to tear down).
 */
export async function recordFailure(input: RecordFailureInput, context: TaskContext): Promise<RecordFailureOutput> {
  if (context.redriveCount > input.failedAtRedriveCount) {
    context.log('redriven: resuming at the failed step', { step: input.step, failedAtRedriveCount: input.failedAtRedriveCount });
    return { resume: true };
  }
  await context.cloudwatch(input.region).send(
    new PutMetricDataCommand({
      Namespace: METRIC_NAMESPACE,
      MetricData: [
        { MetricName: 'StepFailures', Value: 1, Unit: 'Count', Dimensions: [{ Name: 'Plan', Value: input.planName }], Timestamp: context.now },
        { MetricName: successMetricName(input.kind), Value: 0, Unit: 'Count', Dimensions: metricDimensions(input.kind, input.planName), Timestamp: context.now },
      ],
    }),
  );
  const message = `step "${input.step}" failed with ${input.error}: ${causeAfterStep(readableCause(input.cause), input.step)}`;
  context.log('run failed', { kind: input.kind, step: input.step, error: input.error });
  if (input.isFinal) throw new StepFailedError(message);
  return { resume: false };
}
