import type { AslState, AslStateMachine } from '../schemas/asl.js';
import type { Plan } from '../schemas/plan.js';
import { renderBackup, renderFailback, renderFailover, renderPublishRpo } from './render.js';

/*
 * The payload side of `plan check` (issue 8, "Any size"): a task's parameters may not exceed
 * Step Functions' 256 KiB quota on a state's input or output. An inline plan's workload table
 * travels in its tasks' Arguments; a distributed plan's is written to the run bucket at deploy and
 * its tasks' Arguments name it (docs/decisions/0021), so they stay about 1 KiB at any plan size.
 * This measures the static Arguments of every Task of the rendered definitions, and `plan check`
 * refuses a plan whose largest leaves less than {@link RUN_FIELDS_RESERVE_BYTES} for what the run
 * adds at run time (in practice only an inline plan forced with `"scale": {"mode": "inline"}`).
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (256 KiB payload)
 */

/** Step Functions' quota on a task's input (its resolved Arguments), in bytes. */
export const PAYLOAD_QUOTA_BYTES = 256 * 1024;

/** Room kept for the fields a run adds to a task's static Arguments (its context and run-time fields: about 1 KiB; pins of a failover). */
export const RUN_FIELDS_RESERVE_BYTES = 16 * 1024;

/** The largest static Arguments of one rendered workflow: its size in UTF-8 bytes and the state. */
export interface LargestArguments {
  readonly workflow: 'backup' | 'failover' | 'drill' | 'failback' | 'publish-rpo';
  readonly bytes: number;
  readonly state: string;
}

/** Placeholders for what the stacks substitute at deploy time (their length does not matter here). */
const OPTIONS = {
  taskArn: (id: string) => `arn:aws:lambda:us-east-1:123456789012:function:lifeboat-${id}`,
  runBucket: 'lifeboat-runs-placeholder',
  notificationTopic: 'arn:aws:sns:us-east-1:123456789012:lifeboat-placeholder',
} as const;

function largestIn(machine: AslStateMachine, best: { bytes: number; state: string }): void {
  for (const [name, state] of Object.entries(machine.States) as [string, AslState][]) {
    if (state.Type === 'Task' && state.Arguments !== undefined) {
      const bytes = Buffer.byteLength(JSON.stringify(state.Arguments), 'utf8');
      if (bytes > best.bytes) Object.assign(best, { bytes, state: name });
    }
    if (state.Type === 'Map') largestIn(state.ItemProcessor, best);
  }
}

/** The largest static Task Arguments of each of the plan's workflows (failback only when the plan has one). */
export function largestArguments(plan: Plan): LargestArguments[] {
  const renders = [
    ['backup', () => renderBackup(plan, OPTIONS)],
    ['failover', () => renderFailover(plan, 'failover', OPTIONS)],
    ['drill', () => renderFailover(plan, 'drill', OPTIONS)],
    ['publish-rpo', () => renderPublishRpo(plan, OPTIONS)],
    ...(plan.failback !== undefined ? [['failback', () => renderFailback(plan, OPTIONS)] as const] : []),
  ] as const;
  return renders.map(([workflow, render]) => {
    const best = { bytes: 0, state: '(none)' };
    largestIn(render(), best);
    return { workflow, ...best };
  });
}

/**
 * The plan's workflows whose largest Task Arguments leave less than {@link RUN_FIELDS_RESERVE_BYTES}
 * under the 256 KiB quota, one issue each (`path`, `expected`, `found`, as `checkBudget`'s), naming
 * the fix. Empty when every task input fits.
 */
export function checkPayloads(plan: Plan, sizes: readonly LargestArguments[] = largestArguments(plan)): { path: string; expected: string; found: string }[] {
  const limit = PAYLOAD_QUOTA_BYTES - RUN_FIELDS_RESERVE_BYTES;
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  return sizes
    .filter((s) => s.bytes > limit)
    .map((s) => ({
      path: 'workloads',
      expected: `a workload table whose copy in the ${s.workflow} task inputs stays at most ${kib(limit)} (Step Functions takes at most 256 KiB per task input; the rest is kept for the run's own fields); let the plan run distributed ("scale": {"mode": "distributed"} or "auto"), whose table is read from the run bucket, or choose instances by "tagSelector", use shorter workload names, or split the fleet into several plans`,
      found: `${kib(s.bytes)} in "${s.state}" of the ${s.workflow} workflow`,
    }));
}
