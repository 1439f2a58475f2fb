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
import { isMathMetric, planAlarms, type AlarmDefinition } from '../../workflows/alarms.js';
import { METRICS, stateMachineName, type WorkflowKind } from '../names.js';

export { MAX_ALARM_RANGE_SECONDS } from '../../workflows/alarms.js';

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

/** Properties shared by the alarm constructs. */
export interface LifeboatAlarmsProps {
  /** The parsed plan (objectives, drill period). */
  readonly plan: Plan;
  /** Where every alarm (and its return to OK) is published. */
  readonly topic: ITopic;
}

/** The plan's alarm definitions (workflows/alarms.ts), with CloudFormation's partition and account in state machine ARNs. */
function definitions(plan: Plan): Map<string, AlarmDefinition> {
  const defs = planAlarms(plan, { stateMachineArn: (name, region) => `arn:${Aws.PARTITION}:states:${region}:${Aws.ACCOUNT_ID}:stateMachine:${name}` });
  return new Map(defs.map((d) => [d.id, d]));
}

/** A CloudWatch alarm built from its definition, publishing ALARM and OK to the topic. */
function alarmOf(scope: Construct, def: AlarmDefinition, topic: ITopic): Alarm {
  const period = Duration.seconds(def.periodSeconds);
  const m = def.metric;
  const metric = isMathMetric(m)
    ? new MathExpression({
        expression: m.expression,
        usingMetrics: Object.fromEntries(
          Object.entries(m.metrics).map(([id, u]) => [
            id,
            new Metric({ namespace: u.namespace, metricName: u.metricName, dimensionsMap: { ...u.dimensions }, statistic: u.statistic, period, region: def.region, label: u.label }),
          ]),
        ),
        period,
        label: m.label,
      })
    : new Metric({ namespace: m.namespace, metricName: m.metricName, dimensionsMap: { ...m.dimensions }, statistic: m.statistic, period });
  const id = def.id.split('-').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
  const alarm = new Alarm(scope, id, {
    alarmName: def.name,
    alarmDescription: def.description,
    metric,
    threshold: def.threshold,
    comparisonOperator: COMPARISON[def.comparisonOperator],
    evaluationPeriods: def.evaluationPeriods,
    ...(def.datapointsToAlarm !== undefined ? { datapointsToAlarm: def.datapointsToAlarm } : {}),
    treatMissingData: TREAT_MISSING[def.treatMissingData],
  });
  for (const w of def.warnings) Annotations.of(scope).addWarningV2(w.id, w.message);
  alarm.addAlarmAction(new SnsAction(topic));
  alarm.addOkAction(new SnsAction(topic));
  return alarm;
}

const COMPARISON: Record<AlarmDefinition['comparisonOperator'], ComparisonOperator> = {
  GreaterThanThreshold: ComparisonOperator.GREATER_THAN_THRESHOLD,
  GreaterThanOrEqualToThreshold: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  LessThanThreshold: ComparisonOperator.LESS_THAN_THRESHOLD,
  LessThanOrEqualToThreshold: ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
};

const TREAT_MISSING: Record<AlarmDefinition['treatMissingData'], TreatMissingData> = {
  breaching: TreatMissingData.BREACHING,
  notBreaching: TreatMissingData.NOT_BREACHING,
  ignore: TreatMissingData.IGNORE,
  missing: TreatMissingData.MISSING,
};

/**
 * The backup stack's alarm (primary region): `lifeboat-<plan>-backup-failed`, as
 * `workflows/alarms.ts` defines it. The RPO alarm is in the recovery stack, beside the recovery
 * points it measures ({@link RecoveryAlarms}).
 */
export class BackupAlarms extends Construct {
  /** A backup execution failed, timed out or was aborted. */
  public readonly backupFailed: Alarm;

  public constructor(scope: Construct, id: string, props: LifeboatAlarmsProps) {
    super(scope, id);
    const defs = definitions(props.plan);
    this.backupFailed = alarmOf(this, defs.get('backup-failed')!, props.topic);
  }
}

/**
 * The recovery stack's alarms (recovery region): `lifeboat-<plan>-rpo-breached`,
 * `lifeboat-<plan>-drill-failed`, `lifeboat-<plan>-failover-failed` and
 * `lifeboat-<plan>-no-successful-drill`, as `workflows/alarms.ts` defines them.
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
    const defs = definitions(props.plan);
    this.rpoBreached = alarmOf(this, defs.get('rpo-breached')!, props.topic);
    this.drillFailed = alarmOf(this, defs.get('drill-failed')!, props.topic);
    this.failoverFailed = alarmOf(this, defs.get('failover-failed')!, props.topic);
    const noDrill = defs.get('no-successful-drill')!;
    this.drillWindowHours = noDrill.evaluationPeriods;
    this.noSuccessfulDrill = alarmOf(this, noDrill, props.topic);
  }
}

/**
 * The failback stack's alarm (recovery region): `lifeboat-<plan>-failback-failed`, as
 * `workflows/alarms.ts` defines it for a plan with a `failback` section.
 */
export class FailbackAlarms extends Construct {
  /** A failback execution failed, timed out or was aborted. */
  public readonly failbackFailed: Alarm;

  public constructor(scope: Construct, id: string, props: LifeboatAlarmsProps) {
    super(scope, id);
    const def = definitions(props.plan).get('failback-failed');
    if (def === undefined) throw new Error(`infra › failback alarms of plan ${JSON.stringify(props.plan.name)}: expected a "failback" section in the plan, found none`);
    this.failbackFailed = alarmOf(this, def, props.topic);
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
