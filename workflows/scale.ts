import { createHash } from 'node:crypto';
import type { AslState, AslStateMachine, JsonValue } from '../schemas/asl.js';
import { INLINE_MAX_INSTANCES, type Plan } from '../schemas/plan.js';
import { jsonata, pass } from './builders.js';

/**
 * How a plan's runs are split (docs/decisions/0004-distributed-map-for-large-runs.md).
 *
 * An inline run is one execution: batches and waves are inline Map iterations, so its history and
 * its payloads grow with the plan. A distributed run hands each backup batch, and each launch batch
 * of a wave, to a child execution of a Distributed Map whose item list the resolve task wrote to
 * the run bucket and whose results go back there; the parent keeps only counts and S3 locations.
 */

/** The most instances a plan can hold: every listed instance id, and one per tag selector (at least). */
export function maxInstances(plan: Plan): number {
  return plan.workloads.reduce((sum, w) => sum + (w.instanceIds?.length ?? 1), 0);
}

/**
 * The instances `scale.mode: auto` sizes a plan for: every listed instance id, and one full backup
 * batch (`backup.batchSize`) per tag selector, as the history budget counts them
 * (`budgetedTargets` in workflows/budget.ts). Counting a selector as one instance rendered a plan
 * of 50 tag-selected workloads inline, which `plan check` then refused (its inline worst case far
 * above 25,000 events) and whose backup stopped at its resolve step.
 */
export function autoSizedInstances(plan: Plan): number {
  return plan.workloads.reduce((sum, w) => sum + (w.instanceIds?.length ?? plan.backup.batchSize), 0);
}

/**
 * True when the plan's runs are distributed: `scale.mode` says so, or it is `auto` and the plan
 * can hold more than {@link INLINE_MAX_INSTANCES} instances, a tag selector counted as a full
 * backup batch ({@link autoSizedInstances}). An `auto` plan rendered inline whose tag selectors
 * resolve to more than that fails in its resolve step, naming the fix (`plan check` warns of it).
 */
export function isDistributed(plan: Plan): boolean {
  if (plan.scale.mode !== 'auto') return plan.scale.mode === 'distributed';
  return autoSizedInstances(plan) > INLINE_MAX_INSTANCES;
}

/**
 * `plan check`'s `scale` line (docs/decisions/0021, "auto and tag selectors"): which shape the
 * plan's runs take and why. Nothing at deploy knows how many instances a tag selector matches
 * (synth is offline), so `auto` counts each as one full backup batch; an inline plan whose
 * selectors match more than an inline run carries stops at its resolve step naming the fix. For
 * an inline plan with tag selectors the line says, before deploy, how many instances they may
 * match in all and the setting to use if they can match more.
 *
 * @example scaleReport(threeTier) // 'inline (auto: 2 listed instances + 1 tag selector counted as 10 each = 12, at most 100); its tag selector may match at most 98 instances, or set "scale": {"mode": "distributed"}'
 */
export function scaleReport(plan: Plan): string {
  const listed = plan.workloads.reduce((sum, w) => sum + (w.instanceIds?.length ?? 0), 0);
  const selectors = plan.workloads.filter((w) => w.tagSelector !== undefined).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const counted = `${plural(listed, 'listed instance')}${selectors > 0 ? ` + ${plural(selectors, 'tag selector')} counted as ${plan.backup.batchSize} each = ${autoSizedInstances(plan)}` : ''}`;
  if (isDistributed(plan)) {
    const why = plan.scale.mode === 'distributed' ? 'as the plan says' : `auto: ${counted}, more than ${INLINE_MAX_INSTANCES}`;
    return `distributed (${why}); workload tables stored in S3 at deploy, not in the definitions`;
  }
  const why = plan.scale.mode === 'inline' ? 'as the plan says' : `auto: ${counted}, at most ${INLINE_MAX_INSTANCES}`;
  if (selectors === 0) return `inline (${why})`;
  const room = Math.max(0, INLINE_MAX_TARGETS - listed);
  return `inline (${why}); ${selectors === 1 ? 'its tag selector' : `its ${selectors} tag selectors`} may match at most ${plural(room, 'instance')}${selectors === 1 ? '' : ' in all'}, or set "scale": {"mode": "distributed"}`;
}

/** The most targets an inline run's resolve step accepts (`maxTargets`). */
export const INLINE_MAX_TARGETS = INLINE_MAX_INSTANCES;

/**
 * JSONata: the run's key prefix in the run bucket, `runs/<state machine>/<execution>`: unique per
 * execution (execution names are unique per state machine for 90 days), readable in S3.
 */
export const RUN_PREFIX = jsonata("'runs/' & $states.context.StateMachine.Name & '/' & $states.context.Execution.Name");

/**
 * The workload table the RPO tasks take (`record-metrics` of a backup, `publish-rpo`): every
 * workload's name and criticality.
 */
export function rpoTable(plan: Plan): { workloads: { [key: string]: JsonValue }[] } {
  return { workloads: plan.workloads.map((w) => ({ name: w.name, isCritical: w.critical })) };
}

/** One object a deployment writes to a run bucket for a distributed plan (docs/decisions/0021). */
export interface PlanObject {
  /** The region of the run bucket it goes to. */
  readonly region: string;
  /** `plans/<plan>/<sha256>.json`. */
  readonly key: string;
  /** SHA-256 of `body` (UTF-8), lowercase hex. */
  readonly sha256: string;
  /** The exact JSON text to write (the hash is of these bytes). */
  readonly body: string;
}

/**
 * Static input fields a distributed plan keeps in its run bucket instead of its definition
 * (docs/decisions/0021): the object, keyed by the SHA-256 of its body, and the envelope's
 * `storedInput` that names it. A definition therefore names the exact table it was rendered with;
 * a redeploy with a changed plan writes a new key and never changes what a running execution reads.
 *
 * @param runBucket the run bucket's name (or the CDK substitution of it)
 */
export function storedInput(planName: string, region: string, runBucket: string, fields: { [key: string]: JsonValue }): { object: PlanObject; reference: { [key: string]: JsonValue } } {
  const body = JSON.stringify(fields);
  const sha256 = createHash('sha256').update(body, 'utf8').digest('hex');
  const key = `plans/${planName}/${sha256}.json`;
  return { object: { region, key, sha256, body }, reference: { bucket: runBucket, key, sha256, region } };
}

/** Options of {@link childWorkflow}. */
export interface ChildWorkflowOptions {
  /** The name of the Pass state that starts the child (unique in the definition). */
  readonly start: string;
  /** Variables taken from the child's input besides `runExecutionArn` (name → input field). */
  readonly fromInput?: Record<string, string>;
}

/**
 * An iteration made into a Distributed Map's child workflow.
 *
 * A child execution cannot read the parent's variables, so a first Pass takes what the iteration
 * reads from its input (`runExecutionArn`, the parent's execution ARN, and `fromInput`). Every Task
 * then names the parent as its `context.executionArn`: the run's resources are tagged with, its
 * client tokens derived from, and its teardown finds them by, the execution the operator started.
 */
export function childWorkflow(iteration: AslStateMachine, options: ChildWorkflowOptions): AslStateMachine {
  if (options.start in iteration.States) throw new Error(`childWorkflow: state name ${JSON.stringify(options.start)} is used twice`);
  const assign: Record<string, JsonValue> = { runExecutionArn: jsonata('$states.input.runExecutionArn') };
  for (const [variable, field] of Object.entries(options.fromInput ?? {})) assign[variable] = jsonata(`$states.input.${field}`);
  const states: Record<string, AslState> = {
    [options.start]: pass({
      comment: 'A child execution of the run: takes the run constants from its input (it cannot read the parent\'s variables).',
      assign,
      next: iteration.StartAt,
    }),
  };
  for (const [name, state] of Object.entries(iteration.States)) states[name] = asChildTask(state);
  return { StartAt: options.start, States: states };
}

/** A Task invoking a Lifeboat task with the run's execution ARN in its context; other states as they are. */
function asChildTask(state: AslState): AslState {
  if (state.Type !== 'Task') return state;
  const args = state.Arguments as { Payload?: { context?: Record<string, JsonValue> } } | undefined;
  if (args?.Payload?.context === undefined) return state;
  return {
    ...state,
    Arguments: {
      ...(state.Arguments as Record<string, JsonValue>),
      Payload: { ...args.Payload, context: { ...args.Payload.context, executionArn: jsonata('$runExecutionArn') } },
    },
  };
}

/** Options of {@link summarizeResultsInput}. */
export interface SummarizeResultsInputOptions {
  readonly kind: string;
  readonly planName: string;
  readonly region: string;
  /** The variable (without `$`) holding the Distributed Map's `ResultWriterDetails`. */
  readonly resultsVariable: string;
  readonly runBucket: string;
  /** Where the task stores the records it read (a literal or a `{% … %}` expression). */
  readonly storeKey: string;
}

/** The `summarize-results` input after a Distributed Map: read its manifest, store the records in the run bucket. */
export function summarizeResultsInput(options: SummarizeResultsInputOptions): { [key: string]: JsonValue } {
  return {
    kind: options.kind,
    planName: options.planName,
    region: options.region,
    manifest: { bucket: jsonata(`$${options.resultsVariable}.Bucket`), key: jsonata(`$${options.resultsVariable}.Key`) },
    store: { bucket: options.runBucket, key: options.storeKey },
  };
}
