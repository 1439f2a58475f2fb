import { AssetHashType, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, type CfnFunction, Code, Function as LambdaFunction, type IFunction, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { dropDependencyOnReferencedRole } from './depends-on.js';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../../schemas/plan.js';
import { TASK_TIMEOUT_SECONDS, type TaskId } from '../../schemas/tasks/index.js';
import { FAILBACK_OWN_TASKS, failbackPolicyStatements } from '../failback-policies.js';
import { constructIdOf, functionName } from '../names.js';
import { drillTrafficStatements, taskPolicyStatements } from '../task-policies.js';

/** Properties of {@link TaskFunction}. */
export interface TaskFunctionProps {
  /** The task this function runs (`tasks/<task>/handler.ts`). */
  readonly task: TaskId;
  /** The parsed plan: names, regions and the IAM scope come from it. */
  readonly plan: Plan;
  /** The repository root (holds `tasks/`, `package-lock.json` and `tsconfig.json`). */
  readonly projectRoot: string;
  /** Key that encrypts the function's log group. */
  readonly logKey: IKey;
  /** The stack's run bucket (distributed runs): the resolve tasks and summarize-results may use its `runs/` objects. */
  readonly runBucketArn?: string;
  /**
   * Attach the function to these subnets with these security groups (the health probe, in the
   * recovery VPC). @default not attached to a VPC
   */
  readonly vpcConfig?: { readonly subnetIds: readonly string[]; readonly securityGroupIds: readonly string[] };

  /**
   * `failback`: the task's function in the failback stack (`lifeboat-<plan>-failback-<task>`);
   * image, copy, verify and launch-in-region get the failback's statements
   * (infra/failback-policies.ts) instead of the backup's or failover's.
   */
  /**
   * `drill`: the drill's own `switch-traffic` (`lifeboat-<plan>-drill-switch-traffic`), with the
   * drill's statements (task-policies.ts, `drillTrafficStatements`): drill names and drill target
   * groups only.
   */
  readonly variant?: 'failback' | 'drill';
  /** The role's statements instead of the task's own (the failback's probe in the primary region). @default the task's statements */
  readonly statements?: readonly PolicyStatement[];
  /** More environment variables (names and ARNs only, never secrets). */
  readonly environment?: Readonly<Record<string, string>>;
}

/** The newest Node.js runtime this aws-cdk-lib offers (checked against `Runtime.NODEJS_*`). */
export const TASK_RUNTIME = Runtime.NODEJS_24_X;


/**
 * One task Lambda: `tasks/<task>/handler.ts` bundled by `bin/bundle-task.js` (the local esbuild, never Docker) as an
 * ESM file (and its chunks) for Node.js on arm64, with its own role holding only the task's statements and its
 * own encrypted log group with a retention.
 *
 * The environment carries the plan and task names only: no secrets, no credentials.
 */
export class TaskFunction extends Construct {
  /** The function. */
  public readonly function: LambdaFunction;
  /** Its execution role. */
  public readonly role: Role;

  public constructor(scope: Construct, id: string, props: TaskFunctionProps) {
    super(scope, id);
    const { task, plan, projectRoot } = props;
    const entry = join(projectRoot, 'tasks', task, 'handler.ts');
    if (!existsSync(entry)) {
      throw new Error(`infra › task ${JSON.stringify(task)}: expected the handler file ${entry}, found no such file`);
    }
    const isFailback = props.variant === 'failback';
    const isDrill = props.variant === 'drill';
    if (isDrill && task !== 'switch-traffic') throw new Error(`infra › task ${JSON.stringify(task)}: the drill variant exists for switch-traffic only`);
    const name = functionName(plan, task, props.variant);
    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: name === undefined ? undefined : `/aws/lambda/${name}`,
      retention: RetentionDays.THREE_MONTHS,
      encryptionKey: props.logKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole: logs to its own group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Lifeboat ${plan.name}: task ${task}${isFailback ? ' (failback)' : isDrill ? ' (drill)' : ''} in ${Stack.of(this).region}`,
    });
    this.role.addToPolicy(
      new PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:log-stream:*`],
      }),
    );
    const statements =
      props.statements ??
      (isDrill
        ? drillTrafficStatements(plan)
        : isFailback && FAILBACK_OWN_TASKS.includes(task)
          ? failbackPolicyStatements(task, plan)
          : taskPolicyStatements(task, { plan, region: Stack.of(this).region, runBucketArn: props.runBucketArn }));
    for (const statement of statements) this.role.addToPolicy(statement);

    this.function = new LambdaFunction(this, 'Function', {
      code: taskCode(task, projectRoot),
      handler: 'index.handler',
      functionName: name,
      description: `Lifeboat ${plan.name}: ${task}${isFailback ? ' (failback)' : isDrill ? ' (drill)' : ''}`,
      runtime: TASK_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(TASK_TIMEOUT_SECONDS[task]),
      role: this.role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        LIFEBOAT_PLAN: plan.name,
        LIFEBOAT_TASK: task,
        ...props.environment,
      },
    });
    if (props.vpcConfig !== undefined) {
      // The plan names subnets and groups, not the VPC: CDK's `vpc` prop would need a context
      // lookup (an AWS call at synth), so the function's VpcConfig is set on the resource itself.
      // Its role's ENI permissions (task-policies.ts) exist first: the DependsOn on the policy is kept.
      (this.function.node.defaultChild as CfnFunction).addPropertyOverride('VpcConfig', {
        SubnetIds: [...props.vpcConfig.subnetIds],
        SecurityGroupIds: [...props.vpcConfig.securityGroupIds],
      });
    }
    // The function names its role with Fn::GetAtt: no DependsOn on it as well (cfn-lint W3005).
    dropDependencyOnReferencedRole(this.function, this.role);
  }
}

/** esbuild's target for the task runtime (`nodejs24.x` → `node24`). */
/**
 * One {@link TaskFunction} per task, each under its task's construct id, all with the same props
 * (or the props `propsOf` gives each task): a stack's task functions, by task id.
 */
export function taskFunctions(
  scope: Construct,
  tasks: readonly TaskId[],
  propsOf: Omit<TaskFunctionProps, 'task'> | ((task: TaskId) => Omit<TaskFunctionProps, 'task'>),
): Map<TaskId, IFunction> {
  const functions = new Map<TaskId, IFunction>();
  for (const task of tasks) {
    const props = typeof propsOf === 'function' ? propsOf(task) : propsOf;
    functions.set(task, new TaskFunction(scope, constructIdOf(task), { task, ...props }).function);
  }
  return functions;
}

export const TASK_TARGET = TASK_RUNTIME.name.replace(/^nodejs(\d+)\.x$/, 'node$1');

/**
 * A task's code: `tasks/<task>/handler.ts` bundled by `bin/bundle-task.js` with the local esbuild
 * (never Docker) into one minified ESM entry file, `index.mjs`, the AWS SDK inside (the pinned client
 * versions the tasks were tested with, not the runtime's) and the SDK's unused shapes left out,
 * and beside it `chunks/`, the code only a dynamic `import()` reaches, such as the S3 client of a
 * distributed run (docs/decisions/0017). The asset is the whole directory; its hash is that of the bundle.
 */
function taskCode(task: TaskId, projectRoot: string): Code {
  const script = join(projectRoot, 'bin', 'bundle-task.js');
  const entry = join('tasks', task, 'handler.ts');
  return Code.fromAsset(projectRoot, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // The same script in a container, should CDK ever choose Docker; the local bundling below never declines.
      image: TASK_RUNTIME.bundlingImage,
      workingDirectory: '/asset-input',
      command: ['node', 'bin/bundle-task.js', entry, '/asset-output/index.mjs', TASK_TARGET],
      local: {
        tryBundle(outputDir: string): boolean {
          const run = spawnSync(process.execPath, [script, entry, join(outputDir, 'index.mjs'), TASK_TARGET], { cwd: projectRoot, encoding: 'utf8' });
          if (run.status !== 0) {
            const detail = (run.stderr ?? '').trim() || run.error?.message || `exit code ${String(run.status)}`;
            throw new Error(`infra › task ${JSON.stringify(task)}: expected ${entry} to bundle, found an error: ${detail}`);
          }
          return true;
        },
      },
    },
  });
}
