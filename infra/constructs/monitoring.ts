import { Annotations, Aws, Duration } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IAlarm,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { Plan } from '../../schemas/plan.js';
import { PUBLISH_RPO_INTERVAL_MINUTES } from '../../workflows/render.js';
import { METRICS, stateMachineName, type WorkflowKind } from '../names.js';

/**
 * CloudWatch caps an alarm's evaluation range (Period × EvaluationPeriods) at 7 days for
 * periods of an hour or more, and at 1 day below an hour.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (Period)
 */
export const MAX_ALARM_RANGE_SECONDS = 7 * 24 * 3600;

/** A Lifeboat metric (namespace `Lifeboat`, dimension `Plan`, plus `Mode` for recoveries). */
export function lifeboatMetric(
  plan: Plan,
  name: string,
  options: { mode?: 'failover' | 'drill'; statistic: string; period: Duration; region?: string; label?: string },
): Metric {
  return new Metric({
    namespace: METRICS.namespace,
    metricName: name,
    dimensionsMap: { Plan: plan.name, ...(options.mode ? { Mode: options.mode } : {}) },
    statistic: options.statistic,
    period: options.period,
    region: options.region,
    label: options.label,
  });
}

/** A Step Functions execution metric of one Lifeboat machine, by its name and region. */
export function executionMetric(plan: Plan, kind: WorkflowKind, region: string, metricName: string, period: Duration): Metric {
  return new Metric({
    namespace: 'AWS/States',
    metricName,
    dimensionsMap: {
      StateMachineArn: `arn:${Aws.PARTITION}:states:${region}:${Aws.ACCOUNT_ID}:stateMachine:${stateMachineName(plan, kind)}`,
    },
    statistic: 'Sum',
    period,
    region,
    label: `${kind} ${metricName.replace(/^Executions/, '').toLowerCase()}`,
  });
}

/** Executions that did not succeed (failed + timed out + aborted), per 5 minutes. */
function unsuccessfulExecutions(plan: Plan, kind: WorkflowKind, region: string): MathExpression {
  const period = Duration.minutes(5);
  return new MathExpression({
    expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
    usingMetrics: {
      failed: executionMetric(plan, kind, region, 'ExecutionsFailed', period),
      timedOut: executionMetric(plan, kind, region, 'ExecutionsTimedOut', period),
      aborted: executionMetric(plan, kind, region, 'ExecutionsAborted', period),
    },
    period,
    label: `${kind} executions not succeeded`,
  });
}

/** Properties shared by the alarm constructs. */
export interface LifeboatAlarmsProps {
  /** The parsed plan (objectives, drill period). */
  readonly plan: Plan;
  /** Where every alarm (and its return to OK) is published. */
  readonly topic: ITopic;
}

function notify(alarm: Alarm, topic: ITopic): Alarm {
  alarm.addAlarmAction(new SnsAction(topic));
  alarm.addOkAction(new SnsAction(topic));
  return alarm;
}

/**
 * The backup stack's alarm (primary region): `lifeboat-<plan>-backup-failed`. The RPO alarm is in
 * the recovery stack, beside the recovery points it measures ({@link RecoveryAlarms}).
 */
export class BackupAlarms extends Construct {
  /** A backup execution failed, timed out or was aborted. */
  public readonly backupFailed: Alarm;

  public constructor(scope: Construct, id: string, props: LifeboatAlarmsProps) {
    super(scope, id);
    const { plan, topic } = props;
    this.backupFailed = notify(
      new Alarm(this, 'BackupFailed', {
        alarmName: `lifeboat-${plan.name}-backup-failed`,
        alarmDescription: `Lifeboat ${plan.name}: a backup execution failed, timed out or was aborted; run 'lifeboat history' on it for the failed step and cause.`,
        metric: unsuccessfulExecutions(plan, 'backup', plan.primaryRegion),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      topic,
    );
  }
}

/**
 * The period of the `rpo-breached` alarm: three publications of the RPO publisher, so one missed
 * run does not fire it and a publisher that stopped does (missing data breaches).
 */
export const RPO_ALARM_PERIOD_MINUTES = 3 * PUBLISH_RPO_INTERVAL_MINUTES;

/**
 * The recovery stack's alarms (recovery region): `lifeboat-<plan>-rpo-breached`,
 * `lifeboat-<plan>-drill-failed`, `lifeboat-<plan>-failover-failed` and
 * `lifeboat-<plan>-no-successful-drill`.
 */
export class RecoveryAlarms extends Construct {
  /**
   * The newest restorable recovery point of some workload is older than the RPO, or the RPO was
   * not published at all (a critical workload without a point, or the publisher stopped).
   */
  public readonly rpoBreached: Alarm;
  /** A drill execution failed, timed out or was aborted. */
  public readonly drillFailed: Alarm;
  /** A failover execution failed, timed out or was aborted. */
  public readonly failoverFailed: Alarm;
  /** No drill recorded success within `drill.maxIntervalDays` (at most 7 days, see below). */
  public readonly noSuccessfulDrill: Alarm;
  /** The evaluation window of {@link noSuccessfulDrill}, in hours. */
  public readonly drillWindowHours: number;

  public constructor(scope: Construct, id: string, props: LifeboatAlarmsProps) {
    super(scope, id);
    const { plan, topic } = props;
    const rpoSeconds = plan.objectives.rpoMinutes * 60;
    // The publisher (every PUBLISH_RPO_INTERVAL_MINUTES) and every backup publish the age of the
    // newest recovery set: it grows between backups, so stopped or lagging backups breach. Missing
    // data breaches too: no publisher, or a critical workload with no recovery point at all.
    this.rpoBreached = notify(
      new Alarm(this, 'RpoBreached', {
        alarmName: `lifeboat-${plan.name}-rpo-breached`,
        alarmDescription: `Lifeboat ${plan.name}: the newest recovery point of a workload is older than the RPO of ${plan.objectives.rpoMinutes} minutes, or no recovery point age was published in ${RPO_ALARM_PERIOD_MINUTES} minutes. See docs/runbooks/failover.md ("RPO").`,
        metric: lifeboatMetric(plan, METRICS.recoveryPointAge, {
          statistic: 'Maximum',
          period: Duration.minutes(RPO_ALARM_PERIOD_MINUTES),
        }),
        threshold: rpoSeconds,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.BREACHING,
      }),
      topic,
    );
    this.drillFailed = notify(
      new Alarm(this, 'DrillFailed', {
        alarmName: `lifeboat-${plan.name}-drill-failed`,
        alarmDescription: `Lifeboat ${plan.name}: a drill execution failed, timed out or was aborted; see docs/runbooks/drill.md.`,
        metric: unsuccessfulExecutions(plan, 'drill', plan.recoveryRegion),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      topic,
    );
    this.failoverFailed = notify(
      new Alarm(this, 'FailoverFailed', {
        alarmName: `lifeboat-${plan.name}-failover-failed`,
        alarmDescription: `Lifeboat ${plan.name}: a failover execution failed, timed out or was aborted; see docs/runbooks/failover.md.`,
        metric: unsuccessfulExecutions(plan, 'failover', plan.recoveryRegion),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      topic,
    );
    // Hourly periods, every one of them without a successful drill (missing data counts): the
    // alarm fires once a whole window passes with no RecoverySucceeded=1 for Mode=drill.
    const wantedHours = plan.drill.maxIntervalDays * 24;
    this.drillWindowHours = Math.min(wantedHours, MAX_ALARM_RANGE_SECONDS / 3600);
    if (this.drillWindowHours < wantedHours) {
      Annotations.of(this).addWarningV2(
        'lifeboat:drill-window-capped',
        `Lifeboat ${plan.name}: drill.maxIntervalDays is ${plan.drill.maxIntervalDays}, but a CloudWatch alarm looks back at most 7 days; the no-successful-drill alarm fires after 7 days without a successful drill`,
      );
    }
    this.noSuccessfulDrill = notify(
      new Alarm(this, 'NoSuccessfulDrill', {
        alarmName: `lifeboat-${plan.name}-no-successful-drill`,
        alarmDescription: `Lifeboat ${plan.name}: no drill succeeded in the last ${this.drillWindowHours / 24} days (plan: every ${plan.drill.maxIntervalDays} days).`,
        metric: lifeboatMetric(plan, METRICS.recoverySucceeded, {
          mode: 'drill',
          statistic: 'Maximum',
          period: Duration.hours(1),
        }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: this.drillWindowHours,
        datapointsToAlarm: this.drillWindowHours,
        treatMissingData: TreatMissingData.BREACHING,
      }),
      topic,
    );
  }
}

/** Properties of {@link LifeboatDashboard}. */
export interface LifeboatDashboardProps {
  /** The parsed plan. */
  readonly plan: Plan;
  /** Alarms in the dashboard's own region, shown as a status row. */
  readonly alarms: readonly IAlarm[];
}

/**
 * One dashboard `lifeboat-<plan>`, kept in the recovery region so it is there when the primary
 * is not: RPO (recovery point age, and what drills and failovers achieved) and RTO (drill and failover recovery
 * times) against their objectives, and the outcome of every workflow.
 */
export class LifeboatDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: Dashboard;

  public constructor(scope: Construct, id: string, props: LifeboatDashboardProps) {
    super(scope, id);
    const { plan } = props;
    const hour = Duration.hours(1);
    const primary = plan.primaryRegion;
    const recovery = plan.recoveryRegion;
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `lifeboat-${plan.name}`,
      defaultInterval: Duration.days(14),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Lifeboat ${plan.name}\nPrimary ${primary}, recovery ${recovery}. RPO objective ${plan.objectives.rpoMinutes} min, RTO objective ${plan.objectives.rtoMinutes} min.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'RPO: age of the newest recovery point (seconds)',
        left: [
          lifeboatMetric(plan, METRICS.recoveryPointAge, { statistic: 'Maximum', period: hour, region: recovery, label: 'recovery point age' }),
          lifeboatMetric(plan, METRICS.achievedRecoveryPointAge, { mode: 'drill', statistic: 'Maximum', period: hour, region: recovery, label: 'achieved by drills' }),
          lifeboatMetric(plan, METRICS.achievedRecoveryPointAge, { mode: 'failover', statistic: 'Maximum', period: hour, region: recovery, label: 'achieved by failovers' }),
        ],
        leftAnnotations: [{ value: plan.objectives.rpoMinutes * 60, label: 'RPO objective', color: '#d62728' }],
        width: 12,
      }),
      new GraphWidget({
        title: 'RTO: recovery time (seconds)',
        left: [
          lifeboatMetric(plan, METRICS.recoveryTime, { mode: 'drill', statistic: 'Maximum', period: hour, region: recovery, label: 'drill' }),
          lifeboatMetric(plan, METRICS.recoveryTime, { mode: 'failover', statistic: 'Maximum', period: hour, region: recovery, label: 'failover' }),
        ],
        leftAnnotations: [{ value: plan.objectives.rtoMinutes * 60, label: 'RTO objective', color: '#d62728' }],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Backup outcome',
        left: [
          lifeboatMetric(plan, METRICS.backupSucceeded, { statistic: 'Minimum', period: hour, region: primary, label: 'BackupSucceeded (min)' }),
        ],
        right: [
          executionMetric(plan, 'backup', primary, 'ExecutionsSucceeded', hour),
          executionMetric(plan, 'backup', primary, 'ExecutionsFailed', hour),
          executionMetric(plan, 'backup', primary, 'ExecutionsTimedOut', hour),
          executionMetric(plan, 'backup', primary, 'ExecutionsAborted', hour),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Drill and failover outcome',
        left: [
          lifeboatMetric(plan, METRICS.recoverySucceeded, { mode: 'drill', statistic: 'Minimum', period: hour, region: recovery, label: 'drill succeeded (min)' }),
          lifeboatMetric(plan, METRICS.recoverySucceeded, { mode: 'failover', statistic: 'Minimum', period: hour, region: recovery, label: 'failover succeeded (min)' }),
        ],
        right: (['drill', 'failover'] as const).flatMap((kind) => [
          executionMetric(plan, kind, recovery, 'ExecutionsSucceeded', hour),
          executionMetric(plan, kind, recovery, 'ExecutionsFailed', hour),
          executionMetric(plan, kind, recovery, 'ExecutionsTimedOut', hour),
          executionMetric(plan, kind, recovery, 'ExecutionsAborted', hour),
        ]),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: `Alarms in ${recovery}`, alarms: [...props.alarms], width: 24, height: 3 }),
    );
  }
}
