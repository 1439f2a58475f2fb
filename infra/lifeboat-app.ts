import { type App, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { readFileSync } from 'node:fs';
import { parsePlan, PlanError, type Plan } from '../schemas/plan.js';
import { checkBudget } from '../workflows/budget.js';
import { TAG_KEYS } from '../schemas/tags.js';
import { applyNagSuppressions } from './nag-suppressions.js';
import { BackupStack } from './stacks/backup-stack.js';
import { FailbackStack } from './stacks/failback-stack.js';
import { RecoveryStack } from './stacks/recovery-stack.js';

/** The context key naming the plan file (`npx cdk synth -c lifeboat:plan=examples/shop.plan.json`). */
export const PLAN_CONTEXT_KEY = 'lifeboat:plan';
/** The environment variable that names the plan file; wins over the context key. */
export const PLAN_ENV_VAR = 'LIFEBOAT_PLAN';

/** Options of {@link addLifeboatStacks}. */
export interface LifeboatStacksOptions {
  /** The repository root: task handlers, package-lock.json and tsconfig.json live there. */
  readonly projectRoot: string;
  /**
   * The account to deploy to.
   *
   * @default - unresolved (`CDK_DEFAULT_ACCOUNT` when the CLI knows it): synth needs no credentials
   */
  readonly account?: string;
}

/** The stacks of one plan. */
export interface LifeboatStacks {
  /** Primary region: backup. */
  readonly backup: BackupStack;
  /** Recovery region: failover, drill, dashboard. */
  readonly recovery: RecoveryStack;
  /** Recovery region: the failback (a plan with a `failback` section). */
  readonly failback?: FailbackStack;
}

/**
 * Adds one plan's stacks to `app` (or to any construct outside a stack, such as the
 * {@link Lifeboat} construct): `lifeboat-<plan>-backup` in the primary region,
 * `lifeboat-<plan>-recovery` in the recovery region, and, for a plan with a `failback` section,
 * `lifeboat-<plan>-failback` in the recovery region too. The recovery stack does not depend on
 * the backup stack nor name the primary region (a failover must not need it); only the failback
 * stack does.
 *
 * Throws `PlanError` when a workflow's worst-case history exceeds 25,000 events
 * (`workflows/budget.ts`, `checkBudget`), naming the plan fields to change.
 *
 * @example addLifeboatStacks(new App(), loadPlanFile('examples/small.plan.json'), { projectRoot: '.' })
 */
export function addLifeboatStacks(app: Construct, plan: Plan, options: LifeboatStacksOptions): LifeboatStacks {
  // Refuse a plan whose worst-case run would die at Step Functions' 25,000-event history limit
  // (without its failure path, and not redrivable): the same check as `lifeboat plan check`.
  const budget = checkBudget(plan);
  if (budget.length > 0) throw new PlanError(`plan ${JSON.stringify(plan.name)}`, budget);
  const description = plan.description === undefined ? '' : ` ${plan.description}`;
  const backup = new BackupStack(app, `lifeboat-${plan.name}-backup`, {
    // The same stack name whether the app holds the stacks or a Lifeboat construct does.
    stackName: `lifeboat-${plan.name}-backup`,
    plan,
    projectRoot: options.projectRoot,
    env: { account: options.account, region: plan.primaryRegion },
    description: `Lifeboat ${plan.name}: backups in the primary region.${description}`.slice(0, 1024),
  });
  const recovery = new RecoveryStack(app, `lifeboat-${plan.name}-recovery`, {
    stackName: `lifeboat-${plan.name}-recovery`,
    plan,
    projectRoot: options.projectRoot,
    env: { account: options.account, region: plan.recoveryRegion },
    description: `Lifeboat ${plan.name}: failover, drills and the dashboard in the recovery region.${description}`.slice(0, 1024),
  });
  const failback =
    plan.failback === undefined
      ? undefined
      : new FailbackStack(app, `lifeboat-${plan.name}-failback`, {
          stackName: `lifeboat-${plan.name}-failback`,
          plan,
          projectRoot: options.projectRoot,
          env: { account: options.account, region: plan.recoveryRegion },
          description: `Lifeboat ${plan.name}: failback from the recovery region to the primary region.${description}`.slice(0, 1024),
        });
  // The failback publishes to the recovery stack's topic and relays its health probes to the
  // backup stack's probe in the primary VPC: deploy both first. (Nothing depends on the failback.)
  failback?.addStackDependency(recovery, 'the failback publishes approval requests and its alarm to the recovery stack\'s notifications topic');
  failback?.addStackDependency(backup, 'the failback relays health probes to the backup stack\'s probe in the primary VPC');
  for (const stack of [backup, recovery, ...(failback ? [failback] : [])]) {
    // Dashboards are left untagged: cfn-lint's resource schema for AWS::CloudWatch::Dashboard
    // has no Tags property (E3002), and a dashboard costs nothing to attribute.
    const tagOptions = { excludeResourceTypes: ['AWS::CloudWatch::Dashboard'] };
    for (const [key, value] of Object.entries(plan.tags)) Tags.of(stack).add(key, value, tagOptions);
    Tags.of(stack).add(TAG_KEYS.plan, plan.name, tagOptions);
    applyNagSuppressions(stack);
  }
  return { backup, recovery, ...(failback ? { failback } : {}) };
}

/**
 * Reads and validates a plan file; `source` names it in messages (default: the path).
 *
 * Throws with the file name when the file is missing or not JSON, and `PlanError` (every issue,
 * each with its JSON path) when the plan is invalid.
 */
export function loadPlanFile(path: string, source: string = path): Plan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${source}: expected a readable plan file, found ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: expected JSON, found a syntax error (${(error as Error).message})`, { cause: error });
  }
  return parsePlan(json, source);
}

/**
 * The plan file an app run should use: `$LIFEBOAT_PLAN`, else the `lifeboat:plan` context
 * (cdk.json names a default; `-c lifeboat:plan=…` overrides it).
 */
export function planPathFrom(app: App, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[PLAN_ENV_VAR];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const fromContext: unknown = app.node.tryGetContext(PLAN_CONTEXT_KEY);
  if (typeof fromContext === 'string' && fromContext !== '') return fromContext;
  throw new Error(
    `infra: expected a plan file in the context key "${PLAN_CONTEXT_KEY}" or the environment variable ${PLAN_ENV_VAR}, found neither; run 'npx cdk synth -c ${PLAN_CONTEXT_KEY}=examples/small.plan.json'`,
  );
}
