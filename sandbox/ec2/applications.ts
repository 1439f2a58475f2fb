/**
 * The applications that the sandbox's instances run, as a probe sees them: once an instance is
 * `running`, its application boots for a while (seeded per instance), then answers on its
 * listeners; a fault makes it answer an error status, refuse connections or time out. Nothing here
 * opens a socket: an answer is computed from the EC2 state and the clock, and the server's forward
 * proxy (`server.ts`) or another service (a load balancer's target health) turns it into what a
 * client sees.
 *
 * Where an instance's application comes from, first match wins for each setting:
 * 1. a rule of the admin configuration (`ec2.applications.set`) matching the instance;
 * 2. the instance's tags `sandbox:app-boot-seconds`, `sandbox:app-listeners`, `sandbox:app-fault`;
 * 3. the same tags on the image it was launched from (so every instance of an image behaves alike);
 * 4. the configuration's `defaults`; 5. {@link DEFAULT_APPLICATION}.
 *
 * @example
 * ec2.applications.set({ rules: [{ match: { tags: { tier: 'db' } }, listeners: [{ port: 5432, protocol: 'tcp' }] }] });
 * ec2.applications.answer({ region: 'us-west-2', target: '172.31.4.17', protocol: 'http', port: 80, path: '/health' });
 * // → { outcome: 'answered', status: 200, instanceId: 'i-…', … }
 */
import { createHash } from 'node:crypto';
import type * as Zod from 'zod';
import type { Clock } from '../clock.js';
import { isListed } from './instances.js';
import type { InstanceRecord, RegionState, Tags } from './model.js';
import { zodProblems } from './seed.js';
import { zod } from './zod.js';

/** Tag keys an instance (or its image) may carry to shape its application. */
export const APPLICATION_TAGS = {
  /** `"600"` (seconds) or `"30-90"` (a seeded draw in that range). */
  bootSeconds: 'sandbox:app-boot-seconds',
  /** `"http:80,https:443,tcp:5432"`; a listener may add a status: `"http:8080=503"`. */
  listeners: 'sandbox:app-listeners',
  /** `"refused"`, `"timeout"` or an HTTP status (`"503"`). */
  fault: 'sandbox:app-fault',
} as const;

/** What a probe asks over. */
export type ProbeProtocol = 'http' | 'https' | 'tcp';

/** The schemas of the applications configuration, built on first use (zod is loaded then: `zod.ts`). */
function buildSchemas(z: typeof Zod) {
  const ListenerSchema = z.strictObject({
    port: z.number().int().min(1).max(65535),
    protocol: z.enum(['http', 'https', 'tcp']),
    /** The status of a path not in `paths` (http/https). @default 200 */
    status: z.number().int().min(100).max(599).optional(),
    /** Status per exact path (without the query string), e.g. `{ "/health": 200, "/": 404 }`. */
    paths: z.record(z.string().startsWith('/'), z.number().int().min(100).max(599)).optional(),
  });

  const BootSchema = z.union([
    z.number().min(0).max(7 * 24 * 3600),
    z.strictObject({ min: z.number().min(0).max(7 * 24 * 3600), max: z.number().min(0).max(7 * 24 * 3600) }).refine((b) => b.max >= b.min, 'expected max ≥ min'),
  ]);

  const MatchSchema = z.strictObject({
    region: z.string().optional(),
    instanceIds: z.array(z.string()).optional(),
    imageIds: z.array(z.string()).optional(),
    privateIps: z.array(z.string()).optional(),
    /** Every tag must match (the instance's own tags). */
    tags: z.record(z.string(), z.string()).optional(),
  });

  /** What an application's fault answers instead: an HTTP status, a refused connection or silence. */
  const FaultAnswerSchema = z.union([z.literal('refused'), z.literal('timeout'), z.number().int().min(100).max(599)]);

  const RuleSchema = MatchSchema.extend({
    bootSeconds: BootSchema.optional(),
    listeners: z.array(ListenerSchema).min(1).optional(),
  });

  const FaultSchema = MatchSchema.extend({
    /** `refused`, `timeout`, or the HTTP status every request gets (TCP probes still connect). */
    answer: FaultAnswerSchema,
    /** Only these ports. @default every listener */
    ports: z.array(z.number().int().min(1).max(65535)).optional(),
  });

  /** The admin configuration (`ec2.applications.set`): not state, so neither saved nor restored, like faults. */
  const ApplicationsConfigSchema = z.strictObject({
    defaults: z.strictObject({ bootSeconds: BootSchema.optional(), listeners: z.array(ListenerSchema).min(1).optional() }).optional(),
    rules: z.array(RuleSchema).optional(),
    faults: z.array(FaultSchema).optional(),
  });
  return { ListenerSchema, BootSchema, MatchSchema, FaultAnswerSchema, ApplicationsConfigSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;
let schemas: Schemas | undefined;

export type ApplicationListener = Zod.infer<Schemas['ListenerSchema']>;
export type ApplicationsConfig = Zod.input<Schemas['ApplicationsConfigSchema']>;
type Config = Zod.infer<Schemas['ApplicationsConfigSchema']>;
type Boot = Zod.infer<Schemas['BootSchema']>;
type FaultAnswer = Zod.infer<Schemas['FaultAnswerSchema']>;

/** The application every instance runs unless told otherwise: up 30–90 s after `running`, HTTP 200 on 80 and 8080, HTTPS 200 on 443. */
export const DEFAULT_APPLICATION: { readonly bootSeconds: Boot; readonly listeners: readonly ApplicationListener[] } = {
  bootSeconds: { min: 30, max: 90 },
  listeners: [
    { port: 80, protocol: 'http' },
    { port: 443, protocol: 'https' },
    { port: 8080, protocol: 'http' },
  ],
};

/** A probe: which instance (by id or private address), over what, where. */
export interface ProbeRequest {
  readonly region: string;
  /** An instance id (`i-…`) or a private IPv4 address. */
  readonly target: string;
  readonly protocol: ProbeProtocol;
  readonly port: number;
  /** The HTTP path (query string ignored); unused for TCP. @default '/' */
  readonly path?: string;
  /** When the probe happens (epoch ms). @default the sandbox clock's now */
  readonly nowMs?: number;
}

/**
 * What a probe gets:
 * - `answered`: an HTTP(S) response with `status`;
 * - `open`: a TCP connection was accepted;
 * - `refused`: the connection was refused (nothing listens yet, or a fault);
 * - `timeout`: nothing answered (no such host, the instance is not running, or a fault).
 */
export type ApplicationAnswer =
  | { readonly outcome: 'answered'; readonly status: number; readonly detail: string; readonly instanceId: string; readonly privateIp: string }
  | { readonly outcome: 'open'; readonly detail: string; readonly instanceId: string; readonly privateIp: string }
  | { readonly outcome: 'refused' | 'timeout'; readonly detail: string; readonly instanceId?: string; readonly privateIp?: string };

/** One instance's application, resolved (what `describe` shows). */
export interface ApplicationView {
  readonly instanceId: string;
  readonly privateIp: string;
  readonly region: string;
  readonly state: string;
  /** When the application answers (epoch ms), once the instance has been running. */
  readonly readyAt?: number;
  readonly bootSeconds: number;
  readonly listeners: readonly ApplicationListener[];
  readonly fault?: { readonly answer: FaultAnswer; readonly ports?: readonly number[] };
}

/** What the model reads: the regions created so far and the clock. */
export interface ApplicationsHost {
  readonly clock: Clock;
  readonly regions: ReadonlyMap<string, RegionState>;
  /** Applies due EC2 transitions (so `running` is current). */
  settle(): void;
}

const IPV4_RE = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/**
 * The application model of every instance.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html (what a health check expects of an instance)
 */
export class ApplicationModel {
  private config: Config = {};

  constructor(private readonly host: ApplicationsHost) {}

  /**
   * Replaces the configuration.
   *
   * @throws TypeError listing every problem with its path.
   */
  set(config: unknown): Config {
    schemas ??= buildSchemas(zod());
    const parsed = schemas.ApplicationsConfigSchema.safeParse(config ?? {});
    if (!parsed.success) throw new TypeError(zodProblems(parsed.error, 'ec2 applications.set'));
    this.config = parsed.data;
    return this.config;
  }

  /** The configuration in force. */
  get(): Config {
    return this.config;
  }

  /** Back to the defaults (no rules, no faults). */
  clear(): void {
    this.config = {};
  }

  /**
   * What a probe of an instance's application gets at `nowMs`.
   *
   * @throws TypeError for a request out of range (the message names the member).
   */
  answer(request: ProbeRequest): ApplicationAnswer {
    checkRequest(request);
    this.host.settle();
    const now = request.nowMs ?? this.host.clock.now();
    const where = `${request.protocol}://${request.target}:${request.port}`;
    const found = this.find(request.region, request.target, now);
    if (found.kind === 'none') return { outcome: 'timeout', detail: `${where}: no instance in ${request.region} has this ${found.by}; nothing answers` };
    if (found.kind === 'ambiguous') return { outcome: 'timeout', detail: `${where}: ${found.instanceIds.join(' and ')} hold this address; the sandbox routes by address only when one instance holds it` };
    const { instance, region } = found;
    const ids = { instanceId: instance.instanceId, privateIp: instance.privateIpAddress };
    const app = this.resolve(region, instance);
    if (instance.state !== 'running') return { outcome: 'timeout', ...ids, detail: `${where}: instance ${instance.instanceId} is ${instance.state}; nothing answers` };
    if (app.readyAt !== undefined && now < app.readyAt) {
      return { outcome: 'refused', ...ids, detail: `${where}: the application of ${instance.instanceId} is still starting (answers from ${new Date(app.readyAt).toISOString()})` };
    }
    const listener = app.listeners.find((l) => l.port === request.port);
    if (!listener) return { outcome: 'refused', ...ids, detail: `${where}: nothing listens on port ${request.port} of ${instance.instanceId} (listeners: ${app.listeners.map((l) => `${l.protocol}:${l.port}`).join(', ')})` };
    const fault = app.fault && (app.fault.ports === undefined || app.fault.ports.includes(request.port)) ? app.fault.answer : undefined;
    if (fault === 'refused') return { outcome: 'refused', ...ids, detail: `${where}: ${instance.instanceId} refuses connections (fault)` };
    if (fault === 'timeout') return { outcome: 'timeout', ...ids, detail: `${where}: ${instance.instanceId} does not answer (fault)` };
    if (request.protocol === 'tcp') return { outcome: 'open', ...ids, detail: `${where}: ${instance.instanceId} accepted the connection` };
    if (listener.protocol === 'tcp') return { outcome: 'timeout', ...ids, detail: `${where}: port ${request.port} of ${instance.instanceId} accepts connections but does not speak HTTP` };
    if (request.protocol === 'https' && listener.protocol === 'http') return { outcome: 'refused', ...ids, detail: `${where}: port ${request.port} of ${instance.instanceId} speaks plain HTTP; the TLS handshake fails` };
    if (request.protocol === 'http' && listener.protocol === 'https') return { outcome: 'answered', status: 400, ...ids, detail: `${where}: plain HTTP sent to the HTTPS port of ${instance.instanceId}` };
    const path = (request.path ?? '/').split('?')[0]!;
    const status = typeof fault === 'number' ? fault : (listener.paths?.[path] ?? listener.status ?? 200);
    return { outcome: 'answered', status, ...ids, detail: `${where}${path}: ${instance.instanceId} answered ${status}${typeof fault === 'number' ? ' (fault)' : ''}` };
  }

  /** Every listed instance's application in a region (or in every region created so far). */
  describe(region?: string): ApplicationView[] {
    this.host.settle();
    const now = this.host.clock.now();
    const out: ApplicationView[] = [];
    for (const r of this.host.regions.values()) {
      if (region !== undefined && r.name !== region) continue;
      for (const inst of r.instances.values()) {
        if (!isListed(inst, now)) continue;
        const app = this.resolve(r, inst);
        out.push({
          instanceId: inst.instanceId,
          privateIp: inst.privateIpAddress,
          region: r.name,
          state: inst.state,
          ...(app.readyAt !== undefined ? { readyAt: app.readyAt } : {}),
          bootSeconds: app.bootSeconds,
          listeners: app.listeners,
          ...(app.fault ? { fault: app.fault } : {}),
        });
      }
    }
    return out;
  }

  /**
   * The region holding a private address, when exactly one listed instance of all regions holds
   * it (what the forward proxy uses: a probe names an address, not a region).
   */
  regionOf(address: string): string | undefined {
    this.host.settle();
    const now = this.host.clock.now();
    const regions = new Set<string>();
    for (const r of this.host.regions.values()) for (const inst of r.instances.values()) if (inst.privateIpAddress === address && isListed(inst, now)) regions.add(r.name);
    return regions.size === 1 ? [...regions][0] : undefined;
  }

  private find(regionName: string, target: string, now: number):
    | { kind: 'found'; instance: InstanceRecord; region: RegionState }
    | { kind: 'none'; by: string }
    | { kind: 'ambiguous'; instanceIds: string[] } {
    const region = this.host.regions.get(regionName);
    const isId = target.startsWith('i-');
    if (!region) return { kind: 'none', by: isId ? 'id' : 'address' };
    if (isId) {
      const instance = region.instances.get(target);
      return instance && isListed(instance, now) ? { kind: 'found', instance, region } : { kind: 'none', by: 'id' };
    }
    // Terminated instances give their address back; only a listed, not terminated one holds it.
    const holders = [...region.instances.values()].filter((i) => i.privateIpAddress === target && isListed(i, now) && i.state !== 'terminated');
    if (holders.length === 0) return { kind: 'none', by: 'address' };
    if (holders.length > 1) return { kind: 'ambiguous', instanceIds: holders.map((i) => i.instanceId) };
    return { kind: 'found', instance: holders[0]!, region };
  }

  private resolve(region: RegionState, inst: InstanceRecord): { bootSeconds: number; readyAt?: number; listeners: readonly ApplicationListener[]; fault?: { answer: FaultAnswer; ports?: readonly number[] } } {
    const image = region.images.get(inst.imageId);
    const rule = (this.config.rules ?? []).find((r) => matches(r, region.name, inst));
    const boot = rule?.bootSeconds ?? tagBoot(inst.tags) ?? tagBoot(image?.tags) ?? this.config.defaults?.bootSeconds ?? DEFAULT_APPLICATION.bootSeconds;
    const listeners = rule?.listeners ?? tagListeners(inst.tags) ?? tagListeners(image?.tags) ?? this.config.defaults?.listeners ?? DEFAULT_APPLICATION.listeners;
    const configured = (this.config.faults ?? []).find((f) => matches(f, region.name, inst));
    const tagged = tagFault(inst.tags) ?? tagFault(image?.tags);
    const fault = configured ? { answer: configured.answer, ...(configured.ports ? { ports: configured.ports } : {}) } : tagged !== undefined ? { answer: tagged } : undefined;
    const bootSeconds = typeof boot === 'number' ? boot : boot.min + (boot.max - boot.min) * unitDraw(inst.instanceId);
    const roundedMs = Math.round(bootSeconds * 1000);
    // Seeded instances were running before anything watched them: `runningAt` is their launch.
    const runningAt = inst.runningAt ?? (inst.state === 'running' ? inst.launchTime : undefined);
    return { bootSeconds: roundedMs / 1000, listeners, ...(runningAt !== undefined ? { readyAt: runningAt + roundedMs } : {}), ...(fault ? { fault } : {}) };
  }
}

function matches(m: Zod.infer<Schemas['MatchSchema']>, region: string, inst: InstanceRecord): boolean {
  if (m.region !== undefined && m.region !== region) return false;
  if (m.instanceIds !== undefined && !m.instanceIds.includes(inst.instanceId)) return false;
  if (m.imageIds !== undefined && !m.imageIds.includes(inst.imageId)) return false;
  if (m.privateIps !== undefined && !m.privateIps.includes(inst.privateIpAddress)) return false;
  if (m.tags !== undefined && !Object.entries(m.tags).every(([k, v]) => inst.tags.get(k) === v)) return false;
  return true;
}

/**
 * A number in [0, 1) fixed by the instance id alone: the instance ids come from the seeded id
 * stream, so the same seed gives the same boot times, and nothing is drawn from a shared stream
 * (which would move every later id).
 */
function unitDraw(instanceId: string): number {
  return createHash('sha256').update(`application-boot|${instanceId}`).digest().readUInt32LE(0) / 2 ** 32;
}

/** `"600"` or `"30-90"`; anything else is ignored (an instance's tags are not the admin API). */
function tagBoot(tags: Tags | undefined): Boot | undefined {
  const value = tags?.get(APPLICATION_TAGS.bootSeconds)?.trim();
  if (value === undefined) return undefined;
  const range = /^(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)$/.exec(value);
  if (range) {
    const [min, max] = [Number(range[1]), Number(range[2])];
    return max >= min ? { min, max } : undefined;
  }
  return /^\d+(\.\d+)?$/.test(value) ? Number(value) : undefined;
}

/** `"http:80,https:443,tcp:5432,http:8080=503"`; a malformed entry makes the whole tag ignored. */
function tagListeners(tags: Tags | undefined): ApplicationListener[] | undefined {
  const value = tags?.get(APPLICATION_TAGS.listeners);
  if (value === undefined) return undefined;
  const listeners: ApplicationListener[] = [];
  for (const entry of value.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const m = /^(http|https|tcp):(\d{1,5})(?:=(\d{3}))?$/.exec(entry);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) return undefined;
    listeners.push({ protocol: m[1] as ProbeProtocol, port: Number(m[2]), ...(m[3] !== undefined ? { status: Number(m[3]) } : {}) });
  }
  return listeners.length > 0 ? listeners : undefined;
}

function tagFault(tags: Tags | undefined): FaultAnswer | undefined {
  const value = tags?.get(APPLICATION_TAGS.fault)?.trim();
  if (value === 'refused' || value === 'timeout') return value;
  return value !== undefined && /^[1-5]\d\d$/.test(value) ? Number(value) : undefined;
}

function checkRequest(r: ProbeRequest): void {
  const problems: string[] = [];
  if (typeof r.region !== 'string' || r.region === '') problems.push(`region: expected a region name, found ${JSON.stringify(r.region)}`);
  if (typeof r.target !== 'string' || !(/^i-[0-9a-f]{8,17}$/.test(r.target) || IPV4_RE.test(r.target))) problems.push(`target: expected an instance id or a private IPv4 address, found ${JSON.stringify(r.target)}`);
  if (!['http', 'https', 'tcp'].includes(r.protocol)) problems.push(`protocol: expected "http", "https" or "tcp", found ${JSON.stringify(r.protocol)}`);
  if (!Number.isInteger(r.port) || r.port < 1 || r.port > 65535) problems.push(`port: expected an integer from 1 to 65535, found ${JSON.stringify(r.port)}`);
  if (r.path !== undefined && (typeof r.path !== 'string' || !r.path.startsWith('/'))) problems.push(`path: expected a path starting with "/", found ${JSON.stringify(r.path)}`);
  if (r.nowMs !== undefined && !Number.isFinite(r.nowMs)) problems.push(`nowMs: expected epoch milliseconds, found ${JSON.stringify(r.nowMs)}`);
  if (problems.length > 0) throw new TypeError(problems.map((p) => `ec2 applications.answer › ${p}`).join('\n'));
}

