import type { RecordChange } from '../../schemas/plan-traffic.js';
import type { RecordSet, SwitchedRecord, SwitchTrafficInput, SwitchTrafficOutput } from '../../schemas/tasks/switch-traffic.js';
import type { TaskContext } from '../_shared/define-task.js';
import { InvalidInputError, NotFoundError, TimeoutError } from '../_shared/errors.js';
import { PassNotes } from '../_shared/tolerate.js';
import { normalizeName, type TrafficApis } from '../_shared/traffic-apis.js';
import { batchComment, pendingSummary, sameRecord, submitBatches, syncAndVerify, type Transition } from './record-changes.js';

/**
 * One pass of the traffic switch (docs/contracts.md, "The traffic switch").
 *
 * - `targets`: registers the recovered instances in their target groups (once; RegisterTargets is
 *   idempotent) and reads DescribeTargetHealth until every one is `healthy`.
 * - `records`: reads each record and computes its new value, and ENDS THE PASS there: the values
 *   read (`before`) and the new ones (`after`) go into the execution history before anything is
 *   changed, so a crash after the change batch cannot lose what the records were.
 * - `submit`: ONE change batch per hosted zone holding a DELETE of the value read and a CREATE of
 *   the new one, so Route 53 refuses the batch (`InvalidChangeBatch`) if anyone changed a record
 *   in between. A record found at its new value already (a batch whose answer was lost) keeps the
 *   `before` recorded by this run and is re-asserted, to have a change to wait for. Records that
 *   already had their new value when read are left alone: a repeated switch changes nothing.
 * - `sync`: GetChange until `INSYNC`, then reads every record back and compares.
 *
 * A drill that reports (`drill` "report", the default) registers nothing and changes nothing: it
 * reads the records and reports the changes it would make (`would-change`). A drill that
 * exercises (`drill` "exercise") runs every phase for real on each record's `drillRecordName`
 * (the production record is only read, as the template of the new value) and on the target
 * groups it is given (the workflow passes the drill's own). Throttled reads leave the pass where
 * it was (docs/decisions/0005); past the deadline a pass that still waits fails with
 * `Lifeboat.Timeout`, naming what it waits for.
 */
export async function switchTraffic(input: SwitchTrafficInput, context: TaskContext, apis: TrafficApis): Promise<SwitchTrafficOutput> {
  const notes = new PassNotes(context);
  const isReport = input.mode === 'drill' && input.drill !== 'exercise';
  let out: SwitchTrafficOutput = input.previous
    ? { ...input.previous, isComplete: false }
    : {
        isComplete: false,
        phase: isReport || input.targetGroups.length === 0 ? 'records' : 'targets',
        mode: input.mode,
        targetGroups: input.targetGroups.map((g) => ({ ...g, isRegistered: false, health: [] })),
        records: [],
        changes: [],
        isVerified: false,
        ...(input.mode === 'drill' && !isReport ? { drill: 'exercise' as const } : {}),
      };
  delete out.throttled;
  const isPastDeadline = context.now.getTime() > Date.parse(input.deadline);

  if (out.phase === 'targets') {
    out = await targetsPass(out, input, apis, notes);
    if (out.phase === 'targets' && isPastDeadline) throw new TimeoutError(`traffic switch: targets not healthy by the deadline ${input.deadline}: ${unhealthySummary(out)}. Check the instances' application and the target group's health check, then redrive.`);
  }
  if (out.phase === 'records') {
    // Ends the pass: what it read and will change is recorded before anything changes.
    out = await recordsPass(out, input, context, apis, notes);
  } else if (out.phase === 'submit') {
    out = await submitPass(out, input, context, apis, notes);
  }
  if (out.phase === 'sync') {
    out = await syncPass(out, apis, notes);
    if (out.phase === 'sync' && isPastDeadline) {
      throw new TimeoutError(`traffic switch: Route 53 ${pendingSummary(out.changes)} still PENDING at the deadline ${input.deadline}; the records are changed but not yet on every Route 53 name server. Check 'aws route53 get-change --id <id>', then redrive (the switch will not submit the change again).`);
    }
  }
  return { ...out, isComplete: out.phase === 'done', ...notes.output() };
}

async function targetsPass(out: SwitchTrafficOutput, input: SwitchTrafficInput, apis: TrafficApis, notes: PassNotes): Promise<SwitchTrafficOutput> {
  const groups = [];
  for (const g of out.targetGroups) {
    const targets = g.instanceIds.map((id) => ({ id, ...(g.port !== undefined ? { port: g.port } : {}) }));
    let isRegistered = g.isRegistered;
    if (!isRegistered && targets.length > 0) {
      isRegistered = (await notes.tolerate(`RegisterTargets (${g.targetGroupArn})`, async () => { await apis.registerTargets(input.region, g.targetGroupArn, targets); return true; })) ?? false;
    } else if (targets.length === 0) {
      isRegistered = true;
    }
    let health = g.health;
    if (isRegistered && targets.length > 0) {
      const read = await notes.tolerate(`DescribeTargetHealth (${g.targetGroupArn})`, () => apis.describeTargetHealth(input.region, g.targetGroupArn, targets));
      if (read) health = read.map((h) => ({ id: h.id, state: h.state, ...(h.reason !== undefined ? { reason: h.reason } : {}), ...(h.description !== undefined ? { description: h.description } : {}) }));
      const hopeless = health.filter((h) => h.state === 'unused' && (h.reason === 'Target.NotInUse' || h.reason === 'Target.InvalidState'));
      if (hopeless.length > 0) {
        throw new InvalidInputError(
          `traffic switch: target group ${g.targetGroupArn}: ${hopeless.map((h) => `${h.id} is unused (${h.reason}: ${h.description ?? ''})`).join('; ')}; expected targets a load balancer checks. ${hopeless[0]!.reason === 'Target.NotInUse' ? 'Attach the target group to a listener of a recovery-region load balancer' : 'Start the instance'}, then redrive.`,
        );
      }
    }
    groups.push({ ...g, isRegistered, health });
  }
  const isHealthy = groups.every((g) => g.isRegistered && g.instanceIds.every((id) => g.health.some((h) => h.id === id && h.state === 'healthy')));
  return { ...out, targetGroups: groups, phase: isHealthy ? 'records' : 'targets' };
}

function unhealthySummary(out: SwitchTrafficOutput): string {
  const lines: string[] = [];
  for (const g of out.targetGroups) {
    if (!g.isRegistered) lines.push(`${g.targetGroupArn}: not registered yet`);
    for (const id of g.instanceIds) {
      const h = g.health.find((x) => x.id === id);
      if (h?.state !== 'healthy') lines.push(`${id} in ${g.targetGroupArn} is ${h ? `${h.state}${h.reason ? ` (${h.reason}${h.description ? `: ${h.description}` : ''})` : ''}` : 'not read yet'}`);
    }
  }
  return lines.join('; ');
}

/** Where a record change is in the plan, for messages. */
const where = (i: number) => `plan.traffic.records[${i}]`;

/** The key of a record within a run: zone, normalized name, type and set identifier. */
const keyOf = (r: { hostedZoneId: string; name: string; type: string; setIdentifier?: string }) => `${r.hostedZoneId}|${normalizeName(r.name)}|${r.type}|${r.setIdentifier ?? ''}`;

/**
 * Reads every record and records what the switch will do with it. A record this run changed
 * already (a redrive after a lost answer, or after a refused batch) that still has the value this
 * run gave it keeps the `before` recorded then, not the value read now.
 */
async function recordsPass(out: SwitchTrafficOutput, input: SwitchTrafficInput, context: TaskContext, apis: TrafficApis, notes: PassNotes): Promise<SwitchTrafficOutput> {
  const isReport = input.mode === 'drill' && input.drill !== 'exercise';
  const isExercise = input.mode === 'drill' && !isReport;
  const recorded = new Map(out.records.filter((r) => r.status === 'changed').map((r) => [keyOf(r), r]));
  const planned: SwitchedRecord[] = [];
  for (const [i, spec] of input.records.entries()) {
    const current = await notes.tolerate(`ListResourceRecordSets (${spec.hostedZoneId} ${spec.name} ${spec.type})`, () => apis.listRecordSets(spec.hostedZoneId, spec.name, spec.type));
    if (current === undefined) return out; // read again at the next pass
    let pairs = desired(spec, current, i);
    let drillOf: string | undefined;
    if (isExercise) {
      if (spec.drillRecordName === undefined) {
        throw new InvalidInputError(`traffic switch: ${where(i)}.drillRecordName: expected a drill record name (traffic.drill is "exercise"), found none; add one, or set traffic.drill to "report"`);
      }
      const drillName = normalizeName(spec.drillRecordName);
      const drillCurrent = await notes.tolerate(`ListResourceRecordSets (${spec.hostedZoneId} ${drillName} ${spec.type})`, () => apis.listRecordSets(spec.hostedZoneId, drillName, spec.type));
      if (drillCurrent === undefined) return out;
      // The production record is the template: the drill record gets the value a failover would give it.
      drillOf = normalizeName(spec.name);
      pairs = pairs.map(([, after]) => [drillCurrent.find((r) => r.setIdentifier === after.setIdentifier) ?? null, { ...after, name: drillName }]);
    }
    for (const [read, after] of pairs) {
      const key = { hostedZoneId: spec.hostedZoneId, name: after.name, type: after.type, ...(after.setIdentifier !== undefined ? { setIdentifier: after.setIdentifier } : {}) };
      const earlier = recorded.get(keyOf(key));
      const isOurs = earlier !== undefined && sameRecord(read, earlier.after) && sameRecord(after, earlier.after);
      const before = isOurs ? earlier.before : read;
      planned.push({
        ...key, before, after,
        status: isOurs ? 'changed' : before !== null && sameRecord(before, after) ? 'unchanged' : isReport ? 'would-change' : 'changed',
        ...(drillOf !== undefined ? { drillOf } : {}),
      });
    }
  }
  const hasChanges = planned.some((r) => r.status === 'changed');
  return { ...out, records: planned, readAtRedrive: context.redriveCount, ...(hasChanges ? { phase: 'submit' } : { phase: 'done', isVerified: true }) };
}

/** The changed records as transitions from `before` to `after`. */
function transitionsOf(out: SwitchTrafficOutput): Transition[] {
  return out.records.filter((r) => r.status === 'changed').map((r) => ({
    hostedZoneId: r.hostedZoneId, name: r.name, type: r.type, ...(r.setIdentifier !== undefined ? { setIdentifier: r.setIdentifier } : {}), from: r.before, to: r.after,
  }));
}

/**
 * Submits the batches recorded by the records pass. A record someone else changed in between
 * fails the pass (`Lifeboat.InvalidInput`); after the operator redrives, the records are read again.
 */
async function submitPass(out: SwitchTrafficOutput, input: SwitchTrafficInput, context: TaskContext, apis: TrafficApis, notes: PassNotes): Promise<SwitchTrafficOutput> {
  const result = await submitBatches(transitionsOf(out), out.changes, batchComment(input.planName, 'traffic switch', context), apis, notes);
  if (result.kind === 'conflict') {
    // A redrive since the records were read: the operator has looked; read them again.
    if (context.redriveCount > (out.readAtRedrive ?? 0)) return recordsPass({ ...out, changes: result.changes }, input, context, apis, notes);
    throw new InvalidInputError(`traffic switch: ${result.message}. Nothing was submitted in that hosted zone. Compare with 'aws route53 list-resource-record-sets', then redrive: the switch reads the records again.`);
  }
  return { ...out, changes: result.changes, phase: result.kind === 'submitted' ? 'sync' : 'submit' };
}
/** Pairs of (value read, new value) for one record change of the plan. */
function desired(spec: RecordChange, current: RecordSet[], i: number): [RecordSet | null, RecordSet][] {
  const describe = (setId?: string) => `hosted zone ${spec.hostedZoneId} has no ${spec.type} record named ${JSON.stringify(spec.name)}${setId !== undefined ? ` with set identifier ${JSON.stringify(setId)}` : ''}`;
  const pick = (setId: string | undefined): RecordSet => {
    const found = current.find((r) => r.setIdentifier === setId);
    if (!found) throw new NotFoundError(`traffic switch: ${where(i)}: ${describe(setId)}; found ${current.length === 0 ? 'none' : current.map((r) => JSON.stringify(r.setIdentifier ?? '(no set identifier)')).join(', ')}. The switch changes existing records only: create the record, or fix the plan.`);
    return found;
  };
  switch (spec.kind) {
    case 'values': {
      const before = pick(spec.setIdentifier);
      const { aliasTarget: _alias, ...rest } = before;
      return [[before, { ...rest, ttl: spec.ttl ?? before.ttl ?? 60, values: [...spec.values] }]];
    }
    case 'alias': {
      const before = pick(spec.setIdentifier);
      const { ttl: _ttl, values: _values, ...rest } = before;
      const dns = spec.aliasTarget.dnsName.endsWith('.') ? spec.aliasTarget.dnsName : `${spec.aliasTarget.dnsName}.`;
      return [[before, { ...rest, aliasTarget: { hostedZoneId: spec.aliasTarget.hostedZoneId, dnsName: dns, evaluateTargetHealth: spec.aliasTarget.evaluateTargetHealth } }]];
    }
    case 'weights':
      return Object.entries(spec.weights).map(([setId, weight]) => {
        const before = pick(setId);
        if (before.weight === undefined) throw new InvalidInputError(`traffic switch: ${where(i)}.weights.${setId}: expected a weighted record, found ${JSON.stringify(before)}; use kind "values" or "alias" for it.`);
        return [before, { ...before, weight }];
      });
    case 'failover': {
      const pair = current.filter((r) => r.failover !== undefined);
      const next = pick(spec.primarySetIdentifier);
      if (next.failover === undefined || pair.length !== 2) {
        throw new InvalidInputError(`traffic switch: ${where(i)}: expected a failover pair (one PRIMARY and one SECONDARY ${spec.type} record named ${JSON.stringify(spec.name)}), found ${pair.length} failover record(s)${next.failover === undefined ? ` and ${JSON.stringify(spec.primarySetIdentifier)} has no failover role` : ''}.`);
      }
      const other = pair.find((r) => r.setIdentifier !== spec.primarySetIdentifier)!;
      return [[next, { ...next, failover: 'PRIMARY' }], [other, { ...other, failover: 'SECONDARY' }]];
    }
  }
}

async function syncPass(out: SwitchTrafficOutput, apis: TrafficApis, notes: PassNotes): Promise<SwitchTrafficOutput> {
  const { changes, isVerified } = await syncAndVerify(transitionsOf(out), out.changes, apis, notes, 'traffic switch');
  return { ...out, changes, ...(isVerified ? { phase: 'done', isVerified } : {}) };
}
