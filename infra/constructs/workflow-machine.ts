import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { dropDependencyOnReferencedRole } from './depends-on.js';
import type { PlanTables } from './plan-tables.js';
import type { Plan } from '../../schemas/plan.js';
import { TASK_IDS, type TaskId } from '../../schemas/tasks/index.js';
import { stateMachineName, taskArnKey, taskArnPlaceholder, type WorkflowKind } from '../names.js';

/** Properties of {@link WorkflowMachine}. */
export interface WorkflowMachineProps {
  /** Which workflow. */
  readonly kind: WorkflowKind;
  /** The parsed plan. */
  readonly plan: Plan;
  /** The rendered ASL, with `${TaskArn_<id>}` where each function ARN goes. */
  readonly definition: object;
  /** The stack's task functions, by task id. */
  readonly functions: ReadonlyMap<TaskId, IFunction>;
  /** Key that encrypts the execution log group. */
  readonly logKey: IKey;
  /**
   * The region's run bucket, when the definition was rendered with `runBucket: RUN_BUCKET_PLACEHOLDER`
   * (a distributed run): substituted into the definition, and the role may read item lists, write
   * results, and start, watch and stop its own child executions.
   */
  readonly runBucket?: IBucket;
  /** The plan's notifications topic: substituted for {@link NOTIFICATION_TOPIC_PLACEHOLDER} (the approval request's topic). */
  readonly notificationTopicArn?: string;
  /** A distributed plan's workload tables of this region: their locations substituted, their readers granted (docs/decisions/0021). */
  readonly planTables?: PlanTables;
}

/** The definition substitution key of the notifications topic's ARN. */
export const NOTIFICATION_TOPIC_KEY = 'NotificationTopic';

/** What the renderer is given as `notificationTopic` in infra: CloudFormation substitutes the topic's ARN. */
export const NOTIFICATION_TOPIC_PLACEHOLDER = '${' + NOTIFICATION_TOPIC_KEY + '}';

/** The definition substitution key of the run bucket's name. */
export const RUN_BUCKET_KEY = 'RunBucket';

/** What the renderer is given as `runBucket` in infra: CloudFormation substitutes the bucket's name. */
export const RUN_BUCKET_PLACEHOLDER = '${' + RUN_BUCKET_KEY + '}';

/** The task ids whose ARN placeholder appears in a rendered definition. */
export function referencedTasks(definitionJson: string): TaskId[] {
  return TASK_IDS.filter((task) => definitionJson.includes(taskArnPlaceholder(task)));
}

/**
 * A Standard state machine running one rendered workflow: ARNs bound by
 * `DefinitionSubstitutions`, every event logged (level ALL, with execution data) to its own
 * encrypted log group, and X-Ray tracing on.
 *
 * Fails at synth when the definition names a task whose function is not in the stack.
 */
export class WorkflowMachine extends Construct {
  /** The state machine. */
  public readonly stateMachine: StateMachine;
  /** Where its executions log. */
  public readonly logGroup: LogGroup;

  public constructor(scope: Construct, id: string, props: WorkflowMachineProps) {
    super(scope, id);
    const { kind, plan, functions } = props;
    const name = stateMachineName(plan, kind);
    const json = JSON.stringify(props.definition);
    const tasks = referencedTasks(json);
    const missing = tasks.filter((t) => !functions.has(t));
    if (missing.length > 0) {
      throw new Error(
        `infra › state machine ${JSON.stringify(name)}: expected a function in this stack for every task it invokes, found none for ${missing.map((t) => JSON.stringify(t)).join(', ')}`,
      );
    }
    if (tasks.length === 0) {
      throw new Error(`infra › state machine ${JSON.stringify(name)}: expected a definition that invokes tasks through \${TaskArn_<id>}, found none`);
    }
    // The /aws/vendedlogs/ prefix keeps CloudWatch Logs' resource policy small when many
    // machines log (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html).
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${name}`,
      retention: RetentionDays.ONE_YEAR,
      encryptionKey: props.logKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(json),
      definitionSubstitutions: {
        ...Object.fromEntries(tasks.map((t) => [taskArnKey(t), functions.get(t)!.functionArn])),
        ...(props.runBucket !== undefined && json.includes(RUN_BUCKET_PLACEHOLDER) ? { [RUN_BUCKET_KEY]: props.runBucket.bucketName } : {}),
        ...(json.includes(NOTIFICATION_TOPIC_PLACEHOLDER) ? { [NOTIFICATION_TOPIC_KEY]: notificationTopic(name, props.notificationTopicArn) } : {}),
        ...(props.planTables?.substitutions(json) ?? {}),
      },
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    for (const task of tasks) functions.get(task)!.grantInvoke(this.stateMachine);
    props.planTables?.grantReaders(props.definition, functions);
    if (json.includes('"DISTRIBUTED"')) {
      if (props.runBucket === undefined) {
        throw new Error(`infra › state machine ${JSON.stringify(name)}: its definition has a Distributed Map, which needs the stack's run bucket; found none in the props`);
      }
      for (const statement of distributedMapStatements(name, props.runBucket)) this.stateMachine.addToRolePolicy(statement);
    }
    // The machine names its role with Fn::GetAtt: no DependsOn on it as well (cfn-lint W3005).
    dropDependencyOnReferencedRole(this.stateMachine, this.stateMachine.role);
  }
}

/**
 * What a state machine with Distributed Maps needs besides invoking its tasks: start its own
 * child executions (by name, so the role does not depend on the machine it belongs to), describe
 * and stop them, redrive them; read the item lists and write the results under `runs/`.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html (ResultWriter permissions)
 */
export function distributedMapStatements(machineName: string, bucket: IBucket): PolicyStatement[] {
  const states = (resource: string) => `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
  return [
    new PolicyStatement({ sid: 'StartOwnChildExecutions', actions: ['states:StartExecution'], resources: [states(`stateMachine:${machineName}`)] }),
    new PolicyStatement({
      sid: 'WatchOwnChildExecutions',
      actions: ['states:DescribeExecution', 'states:StopExecution', 'states:RedriveExecution'],
      resources: [states(`execution:${machineName}/*`)],
    }),
    new PolicyStatement({
      sid: 'ReadAndWriteRunObjects',
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: [bucket.arnForObjects('runs/*')],
    }),
  ];
}

function notificationTopic(machine: string, arn: string | undefined): string {
  if (arn === undefined) {
    throw new Error(`infra › state machine ${JSON.stringify(machine)}: its definition publishes approval requests to \${${NOTIFICATION_TOPIC_KEY}}, which needs the notifications topic; found none in the props`);
  }
  return arn;
}
