import { Stack, type StackProps } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import type { Plan } from '../../schemas/plan.js';
import type { TaskId } from '../../schemas/tasks/index.js';
import { isDistributed, renderBackup } from '../../workflows/render.js';
import { AlarmTopic } from '../constructs/alarm-topic.js';
import { Collector } from '../constructs/collector.js';
import { LifeboatKey } from '../constructs/lifeboat-key.js';
import { addPlanSchedules } from '../constructs/plan-schedules.js';
import { BackupAlarms } from '../constructs/monitoring.js';
import { TaskFunction, taskFunctions } from '../constructs/task-function.js';
import { PlanTables } from '../constructs/plan-tables.js';
import { RunBucket } from '../constructs/run-bucket.js';
import { RUN_BUCKET_PLACEHOLDER, WorkflowMachine } from '../constructs/workflow-machine.js';
import { BACKUP_TASKS, DISTRIBUTED_TASKS, HEALTH_TASK, hasHealthChecks, taskArnPlaceholder } from '../names.js';
import { failbackProbeStatements } from '../failback-policies.js';

/** Properties of {@link BackupStack}. */
export interface BackupStackProps extends StackProps {
  /** The parsed plan. */
  readonly plan: Plan;
  /** The repository root (task handlers, lock file, tsconfig). */
  readonly projectRoot: string;
}

/**
 * Everything that runs in the primary region: the backup state machine
 * `lifeboat-<plan>-backup`, its task functions, its schedule, and the backup-failed alarm.
 */
export class BackupStack extends Stack {
  /** The backup workflow. */
  public readonly backup: WorkflowMachine;
  /** Where distributed runs keep item lists and results; undefined for a plan whose runs are inline. */
  public readonly runBucket: Bucket | undefined;
  /** The task functions, by task id. */
  public readonly functions: ReadonlyMap<TaskId, IFunction>;
  /** The backup-failed alarm (the RPO alarm is in the recovery stack). */
  public readonly alarms: BackupAlarms;
  /** The collector of this region (`lifeboat-<plan>-collect`) and its schedule. */
  public readonly collector: Collector;
  /** The schedule that starts backups. */
  public readonly schedule: Schedule;
  /**
   * The failback's health probe (`lifeboat-<plan>-failback-probe-health`), attached to the primary
   * VPC (`failback.healthProbe`): the failback stack's probe relays each pass to it. Undefined
   * unless the plan has a failback and a workload declares a health check.
   */
  public readonly failbackProbe: IFunction | undefined;

  public constructor(scope: Construct, id: string, props: BackupStackProps) {
    super(scope, id, props);
    const { plan, projectRoot } = props;
    const key = new LifeboatKey(this, 'Key', { plan }).key;
    // A distributed plan keeps its runs' item lists and results in a bucket of this region (docs/decisions/0004).
    this.runBucket = isDistributed(plan) ? new RunBucket(this, 'RunBucket', { plan }).bucket : undefined;
    const runBucketArn = this.runBucket?.bucketArn;
    const functions = taskFunctions(this, [...BACKUP_TASKS, ...(this.runBucket ? DISTRIBUTED_TASKS : [])], { plan, projectRoot, logKey: key, runBucketArn });
    this.functions = functions;
    const failbackProbe = plan.failback?.healthProbe;
    this.failbackProbe =
      failbackProbe !== undefined && hasHealthChecks(plan)
        ? new TaskFunction(this, 'FailbackProbeHealth', { task: HEALTH_TASK, plan, projectRoot, logKey: key, variant: 'failback', vpcConfig: failbackProbe, statements: failbackProbeStatements(plan) }).function
        : undefined;
    // A distributed plan's workload tables, uploaded as assets and named by the definition (docs/decisions/0021).
    const planTables = this.runBucket ? new PlanTables(this, 'PlanTables', { plan, region: plan.primaryRegion }) : undefined;
    this.backup = new WorkflowMachine(this, 'Backup', {
      kind: 'backup',
      plan,
      definition: renderBackup(plan, { taskArn: taskArnPlaceholder, runBucket: RUN_BUCKET_PLACEHOLDER, ...(planTables ? { planObjectAt: planTables.at } : {}) }),
      functions,
      logKey: key,
      runBucket: this.runBucket,
      planTables,
    });
    this.collector = new Collector(this, 'Collector', { plan, region: plan.primaryRegion, functions, logKey: key });
    // Schedules come from workflows/schedules.ts, the definition the sandbox deployment uses too.
    const schedules = addPlanSchedules(this, plan, plan.primaryRegion, { backup: this.backup.stateMachine, collect: this.collector.machine.stateMachine });
    this.schedule = schedules.get('backup')!;
    const topic = new AlarmTopic(this, 'AlarmTopic', { plan, key }).topic;
    this.alarms = new BackupAlarms(this, 'Alarms', { plan, topic });
  }
}
