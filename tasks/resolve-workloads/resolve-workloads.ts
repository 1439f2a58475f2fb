import type { Instance } from '@aws-sdk/client-ec2';
import type { Target } from '../../schemas/tasks/common.js';
import type { ResolveWorkloadsInput, ResolveWorkloadsOutput } from '../../schemas/tasks/resolve-workloads.js';
import type { TaskContext } from '../_shared/define-task.js';
import { MAX_FILTER_VALUES, describeInstances, filters } from '../_shared/ec2.js';
import { NotFoundError } from '../_shared/errors.js';
import { NAMED_AT_MOST, namedFirst, tooManyForInline } from '../_shared/scale.js';
import { chunk } from '../_shared/tags.js';

/** Instance states worth backing up: everything but shutting-down and terminated. */
const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];

/**
 * `resolve-workloads`: turns the plan's workloads into instances in the primary region, in
 * batches of `batchSize`.
 *
 * Instances are looked up with filters only (`instance-id` or `tag:<key>`, plus the live states),
 * so an id that no longer exists is simply absent instead of failing the whole call. A critical
 * workload with no instance, or with a listed instance id that is gone, fails with
 * `Lifeboat.NotFound` (the plan no longer matches the account); an optional one is reported in
 * `unmatched`. An instance matched by two workloads is backed up once, for the first.
 *
 * Order: instances with the most EBS volumes come first (a stable sort, so plan order otherwise).
 * Every batch copies against the same region-wide copy quotas, so this is the run-wide order in
 * which copies reach the quotas: the instances whose copies cost the most snapshot slots, and
 * usually take longest, start first, and the run ends on short copies rather than a tail of long
 * ones (docs/decisions/0018). With `isQuickFirstBatch` (batches run several at once) the first
 * batch takes the instances with the fewest volumes instead: its images are ready first, so the
 * first copies start about one short image after the run starts while the batches beside it
 * image their larger instances; the copy passes then order the run's copies themselves
 * (docs/decisions/0018, "Update").
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html
 */
export async function resolveWorkloads(input: ResolveWorkloadsInput, context: TaskContext): Promise<ResolveWorkloadsOutput> {
  const ec2 = context.ec2(input.region);
  const targets: Target[] = [];
  const unmatched: string[] = [];
  const problems: string[] = [];
  const taken = new Map<string, string>();

  // Every workload given by ids is answered by one look-up (200 ids per call), so a plan of
  // many small workloads costs few calls; so are tag selectors (resolveSelectors).
  const byId = new Set<string>();
  const volumes = new Map<string, number>();
  const noteVolumes = (instance: Instance) => {
    if (instance.InstanceId) volumes.set(instance.InstanceId, (instance.BlockDeviceMappings ?? []).filter((m) => m.Ebs !== undefined).length);
  };
  const allIds = input.workloads.flatMap((w) => (w.tagSelector ? [] : (w.instanceIds ?? [])));
  for (const idChunk of chunk([...new Set(allIds)], 200)) {
    const live = await describeInstances(ec2, { Filters: filters({ 'instance-state-name': LIVE_STATES, 'instance-id': idChunk }) });
    for (const instance of live) {
      if (instance.InstanceId) byId.add(instance.InstanceId);
      noteVolumes(instance);
    }
  }

  const bySelector = await resolveSelectors(ec2, input.workloads, noteVolumes);

  for (const workload of input.workloads) {
    if (!workload.instanceIds && !workload.tagSelector) {
      problems.push(`workload '${workload.name}' has neither instanceIds nor tagSelector`);
      continue;
    }
    const found: string[] = [];
    if (!workload.tagSelector) {
      found.push(...(workload.instanceIds ?? []).filter((id) => byId.has(id)));
    }
    const selected = bySelector.get(workload.name);
    if (selected !== undefined) found.push(...selected);
    // Ids and a selector together (not produced from a plan) must match both: one filtered call;
    // so does a selector whose values hold EC2's filter wildcards (* ?), which EC2 itself matches.
    for (const idChunk of !workload.tagSelector || selected !== undefined ? [] : workload.instanceIds ? chunk(workload.instanceIds, 200) : [undefined]) {
      const spec: Record<string, string[]> = { 'instance-state-name': LIVE_STATES };
      if (idChunk) spec['instance-id'] = idChunk;
      for (const [key, value] of Object.entries(workload.tagSelector ?? {})) spec[`tag:${key}`] = [value];
      for (const instance of await describeInstances(ec2, { Filters: filters(spec) })) {
        if (instance.InstanceId) found.push(instance.InstanceId);
        noteVolumes(instance);
      }
    }
    const ids = [...new Set(found)].sort();
    const missing = (workload.instanceIds ?? []).filter((id) => !ids.includes(id));
    if (ids.length === 0 || (workload.isCritical && missing.length > 0)) {
      const what = workload.instanceIds
        ? `instance(s) ${(missing.length > 0 ? missing : workload.instanceIds).join(', ')} not found (or terminated) in ${input.region}`
        : `no live instance in ${input.region} has the tags ${JSON.stringify(workload.tagSelector)}`;
      if (workload.isCritical) problems.push(`critical workload '${workload.name}': ${what}`);
      else if (ids.length === 0) unmatched.push(workload.name);
      if (ids.length === 0) continue;
    }
    if (missing.length > 0) context.log('optional workload partly matched', { workload: workload.name, missing });
    for (const id of ids) {
      const owner = taken.get(id);
      if (owner !== undefined) {
        context.log('instance matched by two workloads; kept for the first', { instanceId: id, first: owner, second: workload.name });
        continue;
      }
      taken.set(id, workload.name);
      targets.push({ workload: workload.name, instanceId: id });
    }
  }
  if (problems.length > 0) {
    if (problems.length > NAMED_AT_MOST) context.log('critical workloads not found', { problems });
    throw new NotFoundError(`resolve workloads of plan '${input.planName}': ${namedFirst(problems, '; ', 'critical workload(s)')}`);
  }
  if (input.maxTargets !== undefined && targets.length > input.maxTargets) throw tooManyForInline(input.planName, targets.length, input.maxTargets);
  // Most volumes first (Array.prototype.sort is stable): the run-wide copy order.
  targets.sort((a, b) => (volumes.get(b.instanceId) ?? 0) - (volumes.get(a.instanceId) ?? 0));
  const volumesOf = (t: Target | undefined) => (t === undefined ? 0 : (volumes.get(t.instanceId) ?? 0));
  if (input.isQuickFirstBatch === true && targets.length > input.batchSize && volumesOf(targets.at(-1)) < volumesOf(targets[0])) {
    // Batches running together: the fewest volumes first, so copies start after one short image.
    targets.unshift(...targets.splice(targets.length - input.batchSize));
  }
  const batches = chunk(targets, input.batchSize);
  // The output names the first few unmatched workloads and counts them all, so it stays small at any plan size.
  if (unmatched.length > NAMED_AT_MOST) context.log('optional workloads matched no instance', { unmatched });
  const unmatchedPart = { unmatched: unmatched.slice(0, NAMED_AT_MOST), unmatchedCount: unmatched.length };
  if (input.itemStore === undefined) return { batches, targetCount: targets.length, ...unmatchedPart };
  // A distributed run: the batches become the Distributed Map's item list in S3.
  const items = { bucket: input.itemStore.bucket, key: `${input.itemStore.prefix}/batches.json` };
  // The S3 client loads only here (its own chunk of the bundle, docs/decisions/0017, "Chunks").
  const { putJson, s3Client } = await import('../_shared/s3.js');
  await putJson(s3Client(input.region), items.bucket, items.key, batches.map((b, i) => ({ batch: i + 1, targets: b })));
  return { batches: [], batchCount: batches.length, items, targetCount: targets.length, ...unmatchedPart };
}


/**
 * The live instances of every plain tag selector (no ids beside it, no wildcard in a value), by
 * workload name, with far fewer calls than one per selector: selectors are grouped by their first
 * key, and each group is one paged DescribeInstances filtered on that key's values (200 per call),
 * every other tag of a selector then matched on the instances' own tags. 5,000 tag-selected
 * workloads cost about 25 calls instead of 5,000, which no 60-second invocation could make under
 * EC2's request-rate throttling (found by bench/shapes.ts). A selector left out (alone under its
 * first key, or holding a wildcard) is resolved by its own filtered call, as before.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html (tag:<key> filter, values are exact unless * or ?)
 */
async function resolveSelectors(
  ec2: ReturnType<TaskContext['ec2']>,
  workloads: ResolveWorkloadsInput['workloads'],
  noteVolumes: (instance: Instance) => void,
): Promise<Map<string, string[]>> {
  const groups = new Map<string, { name: string; selector: Record<string, string> }[]>();
  for (const w of workloads) {
    const selector = w.tagSelector;
    if (selector === undefined || w.instanceIds !== undefined) continue;
    const keys = Object.keys(selector).sort();
    if (keys.length === 0 || Object.values(selector).some((v) => /[*?\\]/.test(v))) continue;
    const group = groups.get(keys[0]!) ?? [];
    group.push({ name: w.name, selector });
    groups.set(keys[0]!, group);
  }
  const out = new Map<string, string[]>();
  for (const [key, members] of groups) {
    // A selector alone under its key gains nothing from grouping: its own call filters every tag.
    if (members.length === 1) continue;
    const byValue = new Map<string, Instance[]>();
    for (const part of chunk([...new Set(members.map((m) => m.selector[key]!))], MAX_FILTER_VALUES)) {
      for (const instance of await describeInstances(ec2, { Filters: filters({ 'instance-state-name': LIVE_STATES, [`tag:${key}`]: part }) })) {
        const value = instance.Tags?.find((t) => t.Key === key)?.Value;
        if (value === undefined) continue;
        byValue.set(value, [...(byValue.get(value) ?? []), instance]);
      }
    }
    for (const m of members) {
      const matched = (byValue.get(m.selector[key]!) ?? []).filter((i) => Object.entries(m.selector).every(([k, v]) => i.Tags?.some((t) => t.Key === k && t.Value === v)));
      for (const i of matched) noteVolumes(i);
      out.set(m.name, matched.map((i) => i.InstanceId).filter((id): id is string => id !== undefined));
    }
  }
  return out;
}
