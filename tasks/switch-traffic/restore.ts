import type { RestoredRecord, RestoreTrafficInput, RestoreTrafficOutput } from '../../schemas/tasks/switch-traffic.js';
import type { TaskContext } from '../_shared/define-task.js';
import { InvalidInputError, TimeoutError, UnexpectedError } from '../_shared/errors.js';
import { PassNotes } from '../_shared/tolerate.js';
import type { TrafficApis } from '../_shared/traffic-apis.js';
import { batchComment, describeRecord, pendingSummary, sameOrAbsent, sameRecord, submitBatches, syncAndVerify, type Transition } from './record-changes.js';

/**
 * One pass of a traffic restore (`action: "restore"`, docs/contracts.md, "Undo and restore"):
 * puts back what a switch changed, from the switch's recorded output (`switched`), never from
 * what the records hold now.
 *
 * - `records`: reads each record the switch `changed`; one still at the switch's `after` is to be
 *   restored to its `before` (deleted when `before` is null: the drill created it); one at
 *   `before` already is `unchanged`; anything else is someone else's change and fails the pass
 *   (`Lifeboat.InvalidInput`), changing nothing. The pass ends there, recording the plan.
 * - `submit`, `sync`: one batch per hosted zone, GetChange until `INSYNC`, read back (as the switch).
 * - `targets`: deregisters the instances the switch registered that are still registered, then
 *   reads them until each is `draining` or no longer registered.
 *
 * Records go first: users leave the recovered instances before those leave the target groups.
 * Idempotent: a second restore finds everything `unchanged` and deregisters nothing. With
 * `isDryRun` one pass reads and reports `would-restore`, changing nothing.
 */
export async function restoreTraffic(input: RestoreTrafficInput, context: TaskContext, apis: TrafficApis): Promise<RestoreTrafficOutput> {
  const notes = new PassNotes(context);
  const isDryRun = input.isDryRun === true;
  const switched = input.switched;
  let out: RestoreTrafficOutput = input.previous
    ? { ...input.previous, isComplete: false }
    : {
        action: 'restore',
        isComplete: false,
        phase: 'records',
        mode: input.mode,
        isDryRun,
        records: [],
        targetGroups: (switched?.targetGroups ?? []).filter((g) => g.isRegistered && g.instanceIds.length > 0).map((g) => ({
          targetGroupArn: g.targetGroupArn, ...(g.port !== undefined ? { port: g.port } : {}), instanceIds: [...g.instanceIds], isDeregistered: false, health: [],
        })),
        changes: [],
        isVerified: false,
      };
  delete out.throttled;
  const isPastDeadline = context.now.getTime() > Date.parse(input.deadline);

  if (out.phase === 'records') {
    out = await planPass(out, input, context, apis, notes);
    if (isDryRun && out.phase !== 'records') return { ...out, phase: 'done', isComplete: true, isVerified: false, ...notes.output() };
  } else if (out.phase === 'submit') {
    const result = await submitBatches(transitionsOf(out), out.changes, batchComment(input.planName, 'traffic restore', context), apis, notes);
    if (result.kind === 'conflict') throw new InvalidInputError(`traffic restore: ${result.message}. Nothing was submitted in that hosted zone. Put the record back by hand (its old value is in the run's output), or leave it.`);
    out = { ...out, changes: result.changes, phase: result.kind === 'submitted' ? 'sync' : 'submit' };
  }
  if (out.phase === 'sync') {
    const { changes, isVerified } = await syncAndVerify(transitionsOf(out), out.changes, apis, notes, 'traffic restore');
    out = { ...out, changes, ...(isVerified ? { phase: 'targets' } : {}) };
    if (out.phase === 'sync' && isPastDeadline) {
      throw new TimeoutError(`traffic restore: Route 53 ${pendingSummary(out.changes)} still PENDING at the deadline ${input.deadline}; the records are restored but not yet on every Route 53 name server. Check 'aws route53 get-change --id <id>', then run the restore again (it submits nothing twice).`);
    }
  }
  if (out.phase === 'targets') {
    out = await targetsPass(out, input, apis, notes);
    if (out.phase === 'targets' && isPastDeadline) {
      throw new TimeoutError(`traffic restore: targets still registered at the deadline ${input.deadline}: ${out.targetGroups.flatMap((g) => g.health.filter((h) => !isGone(h)).map((h) => `${h.id} in ${g.targetGroupArn} is ${h.state}`)).join('; ')}. Deregister them with 'aws elbv2 deregister-targets', or run the restore again.`);
    }
  }
  const isDone = out.phase === 'done';
  return { ...out, isComplete: isDone, isVerified: isDone, ...notes.output() };
}

/** The key of a record within a run. */
const keyOf = (r: { hostedZoneId: string; name: string; type: string; setIdentifier?: string }) => `${r.hostedZoneId}|${r.name.toLowerCase()}|${r.type}|${r.setIdentifier ?? ''}`;

async function planPass(out: RestoreTrafficOutput, input: RestoreTrafficInput, context: TaskContext, apis: TrafficApis, notes: PassNotes): Promise<RestoreTrafficOutput> {
  const recorded = new Map(out.records.filter((r) => r.status === 'restored').map((r) => [keyOf(r), r]));
  const planned: RestoredRecord[] = [];
  for (const r of (input.switched?.records ?? []).filter((x) => x.status === 'changed')) {
    const current = await notes.tolerate(`ListResourceRecordSets (${r.hostedZoneId} ${r.name} ${r.type})`, () => apis.listRecordSets(r.hostedZoneId, r.name, r.type));
    if (current === undefined) return out;
    const found = current.find((x) => x.setIdentifier === r.setIdentifier) ?? null;
    const key = { hostedZoneId: r.hostedZoneId, name: r.name, type: r.type, ...(r.setIdentifier !== undefined ? { setIdentifier: r.setIdentifier } : {}) };
    let status: RestoredRecord['status'];
    if (sameRecord(found, r.after)) status = input.isDryRun === true ? 'would-restore' : 'restored';
    else if (sameOrAbsent(found, r.before)) status = recorded.has(keyOf(key)) ? 'restored' : 'unchanged';
    else {
      throw new InvalidInputError(
        `traffic restore: ${describeRecord(r)} is ${JSON.stringify(found)}; expected the value the switch set (${JSON.stringify(r.after)}) or the one it replaced (${JSON.stringify(r.before)}): someone changed it since the switch. Nothing was changed; put it back by hand if it should be ${JSON.stringify(r.before)}.`,
      );
    }
    planned.push({ ...key, from: r.after, to: r.before, status });
  }
  const hasChanges = planned.some((r) => r.status === 'restored');
  return { ...out, records: planned, readAtRedrive: context.redriveCount, phase: hasChanges ? 'submit' : 'targets' };
}

function transitionsOf(out: RestoreTrafficOutput): Transition[] {
  return out.records.filter((r) => r.status === 'restored').map((r) => ({
    hostedZoneId: r.hostedZoneId, name: r.name, type: r.type, ...(r.setIdentifier !== undefined ? { setIdentifier: r.setIdentifier } : {}), from: r.from, to: r.to,
  }));
}

/** A target that takes no new connections: draining, or not registered at all. */
const isGone = (h: { state: string; reason?: string }) => h.state === 'draining' || (h.state === 'unused' && h.reason === 'Target.NotRegistered');

async function targetsPass(out: RestoreTrafficOutput, input: RestoreTrafficInput, apis: TrafficApis, notes: PassNotes): Promise<RestoreTrafficOutput> {
  const groups = [];
  for (const g of out.targetGroups) {
    const targets = g.instanceIds.map((id) => ({ id, ...(g.port !== undefined ? { port: g.port } : {}) }));
    const read = await notes.tolerate(`DescribeTargetHealth (${g.targetGroupArn})`, () => apis.describeTargetHealth(input.region, g.targetGroupArn, targets));
    if (read === undefined) {
      groups.push(g);
      continue;
    }
    let health = read.map((h) => ({ id: h.id, state: h.state, ...(h.reason !== undefined ? { reason: h.reason } : {}), ...(h.description !== undefined ? { description: h.description } : {}) }));
    let isDeregistered = g.isDeregistered;
    const still = targets.filter((t) => { const h = health.find((x) => x.id === t.id); return h !== undefined && !isGone(h); });
    if (still.length > 0) {
      if (apis.deregisterTargets === undefined) throw new UnexpectedError('traffic restore: these traffic APIs cannot deregister targets (TrafficApis.deregisterTargets is missing)');
      const done = await notes.tolerate(`DeregisterTargets (${g.targetGroupArn})`, async () => { await apis.deregisterTargets!(input.region, g.targetGroupArn, still); return true; });
      if (done) {
        isDeregistered = true;
        const again = await notes.tolerate(`DescribeTargetHealth (${g.targetGroupArn})`, () => apis.describeTargetHealth(input.region, g.targetGroupArn, targets));
        if (again) health = again.map((h) => ({ id: h.id, state: h.state, ...(h.reason !== undefined ? { reason: h.reason } : {}), ...(h.description !== undefined ? { description: h.description } : {}) }));
      }
    } else {
      isDeregistered = true;
    }
    groups.push({ ...g, isDeregistered, health });
  }
  const isDone = groups.every((g) => g.isDeregistered && g.instanceIds.every((id) => g.health.some((h) => h.id === id && isGone(h))));
  return { ...out, targetGroups: groups, phase: isDone ? 'done' : 'targets' };
}
