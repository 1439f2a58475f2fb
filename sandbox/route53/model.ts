/**
 * The hosted zones, record sets, changes and health checks of the sandbox's Route 53, with the
 * rules Route 53 applies to them. No HTTP here: `index.ts` speaks the REST-XML protocol, and
 * in-process callers (tests, the admin API) use this directly. Records and configurations use
 * Route 53's own member names (`Name`, `Type`, `TTL`, `ResourceRecords`, `AliasTarget`, …) so
 * they compare directly with what an SDK returns.
 *
 * Changes are applied at once (a listing shows them, as Route 53's does while they are PENDING)
 * and reach `INSYNC` a modelled propagation time later on the sandbox clock; a fault can keep
 * them `PENDING`.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetChange.html
 */
import type { Clock, TimerHandle } from '../clock.js';
import type { SeededRandom } from '../random.js';
import { checkedSnapshot } from '../snapshot.js';
import {
  invalidChangeBatch, invalidInput, noSuchChange, noSuchHealthCheck, noSuchHostedZone, Route53Error, validationMessage,
} from './errors.js';
import { canonicalName, compareNames, displayName, domainNameProblem, isWithin, reversedLabels } from './names.js';

/** The record types Route 53 accepts. @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html */
export const RECORD_TYPES = ['SOA', 'A', 'TXT', 'NS', 'CNAME', 'MX', 'NAPTR', 'PTR', 'SRV', 'SPF', 'AAAA', 'CAA', 'DS', 'TLSA', 'SSHFP', 'SVCB', 'HTTPS'] as const;
export const CHANGE_ACTIONS = ['CREATE', 'DELETE', 'UPSERT'] as const;
export const HEALTH_CHECK_TYPES = ['HTTP', 'HTTPS', 'HTTP_STR_MATCH', 'HTTPS_STR_MATCH', 'TCP', 'CALCULATED', 'CLOUDWATCH_METRIC', 'RECOVERY_CONTROL'] as const;

/** An alias record's target. */
export interface AliasTarget {
  readonly HostedZoneId: string;
  readonly DNSName: string;
  readonly EvaluateTargetHealth: boolean;
}

/** A geolocation record's location. */
export interface GeoLocation {
  readonly ContinentCode?: string;
  readonly CountryCode?: string;
  readonly SubdivisionCode?: string;
}

/** One resource record set, as Route 53 describes it (`Name` absolute and lower-case once stored). */
export interface ResourceRecordSet {
  readonly Name: string;
  readonly Type: string;
  readonly SetIdentifier?: string;
  readonly Weight?: number;
  readonly Region?: string;
  readonly GeoLocation?: GeoLocation;
  readonly Failover?: string;
  readonly MultiValueAnswer?: boolean;
  readonly TTL?: number;
  readonly ResourceRecords?: readonly { readonly Value: string }[];
  readonly AliasTarget?: AliasTarget;
  readonly HealthCheckId?: string;
}

/** One change of a batch. */
export interface Change {
  readonly Action: string;
  readonly ResourceRecordSet: ResourceRecordSet;
}

/** A hosted zone and its records. */
export interface HostedZone {
  /** Without the `/hostedzone/` prefix, e.g. `Z0123456789ABCDEFGHIJ`. */
  readonly id: string;
  /** Canonical (lower-case, trailing dot). */
  readonly name: string;
  readonly callerReference: string;
  readonly comment?: string;
  readonly privateZone: boolean;
  readonly vpcs: readonly { readonly VPCRegion: string; readonly VPCId: string }[];
  readonly createdAt: number;
  readonly nameServers: readonly string[];
  /** In Route 53's listing order. */
  records: ResourceRecordSet[];
}

/** A change batch (or zone creation/deletion) and its propagation. */
export interface ChangeInfo {
  /** Without the `/change/` prefix. */
  readonly id: string;
  readonly submittedAt: number;
  readonly comment?: string;
  readonly hostedZoneId?: string;
  /** When it is INSYNC, unless held. */
  insyncAt: number;
  /** A fault keeps it PENDING until released. */
  held: boolean;
}

/** A health check's configuration, with Route 53's member names. */
export interface HealthCheckConfig {
  readonly IPAddress?: string;
  readonly Port?: number;
  readonly Type: string;
  readonly ResourcePath?: string;
  readonly FullyQualifiedDomainName?: string;
  readonly SearchString?: string;
  readonly RequestInterval?: number;
  readonly FailureThreshold?: number;
  readonly MeasureLatency?: boolean;
  readonly Inverted?: boolean;
  readonly Disabled?: boolean;
  readonly HealthThreshold?: number;
  readonly ChildHealthChecks?: readonly string[];
  readonly EnableSNI?: boolean;
  readonly Regions?: readonly string[];
  readonly AlarmIdentifier?: { readonly Region: string; readonly Name: string };
  readonly InsufficientDataHealthStatus?: string;
  readonly RoutingControlArn?: string;
}

/** A health check and the status its checkers report (set by a fault). */
export interface HealthCheck {
  readonly id: string;
  readonly callerReference: string;
  config: HealthCheckConfig;
  version: number;
  /** What every checker reports; healthy unless a fault says otherwise. */
  status: { healthy: boolean; message?: string };
}

/** Which changes a fault keeps PENDING. */
export interface ChangeHold {
  /** Only changes of this zone; every change when absent. */
  readonly hostedZoneId?: string;
}

/** A page of {@link Route53Model.listResourceRecordSets}. */
export interface RecordPage {
  readonly records: ResourceRecordSet[];
  readonly isTruncated: boolean;
  readonly next?: { name: string; type: string; identifier?: string };
  readonly maxItems: number;
}

/** The persisted form of the model. */
export interface Route53Snapshot {
  readonly version: 1;
  readonly takenAtMs: number;
  readonly zones: HostedZone[];
  readonly changes: ChangeInfo[];
  readonly healthChecks: HealthCheck[];
  readonly holds: ChangeHold[];
  readonly propagationMs: number;
}

/** How long a change takes to reach every Route 53 name server (AWS: "generally within 60 seconds"). */
export const DEFAULT_PROPAGATION_MS = 30_000;

/** Route 53's quotas the model enforces. @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html */
const MAX_RECORDS_PER_BATCH = 1000;
const MAX_VALUE_CHARS_PER_BATCH = 32_000;
const MAX_TTL = 2_147_483_647;

/** The regions Route 53's health checkers run in by default. @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html */
export const CHECKER_REGIONS = ['us-east-1', 'us-west-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1'] as const;

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Options of {@link Route53Model}. */
export interface Route53ModelOptions {
  readonly clock: Clock;
  readonly random: SeededRandom;
  /** Called after every change of state (for persistence). */
  readonly onChange?: () => void;
}

/**
 * Route 53's state and rules.
 *
 * @example
 * const { zone } = model.createHostedZone({ Name: 'example.com', CallerReference: 'r1' });
 * model.changeResourceRecordSets(zone.id, { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'www.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] } }] });
 */
export class Route53Model {
  private zones = new Map<string, HostedZone>();
  private changes = new Map<string, ChangeInfo>();
  private healthChecks = new Map<string, HealthCheck>();
  private holds: ChangeHold[] = [];
  private timers = new Map<string, TimerHandle>();
  private propagation = DEFAULT_PROPAGATION_MS;
  private readonly clock: Clock;
  private readonly ids: SeededRandom;
  private readonly onChange: () => void;

  constructor(options: Route53ModelOptions) {
    this.clock = options.clock;
    this.ids = options.random;
    this.onChange = options.onChange ?? (() => {});
  }

  // ── Hosted zones ────────────────────────────────────────────────────────────────────────────

  /**
   * CreateHostedZone: the zone with its SOA and NS records, and the change that creates it.
   * A `CallerReference` used before is `HostedZoneAlreadyExists` (409), as on Route 53.
   * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHostedZone.html
   */
  createHostedZone(input: { Name: string; CallerReference: string; Comment?: string; PrivateZone?: boolean; VPC?: { VPCRegion: string; VPCId: string } }): { zone: HostedZone; change: ChangeInfo } {
    if (typeof input.CallerReference !== 'string' || input.CallerReference.length < 1 || input.CallerReference.length > 128) {
      throw invalidInput(validationMessage(String(input.CallerReference ?? 'null'), 'callerReference', 'Member must have length between 1 and 128'));
    }
    if (typeof input.Name !== 'string' || input.Name.trim() === '') throw invalidInput(validationMessage('null', 'name', 'Member must not be null'));
    const name = canonicalName(input.Name);
    const problem = domainNameProblem(name);
    if (problem) throw new Route53Error('InvalidDomainName', `${displayName(name)} is not a valid domain name: ${problem}`, 400);
    if (input.Comment !== undefined && input.Comment.length > 256) throw invalidInput(validationMessage(input.Comment, 'hostedZoneConfig.comment', 'Member must have length less than or equal to 256'));
    for (const z of this.zones.values()) {
      if (z.callerReference === input.CallerReference) {
        throw new Route53Error('HostedZoneAlreadyExists', `A hosted zone has already been created with the specified caller reference.`, 409);
      }
    }
    const privateZone = input.VPC !== undefined || input.PrivateZone === true;
    if (privateZone && input.VPC === undefined) throw invalidInput('When you create a private hosted zone, you must specify the VPC (VPCRegion and VPCId).');
    if (input.VPC !== undefined && input.PrivateZone === false) {
      throw invalidInput('A VPC was specified for a public hosted zone: omit the VPC, or set PrivateZone to true.');
    }
    const id = this.newId('Z', 20);
    const nameServers = privateZone ? [] : this.nameServers();
    const soaServer = privateZone ? 'ns-1536.awsdns-00.co.uk.' : nameServers[0]!;
    const zone: HostedZone = {
      id, name, callerReference: input.CallerReference, ...(input.Comment !== undefined ? { comment: input.Comment } : {}), privateZone,
      vpcs: input.VPC ? [input.VPC] : [], createdAt: this.clock.now(), nameServers,
      records: [
        { Name: name, Type: 'NS', TTL: 172800, ResourceRecords: (privateZone ? ['ns-1536.awsdns-00.co.uk.', 'ns-0.awsdns-00.com.', 'ns-1024.awsdns-00.org.', 'ns-512.awsdns-00.net.'] : nameServers).map((Value) => ({ Value })) },
        { Name: name, Type: 'SOA', TTL: 900, ResourceRecords: [{ Value: `${soaServer} awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400` }] },
      ],
    };
    this.zones.set(id, zone);
    const change = this.newChange(id, undefined);
    this.onChange();
    return { zone, change };
  }

  /** GetHostedZone. @throws Route53Error NoSuchHostedZone */
  hostedZone(id: string): HostedZone {
    const zone = this.zones.get(stripPrefix(id, 'hostedzone'));
    if (!zone) throw noSuchHostedZone(stripPrefix(id, 'hostedzone'));
    return zone;
  }

  /** Every zone, in creation order (ListHostedZones' order). */
  hostedZones(): HostedZone[] {
    return [...this.zones.values()];
  }

  /** Every zone in ListHostedZonesByName's order: reversed labels, then id. */
  hostedZonesByName(): HostedZone[] {
    return this.hostedZones().sort((a, b) => {
      const ra = reversedLabels(displayName(a.name));
      const rb = reversedLabels(displayName(b.name));
      return ra < rb ? -1 : ra > rb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
  }

  /**
   * DeleteHostedZone: only a zone holding nothing but its SOA and apex NS records.
   * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_DeleteHostedZone.html
   */
  deleteHostedZone(id: string): ChangeInfo {
    const zone = this.hostedZone(id);
    if (zone.records.some((r) => !(r.Name === zone.name && (r.Type === 'SOA' || r.Type === 'NS')))) {
      throw new Route53Error('HostedZoneNotEmpty', 'The specified hosted zone contains non-required resource record sets and so cannot be deleted.', 400);
    }
    this.zones.delete(zone.id);
    const change = this.newChange(undefined, undefined);
    this.onChange();
    return change;
  }

  // ── Record sets ─────────────────────────────────────────────────────────────────────────────

  /**
   * ChangeResourceRecordSets: validates the whole batch, each change against the zone as the
   * changes before it leave it, and applies all of it or none of it.
   *
   * @throws Route53Error `InvalidInput` for a malformed change, `InvalidChangeBatch` listing every
   *   problem found, `NoSuchHostedZone`, `NoSuchHealthCheck`.
   */
  changeResourceRecordSets(zoneId: string, batch: { Comment?: string; Changes: readonly Change[] }): ChangeInfo {
    const zone = this.hostedZone(zoneId);
    if (!Array.isArray(batch.Changes) || batch.Changes.length === 0) {
      throw invalidInput(validationMessage('[]', 'changeBatch.changes', 'Member must have length greater than or equal to 1'));
    }
    if (batch.Comment !== undefined && batch.Comment.length > 256) throw invalidInput(validationMessage(batch.Comment, 'changeBatch.comment', 'Member must have length less than or equal to 256'));
    const changes = batch.Changes.map((c, i) => checkChange(c, i + 1));
    let values = 0;
    let valueChars = 0;
    for (const c of changes) {
      const n = c.ResourceRecordSet.ResourceRecords?.length ?? 0;
      values += c.Action === 'UPSERT' ? 2 * n : n;
      valueChars += (c.Action === 'UPSERT' ? 2 : 1) * (c.ResourceRecordSet.ResourceRecords ?? []).reduce((s, r) => s + r.Value.length, 0);
    }
    if (values > MAX_RECORDS_PER_BATCH) throw invalidChangeBatch([`Number of records limit of ${MAX_RECORDS_PER_BATCH} exceeded.`]);
    if (valueChars > MAX_VALUE_CHARS_PER_BATCH) throw invalidChangeBatch([`Number of characters in resource record values limit of ${MAX_VALUE_CHARS_PER_BATCH} exceeded.`]);
    for (const c of changes) {
      const hc = c.ResourceRecordSet.HealthCheckId;
      if (hc !== undefined && !this.healthChecks.has(hc)) throw noSuchHealthCheck(hc);
    }

    const working = [...zone.records];
    const messages: string[] = [];
    for (const change of changes) {
      const problems = this.applyChange(zone, working, change);
      messages.push(...problems);
    }
    if (messages.length > 0) throw invalidChangeBatch(messages);
    zone.records = working.sort(compareRecords);
    const change = this.newChange(zone.id, batch.Comment);
    this.onChange();
    return change;
  }

  /** Applies one checked change to `records` (the batch's working copy); returns its problems. */
  private applyChange(zone: HostedZone, records: ResourceRecordSet[], change: Change): string[] {
    const rrs = change.ResourceRecordSet;
    const name = rrs.Name;
    const shown = displayName(name);
    const zoneShown = displayName(zone.name);
    if (!isWithin(name, zone.name)) return [`RRSet with DNS name ${shown} is not permitted in zone ${zoneShown}`];
    const label = `[name='${shown}', type='${rrs.Type}'${rrs.SetIdentifier !== undefined ? `, set-identifier='${rrs.SetIdentifier}'` : ''}]`;
    const at = records.findIndex((r) => sameKey(r, rrs));
    if (change.Action === 'DELETE') {
      if (at < 0) return [`Tried to delete resource record set ${label} but it was not found`];
      if (!sameValues(records[at]!, rrs)) return [`Tried to delete resource record set ${label} but the values provided do not match the current values`];
      if (name === zone.name && rrs.Type === 'SOA') return ['A HostedZone must contain exactly one SOA record.'];
      if (name === zone.name && rrs.Type === 'NS') return ['A HostedZone must contain at least one NS record for the zone itself.'];
      records.splice(at, 1);
      return [];
    }
    if (change.Action === 'CREATE' && at >= 0) return [`Tried to create resource record set ${label} but it already exists`];
    const problems = this.recordProblems(zone, records, rrs);
    if (problems.length > 0) return problems;
    if (at >= 0) records[at] = rrs;
    else records.push(rrs);
    return [];
  }

  /** What Route 53 refuses in a record being created or replaced, given the zone's other records. */
  private recordProblems(zone: HostedZone, records: readonly ResourceRecordSet[], rrs: ResourceRecordSet): string[] {
    const shown = displayName(rrs.Name);
    const zoneShown = displayName(zone.name);
    const problems: string[] = [];
    if (rrs.Type === 'CNAME' && rrs.Name === zone.name) return [`RRSet of type CNAME with DNS name ${shown} is not permitted at apex in zone ${zoneShown}`];
    if ((rrs.Type === 'SOA') && rrs.Name !== zone.name) return [`RRSet of type SOA with DNS name ${shown} is not permitted because SOA records are only permitted at the apex of zone ${zoneShown}`];
    for (const { Value } of rrs.ResourceRecords ?? []) {
      const p = valueProblem(rrs.Type, Value);
      if (p) problems.push(p);
    }
    if (rrs.Type === 'CNAME' && (rrs.ResourceRecords?.length ?? 0) > 1) problems.push(`RRSet of type CNAME with DNS name ${shown} has more than one resource record; a CNAME record takes exactly one value`);
    if (problems.length > 0) return problems;
    const others = records.filter((r) => r.Name === rrs.Name && !sameKey(r, rrs));
    if (rrs.Type === 'CNAME' && others.some((r) => r.Type !== 'CNAME')) {
      return [`RRSet of type CNAME with DNS name ${shown} is not permitted as it conflicts with other records with the same DNS name in zone ${zoneShown}`];
    }
    if (rrs.Type !== 'CNAME' && others.some((r) => r.Type === 'CNAME')) {
      return [`RRSet of type ${rrs.Type} with DNS name ${shown} is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone ${zoneShown}`];
    }
    const sameType = others.filter((r) => r.Type === rrs.Type);
    if (rrs.SetIdentifier !== undefined && sameType.some((r) => r.SetIdentifier === undefined)) {
      return [`RRSet with DNS name ${shown}, type ${rrs.Type}, SetIdentifier ${rrs.SetIdentifier} cannot be created as a non-weighted set exists with the same name and type.`];
    }
    if (rrs.SetIdentifier === undefined && sameType.length > 0) {
      return [`RRSet with DNS name ${shown}, type ${rrs.Type} cannot be created as other RRsets exist with the same name and type.`];
    }
    const policy = routingPolicy(rrs);
    const clash = sameType.find((r) => routingPolicy(r) !== policy);
    if (clash) {
      return [`RRSet with DNS name ${shown}, type ${rrs.Type}, SetIdentifier ${rrs.SetIdentifier} cannot be created because RRSet with SetIdentifier ${clash.SetIdentifier} uses a different routing policy with the same name and type.`];
    }
    if (rrs.Failover !== undefined && sameType.some((r) => r.Failover === rrs.Failover)) {
      return [`Tried to create resource record set [name='${shown}', type='${rrs.Type}', set-identifier='${rrs.SetIdentifier}'] but a ${rrs.Failover} failover record already exists with the same name and type`];
    }
    const alias = rrs.AliasTarget;
    if (alias) {
      const target = this.zones.get(alias.HostedZoneId);
      if (target) {
        const targetRecords = target.id === zone.id ? records : target.records;
        const where = `Tried to create an alias that targets ${displayName(alias.DNSName)}, type ${rrs.Type} in zone ${target.id}`;
        if (!isWithin(alias.DNSName, target.name)) return [`${where}, but the alias target name does not lie within the target zone`];
        if (!targetRecords.some((r) => r.Name === alias.DNSName && (r.Type === rrs.Type || r.Type === 'CNAME'))) return [`${where}, but that target was not found`];
        if (alias.DNSName === rrs.Name && target.id === zone.id) return [`${where}, but the alias target is the record itself`];
      }
    }
    return [];
  }

  /**
   * ListResourceRecordSets: names with labels reversed, then type, then set identifier; the page
   * starts at the first record ≥ (`name`, `type`, `identifier`).
   * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListResourceRecordSets.html
   */
  listResourceRecordSets(zoneId: string, options: { name?: string; type?: string; identifier?: string; maxItems?: number } = {}): RecordPage {
    const zone = this.hostedZone(zoneId);
    if (options.type !== undefined && options.name === undefined) throw invalidInput('The input is not valid: StartRecordType requires StartRecordName');
    if (options.identifier !== undefined && options.type === undefined) throw invalidInput('The input is not valid: StartRecordIdentifier requires StartRecordName and StartRecordType');
    if (options.type !== undefined && !(RECORD_TYPES as readonly string[]).includes(options.type)) {
      throw invalidInput(validationMessage(options.type, 'type', `Member must satisfy enum value set: [${RECORD_TYPES.join(', ')}]`));
    }
    const maxItems = Math.min(options.maxItems ?? 300, 300);
    let start = 0;
    if (options.name !== undefined) {
      const from: ResourceRecordSet = { Name: canonicalName(options.name), Type: options.type ?? '', ...(options.identifier !== undefined ? { SetIdentifier: options.identifier } : {}) };
      start = zone.records.findIndex((r) => compareRecords(r, from) >= 0);
      if (start < 0) start = zone.records.length;
    }
    const records = zone.records.slice(start, start + maxItems);
    const following = zone.records[start + maxItems];
    return {
      records,
      isTruncated: following !== undefined,
      ...(following ? { next: { name: following.Name, type: following.Type, ...(following.SetIdentifier !== undefined ? { identifier: following.SetIdentifier } : {}) } } : {}),
      maxItems: options.maxItems ?? 300,
    };
  }

  /**
   * Seeds a zone as if it had existed for a while: created (or found again by its caller
   * reference, so seeding twice is harmless) with `records` upserted in one checked batch, its
   * changes already INSYNC.
   * @throws Route53Error as CreateHostedZone and ChangeResourceRecordSets do
   */
  seedHostedZone(input: { Name: string; CallerReference?: string; Comment?: string; records?: readonly ResourceRecordSet[] }): HostedZone {
    const callerReference = input.CallerReference ?? `seed:${canonicalName(input.Name)}`;
    const existing = [...this.zones.values()].find((z) => z.callerReference === callerReference);
    const created = existing ? undefined : this.createHostedZone({ Name: input.Name, CallerReference: callerReference, ...(input.Comment !== undefined ? { Comment: input.Comment } : {}) });
    const zone = existing ?? created!.zone;
    if (created) this.settle(created.change);
    if (input.records && input.records.length > 0) {
      try {
        this.settle(this.changeResourceRecordSets(zone.id, { Changes: input.records.map((r) => ({ Action: 'UPSERT', ResourceRecordSet: r })) }));
      } catch (err) {
        // All or nothing: a zone created for records that cannot be seeded goes again.
        if (created) {
          this.zones.delete(zone.id);
          this.changes.delete(created.change.id);
          this.onChange();
        }
        throw err;
      }
    }
    return zone;
  }

  /** Makes a change INSYNC now (seeding). */
  private settle(change: ChangeInfo): void {
    change.insyncAt = change.submittedAt;
    change.held = false;
    this.arm(change);
    this.onChange();
  }

  // ── Changes ─────────────────────────────────────────────────────────────────────────────────

  /** GetChange: the change and its status now. @throws Route53Error NoSuchChange */
  change(id: string): ChangeInfo & { status: 'PENDING' | 'INSYNC' } {
    const change = this.changes.get(stripPrefix(id, 'change'));
    if (!change) throw noSuchChange(stripPrefix(id, 'change'));
    return { ...change, status: this.statusOf(change) };
  }

  /** PENDING until the propagation time has passed (and no fault holds it), then INSYNC. */
  statusOf(change: ChangeInfo): 'PENDING' | 'INSYNC' {
    return !change.held && this.clock.now() >= change.insyncAt ? 'INSYNC' : 'PENDING';
  }

  /** The modelled propagation time, ms. */
  get propagationMs(): number {
    return this.propagation;
  }

  /** Sets the propagation time of changes submitted from now on. */
  setPropagationMs(ms: number): void {
    if (!Number.isInteger(ms) || ms < 0 || ms > 86_400_000) throw new RangeError(`route53 › propagationMs: expected an integer from 0 to 86400000 (one day), found ${JSON.stringify(ms)}`);
    this.propagation = ms;
    this.onChange();
  }

  /**
   * A fault: changes submitted from now on (to one zone, or to any) stay PENDING, and so do the
   * matching changes still PENDING now, until {@link releaseChanges}. Returns the ids held now.
   */
  holdChanges(hold: ChangeHold = {}): string[] {
    const zoneId = hold.hostedZoneId === undefined ? undefined : this.hostedZone(hold.hostedZoneId).id;
    this.holds.push(zoneId === undefined ? {} : { hostedZoneId: zoneId });
    const held: string[] = [];
    for (const c of this.changes.values()) {
      if (this.statusOf(c) === 'PENDING' && (zoneId === undefined || c.hostedZoneId === zoneId)) {
        c.held = true;
        held.push(c.id);
      }
    }
    this.onChange();
    return held;
  }

  /** Keeps one change PENDING (whatever its status now) until {@link releaseChanges}. */
  holdChange(id: string): void {
    const change = this.changes.get(stripPrefix(id, 'change'));
    if (!change) throw noSuchChange(stripPrefix(id, 'change'));
    change.held = true;
    this.onChange();
  }

  /** Ends every hold: held changes become INSYNC once their propagation time (counted from now at the earliest) has passed. */
  releaseChanges(): string[] {
    this.holds = [];
    const released: string[] = [];
    for (const c of this.changes.values()) {
      if (!c.held) continue;
      c.held = false;
      c.insyncAt = Math.max(c.insyncAt, this.clock.now());
      this.arm(c);
      released.push(c.id);
    }
    this.onChange();
    return released;
  }

  private newChange(hostedZoneId: string | undefined, comment: string | undefined): ChangeInfo {
    const now = this.clock.now();
    const held = this.holds.some((h) => h.hostedZoneId === undefined || h.hostedZoneId === hostedZoneId);
    const change: ChangeInfo = {
      id: this.newId('C', 20), submittedAt: now, insyncAt: now + this.propagation, held,
      ...(comment !== undefined ? { comment } : {}), ...(hostedZoneId !== undefined ? { hostedZoneId } : {}),
    };
    this.changes.set(change.id, change);
    this.arm(change);
    return change;
  }

  /** A timer at the change's INSYNC time, so a virtual clock moves through the propagation. */
  private arm(change: ChangeInfo): void {
    const existing = this.timers.get(change.id);
    if (existing) this.clock.clearTimer(existing);
    if (change.held || change.insyncAt <= this.clock.now()) return;
    this.timers.set(change.id, this.clock.setTimer(change.insyncAt, () => {
      this.timers.delete(change.id);
      this.onChange();
    }));
  }

  // ── Health checks ───────────────────────────────────────────────────────────────────────────

  /**
   * CreateHealthCheck: the same `CallerReference` with the same settings answers the existing
   * health check; with other settings, `HealthCheckAlreadyExists` (409).
   * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHealthCheck.html
   */
  createHealthCheck(callerReference: string, config: HealthCheckConfig): { healthCheck: HealthCheck; created: boolean } {
    if (typeof callerReference !== 'string' || callerReference.length < 1 || callerReference.length > 64) {
      throw invalidInput(validationMessage(String(callerReference ?? 'null'), 'callerReference', 'Member must have length between 1 and 64'));
    }
    const full = checkHealthCheckConfig(config);
    for (const h of this.healthChecks.values()) {
      if (h.callerReference !== callerReference) continue;
      if (JSON.stringify(h.config) === JSON.stringify(full)) return { healthCheck: h, created: false };
      throw new Route53Error('HealthCheckAlreadyExists', `A health check with the caller reference '${callerReference}' already exists, with different settings.`, 409);
    }
    const healthCheck: HealthCheck = { id: this.ids.uuid(), callerReference, config: full, version: 1, status: { healthy: true } };
    this.healthChecks.set(healthCheck.id, healthCheck);
    this.onChange();
    return { healthCheck, created: true };
  }

  /** GetHealthCheck. @throws Route53Error NoSuchHealthCheck */
  healthCheck(id: string): HealthCheck {
    const h = this.healthChecks.get(id);
    if (!h) throw noSuchHealthCheck(id);
    return h;
  }

  /** Every health check, in creation order. */
  healthCheckList(): HealthCheck[] {
    return [...this.healthChecks.values()];
  }

  /** DeleteHealthCheck: refused while a record set or a calculated health check refers to it (`HealthCheckInUse`). */
  deleteHealthCheck(id: string): void {
    const h = this.healthCheck(id);
    for (const z of this.zones.values()) {
      const user = z.records.find((r) => r.HealthCheckId === h.id);
      if (user) throw new Route53Error('HealthCheckInUse', `The health check ${h.id} is in use by the resource record set [name='${displayName(user.Name)}', type='${user.Type}'] in hosted zone ${z.id} and cannot be deleted.`, 400);
    }
    const parent = [...this.healthChecks.values()].find((p) => p.config.ChildHealthChecks?.includes(h.id));
    if (parent) throw new Route53Error('HealthCheckInUse', `The health check ${h.id} is a child of the calculated health check ${parent.id} and cannot be deleted.`, 400);
    this.healthChecks.delete(h.id);
    this.onChange();
  }

  /**
   * UpdateHealthCheck: the given settings replace the current ones (`ResetElements` clears
   * optional ones) and the version goes up by one; a stale `HealthCheckVersion` is
   * `HealthCheckVersionMismatch` (409).
   * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_UpdateHealthCheck.html
   */
  updateHealthCheck(id: string, update: Partial<Omit<HealthCheckConfig, 'Type'>> & { HealthCheckVersion?: number; ResetElements?: readonly string[] }): HealthCheck {
    const h = this.healthCheck(id);
    if (update.HealthCheckVersion !== undefined && update.HealthCheckVersion !== h.version) {
      throw new Route53Error('HealthCheckVersionMismatch', `The value of HealthCheckVersion in the request (${update.HealthCheckVersion}) doesn't match the value of HealthCheckVersion in the health check (${h.version}).`, 409);
    }
    const { HealthCheckVersion: _v, ResetElements, ...settings } = update;
    void _v;
    const next: Record<string, unknown> = { ...h.config, ...settings };
    const resettable = ['FullyQualifiedDomainName', 'Regions', 'ResourcePath', 'ChildHealthChecks'];
    for (const e of ResetElements ?? []) {
      if (!resettable.includes(e)) throw invalidInput(validationMessage(e, 'resetElements.member', `Member must satisfy enum value set: [${resettable.join(', ')}]`));
      delete next[e];
    }
    h.config = checkHealthCheckConfig(next as unknown as HealthCheckConfig);
    h.version += 1;
    this.onChange();
    return h;
  }

  /** A fault (or its end): what every checker reports for a health check. */
  setHealthCheckStatus(id: string, healthy: boolean, message?: string): HealthCheck {
    const h = this.healthCheck(id);
    h.status = { healthy, ...(message !== undefined ? { message } : {}) };
    this.onChange();
    return h;
  }

  /**
   * GetHealthCheckStatus: one observation per checker region, each the status report a checker
   * writes (`Success: HTTP Status Code 200, OK`, `Failure: …`).
   * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHealthCheckStatus.html
   */
  healthCheckStatus(id: string): { Region: string; IPAddress: string; Status: string; CheckedTime: number }[] {
    const h = this.healthCheck(id);
    if (h.config.Type === 'CALCULATED') throw invalidInput(`Health check ${h.id} is a CALCULATED health check; GetHealthCheckStatus does not report the status of calculated health checks (use the Route 53 or CloudWatch console)`);
    const regions = h.config.Regions && h.config.Regions.length > 0 ? h.config.Regions : CHECKER_REGIONS;
    const tcp = h.config.Type === 'TCP';
    const success = tcp ? 'Success: TCP connection established' : 'Success: HTTP Status Code 200, OK';
    const failure = tcp ? 'Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being blocked by your firewall.'
      : 'Failure: HTTP Status Code 503, Service Unavailable';
    const status = h.status.healthy ? success : `${h.status.message !== undefined ? `Failure: ${h.status.message.replace(/^Failure:\s*/, '')}` : failure}`;
    return regions.map((Region, i) => ({ Region, IPAddress: `15.177.${(i + 1) * 2}.${(i * 37 + 10) % 250}`, Status: status, CheckedTime: this.clock.now() - 1000 * (i + 1) }));
  }

  // ── State ───────────────────────────────────────────────────────────────────────────────────

  /** The whole state, for the store. */
  snapshot(): Route53Snapshot {
    return {
      version: 1, takenAtMs: this.clock.now(), zones: this.hostedZones(), changes: [...this.changes.values()],
      healthChecks: this.healthCheckList(), holds: this.holds, propagationMs: this.propagation,
    };
  }

  /** Replaces the state with a snapshot (timers re-armed for changes still propagating). @throws TypeError naming what is wrong */
  restore(value: unknown): void {
    const where = 'route53 snapshot';
    const v = checkedSnapshot<Route53Snapshot>(value, where, 1, ['zones', 'changes', 'healthChecks', 'holds']);
    this.reset();
    for (const z of v.zones!) this.zones.set(z.id, { ...z, records: [...z.records] });
    for (const c of v.changes!) {
      const change = { ...c };
      this.changes.set(change.id, change);
      this.arm(change);
    }
    for (const h of v.healthChecks!) this.healthChecks.set(h.id, { ...h });
    this.holds = [...v.holds!];
    if (typeof v.propagationMs === 'number') this.propagation = v.propagationMs;
  }

  /** Forgets everything (timers too). */
  reset(): void {
    for (const t of this.timers.values()) this.clock.clearTimer(t);
    this.timers.clear();
    this.zones.clear();
    this.changes.clear();
    this.healthChecks.clear();
    this.holds = [];
    this.propagation = DEFAULT_PROPAGATION_MS;
  }

  private newId(prefix: string, length: number): string {
    let id = prefix;
    for (let i = 0; i < length; i++) id += ID_CHARS[this.ids.int(ID_CHARS.length)];
    return id;
  }

  /** Four name servers of Route 53's delegation-set pattern (one each in .com, .net, .org, .co.uk). */
  private nameServers(): string[] {
    const n = this.ids.int(512);
    const d = this.ids.int(64);
    const pad = (k: number): string => String(k).padStart(2, '0');
    return [
      `ns-${n}.awsdns-${pad(d)}.com.`,
      `ns-${n + 512}.awsdns-${pad((d + 16) % 64)}.net.`,
      `ns-${n + 1024}.awsdns-${pad((d + 32) % 64)}.org.`,
      `ns-${n + 1536}.awsdns-${pad((d + 48) % 64)}.co.uk.`,
    ];
  }
}

/** An id without its `/hostedzone/` or `/change/` prefix. */
export function stripPrefix(id: string, kind: 'hostedzone' | 'change'): string {
  return id.replace(new RegExp(`^/?${kind}/`), '');
}

/** Route 53's listing order: reversed-label name, type, set identifier. */
export function compareRecords(a: ResourceRecordSet, b: ResourceRecordSet): number {
  const byName = compareNames(a.Name, b.Name);
  if (byName !== 0) return byName;
  if (a.Type !== b.Type) return a.Type < b.Type ? -1 : 1;
  const ia = a.SetIdentifier ?? '';
  const ib = b.SetIdentifier ?? '';
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

function sameKey(a: ResourceRecordSet, b: ResourceRecordSet): boolean {
  return a.Name === b.Name && a.Type === b.Type && a.SetIdentifier === b.SetIdentifier;
}

/** The values a DELETE must repeat exactly (record values compared as a set). */
function sameValues(a: ResourceRecordSet, b: ResourceRecordSet): boolean {
  const canon = (r: ResourceRecordSet): string => JSON.stringify([
    r.TTL ?? null, (r.ResourceRecords ?? []).map((v) => v.Value).sort(), r.AliasTarget ? [r.AliasTarget.HostedZoneId, r.AliasTarget.DNSName, r.AliasTarget.EvaluateTargetHealth] : null,
    r.Weight ?? null, r.Region ?? null, r.Failover ?? null, r.GeoLocation ?? null, r.MultiValueAnswer ?? null, r.HealthCheckId ?? null,
  ]);
  return canon(a) === canon(b);
}

function routingPolicy(r: ResourceRecordSet): string {
  if (r.Weight !== undefined) return 'weighted';
  if (r.Region !== undefined) return 'latency';
  if (r.Failover !== undefined) return 'failover';
  if (r.GeoLocation !== undefined) return 'geolocation';
  if (r.MultiValueAnswer !== undefined) return 'multivalue';
  return 'simple';
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIpv6(v: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(v) || v.split('::').length > 2) return false;
  const [head, tail] = v.includes('::') ? v.split('::') as [string, string] : [v, undefined];
  const groups = [...(head ? head.split(':') : []), ...(tail ? tail.split(':') : [])];
  const last = groups[groups.length - 1] ?? '';
  const v4 = IPV4.test(last);
  const hex = v4 ? groups.slice(0, -1) : groups;
  if (!hex.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = hex.length + (v4 ? 2 : 0);
  return tail === undefined ? count === 8 : count < 8;
}

/** Route 53's check of one record value, worded as Route 53 words it. */
function valueProblem(type: string, value: string): string | undefined {
  if (type === 'A' && !IPV4.test(value)) return `ARRDATAIllegalIPv4Address: Value is not a valid IPv4 address encountered with '${value}'`;
  if (type === 'AAAA' && !isIpv6(value)) return `AAAARRDATAIllegalIPv6Address: Value is not a valid IPv6 address encountered with '${value}'`;
  if ((type === 'TXT' || type === 'SPF') && !/^".*"$/s.test(value.trim())) {
    return `Invalid Resource Record: 'FATAL problem: InvalidCharacterString (Value should be enclosed in quotation marks) encountered with '${value}''`;
  }
  if (type === 'MX' && !/^\d{1,5}\s+\S+$/.test(value.trim())) return `Invalid Resource Record: 'FATAL problem: MXRRDATANotTwoFields (MX record must have a priority and a domain name) encountered with '${value}''`;
  return undefined;
}

/**
 * The checks Route 53's request validation makes on one change, before the batch is applied:
 * enums, ranges, and which members go together. Returns the change with its names canonical.
 * @throws Route53Error InvalidInput
 */
function checkChange(change: Change, index: number): Change {
  const at = `changeBatch.changes.${index}.member`;
  if (typeof change !== 'object' || change === null) throw invalidInput(validationMessage('null', at, 'Member must not be null'));
  if (!(CHANGE_ACTIONS as readonly string[]).includes(change.Action)) {
    throw invalidInput(validationMessage(String(change.Action ?? 'null'), `${at}.action`, `Member must satisfy enum value set: [${CHANGE_ACTIONS.join(', ')}]`));
  }
  const r = change.ResourceRecordSet;
  if (typeof r !== 'object' || r === null) throw invalidInput(validationMessage('null', `${at}.resourceRecordSet`, 'Member must not be null'));
  if (typeof r.Name !== 'string' || r.Name.trim() === '') throw invalidInput(validationMessage('null', `${at}.resourceRecordSet.name`, 'Member must not be null'));
  if (r.Name.length > 1024) throw invalidInput(validationMessage(r.Name, `${at}.resourceRecordSet.name`, 'Member must have length less than or equal to 1024'));
  if (!(RECORD_TYPES as readonly string[]).includes(r.Type)) {
    throw invalidInput(validationMessage(String(r.Type ?? 'null'), `${at}.resourceRecordSet.type`, `Member must satisfy enum value set: [${RECORD_TYPES.join(', ')}]`));
  }
  const name = canonicalName(r.Name);
  const context = `in Change with [Action=${change.Action}, Name=${displayName(name)}, Type=${r.Type}, SetIdentifier=${r.SetIdentifier ?? 'null'}]`;
  if (r.TTL !== undefined && (!Number.isInteger(r.TTL) || r.TTL < 0 || r.TTL > MAX_TTL)) {
    throw invalidInput(validationMessage(String(r.TTL), `${at}.resourceRecordSet.tTL`, `Member must have value between 0 and ${MAX_TTL}`));
  }
  if (r.Weight !== undefined && (!Number.isInteger(r.Weight) || r.Weight < 0 || r.Weight > 255)) {
    throw invalidInput(validationMessage(String(r.Weight), `${at}.resourceRecordSet.weight`, 'Member must have value between 0 and 255'));
  }
  if (r.SetIdentifier !== undefined && (r.SetIdentifier.length < 1 || r.SetIdentifier.length > 128)) {
    throw invalidInput(validationMessage(r.SetIdentifier, `${at}.resourceRecordSet.setIdentifier`, 'Member must have length between 1 and 128'));
  }
  if (r.Failover !== undefined && r.Failover !== 'PRIMARY' && r.Failover !== 'SECONDARY') {
    throw invalidInput(validationMessage(r.Failover, `${at}.resourceRecordSet.failover`, 'Member must satisfy enum value set: [PRIMARY, SECONDARY]'));
  }
  if (r.ResourceRecords !== undefined && r.ResourceRecords.length === 0) {
    throw invalidInput(validationMessage('[]', `${at}.resourceRecordSet.resourceRecords`, 'Member must have length greater than or equal to 1'));
  }
  for (const [i, v] of (r.ResourceRecords ?? []).entries()) {
    if (typeof v?.Value !== 'string' || v.Value.length > 4000) {
      throw invalidInput(validationMessage(String(v?.Value ?? 'null'), `${at}.resourceRecordSet.resourceRecords.${i + 1}.member.value`, 'Member must have length less than or equal to 4000'));
    }
  }
  // Exactly one shape: an alias, or a TTL with values (traffic policy instances are not modelled).
  const shapes = (r.AliasTarget !== undefined ? 1 : 0) + (r.TTL !== undefined && r.ResourceRecords !== undefined ? 1 : 0);
  const partial = r.AliasTarget !== undefined && (r.TTL !== undefined || r.ResourceRecords !== undefined);
  if (shapes !== 1 || partial) {
    throw invalidInput(`Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found ${shapes === 0 && !partial ? 'none' : 'more than one'} ${context}`);
  }
  const policies = [r.Weight, r.Region, r.Failover, r.GeoLocation, r.MultiValueAnswer].filter((p) => p !== undefined).length;
  if (policies > 0 && r.SetIdentifier === undefined) throw invalidInput(`Invalid request: Missing field 'SetIdentifier' ${context}`);
  if (r.SetIdentifier !== undefined && policies !== 1) {
    throw invalidInput(`Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found ${policies === 0 ? 'none' : 'more than one'} ${context}`);
  }
  if (r.AliasTarget !== undefined) {
    if (typeof r.AliasTarget.HostedZoneId !== 'string' || r.AliasTarget.HostedZoneId === '' || typeof r.AliasTarget.DNSName !== 'string' || r.AliasTarget.DNSName === '' || typeof r.AliasTarget.EvaluateTargetHealth !== 'boolean') {
      throw invalidInput(`Invalid request: AliasTarget requires HostedZoneId, DNSName and EvaluateTargetHealth ${context}`);
    }
    if (r.MultiValueAnswer !== undefined) throw invalidInput(`Invalid request: a multivalue answer record cannot be an alias ${context}`);
  }
  const alias = r.AliasTarget ? { AliasTarget: { HostedZoneId: stripPrefix(r.AliasTarget.HostedZoneId, 'hostedzone'), DNSName: canonicalName(r.AliasTarget.DNSName), EvaluateTargetHealth: r.AliasTarget.EvaluateTargetHealth } } : {};
  // Members in Route 53's order, so a stored record reads back as Route 53 writes it.
  const rrs: ResourceRecordSet = {
    Name: name, Type: r.Type,
    ...(r.SetIdentifier !== undefined ? { SetIdentifier: r.SetIdentifier } : {}),
    ...(r.Weight !== undefined ? { Weight: r.Weight } : {}),
    ...(r.Region !== undefined ? { Region: r.Region } : {}),
    ...(r.GeoLocation !== undefined ? { GeoLocation: r.GeoLocation } : {}),
    ...(r.Failover !== undefined ? { Failover: r.Failover } : {}),
    ...(r.MultiValueAnswer !== undefined ? { MultiValueAnswer: r.MultiValueAnswer } : {}),
    ...(r.TTL !== undefined ? { TTL: r.TTL } : {}),
    ...(r.ResourceRecords !== undefined ? { ResourceRecords: r.ResourceRecords.map((v) => ({ Value: v.Value })) } : {}),
    ...alias,
    ...(r.HealthCheckId !== undefined ? { HealthCheckId: r.HealthCheckId } : {}),
  };
  return { Action: change.Action, ResourceRecordSet: rrs };
}

/**
 * Route 53's checks of a health check configuration, and its defaults filled in (port 80/443,
 * 30-second interval, failure threshold 3, SNI on for HTTPS).
 * @throws Route53Error InvalidInput
 */
function checkHealthCheckConfig(c: HealthCheckConfig): HealthCheckConfig {
  if (typeof c !== 'object' || c === null) throw invalidInput(validationMessage('null', 'healthCheckConfig', 'Member must not be null'));
  if (!(HEALTH_CHECK_TYPES as readonly string[]).includes(c.Type)) {
    throw invalidInput(validationMessage(String(c.Type ?? 'null'), 'healthCheckConfig.type', `Member must satisfy enum value set: [${HEALTH_CHECK_TYPES.join(', ')}]`));
  }
  const endpoint = ['HTTP', 'HTTPS', 'HTTP_STR_MATCH', 'HTTPS_STR_MATCH', 'TCP'].includes(c.Type);
  const https = c.Type.startsWith('HTTPS');
  if (endpoint && c.IPAddress === undefined && c.FullyQualifiedDomainName === undefined) {
    throw invalidInput(`Invalid parameter: a health check of type ${c.Type} needs an IPAddress or a FullyQualifiedDomainName.`);
  }
  if (c.IPAddress !== undefined && !IPV4.test(c.IPAddress) && !isIpv6(c.IPAddress)) throw invalidInput(`Invalid IP address: ${c.IPAddress}`);
  if (c.Type === 'TCP' && c.Port === undefined) throw invalidInput('Invalid parameter: a health check of type TCP needs a Port.');
  if (c.Type.endsWith('_STR_MATCH') && (c.SearchString === undefined || c.SearchString === '')) throw invalidInput(`Invalid parameter: a health check of type ${c.Type} needs a SearchString.`);
  if (c.Port !== undefined && (!Number.isInteger(c.Port) || c.Port < 1 || c.Port > 65535)) throw invalidInput(validationMessage(String(c.Port), 'healthCheckConfig.port', 'Member must have value between 1 and 65535'));
  if (c.RequestInterval !== undefined && c.RequestInterval !== 10 && c.RequestInterval !== 30) throw invalidInput(validationMessage(String(c.RequestInterval), 'healthCheckConfig.requestInterval', 'Member must be 10 or 30'));
  if (c.FailureThreshold !== undefined && (!Number.isInteger(c.FailureThreshold) || c.FailureThreshold < 1 || c.FailureThreshold > 10)) {
    throw invalidInput(validationMessage(String(c.FailureThreshold), 'healthCheckConfig.failureThreshold', 'Member must have value between 1 and 10'));
  }
  if (c.ResourcePath !== undefined && c.ResourcePath.length > 255) throw invalidInput(validationMessage(c.ResourcePath, 'healthCheckConfig.resourcePath', 'Member must have length less than or equal to 255'));
  if (c.Type === 'CALCULATED' && c.ChildHealthChecks === undefined) throw invalidInput('Invalid parameter: a CALCULATED health check needs ChildHealthChecks.');
  const defaultPort = endpoint ? (https ? 443 : 80) : undefined;
  return {
    ...(c.IPAddress !== undefined ? { IPAddress: c.IPAddress } : {}),
    ...(c.Port ?? defaultPort) !== undefined ? { Port: c.Port ?? defaultPort } : {},
    Type: c.Type,
    ...(c.ResourcePath !== undefined ? { ResourcePath: c.ResourcePath } : {}),
    ...(c.FullyQualifiedDomainName !== undefined ? { FullyQualifiedDomainName: c.FullyQualifiedDomainName } : {}),
    ...(c.SearchString !== undefined ? { SearchString: c.SearchString } : {}),
    ...(endpoint ? { RequestInterval: c.RequestInterval ?? 30, FailureThreshold: c.FailureThreshold ?? 3 } : {}),
    MeasureLatency: c.MeasureLatency ?? false,
    Inverted: c.Inverted ?? false,
    Disabled: c.Disabled ?? false,
    ...(c.HealthThreshold !== undefined ? { HealthThreshold: c.HealthThreshold } : {}),
    ...(c.ChildHealthChecks !== undefined ? { ChildHealthChecks: [...c.ChildHealthChecks] } : {}),
    ...(https ? { EnableSNI: c.EnableSNI ?? true } : c.EnableSNI !== undefined ? { EnableSNI: c.EnableSNI } : {}),
    ...(c.Regions !== undefined ? { Regions: [...c.Regions] } : {}),
    ...(c.AlarmIdentifier !== undefined ? { AlarmIdentifier: c.AlarmIdentifier } : {}),
    ...(c.InsufficientDataHealthStatus !== undefined ? { InsufficientDataHealthStatus: c.InsufficientDataHealthStatus } : {}),
    ...(c.RoutingControlArn !== undefined ? { RoutingControlArn: c.RoutingControlArn } : {}),
  };
}
