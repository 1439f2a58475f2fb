import type { RecordSet } from '../../schemas/tasks/switch-traffic.js';
import { ec2Client } from './clients/ec2.js';
import { InvalidInputError, LifeboatError, NotFoundError, ThrottledError, TransientError } from './errors.js';
import { signedHeaders, type SigningCredentials } from './sigv4.js';

/**
 * The Elastic Load Balancing v2 and Route 53 calls the traffic switch makes, behind one small
 * interface (unit tests pass a fake).
 *
 * Why not the AWS SDK: `@aws-sdk/client-elastic-load-balancing-v2` and `@aws-sdk/client-route-53`
 * are not among the project's dependencies yet, so these few calls are made over HTTPS with the
 * SDK's own SigV4 signer (`sigv4.ts`) and credential chain (borrowed from the EC2 client). The endpoint
 * follows the SDK's rules: `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL` (the sandbox),
 * then the public endpoint. Swapping in the SDK clients later changes this file only.
 */
export interface TrafficApis {
  registerTargets(region: string, targetGroupArn: string, targets: readonly { id: string; port?: number }[]): Promise<void>;
  /** Optional so that older fakes still type-check; a restore needs it. */
  deregisterTargets?(region: string, targetGroupArn: string, targets: readonly { id: string; port?: number }[]): Promise<void>;
  describeTargetHealth(region: string, targetGroupArn: string, targets: readonly { id: string; port?: number }[]): Promise<TargetHealth[]>;
  /** The record sets named exactly `name` of type `type` (every set identifier). */
  listRecordSets(hostedZoneId: string, name: string, type: string): Promise<RecordSet[]>;
  /** Submits one change batch; answers the change id and status. */
  changeRecordSets(hostedZoneId: string, changes: readonly { action: 'CREATE' | 'DELETE' | 'UPSERT'; recordSet: RecordSet }[], comment: string): Promise<ChangeInfo>;
  getChange(changeId: string): Promise<ChangeInfo>;
}

export interface TargetHealth {
  readonly id: string;
  readonly port?: number;
  readonly state: string;
  readonly reason?: string;
  readonly description?: string;
}

export interface ChangeInfo {
  /** Without the `/change/` prefix. */
  readonly id: string;
  readonly status: 'PENDING' | 'INSYNC';
  readonly submittedAt: string;
}

// ---------------------------------------------------------------------------------------------
// A minimal XML reader: elements and text, enough for these services' answers
// ---------------------------------------------------------------------------------------------

/** An XML element: its name, children and text. */
export interface XmlElement {
  readonly name: string;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (m, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : (ENTITIES[e] ?? m),
  );
}

/** Parses an XML document into its root element (no attributes kept). */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', children: [], text: '' };
  const stack: XmlElement[] = [root];
  const re = /<\?[^>]*\?>|<!--[\s\S]*?-->|<\/([^\s>]+)\s*>|<([^\s/>]+)([^>]*?)(\/?)>|([^<]+)/g;
  for (let m = re.exec(xml); m !== null; m = re.exec(xml)) {
    const top = stack[stack.length - 1]!;
    if (m[1] !== undefined) {
      if (stack.length > 1) stack.pop();
    } else if (m[2] !== undefined) {
      const el: XmlElement = { name: m[2].replace(/^.*:/, ''), children: [], text: '' };
      top.children.push(el);
      if (m[4] !== '/') stack.push(el);
    } else if (m[5] !== undefined) {
      top.text += unescapeXml(m[5]);
    }
  }
  return root.children[0] ?? root;
}

/** The first descendant named `name` (depth first), if any. */
export function find(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) {
    if (c.name === name) return c;
    const deep = find(c, name);
    if (deep) return deep;
  }
  return undefined;
}

/** The text of the direct child named `name`, if any. */
export function childText(el: XmlElement | undefined, name: string): string | undefined {
  return el?.children.find((c) => c.name === name)?.text;
}

function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el?.children.filter((c) => c.name === name) ?? [];
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

const THROTTLED = new Set(['Throttling', 'ThrottlingException', 'PriorRequestNotComplete', 'RequestLimitExceeded']);
const NOT_FOUND = new Set(['TargetGroupNotFound', 'NoSuchHostedZone', 'NoSuchChange']);

/** Turns an AWS error answer into the Lifeboat error the workflows' Retry and Catch match on. */
export function trafficError(service: string, operation: string, status: number, body: string): LifeboatError {
  const doc = body.trim().startsWith('<') ? parseXml(body) : undefined;
  const code = childText(find(doc, 'Error'), 'Code') ?? `HTTP ${status}`;
  const messages = [childText(find(doc, 'Error'), 'Message'), ...children(find(doc, 'Messages'), 'Message').map((m) => m.text)].filter((m): m is string => !!m);
  const text = `${service} ${operation}: ${code}: ${messages.join('; ') || `status ${status}`}`;
  if (THROTTLED.has(code) || status === 429) return new ThrottledError(text);
  if (status >= 500) return new TransientError(text);
  if (NOT_FOUND.has(code)) return new NotFoundError(text);
  return new InvalidInputError(text);
}

// ---------------------------------------------------------------------------------------------
// The HTTP implementation
// ---------------------------------------------------------------------------------------------

function endpointFor(service: 'ELASTIC_LOAD_BALANCING_V2' | 'ROUTE_53', fallback: string): URL {
  return new URL(process.env[`AWS_ENDPOINT_URL_${service}`] ?? process.env.AWS_ENDPOINT_URL ?? fallback);
}

/**
 * Where and as whom the calls go when not as a task: `lifeboat traffic undo` passes the sandbox's
 * endpoint (`--local`) or the credentials of `--profile`.
 */
export interface TrafficApisOptions {
  /** Every call to this endpoint (the sandbox). @default the SDK's rules, as for a task */
  readonly endpoint?: string;
  /** @default the EC2 client's credential chain */
  readonly credentials?: SigningCredentials;
}

async function send(o: {
  service: string; signingName: string; signingRegion: string; endpoint: URL; operation: string;
  method: 'GET' | 'POST'; path: string; query?: Record<string, string>; body?: string; contentType?: string;
  credentials?: TrafficApisOptions['credentials'];
}): Promise<XmlElement> {
  const credentials = o.credentials ?? ec2Client(o.signingRegion).config.credentials;
  const basePath = o.endpoint.pathname.replace(/\/$/, '');
  const headers: Record<string, string> = { host: o.endpoint.host };
  if (o.body !== undefined) headers['content-type'] = o.contentType ?? 'application/x-www-form-urlencoded; charset=utf-8';
  const signed = await signedHeaders({
    method: o.method, protocol: o.endpoint.protocol, hostname: o.endpoint.hostname, ...(o.endpoint.port ? { port: Number(o.endpoint.port) } : {}),
    path: `${basePath}${o.path}`, query: o.query ?? {}, headers, ...(o.body !== undefined ? { body: o.body } : {}),
  }, { service: o.signingName, region: o.signingRegion, credentials });
  const qs = new URLSearchParams(o.query ?? {}).toString();
  const url = `${o.endpoint.protocol}//${o.endpoint.host}${basePath}${o.path}${qs ? `?${qs}` : ''}`;
  let res: Response;
  try {
    res = await fetch(url, { method: o.method, headers: signed, body: o.body, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new TransientError(`${o.service} ${o.operation}: ${(error as Error).message} (${o.endpoint.origin})`, { cause: error });
  }
  const text = await res.text();
  if (!res.ok) throw trafficError(o.service, o.operation, res.status, text);
  return parseXml(text);
}

/** The Query-protocol call `Action` to Elastic Load Balancing v2 in `region`. */
function elbv2(region: string, action: string, params: Record<string, string>, options: TrafficApisOptions = {}): Promise<XmlElement> {
  return send({
    service: 'Elastic Load Balancing', signingName: 'elasticloadbalancing', signingRegion: region, operation: action,
    endpoint: options.endpoint !== undefined ? new URL(options.endpoint) : endpointFor('ELASTIC_LOAD_BALANCING_V2', `https://elasticloadbalancing.${region}.amazonaws.com`),
    method: 'POST', path: '/', body: new URLSearchParams({ Action: action, Version: '2015-12-01', ...params }).toString(),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
  });
}

function targetParams(targets: readonly { id: string; port?: number }[]): Record<string, string> {
  const out: Record<string, string> = {};
  targets.forEach((t, i) => {
    out[`Targets.member.${i + 1}.Id`] = t.id;
    if (t.port !== undefined) out[`Targets.member.${i + 1}.Port`] = String(t.port);
  });
  return out;
}

const R53_NS = 'https://route53.amazonaws.com/doc/2013-04-01/';
/** Route 53 is global: one endpoint, signed for us-east-1. @see https://docs.aws.amazon.com/general/latest/gr/r53.html */
const R53_SIGNING_REGION = 'us-east-1';

function route53(options: TrafficApisOptions, operation: string, method: 'GET' | 'POST', path: string, query?: Record<string, string>, body?: string): Promise<XmlElement> {
  return send({
    service: 'Route 53', signingName: 'route53', signingRegion: R53_SIGNING_REGION, operation,
    endpoint: options.endpoint !== undefined ? new URL(options.endpoint) : endpointFor('ROUTE_53', 'https://route53.amazonaws.com'),
    method, path, ...(query ? { query } : {}), ...(body !== undefined ? { body, contentType: 'application/xml' } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
  });
}

const zoneId = (id: string) => id.replace(/^\/?hostedzone\//, '');

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A record set as Route 53's XML writes it. */
function recordSetXml(r: RecordSet): string {
  return `<ResourceRecordSet><Name>${esc(r.name)}</Name><Type>${r.type}</Type>`
    + (r.setIdentifier !== undefined ? `<SetIdentifier>${esc(r.setIdentifier)}</SetIdentifier>` : '')
    + (r.weight !== undefined ? `<Weight>${r.weight}</Weight>` : '')
    + (r.region !== undefined ? `<Region>${esc(r.region)}</Region>` : '')
    + (r.failover !== undefined ? `<Failover>${r.failover}</Failover>` : '')
    + (r.ttl !== undefined ? `<TTL>${r.ttl}</TTL>` : '')
    + (r.values !== undefined ? `<ResourceRecords>${r.values.map((v) => `<ResourceRecord><Value>${esc(v)}</Value></ResourceRecord>`).join('')}</ResourceRecords>` : '')
    + (r.aliasTarget !== undefined
      ? `<AliasTarget><HostedZoneId>${esc(r.aliasTarget.hostedZoneId)}</HostedZoneId><DNSName>${esc(r.aliasTarget.dnsName)}</DNSName><EvaluateTargetHealth>${r.aliasTarget.evaluateTargetHealth}</EvaluateTargetHealth></AliasTarget>`
      : '')
    + (r.healthCheckId !== undefined ? `<HealthCheckId>${esc(r.healthCheckId)}</HealthCheckId>` : '')
    + '</ResourceRecordSet>';
}

function readRecordSet(el: XmlElement): RecordSet {
  const alias = children(el, 'AliasTarget')[0];
  const values = children(children(el, 'ResourceRecords')[0], 'ResourceRecord').map((r) => childText(r, 'Value') ?? '');
  const num = (name: string) => (childText(el, name) !== undefined ? Number(childText(el, name)) : undefined);
  const str = (name: string) => childText(el, name);
  const failover = str('Failover');
  return {
    name: str('Name') ?? '', type: str('Type') ?? '',
    ...(str('SetIdentifier') !== undefined ? { setIdentifier: str('SetIdentifier') } : {}),
    ...(num('TTL') !== undefined ? { ttl: num('TTL') } : {}),
    ...(children(el, 'ResourceRecords').length > 0 ? { values } : {}),
    ...(alias ? { aliasTarget: { hostedZoneId: childText(alias, 'HostedZoneId') ?? '', dnsName: childText(alias, 'DNSName') ?? '', evaluateTargetHealth: childText(alias, 'EvaluateTargetHealth') === 'true' } } : {}),
    ...(num('Weight') !== undefined ? { weight: num('Weight') } : {}),
    ...(failover === 'PRIMARY' || failover === 'SECONDARY' ? { failover } : {}),
    ...(str('Region') !== undefined ? { region: str('Region') } : {}),
    ...(str('HealthCheckId') !== undefined ? { healthCheckId: str('HealthCheckId') } : {}),
  };
}

function readChangeInfo(doc: XmlElement): ChangeInfo {
  const info = find(doc, 'ChangeInfo') ?? doc;
  const status = childText(info, 'Status');
  return {
    id: (childText(info, 'Id') ?? '').replace(/^\/?change\//, ''),
    status: status === 'INSYNC' ? 'INSYNC' : 'PENDING',
    submittedAt: childText(info, 'SubmittedAt') ?? '',
  };
}

/** Lower case, trailing dot, Route 53's octal escapes undone: how two names are compared. */
export function normalizeName(name: string): string {
  const unescaped = name.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return (unescaped.endsWith('.') ? unescaped : `${unescaped}.`).toLowerCase();
}

/** The real APIs over HTTPS (or the sandbox). */
export function trafficApis(options: TrafficApisOptions = {}): TrafficApis {
  return {
    async registerTargets(region, arn, targets) {
      await elbv2(region, 'RegisterTargets', { TargetGroupArn: arn, ...targetParams(targets) }, options);
    },
    async deregisterTargets(region, arn, targets) {
      await elbv2(region, 'DeregisterTargets', { TargetGroupArn: arn, ...targetParams(targets) }, options);
    },
    async describeTargetHealth(region, arn, targets) {
      const doc = await elbv2(region, 'DescribeTargetHealth', { TargetGroupArn: arn, ...targetParams(targets) }, options);
      return children(find(doc, 'TargetHealthDescriptions'), 'member').map((m) => {
        const target = children(m, 'Target')[0];
        const health = children(m, 'TargetHealth')[0];
        const port = childText(target, 'Port');
        return {
          id: childText(target, 'Id') ?? '', ...(port !== undefined ? { port: Number(port) } : {}),
          state: childText(health, 'State') ?? 'unknown',
          ...(childText(health, 'Reason') !== undefined ? { reason: childText(health, 'Reason') } : {}),
          ...(childText(health, 'Description') !== undefined ? { description: childText(health, 'Description') } : {}),
        };
      });
    },
    async listRecordSets(hostedZoneId, name, type) {
      const wanted = normalizeName(name);
      const out: RecordSet[] = [];
      let query: Record<string, string> | undefined = { name: wanted, type, maxitems: '100' };
      // Pages while the listing is still on this name and type (records sort by name, then type).
      while (query) {
        const doc = await route53(options, 'ListResourceRecordSets', 'GET', `/2013-04-01/hostedzone/${zoneId(hostedZoneId)}/rrset`, query);
        const sets = children(find(doc, 'ResourceRecordSets'), 'ResourceRecordSet').map(readRecordSet);
        const mine = sets.filter((r) => normalizeName(r.name) === wanted && r.type === type);
        out.push(...mine);
        const isTruncated = childText(doc, 'IsTruncated') === 'true';
        const nextName = childText(doc, 'NextRecordName');
        const nextType = childText(doc, 'NextRecordType');
        const nextId = childText(doc, 'NextRecordIdentifier');
        query = isTruncated && nextName !== undefined && normalizeName(nextName) === wanted && nextType === type
          ? { name: nextName, type: nextType, ...(nextId !== undefined ? { identifier: nextId } : {}), maxitems: '100' }
          : undefined;
      }
      return out;
    },
    async changeRecordSets(hostedZoneId, changes, comment) {
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<ChangeResourceRecordSetsRequest xmlns="${R53_NS}"><ChangeBatch><Comment>${esc(comment)}</Comment><Changes>`
        + changes.map((c) => `<Change><Action>${c.action}</Action>${recordSetXml(c.recordSet)}</Change>`).join('')
        + '</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>';
      return readChangeInfo(await route53(options, 'ChangeResourceRecordSets', 'POST', `/2013-04-01/hostedzone/${zoneId(hostedZoneId)}/rrset/`, undefined, body));
    },
    async getChange(changeId) {
      return readChangeInfo(await route53(options, 'GetChange', 'GET', `/2013-04-01/change/${changeId.replace(/^\/?change\//, '')}`));
    },
  };
}
