import type { Clock } from '../clock.js';
import { COMMERCIAL_REGION_NAMES } from '../regions.js';
import type { SeededRandom } from '../random.js';
import type { FrontEndProblem, SandboxService, ServiceRequest, ServiceResponse } from '../service.js';
import { ApplicationModel, type ApplicationAnswer, type ProbeProtocol } from './applications.js';
import type { Ec2Context } from './context.js';
import { Ec2Error } from './errors.js';
import { FaultInjector, type FaultConfig } from './faults.js';
import { copyImage, createImage, deleteSnapshot, deregisterImage, describeImages, describeSnapshots, enableImageDeprecation } from './images.js';
import { createLaunchTemplate, describeInstanceStatus, describeInstances, describeLaunchTemplates, isListed, runInstances, stopInstances, terminateInstances } from './instances.js';
import { addKeyPair, createKeyPair, deleteKeyPair, describeKeyPairs } from './keypairs.js';
import { describeInstanceTypeOfferings, describeInstanceTypes } from './offerings.js';
import { Preconditions, type Denial, type Ec2Integrations } from './preconditions.js';
import { LatencySampler, resolveLatency, type LatencyModel } from './latency.js';
import { IdGenerator, iso, RegionState, TransitionQueue, type ImageRecord, type InstanceRecord, type SnapshotRecord, type Tags } from './model.js';
import { checkEc2Snapshot, restoreRegion, snapshotEc2, type Ec2Snapshot } from './persist.js';
import {
  bootstrapRegion,
  deleteSubnet,
  describeAvailabilityZones,
  describeRegions,
  describeSecurityGroups,
  describeSubnets,
  describeVpcs,
  seedSecurityGroup,
  seedSubnet,
  type SeedSubnetOptions,
} from './network.js';
import { QueryParams } from './query.js';
import { snapshotProgress } from './render.js';
import { seedInstances, type SeedInstance } from './seed.js';
import { createTags, deleteTags } from './tags.js';
import { applyTransition } from './transitions.js';
import { OtherProcessWatch } from './watch.js';
import { errorDocument, responseDocument, type XmlNode } from './xml.js';

export type { FaultConfig } from './faults.js';
export type { Denial, Ec2Integrations, InstanceTypeInfo } from './preconditions.js';
export { INSTANCE_TYPES, STANDARD_VCPU_QUOTA_CODE } from './preconditions.js';
export { APPLICATION_TAGS, DEFAULT_APPLICATION, ApplicationModel } from './applications.js';
export type { ApplicationAnswer, ApplicationListener, ApplicationView, ApplicationsConfig, ProbeProtocol, ProbeRequest } from './applications.js';
export type { LatencyModel } from './latency.js';
export type { SeedInstance } from './seed.js';
export type { Ec2Snapshot, RegionSnapshot } from './persist.js';
export { EC2_SNAPSHOT_VERSION } from './persist.js';
export type { Transition, ScheduledTransition } from './model.js';
export { DEFAULT_LATENCY } from './latency.js';
export { DEFAULT_CONCURRENT_COPY_LIMIT, DEFAULT_CONCURRENT_SNAPSHOT_COPY_LIMIT } from './faults.js';

/** The regions a sandbox EC2 serves unless told otherwise: every commercial region (created on first use). */
export const DEFAULT_REGIONS: readonly string[] = COMMERCIAL_REGION_NAMES;

/**
 * Header a response carries when the region is unreachable: the server should destroy the
 * socket without answering (the SDK then reports a network error such as `ECONNRESET`, as for a
 * dead endpoint). A server that ignores it still sends a body-less 503, which the SDK treats as
 * a transient server error.
 */
export const UNREACHABLE_HEADER = 'x-sandbox-unreachable';

/** Options of {@link createEc2Service}. */
export interface Ec2ServiceOptions {
  readonly clock: Clock;
  readonly random: SeededRandom;
  readonly accountId: string;
  /** @default DEFAULT_REGIONS */
  readonly regions?: readonly string[];
  /** Overrides of {@link DEFAULT_LATENCY}. */
  readonly latency?: Partial<LatencyModel>;
  readonly faults?: FaultConfig;
  /**
   * How long (wall ms) a resource named by a request from another process is watched, its next
   * transition held until another-process request has seen the state it ends (`watch.ts`).
   * 0 turns this off.
   * @default 0 (the sandbox passes 30,000)
   */
  readonly otherProcessWatchMs?: number;
  /**
   * Told (synchronously) after anything that changes the state a {@link Ec2Sandbox.snapshot}
   * holds: a mutating API call, a transition applied, a seed, a reset. Read-only calls do not
   * tell it. The sandbox uses it to schedule a write to its store.
   */
  readonly onChange?: () => void;
  /** What EC2 asks other services (STS principals, KMS keys, IAM instance profiles, Service Quotas). */
  readonly integrations?: Ec2Integrations;
}

/** A plain-JSON view of an image for tests and seeding code. */
export interface ImageView {
  readonly imageId: string;
  readonly name: string;
  readonly state: string;
  readonly ownerId: string;
  readonly creationDate: string;
  readonly sourceInstanceId?: string;
  readonly sourceImageId?: string;
  readonly sourceImageRegion?: string;
  readonly stateReason?: { code: string; message: string };
  readonly tags: Record<string, string>;
  readonly blockDeviceMappings: { deviceName: string; snapshotId: string; volumeSize: number; encrypted: boolean; kmsKeyId?: string }[];
  /** Epoch ms at which a pending image turns available/failed. */
  readonly readyAt?: number;
}

/** A plain-JSON view of an instance. */
export interface InstanceView {
  readonly instanceId: string;
  readonly imageId: string;
  readonly instanceType: string;
  readonly state: string;
  readonly status: string;
  /** Epoch ms at which the status checks finished (ok or impaired), once they have. */
  readonly statusAt?: number;
  readonly subnetId: string;
  readonly availabilityZone: string;
  readonly launchTime: string;
  readonly clientToken?: string;
  readonly tags: Record<string, string>;
  readonly volumes: { volumeId: string; sizeGiB: number; encrypted: boolean; tags: Record<string, string> }[];
}

/** A plain-JSON view of a snapshot. */
export interface SnapshotView {
  readonly snapshotId: string;
  readonly state: string;
  readonly progress: number;
  /** Epoch ms at which it started (EC2's `StartTime`). */
  readonly startedAt: number;
  /** Epoch ms at which it completed (or will, while pending). */
  readonly completedAt: number;
  readonly volumeSize: number;
  readonly encrypted: boolean;
  readonly kmsKeyId?: string;
  readonly tags: Record<string, string>;
}

/** In-process access to one region (tests, seeding, the demo report). */
export interface Ec2RegionView {
  readonly name: string;
  /** Registered images owned by the account (pass `{ includePublic: true }` for Amazon's too). */
  images(options?: { state?: string; includePublic?: boolean }): ImageView[];
  /** Instances still listed by DescribeInstances. */
  instances(options?: { state?: string }): InstanceView[];
  /** The account's snapshots. */
  snapshots(options?: { state?: string }): SnapshotView[];
  subnets(): { subnetId: string; availabilityZone: string; isDefaultForAz: boolean; vpcId: string }[];
  securityGroups(): { groupId: string; groupName: string; vpcId: string }[];
  /** The account's default EBS KMS key ARN here. */
  readonly defaultKmsKeyId: string;
}

/** The EC2 sandbox: the HTTP-facing service, the admin entry point and an in-process API. */
export interface Ec2Sandbox {
  readonly service: SandboxService;
  /**
   * Admin actions, as the server's `POST /_sandbox/<action>` hands them over:
   * `faults.set` (a {@link FaultConfig}, replaces all faults), `faults.clear`, `faults.get`,
   * `outage` (`{region, isDown?}`; `isDown` defaults to true), `seed-instances`
   * (`{region, instances: SeedInstance[]}` → `{instanceIds}`), `seed-network`
   * (`{region, subnets?, securityGroups?}`), `state` (`{region?}` → a JSON dump).
   * Bad input throws a `TypeError` naming the action and the path.
   */
  admin(action: string, body: unknown): unknown;
  /** Seeds instances (see {@link SeedInstance}); returns their ids. */
  seedInstances(region: string, instances: readonly SeedInstance[]): string[];
  /** Adds subnets (default VPC) with given or generated ids. */
  seedSubnets(region: string, subnets: readonly SeedSubnetOptions[]): string[];
  /** Adds security groups (default VPC) with given or generated ids. */
  seedSecurityGroups(region: string, groups: readonly { groupId?: string; groupName?: string; vpcId?: string }[]): string[];
  region(name: string): Ec2RegionView;
  readonly regions: readonly string[];
  /** Denies an action (`RunInstances`, or `*`) to an access key, a principal ARN, or everyone: calls answer UnauthorizedOperation. */
  deny(denial: Denial): void;
  /** Removes matching denials (all of them without an argument). */
  allow(denial?: Partial<Denial>): void;
  /** Withdraws an instance type from zones of a region (every zone when none is named): RunInstances there answers Unsupported. */
  withdrawInstanceType(region: string, instanceType: string, zones?: readonly string[]): void;
  /** Offers a withdrawn type again. */
  restoreInstanceType(region: string, instanceType?: string, zones?: readonly string[]): void;
  /** Adds key pairs by name; returns their ids. */
  seedKeyPairs(region: string, names: readonly string[]): string[];
  /** Removes a subnet outright (even with instances in it), as a fault. */
  removeSubnet(region: string, subnetId: string): void;
  /**
   * The applications the instances run (boot time, listeners, faults): configure with
   * `set`/`clear`, read with `describe`, probe with `answer` (see `applications.ts`).
   */
  readonly applications: ApplicationModel;
  /**
   * What a probe of an instance's application gets, for other sandbox services (a load
   * balancer's target health) and tests: `target` is an instance id or a private address in
   * `region`; `nowMs` defaults to the clock's now.
   *
   * @example ec2.applicationAnswer('us-west-2', '172.31.4.17', 'http', 80, '/health') // { outcome: 'answered', status: 200, … }
   */
  applicationAnswer(region: string, target: string, protocol: ProbeProtocol, port: number, path?: string, nowMs?: number): ApplicationAnswer;
  /** Replaces the fault configuration. */
  setFaults(faults: FaultConfig): void;
  clearFaults(): void;
  /** Marks a region unreachable (or reachable again). */
  setOutage(region: string, isDown: boolean): void;
  /** Applies every state transition due by `clock.now()` (also done before each request). */
  settle(): void;
  /** Forgets every resource, token and fault: each region is fresh again (new ids). */
  reset(): void;
  /** Cancels pending transitions' timers. */
  dispose(): void;
  /**
   * The state as plain JSON: every region's resources and tokens, pending transitions with their
   * absolute due times, the id generator's position. Faults and outages are not included.
   */
  snapshot(): Ec2Snapshot;
  /**
   * Replaces the state with a snapshot's. Regions of the snapshot that this sandbox does not
   * serve are skipped (each reported to `onSkip`); served regions the snapshot lacks stay fresh.
   * Pending transitions keep their due times: those already past apply at the next request or
   * clock tick. The id generator moves on to the snapshot's position, so new ids never repeat
   * old ones (given the same seed).
   *
   * @throws TypeError when `snapshot` is not an {@link Ec2Snapshot} (the message names the member).
   */
  restore(snapshot: unknown, onSkip?: (message: string) => void): void;
}

type Operation = (ctx: Ec2Context, r: RegionState, p: QueryParams) => XmlNode;

const OPERATIONS: Readonly<Record<string, Operation>> = {
  CreateImage: createImage,
  CopyImage: copyImage,
  DescribeImages: describeImages,
  DeregisterImage: deregisterImage,
  EnableImageDeprecation: enableImageDeprecation,
  DescribeSnapshots: describeSnapshots,
  DeleteSnapshot: deleteSnapshot,
  CreateTags: createTags,
  DeleteTags: deleteTags,
  RunInstances: runInstances,
  DescribeInstances: describeInstances,
  TerminateInstances: terminateInstances,
  StopInstances: stopInstances,
  CreateKeyPair: createKeyPair,
  DescribeKeyPairs: describeKeyPairs,
  DeleteKeyPair: deleteKeyPair,
  DeleteSubnet: deleteSubnet,
  DescribeInstanceTypeOfferings: describeInstanceTypeOfferings,
  DescribeInstanceTypes: describeInstanceTypes,
  DescribeInstanceStatus: describeInstanceStatus,
  CreateLaunchTemplate: createLaunchTemplate,
  DescribeLaunchTemplates: describeLaunchTemplates,
  DescribeRegions: (ctx, _r, p) => describeRegions(ctx, p),
  DescribeAvailabilityZones: (_ctx, r, p) => describeAvailabilityZones(r, p),
  DescribeSubnets: describeSubnets,
  DescribeSecurityGroups: describeSecurityGroups,
  DescribeVpcs: describeVpcs,
};

/**
 * The EC2 error a request refused by the server's front end gets (status, code), in EC2's XML.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
 */
const FRONT_END_ERRORS: Readonly<Record<FrontEndProblem['kind'], readonly [number, string]>> = {
  'too-large': [413, 'RequestEntityTooLarge'],
  'bad-encoding': [400, 'InvalidParameterValue'],
  'too-deep': [400, 'InvalidParameterValue'],
  forbidden: [403, 'UnauthorizedOperation'],
};

/** The operations the sandbox answers. */
export const EC2_OPERATIONS = Object.keys(OPERATIONS);

const tagsJson = (t: Tags): Record<string, string> => Object.fromEntries(t);

function imageView(i: ImageRecord): ImageView {
  return {
    imageId: i.imageId,
    name: i.name,
    state: i.state,
    ownerId: i.ownerId,
    creationDate: i.creationDate,
    sourceInstanceId: i.sourceInstanceId,
    sourceImageId: i.sourceImageId,
    sourceImageRegion: i.sourceImageRegion,
    stateReason: i.stateReason,
    tags: tagsJson(i.tags),
    blockDeviceMappings: i.blockDeviceMappings.map((m) => ({ deviceName: m.deviceName, snapshotId: m.snapshotId, volumeSize: m.volumeSize, encrypted: m.encrypted, kmsKeyId: m.kmsKeyId })),
    readyAt: i.readyAt,
  };
}

function instanceView(i: InstanceRecord): InstanceView {
  return {
    instanceId: i.instanceId,
    imageId: i.imageId,
    instanceType: i.instanceType,
    state: i.state,
    status: i.state === 'running' ? i.status : 'not-applicable',
    subnetId: i.subnetId,
    availabilityZone: i.availabilityZone,
    launchTime: iso(i.launchTime),
    clientToken: i.clientToken,
    statusAt: i.statusAt,
    tags: tagsJson(i.tags),
    volumes: i.volumes.map((v) => ({ volumeId: v.volumeId, sizeGiB: v.sizeGiB, encrypted: v.encrypted, tags: tagsJson(v.tags) })),
  };
}

function snapshotView(s: SnapshotRecord, now: number): SnapshotView {
  return { snapshotId: s.snapshotId, state: s.state, progress: snapshotProgress(s, now), startedAt: s.startTime, completedAt: s.completionTime ?? s.doneAt, volumeSize: s.volumeSize, encrypted: s.encrypted, kmsKeyId: s.kmsKeyId, tags: tagsJson(s.tags) };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Creates the simulated EC2 regions. Each region starts with a default VPC (a default subnet per
 * zone), a default security group and Amazon's public base images; state changes follow the
 * latency model on `clock`; faults come from `faults` and the admin actions.
 *
 * @example
 * const ec2 = createEc2Service({ clock, random, accountId: '123456789012' });
 * server.mount(ec2.service);
 * ec2.seedInstances('us-east-1', [{ instanceType: 'm5.large', subnetId: 'subnet-0123456789abcdef0', tags: { app: 'shop' }, volumes: [{ sizeGiB: 20, encrypted: true }] }]);
 */
export function createEc2Service(options: Ec2ServiceOptions): Ec2Sandbox {
  const { clock, accountId } = options;
  if (!/^\d{12}$/.test(accountId)) throw new TypeError(`ec2 sandbox › accountId: expected 12 digits, found ${JSON.stringify(accountId)}`);
  const regionNames = [...(options.regions ?? DEFAULT_REGIONS)];
  if (regionNames.length === 0) throw new TypeError('ec2 sandbox › regions: expected at least one region, found []');
  const ids = new IdGenerator(options.random.fork('ec2-ids'));
  const requestIds = options.random.fork('ec2-request-ids');
  const faults = new FaultInjector(options.random.fork('ec2-faults'), options.faults);
  const preconditions = new Preconditions(options.integrations);
  const onChange = options.onChange ?? (() => {});
  // `ctx` is read only when a transition applies, by which time it exists.
  const queue: TransitionQueue = new TransitionQueue(
    clock,
    (t, at) => {
      applyTransition(ctx, t, at);
      watch.transitioned(t);
    },
    () => {
      onChange();
      watch.refresh();
    },
  );
  const watch = new OtherProcessWatch(clock, queue, options.otherProcessWatchMs ?? 0);
  const regions = new Map<string, RegionState>();
  const served = new Set(regionNames);
  /** A served region, created (default VPC, subnets, base images) the first time it is read. */
  const region = (name: string): RegionState | undefined => {
    const existing = regions.get(name);
    if (existing || !served.has(name)) return existing;
    const r = new RegionState(name, accountId, ids);
    regions.set(name, r);
    bootstrapRegion(ctx, r);
    onChange();
    return r;
  };
  const ctx: Ec2Context = {
    accountId,
    clock,
    ids,
    latency: new LatencySampler(resolveLatency(options.latency), options.random.fork('ec2-latency')),
    faults,
    preconditions,
    queue,
    regions,
    served: regionNames,
    region,
    call: { operation: '' },
  };

  const regionState = (name: unknown, where: string): RegionState => {
    const r = typeof name === 'string' ? region(name) : undefined;
    if (!r) throw new TypeError(`${where} › region: expected one of ${regionNames.join(', ')}, found ${JSON.stringify(name)}`);
    return r;
  };

  const xmlResponse = (status: number, body: string, requestId: string, extra: Record<string, string> = {}): ServiceResponse => ({
    status,
    headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-RequestId': requestId, ...extra },
    body,
  });

  const service: SandboxService = {
    matches(req: ServiceRequest): boolean {
      if (req.signingService !== undefined) return req.signingService === 'ec2';
      const ct = req.headers['content-type'] ?? '';
      return ct.startsWith('application/x-www-form-urlencoded') && /(^|&)Version=2016-11-15(&|$)/.test(req.body.toString('utf8'));
    },
    async handle(req: ServiceRequest): Promise<ServiceResponse> {
      queue.runDue();
      const requestId = requestIds.uuid();
      const r = !faults.isDown(req.region) ? region(req.region) : undefined;
      if (!r) {
        // No such endpoint / injected outage: nothing answers (see UNREACHABLE_HEADER).
        return { status: 503, headers: { [UNREACHABLE_HEADER]: 'true' }, body: '' };
      }
      let action = '(unknown)';
      try {
        const p = QueryParams.parse(req.body.toString('utf8'));
        const a = p.get('Action');
        if (a === undefined) throw new Ec2Error('MissingAction', 'The request must contain the parameter Action');
        action = a;
        // Only the table's own keys: `toString`, `__proto__` and the like are not operations.
        const op = Object.hasOwn(OPERATIONS, action) ? OPERATIONS[action] : undefined;
        if (!op) throw new Ec2Error('InvalidAction', `The action ${action} is not valid for this web service.`);
        preconditions.authorize(action, req.accessKeyId);
        faults.beforeCall(action, r.name);
        ctx.call.operation = action;
        const body = op(ctx, r, p);
        if (!action.startsWith('Describe')) onChange();
        const document = responseDocument(action, requestId, body);
        if (req.isFromOtherProcess) watch.answered(action, document);
        return xmlResponse(200, document, requestId);
      } catch (e) {
        if (e instanceof Ec2Error) return xmlResponse(e.status, errorDocument(e.code, e.message, requestId), requestId);
        const message = e instanceof Error ? e.message : String(e);
        return xmlResponse(500, errorDocument('InternalError', `ec2 sandbox › ${action}: ${message}`, requestId), requestId);
      }
    },
    reject(_req: ServiceRequest, problem: FrontEndProblem): ServiceResponse {
      const requestId = requestIds.uuid();
      const [status, code] = FRONT_END_ERRORS[problem.kind];
      return xmlResponse(status, errorDocument(code, problem.message, requestId), requestId);
    },
  };

  const view = (name: string): Ec2RegionView => {
    const r = regionState(name, 'ec2 region()');
    return {
      name,
      defaultKmsKeyId: r.defaultKmsKeyId,
      images: (o = {}) => {
        queue.runDue();
        return [...r.images.values()].filter((i) => (o.includePublic || i.ownerId === accountId) && (o.state === undefined || i.state === o.state)).map(imageView);
      },
      instances: (o = {}) => {
        queue.runDue();
        const now = clock.now();
        return [...r.instances.values()].filter((i) => isListed(i, now) && (o.state === undefined || i.state === o.state)).map(instanceView);
      },
      snapshots: (o = {}) => {
        queue.runDue();
        const now = clock.now();
        return [...r.snapshots.values()].filter((s) => s.ownerId === accountId && (o.state === undefined || s.state === o.state)).map((s) => snapshotView(s, now));
      },
      subnets: () => [...r.subnets.values()].map((s) => ({ subnetId: s.subnetId, availabilityZone: s.availabilityZone, isDefaultForAz: s.isDefaultForAz, vpcId: s.vpcId })),
      securityGroups: () => [...r.securityGroups.values()].map((g) => ({ groupId: g.groupId, groupName: g.groupName, vpcId: g.vpcId })),
    };
  };

  const changed = <T>(result: T): T => {
    onChange();
    return result;
  };

  const applications = new ApplicationModel({ clock, regions, settle: () => queue.runDue() });

  const sandbox: Ec2Sandbox = {
    service,
    applications,
    applicationAnswer: (region, target, protocol, port, path, nowMs) => applications.answer({ region, target, protocol, port, ...(path !== undefined ? { path } : {}), ...(nowMs !== undefined ? { nowMs } : {}) }),
    regions: regionNames,
    region: view,
    seedInstances: (region, instances) => changed(seedInstances(ctx, regionState(region, 'ec2 seedInstances'), instances)),
    seedSubnets: (region, subnets) => changed(subnets.map((s) => seedSubnet(ctx, regionState(region, 'ec2 seedSubnets'), s).subnetId)),
    seedSecurityGroups: (region, groups) => changed(groups.map((g) => seedSecurityGroup(ctx, regionState(region, 'ec2 seedSecurityGroups'), g).groupId)),
    setFaults: (f) => faults.set(f),
    clearFaults: () => faults.clear(),
    setOutage: (region, isDown) => {
      regionState(region, 'ec2 setOutage');
      faults.setOutage(region, isDown);
    },
    settle: () => queue.runDue(),
    dispose: () => {
      queue.clear();
      watch.clear();
    },
    reset: () => {
      queue.clear();
      watch.clear();
      regions.clear();
      faults.clear();
      applications.clear();
      preconditions.reset();
      onChange();
    },
    deny: (denial) => preconditions.deny(denial),
    allow: (denial) => preconditions.allow(denial),
    withdrawInstanceType: (region, instanceType, zones) => {
      const r = regionState(region, 'ec2 withdrawInstanceType');
      preconditions.withdraw(r.name, zones ?? r.availabilityZones, instanceType);
    },
    restoreInstanceType: (region, instanceType, zones) => {
      const r = regionState(region, 'ec2 restoreInstanceType');
      preconditions.restore(r.name, zones ?? r.availabilityZones, instanceType);
    },
    seedKeyPairs: (region, names) => changed(names.map((n) => addKeyPair(ctx, regionState(region, 'ec2 seedKeyPairs'), n).keyPairId)),
    removeSubnet: (region, subnetId) => {
      const r = regionState(region, 'ec2 removeSubnet');
      if (!r.subnets.delete(subnetId)) throw new TypeError(`ec2 removeSubnet › subnetId: no subnet ${JSON.stringify(subnetId)} in ${r.name}`);
      onChange();
    },
    snapshot: () => snapshotEc2(regions, queue.snapshot(), ids, clock.now()),
    restore(value: unknown, onSkip: (message: string) => void = () => {}): void {
      const snap = checkEc2Snapshot(value);
      const restored = new Map<string, RegionState>();
      for (const [name, rs] of Object.entries(snap.regions)) {
        if (!regionNames.includes(name)) {
          onSkip(`ec2 restore › regions.${name}: expected one of the served regions (${regionNames.join(', ')}); its resources are not loaded`);
          continue;
        }
        restored.set(name, restoreRegion(name, accountId, rs));
      }
      queue.clear();
      regions.clear();
      for (const [name, r] of restored) regions.set(name, r);
      ids.skipTo(snap.idPosition);
      for (const { at, transition } of snap.transitions) if (restored.has(transition.region)) queue.at(at, transition);
    },
    admin(action: string, body: unknown): unknown {
      const where = `ec2 admin '${action}'`;
      const b = body ?? {};
      if (!isObject(b)) throw new TypeError(`${where}: expected a JSON object body, found ${JSON.stringify(body)}`);
      switch (action) {
        case 'faults.set':
          faults.set(b);
          return { faults: faults.snapshot() };
        case 'faults.clear':
          faults.clear();
          return { faults: faults.snapshot() };
        case 'faults.get':
          return { faults: faults.snapshot() };
        case 'outage': {
          const r = regionState(b.region, where);
          const isDown = b.isDown ?? true;
          if (typeof isDown !== 'boolean') throw new TypeError(`${where} › isDown: expected true or false, found ${JSON.stringify(b.isDown)}`);
          faults.setOutage(r.name, isDown);
          return { region: r.name, isDown };
        }
        case 'deny':
        case 'allow': {
          for (const k of ['accessKeyId', 'principalArn'] as const) {
            if (b[k] !== undefined && typeof b[k] !== 'string') throw new TypeError(`${where} › ${k}: expected a string, found ${JSON.stringify(b[k])}`);
          }
          const denial = { action: b.action as string, accessKeyId: b.accessKeyId as string | undefined, principalArn: b.principalArn as string | undefined };
          if (action === 'deny') preconditions.deny(denial);
          else preconditions.allow(b.action === undefined ? undefined : denial);
          return { denials: preconditions.listDenials() };
        }
        case 'denials':
          return { denials: preconditions.listDenials() };
        case 'offerings.withdraw':
        case 'offerings.restore': {
          const r = regionState(b.region, where);
          if (b.instanceType !== undefined && typeof b.instanceType !== 'string') throw new TypeError(`${where} › instanceType: expected an instance type such as "m5.large", found ${JSON.stringify(b.instanceType)}`);
          const zone = b.availabilityZone;
          if (zone !== undefined && (typeof zone !== 'string' || !r.availabilityZones.includes(zone))) {
            throw new TypeError(`${where} › availabilityZone: expected one of ${r.availabilityZones.join(', ')}, found ${JSON.stringify(zone)}`);
          }
          const zones = zone === undefined ? r.availabilityZones : [zone as string];
          if (action === 'offerings.withdraw') {
            if (b.instanceType === undefined) throw new TypeError(`${where} › instanceType: required (the type to withdraw)`);
            preconditions.withdraw(r.name, zones, b.instanceType as string);
          } else preconditions.restore(r.name, zones, b.instanceType as string | undefined);
          return { withdrawn: preconditions.withdrawals() };
        }
        case 'offerings.get':
          return { withdrawn: preconditions.withdrawals() };
        case 'remove-subnet': {
          const r = regionState(b.region, where);
          if (typeof b.subnetId !== 'string' || !r.subnets.has(b.subnetId)) throw new TypeError(`${where} › subnetId: expected a subnet of ${r.name}, found ${JSON.stringify(b.subnetId)}`);
          r.subnets.delete(b.subnetId);
          onChange();
          return { removed: b.subnetId };
        }
        case 'seed-instances': {
          const r = regionState(b.region, where);
          const instanceIds = seedInstances(ctx, r, b.instances);
          onChange();
          return { instanceIds };
        }
        case 'seed-network': {
          const r = regionState(b.region, where);
          const subnets = (b.subnets ?? []) as SeedSubnetOptions[];
          const groups = (b.securityGroups ?? []) as { groupId?: string; groupName?: string }[];
          if (!Array.isArray(subnets)) throw new TypeError(`${where} › subnets: expected an array, found ${JSON.stringify(b.subnets)}`);
          if (!Array.isArray(groups)) throw new TypeError(`${where} › securityGroups: expected an array, found ${JSON.stringify(b.securityGroups)}`);
          const keyPairs = (b.keyPairs ?? []) as string[];
          if (!Array.isArray(keyPairs) || keyPairs.some((k) => typeof k !== 'string')) throw new TypeError(`${where} › keyPairs: expected an array of key pair names, found ${JSON.stringify(b.keyPairs)}`);
          const seeded = {
            subnetIds: subnets.map((s) => seedSubnet(ctx, r, s).subnetId),
            securityGroupIds: groups.map((g) => seedSecurityGroup(ctx, r, g).groupId),
            ...(keyPairs.length > 0 ? { keyPairIds: keyPairs.map((k) => (r.keyPairs.has(k) ? r.keyPairs.get(k)!.keyPairId : addKeyPair(ctx, r, k).keyPairId)) } : {}),
          };
          onChange();
          return seeded;
        }
        case 'applications.set':
          return { applications: applications.set(b) };
        case 'applications.get':
          return { applications: applications.get() };
        case 'applications.clear':
          applications.clear();
          return { applications: applications.get() };
        case 'applications.describe': {
          if (b.region !== undefined) regionState(b.region, where);
          return { applications: applications.describe(b.region as string | undefined) };
        }
        case 'applications.answer': {
          const r = regionState(b.region, where);
          return applications.answer({ region: r.name, target: b.target as string, protocol: b.protocol as ProbeProtocol, port: b.port as number, ...(b.path !== undefined ? { path: b.path as string } : {}), ...(b.nowMs !== undefined ? { nowMs: b.nowMs as number } : {}) });
        }
        case 'state': {
          queue.runDue();
          // Without a region: the regions in use (listing one does not create it).
          const names = b.region === undefined ? [...regions.keys()] : [regionState(b.region, where).name];
          return {
            now: iso(clock.now()),
            faults: faults.snapshot(),
            regions: Object.fromEntries(
              names.map((n) => {
                const v = view(n);
                return [n, { images: v.images(), instances: v.instances(), snapshots: v.snapshots(), subnets: v.subnets(), securityGroups: v.securityGroups() }];
              }),
            ),
          };
        }
        default:
          throw new TypeError(`${where}: unknown action; expected one of faults.set, faults.clear, faults.get, outage, deny, allow, denials, offerings.withdraw, offerings.restore, offerings.get, remove-subnet, seed-instances, seed-network, state, applications.set, applications.get, applications.clear, applications.describe, applications.answer`);
      }
    },
  };
  return sandbox;
}
