/**
 * The alarms a plan raises, as plain data: the one definition both the CDK app
 * (`infra/constructs/monitoring.ts`, a CloudWatch alarm per entry) and the sandbox deployment
 * (`cli/local/deploy.ts`, PutMetricAlarm per entry) build from.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
import type { Plan } from '../schemas/plan.js';
import { PUBLISH_RPO_INTERVAL_MINUTES, stateMachineName } from './render.js';

/** CloudWatch namespace and metric names published by `record-metrics` and `record-failure`. */
export const METRICS = {
  namespace: 'Lifeboat',
  /** The age of a workload's newest restorable recovery set (published in the recovery region). */
  recoveryPointAge: 'RecoveryPointAgeSeconds',
  /** failover/drill: the recovery point age at the run's start (the achieved RPO). */
  achievedRecoveryPointAge: 'AchievedRecoveryPointAgeSeconds',
  backupSucceeded: 'BackupSucceeded',
  recoveryTime: 'RecoveryTimeSeconds',
  recoverySucceeded: 'RecoverySucceeded',
  stepFailures: 'StepFailures',
} as const;

/**
 * CloudWatch caps an alarm's evaluation range (Period × EvaluationPeriods) at 7 days for
 * periods of an hour or more, and at 1 day below an hour.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (Period)
 */
export const MAX_ALARM_RANGE_SECONDS = 7 * 24 * 3600;

/** One metric and how it is reduced per period. */
export interface AlarmMetric {
  readonly namespace: string;
  readonly metricName: string;
  /** Dimension name → value. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: 'Sum' | 'Maximum' | 'Minimum' | 'Average' | 'SampleCount';
}

/** Metric math over named metrics. */
export interface MathMetric {
  /** Metric-math expression over the ids of `metrics`. */
  readonly expression: string;
  readonly label: string;
  readonly metrics: Readonly<Record<string, AlarmMetric & { readonly label: string }>>;
}

/** One alarm of a plan. */
export interface AlarmDefinition {
  /** Unique within the plan; the infra construct id derives from it (`rpo-breached` → `RpoBreached`). */
  readonly id: string;
  /** `lifeboat-<plan>-<id>`. */
  readonly name: string;
  readonly description: string;
  /** The region the alarm (and the metrics it watches) live in. */
  readonly region: string;
  readonly periodSeconds: number;
  /** A single metric, or metric math over named metrics (then `expression` says how they combine). */
  readonly metric: AlarmMetric | MathMetric;
  readonly threshold: number;
  readonly comparisonOperator: 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
  readonly evaluationPeriods: number;
  /** @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  readonly treatMissingData: 'breaching' | 'notBreaching' | 'ignore' | 'missing';
  /** Things the operator should know about this alarm (reported as synth warnings). */
  readonly warnings: readonly { readonly id: string; readonly message: string }[];
}

/** Options of {@link planAlarms}. */
export interface PlanAlarmsOptions {
  /**
   * The ARN of one of the plan's state machines (the `StateMachineArn` dimension of the AWS/States
   * metrics): infra gives CloudFormation tokens for partition and account, the sandbox its own.
   */
  readonly stateMachineArn: (name: string, region: string) => string;
}

/** True when the alarm's metric is metric math. */
export function isMathMetric(m: AlarmMetric | MathMetric): m is MathMetric {
  return 'expression' in m;
}

/** The Lifeboat metric dimensions: `Plan`, plus `Mode` for drills and failovers. */
function lifeboatMetric(plan: Plan, metricName: string, statistic: AlarmMetric['statistic'], mode?: 'failover' | 'drill'): AlarmMetric {
  return { namespace: METRICS.namespace, metricName, dimensions: { Plan: plan.name, ...(mode ? { Mode: mode } : {}) }, statistic };
}

/** Executions of one machine that did not succeed (failed + timed out + aborted), per 5 minutes. */
function unsuccessful(plan: Plan, kind: 'backup' | 'failover' | 'drill' | 'failback', region: string, options: PlanAlarmsOptions): AlarmDefinition['metric'] {
  const arn = options.stateMachineArn(stateMachineName(plan.name, kind), region);
  const metric = (metricName: string) => ({
    namespace: 'AWS/States', metricName, dimensions: { StateMachineArn: arn }, statistic: 'Sum' as const,
    label: `${kind} ${metricName.replace(/^Executions/, '').toLowerCase()}`,
  });
  return {
    expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
    label: `${kind} executions not succeeded`,
    metrics: { failed: metric('ExecutionsFailed'), timedOut: metric('ExecutionsTimedOut'), aborted: metric('ExecutionsAborted') },
  };
}

/**
 * The period of the `rpo-breached` alarm: three publications of the RPO publisher, so one missed
 * run does not fire it and a publisher that stopped does (missing data breaches).
 */
export const RPO_ALARM_PERIOD_SECONDS = 3 * PUBLISH_RPO_INTERVAL_MINUTES * 60;

/**
 * The plan's alarms: backup failed in the primary region; RPO breached, drill failed, failover
 * failed and no successful drill in the recovery region; and, for a plan with a `failback`
 * section, failback failed in the recovery region (where the failback machine runs).
 */
export function planAlarms(plan: Plan, options: PlanAlarmsOptions): AlarmDefinition[] {
  const name = (id: string) => `lifeboat-${plan.name}-${id}`;
  const rpoSeconds = plan.objectives.rpoMinutes * 60;
  const failed = (kind: 'backup' | 'failover' | 'drill' | 'failback', region: string, description: string): AlarmDefinition => ({
    id: `${kind}-failed`, name: name(`${kind}-failed`), description, region, periodSeconds: 300,
    metric: unsuccessful(plan, kind, region, options),
    threshold: 1, comparisonOperator: 'GreaterThanOrEqualToThreshold', evaluationPeriods: 1, treatMissingData: 'notBreaching', warnings: [],
  });
  // Hourly periods, every one of them without a successful drill (missing data counts): the
  // alarm fires once a whole window passes with no RecoverySucceeded=1 for Mode=drill.
  const wantedHours = plan.drill.maxIntervalDays * 24;
  const drillWindowHours = Math.min(wantedHours, MAX_ALARM_RANGE_SECONDS / 3600);
  return [
    // The publisher (every PUBLISH_RPO_INTERVAL_MINUTES) and every backup publish the age of each
    // workload's newest recovery set in the recovery region: it grows between backups, so stopped
    // or lagging backups breach. Missing data breaches too: the publisher stopped, or a critical
    // workload has no recovery point at all.
    {
      id: 'rpo-breached', name: name('rpo-breached'), region: plan.recoveryRegion,
      description: `Lifeboat ${plan.name}: the newest recovery point of a workload is older than the RPO of ${plan.objectives.rpoMinutes} minutes, or no recovery point age was published in ${RPO_ALARM_PERIOD_SECONDS / 60} minutes. See docs/runbooks/failover.md ("RPO").`,
      periodSeconds: RPO_ALARM_PERIOD_SECONDS,
      metric: lifeboatMetric(plan, METRICS.recoveryPointAge, 'Maximum'),
      threshold: rpoSeconds, comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 1, treatMissingData: 'breaching', warnings: [],
    },
    failed('backup', plan.primaryRegion, `Lifeboat ${plan.name}: a backup execution failed, timed out or was aborted; run 'lifeboat history' on it for the failed step and cause.`),
    failed('drill', plan.recoveryRegion, `Lifeboat ${plan.name}: a drill execution failed, timed out or was aborted; see docs/runbooks/drill.md.`),
    failed('failover', plan.recoveryRegion, `Lifeboat ${plan.name}: a failover execution failed, timed out or was aborted; see docs/runbooks/failover.md.`),
    {
      id: 'no-successful-drill', name: name('no-successful-drill'), region: plan.recoveryRegion,
      description: `Lifeboat ${plan.name}: no drill succeeded in the last ${drillWindowHours / 24} days (plan: every ${plan.drill.maxIntervalDays} days).`,
      periodSeconds: 3600,
      metric: lifeboatMetric(plan, METRICS.recoverySucceeded, 'Maximum', 'drill'),
      threshold: 1, comparisonOperator: 'LessThanThreshold', evaluationPeriods: drillWindowHours, datapointsToAlarm: drillWindowHours, treatMissingData: 'breaching',
      warnings:
        drillWindowHours < wantedHours
          ? [{
              id: 'lifeboat:drill-window-capped',
              message: `Lifeboat ${plan.name}: drill.maxIntervalDays is ${plan.drill.maxIntervalDays}, but a CloudWatch alarm looks back at most 7 days; the no-successful-drill alarm fires after 7 days without a successful drill`,
            }]
          : [],
    },
    ...(plan.failback !== undefined
      ? [
          failed(
            'failback',
            plan.recoveryRegion,
            `Lifeboat ${plan.name}: a failback execution failed, timed out or was aborted; until it retired them the recovery instances still serve. See docs/runbooks/failback.md ("On failure").`,
          ),
        ]
      : []),
  ];
}
