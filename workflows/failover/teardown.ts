import type { AslCatcher } from '../../schemas/asl.js';
import type { Plan } from '../../schemas/plan.js';
import type { Fragment } from '../builders.js';
import { choice, jsonata, objectExpr, pass, str, task, wait } from '../builders.js';
import { TEARDOWN_TIMEOUT_MINUTES, TEARDOWN_WAIT, deadlineExpr, jitteredLadderExpr } from '../loops.js';
import { TEARDOWN_RETRY } from '../policies.js';
import type { TaskArns } from '../render-context.js';

/** State names of one teardown loop. */
export interface TeardownNames {
  /** The Pass that sets the deadline and resets the loop's variables. */
  readonly start: string;
  /** The `teardown` task. */
  readonly task: string;
  /** The Choice that leaves the loop once the teardown is confirmed. */
  readonly check: string;
  /** The Wait before the next pass. */
  readonly wait: string;
}

/** Options of {@link teardownLoop}. */
export interface TeardownLoopOptions {
  readonly plan: Plan;
  readonly arns: TaskArns;
  readonly names: TeardownNames;
  /** Where to go once the teardown is confirmed. */
  readonly done: string;
  /** The task's catch-all (what happens when a pass fails for good, or the deadline passes). */
  readonly catch: AslCatcher;
  readonly comment: string;
}

/** The variables a teardown loop uses (both loops share them: only one runs at a time). */
export const TEARDOWN_VARS = {
  deadline: 'teardownDeadline',
  polls: 'teardownPolls',
  unreachableSince: 'teardownUnreachableSince',
  terminatedCount: 'teardownTerminatedCount',
} as const;

/**
 * A drill's teardown: `<start>` (deadline = now + {@link TEARDOWN_TIMEOUT_MINUTES}) →
 * `<task>` ⇄ `<check>` ⇄ `<wait>` until a pass confirms that no drill instance of this execution
 * is pending, running, stopping or stopped.
 *
 * A pass makes the progress it can under throttling (it reports, the loop goes on); the Wait
 * backs off 15 s → 300 s with jitter; the task's Retry ({@link TEARDOWN_RETRY}) covers the Lambda
 * service itself. After 6 hours the pass fails with `Lifeboat.Timeout` naming what remains, into
 * `catch`. Budget: at most `maxPasses` of the halved ladder (workflows/budget.ts).
 */
export function teardownLoop(o: TeardownLoopOptions): Fragment {
  const v = TEARDOWN_VARS;
  return {
    [o.names.start]: pass({
      comment: `Teardown deadline: ${TEARDOWN_TIMEOUT_MINUTES / 60} hours from now.`,
      assign: {
        [v.deadline]: deadlineExpr(TEARDOWN_TIMEOUT_MINUTES),
        [v.polls]: 0,
        [v.unreachableSince]: null,
        [v.terminatedCount]: 0,
      },
      next: o.names.task,
    }),
    [o.names.task]: task('teardown', {
      functionArn: o.arns('teardown'),
      input: jsonata(
        objectExpr(
          { planName: str(o.plan.name), region: str(o.plan.recoveryRegion), deadline: `$${v.deadline}` },
          { unreachableSince: `$${v.unreachableSince}` },
        ),
      ),
      assign: {
        [v.unreachableSince]: jsonata('$states.result.Payload.unreachableSince'),
        [v.terminatedCount]: jsonata(`$${v.terminatedCount} + $states.result.Payload.terminatedCount`),
      },
      output: jsonata(
        '{"isComplete": $states.result.Payload.isComplete, "pendingCount": $states.result.Payload.pendingCount, "terminatedCount": $states.result.Payload.terminatedCount, "lastError": $states.result.Payload.lastError}',
      ),
      retry: TEARDOWN_RETRY,
      catch: [o.catch],
      next: o.names.check,
      comment: o.comment,
    }),
    [o.names.check]: choice({
      rules: [{ when: '$states.input.isComplete = true', next: o.done }],
      otherwise: o.names.wait,
    }),
    [o.names.wait]: wait({
      seconds: jitteredLadderExpr(TEARDOWN_WAIT, v.polls),
      assign: { [v.polls]: jsonata(`$${v.polls} + 1`) },
      next: o.names.task,
    }),
  };
}
