/**
 * Key pairs: CreateKeyPair, DescribeKeyPairs, DeleteKeyPair. RunInstances refuses a `KeyName`
 * that is not here (InvalidKeyPair.NotFound).
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateKeyPair.html
 */
import { createHash } from 'node:crypto';
import type { Ec2Context } from './context.js';
import { dryRunError, Ec2Error } from './errors.js';
import { applyFilters, byKey } from './filters.js';
import { iso, type KeyPairRecord, type RegionState } from './model.js';
import { readFilters, readTagSpecifications, type QueryParams } from './query.js';
import { tagSet } from './render.js';
import { tagsFor } from './tags.js';
import { el, set, struct, type XmlNode } from './xml.js';

const notFound = (name: string) => new Ec2Error('InvalidKeyPair.NotFound', `The key pair '${name}' does not exist`);

/** Adds a key pair (CreateKeyPair's work, also used to seed). */
export function addKeyPair(ctx: Ec2Context, r: RegionState, keyName: string, keyType = 'rsa', tags: Map<string, string> = new Map()): KeyPairRecord {
  if (keyName.length === 0 || keyName.length > 255) throw new Ec2Error('InvalidParameterValue', `Value (${keyName}) for parameter keyName is invalid. Expected 1 to 255 characters.`);
  if (r.keyPairs.has(keyName)) throw new Ec2Error('InvalidKeyPair.Duplicate', `The keypair '${keyName}' already exists.`);
  const keyPairId = ctx.ids.next('key');
  const digest = createHash('sha1').update(keyPairId).digest('hex');
  const record: KeyPairRecord = { keyName, keyPairId, keyType, keyFingerprint: digest.match(/../g)!.join(':'), createTime: ctx.clock.now(), tags };
  r.keyPairs.set(keyName, record);
  return record;
}

export function createKeyPair(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const keyName = p.required('KeyName');
  const keyType = p.get('KeyType') ?? 'rsa';
  if (keyType !== 'rsa' && keyType !== 'ed25519') throw new Ec2Error('InvalidParameterValue', `Value (${keyType}) for parameter keyType is invalid. Valid values are: rsa, ed25519.`);
  if (r.keyPairs.has(keyName)) throw new Ec2Error('InvalidKeyPair.Duplicate', `The keypair '${keyName}' already exists.`);
  const tags = tagsFor(readTagSpecifications(p, ['key-pair']), 'key-pair');
  if (p.bool('DryRun')) throw dryRunError();
  const k = addKeyPair(ctx, r, keyName, keyType, new Map(tags));
  // Not a usable key: the sandbox never makes private keys.
  const material = `-----BEGIN RSA PRIVATE KEY-----\nsandbox-${k.keyPairId}\n-----END RSA PRIVATE KEY-----`;
  return struct({ keyName: k.keyName, keyFingerprint: k.keyFingerprint, keyMaterial: material, keyPairId: k.keyPairId, tagSet: tagSet(k.tags) });
}

/** @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeKeyPairs.html */
export function describeKeyPairs(_ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const names = p.list('KeyName');
  const ids = p.list('KeyPairId');
  for (const n of names) if (!r.keyPairs.has(n)) throw notFound(n);
  for (const id of ids) if (![...r.keyPairs.values()].some((k) => k.keyPairId === id)) throw new Ec2Error('InvalidKeyPair.NotFound', `The key pair ID '${id}' does not exist`);
  let keys = byKey(r.keyPairs.values(), (k) => k.keyName).filter((k) => (names.length === 0 || names.includes(k.keyName)) && (ids.length === 0 || ids.includes(k.keyPairId)));
  keys = applyFilters(keys, readFilters(p), { 'key-name': (k) => k.keyName, 'key-pair-id': (k) => k.keyPairId, fingerprint: (k) => k.keyFingerprint }, (k) => k.tags);
  return set('keySet', keys, (k) => struct({ keyPairId: k.keyPairId, keyFingerprint: k.keyFingerprint, keyName: k.keyName, keyType: k.keyType, tagSet: tagSet(k.tags), createTime: iso(k.createTime) }));
}

/** Deleting a key pair that does not exist is not an error. */
export function deleteKeyPair(_ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const name = p.get('KeyName');
  const id = p.get('KeyPairId');
  if (name === undefined && id === undefined) throw new Ec2Error('MissingParameter', 'The request must contain the parameter KeyName or KeyPairId');
  if (p.bool('DryRun')) throw dryRunError();
  const found = name !== undefined ? r.keyPairs.get(name) : [...r.keyPairs.values()].find((k) => k.keyPairId === id);
  if (found) r.keyPairs.delete(found.keyName);
  return el('return', true);
}
