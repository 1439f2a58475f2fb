/**
 * A minimal AWS STS (Query protocol, API version 2011-06-15, signing name `sts`):
 * GetCallerIdentity, whose answer follows the access key id the request was signed with.
 * Which principal an access key belongs to is set through the admin API (`sts.principals`) or in
 * process ({@link StsSandbox.setPrincipal}); a key nobody mapped is the IAM user named after it
 * (see README.md; AWS would refuse an unknown key with InvalidClientTokenId).
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { QueryError, queryService, xmlText, type QueryDialect } from '../query-protocol.js';
import type { SeededRandom } from '../random.js';
import { checkedSnapshot } from '../snapshot.js';
import type { SandboxService, ServiceRequest } from '../service.js';

/** Options of {@link createStsService}. */
export interface StsServiceOptions {
  readonly clock: Clock;
  readonly random: SeededRandom;
  /** The account of unmapped access keys. */
  readonly accountId: string;
  /** Told (synchronously) after the access key map changes. */
  readonly onChange?: () => void;
}

/** Who a request is from, as GetCallerIdentity answers it. */
export interface CallerIdentity {
  readonly Account: string;
  readonly Arn: string;
  readonly UserId: string;
}

/** The version of {@link StsSnapshot} this code writes and reads. */
export const STS_SNAPSHOT_VERSION = 1;

/** The access key map as plain JSON. */
export interface StsSnapshot {
  readonly version: typeof STS_SNAPSHOT_VERSION;
  readonly takenAtMs: number;
  /** Access key id → principal ARN (and an explicit unique id, when one was given). */
  readonly principals: Record<string, { arn: string; userId?: string }>;
}

/** The STS service: HTTP side, in-process identity map, admin, persistence. */
export interface StsSandbox {
  readonly service: SandboxService;
  /**
   * Maps an access key id to a principal: an IAM user (`arn:aws:iam::<account>:user/<path/>name`),
   * an assumed role (`arn:aws:sts::<account>:assumed-role/<role>/<session>`) or an account root
   * (`arn:aws:iam::<account>:root`). `userId` overrides the unique id derived from the ARN.
   *
   * @throws RangeError when the key or the ARN is malformed (the message says which and why)
   */
  setPrincipal(accessKeyId: string, arn: string, userId?: string): CallerIdentity;
  /** Forgets a mapping (the key falls back to the default identity). */
  removePrincipal(accessKeyId: string): void;
  /** The identity GetCallerIdentity answers for a key (mapped or default). */
  identityOf(accessKeyId: string): CallerIdentity;
  /** The principal ARN of a key (mapped or default). */
  principalArnOf(accessKeyId: string): string;
  /**
   * Admin actions: `principals` — `{accessKeyId, arn, userId?}` maps a key, `{accessKeyId,
   * arn: null}` forgets it, `{}` lists every mapping; `whoami` — `{accessKeyId}` answers the identity.
   */
  admin(action: string, body: Record<string, unknown>): unknown;
  reset(): void;
  snapshot(): StsSnapshot;
  /** @throws TypeError when `snapshot` is not an {@link StsSnapshot} (the message names the member). */
  restore(snapshot: unknown): void;
}

const DIALECT: QueryDialect = {
  signingName: 'sts',
  version: '2011-06-15',
  namespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
  layout: 'indented',
  readsUrlQuery: true,
  invalidAction: (action, version) => `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`,
};
const ACCESS_KEY_RE = /^[\w]{1,128}$/;
const USER_ARN_RE = /^arn:aws[a-z-]*:iam::(\d{12}):user\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/;
const ROLE_SESSION_ARN_RE = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/([\w+=,.@-]{2,64})$/;
const ROOT_ARN_RE = /^arn:aws[a-z-]*:iam::(\d{12}):root$/;

/**
 * A unique id as IAM makes them: a 4-letter prefix for the kind (`AIDA` users, `AROA` roles) and
 * 17 upper-case letters and digits, here derived from the ARN so it is the same on every run.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
 */
function uniqueId(prefix: string, of: string): string {
  const digest = createHash('sha256').update(of).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = prefix;
  for (let i = 0; i < 17; i++) out += alphabet[digest[i]! % alphabet.length];
  return out;
}

/**
 * The identity of a principal ARN, or a RangeError saying what is wrong with it.
 * Users answer `AIDA…`, assumed roles `AROA…:<session>`, the root its account id.
 */
export function identityOfArn(arn: string, userId?: string): CallerIdentity {
  let m = USER_ARN_RE.exec(arn);
  if (m) return { Account: m[1]!, Arn: arn, UserId: userId ?? uniqueId('AIDA', arn) };
  m = ROLE_SESSION_ARN_RE.exec(arn);
  if (m) {
    const roleArn = `arn:aws:iam::${m[1]}:role/${m[2]}`;
    return { Account: m[1]!, Arn: arn, UserId: userId ?? `${uniqueId('AROA', roleArn)}:${m[3]}` };
  }
  m = ROOT_ARN_RE.exec(arn);
  if (m) return { Account: m[1]!, Arn: arn, UserId: userId ?? m[1]! };
  throw new RangeError(
    `sts: principal ARN ${JSON.stringify(arn)}: expected an IAM user (arn:aws:iam::123456789012:user/alice), ` +
      'an assumed role (arn:aws:sts::123456789012:assumed-role/Role/session) or a root (arn:aws:iam::123456789012:root)',
  );
}

/**
 * Creates the STS service.
 *
 * @example
 * const sts = createStsService({ clock, random, accountId });
 * server.mount(sts.service);
 * sts.setPrincipal('AKIAALICE', 'arn:aws:iam::123456789012:user/alice');
 */
export function createStsService(options: StsServiceOptions): StsSandbox {
  const { clock, accountId } = options;
  const ids = options.random.fork('sts');
  const onChange = options.onChange ?? (() => {});
  const principals = new Map<string, { arn: string; userId?: string }>();

  function checkKey(accessKeyId: unknown): string {
    if (typeof accessKeyId !== 'string' || !ACCESS_KEY_RE.test(accessKeyId)) {
      throw new RangeError(`sts: accessKeyId: expected 1 to 128 letters, digits or '_' (e.g. "AKIAIOSFODNN7EXAMPLE"), found ${JSON.stringify(accessKeyId)}`);
    }
    return accessKeyId;
  }

  /** An unmapped key: the IAM user named after the key, in the sandbox's account. */
  const defaultArn = (accessKeyId: string) => `arn:aws:iam::${accountId}:user/${accessKeyId.slice(0, 64)}`;

  function identityOf(accessKeyId: string): CallerIdentity {
    const mapped = principals.get(accessKeyId);
    return mapped ? identityOfArn(mapped.arn, mapped.userId) : identityOfArn(defaultArn(accessKeyId));
  }

  const operations = {
    GetCallerIdentity(_params: Map<string, string>, req: ServiceRequest): string {
      // STS refuses unsigned calls: only a signed request has an identity.
      if (req.accessKeyId === undefined) throw new QueryError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
      if (!ACCESS_KEY_RE.test(req.accessKeyId)) throw new QueryError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
      const id = identityOf(req.accessKeyId);
      return `\n    <Arn>${xmlText(id.Arn)}</Arn>\n    <UserId>${xmlText(id.UserId)}</UserId>\n    <Account>${id.Account}</Account>\n  `;
    },
  };

  const service = queryService(DIALECT, operations, () => ids.uuid());

  const sandbox: StsSandbox = {
    service,
    setPrincipal(accessKeyId, arn, userId) {
      const key = checkKey(accessKeyId);
      const identity = identityOfArn(arn, userId);
      principals.set(key, { arn, ...(userId !== undefined ? { userId } : {}) });
      onChange();
      return identity;
    },
    removePrincipal(accessKeyId) {
      if (principals.delete(accessKeyId)) onChange();
    },
    identityOf: (accessKeyId) => identityOf(checkKey(accessKeyId)),
    principalArnOf: (accessKeyId) => identityOf(checkKey(accessKeyId)).Arn,
    admin(action, body) {
      if (action === 'principals') {
        if (body.accessKeyId === undefined) {
          return { principals: [...principals.entries()].map(([accessKeyId, p]) => ({ accessKeyId, ...identityOfArn(p.arn, p.userId) })) };
        }
        const key = checkKey(body.accessKeyId);
        if (body.arn === null) {
          sandbox.removePrincipal(key);
          return { accessKeyId: key, ...identityOf(key) };
        }
        if (typeof body.arn !== 'string') throw new TypeError(`sts admin 'principals' › arn: expected a principal ARN string (or null to forget the key), found ${JSON.stringify(body.arn)}`);
        if (body.userId !== undefined && typeof body.userId !== 'string') throw new TypeError(`sts admin 'principals' › userId: expected a string, found ${JSON.stringify(body.userId)}`);
        return { accessKeyId: key, ...sandbox.setPrincipal(key, body.arn, body.userId as string | undefined) };
      }
      if (action === 'whoami') return { accessKeyId: checkKey(body.accessKeyId), ...identityOf(checkKey(body.accessKeyId)) };
      throw new TypeError(`sts admin '${action}': unknown action; expected one of principals, whoami`);
    },
    reset() {
      principals.clear();
      onChange();
    },
    snapshot: () => ({ version: STS_SNAPSHOT_VERSION, takenAtMs: clock.now(), principals: Object.fromEntries(principals) }),
    restore(value) {
      const where = 'sts snapshot';
      const v = checkedSnapshot<StsSnapshot>(value, where, STS_SNAPSHOT_VERSION);
      if (typeof v.principals !== 'object' || v.principals === null) throw new TypeError(`${where} › principals: expected an object of access key id → {arn}, found ${JSON.stringify(v.principals)?.slice(0, 100)}`);
      principals.clear();
      for (const [key, p] of Object.entries(v.principals)) {
        if (typeof p?.arn !== 'string') throw new TypeError(`${where} › principals.${key}: expected {arn, userId?}, found ${JSON.stringify(p)?.slice(0, 100)}`);
        principals.set(key, p);
      }
    },
  };
  return sandbox;
}
