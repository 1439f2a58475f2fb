/**
 * A minimal AWS IAM (Query protocol, API version 2010-05-08, signing name `iam`): instance
 * profiles only — CreateInstanceProfile, GetInstanceProfile, ListInstanceProfiles,
 * DeleteInstanceProfile — so EC2 launches and pre-launch checks can see whether a profile exists.
 * IAM is global: the region of a request does not matter.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetInstanceProfile.html
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { QueryError, queryService, xmlText, type QueryDialect } from '../query-protocol.js';
import type { SeededRandom } from '../random.js';
import type { SandboxService } from '../service.js';

export interface IamOptions {
  readonly clock: Clock;
  readonly random: SeededRandom;
  readonly accountId: string;
  readonly onChange?: () => void;
}

export interface InstanceProfile {
  readonly name: string;
  readonly path: string;
  readonly id: string;
  readonly arn: string;
  readonly createDate: number;
}

export const IAM_SNAPSHOT_VERSION = 1;

export interface IamSnapshot {
  readonly version: typeof IAM_SNAPSHOT_VERSION;
  readonly takenAtMs: number;
  readonly instanceProfiles: InstanceProfile[];
}

export interface IamSandbox {
  readonly service: SandboxService;
  /** An instance profile by name or ARN, or undefined. */
  findInstanceProfile(ref: { name?: string; arn?: string }): InstanceProfile | undefined;
  /** Creates an instance profile (idempotent for the same name); by name or by ARN. */
  createInstanceProfile(nameOrArn: string): InstanceProfile;
  /** Removes one (a fault); true when it existed. */
  deleteInstanceProfile(name: string): boolean;
  /** Admin actions: `create-instance-profile` and `delete-instance-profile` (`{name}` or `{arn}`), `state`. */
  admin(action: string, body: Record<string, unknown>): unknown;
  reset(): void;
  snapshot(): IamSnapshot;
  restore(snapshot: unknown): void;
}

const DIALECT: QueryDialect = {
  signingName: 'iam',
  version: '2010-05-08',
  namespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
  layout: 'indented',
  readsUrlQuery: true,
  invalidAction: (action, version) => `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`,
};
const NAME_RE = /^[\w+=,.@-]{1,128}$/;
const PROFILE_ARN_RE = /^arn:aws[a-z-]*:iam::(\d{12}):instance-profile(\/(?:[\x21-\x7e]*\/)?)?([\w+=,.@-]{1,128})$/;

/** Creates the IAM service. */
export function createIamService(options: IamOptions): IamSandbox {
  const { clock, accountId } = options;
  const ids = options.random.fork('iam');
  const onChange = options.onChange ?? (() => {});
  const profiles = new Map<string, InstanceProfile>();

  function create(name: string, path = '/'): InstanceProfile {
    const existing = profiles.get(name);
    if (existing) return existing;
    const digest = createHash('sha256').update(`${accountId}:${name}`).digest();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    const id = `AIPA${[...digest.subarray(0, 17)].map((b) => alphabet[b % 32]).join('')}`;
    const profile: InstanceProfile = { name, path, id, arn: `arn:aws:iam::${accountId}:instance-profile${path}${name}`, createDate: clock.now() };
    profiles.set(name, profile);
    onChange();
    return profile;
  }

  const render = (p: InstanceProfile) =>
    `<Path>${xmlText(p.path)}</Path><InstanceProfileName>${xmlText(p.name)}</InstanceProfileName><InstanceProfileId>${p.id}</InstanceProfileId><Arn>${xmlText(p.arn)}</Arn><CreateDate>${new Date(p.createDate).toISOString()}</CreateDate><Roles/>`;
  const noSuch = (name: string) => new QueryError('NoSuchEntity', `Instance Profile ${name} cannot be found.`, 404);
  const nameParam = (params: Map<string, string>) => {
    const name = params.get('InstanceProfileName');
    if (name === undefined) throw new QueryError('ValidationError', "1 validation error detected: Value null at 'instanceProfileName' failed to satisfy constraint: Member must not be null");
    if (!NAME_RE.test(name)) throw new QueryError('ValidationError', `1 validation error detected: Value '${name}' at 'instanceProfileName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`);
    return name;
  };

  const operations = {
    CreateInstanceProfile(params: Map<string, string>) {
      const name = nameParam(params);
      if (profiles.has(name)) throw new QueryError('EntityAlreadyExists', `Instance Profile ${name} already exists.`, 409);
      const path = params.get('Path') ?? '/';
      if (!/^\/([\x21-\x7e]*\/)?$/.test(path)) throw new QueryError('ValidationError', `The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`);
      return `<InstanceProfile>${render(create(name, path))}</InstanceProfile>`;
    },
    GetInstanceProfile(params: Map<string, string>) {
      const name = nameParam(params);
      const p = profiles.get(name);
      if (!p) throw noSuch(name);
      return `<InstanceProfile>${render(p)}</InstanceProfile>`;
    },
    ListInstanceProfiles(params: Map<string, string>) {
      const prefix = params.get('PathPrefix') ?? '/';
      const all = [...profiles.values()].filter((p) => p.path.startsWith(prefix)).sort((a, b) => (a.name < b.name ? -1 : 1));
      const max = Number(params.get('MaxItems') ?? 100);
      const start = params.has('Marker') ? Number(Buffer.from(params.get('Marker')!, 'base64url').toString('utf8')) : 0;
      if (!Number.isInteger(max) || max < 1 || max > 1000) throw new QueryError('ValidationError', `1 validation error detected: Value '${params.get('MaxItems')}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`);
      if (!Number.isInteger(start) || start < 0) throw new QueryError('ValidationError', 'Invalid Marker.');
      const page = all.slice(start, start + max);
      const more = start + max < all.length;
      return `<InstanceProfiles>${page.map((p) => `<member>${render(p)}</member>`).join('')}</InstanceProfiles><IsTruncated>${more}</IsTruncated>${more ? `<Marker>${Buffer.from(String(start + max)).toString('base64url')}</Marker>` : ''}`;
    },
    DeleteInstanceProfile(params: Map<string, string>) {
      const name = nameParam(params);
      if (!profiles.delete(name)) throw noSuch(name);
      onChange();
      return '';
    },
  };

  const sandbox: IamSandbox = {
    service: queryService(DIALECT, operations, () => ids.uuid()),
    findInstanceProfile(ref) {
      if (ref.arn !== undefined) {
        const m = PROFILE_ARN_RE.exec(ref.arn);
        const p = m ? profiles.get(m[3]!) : undefined;
        return p && p.arn === ref.arn ? p : undefined;
      }
      return ref.name !== undefined ? profiles.get(ref.name) : undefined;
    },
    createInstanceProfile(nameOrArn) {
      const m = PROFILE_ARN_RE.exec(nameOrArn);
      if (m) {
        if (m[1] !== accountId) throw new RangeError(`iam: instance profile ARN ${JSON.stringify(nameOrArn)}: expected the sandbox's account ${accountId}`);
        return create(m[3]!, m[2] ?? '/');
      }
      if (!NAME_RE.test(nameOrArn)) throw new RangeError(`iam: instance profile: expected a name (letters, digits, +=,.@_-) or an instance-profile ARN, found ${JSON.stringify(nameOrArn)}`);
      return create(nameOrArn);
    },
    deleteInstanceProfile(name) {
      const had = profiles.delete(name);
      if (had) onChange();
      return had;
    },
    admin(action, body) {
      const where = `iam admin '${action}'`;
      if (action === 'state') return { instanceProfiles: [...profiles.values()] };
      const ref = typeof body.arn === 'string' ? body.arn : body.name;
      if (typeof ref !== 'string') throw new TypeError(`${where}: expected {name} or {arn} of an instance profile, found ${JSON.stringify(body)}`);
      if (action === 'create-instance-profile') return sandbox.createInstanceProfile(ref);
      if (action === 'delete-instance-profile') {
        const m = PROFILE_ARN_RE.exec(ref);
        return { deleted: sandbox.deleteInstanceProfile(m ? m[3]! : ref) };
      }
      throw new TypeError(`${where}: unknown action; expected one of create-instance-profile, delete-instance-profile, state`);
    },
    reset() {
      profiles.clear();
      onChange();
    },
    snapshot: () => ({ version: IAM_SNAPSHOT_VERSION, takenAtMs: clock.now(), instanceProfiles: [...profiles.values()] }),
    restore(value) {
      const v = value as Partial<IamSnapshot> | null;
      if (typeof v !== 'object' || v === null || v.version !== IAM_SNAPSHOT_VERSION || !Array.isArray(v.instanceProfiles)) {
        throw new TypeError(`iam snapshot: expected {version: ${IAM_SNAPSHOT_VERSION}, instanceProfiles: [...]}, found ${JSON.stringify(value)?.slice(0, 100)}`);
      }
      profiles.clear();
      for (const p of v.instanceProfiles) profiles.set(p.name, p);
    },
  };
  return sandbox;
}
