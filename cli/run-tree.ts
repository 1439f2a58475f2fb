/**
 * The whole of a run: an execution and, through its Map Runs, the child executions its Distributed
 * Maps started (recursively: a child may run Distributed Maps of its own). The links are the ones
 * Step Functions records: `MapRunStarted` events in the parent's history, `ListMapRuns` of the
 * parent, `ListExecutions` of each Map Run.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListMapRuns.html
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html (mapRunArn)
 */
import { type HistoryEvent, ListExecutionsCommand, ListMapRunsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { call } from './aws.js';
import { readAllEvents, type Site } from './follow.js';

/** One child execution of a Map Run, with its own history. */
export interface ChildRun {
  readonly executionArn: string;
  readonly name: string;
  readonly status: string;
  readonly startDate?: Date;
  readonly stopDate?: Date;
  readonly events: HistoryEvent[];
  /** The Map Runs this child started in turn. */
  readonly mapRuns: MapRunNode[];
}

/** One Map Run of an execution: the Distributed Map state that started it and its children. */
export interface MapRunNode {
  readonly mapRunArn: string;
  /** The Distributed Map state, found from the parent's `MapRunStarted` event. */
  readonly stateName?: string;
  readonly children: ChildRun[];
}

/** The Map Runs an execution's history names, each with the state that started it, in order. */
export function mapRunsIn(events: readonly HistoryEvent[]): { mapRunArn: string; stateName?: string }[] {
  const out: { mapRunArn: string; stateName?: string }[] = [];
  let state: string | undefined;
  for (const e of events) {
    if (e.type === 'MapStateEntered') state = e.stateEnteredEventDetails?.name;
    const arn = e.mapRunStartedEventDetails?.mapRunArn;
    if (e.type === 'MapRunStarted' && arn !== undefined && !out.some((m) => m.mapRunArn === arn)) out.push({ mapRunArn: arn, stateName: state });
  }
  return out;
}

/**
 * Reads the Map Runs of an execution whose history is `events`, and every child execution's
 * history, following nested Map Runs down to `depth` levels.
 */
export async function readMapRuns(sfn: SFNClient, executionArn: string, events: readonly HistoryEvent[], site: Site, depth = 3): Promise<MapRunNode[]> {
  if (depth <= 0) return [];
  const known = mapRunsIn(events);
  // ListMapRuns also names Map Runs whose start event a truncated or partial read missed.
  let nextToken: string | undefined;
  do {
    const page = await call({ ...site, operation: 'ListMapRuns' }, () => sfn.send(new ListMapRunsCommand({ executionArn, nextToken })));
    for (const m of page.mapRuns ?? []) if (m.mapRunArn && !known.some((k) => k.mapRunArn === m.mapRunArn)) known.push({ mapRunArn: m.mapRunArn });
    nextToken = page.nextToken;
  } while (nextToken !== undefined);

  const runs: MapRunNode[] = [];
  for (const run of known) {
    const children: ChildRun[] = [];
    let token: string | undefined;
    do {
      const page = await call({ ...site, operation: 'ListExecutions' }, () => sfn.send(new ListExecutionsCommand({ mapRunArn: run.mapRunArn, nextToken: token })));
      for (const x of page.executions ?? []) {
        if (!x.executionArn) continue;
        const childEvents = await readAllEvents(sfn, x.executionArn, site);
        children.push({
          executionArn: x.executionArn,
          name: x.name ?? x.executionArn.split(':').pop()!,
          status: x.status ?? 'RUNNING',
          startDate: x.startDate,
          stopDate: x.stopDate,
          events: childEvents,
          mapRuns: await readMapRuns(sfn, x.executionArn, childEvents, site, depth - 1),
        });
      }
      token = page.nextToken;
    } while (token !== undefined);
    // ListExecutions answers newest first; a run reads in the order the children started.
    children.sort((a, b) => (a.startDate?.getTime() ?? 0) - (b.startDate?.getTime() ?? 0) || a.name.localeCompare(b.name));
    runs.push({ ...run, children });
  }
  return runs;
}

/** Every execution of a run, the parent first: for counting events and transitions across the run. */
export function allExecutions(parentEvents: HistoryEvent[], mapRuns: readonly MapRunNode[]): HistoryEvent[][] {
  const out = [parentEvents];
  const visit = (runs: readonly MapRunNode[]) => {
    for (const run of runs) for (const child of run.children) {
      out.push(child.events);
      visit(child.mapRuns);
    }
  };
  visit(mapRuns);
  return out;
}
