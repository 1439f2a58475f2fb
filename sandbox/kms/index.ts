/**
 * A minimal AWS KMS (JSON 1.1 protocol, target prefix `TrentService.`, signing name `kms`): keys
 * and aliases, enough to tell whether a key exists and can be used. CreateKey, DescribeKey (key
 * id, key ARN, alias name or alias ARN), EnableKey, DisableKey, ScheduleKeyDeletion,
 * CancelKeyDeletion, CreateAlias, DeleteAlias, ListAliases, ListKeys. No cryptography.
 * AWS-managed keys (`alias/aws/ebs`) exist in every region from its first use, with the ARN the
 * sandbox gives them (`awsManagedKeyArn`, so EC2's default EBS key is the same key).
 *
 * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
 */
import type { Clock } from '../clock.js';
import type { SeededRandom } from '../random.js';
import type { SandboxService, ServiceRequest, ServiceResponse } from '../service.js';

/** Options of {@link createKmsService}. */
export interface KmsOptions {
  readonly clock: Clock;
  readonly random: SeededRandom;
  readonly accountId: string;
  /** The ARN of an AWS-managed key (`aws/ebs`) in a region; a generated one when absent or undefined. */
  readonly awsManagedKeyArn?: (region: string, alias: string) => string | undefined;
  readonly onChange?: () => void;
}

/** A key as kept. */
export interface KmsKey {
  readonly keyId: string;
  readonly arn: string;
  readonly region: string;
  readonly creationDate: number;
  description: string;
  keyState: 'Enabled' | 'Disabled' | 'PendingDeletion';
  deletionDate?: number;
  readonly keyUsage: string;
  readonly keySpec: string;
  readonly keyManager: 'CUSTOMER' | 'AWS';
  readonly multiRegion: boolean;
}

interface KmsAlias {
  readonly aliasName: string;
  readonly region: string;
  targetKeyId: string;
  readonly creationDate: number;
}

export const KMS_SNAPSHOT_VERSION = 1;

export interface KmsSnapshot {
  readonly version: typeof KMS_SNAPSHOT_VERSION;
  readonly takenAtMs: number;
  readonly keys: KmsKey[];
  readonly aliases: KmsAlias[];
}

/** The KMS service: HTTP side, in-process lookups and faults, admin, persistence. */
export interface KmsSandbox {
  readonly service: SandboxService;
  /** A key by key id, key ARN, alias name or alias ARN (AWS-managed aliases are created on first use). */
  findKey(region: string, ref: string): KmsKey | undefined;
  /** Creates a key (optionally with a given id and alias); answers it. */
  createKey(region: string, options?: { keyId?: string; alias?: string; description?: string }): KmsKey;
  /** Disables (or enables) a key: a fault for launches and copies that need it. @throws RangeError when there is no such key */
  setEnabled(region: string, ref: string, isEnabled: boolean): KmsKey;
  /**
   * Admin actions: `create-key` (`{region, keyId?, alias?, description?}`), `disable-key` and
   * `enable-key` (`{region, keyId}`: id, ARN or alias), `state` (`{region?}`).
   */
  admin(action: string, body: Record<string, unknown>): unknown;
  reset(): void;
  snapshot(): KmsSnapshot;
  restore(snapshot: unknown): void;
}

const TARGET_PREFIX = 'TrentService.';
const KEY_ID_RE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const ALIAS_RE = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;
/** The AWS-managed aliases the sandbox creates on first use. */
const AWS_MANAGED = new Set(['alias/aws/ebs']);

class KmsError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
  }
}

/** Creates the KMS service. */
export function createKmsService(options: KmsOptions): KmsSandbox {
  const { clock, accountId } = options;
  const ids = options.random.fork('kms');
  const onChange = options.onChange ?? (() => {});
  const keys = new Map<string, KmsKey>();
  const aliases = new Map<string, KmsAlias>();
  const aliasKey = (region: string, name: string) => `${region}/${name}`;
  const keyArn = (region: string, keyId: string) => `arn:aws:kms:${region}:${accountId}:key/${keyId}`;

  function addKey(region: string, o: { keyId?: string; arn?: string; description?: string; manager?: 'CUSTOMER' | 'AWS' }): KmsKey {
    const keyId = o.keyId ?? ids.uuid();
    const key: KmsKey = {
      keyId, arn: o.arn ?? keyArn(region, keyId), region, creationDate: clock.now(), description: o.description ?? '',
      keyState: 'Enabled', keyUsage: 'ENCRYPT_DECRYPT', keySpec: 'SYMMETRIC_DEFAULT', keyManager: o.manager ?? 'CUSTOMER', multiRegion: false,
    };
    keys.set(key.arn, key);
    onChange();
    return key;
  }

  function addAlias(region: string, aliasName: string, key: KmsKey): void {
    aliases.set(aliasKey(region, aliasName), { aliasName, region, targetKeyId: key.keyId, creationDate: clock.now() });
    onChange();
  }

  /** An AWS-managed alias, created (with its key) the first time it is named. */
  function awsManaged(region: string, aliasName: string): KmsAlias | undefined {
    if (!AWS_MANAGED.has(aliasName)) return undefined;
    const existing = aliases.get(aliasKey(region, aliasName));
    if (existing) return existing;
    const arn = options.awsManagedKeyArn?.(region, aliasName.slice('alias/'.length));
    const keyId = arn?.split('/').pop();
    const key = (arn ? keys.get(arn) : undefined) ?? addKey(region, { keyId, arn, description: `Default key that protects my ${aliasName.split('/').pop()!.toUpperCase()} volumes when no other key is defined`, manager: 'AWS' });
    addAlias(region, aliasName, key);
    return aliases.get(aliasKey(region, aliasName));
  }

  function findKey(region: string, ref: string): KmsKey | undefined {
    let m = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/.exec(ref);
    if (m) {
      if (m[3] === 'key') {
        const k = keys.get(ref);
        if (k) return k;
        // EC2's default EBS key ARN names the AWS-managed key before anyone asked KMS for it.
        awsManaged(m[1]!, 'alias/aws/ebs');
        return keys.get(ref);
      }
      return findKey(m[1]!, `alias/${m[4]}`);
    }
    if (ref.startsWith('alias/')) {
      const alias = aliases.get(aliasKey(region, ref)) ?? awsManaged(region, ref);
      return alias ? [...keys.values()].find((k) => k.region === region && k.keyId === alias.targetKeyId) : undefined;
    }
    m = null;
    return [...keys.values()].find((k) => k.region === region && k.keyId === ref);
  }

  /** DescribeKey and friends: the key, or NotFoundException worded as AWS words it. */
  function requireKey(region: string, ref: unknown): KmsKey {
    if (typeof ref !== 'string' || ref === '') throw new KmsError('ValidationException', "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null");
    const key = findKey(region, ref);
    if (key) return key;
    if (ref.startsWith('alias/') || ref.includes(':alias/')) {
      const arn = ref.startsWith('arn:') ? ref : `arn:aws:kms:${region}:${accountId}:${ref}`;
      throw new KmsError('NotFoundException', `Alias ${arn} is not found.`);
    }
    if (!ref.startsWith('arn:') && !KEY_ID_RE.test(ref)) throw new KmsError('NotFoundException', `Invalid keyId '${ref}'`);
    throw new KmsError('NotFoundException', `Key '${ref.startsWith('arn:') ? ref : keyArn(region, ref)}' does not exist`);
  }

  const metadata = (k: KmsKey) => ({
    AWSAccountId: accountId,
    KeyId: k.keyId,
    Arn: k.arn,
    CreationDate: k.creationDate / 1000,
    Enabled: k.keyState === 'Enabled',
    Description: k.description,
    KeyUsage: k.keyUsage,
    KeyState: k.keyState,
    ...(k.deletionDate !== undefined ? { DeletionDate: k.deletionDate / 1000 } : {}),
    Origin: 'AWS_KMS',
    KeyManager: k.keyManager,
    CustomerMasterKeySpec: k.keySpec,
    KeySpec: k.keySpec,
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: k.multiRegion,
  });

  const invalidState = (k: KmsKey) => new KmsError('KMSInvalidStateException', `${k.arn} is pending deletion.`);

  const page = <T>(items: T[], input: Record<string, unknown>) => {
    const limit = input.Limit === undefined ? 100 : Number(input.Limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new KmsError('ValidationException', `1 validation error detected: Value '${String(input.Limit)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 1000`);
    const start = input.Marker === undefined ? 0 : Number(Buffer.from(String(input.Marker), 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw new KmsError('InvalidMarkerException', 'Invalid marker');
    const slice = items.slice(start, start + limit);
    const more = start + limit < items.length;
    return { slice, tail: { Truncated: more, ...(more ? { NextMarker: Buffer.from(String(start + limit)).toString('base64url') } : {}) } };
  };

  type Op = (input: Record<string, unknown>, region: string) => unknown;
  const ops: Record<string, Op> = {
    CreateKey(i, region) {
      if (i.KeyUsage !== undefined && i.KeyUsage !== 'ENCRYPT_DECRYPT') throw new KmsError('ValidationException', `The sandbox's KMS makes symmetric ENCRYPT_DECRYPT keys only, found KeyUsage ${JSON.stringify(i.KeyUsage)}`);
      if (i.KeySpec !== undefined && i.KeySpec !== 'SYMMETRIC_DEFAULT') throw new KmsError('ValidationException', `The sandbox's KMS makes SYMMETRIC_DEFAULT keys only, found KeySpec ${JSON.stringify(i.KeySpec)}`);
      return { KeyMetadata: metadata(addKey(region, { description: typeof i.Description === 'string' ? i.Description : '' })) };
    },
    DescribeKey: (i, region) => ({ KeyMetadata: metadata(requireKey(region, i.KeyId)) }),
    EnableKey(i, region) {
      const k = requireKey(region, i.KeyId);
      if (k.keyState === 'PendingDeletion') throw invalidState(k);
      k.keyState = 'Enabled';
      onChange();
      return {};
    },
    DisableKey(i, region) {
      const k = requireKey(region, i.KeyId);
      if (k.keyState === 'PendingDeletion') throw invalidState(k);
      k.keyState = 'Disabled';
      onChange();
      return {};
    },
    ScheduleKeyDeletion(i, region) {
      const k = requireKey(region, i.KeyId);
      const days = i.PendingWindowInDays === undefined ? 30 : Number(i.PendingWindowInDays);
      if (!Number.isInteger(days) || days < 7 || days > 30) throw new KmsError('ValidationException', `1 validation error detected: Value '${String(i.PendingWindowInDays)}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30`);
      if (k.keyState === 'PendingDeletion') throw invalidState(k);
      k.keyState = 'PendingDeletion';
      k.deletionDate = clock.now() + days * 86_400_000;
      onChange();
      return { KeyId: k.arn, DeletionDate: k.deletionDate / 1000, KeyState: 'PendingDeletion', PendingWindowInDays: days };
    },
    CancelKeyDeletion(i, region) {
      const k = requireKey(region, i.KeyId);
      if (k.keyState !== 'PendingDeletion') throw new KmsError('KMSInvalidStateException', `${k.arn} is not pending deletion.`);
      k.keyState = 'Disabled';
      delete k.deletionDate;
      onChange();
      return { KeyId: k.arn };
    },
    CreateAlias(i, region) {
      const name = i.AliasName;
      if (typeof name !== 'string' || !ALIAS_RE.test(name)) throw new KmsError('ValidationException', `1 validation error detected: Value '${String(name)}' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$`);
      if (name.startsWith('alias/aws/')) throw new KmsError('NotAuthorizedException', 'Cannot create alias with prefix \'alias/aws/\'');
      const arn = `arn:aws:kms:${region}:${accountId}:${name}`;
      if (aliases.has(aliasKey(region, name))) throw new KmsError('AlreadyExistsException', `An alias with the name ${arn} already exists`);
      const k = requireKey(region, i.TargetKeyId);
      addAlias(region, name, k);
      return {};
    },
    DeleteAlias(i, region) {
      const name = String(i.AliasName ?? '');
      if (!aliases.delete(aliasKey(region, name))) throw new KmsError('NotFoundException', `Alias arn:aws:kms:${region}:${accountId}:${name} is not found.`);
      onChange();
      return {};
    },
    ListAliases(i, region) {
      awsManaged(region, 'alias/aws/ebs');
      const target = i.KeyId === undefined ? undefined : requireKey(region, i.KeyId);
      const all = [...aliases.values()].filter((a) => a.region === region && (!target || a.targetKeyId === target.keyId)).sort((a, b) => (a.aliasName < b.aliasName ? -1 : 1));
      const { slice, tail } = page(all, i);
      return {
        Aliases: slice.map((a) => ({ AliasName: a.aliasName, AliasArn: `arn:aws:kms:${region}:${accountId}:${a.aliasName}`, TargetKeyId: a.targetKeyId, CreationDate: a.creationDate / 1000, LastUpdatedDate: a.creationDate / 1000 })),
        ...tail,
      };
    },
    ListKeys(i, region) {
      awsManaged(region, 'alias/aws/ebs');
      const all = [...keys.values()].filter((k) => k.region === region).sort((a, b) => (a.keyId < b.keyId ? -1 : 1));
      const { slice, tail } = page(all, i);
      return { Keys: slice.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })), ...tail };
    },
  };

  const json = (status: number, body: unknown, requestId: string): ServiceResponse => ({
    status,
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': requestId },
    body: JSON.stringify(body),
  });

  const service: SandboxService = {
    matches: (req: ServiceRequest) => (req.headers['x-amz-target'] ?? '').startsWith(TARGET_PREFIX),
    async handle(req) {
      const requestId = ids.uuid();
      const op = (req.headers['x-amz-target'] ?? '').slice(TARGET_PREFIX.length);
      try {
        const handler = Object.hasOwn(ops, op) ? ops[op] : undefined;
        if (!handler) throw new KmsError('UnknownOperationException', `Unknown operation ${op}; the sandbox's KMS answers ${Object.keys(ops).join(', ')}`);
        const text = req.body.toString('utf8').trim();
        const parsed: unknown = text === '' ? {} : JSON.parse(text);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new KmsError('SerializationException', 'Expected a JSON object body');
        return json(200, handler(parsed as Record<string, unknown>, req.region), requestId);
      } catch (err) {
        if (err instanceof SyntaxError) return json(400, { __type: 'SerializationException', message: 'The request body is not valid JSON' }, requestId);
        if (!(err instanceof KmsError)) throw err;
        return json(err.status, { __type: err.code, message: err.message }, requestId);
      }
    },
  };

  const sandbox: KmsSandbox = {
    service,
    findKey,
    createKey(region, o = {}) {
      if (o.keyId !== undefined && !KEY_ID_RE.test(o.keyId)) throw new RangeError(`kms: keyId: expected a key id such as "1234abcd-12ab-34cd-56ef-1234567890ab", found ${JSON.stringify(o.keyId)}`);
      if (o.alias !== undefined && (!ALIAS_RE.test(o.alias) || o.alias.startsWith('alias/aws/'))) throw new RangeError(`kms: alias: expected "alias/<name>" (not alias/aws/…), found ${JSON.stringify(o.alias)}`);
      const existing = o.keyId !== undefined ? keys.get(keyArn(region, o.keyId)) : undefined;
      const key = existing ?? addKey(region, { keyId: o.keyId, description: o.description });
      if (o.alias !== undefined && !aliases.has(aliasKey(region, o.alias))) addAlias(region, o.alias, key);
      return key;
    },
    setEnabled(region, ref, isEnabled) {
      const key = findKey(region, ref);
      if (!key) throw new RangeError(`kms: no key ${JSON.stringify(ref)} in ${region} (key id, key ARN, alias name or alias ARN)`);
      key.keyState = isEnabled ? 'Enabled' : 'Disabled';
      delete key.deletionDate;
      onChange();
      return key;
    },
    admin(action, body) {
      const where = `kms admin '${action}'`;
      const region = body.region;
      if (action === 'state') return { keys: [...keys.values()].filter((k) => region === undefined || k.region === region), aliases: [...aliases.values()].filter((a) => region === undefined || a.region === region) };
      if (typeof region !== 'string') throw new TypeError(`${where} › region: expected a region name such as "us-west-2", found ${JSON.stringify(region)}`);
      if (action === 'create-key') {
        const k = sandbox.createKey(region, { keyId: body.keyId as string | undefined, alias: body.alias as string | undefined, description: body.description as string | undefined });
        return metadata(k);
      }
      if (action === 'disable-key' || action === 'enable-key') {
        if (typeof body.keyId !== 'string') throw new TypeError(`${where} › keyId: expected a key id, key ARN, alias name or alias ARN, found ${JSON.stringify(body.keyId)}`);
        return metadata(sandbox.setEnabled(region, body.keyId, action === 'enable-key'));
      }
      throw new TypeError(`${where}: unknown action; expected one of create-key, disable-key, enable-key, state`);
    },
    reset() {
      keys.clear();
      aliases.clear();
      onChange();
    },
    snapshot: () => ({ version: KMS_SNAPSHOT_VERSION, takenAtMs: clock.now(), keys: [...keys.values()], aliases: [...aliases.values()] }),
    restore(value) {
      const v = value as Partial<KmsSnapshot> | null;
      if (typeof v !== 'object' || v === null || v.version !== KMS_SNAPSHOT_VERSION || !Array.isArray(v.keys) || !Array.isArray(v.aliases)) {
        throw new TypeError(`kms snapshot: expected {version: ${KMS_SNAPSHOT_VERSION}, keys: [...], aliases: [...]}, found ${JSON.stringify(value)?.slice(0, 100)}`);
      }
      keys.clear();
      aliases.clear();
      for (const k of v.keys) keys.set(k.arn, k);
      for (const a of v.aliases) aliases.set(aliasKey(a.region, a.aliasName), a);
    },
  };
  return sandbox;
}
