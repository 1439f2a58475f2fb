import type { RecordChange } from '../../schemas/plan-traffic.js';
import type { RecordSet, SwitchedRecord, SwitchTrafficInput, SwitchTrafficOutput } from '../../schemas/tasks/switch-traffic.js';
import type { TaskContext } from '../_shared/define-task.js';
import { InvalidInputError, NotFoundError, TimeoutError, VerificationFailedError } from '../_shared/errors.js';
import { PassNotes } from '../_shared/tolerate.js';
import { normalizeName, type TrafficApis } from '../_shared/traffic-apis.js';

/**
 * One pass of the traffic switch (docs/contracts.md, "The traffic switch").
 *
 * - `targets`: registers the recovered instances in their target groups (once; RegisterTargets is
 *   idempotent) and reads DescribeTargetHealth until every one is `healthy`.
 * - `records`: reads each record, computes its new value, and submits ONE change batch per hosted
 *   zone holding a DELETE of the value read and a CREATE of the new one, so Route 53 refuses the
 *   batch (`InvalidChangeBatch`) if anyone changed a record in between. Records that already have
 *   their new value are left alone: a redriven or repeated switch changes nothing.
 * - `sync`: GetChange until `INSYNC`, then reads every record back and compares.
 *
 * A drill registers nothing and changes nothing: it reads the records and reports the changes it
 * would make (`would-change`). Throttled reads leave the pass where it was (docs/decisions/0005);
 * past the deadline a pass that still waits fails with `Lifeboat.Timeout`, naming what it waits for.
 */
export async function switchTraffic(input: SwitchTrafficInput, context: TaskContext, apis: TrafficApis): Promise<SwitchTrafficOutput> {
  const notes = new PassNotes(context);
  const isDrill = input.mode === 'drill';
  let out: SwitchTrafficOutput = input.previous
    ? { ...input.previous, isComplete: false }
    : {
        isComplete: false,
        phase: isDrill || input.targetGroups.length === 0 ? 'records' : 'targets',
        mode: input.mode,
        targetGroups: input.targetGroups.map((g) => ({ ...g, isRegistered: false, health: [] })),
        records: [],
        changes: [],
        isVerified: false,
      };
  delete out.throttled;
  const isPastDeadline = context.now.getTime() > Date.parse(input.deadline);

  if (out.phase === 'targets') {
    out = await targetsPass(out, input, apis, notes);
    if (out.phase === 'targets' && isPastDeadline) throw new TimeoutError(`traffic switch: targets not healthy by the deadline ${input.deadline}: ${unhealthySummary(out)}. Check the instances' application and the target group's health check, then redrive.`);
  }
  if (out.phase === 'records') out = await recordsPass(out, input, context, apis, notes);
  if (out.phase === 'sync') {
    out = await syncPass(out, input, apis, notes);
    if (out.phase === 'sync' && isPastDeadline) {
      const pending = out.changes.filter((c) => c.status !== 'INSYNC').map((c) => `change ${c.changeId} in hosted zone ${c.hostedZoneId} (submitted ${c.submittedAt})`);
      throw new TimeoutError(`traffic switch: Route 53 ${pending.join(', ')} still PENDING at the deadline ${input.deadline}; the records are changed but not yet on every Route 53 name server. Check 'aws route53 get-change --id <id>', then redrive (the switch will not submit the change again).`);
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

async function recordsPass(out: SwitchTrafficOutput, input: SwitchTrafficInput, context: TaskContext, apis: TrafficApis, notes: PassNotes): Promise<SwitchTrafficOutput> {
  const planned: SwitchedRecord[] = [];
  for (const [i, spec] of input.records.entries()) {
    const current = await notes.tolerate(`ListResourceRecordSets (${spec.hostedZoneId} ${spec.name} ${spec.type})`, () => apis.listRecordSets(spec.hostedZoneId, spec.name, spec.type));
    if (current === undefined) return out; // read again at the next pass
    for (const [before, after] of desired(spec, current, i)) {
      planned.push({
        hostedZoneId: spec.hostedZoneId, name: after.name, type: after.type,
        ...(after.setIdentifier !== undefined ? { setIdentifier: after.setIdentifier } : {}),
        before, after,
        status: sameRecord(before, after) ? 'unchanged' : input.mode === 'drill' ? 'would-change' : 'changed',
      });
    }
  }
  const toChange = planned.filter((r) => r.status === 'changed');
  if (toChange.length === 0) return { ...out, records: planned, phase: 'done', isVerified: true };
  const changes = [...out.changes];
  for (const zone of [...new Set(toChange.map((r) => r.hostedZoneId))]) {
    const batch = toChange.filter((r) => r.hostedZoneId === zone).flatMap((r) => [
      ...(r.before ? [{ action: 'DELETE' as const, recordSet: r.before }] : []),
      { action: 'CREATE' as const, recordSet: r.after },
    ]);
    const info = await notes.tolerate(`ChangeResourceRecordSets (${zone})`, () =>
      apis.changeRecordSets(zone, batch, `lifeboat ${input.planName} traffic switch by ${context.executionArn.split(':').pop()}`).catch((error: unknown) => {
        if ((error as Error).name === 'Lifeboat.InvalidInput') {
          throw new InvalidInputError(`traffic switch: hosted zone ${zone}: Route 53 refused the change batch (${(error as Error).message}); a record may have changed since it was read. Compare the records with 'aws route53 list-resource-record-sets --hosted-zone-id ${zone}', then redrive: the switch reads them again.`, { cause: error });
        }
        throw error;
      }),
    );
    // A throttled submission: nothing changed in that zone; the next pass reads and submits again.
    if (info === undefined) return { ...out, records: planned, changes, phase: changes.length > 0 ? 'sync' : 'records' };
    changes.push({ hostedZoneId: zone, changeId: info.id, status: info.status, submittedAt: info.submittedAt });
  }
  return { ...out, records: planned, changes, phase: 'sync' };
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

/** True when two record sets hold the same routing and values (names compared normalized). */
function sameRecord(a: RecordSet | null, b: RecordSet): boolean {
  if (a === null) return false;
  const canon = (r: RecordSet) => stableJson({
    ...r, name: normalizeName(r.name),
    ...(r.values ? { values: [...r.values].sort() } : {}),
    ...(r.aliasTarget ? { aliasTarget: { ...r.aliasTarget, dnsName: normalizeName(r.aliasTarget.dnsName) } } : {}),
  });
  return canon(a) === canon(b);
}

/** JSON with object keys sorted at every level, so equal values give equal text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

async function syncPass(out: SwitchTrafficOutput, input: SwitchTrafficInput, apis: TrafficApis, notes: PassNotes): Promise<SwitchTrafficOutput> {
  const changes = [];
  for (const c of out.changes) {
    if (c.status === 'INSYNC') {
      changes.push(c);
      continue;
    }
    const info = await notes.tolerate(`GetChange (${c.changeId})`, () => apis.getChange(c.changeId));
    changes.push(info ? { ...c, status: info.status } : c);
  }
  if (!changes.every((c) => c.status === 'INSYNC')) return { ...out, changes };
  // Every change is INSYNC: read each changed record back.
  for (const r of out.records.filter((x) => x.status === 'changed')) {
    const read = await notes.tolerate(`ListResourceRecordSets (read back ${r.name} ${r.type})`, () => apis.listRecordSets(r.hostedZoneId, r.name, r.type));
    if (read === undefined) return { ...out, changes };
    const found = read.find((x) => x.setIdentifier === r.setIdentifier) ?? null;
    if (!sameRecord(found, r.after)) {
      throw new VerificationFailedError(`traffic switch: hosted zone ${r.hostedZoneId}: ${r.type} ${r.name}${r.setIdentifier !== undefined ? ` (${r.setIdentifier})` : ''} reads back as ${JSON.stringify(found)}, expected ${JSON.stringify(r.after)}; someone changed it after the switch. Check the record, then redrive.`);
    }
  }
  void input;
  return { ...out, changes, phase: 'done', isVerified: true };
}
