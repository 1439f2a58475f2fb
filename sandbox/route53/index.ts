/**
 * The sandbox's Route 53: hosted zones, resource record sets, change batches, changes and health
 * checks over Route 53's REST-XML protocol (API version 2013-04-01), on the sandbox's one loopback
 * endpoint. A request is Route 53's when its SigV4 credential scope names the service `route53`
 * (a global service: clients sign for us-east-1), or, unsigned, when its path starts `/2013-04-01/`.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_Operations_Amazon_Route_53.html
 */
import { AdminError, type AdminRegistry } from '../admin.js';
import type { Clock, ClockHold } from '../clock.js';
import type { SeededRandom } from '../random.js';
import type { FrontEndProblem, SandboxService, ServiceRequest, ServiceResponse } from '../service.js';
import { invalidInput, Route53Error } from './errors.js';
import {
  Route53Model, type AliasTarget, type Change, type ChangeInfo, type HealthCheck, type HealthCheckConfig,
  type HostedZone, type ResourceRecordSet,
} from './model.js';
import { canonicalName, displayName } from './names.js';
import { child, childrenNamed, document, el, parseXml, textOf, wrap, type XmlNode } from './xml.js';

export { Route53Error } from './errors.js';
export {
  CHECKER_REGIONS, DEFAULT_PROPAGATION_MS, Route53Model, type AliasTarget, type Change, type ChangeHold, type ChangeInfo, type HealthCheck,
  type HealthCheckConfig, type HostedZone, type ResourceRecordSet, type Route53Snapshot,
} from './model.js';

/** The API version every path starts with. */
export const ROUTE53_API_PREFIX = '/2013-04-01/';

/** Options of {@link createRoute53Service}. */
export interface Route53ServiceOptions {
  readonly clock: Clock;
  readonly random: SeededRandom;
  /** Called after every change of state (for persistence). */
  readonly onChange?: () => void;
  /**
   * How long (wall ms) a change submitted by a client in another process (the AWS CLI, boto3)
   * keeps a virtual clock from jumping past its INSYNC time, unless a GetChange from another
   * process has seen it PENDING first; 0 turns this off. @default 30_000
   */
  readonly otherProcessWatchMs?: number;
}

/** The Route 53 service: the HTTP side, the model for in-process callers, and its admin actions. */
export interface Route53Sandbox {
  readonly service: SandboxService;
  /** Zones, records, changes and health checks, for in-process callers and tests. */
  readonly model: Route53Model;
  /** Admin actions under `route53.*` (see README.md). */
  admin(action: string, body: Record<string, unknown>): unknown;
  /** Forgets everything. */
  reset(): void;
  /** Releases the holds placed for clients in other processes. */
  dispose(): void;
}

/**
 * Creates the Route 53 service.
 *
 * @example
 * const route53 = createRoute53Service({ clock, random });
 * server.mount(route53.service);
 */
export function createRoute53Service(options: Route53ServiceOptions): Route53Sandbox {
  const { clock } = options;
  const requestIds = options.random.fork('route53-request-ids');
  const model = new Route53Model({ clock, random: options.random.fork('route53-ids'), onChange: options.onChange });
  const watchMs = options.otherProcessWatchMs ?? 30_000;
  /** Holds placed for changes submitted from another process, until it sees them PENDING. */
  const watched = new Map<string, { submittedAt: number; hold: ClockHold }>();

  const service: SandboxService = {
    matches: (req) => req.signingService === 'route53' || (req.signingService === undefined && req.path.startsWith(ROUTE53_API_PREFIX)),
    async handle(req: ServiceRequest): Promise<ServiceResponse> {
      const requestId = requestIds.uuid();
      try {
        const response = route(req);
        return { ...response, headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId, ...(response.headers ?? {}) } };
      } catch (err) {
        if (!(err instanceof Route53Error)) throw err;
        return errorResponse(err, requestId);
      }
    },
    reject(_req: ServiceRequest, problem: FrontEndProblem): ServiceResponse {
      const err = problem.kind === 'forbidden' ? new Route53Error('AccessDenied', problem.message, 403) : new Route53Error('InvalidInput', problem.message, 400);
      return errorResponse(err, requestIds.uuid());
    },
  };

  function errorResponse(err: Route53Error, requestId: string): ServiceResponse {
    const body = document('ErrorResponse', wrap('Error', el('Type', err.status >= 500 ? 'Receiver' : 'Sender') + el('Code', err.code) + el('Message', err.message)) + el('RequestId', requestId));
    return { status: err.status, headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId }, body };
  }

  function route(req: ServiceRequest): ServiceResponse {
    if (!req.path.startsWith(ROUTE53_API_PREFIX)) throw invalidInput(`The request path ${req.path} does not start with ${ROUTE53_API_PREFIX}, the only Route 53 API version`);
    const parts = req.path.slice(ROUTE53_API_PREFIX.length).split('/').filter((p) => p !== '').map(decode);
    const query = new URLSearchParams(req.query ?? '');
    const method = req.method.toUpperCase();
    const [resource, id, sub] = parts;
    const fromOther = req.isFromOtherProcess === true;
    switch (resource) {
      case 'hostedzone':
        if (id === undefined) {
          if (method === 'POST') return createHostedZone(req);
          if (method === 'GET') return listHostedZones(query);
        } else if (sub === undefined) {
          if (method === 'GET') return getHostedZone(id);
          if (method === 'DELETE') return ok('DeleteHostedZoneResponse', changeXml(model.deleteHostedZone(id)));
          if (method === 'POST') return updateHostedZoneComment(id, req);
        } else if (sub === 'rrset' && parts.length === 3) {
          if (method === 'POST') return changeResourceRecordSets(id, req, fromOther);
          if (method === 'GET') return listResourceRecordSets(id, query);
        }
        break;
      case 'hostedzonesbyname':
        if (method === 'GET' && id === undefined) return listHostedZonesByName(query);
        break;
      case 'hostedzonecount':
        if (method === 'GET' && id === undefined) return ok('GetHostedZoneCountResponse', el('HostedZoneCount', model.hostedZones().length));
        break;
      case 'change':
        if (method === 'GET' && id !== undefined && sub === undefined) return getChange(id, fromOther);
        break;
      case 'healthcheck':
        if (id === undefined) {
          if (method === 'POST') return createHealthCheck(req);
          if (method === 'GET') return listHealthChecks(query);
        } else if (sub === undefined) {
          if (method === 'GET') return ok('GetHealthCheckResponse', healthCheckXml(model.healthCheck(id)));
          if (method === 'POST') return updateHealthCheck(id, req);
          if (method === 'DELETE') {
            model.deleteHealthCheck(id);
            return ok('DeleteHealthCheckResponse', '');
          }
        } else if (sub === 'status' && parts.length === 3 && method === 'GET') {
          return getHealthCheckStatus(id);
        }
        break;
      case 'healthcheckcount':
        if (method === 'GET' && id === undefined) return ok('GetHealthCheckCountResponse', el('HealthCheckCount', model.healthCheckList().length));
        break;
      default:
        break;
    }
    throw new Route53Error('InvalidAction', `The sandbox's Route 53 does not implement ${method} ${req.path}; see sandbox/route53/README.md for the operations it answers`, 400);
  }

  // ── Hosted zones ──────────────────────────────────────────────────────────────────────────

  function createHostedZone(req: ServiceRequest): ServiceResponse {
    const root = requestRoot(req, 'CreateHostedZoneRequest');
    const config = child(root, 'HostedZoneConfig');
    const vpc = child(root, 'VPC');
    if (textOf(root, 'DelegationSetId') !== undefined) throw invalidInput('The sandbox has no reusable delegation sets; omit DelegationSetId');
    const privateText = textOf(config, 'PrivateZone');
    const { zone, change } = model.createHostedZone({
      Name: textOf(root, 'Name') ?? '',
      CallerReference: textOf(root, 'CallerReference') ?? '',
      ...(textOf(config, 'Comment') !== undefined ? { Comment: textOf(config, 'Comment')! } : {}),
      ...(privateText !== undefined ? { PrivateZone: bool(privateText, 'HostedZoneConfig/PrivateZone') } : {}),
      ...(vpc ? { VPC: { VPCRegion: textOf(vpc, 'VPCRegion') ?? '', VPCId: textOf(vpc, 'VPCId') ?? '' } } : {}),
    });
    return {
      status: 201,
      headers: { Location: `https://route53.amazonaws.com/2013-04-01/hostedzone/${zone.id}` },
      body: document('CreateHostedZoneResponse', hostedZoneXml(zone) + changeXml(change) + delegation(zone) + vpcsXml(zone, 'VPC')),
    };
  }

  function getHostedZone(id: string): ServiceResponse {
    const zone = model.hostedZone(id);
    return ok('GetHostedZoneResponse', hostedZoneXml(zone) + delegation(zone) + (zone.privateZone ? wrap('VPCs', vpcsXml(zone, 'VPC')) : ''));
  }

  function updateHostedZoneComment(id: string, req: ServiceRequest): ServiceResponse {
    const root = requestRoot(req, 'UpdateHostedZoneCommentRequest');
    const zone = model.hostedZone(id);
    const comment = textOf(root, 'Comment');
    Object.assign(zone as { comment?: string }, { comment: comment === '' ? undefined : comment });
    options.onChange?.();
    return ok('UpdateHostedZoneCommentResponse', hostedZoneXml(zone));
  }

  /** ListHostedZones: creation order; `marker` is the id of the first zone of the page. */
  function listHostedZones(query: URLSearchParams): ServiceResponse {
    const maxItems = maxItemsOf(query, 100);
    if (query.get('delegationsetid') !== null) throw invalidInput('The sandbox has no reusable delegation sets; omit delegationsetid');
    const type = query.get('hostedzonetype');
    if (type !== null && type !== 'PrivateHostedZone') throw invalidInput(`1 validation error detected: Value '${type}' at 'hostedZoneType' failed to satisfy constraint: Member must satisfy enum value set: [PrivateHostedZone]`);
    const zones = model.hostedZones().filter((z) => type === null || z.privateZone);
    const marker = query.get('marker');
    let start = 0;
    if (marker !== null) {
      start = zones.findIndex((z) => z.id === marker);
      if (start < 0) throw invalidInput(`Invalid marker: ${marker} is not the ID of a hosted zone`);
    }
    const page = zones.slice(start, start + maxItems.value);
    const next = zones[start + maxItems.value];
    return ok('ListHostedZonesResponse', wrap('HostedZones', page.map(hostedZoneXml).join('')) + (marker !== null ? el('Marker', marker) : '') +
      el('IsTruncated', next !== undefined) + (next ? el('NextMarker', next.id) : '') + el('MaxItems', maxItems.given));
  }

  /** ListHostedZonesByName: reversed-label order, then id; starts at the first zone ≥ (`dnsname`, `hostedzoneid`). */
  function listHostedZonesByName(query: URLSearchParams): ServiceResponse {
    const maxItems = maxItemsOf(query, 100);
    const dnsName = query.get('dnsname');
    const zoneId = query.get('hostedzoneid');
    if (zoneId !== null && dnsName === null) throw invalidInput('The input is not valid: hostedzoneid requires dnsname');
    const zones = model.hostedZonesByName();
    let start = 0;
    if (dnsName !== null) {
      const key = reversedKey(canonicalName(dnsName));
      start = zones.findIndex((z) => reversedKey(z.name) > key || (reversedKey(z.name) === key && (zoneId === null || z.id >= zoneId)));
      if (start < 0) start = zones.length;
    }
    const page = zones.slice(start, start + maxItems.value);
    const next = zones[start + maxItems.value];
    return ok('ListHostedZonesByNameResponse', wrap('HostedZones', page.map(hostedZoneXml).join('')) +
      (dnsName !== null ? el('DNSName', displayName(canonicalName(dnsName))) : '') + (zoneId !== null ? el('HostedZoneId', zoneId) : '') +
      el('IsTruncated', next !== undefined) + (next ? el('NextDNSName', displayName(next.name)) + el('NextHostedZoneId', next.id) : '') + el('MaxItems', maxItems.given));
  }

  // ── Record sets ───────────────────────────────────────────────────────────────────────────

  function changeResourceRecordSets(id: string, req: ServiceRequest, fromOther: boolean): ServiceResponse {
    const root = requestRoot(req, 'ChangeResourceRecordSetsRequest');
    const batch = child(root, 'ChangeBatch');
    if (!batch) throw invalidInput('Invalid XML ; the request has no ChangeBatch element');
    const changesNode = child(batch, 'Changes');
    const changes: Change[] = childrenNamed(changesNode, 'Change').map((c) => ({
      Action: textOf(c, 'Action') ?? '',
      ResourceRecordSet: parseRecordSet(child(c, 'ResourceRecordSet')),
    }));
    const comment = textOf(batch, 'Comment');
    const change = model.changeResourceRecordSets(id, { Changes: changes, ...(comment !== undefined ? { Comment: comment } : {}) });
    return ok('ChangeResourceRecordSetsResponse', changeXml(watch(change, fromOther)));
  }

  function listResourceRecordSets(id: string, query: URLSearchParams): ServiceResponse {
    const maxItems = maxItemsOf(query, 300);
    const name = query.get('name');
    const type = query.get('type');
    const identifier = query.get('identifier');
    const page = model.listResourceRecordSets(id, {
      ...(name !== null ? { name } : {}), ...(type !== null ? { type } : {}), ...(identifier !== null ? { identifier } : {}), maxItems: maxItems.value,
    });
    const next = page.next;
    return ok('ListResourceRecordSetsResponse', wrap('ResourceRecordSets', page.records.map(recordSetXml).join('')) + el('IsTruncated', page.isTruncated) +
      (next ? el('NextRecordName', displayName(next.name)) + el('NextRecordType', next.type) + el('NextRecordIdentifier', next.identifier) : '') +
      el('MaxItems', maxItems.given));
  }

  // ── Changes ───────────────────────────────────────────────────────────────────────────────

  function getChange(id: string, fromOther: boolean): ServiceResponse {
    const change = model.change(id);
    if (fromOther) releaseThrough(change.submittedAt);
    return ok('GetChangeResponse', changeXml(change));
  }

  /**
   * A change batch submitted by a client in another process: a virtual clock does not jump past
   * its INSYNC time until a GetChange from another process has read it (or a later change), or
   * for `watchMs` of wall time, so a poller sees PENDING once and then INSYNC. (Zone creation and
   * deletion changes are not held: clients seldom poll them, and a hold nobody releases would
   * stop the clock for the whole window.)
   */
  function watch(change: ChangeInfo, fromOther: boolean): ChangeInfo {
    if (fromOther && watchMs > 0 && clock.holdBefore && !change.held) {
      watched.set(change.id, { submittedAt: change.submittedAt, hold: clock.holdBefore(change.insyncAt, watchMs) });
    }
    return change;
  }

  /** Releases the holds of the changes submitted at or before `submittedAt`. */
  function releaseThrough(submittedAt: number): void {
    for (const [id, w] of watched) {
      if (w.submittedAt > submittedAt) continue;
      w.hold.release();
      watched.delete(id);
    }
  }

  function release(changeId: string): void {
    watched.get(changeId)?.hold.release();
    watched.delete(changeId);
  }

  // ── Health checks ─────────────────────────────────────────────────────────────────────────

  function createHealthCheck(req: ServiceRequest): ServiceResponse {
    const root = requestRoot(req, 'CreateHealthCheckRequest');
    const configNode = child(root, 'HealthCheckConfig');
    if (!configNode) throw invalidInput(`1 validation error detected: Value null at 'healthCheckConfig' failed to satisfy constraint: Member must not be null`);
    const { healthCheck } = model.createHealthCheck(textOf(root, 'CallerReference') ?? '', parseHealthCheckSettings(configNode) as HealthCheckConfig);
    return {
      status: 201,
      headers: { Location: `https://route53.amazonaws.com/2013-04-01/healthcheck/${healthCheck.id}` },
      body: document('CreateHealthCheckResponse', healthCheckXml(healthCheck)),
    };
  }

  function updateHealthCheck(id: string, req: ServiceRequest): ServiceResponse {
    const root = requestRoot(req, 'UpdateHealthCheckRequest');
    const version = textOf(root, 'HealthCheckVersion');
    const reset = child(root, 'ResetElements');
    const h = model.updateHealthCheck(id, {
      ...parseHealthCheckSettings(root),
      ...(version !== undefined ? { HealthCheckVersion: int(version, 'HealthCheckVersion') } : {}),
      ...(reset ? { ResetElements: childrenNamed(reset, 'ResettableElementName').map((n) => n.text.trim()) } : {}),
    });
    return ok('UpdateHealthCheckResponse', healthCheckXml(h));
  }

  function listHealthChecks(query: URLSearchParams): ServiceResponse {
    const maxItems = maxItemsOf(query, 1000);
    const all = model.healthCheckList();
    const marker = query.get('marker');
    let start = 0;
    if (marker !== null) {
      start = all.findIndex((h) => h.id === marker);
      if (start < 0) throw invalidInput(`Invalid marker: ${marker} is not the ID of a health check`);
    }
    const page = all.slice(start, start + maxItems.value);
    const next = all[start + maxItems.value];
    return ok('ListHealthChecksResponse', wrap('HealthChecks', page.map(healthCheckXml).join('')) + el('Marker', marker ?? '') +
      el('IsTruncated', next !== undefined) + (next ? el('NextMarker', next.id) : '') + el('MaxItems', maxItems.given));
  }

  function getHealthCheckStatus(id: string): ServiceResponse {
    const observations = model.healthCheckStatus(id).map((o) => wrap('HealthCheckObservation',
      el('Region', o.Region) + el('IPAddress', o.IPAddress) + wrap('StatusReport', el('Status', o.Status) + el('CheckedTime', iso(o.CheckedTime)))));
    return ok('GetHealthCheckStatusResponse', wrap('HealthCheckObservations', observations.join('')));
  }

  /** A `ChangeInfo` element with the change's status now. */
  function changeXml(c: ChangeInfo): string {
    return wrap('ChangeInfo', el('Id', `/change/${c.id}`) + el('Status', model.statusOf(c)) + el('SubmittedAt', iso(c.submittedAt)) + el('Comment', c.comment));
  }

  // ── Admin ─────────────────────────────────────────────────────────────────────────────────

  function admin(action: string, body: Record<string, unknown>): unknown {
    try {
      return adminAction(action, body);
    } catch (err) {
      if (err instanceof Route53Error) throw new AdminError(`route53 admin › ${action}: ${err.code}: ${err.message}`, err.status);
      throw err;
    }
  }

  function adminAction(action: string, body: Record<string, unknown>): unknown {
    const where = `route53 admin › ${action}`;
    const optionalString = (key: string): string | undefined => {
      const v = body[key];
      if (v !== undefined && typeof v !== 'string') throw new AdminError(`${where} › ${key}: expected a string, found ${JSON.stringify(v)}`);
      return v;
    };
    switch (action) {
      case 'state':
        return {
          hostedZones: model.hostedZones().map(zoneState),
          changes: model.snapshot().changes.map((c) => ({ ...changeState(c), hostedZoneId: c.hostedZoneId ?? null })),
          healthChecks: model.healthCheckList().map(healthCheckState),
          propagationSeconds: model.propagationMs / 1000,
        };
      case 'records': {
        const id = optionalString('hostedZoneId');
        const name = optionalString('name');
        if ((id === undefined) === (name === undefined)) throw new AdminError(`${where}: expected exactly one of hostedZoneId (e.g. "Z0123…") or name (e.g. "example.com"), found ${JSON.stringify(body)}`);
        const zones = id !== undefined ? [model.hostedZone(id)] : model.hostedZones().filter((z) => z.name === canonicalName(name!));
        if (zones.length === 0) throw new AdminError(`${where} › name: no hosted zone is named ${JSON.stringify(name)}; zones: ${model.hostedZones().map((z) => displayName(z.name)).join(', ') || '(none)'}`, 404);
        return { hostedZones: zones.map(zoneState) };
      }
      case 'changes.hold': {
        const changeId = optionalString('changeId');
        const hostedZoneId = optionalString('hostedZoneId');
        if (changeId !== undefined) {
          model.holdChange(changeId);
          release(changeId.replace(/^\/?change\//, ''));
          return { held: [changeId] };
        }
        return { held: model.holdChanges(hostedZoneId !== undefined ? { hostedZoneId } : {}), holdsNewChanges: hostedZoneId ?? 'every hosted zone' };
      }
      case 'changes.release':
        return { released: model.releaseChanges() };
      case 'propagation': {
        const seconds = body.seconds;
        if (typeof seconds !== 'number' || !(seconds >= 0) || seconds > 86_400) throw new AdminError(`${where} › seconds: expected a number from 0 to 86400, found ${JSON.stringify(seconds)}`);
        model.setPropagationMs(Math.round(seconds * 1000));
        return { propagationSeconds: model.propagationMs / 1000 };
      }
      case 'seed': {
        const zones = body.hostedZones;
        if (!Array.isArray(zones)) throw new AdminError(`${where} › hostedZones: expected an array of { name, callerReference?, comment?, records?: [ResourceRecordSet] }, found ${JSON.stringify(zones)}`);
        return {
          hostedZones: zones.map((z: unknown, i: number) => {
            const zone = z as { name?: unknown; callerReference?: unknown; comment?: unknown; records?: unknown };
            if (typeof zone !== 'object' || zone === null || typeof zone.name !== 'string') throw new AdminError(`${where} › hostedZones[${i}].name: expected a domain name such as "example.com", found ${JSON.stringify(zone?.name)}`);
            if (zone.records !== undefined && !Array.isArray(zone.records)) throw new AdminError(`${where} › hostedZones[${i}].records: expected an array of record sets ({ Name, Type, TTL, ResourceRecords } or { Name, Type, AliasTarget }), found ${JSON.stringify(zone.records)}`);
            const seeded = model.seedHostedZone({
              Name: zone.name, ...(typeof zone.callerReference === 'string' ? { CallerReference: zone.callerReference } : {}),
              ...(typeof zone.comment === 'string' ? { Comment: zone.comment } : {}), records: (zone.records ?? []) as ResourceRecordSet[],
            });
            return { id: seeded.id, name: displayName(seeded.name), records: seeded.records.length };
          }),
        };
      }
      case 'health-check.status': {
        const id = optionalString('healthCheckId');
        const status = body.status;
        if (id === undefined) throw new AdminError(`${where} › healthCheckId: expected the id of a health check, found nothing`);
        if (status !== 'healthy' && status !== 'unhealthy') throw new AdminError(`${where} › status: expected "healthy" or "unhealthy", found ${JSON.stringify(status)}`);
        return healthCheckState(model.setHealthCheckStatus(id, status === 'healthy', optionalString('message')));
      }
      default:
        throw new AdminError(`route53 admin: unknown action '${action}'; expected one of state, records, seed, changes.hold, changes.release, propagation, health-check.status`, 404);
    }
  }

  function zoneState(z: HostedZone): unknown {
    return {
      id: z.id, name: displayName(z.name), callerReference: z.callerReference, comment: z.comment ?? null, privateZone: z.privateZone,
      nameServers: z.nameServers, records: z.records.map((r) => ({ ...r, Name: displayName(r.Name), ...(r.AliasTarget ? { AliasTarget: { ...r.AliasTarget, DNSName: displayName(r.AliasTarget.DNSName) } } : {}) })),
    };
  }

  function changeState(c: ChangeInfo): Record<string, unknown> {
    return { id: c.id, status: model.statusOf(c), submittedAt: iso(c.submittedAt), insyncAt: c.held ? null : iso(c.insyncAt), held: c.held, comment: c.comment ?? null };
  }

  function healthCheckState(h: HealthCheck): unknown {
    return { id: h.id, callerReference: h.callerReference, version: h.version, config: h.config, healthy: h.status.healthy, message: h.status.message ?? null };
  }

  return {
    service,
    model,
    admin,
    reset() {
      for (const w of watched.values()) w.hold.release();
      watched.clear();
      model.reset();
    },
    dispose() {
      for (const w of watched.values()) w.hold.release();
      watched.clear();
    },
  };
}

/**
 * Builds the Route 53 service on a sandbox: admin actions `route53.*` and the `reset` hook. Mount
 * the returned `service` on the server.
 */
export function attachRoute53(context: { clock: Clock; random: SeededRandom; admin: AdminRegistry }, options: { onChange?: () => void; otherProcessWatchMs?: number } = {}): Route53Sandbox {
  const route53 = createRoute53Service({ clock: context.clock, random: context.random.fork('route53'), ...options });
  context.admin.registerNamespace('route53', (action, body) => route53.admin(action, body));
  context.admin.registerSeed('route53', (body) => route53.admin('seed', body));
  context.admin.registerReset(() => route53.reset());
  return route53;
}

// ── Request reading ─────────────────────────────────────────────────────────────────────────

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The root element of a request body, which must be `expected`. */
function requestRoot(req: ServiceRequest, expected: string): XmlNode {
  const root = parseXml(req.body.toString('utf8'));
  if (root.name !== expected) throw new Route53Error('MalformedInput', `${root.name} is not valid, expected ${expected}`, 400);
  return root;
}

function int(text: string, where: string): number {
  if (!/^-?\d+$/.test(text)) throw invalidInput(`Invalid XML ; cvc-datatype-valid.1.2.1: '${text}' is not a valid value for 'integer' at '${where}'.`);
  return Number(text);
}

function bool(text: string, where: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw invalidInput(`Invalid XML ; cvc-datatype-valid.1.2.1: '${text}' is not a valid value for 'boolean' at '${where}'.`);
}

/** A `ResourceRecordSet` element as the model takes it (checks of values are the model's). */
function parseRecordSet(node: XmlNode | undefined): ResourceRecordSet {
  if (!node) return undefined as unknown as ResourceRecordSet;
  const t = (name: string): string | undefined => textOf(node, name);
  const records = child(node, 'ResourceRecords');
  const alias = child(node, 'AliasTarget');
  const geo = child(node, 'GeoLocation');
  if (child(node, 'TrafficPolicyInstanceId') || child(node, 'CidrRoutingConfig') || child(node, 'GeoProximityLocation')) {
    throw invalidInput('The sandbox does not model traffic policy instances, CIDR routing or geoproximity routing');
  }
  const aliasTarget: AliasTarget | undefined = alias ? {
    HostedZoneId: textOf(alias, 'HostedZoneId') ?? '',
    DNSName: textOf(alias, 'DNSName') ?? '',
    EvaluateTargetHealth: textOf(alias, 'EvaluateTargetHealth') === undefined ? (undefined as unknown as boolean) : bool(textOf(alias, 'EvaluateTargetHealth')!, 'AliasTarget/EvaluateTargetHealth'),
  } : undefined;
  return {
    Name: t('Name') ?? '',
    Type: t('Type') ?? '',
    ...(t('SetIdentifier') !== undefined ? { SetIdentifier: t('SetIdentifier')! } : {}),
    ...(t('Weight') !== undefined ? { Weight: int(t('Weight')!, 'Weight') } : {}),
    ...(t('Region') !== undefined ? { Region: t('Region')! } : {}),
    ...(geo ? { GeoLocation: Object.fromEntries(['ContinentCode', 'CountryCode', 'SubdivisionCode'].filter((k) => textOf(geo, k) !== undefined).map((k) => [k, textOf(geo, k)!])) } : {}),
    ...(t('Failover') !== undefined ? { Failover: t('Failover')! } : {}),
    ...(t('MultiValueAnswer') !== undefined ? { MultiValueAnswer: bool(t('MultiValueAnswer')!, 'MultiValueAnswer') } : {}),
    ...(t('TTL') !== undefined ? { TTL: int(t('TTL')!, 'TTL') } : {}),
    ...(records ? { ResourceRecords: childrenNamed(records, 'ResourceRecord').map((r) => ({ Value: textOf(r, 'Value') ?? (undefined as unknown as string) })) } : {}),
    ...(aliasTarget ? { AliasTarget: aliasTarget } : {}),
    ...(t('HealthCheckId') !== undefined ? { HealthCheckId: t('HealthCheckId')! } : {}),
  };
}

/** The settings of a `HealthCheckConfig` or `UpdateHealthCheckRequest` element that are present. */
function parseHealthCheckSettings(node: XmlNode): Partial<HealthCheckConfig> {
  const t = (name: string): string | undefined => textOf(node, name);
  const list = (outer: string, inner: string): string[] | undefined => {
    const n = child(node, outer);
    return n ? childrenNamed(n, inner).map((c) => c.text.trim()) : undefined;
  };
  const alarm = child(node, 'AlarmIdentifier');
  const out: Record<string, unknown> = {};
  for (const k of ['IPAddress', 'Type', 'ResourcePath', 'FullyQualifiedDomainName', 'SearchString', 'InsufficientDataHealthStatus', 'RoutingControlArn']) {
    if (t(k) !== undefined) out[k] = t(k);
  }
  for (const k of ['Port', 'RequestInterval', 'FailureThreshold', 'HealthThreshold']) if (t(k) !== undefined) out[k] = int(t(k)!, k);
  for (const k of ['MeasureLatency', 'Inverted', 'Disabled', 'EnableSNI']) if (t(k) !== undefined) out[k] = bool(t(k)!, k);
  const children = list('ChildHealthChecks', 'ChildHealthCheck');
  if (children) out.ChildHealthChecks = children;
  const regions = list('Regions', 'Region');
  if (regions) out.Regions = regions;
  if (alarm) out.AlarmIdentifier = { Region: textOf(alarm, 'Region') ?? '', Name: textOf(alarm, 'Name') ?? '' };
  return out as Partial<HealthCheckConfig>;
}

/** `maxitems`: a positive integer, capped at `cap`; `given` is echoed in `MaxItems` as sent. */
function maxItemsOf(query: URLSearchParams, cap: number): { value: number; given: string } {
  const raw = query.get('maxitems');
  if (raw === null) return { value: cap === 1000 ? 100 : cap, given: String(cap === 1000 ? 100 : cap) };
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw invalidInput(`1 validation error detected: Value '${raw}' at 'maxItems' failed to satisfy constraint: Member must be a positive integer`);
  return { value: Math.min(Number(raw), cap), given: raw };
}

function reversedKey(canonical: string): string {
  return canonical.replace(/\.$/, '').split('.').reverse().join('.');
}

// ── Response writing ────────────────────────────────────────────────────────────────────────

function ok(root: string, inner: string): ServiceResponse {
  return { status: 200, body: document(root, inner) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function hostedZoneXml(z: HostedZone): string {
  return wrap('HostedZone', el('Id', `/hostedzone/${z.id}`) + el('Name', displayName(z.name)) + el('CallerReference', z.callerReference) +
    wrap('Config', el('Comment', z.comment) + el('PrivateZone', z.privateZone)) + el('ResourceRecordSetCount', z.records.length));
}

function delegation(z: HostedZone): string {
  if (z.privateZone) return '';
  return wrap('DelegationSet', wrap('NameServers', z.nameServers.map((n) => el('NameServer', n.replace(/\.$/, ''))).join('')));
}

function vpcsXml(z: HostedZone, element: string): string {
  return z.vpcs.map((v) => wrap(element, el('VPCRegion', v.VPCRegion) + el('VPCId', v.VPCId))).join('');
}


function recordSetXml(r: ResourceRecordSet): string {
  const geo = r.GeoLocation;
  return wrap('ResourceRecordSet', el('Name', displayName(r.Name)) + el('Type', r.Type) + el('SetIdentifier', r.SetIdentifier) + el('Weight', r.Weight) +
    el('Region', r.Region) + (geo ? wrap('GeoLocation', el('ContinentCode', geo.ContinentCode) + el('CountryCode', geo.CountryCode) + el('SubdivisionCode', geo.SubdivisionCode)) : '') +
    el('Failover', r.Failover) + el('MultiValueAnswer', r.MultiValueAnswer) + el('TTL', r.TTL) +
    (r.ResourceRecords ? wrap('ResourceRecords', r.ResourceRecords.map((v) => wrap('ResourceRecord', el('Value', v.Value))).join('')) : '') +
    (r.AliasTarget ? wrap('AliasTarget', el('HostedZoneId', r.AliasTarget.HostedZoneId) + el('DNSName', displayName(r.AliasTarget.DNSName)) + el('EvaluateTargetHealth', r.AliasTarget.EvaluateTargetHealth)) : '') +
    el('HealthCheckId', r.HealthCheckId));
}

function healthCheckXml(h: HealthCheck): string {
  const c = h.config;
  const config = el('IPAddress', c.IPAddress) + el('Port', c.Port) + el('Type', c.Type) + el('ResourcePath', c.ResourcePath) +
    el('FullyQualifiedDomainName', c.FullyQualifiedDomainName) + el('SearchString', c.SearchString) + el('RequestInterval', c.RequestInterval) +
    el('FailureThreshold', c.FailureThreshold) + el('MeasureLatency', c.MeasureLatency) + el('Inverted', c.Inverted) + el('Disabled', c.Disabled) +
    el('HealthThreshold', c.HealthThreshold) + (c.ChildHealthChecks ? wrap('ChildHealthChecks', c.ChildHealthChecks.map((x) => el('ChildHealthCheck', x)).join('')) : '') +
    el('EnableSNI', c.EnableSNI) + (c.Regions ? wrap('Regions', c.Regions.map((x) => el('Region', x)).join('')) : '') +
    (c.AlarmIdentifier ? wrap('AlarmIdentifier', el('Region', c.AlarmIdentifier.Region) + el('Name', c.AlarmIdentifier.Name)) : '') +
    el('InsufficientDataHealthStatus', c.InsufficientDataHealthStatus) + el('RoutingControlArn', c.RoutingControlArn);
  return wrap('HealthCheck', el('Id', h.id) + el('CallerReference', h.callerReference) + wrap('HealthCheckConfig', config) + el('HealthCheckVersion', h.version));
}
