/**
 * The CDK app (`cdk.json`: `npx tsx infra/app.ts`): one plan's backup and recovery stacks,
 * checked by cdk-nag's AwsSolutions pack.
 *
 * `npx cdk synth -c lifeboat:plan=examples/three-tier.plan.json` works offline: no credentials
 * (the account stays unresolved unless the CLI knows it) and no Docker (local esbuild).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addLifeboatStacks, loadPlanFile, planPathFrom } from './lifeboat-app.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

try {
  // No auto-synth: a bad plan must leave no half-written cloud assembly behind.
  const app = new App({ autoSynth: false });
  const planPath = planPathFrom(app);
  const plan = loadPlanFile(resolve(planPath), planPath);
  addLifeboatStacks(app, plan, { projectRoot, account: process.env.CDK_DEFAULT_ACCOUNT });
  // cdk-nag v3 is a policy-validation plugin: synth fails on any unacknowledged error.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  app.synth();
} catch (error) {
  // One readable line for plan and input errors (PlanError lists every issue on its own line).
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
