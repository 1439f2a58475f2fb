/**
 * A subset of Elastic Load Balancing v2 (Query protocol, API version 2015-12-01, signing name
 * `elasticloadbalancing`): target groups, targets and their health on the sandbox clock, and
 * just enough of load balancers and listeners for a target group to be "in use".
 *
 * Targets are EC2 instances of the sandbox's EC2 (found through {@link Elbv2ServiceOptions.instance});
 * what a target answers a health check comes from {@link Elbv2ServiceOptions.probe} (the
 * instance's modelled application), unless a fault says otherwise.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Operations.html
 */
import type { Clock } from '../clock.js';
import { QueryError, queryService, xmlText as xml, type QueryDialect, type QueryOperation } from '../query-protocol.js';
import type { SeededRandom } from '../random.js';
import { checkedSnapshot } from '../snapshot.js';
import type { SandboxService } from '../service.js';
import { healthAt, type HealthCheckSettings, type ProbeAnswer, type TargetHealthView } from './health.js';

export type { ProbeAnswer, TargetHealthView } from './health.js';

/** What the EC2 side says about an instance. */
export interface InstanceFacts {
  /** `pending`, `running`, `stopping`, `stopped`, `shutting-down`, `terminated`. */
  readonly state: string;
  readonly vpcId: string;
  readonly availabilityZone: string;
}

/** A health check as sent to a target (what the probe hook receives). */
export interface HealthCheckRequest {
  readonly protocol: string;
  readonly port: number;
  readonly path?: string;
  readonly timeoutSeconds: number;
}

/** Options of {@link createElbv2Service}. */
export interface Elbv2ServiceOptions {
  readonly clock: Clock;
  readonly random: SeededRandom;
  readonly accountId: string;
  /** The instance `id` in `region`, or undefined when EC2 does not know it. */
  readonly instance: (region: string, id: string) => InstanceFacts | undefined;
  /**
   * What the instance answers a health check made at `atMs`.
   * @default a running instance answers HTTP 200 (TCP: accepts); any other state refuses
   */
  readonly probe?: (region: string, id: string, check: HealthCheckRequest, atMs: number) => ProbeAnswer;
  /** The subnet `id` in `region` (for CreateLoadBalancer), or undefined when EC2 does not know it. @default any subnet is accepted */
  readonly subnet?: (region: string, id: string) => { readonly vpcId: string; readonly availabilityZone: string } | undefined;
  /** Told (synchronously) after anything a snapshot holds changes. */
  readonly onChange?: () => void;
}

/** A fault: the target's health checks fail this way, whatever its application answers. */
export interface UnhealthyTargetFault {
  readonly targetId: string;
  /** Only in this target group. @default every target group */
  readonly targetGroupArn?: string;
  /** `timeout`, `refused`, or an HTTP status code. @default 'timeout' */
  readonly answer?: 'timeout' | 'refused' | number;
}

interface TargetGroup {
  arn: string;
  name: string;
  region: string;
  protocol: string;
  port: number;
  vpcId: string;
  targetType: string;
  healthCheckEnabled: boolean;
  healthCheck: HealthCheckSettings;
  attributes: Record<string, string>;
  targets: Target[];
}

interface Target {
  id: string;
  port: number;
  registeredAtMs: number;
  /** Set while draining: when the target leaves the group. */
  drainUntilMs?: number;
}

interface LoadBalancer {
  arn: string;
  name: string;
  region: string;
  type: string;
  scheme: string;
  vpcId: string;
  subnets: { subnetId: string; zone: string }[];
  dnsName: string;
  createdAtMs: number;
}

interface Listener {
  arn: string;
  loadBalancerArn: string;
  protocol: string;
  port: number;
  targetGroupArn: string;
}

/** The version of {@link Elbv2Snapshot} this code writes and reads. */
export const ELBV2_SNAPSHOT_VERSION = 1;

/** Every target group, load balancer, listener and fault as plain JSON. */
export interface Elbv2Snapshot {
  readonly version: typeof ELBV2_SNAPSHOT_VERSION;
  readonly takenAtMs: number;
  readonly targetGroups: TargetGroup[];
  readonly loadBalancers: LoadBalancer[];
  readonly listeners: Listener[];
  readonly faults: UnhealthyTargetFault[];
}

/** The ELBv2 service: HTTP side, in-process faults, admin, persistence. */
export interface Elbv2Sandbox {
  readonly service: SandboxService;
  /** Makes a target's health checks fail (in-process form of `POST /_sandbox/elbv2.faults.set`). */
  setUnhealthy(fault: UnhealthyTargetFault): void;
  clearFaults(): void;
  /** The health of every target of a group now, as DescribeTargetHealth would answer. */
  targetHealth(targetGroupArn: string): { id: string; port: number; health: TargetHealthView }[];
  /** Admin actions: `faults.set` (`{unhealthyTargets: [...]}` adds), `faults.clear`, `state`. */
  admin(action: string, body: Record<string, unknown>): unknown;
  reset(): void;
  snapshot(): Elbv2Snapshot;
  /** @throws TypeError when `snapshot` is not an {@link Elbv2Snapshot} (the message names the member). */
  restore(snapshot: unknown): void;
}

/** An ELBv2 error as the Query protocol returns it (`<Code>` is the short name, without `Exception`). */
export class Elbv2Error extends QueryError {
  override name = 'Elbv2Error';
}

const DIALECT: QueryDialect = {
  signingName: 'elasticloadbalancing',
  version: '2015-12-01',
  namespace: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
  layout: 'compact',
  readsUrlQuery: false,
  invalidAction: (action) => `The action ${action} is not valid for this web service.`,
};
const TG_NAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;
const TG_ARN_RE = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;
const PROTOCOLS = new Set(['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP']);
/** Default deregistration delay. @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay */
const DEFAULT_DEREGISTRATION_DELAY_SECONDS = 300;

const validation = (message: string) => new Elbv2Error('ValidationError', message);
const tgNotFound = () => new Elbv2Error('TargetGroupNotFound', 'One or more target groups not found');

/** `Prefix.member.N` values in order of N. */
function readList(p: Map<string, string>, prefix: string): string[] {
  const out: [number, string][] = [];
  const re = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.member\\.(\\d+)$`);
  for (const [k, v] of p) {
    const m = re.exec(k);
    if (m) out.push([Number(m[1]), v]);
  }
  return out.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** `Targets.member.N.{Id,Port}` in order of N. */
function readTargets(p: Map<string, string>): { id: string; port?: number }[] {
  const ns = new Set<number>();
  for (const k of p.keys()) {
    const m = /^Targets\.member\.(\d+)\./.exec(k);
    if (m) ns.add(Number(m[1]));
  }
  return [...ns].sort((a, b) => a - b).map((n) => {
    const id = p.get(`Targets.member.${n}.Id`);
    if (id === undefined) throw validation(`1 validation error detected: Value null at 'targets.${n}.member.id' failed to satisfy constraint: Member must not be null`);
    const port = p.get(`Targets.member.${n}.Port`);
    return { id, ...(port !== undefined ? { port: intParam(port, `targets.${n}.member.port`, 1, 65535) } : {}) };
  });
}

function intParam(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw validation(`1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must have value between ${min} and ${max}`);
  }
  return n;
}

function required(p: Map<string, string>, param: string, wireName: string): string {
  const v = p.get(param);
  if (v === undefined || v === '') throw validation(`1 validation error detected: Value null at '${wireName}' failed to satisfy constraint: Member must not be null`);
  return v;
}

/**
 * Creates the ELBv2 service.
 *
 * @example
 * const elbv2 = createElbv2Service({ clock, random, accountId, instance: (region, id) => lookUp(region, id) });
 * server.mount(elbv2.service);
 */
export function createElbv2Service(options: Elbv2ServiceOptions): Elbv2Sandbox {
  const { clock, accountId } = options;
  const ids = options.random;
  const onChange = options.onChange ?? (() => {});
  const targetGroups = new Map<string, TargetGroup>();
  const loadBalancers = new Map<string, LoadBalancer>();
  const listeners = new Map<string, Listener>();
  let faults: UnhealthyTargetFault[] = [];

  const probe = options.probe ?? ((region: string, id: string): ProbeAnswer => {
    const facts = options.instance(region, id);
    return facts?.state === 'running' ? { kind: 'answered', statusCode: 200 } : { kind: 'refused' };
  });

  function requireGroup(arn: string): TargetGroup {
    if (!TG_ARN_RE.test(arn)) throw validation(`'${arn}' is not a valid target group ARN`);
    const tg = targetGroups.get(arn);
    if (!tg) throw tgNotFound();
    return tg;
  }

  const loadBalancerArnsOf = (tg: TargetGroup): string[] => [...new Set([...listeners.values()].filter((l) => l.targetGroupArn === tg.arn).map((l) => l.loadBalancerArn))];

  /** Drops targets whose draining has ended (on read: draining is a function of time). */
  function settle(tg: TargetGroup): void {
    const now = clock.now();
    const before = tg.targets.length;
    tg.targets = tg.targets.filter((t) => t.drainUntilMs === undefined || t.drainUntilMs > now);
    if (tg.targets.length !== before) onChange();
  }

  function healthOf(tg: TargetGroup, t: Target): TargetHealthView {
    if (t.drainUntilMs !== undefined) return { state: 'draining', reason: 'Target.DeregistrationInProgress', description: 'Target deregistration is in progress' };
    const facts = options.instance(tg.region, t.id);
    if (facts === undefined || facts.state === 'terminated' || facts.state === 'shutting-down') {
      return { state: 'unused', reason: 'Target.InvalidState', description: 'Target is in the terminated state' };
    }
    if (facts.state === 'stopped' || facts.state === 'stopping') return { state: 'unused', reason: 'Target.InvalidState', description: 'Target is in the stopped state' };
    if (loadBalancerArnsOf(tg).length === 0) return { state: 'unused', reason: 'Target.NotInUse', description: 'Target group is not configured to receive traffic from the load balancer' };
    if (!tg.healthCheckEnabled) return { state: 'unavailable', reason: 'Target.HealthCheckDisabled', description: 'Health checks are disabled' };
    const port = tg.healthCheck.port === 'traffic-port' ? t.port : Number(tg.healthCheck.port);
    const request: HealthCheckRequest = { protocol: tg.healthCheck.protocol, port, ...(tg.healthCheck.path !== undefined ? { path: tg.healthCheck.path } : {}), timeoutSeconds: tg.healthCheck.timeoutSeconds };
    const fault = faults.find((f) => f.targetId === t.id && (f.targetGroupArn === undefined || f.targetGroupArn === tg.arn));
    const answerAt = (atMs: number): ProbeAnswer => {
      if (fault) {
        const a = fault.answer ?? 'timeout';
        return typeof a === 'number' ? { kind: 'answered', statusCode: a } : { kind: a };
      }
      return probe(tg.region, t.id, request, atMs);
    };
    return healthAt(t.registeredAtMs, clock.now(), tg.healthCheck, answerAt);
  }

  function renderGroup(tg: TargetGroup): string {
    const hc = tg.healthCheck;
    const isHttp = hc.protocol === 'HTTP' || hc.protocol === 'HTTPS';
    return `<member><TargetGroupArn>${xml(tg.arn)}</TargetGroupArn><TargetGroupName>${xml(tg.name)}</TargetGroupName><Protocol>${tg.protocol}</Protocol><Port>${tg.port}</Port><VpcId>${xml(tg.vpcId)}</VpcId>`
      + `<HealthCheckProtocol>${hc.protocol}</HealthCheckProtocol><HealthCheckPort>${xml(hc.port)}</HealthCheckPort><HealthCheckEnabled>${tg.healthCheckEnabled}</HealthCheckEnabled>`
      + `<HealthCheckIntervalSeconds>${hc.intervalSeconds}</HealthCheckIntervalSeconds><HealthCheckTimeoutSeconds>${hc.timeoutSeconds}</HealthCheckTimeoutSeconds>`
      + `<HealthyThresholdCount>${hc.healthyThreshold}</HealthyThresholdCount><UnhealthyThresholdCount>${hc.unhealthyThreshold}</UnhealthyThresholdCount>`
      + (isHttp ? `<HealthCheckPath>${xml(hc.path ?? '/')}</HealthCheckPath><Matcher><HttpCode>${xml(hc.matcher)}</HttpCode></Matcher>` : '')
      + `<LoadBalancerArns>${loadBalancerArnsOf(tg).map((a) => `<member>${xml(a)}</member>`).join('')}</LoadBalancerArns>`
      + `<TargetType>${tg.targetType}</TargetType>${isHttp ? '<ProtocolVersion>HTTP1</ProtocolVersion>' : ''}<IpAddressType>ipv4</IpAddressType></member>`;
  }

  function renderLoadBalancer(lb: LoadBalancer): string {
    return `<member><LoadBalancerArn>${xml(lb.arn)}</LoadBalancerArn><DNSName>${xml(lb.dnsName)}</DNSName><CanonicalHostedZoneId>Z35SXDOTRQ7X7K</CanonicalHostedZoneId>`
      + `<CreatedTime>${new Date(lb.createdAtMs).toISOString()}</CreatedTime><LoadBalancerName>${xml(lb.name)}</LoadBalancerName><Scheme>${lb.scheme}</Scheme><VpcId>${xml(lb.vpcId)}</VpcId>`
      + `<State><Code>active</Code></State><Type>${lb.type}</Type>`
      + `<AvailabilityZones>${lb.subnets.map((s) => `<member><ZoneName>${xml(s.zone)}</ZoneName><SubnetId>${xml(s.subnetId)}</SubnetId></member>`).join('')}</AvailabilityZones>`
      + `<IpAddressType>ipv4</IpAddressType></member>`;
  }

  function renderListener(l: Listener): string {
    return `<member><ListenerArn>${xml(l.arn)}</ListenerArn><LoadBalancerArn>${xml(l.loadBalancerArn)}</LoadBalancerArn><Port>${l.port}</Port><Protocol>${l.protocol}</Protocol>`
      + `<DefaultActions><member><Type>forward</Type><TargetGroupArn>${xml(l.targetGroupArn)}</TargetGroupArn></member></DefaultActions></member>`;
  }

  function page<T>(all: T[], p: Map<string, string>): { items: T[]; next: string } {
    const size = p.has('PageSize') ? intParam(p.get('PageSize')!, 'pageSize', 1, 400) : 400;
    const marker = p.get('Marker');
    let offset = 0;
    if (marker !== undefined) {
      offset = Number(Buffer.from(marker, 'base64url').toString('utf8'));
      if (!Number.isInteger(offset) || offset < 0) throw validation(`Invalid marker '${marker}'`);
    }
    const items = all.slice(offset, offset + size);
    return { items, next: offset + size < all.length ? `<NextMarker>${Buffer.from(String(offset + size)).toString('base64url')}</NextMarker>` : '' };
  }

  function readHealthCheck(p: Map<string, string>, protocol: string): HealthCheckSettings {
    const hcProtocol = p.get('HealthCheckProtocol') ?? (protocol === 'HTTPS' ? 'HTTPS' : protocol === 'HTTP' ? 'HTTP' : 'TCP');
    if (!['HTTP', 'HTTPS', 'TCP'].includes(hcProtocol)) throw validation(`Health check protocol '${hcProtocol}' is not supported`);
    const isHttp = hcProtocol !== 'TCP';
    const hc: HealthCheckSettings = {
      protocol: hcProtocol,
      port: p.get('HealthCheckPort') ?? 'traffic-port',
      ...(isHttp ? { path: p.get('HealthCheckPath') ?? '/' } : {}),
      // Defaults of an instance target group (HTTP/HTTPS): 30 s interval, 5 s timeout, 5 healthy, 2 unhealthy.
      intervalSeconds: p.has('HealthCheckIntervalSeconds') ? intParam(p.get('HealthCheckIntervalSeconds')!, 'healthCheckIntervalSeconds', 5, 300) : 30,
      timeoutSeconds: p.has('HealthCheckTimeoutSeconds') ? intParam(p.get('HealthCheckTimeoutSeconds')!, 'healthCheckTimeoutSeconds', 2, 120) : isHttp ? 5 : 10,
      healthyThreshold: p.has('HealthyThresholdCount') ? intParam(p.get('HealthyThresholdCount')!, 'healthyThresholdCount', 2, 10) : 5,
      unhealthyThreshold: p.has('UnhealthyThresholdCount') ? intParam(p.get('UnhealthyThresholdCount')!, 'unhealthyThresholdCount', 2, 10) : 2,
      matcher: p.get('Matcher.HttpCode') ?? '200',
    };
    if (hc.port !== 'traffic-port') intParam(hc.port, 'healthCheckPort', 1, 65535);
    if (hc.path !== undefined && !hc.path.startsWith('/')) throw validation('Health check path must begin with a \'/\' character');
    if (!/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(hc.matcher)) throw validation(`Invalid value for the HTTP codes matcher: '${hc.matcher}'`);
    if (hc.timeoutSeconds >= hc.intervalSeconds) throw validation('Health check interval must be greater than the timeout.');
    return hc;
  }

  const ops: Record<string, QueryOperation> = {
    CreateTargetGroup(p, { region }) {
      const name = required(p, 'Name', 'name');
      if (!TG_NAME_RE.test(name)) {
        throw validation(`Target group name '${name}' can only contain characters that are alphanumeric characters or hyphens(-), must be 1-32 characters, and must not begin or end with a hyphen`);
      }
      if (name.startsWith('internal-')) throw validation(`Target group name '${name}' cannot begin with 'internal-'`);
      const targetType = p.get('TargetType') ?? 'instance';
      if (targetType !== 'instance') throw validation(`The sandbox serves target type 'instance' only, found '${targetType}'`);
      const protocol = required(p, 'Protocol', 'protocol');
      if (!PROTOCOLS.has(protocol)) throw validation(`1 validation error detected: Value '${protocol}' at 'protocol' failed to satisfy constraint: Member must satisfy enum value set: [HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP]`);
      const port = intParam(required(p, 'Port', 'port'), 'port', 1, 65535);
      const vpcId = required(p, 'VpcId', 'vpcId');
      const healthCheck = readHealthCheck(p, protocol);
      const healthCheckEnabled = p.get('HealthCheckEnabled') !== 'false';
      const existing = [...targetGroups.values()].find((t) => t.region === region && t.name === name);
      if (existing) {
        // Idempotent with the same settings; refused with different ones.
        const same = existing.protocol === protocol && existing.port === port && existing.vpcId === vpcId && JSON.stringify(existing.healthCheck) === JSON.stringify(healthCheck);
        if (!same) throw new Elbv2Error('DuplicateTargetGroupName', `A target group with the same name '${name}' exists, but with different settings`);
        return `<TargetGroups>${renderGroup(existing)}</TargetGroups>`;
      }
      const arn = `arn:aws:elasticloadbalancing:${region}:${accountId}:targetgroup/${name}/${ids.hex(16)}`;
      const tg: TargetGroup = {
        arn, name, region, protocol, port, vpcId, targetType, healthCheckEnabled, healthCheck,
        attributes: { 'deregistration_delay.timeout_seconds': String(DEFAULT_DEREGISTRATION_DELAY_SECONDS) }, targets: [],
      };
      targetGroups.set(arn, tg);
      onChange();
      return `<TargetGroups>${renderGroup(tg)}</TargetGroups>`;
    },
    DescribeTargetGroups(p, { region }) {
      const arns = readList(p, 'TargetGroupArns');
      const names = readList(p, 'Names');
      const lbArn = p.get('LoadBalancerArn');
      let all = [...targetGroups.values()].filter((t) => t.region === region);
      if (arns.length > 0) {
        for (const a of arns) if (!TG_ARN_RE.test(a)) throw validation(`'${a}' is not a valid target group ARN`);
        all = arns.map((a) => all.find((t) => t.arn === a)).filter((t): t is TargetGroup => t !== undefined);
        if (all.length < arns.length) throw tgNotFound();
      } else if (names.length > 0) {
        all = names.map((n) => all.find((t) => t.name === n)).filter((t): t is TargetGroup => t !== undefined);
        if (all.length < names.length) throw tgNotFound();
      } else if (lbArn !== undefined) {
        if (!loadBalancers.has(lbArn)) throw new Elbv2Error('LoadBalancerNotFound', 'One or more load balancers not found');
        all = all.filter((t) => loadBalancerArnsOf(t).includes(lbArn));
      }
      all.sort((a, b) => (a.arn < b.arn ? -1 : 1));
      const { items, next } = page(all, p);
      return `<TargetGroups>${items.map(renderGroup).join('')}</TargetGroups>${next}`;
    },
    DeleteTargetGroup(p) {
      const arn = required(p, 'TargetGroupArn', 'targetGroupArn');
      if (!TG_ARN_RE.test(arn)) throw validation(`'${arn}' is not a valid target group ARN`);
      const tg = targetGroups.get(arn);
      // Deleting a target group that is not there succeeds (no error is documented for it).
      if (!tg) return '';
      if (loadBalancerArnsOf(tg).length > 0) throw new Elbv2Error('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`);
      targetGroups.delete(arn);
      onChange();
      return '';
    },
    DescribeTargetGroupAttributes(p) {
      const tg = requireGroup(required(p, 'TargetGroupArn', 'targetGroupArn'));
      return `<Attributes>${Object.entries(tg.attributes).map(([k, v]) => `<member><Key>${xml(k)}</Key><Value>${xml(v)}</Value></member>`).join('')}</Attributes>`;
    },
    ModifyTargetGroupAttributes(p) {
      const tg = requireGroup(required(p, 'TargetGroupArn', 'targetGroupArn'));
      for (let n = 1; p.has(`Attributes.member.${n}.Key`); n++) {
        const key = p.get(`Attributes.member.${n}.Key`)!;
        const value = p.get(`Attributes.member.${n}.Value`) ?? '';
        if (key !== 'deregistration_delay.timeout_seconds') throw validation(`The sandbox models target group attribute 'deregistration_delay.timeout_seconds' only, found '${key}'`);
        intParam(value, 'deregistration_delay.timeout_seconds', 0, 3600);
        tg.attributes[key] = value;
      }
      onChange();
      return `<Attributes>${Object.entries(tg.attributes).map(([k, v]) => `<member><Key>${xml(k)}</Key><Value>${xml(v)}</Value></member>`).join('')}</Attributes>`;
    },
    RegisterTargets(p) {
      const tg = requireGroup(required(p, 'TargetGroupArn', 'targetGroupArn'));
      settle(tg);
      const targets = readTargets(p);
      if (targets.length === 0) throw validation("1 validation error detected: Value null at 'targets' failed to satisfy constraint: Member must not be null");
      const unknown = targets.filter((t) => options.instance(tg.region, t.id) === undefined);
      if (unknown.length > 0) throw new Elbv2Error('InvalidTarget', `The following targets are not valid instances: ${unknown.map((t) => `'${t.id}'`).join(', ')}`);
      const notRunning = targets.filter((t) => options.instance(tg.region, t.id)!.state !== 'running');
      if (notRunning.length > 0) throw new Elbv2Error('InvalidTarget', `The following targets are not in a running state and cannot be registered: ${notRunning.map((t) => `'${t.id}'`).join(', ')}`);
      const otherVpc = targets.filter((t) => options.instance(tg.region, t.id)!.vpcId !== tg.vpcId);
      if (otherVpc.length > 0) throw new Elbv2Error('InvalidTarget', `The following targets are not in the target group VPC '${tg.vpcId}': ${otherVpc.map((t) => `'${t.id}'`).join(', ')}`);
      const now = clock.now();
      for (const t of targets) {
        const port = t.port ?? tg.port;
        const existing = tg.targets.find((x) => x.id === t.id && x.port === port);
        if (existing && existing.drainUntilMs === undefined) continue; // registering again changes nothing
        if (existing) tg.targets.splice(tg.targets.indexOf(existing), 1);
        tg.targets.push({ id: t.id, port, registeredAtMs: now });
      }
      onChange();
      return '';
    },
    DeregisterTargets(p) {
      const tg = requireGroup(required(p, 'TargetGroupArn', 'targetGroupArn'));
      settle(tg);
      const targets = readTargets(p);
      if (targets.length === 0) throw validation("1 validation error detected: Value null at 'targets' failed to satisfy constraint: Member must not be null");
      const found = targets.map((t) => ({ t, x: tg.targets.find((x) => x.id === t.id && (t.port === undefined || x.port === t.port)) }));
      const missing = found.filter((f) => f.x === undefined);
      if (missing.length > 0) throw new Elbv2Error('InvalidTarget', `The following targets are not registered in target group '${tg.arn}': ${missing.map((f) => `'${f.t.id}'`).join(', ')}`);
      const delayMs = Number(tg.attributes['deregistration_delay.timeout_seconds']) * 1000;
      const isInUse = loadBalancerArnsOf(tg).length > 0;
      for (const { x } of found) {
        // A group no load balancer uses has no connections to drain.
        if (!isInUse || delayMs === 0) tg.targets.splice(tg.targets.indexOf(x!), 1);
        else x!.drainUntilMs ??= clock.now() + delayMs;
      }
      onChange();
      return '';
    },
    DescribeTargetHealth(p) {
      const tg = requireGroup(required(p, 'TargetGroupArn', 'targetGroupArn'));
      settle(tg);
      const asked = readTargets(p);
      const render = (id: string, port: number, h: TargetHealthView): string => {
        const hcPort = tg.healthCheck.port === 'traffic-port' ? String(port) : tg.healthCheck.port;
        return `<member><Target><Id>${xml(id)}</Id><Port>${port}</Port></Target><HealthCheckPort>${xml(hcPort)}</HealthCheckPort>`
          + `<TargetHealth><State>${h.state}</State>${h.reason ? `<Reason>${h.reason}</Reason>` : ''}${h.description ? `<Description>${xml(h.description)}</Description>` : ''}</TargetHealth></member>`;
      };
      if (asked.length === 0) return `<TargetHealthDescriptions>${tg.targets.map((t) => render(t.id, t.port, healthOf(tg, t))).join('')}</TargetHealthDescriptions>`;
      const out = asked.map((a) => {
        if (options.instance(tg.region, a.id) === undefined) throw new Elbv2Error('InvalidTarget', `The following targets are not valid instances: '${a.id}'`);
        const t = tg.targets.find((x) => x.id === a.id && (a.port === undefined || x.port === a.port));
        return t ? render(t.id, t.port, healthOf(tg, t)) : render(a.id, a.port ?? tg.port, { state: 'unused', reason: 'Target.NotRegistered', description: 'Target is not registered to the target group' });
      });
      return `<TargetHealthDescriptions>${out.join('')}</TargetHealthDescriptions>`;
    },
    CreateLoadBalancer(p, { region }) {
      const name = required(p, 'Name', 'name');
      if (!TG_NAME_RE.test(name) || name.startsWith('internal-')) throw validation(`Load balancer name '${name}' must be 1-32 alphanumeric characters or hyphens, must not begin or end with a hyphen and must not begin with 'internal-'`);
      const type = p.get('Type') ?? 'application';
      if (type !== 'application' && type !== 'network') throw validation(`The sandbox serves load balancer types 'application' and 'network', found '${type}'`);
      const existing = [...loadBalancers.values()].find((l) => l.region === region && l.name === name);
      if (existing) throw new Elbv2Error('DuplicateLoadBalancerName', 'A load balancer with the same name exists');
      const subnetIds = readList(p, 'Subnets');
      const facts = subnetIds.map((s) => options.subnet?.(region, s));
      const missing = subnetIds.filter((_, i) => facts[i] === undefined && options.subnet !== undefined);
      if (missing.length > 0) throw new Elbv2Error('SubnetNotFound', `The subnet ID '${missing[0]}' is not valid`);
      const scheme = p.get('Scheme') ?? 'internet-facing';
      const suffix = ids.hex(16);
      const lb: LoadBalancer = {
        arn: `arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/${type === 'application' ? 'app' : 'net'}/${name}/${suffix}`,
        name, region, type, scheme, vpcId: facts.find((f) => f !== undefined)?.vpcId ?? '',
        subnets: subnetIds.map((s, i) => ({ subnetId: s, zone: facts[i]?.availabilityZone ?? '' })),
        dnsName: `${scheme === 'internal' ? 'internal-' : ''}${name}-${Number.parseInt(suffix.slice(0, 8), 16)}.${region}.elb.amazonaws.com`,
        createdAtMs: clock.now(),
      };
      loadBalancers.set(lb.arn, lb);
      onChange();
      return `<LoadBalancers>${renderLoadBalancer(lb)}</LoadBalancers>`;
    },
    DescribeLoadBalancers(p, { region }) {
      const arns = readList(p, 'LoadBalancerArns');
      const names = readList(p, 'Names');
      let all = [...loadBalancers.values()].filter((l) => l.region === region);
      if (arns.length > 0 || names.length > 0) {
        const picked = all.filter((l) => arns.includes(l.arn) || names.includes(l.name));
        if (picked.length < arns.length + names.length) throw new Elbv2Error('LoadBalancerNotFound', 'One or more load balancers not found');
        all = picked;
      }
      const { items, next } = page(all, p);
      return `<LoadBalancers>${items.map(renderLoadBalancer).join('')}</LoadBalancers>${next}`;
    },
    DeleteLoadBalancer(p) {
      const arn = required(p, 'LoadBalancerArn', 'loadBalancerArn');
      if (loadBalancers.delete(arn)) {
        for (const [k, l] of listeners) if (l.loadBalancerArn === arn) listeners.delete(k);
        onChange();
      }
      return '';
    },
    CreateListener(p, { region }) {
      const lbArn = required(p, 'LoadBalancerArn', 'loadBalancerArn');
      const lb = loadBalancers.get(lbArn);
      if (!lb || lb.region !== region) throw new Elbv2Error('LoadBalancerNotFound', 'One or more load balancers not found');
      const protocol = p.get('Protocol') ?? (lb.type === 'application' ? 'HTTP' : 'TCP');
      const port = intParam(required(p, 'Port', 'port'), 'port', 1, 65535);
      const type = p.get('DefaultActions.member.1.Type');
      const tgArn = p.get('DefaultActions.member.1.TargetGroupArn');
      if (type !== 'forward' || tgArn === undefined) throw validation("The sandbox serves listeners whose default action is one 'forward' to a target group (DefaultActions.member.1.Type=forward, TargetGroupArn)");
      requireGroup(tgArn);
      if ([...listeners.values()].some((l) => l.loadBalancerArn === lbArn && l.port === port)) throw new Elbv2Error('DuplicateListener', 'A listener already exists on this port for this load balancer');
      const listener: Listener = { arn: lbArn.replace(':loadbalancer/', ':listener/') + `/${ids.hex(16)}`, loadBalancerArn: lbArn, protocol, port, targetGroupArn: tgArn };
      listeners.set(listener.arn, listener);
      onChange();
      return `<Listeners>${renderListener(listener)}</Listeners>`;
    },
    DescribeListeners(p) {
      const lbArn = p.get('LoadBalancerArn');
      const arns = readList(p, 'ListenerArns');
      const all = [...listeners.values()].filter((l) => (lbArn === undefined || l.loadBalancerArn === lbArn) && (arns.length === 0 || arns.includes(l.arn)));
      if (lbArn !== undefined && !loadBalancers.has(lbArn)) throw new Elbv2Error('LoadBalancerNotFound', 'One or more load balancers not found');
      if (arns.length > all.length) throw new Elbv2Error('ListenerNotFound', 'One or more listeners not found');
      const { items, next } = page(all, p);
      return `<Listeners>${items.map(renderListener).join('')}</Listeners>${next}`;
    },
    DeleteListener(p) {
      const arn = required(p, 'ListenerArn', 'listenerArn');
      if (!listeners.delete(arn)) throw new Elbv2Error('ListenerNotFound', 'One or more listeners not found');
      onChange();
      return '';
    },
  };

  const service: SandboxService = queryService(DIALECT, ops, () => ids.uuid());

  function checkFault(value: unknown, where: string): UnhealthyTargetFault {
    const f = value as Partial<UnhealthyTargetFault> | null;
    if (typeof f !== 'object' || f === null || typeof f.targetId !== 'string' || f.targetId === '') throw new TypeError(`${where}: expected {targetId, targetGroupArn?, answer?}, found ${JSON.stringify(value)}`);
    if (f.targetGroupArn !== undefined && typeof f.targetGroupArn !== 'string') throw new TypeError(`${where} › targetGroupArn: expected a target group ARN, found ${JSON.stringify(f.targetGroupArn)}`);
    if (f.answer !== undefined && f.answer !== 'timeout' && f.answer !== 'refused' && !(Number.isInteger(f.answer) && (f.answer as number) >= 100 && (f.answer as number) <= 599)) {
      throw new TypeError(`${where} › answer: expected "timeout", "refused" or an HTTP status code (100-599), found ${JSON.stringify(f.answer)}`);
    }
    return { targetId: f.targetId, ...(f.targetGroupArn !== undefined ? { targetGroupArn: f.targetGroupArn } : {}), ...(f.answer !== undefined ? { answer: f.answer } : {}) };
  }

  return {
    service,
    setUnhealthy(fault) {
      faults.push(checkFault(fault, 'elbv2 fault'));
      onChange();
    },
    clearFaults() {
      faults = [];
      onChange();
    },
    targetHealth(arn) {
      const tg = requireGroup(arn);
      settle(tg);
      return tg.targets.map((t) => ({ id: t.id, port: t.port, health: healthOf(tg, t) }));
    },
    admin(action, body) {
      if (action === 'faults.set') {
        const list = body.unhealthyTargets;
        if (!Array.isArray(list)) throw new TypeError(`elbv2 admin 'faults.set' › unhealthyTargets: expected an array of {targetId, targetGroupArn?, answer?}, found ${JSON.stringify(list)}`);
        const checked = list.map((f, i) => checkFault(f, `elbv2 admin 'faults.set' › unhealthyTargets[${i}]`));
        faults.push(...checked);
        onChange();
        return { faults };
      }
      if (action === 'faults.clear') {
        faults = [];
        onChange();
        return { faults };
      }
      if (action === 'state') {
        return {
          targetGroups: [...targetGroups.values()].map((tg) => ({ arn: tg.arn, name: tg.name, region: tg.region, targets: tg.targets.map((t) => ({ id: t.id, port: t.port, health: healthOf(tg, t) })) })),
          loadBalancers: [...loadBalancers.values()],
          listeners: [...listeners.values()],
          faults,
        };
      }
      throw new TypeError(`elbv2 admin '${action}': unknown action; expected one of faults.set, faults.clear, state`);
    },
    reset() {
      targetGroups.clear();
      loadBalancers.clear();
      listeners.clear();
      faults = [];
      onChange();
    },
    snapshot: () => ({
      version: ELBV2_SNAPSHOT_VERSION,
      takenAtMs: clock.now(),
      targetGroups: [...targetGroups.values()],
      loadBalancers: [...loadBalancers.values()],
      listeners: [...listeners.values()],
      faults: [...faults],
    }),
    restore(value) {
      const where = 'elbv2 snapshot';
      const v = checkedSnapshot<Elbv2Snapshot>(value, where, ELBV2_SNAPSHOT_VERSION, ['targetGroups', 'loadBalancers', 'listeners', 'faults']);
      v.targetGroups!.forEach((t, i) => {
        if (typeof t?.arn !== 'string' || typeof t.region !== 'string' || !Array.isArray(t.targets)) throw new TypeError(`${where} › targetGroups[${i}]: expected {arn, region, targets, …}, found ${JSON.stringify(t)?.slice(0, 100)}`);
      });
      targetGroups.clear();
      loadBalancers.clear();
      listeners.clear();
      for (const t of v.targetGroups!) targetGroups.set(t.arn, t);
      for (const l of v.loadBalancers!) loadBalancers.set(l.arn, l);
      for (const l of v.listeners!) listeners.set(l.arn, l);
      faults = v.faults!.map((f, i) => checkFault(f, `${where} › faults[${i}]`));
    },
  };
}
