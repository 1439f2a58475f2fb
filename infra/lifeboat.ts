/**
 * The `Lifeboat` construct: one plan's backup stack (primary region) and recovery stack (recovery
 * region) added to another CDK app, with the task handlers bundled from this package's own
 * `tasks/` sources. It is what `import { Lifeboat } from 'lifeboat'` gives (infra/index.ts).
 *
 * @example
 * const app = new App();
 * const shop = new Lifeboat(app, 'Shop', { plan: 'plans/shop.plan.json' });
 * shop.recoveryStack.failover; // the failover state machine construct
 */
import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePlan, type Plan } from '../schemas/plan.js';
import { addLifeboatStacks, loadPlanFile } from './lifeboat-app.js';
import type { BackupStack } from './stacks/backup-stack.js';
import type { FailbackStack } from './stacks/failback-stack.js';
import type { RecoveryStack } from './stacks/recovery-stack.js';

/** Properties of {@link Lifeboat}. */
export interface LifeboatProps {
  /**
   * The plan: a path to a plan file (read and validated now), or the plan as an object (the parsed
   * JSON, validated now; a `Plan` from `parsePlan` is accepted as it is).
   */
  readonly plan: string | Plan | Record<string, unknown>;
  /**
   * The account both stacks deploy to.
   * @default - unresolved: the CDK CLI's `CDK_DEFAULT_ACCOUNT` when it knows one (synth needs no credentials)
   */
  readonly account?: string;
  /**
   * The directory holding `tasks/`, `tsconfig.json` and a lock file, from which the task handlers
   * are bundled with esbuild.
   * @default - this package's own root (found from this file's location)
   */
  readonly projectRoot?: string;
}

/**
 * One plan's Lifeboat stacks, `lifeboat-<plan>-backup` and `lifeboat-<plan>-recovery` (and
 * `lifeboat-<plan>-failback` for a plan with a `failback` section), as children of this construct. Place it directly in an `App` (or a `Stage`), never inside a `Stack`: the two
 * stacks live in different regions, and the recovery stack must not depend on the primary region.
 */
export class Lifeboat extends Construct {
  /** The validated plan, with every default filled in. */
  public readonly plan: Plan;
  /** Primary region: the backup state machine, its tasks, schedule and alarms. */
  public readonly backupStack: BackupStack;
  /** Recovery region: failover, drill, collector, RPO publisher, alarms and the dashboard. */
  public readonly recoveryStack: RecoveryStack;
  /** Recovery region: the failback machine and its functions; undefined for a plan without a `failback` section. */
  public readonly failbackStack: FailbackStack | undefined;

  public constructor(scope: Construct, id: string, props: LifeboatProps) {
    super(scope, id);
    if (isInsideStack(scope)) {
      throw new Error(
        `Lifeboat ${JSON.stringify(id)}: expected a scope outside any stack (an App or a Stage), found the stack ${JSON.stringify(Stack.of(scope).stackName)}; create the construct with the app as its scope`,
      );
    }
    this.plan = planOf(props.plan, id);
    const projectRoot = props.projectRoot ?? packageRoot();
    const stacks = addLifeboatStacks(this, this.plan, { projectRoot, account: props.account });
    this.backupStack = stacks.backup;
    this.recoveryStack = stacks.recovery;
    this.failbackStack = stacks.failback;
  }
}

function isInsideStack(scope: Construct): boolean {
  return scope.node.scopes.some((s) => Stack.isStack(s));
}

function planOf(plan: LifeboatProps['plan'], id: string): Plan {
  if (typeof plan === 'string') return loadPlanFile(plan);
  if (plan === null || typeof plan !== 'object' || Array.isArray(plan)) {
    throw new Error(`Lifeboat ${JSON.stringify(id)} › plan: expected a plan file path or a plan object, found ${plan === null ? 'null' : Array.isArray(plan) ? 'an array' : typeof plan}`);
  }
  return parsePlan(plan, `Lifeboat ${JSON.stringify(id)} › plan`);
}

/**
 * This package's root: the nearest directory above this file holding `tasks/` and a
 * `package.json` named "lifeboat" (the repository when run from sources, `node_modules/lifeboat`
 * when installed, where this file is `dist/infra/lifeboat.js`).
 */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(join(dir, 'tasks')) && existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'lifeboat') return dir;
    if (dirname(dir) === dir) {
      throw new Error(`Lifeboat: expected the lifeboat package root (tasks/ and package.json) above ${from}, found none; pass projectRoot`);
    }
  }
}
