import { Stack, type StackProps } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import type { Plan } from '../../schemas/plan.js';
import type { TaskId } from '../../schemas/tasks/index.js';
import { isDistributed, renderFailover, renderPublishRpo } from '../../workflows/render.js';
import { AlarmTopic } from '../constructs/alarm-topic.js';
import { Collector } from '../constructs/collector.js';
import { LifeboatKey } from '../constructs/lifeboat-key.js';
import { addPlanSchedules } from '../constructs/plan-schedules.js';
import { LifeboatDashboard, RecoveryAlarms } from '../constructs/monitoring.js';
import { TaskFunction, taskFunctions } from '../constructs/task-function.js';
import { PlanTables } from '../constructs/plan-tables.js';
import { RunBucket } from '../constructs/run-bucket.js';
import { NOTIFICATION_TOPIC_PLACEHOLDER, RUN_BUCKET_PLACEHOLDER, WorkflowMachine } from '../constructs/workflow-machine.js';
import { ApprovalAccess } from '../constructs/approval.js';
import { APPROVAL_TASKS, constructIdOf, DISTRIBUTED_TASKS, HEALTH_TASK, hasHealthChecks, RECOVERY_TASKS, TRAFFIC_TASKS, taskArnPlaceholder } from '../names.js';

/** Properties of {@link RecoveryStack}. */
export interface RecoveryStackProps extends StackProps {
  /** The parsed plan. */
  readonly plan: Plan;
  /** The repository root (task handlers, lock file, tsconfig). */
  readonly projectRoot: string;
}

/**
 * Everything that runs in the recovery region, and nothing that needs the primary one: the
 * failover and drill state machines (`lifeboat-<plan>-failover`, `lifeboat-<plan>-drill`), the
 * RPO publisher (`lifeboat-<plan>-publish-rpo`) and its schedule, their task functions, the drill
 * schedule, the RPO, drill and failover alarms, and the dashboard.
 */
export class RecoveryStack extends Stack {
  /** The failover workflow (started by a person, never on a schedule). */
  public readonly failover: WorkflowMachine;
  /** The drill workflow. */
  public readonly drill: WorkflowMachine;
  /** Where distributed runs keep item lists and results; undefined for a plan whose runs are inline. */
  public readonly runBucket: Bucket | undefined;
  /** The task functions, by task id (the failover's; the drill's switch-traffic is {@link drillTrafficFunction}). */
  public readonly functions: ReadonlyMap<TaskId, IFunction>;
  /** The drill's own switch-traffic (`lifeboat-<plan>-drill-switch-traffic`), for a plan with `traffic`. */
  public readonly drillTrafficFunction: IFunction | undefined;
  /** RPO, drill, failover and drill-period alarms. */
  public readonly alarms: RecoveryAlarms;
  /** The collector of this region (`lifeboat-<plan>-collect`) and its schedule. */
  public readonly collector: Collector;
  /** The schedule that starts drills. */
  public readonly schedule: Schedule;
  /** The plan's dashboard. */
  public readonly dashboard: LifeboatDashboard;
  /** The RPO publisher (`lifeboat-<plan>-publish-rpo`). */
  public readonly publishRpo: WorkflowMachine;
  /** The approval gate's IAM (the approvers' managed policy); undefined for a plan without `approval`. */
  public readonly approval: ApprovalAccess | undefined;
  /** The schedule that starts the RPO publisher every 5 minutes. */
  public readonly rpoSchedule: Schedule;

  public constructor(scope: Construct, id: string, props: RecoveryStackProps) {
    super(scope, id, props);
    const { plan, projectRoot } = props;
    const key = new LifeboatKey(this, 'Key', { plan }).key;
    // A distributed plan keeps its runs' item lists and results in a bucket of this region (docs/decisions/0004).
    this.runBucket = isDistributed(plan) ? new RunBucket(this, 'RunBucket', { plan }).bucket : undefined;
    const runBucketArn = this.runBucket?.bucketArn;
    const tasks = [...RECOVERY_TASKS, ...(plan.traffic !== undefined ? TRAFFIC_TASKS : []), ...(this.runBucket ? DISTRIBUTED_TASKS : []), ...(plan.approval !== undefined ? APPROVAL_TASKS : [])];
    const functions = taskFunctions(this, tasks, { plan, projectRoot, logKey: key, runBucketArn });
    // The health probe exists only when a workload declares a health check; it runs in the
    // recovery VPC (the plan's healthProbe network) so it reaches the instances' private addresses.
    if (hasHealthChecks(plan)) {
      const task = HEALTH_TASK;
      functions.set(task, new TaskFunction(this, constructIdOf(task), { task, plan, projectRoot, logKey: key, vpcConfig: plan.healthProbe }).function);
    }
    this.functions = functions;
    // The plan's notifications topic: alarms go there, and so do approval requests ("Await approval").
    const alarmTopic = new AlarmTopic(this, 'AlarmTopic', { plan, key });
    const topic = alarmTopic.topic;
    // A distributed plan's workload tables, uploaded as assets and named by the definitions (docs/decisions/0021).
    const planTables = this.runBucket ? new PlanTables(this, 'PlanTables', { plan, region: plan.recoveryRegion }) : undefined;
    const rendered = { taskArn: taskArnPlaceholder, runBucket: RUN_BUCKET_PLACEHOLDER, notificationTopic: NOTIFICATION_TOPIC_PLACEHOLDER, ...(planTables ? { planObjectAt: planTables.at } : {}) };
    this.failover = new WorkflowMachine(this, 'Failover', {
      kind: 'failover',
      plan,
      definition: renderFailover(plan, 'failover', rendered),
      functions,
      logKey: key,
      runBucket: this.runBucket,
      notificationTopicArn: topic.topicArn,
      planTables,
    });
    // The drill switches traffic through a function of its own, which can touch drill names only.
    const drillFunctions = new Map(functions);
    if (plan.traffic !== undefined) {
      this.drillTrafficFunction = new TaskFunction(this, 'DrillSwitchTraffic', { task: 'switch-traffic', plan, projectRoot, logKey: key, variant: 'drill' }).function;
      drillFunctions.set('switch-traffic', this.drillTrafficFunction);
    }
    this.drill = new WorkflowMachine(this, 'Drill', {
      kind: 'drill',
      plan,
      definition: renderFailover(plan, 'drill', rendered),
      functions: drillFunctions,
      logKey: key,
      runBucket: this.runBucket,
      notificationTopicArn: topic.topicArn,
      planTables,
    });
    if (plan.approval !== undefined) {
      this.approval = new ApprovalAccess(this, 'Approval', { plan, requestFunction: functions.get('request-approval')!, ...(alarmTopic.isCreated ? { topicKey: key } : {}) });
    }
    this.collector = new Collector(this, 'Collector', { plan, region: plan.recoveryRegion, functions, logKey: key });
    this.publishRpo = new WorkflowMachine(this, 'RpoPublisher', {
      kind: 'publish-rpo',
      plan,
      definition: renderPublishRpo(plan, rendered),
      functions,
      logKey: key,
      runBucket: this.runBucket,
      planTables,
    });
    // Schedules come from workflows/schedules.ts, the definition the sandbox deployment uses too.
    // The RPO publisher's: the RPO is measured here, where the recovery points are, on its own
    // clock, so the alarm fires when backups stop, which a metric published only by backups cannot show.
    const schedules = addPlanSchedules(this, plan, plan.recoveryRegion, { drill: this.drill.stateMachine, collect: this.collector.machine.stateMachine, 'publish-rpo': this.publishRpo.stateMachine });
    this.schedule = schedules.get('drill')!;
    this.rpoSchedule = schedules.get('publish-rpo')!;
    this.alarms = new RecoveryAlarms(this, 'Alarms', { plan, topic });
    this.dashboard = new LifeboatDashboard(this, 'Dashboard', {
      plan,
      alarms: [this.alarms.rpoBreached, this.alarms.drillFailed, this.alarms.failoverFailed, this.alarms.noSuccessfulDrill],
    });
  }
}
