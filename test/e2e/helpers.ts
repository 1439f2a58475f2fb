import { readFileSync } from 'node:fs';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { parsePlan, type Plan } from '../../schemas/plan.js';
import { startLocalLifeboat, type LocalLifeboat, type LocalLifeboatOptions } from '../../cli/local/session.js';

/** An example plan, parsed. */
export function examplePlan(name: 'small' | 'three-tier'): Plan {
  const file = `examples/${name}.plan.json`;
  return parsePlan(JSON.parse(readFileSync(file, 'utf8')), file);
}

/** Starts a local Lifeboat for a test; the caller stops it in `afterEach`. */
export function localLifeboat(options: Partial<LocalLifeboatOptions> & { plan?: Plan } = {}): Promise<LocalLifeboat> {
  return startLocalLifeboat({ seed: 7, startMs: Date.parse('2026-11-25T10:00:00.000Z'), ...options, plan: options.plan ?? examplePlan('three-tier') });
}

/** The names of the states entered, in order (the timeline of a run). */
export function statesEntered(events: readonly HistoryEvent[]): string[] {
  return events.filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails!.name!);
}

/** How many times each task was scheduled, by the state that scheduled it. */
export function taskCalls(events: readonly HistoryEvent[], stateName: string): number {
  let current: string | undefined;
  let count = 0;
  const byId = new Map<number, string>();
  for (const e of events) {
    if (e.type === 'TaskStateEntered') current = e.stateEnteredEventDetails!.name!;
    if (e.type === 'TaskScheduled') {
      byId.set(e.id!, current!);
      if (current === stateName) count++;
    }
  }
  return count;
}

/** The last ExecutionFailed event, if any. */
export function failure(events: readonly HistoryEvent[]): { error?: string; cause?: string } | undefined {
  const e = [...events].reverse().find((x) => x.type === 'ExecutionFailed');
  return e?.executionFailedEventDetails;
}
