import type { Ec2Context } from './context.js';
import { dryRunError, Ec2Error } from './errors.js';
import type { RegionState, Tags } from './model.js';
import { readTags, type QueryParams, type Tag, type TagSpecification } from './query.js';
import { el, type XmlNode } from './xml.js';

/** User tags per resource. @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions */
export const MAX_TAGS_PER_RESOURCE = 50;

/** Rejects keys/values AWS rejects: empty or too long, and the reserved `aws:` prefix. */
export function validateTags(tags: readonly Tag[], where: string): void {
  for (const t of tags) {
    if (t.key.length === 0 || t.key.length > 128) {
      throw new Ec2Error('InvalidParameterValue', `${where}: tag key must be 1 to 128 characters, found ${JSON.stringify(t.key)}`);
    }
    if (t.value.length > 256) {
      throw new Ec2Error('InvalidParameterValue', `${where}: tag value for key ${JSON.stringify(t.key)} must be at most 256 characters, found ${t.value.length}`);
    }
    if (t.key.toLowerCase().startsWith('aws:')) {
      throw new Ec2Error('InvalidParameterValue', `Tag keys starting with 'aws:' are reserved for internal use (found ${JSON.stringify(t.key)})`);
    }
  }
}

function userTagCount(tags: ReadonlyMap<string, string>): number {
  let n = 0;
  for (const k of tags.keys()) if (!k.startsWith('aws:')) n++;
  return n;
}

/** Tags after upserting `add`; `TagLimitExceeded` past 50 user tags. Does not mutate. */
export function mergedTags(existing: ReadonlyMap<string, string>, add: readonly Tag[], resourceId: string): Tags {
  const next = new Map(existing);
  for (const t of add) next.set(t.key, t.value);
  if (userTagCount(next) > MAX_TAGS_PER_RESOURCE) {
    throw new Ec2Error('TagLimitExceeded', `The maximum number of Tags for a resource has been reached (${MAX_TAGS_PER_RESOURCE}) for '${resourceId}'.`);
  }
  return next;
}

/** The tags a TagSpecification list gives one resource type, validated. */
export function tagsFor(specs: readonly TagSpecification[], resourceType: string): Tags {
  const tags: Tag[] = specs.filter((s) => s.resourceType === resourceType).flatMap((s) => s.tags);
  validateTags(tags, `TagSpecification (${resourceType})`);
  return mergedTags(new Map(), tags, `new ${resourceType}`);
}

/** Finds a taggable resource's tag map by id prefix, or throws the NotFound AWS uses. */
export function resourceTags(r: RegionState, accountId: string, id: string): Tags {
  const prefix = id.split('-')[0];
  const notFound = (code: string, what: string): never => {
    throw new Ec2Error(code, `The ${what} '${id}' does not exist`);
  };
  switch (prefix) {
    case 'ami': {
      const img = r.images.get(id);
      if (!img || (img.ownerId !== accountId && !img.isPublic)) return notFound('InvalidAMIID.NotFound', 'image id');
      return img.tags;
    }
    case 'snap': {
      const s = r.snapshots.get(id);
      if (!s || s.ownerId !== accountId) return notFound('InvalidSnapshot.NotFound', 'snapshot');
      return s.tags;
    }
    case 'i': {
      const inst = r.instances.get(id);
      if (!inst) return notFound('InvalidInstanceID.NotFound', 'instance ID');
      return inst.tags;
    }
    case 'vol': {
      const v = r.volumes.get(id);
      if (!v) return notFound('InvalidVolume.NotFound', 'volume');
      return v.tags;
    }
    case 'subnet': {
      const s = r.subnets.get(id);
      if (!s) return notFound('InvalidSubnetID.NotFound', 'subnet ID');
      return s.tags;
    }
    case 'sg': {
      const g = r.securityGroups.get(id);
      if (!g) return notFound('InvalidGroup.NotFound', 'security group');
      return g.tags;
    }
    case 'vpc': {
      const v = r.vpcs.get(id);
      if (!v) return notFound('InvalidVpcID.NotFound', 'vpc ID');
      return v.tags;
    }
    case 'lt': {
      const t = r.launchTemplates.get(id);
      if (!t) return notFound('InvalidLaunchTemplateId.NotFound', 'launch template ID');
      return t.tags;
    }
    default:
      throw new Ec2Error('InvalidID', `The ID '${id}' is not valid`);
  }
}

/** The indexed kinds (images, snapshots) bring their postings up to date (record-index.ts); other kinds are scanned. */
function noteTagged(r: RegionState, ids: readonly string[]): void {
  for (const id of ids) {
    if (id.startsWith('ami-')) r.images.note(id);
    else if (id.startsWith('snap-')) r.snapshots.note(id);
  }
}

function replaceTags(target: Tags, next: ReadonlyMap<string, string>): void {
  target.clear();
  for (const [k, v] of next) target.set(k, v);
}

/**
 * CreateTags: upsert on every resource, all or nothing (every id and the limit are checked
 * before anything changes).
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html
 */
export function createTags(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const ids = p.list('ResourceId');
  if (ids.length === 0) throw new Ec2Error('MissingParameter', 'The request must contain the parameter ResourceId');
  const tags = readTags(p);
  if (tags.length === 0) throw new Ec2Error('MissingParameter', 'The request must contain the parameter Tag');
  validateTags(tags, 'CreateTags');
  const plans = ids.map((id) => {
    const target = resourceTags(r, ctx.accountId, id);
    return { target, next: mergedTags(target, tags, id) };
  });
  if (p.bool('DryRun')) throw dryRunError();
  for (const { target, next } of plans) replaceTags(target, next);
  noteTagged(r, ids);
  return el('return', true);
}

/**
 * DeleteTags: a key with a value deletes only when the value matches (an empty value matches only
 * an empty value); a key without a value deletes it whatever the value; no tags deletes every user tag.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteTags.html
 */
export function deleteTags(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const ids = p.list('ResourceId');
  if (ids.length === 0) throw new Ec2Error('MissingParameter', 'The request must contain the parameter ResourceId');
  const specs = p.structs('Tag').map((t) => ({ key: t.get('Key'), value: t.get('Value') }));
  for (const s of specs) {
    if (s.key?.toLowerCase().startsWith('aws:')) {
      throw new Ec2Error('InvalidParameterValue', `Tag keys starting with 'aws:' are reserved for internal use (found ${JSON.stringify(s.key)})`);
    }
  }
  const targets = ids.map((id) => resourceTags(r, ctx.accountId, id));
  if (p.bool('DryRun')) throw dryRunError();
  for (const target of targets) {
    if (specs.length === 0) {
      for (const k of [...target.keys()]) if (!k.startsWith('aws:')) target.delete(k);
      continue;
    }
    for (const s of specs) {
      if (s.key === undefined) continue;
      if (s.value === undefined || target.get(s.key) === s.value) target.delete(s.key);
    }
  }
  noteTagged(r, ids);
  return el('return', true);
}
