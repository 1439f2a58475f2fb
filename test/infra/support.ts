import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plan } from '../../schemas/plan.js';
import { addLifeboatStacks, loadPlanFile, type LifeboatStacks } from '../../infra/lifeboat-app.js';

/** The repository root. */
export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Every example plan that is meant to be valid (the broken one is for `plan check`). */
export function examplePlanFiles(): string[] {
  return readdirSync(join(PROJECT_ROOT, 'examples'))
    .filter((f) => f.endsWith('.plan.json') && !f.startsWith('broken'))
    .sort()
    .map((f) => join('examples', f));
}

/** One synthesized plan: its app, stacks and templates. */
export interface SynthesizedPlan {
  readonly file: string;
  readonly plan: Plan;
  readonly app: App;
  readonly stacks: LifeboatStacks;
  readonly backup: Template;
  readonly recovery: Template;
}

/**
 * Builds a plan's stacks with bundling skipped (`aws:cdk:bundling-stacks: []`): the templates
 * are the same but for asset hashes, and no esbuild run is needed for template assertions.
 * The bundling itself is covered by test/infra/synth.test.ts.
 */
export function synthesizePlan(file: string, options: { bundle?: boolean; outdir?: string; plan?: Plan } = {}): SynthesizedPlan {
  const plan = options.plan ?? loadPlanFile(join(PROJECT_ROOT, file));
  const app = new App({
    outdir: options.outdir,
    context: options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] },
  });
  const stacks = addLifeboatStacks(app, plan, { projectRoot: PROJECT_ROOT });
  return {
    file,
    plan,
    app,
    stacks,
    backup: Template.fromStack(stacks.backup),
    recovery: Template.fromStack(stacks.recovery),
  };
}

/** One IAM statement as it appears in a template. */
export interface TemplateStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Sid?: string;
}

/** The statements of the inline policy attached to the role whose logical id starts with `rolePrefix`. */
export function roleStatements(template: Template, rolePrefix: string): TemplateStatement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const statements: TemplateStatement[] = [];
  for (const policy of Object.values(policies)) {
    const roles = (policy.Properties.Roles as { Ref: string }[]).map((r) => r.Ref);
    if (roles.some((r) => r.startsWith(rolePrefix))) statements.push(...(policy.Properties.PolicyDocument.Statement as TemplateStatement[]));
  }
  return statements;
}

/** `Action` as an array. */
export const actionsOf = (s: TemplateStatement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** A state in an ASL definition, with the nested ones inside Map and Parallel. */
export interface AslState {
  Type: string;
  Resource?: string;
  Retry?: unknown[];
  Catch?: unknown[];
  ItemProcessor?: { States: Record<string, AslState> };
  Iterator?: { States: Record<string, AslState> };
  Branches?: { States: Record<string, AslState> }[];
}

/** Every state of a definition, nested ones included, with its path. */
export function allStates(states: Record<string, AslState>, path = ''): { path: string; name: string; state: AslState }[] {
  return Object.entries(states).flatMap(([name, state]) => [
    { path: `${path}${name}`, name, state },
    ...(state.ItemProcessor ? allStates(state.ItemProcessor.States, `${path}${name} › `) : []),
    ...(state.Iterator ? allStates(state.Iterator.States, `${path}${name} › `) : []),
    ...(state.Branches ?? []).flatMap((b, i) => allStates(b.States, `${path}${name}[${i}] › `)),
  ]);
}
