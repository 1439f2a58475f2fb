import type { RecordSet } from '../../schemas/tasks/switch-traffic.js';
import type { TaskContext } from '../_shared/define-task.js';
import { InvalidInputError, VerificationFailedError } from '../_shared/errors.js';
import type { PassNotes } from '../_shared/tolerate.js';
import { normalizeName, type TrafficApis } from '../_shared/traffic-apis.js';

/*
 * The Route 53 half shared by a switch and a restore: a record moves from a value recorded
 * earlier (`from`, null: absent) to a new one (`to`, null: deleted). The values were recorded in
 * the execution history by the pass that read them, BEFORE any batch is submitted, so a pass that
 * crashes after ChangeResourceRecordSets loses nothing: the next pass finds the record at `to`
 * (the lost batch was applied) or at `from` (it was not) and carries on from the record.
 */

/** One record to move, as recorded by the pass that read it. */
export interface Transition {
  readonly hostedZoneId: string;
  readonly name: string;
  readonly type: string;
  readonly setIdentifier?: string;
  readonly from: RecordSet | null;
  readonly to: RecordSet | null;
}

/** A submitted change batch, as the task outputs record it. */
export interface Submitted {
  readonly hostedZoneId: string;
  readonly changeId: string;
  readonly status: 'PENDING' | 'INSYNC';
  readonly submittedAt: string;
}

/** What {@link submitBatches} did: the changes so far, and whether every zone is submitted. */
export type SubmitResult =
  | { readonly kind: 'submitted'; readonly changes: Submitted[] }
  | { readonly kind: 'later'; readonly changes: Submitted[] }
  | { readonly kind: 'conflict'; readonly changes: Submitted[]; readonly message: string };

/** How a record is described in messages: `A shop.example.com. (primary) in hosted zone Z…`. */
export function describeRecord(t: Pick<Transition, 'hostedZoneId' | 'name' | 'type' | 'setIdentifier'>): string {
  return `${t.type} ${t.name}${t.setIdentifier !== undefined ? ` (${t.setIdentifier})` : ''} in hosted zone ${t.hostedZoneId}`;
}

/**
 * Submits one batch per hosted zone that has no change recorded yet. Per record the pass reads it
 * again: at `from`, the batch DELETEs `from` and CREATEs `to`; already at `to` (a batch whose
 * answer was lost: the task crashed, or the call failed after Route 53 applied it), the batch
 * re-asserts `to` (DELETE + CREATE of the same value) so that there is a change to wait for
 * until INSYNC; a record deleted already needs nothing. Anything else is someone else's change:
 * `conflict`, nothing submitted in that zone.
 */
export async function submitBatches(
  transitions: readonly Transition[],
  previous: readonly Submitted[],
  comment: string,
  apis: TrafficApis,
  notes: PassNotes,
): Promise<SubmitResult> {
  const changes = [...previous];
  const done = new Set(previous.map((c) => c.hostedZoneId));
  for (const zone of [...new Set(transitions.map((t) => t.hostedZoneId))].filter((z) => !done.has(z))) {
    const batch: { action: 'CREATE' | 'DELETE'; recordSet: RecordSet }[] = [];
    for (const t of transitions.filter((x) => x.hostedZoneId === zone)) {
      const current = await notes.tolerate(`ListResourceRecordSets (${t.hostedZoneId} ${t.name} ${t.type})`, () => apis.listRecordSets(t.hostedZoneId, t.name, t.type));
      if (current === undefined) return { kind: 'later', changes };
      const found = current.find((r) => r.setIdentifier === t.setIdentifier) ?? null;
      if (sameOrAbsent(found, t.from)) {
        if (found) batch.push({ action: 'DELETE', recordSet: found });
        if (t.to) batch.push({ action: 'CREATE', recordSet: t.to });
      } else if (sameOrAbsent(found, t.to)) {
        if (t.to) batch.push({ action: 'DELETE', recordSet: found! }, { action: 'CREATE', recordSet: t.to });
      } else {
        return {
          kind: 'conflict',
          changes,
          message: `${describeRecord(t)} is now ${JSON.stringify(found)}; expected the value recorded before the change (${JSON.stringify(t.from)}) or the new one (${JSON.stringify(t.to)}): someone changed it in between`,
        };
      }
    }
    if (batch.length === 0) continue; // every record of the zone is deleted already: read back below
    const info = await notes.tolerate(`ChangeResourceRecordSets (${zone})`, () =>
      apis.changeRecordSets(zone, batch, comment).catch((error: unknown) => {
        if ((error as Error).name === 'Lifeboat.InvalidInput') {
          throw new InvalidInputError(`hosted zone ${zone}: Route 53 refused the change batch (${(error as Error).message}); a record may have changed since it was read. Compare the records with 'aws route53 list-resource-record-sets --hosted-zone-id ${zone}', then redrive: the records are read again.`, { cause: error });
        }
        throw error;
      }),
    );
    // Throttled, or failed transiently (Route 53 may have applied it): the next pass reads and decides again.
    if (info === undefined) return { kind: 'later', changes };
    changes.push({ hostedZoneId: zone, changeId: info.id, status: info.status, submittedAt: info.submittedAt });
  }
  return { kind: 'submitted', changes };
}

/**
 * GetChange for every change not yet INSYNC; once all are, reads each record back and compares
 * it with `to`. Returns the changes and whether the records are verified (undefined: not yet).
 *
 * @throws VerificationFailedError when a record reads back otherwise
 */
export async function syncAndVerify(transitions: readonly Transition[], changes: readonly Submitted[], apis: TrafficApis, notes: PassNotes, what: string): Promise<{ changes: Submitted[]; isVerified: boolean }> {
  const next: Submitted[] = [];
  for (const c of changes) {
    if (c.status === 'INSYNC') {
      next.push(c);
      continue;
    }
    const info = await notes.tolerate(`GetChange (${c.changeId})`, () => apis.getChange(c.changeId));
    next.push(info ? { ...c, status: info.status } : c);
  }
  if (!next.every((c) => c.status === 'INSYNC')) return { changes: next, isVerified: false };
  for (const t of transitions) {
    const read = await notes.tolerate(`ListResourceRecordSets (read back ${t.name} ${t.type})`, () => apis.listRecordSets(t.hostedZoneId, t.name, t.type));
    if (read === undefined) return { changes: next, isVerified: false };
    const found = read.find((x) => x.setIdentifier === t.setIdentifier) ?? null;
    if (!sameOrAbsent(found, t.to)) {
      throw new VerificationFailedError(`${what}: ${describeRecord(t)} reads back as ${JSON.stringify(found)}, expected ${JSON.stringify(t.to)}; someone changed it after the change. Check the record, then redrive.`);
    }
  }
  return { changes: next, isVerified: true };
}

/** The message of a change still PENDING at the deadline. */
export function pendingSummary(changes: readonly Submitted[]): string {
  return changes.filter((c) => c.status !== 'INSYNC').map((c) => `change ${c.changeId} in hosted zone ${c.hostedZoneId} (submitted ${c.submittedAt})`).join(', ');
}

/** The batch comment: the plan and the execution that made it (at most 256 characters, Route 53's limit). */
export function batchComment(planName: string, what: string, context: Pick<TaskContext, 'executionArn'>): string {
  return `lifeboat ${planName} ${what} by ${context.executionArn.split(':').pop()}`.slice(0, 256);
}

/** True when two record sets hold the same routing and values (names compared normalized). */
export function sameRecord(a: RecordSet | null, b: RecordSet): boolean {
  if (a === null) return false;
  return canonicalJson(a) === canonicalJson(b);
}

/** {@link sameRecord}, where two absent records are the same too. */
export function sameOrAbsent(a: RecordSet | null, b: RecordSet | null): boolean {
  if (a === null || b === null) return a === b;
  return sameRecord(a, b);
}

function canonicalJson(r: RecordSet): string {
  return stableJson({
    ...r, name: normalizeName(r.name),
    ...(r.values ? { values: [...r.values].sort() } : {}),
    ...(r.aliasTarget ? { aliasTarget: { ...r.aliasTarget, dnsName: normalizeName(r.aliasTarget.dnsName) } } : {}),
  });
}

/** JSON with object keys sorted at every level, so equal values give equal text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
