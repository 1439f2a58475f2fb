import { createHash } from 'node:crypto';
import type { Tag } from '@aws-sdk/client-ec2';
import { ROLES, TAG_KEYS } from '../../schemas/tags.js';

/** A `lifeboat:role` value. */
export type Role = (typeof ROLES)[keyof typeof ROLES];

/** The lifeboat tags of one created resource (docs/contracts.md, "Tags"). */
export interface LifeboatTagValues {
  readonly planName: string;
  readonly workload: string;
  readonly sourceInstanceId: string;
  readonly executionArn: string;
  readonly recoveryPointTime: string;
  readonly role: Role;
  /** On copies and launched instances: the AMI they came from. */
  readonly sourceImageId?: string;
}

/**
 * The EC2 tags for a resource Lifeboat creates: extra tags first, then the lifeboat tags, which
 * win on a clash.
 *
 * @example lifeboatTags({ planName: 'shop', workload: 'web', …, role: 'recovery-point' }, { team: 'dr' })
 */
export function lifeboatTags(values: LifeboatTagValues, extra: Record<string, string> = {}): Tag[] {
  const tags: Record<string, string> = { ...withoutReserved(extra) };
  tags[TAG_KEYS.plan] = values.planName;
  tags[TAG_KEYS.workload] = values.workload;
  tags[TAG_KEYS.sourceInstance] = values.sourceInstanceId;
  tags[TAG_KEYS.executionArn] = values.executionArn;
  tags[TAG_KEYS.recoveryPointTime] = values.recoveryPointTime;
  tags[TAG_KEYS.role] = values.role;
  if (values.sourceImageId) tags[TAG_KEYS.sourceImage] = values.sourceImageId;
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/**
 * Drops tags that may not be copied: `aws:` keys are reserved by AWS (CreateTags rejects them)
 * and `lifeboat:` keys are Lifeboat's own.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html (tag restrictions)
 */
export function withoutReserved(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tags).filter(([key]) => !key.toLowerCase().startsWith('aws:') && !key.startsWith('lifeboat:')),
  );
}

/** EC2's tag list as a plain object. */
export function tagMap(tags: readonly Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) out[tag.Key] = tag.Value ?? '';
  return out;
}

/**
 * `2026-11-25T10:30:00.000Z` → `20261125T103000Z`: the time part of an AMI name.
 *
 * @example compactTime('2026-11-25T10:30:00.000Z') // '20261125T103000Z'
 */
export function compactTime(iso: string): string {
  return new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** SHA-256 of the parts joined by `|`, as 64 hex characters (an EC2 ClientToken fits 64). */
export function clientToken(...parts: string[]): string {
  return createHash('sha256').update(parts.join('|')).digest('hex');
}

/** Splits a list into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
