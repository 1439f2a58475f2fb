import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { RecordSet, SwitchTrafficInput, SwitchTrafficOutput } from '../../schemas/tasks/switch-traffic.js';
import { SwitchTrafficOutputSchema } from '../../schemas/tasks/switch-traffic.js';
import type { TaskContext } from '../../tasks/_shared/define-task.js';
import { ThrottledError } from '../../tasks/_shared/errors.js';
import { normalizeName, parseXml, trafficError, type ChangeInfo, type TrafficApis } from '../../tasks/_shared/traffic-apis.js';
import { switchTraffic } from '../../tasks/switch-traffic/switch-traffic.js';
import { restoreTraffic } from '../../tasks/switch-traffic/restore.js';
import { RestoreTrafficOutputSchema, type RestoreTrafficInput, type RestoreTrafficOutput } from '../../schemas/tasks/switch-traffic.js';

const TG = 'arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/web/0123456789abcdef';
const ZONE = 'Z0123456789ABCDEFGHIJ';
const I1 = 'i-0aaaaaaaaaaaaaaa1';
const I2 = 'i-0aaaaaaaaaaaaaaa2';

/** An in-memory ELBv2 + Route 53 that behaves as the APIs do for these calls. */
class FakeApis implements TrafficApis {
  readonly calls: string[] = [];
  registered = new Set<string>();
  healthy = true;
  records: RecordSet[] = [];
  changeStatus: 'PENDING' | 'INSYNC' = 'INSYNC';
  throttle = new Set<string>();
  private changes = 0;

  private hit(op: string): void {
    this.calls.push(op);
    if (this.throttle.has(op)) {
      this.throttle.delete(op);
      throw new ThrottledError(`${op}: Throttling: Rate exceeded`);
    }
  }
  async registerTargets(_region: string, _arn: string, targets: readonly { id: string }[]) {
    this.hit('RegisterTargets');
    for (const t of targets) this.registered.add(t.id);
  }
  async deregisterTargets(_region: string, _arn: string, targets: readonly { id: string }[]) {
    this.hit('DeregisterTargets');
    for (const t of targets) {
      if (!this.registered.has(t.id)) throw trafficError('Elastic Load Balancing', 'DeregisterTargets', 400, `<ErrorResponse><Error><Code>InvalidTarget</Code><Message>The following targets are not registered: '${t.id}'</Message></Error></ErrorResponse>`);
      this.registered.delete(t.id);
      this.draining.add(t.id);
    }
  }
  draining = new Set<string>();
  async describeTargetHealth(_region: string, _arn: string, targets: readonly { id: string }[]) {
    this.hit('DescribeTargetHealth');
    return targets.map((t) => this.draining.has(t.id) ? { id: t.id, state: 'draining', reason: 'Target.DeregistrationInProgress' } : (this.registered.has(t.id)
      ? this.healthy ? { id: t.id, state: 'healthy' } : { id: t.id, state: 'unhealthy', reason: 'Target.Timeout', description: 'Request timed out' }
      : { id: t.id, state: 'unused', reason: 'Target.NotRegistered' }));
  }
  async listRecordSets(_zone: string, name: string, type: string) {
    this.hit('ListResourceRecordSets');
    return this.records.filter((r) => normalizeName(r.name) === normalizeName(name) && r.type === type).map((r) => structuredClone(r));
  }
  async changeRecordSets(_zone: string, changes: readonly { action: string; recordSet: RecordSet }[]): Promise<ChangeInfo> {
    this.hit('ChangeResourceRecordSets');
    const next = [...this.records];
    for (const c of changes) {
      if (c.action === 'DELETE') {
        const i = next.findIndex((r) => JSON.stringify(r) === JSON.stringify(c.recordSet));
        if (i < 0) throw trafficError('Route 53', 'ChangeResourceRecordSets', 400, '<ErrorResponse><Error><Code>InvalidChangeBatch</Code><Message>[Tried to delete resource record set but it was not found]</Message></Error></ErrorResponse>');
        next.splice(i, 1);
      } else next.push(c.recordSet);
    }
    this.records = next;
    return { id: `C${++this.changes}`, status: 'PENDING', submittedAt: '2026-11-25T10:40:00.000Z' };
  }
  async getChange(id: string): Promise<ChangeInfo> {
    this.hit('GetChange');
    return { id, status: this.changeStatus, submittedAt: '2026-11-25T10:40:00.000Z' };
  }
}

function context(now = '2026-11-25T10:40:00.000Z'): TaskContext {
  return { executionArn: 'arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-failover:run-1', stateName: 'Switch traffic', now: new Date(now), redriveCount: 0, log: vi.fn() } as unknown as TaskContext;
}

const A_PRIMARY: RecordSet = { name: 'shop.example.com.', type: 'A', ttl: 60, values: ['192.0.2.10'] };

function input(over: Partial<SwitchTrafficInput> = {}): SwitchTrafficInput {
  return {
    planName: 'shop', region: 'us-west-2', mode: 'failover', deadline: '2026-11-25T10:55:00.000Z',
    targetGroups: [{ targetGroupArn: TG, port: 80, instanceIds: [I1, I2] }],
    records: [{ kind: 'values', hostedZoneId: ZONE, name: 'shop.example.com', type: 'A', values: ['198.51.100.7'] }],
    ...over,
  };
}

/** Runs passes until complete (at most 10), feeding each output to the next. */
async function runToEnd(apis: FakeApis, first: SwitchTrafficInput, now?: string, redriveCount = 0): Promise<SwitchTrafficOutput[]> {
  const outs: SwitchTrafficOutput[] = [];
  let previous: SwitchTrafficOutput | undefined = first.previous;
  for (let i = 0; i < 10; i++) {
    const out = await switchTraffic({ ...first, ...(previous ? { previous } : {}) }, { ...context(now), redriveCount }, apis);
    SwitchTrafficOutputSchema.parse(out);
    outs.push(out);
    if (out.isComplete) break;
    previous = out;
  }
  return outs;
}

describe('task: switch-traffic', () => {
  let apis: FakeApis;
  beforeEach(() => {
    apis = new FakeApis();
    apis.records = [structuredClone(A_PRIMARY)];
  });
  afterEach(() => vi.restoreAllMocks());

  test('registers the targets, waits for health, submits one DELETE+CREATE batch, waits for INSYNC and reads back', async () => {
    apis.healthy = false;
    const first = await switchTraffic(input(), context(), apis);
    expect(first).toMatchObject({ isComplete: false, phase: 'targets', targetGroups: [{ isRegistered: true, health: [{ id: I1, state: 'unhealthy', reason: 'Target.Timeout' }, { id: I2, state: 'unhealthy' }] }] });
    apis.healthy = true;
    apis.changeStatus = 'PENDING';
    const second = await switchTraffic(input({ previous: first }), context(), apis);
    // the pass that reads the records ends there: what it will change is recorded before any change
    expect(second).toMatchObject({ phase: 'submit', changes: [] });
    expect(second.records).toEqual([{ hostedZoneId: ZONE, name: 'shop.example.com.', type: 'A', before: A_PRIMARY, after: { ...A_PRIMARY, values: ['198.51.100.7'] }, status: 'changed' }]);
    expect(apis.calls).not.toContain('ChangeResourceRecordSets');
    const submitted = await switchTraffic(input({ previous: second }), context(), apis);
    expect(submitted).toMatchObject({ phase: 'sync', changes: [{ hostedZoneId: ZONE, changeId: 'C1', status: 'PENDING' }] });
    apis.changeStatus = 'INSYNC';
    const third = await switchTraffic(input({ previous: submitted }), context(), apis);
    expect(third).toMatchObject({ isComplete: true, phase: 'done', isVerified: true, changes: [{ status: 'INSYNC' }] });
    expect(apis.records).toEqual([{ ...A_PRIMARY, values: ['198.51.100.7'] }]);
    expect(apis.calls.filter((c) => c === 'RegisterTargets')).toHaveLength(1);
    expect(apis.calls.filter((c) => c === 'ChangeResourceRecordSets')).toHaveLength(1);
  });

  test('a second run over records already switched changes nothing (redrive is a no-op)', async () => {
    await runToEnd(apis, input());
    apis.calls.length = 0;
    const again = await runToEnd(apis, input());
    expect(again.at(-1)).toMatchObject({ isComplete: true, changes: [], records: [{ status: 'unchanged' }] });
    expect(apis.calls).not.toContain('ChangeResourceRecordSets');
  });

  test('a drill registers nothing and changes nothing: it reports the change it would make', async () => {
    const outs = await runToEnd(apis, input({ mode: 'drill' }));
    expect(outs).toHaveLength(1);
    expect(outs[0]).toMatchObject({ isComplete: true, mode: 'drill', changes: [], records: [{ status: 'would-change', before: A_PRIMARY, after: { values: ['198.51.100.7'] } }] });
    expect(apis.calls).toEqual(['ListResourceRecordSets']);
    expect(apis.records).toEqual([A_PRIMARY]);
  });

  test('flips weighted records and turns a failover pair in one batch', async () => {
    apis.records = [
      { name: 'api.example.com.', type: 'A', setIdentifier: 'primary', weight: 100, ttl: 60, values: ['192.0.2.1'] },
      { name: 'api.example.com.', type: 'A', setIdentifier: 'recovery', weight: 0, ttl: 60, values: ['198.51.100.1'] },
      { name: 'www.example.com.', type: 'CNAME', setIdentifier: 'east', failover: 'PRIMARY', ttl: 60, values: ['east.example.com'] },
      { name: 'www.example.com.', type: 'CNAME', setIdentifier: 'west', failover: 'SECONDARY', ttl: 60, values: ['west.example.com'] },
    ];
    const outs = await runToEnd(apis, input({
      targetGroups: [],
      records: [
        { kind: 'weights', hostedZoneId: ZONE, name: 'api.example.com', type: 'A', weights: { primary: 0, recovery: 100 } },
        { kind: 'failover', hostedZoneId: ZONE, name: 'www.example.com.', type: 'CNAME', primarySetIdentifier: 'west' },
      ],
    }));
    expect(outs.at(-1)).toMatchObject({ isComplete: true, isVerified: true });
    expect(outs.at(-1)!.records.map((r) => [r.setIdentifier, r.status])).toEqual([['primary', 'changed'], ['recovery', 'changed'], ['west', 'changed'], ['east', 'changed']]);
    expect(apis.records.map((r) => [r.setIdentifier, r.weight ?? r.failover])).toEqual(expect.arrayContaining([['primary', 0], ['recovery', 100], ['west', 'PRIMARY'], ['east', 'SECONDARY']]));
    expect(apis.calls.filter((c) => c === 'ChangeResourceRecordSets')).toHaveLength(1);
  });

  test('replaces an alias target, keeping the routing fields', async () => {
    apis.records = [{ name: 'shop.example.com.', type: 'A', aliasTarget: { hostedZoneId: 'Z35SXDOTRQ7X7K', dnsName: 'east-alb-1.us-east-1.elb.amazonaws.com.', evaluateTargetHealth: false } }];
    const outs = await runToEnd(apis, input({ targetGroups: [], records: [{ kind: 'alias', hostedZoneId: ZONE, name: 'shop.example.com', type: 'A', aliasTarget: { hostedZoneId: 'Z1H1FL5HABSF5', dnsName: 'west-alb-2.us-west-2.elb.amazonaws.com', evaluateTargetHealth: true } }] }));
    expect(outs.at(-1)!.isVerified).toBe(true);
    expect(apis.records).toEqual([{ name: 'shop.example.com.', type: 'A', aliasTarget: { hostedZoneId: 'Z1H1FL5HABSF5', dnsName: 'west-alb-2.us-west-2.elb.amazonaws.com.', evaluateTargetHealth: true } }]);
  });

  test('a throttled read leaves the pass where it was and is listed in throttled', async () => {
    apis.throttle.add('DescribeTargetHealth');
    const first = await switchTraffic(input(), context(), apis);
    expect(first).toMatchObject({ isComplete: false, phase: 'targets', throttled: [`DescribeTargetHealth (${TG}): Lifeboat.Throttled`] });
    apis.throttle.add('ListResourceRecordSets');
    const second = await switchTraffic(input({ previous: first }), context(), apis);
    expect(second).toMatchObject({ phase: 'records', changes: [] });
    expect(second.throttled).toEqual([expect.stringContaining('ListResourceRecordSets')]);
    const rest = await runToEnd(apis, input({ previous: second }));
    expect(rest.at(-1)).toMatchObject({ isComplete: true, isVerified: true });
  });

  test('fails with Lifeboat.Timeout naming the unhealthy target and its reason after the deadline', async () => {
    apis.healthy = false;
    await expect(switchTraffic(input(), context('2026-11-25T11:00:00.000Z'), apis)).rejects.toMatchObject({
      name: 'Lifeboat.Timeout',
      message: expect.stringContaining(`${I1} in ${TG} is unhealthy (Target.Timeout: Request timed out)`),
    });
  });

  test('fails with Lifeboat.Timeout naming the change still PENDING after the deadline', async () => {
    apis.changeStatus = 'PENDING';
    const outs = await runToEnd(apis, input({ deadline: '2026-11-25T10:50:00.000Z' }));
    expect(outs.at(-1)!.phase).toBe('sync');
    await expect(switchTraffic(input({ deadline: '2026-11-25T10:50:00.000Z', previous: outs.at(-1)! }), context('2026-11-25T10:51:00.000Z'), apis)).rejects.toMatchObject({
      name: 'Lifeboat.Timeout',
      message: expect.stringMatching(/change C1 in hosted zone Z0123456789ABCDEFGHIJ .*still PENDING/),
    });
  });

  test('fails when a record changed between the read and the batch (InvalidChangeBatch), saying how to go on', async () => {
    const original = apis.listRecordSets.bind(apis);
    vi.spyOn(apis, 'listRecordSets').mockImplementationOnce(async (...args) => {
      const read = await original(...args);
      apis.records = [{ ...A_PRIMARY, values: ['203.0.113.99'] }]; // someone else's change, right after our read
      return read;
    });
    await expect(runToEnd(apis, input({ targetGroups: [] }))).rejects.toMatchObject({
      name: 'Lifeboat.InvalidInput',
      message: expect.stringContaining('someone changed it in between'),
    });
    expect(apis.records).toEqual([{ ...A_PRIMARY, values: ['203.0.113.99'] }]);
    expect(apis.calls).not.toContain('ChangeResourceRecordSets');
  });

  test('after a redrive that follows a refused batch, reads the records again and switches from the new value', async () => {
    const planned = await switchTraffic(input({ targetGroups: [] }), context(), apis);
    apis.records = [{ ...A_PRIMARY, values: ['203.0.113.99'] }]; // someone else's change after the read
    await expect(switchTraffic(input({ targetGroups: [], previous: planned }), context(), apis)).rejects.toMatchObject({ name: 'Lifeboat.InvalidInput' });
    // WHEN the operator redrives (the redrive count is now above the one of the read)
    const outs = await runToEnd(apis, input({ targetGroups: [], previous: planned }), undefined, 1);
    expect(outs.at(-1)).toMatchObject({ isComplete: true, isVerified: true, records: [{ status: 'changed', before: { values: ['203.0.113.99'] } }] });
    expect(apis.records).toEqual([{ ...A_PRIMARY, values: ['198.51.100.7'] }]);
  });

  test('a pass that crashed after its batch was applied loses nothing: the next one reports the original before and waits on a re-asserting batch', async () => {
    // GIVEN the read was recorded and the batch was applied, but the pass never returned
    const planned = await switchTraffic(input({ targetGroups: [] }), context(), apis);
    await switchTraffic(input({ targetGroups: [], previous: planned }), context(), apis); // its output is lost
    expect(apis.records).toEqual([{ ...A_PRIMARY, values: ['198.51.100.7'] }]);
    // WHEN the pass runs again from the recorded read (a Retry or a redrive)
    const outs = await runToEnd(apis, input({ targetGroups: [], previous: planned }), undefined, 1);
    // THEN the record is reported with the value it had before the switch, verified after INSYNC
    expect(outs.at(-1)).toMatchObject({ isComplete: true, isVerified: true, records: [{ status: 'changed', before: A_PRIMARY, after: { values: ['198.51.100.7'] } }], changes: [{ changeId: 'C2', status: 'INSYNC' }] });
    expect(apis.records).toEqual([{ ...A_PRIMARY, values: ['198.51.100.7'] }]);
  });

  test('a drill that exercises switches its own drill record (created when absent) and leaves the production record alone', async () => {
    const drillRecords = [{ kind: 'values' as const, hostedZoneId: ZONE, name: 'shop.example.com', drillRecordName: 'drill-shop.example.com', type: 'A' as const, values: ['198.51.100.7'] }];
    const outs = await runToEnd(apis, input({ mode: 'drill', drill: 'exercise', targetGroups: [], records: drillRecords }));
    expect(outs.at(-1)).toMatchObject({ isComplete: true, isVerified: true, drill: 'exercise', records: [{ name: 'drill-shop.example.com.', drillOf: 'shop.example.com.', before: null, status: 'changed', after: { name: 'drill-shop.example.com.', ttl: 60, values: ['198.51.100.7'] } }] });
    expect(apis.records).toEqual([A_PRIMARY, { name: 'drill-shop.example.com.', type: 'A', ttl: 60, values: ['198.51.100.7'] }]);
  });

  test('fails with Lifeboat.NotFound naming the plan path when the record does not exist', async () => {
    apis.records = [];
    await expect(switchTraffic(input({ targetGroups: [] }), context(), apis)).rejects.toMatchObject({
      name: 'Lifeboat.NotFound',
      message: expect.stringContaining('plan.traffic.records[0]: hosted zone Z0123456789ABCDEFGHIJ has no A record named "shop.example.com"'),
    });
  });

  test('fails at once when the target group is not used by a load balancer (Target.NotInUse)', async () => {
    vi.spyOn(apis, 'describeTargetHealth').mockResolvedValue([{ id: I1, state: 'unused', reason: 'Target.NotInUse', description: 'Target group is not configured to receive traffic from the load balancer' }]);
    await expect(switchTraffic(input(), context(), apis)).rejects.toMatchObject({ name: 'Lifeboat.InvalidInput', message: expect.stringContaining('Attach the target group to a listener') });
  });
});

/** Runs restore passes until complete (at most 10). */
async function restoreToEnd(apis: FakeApis, first: RestoreTrafficInput): Promise<RestoreTrafficOutput[]> {
  const outs: RestoreTrafficOutput[] = [];
  let previous = first.previous;
  for (let i = 0; i < 10; i++) {
    const out = await restoreTraffic({ ...first, ...(previous ? { previous } : {}) }, context(), apis);
    RestoreTrafficOutputSchema.parse(out);
    outs.push(out);
    if (out.isComplete) break;
    previous = out;
  }
  return outs;
}

const restoreInput = (switched: SwitchTrafficOutput | null, over: Partial<RestoreTrafficInput> = {}): RestoreTrafficInput => ({
  action: 'restore', planName: 'shop', region: 'us-west-2', mode: 'failover', deadline: '2026-11-25T10:55:00.000Z', switched, ...over,
});

describe('task: switch-traffic › restore', () => {
  let apis: FakeApis;
  beforeEach(() => {
    apis = new FakeApis();
    apis.records = [structuredClone(A_PRIMARY)];
  });

  test('puts the records back from the recorded before values, then deregisters the targets the switch registered', async () => {
    const switched = (await runToEnd(apis, input())).at(-1)!;
    expect(apis.records).toEqual([{ ...A_PRIMARY, values: ['198.51.100.7'] }]);
    apis.calls.length = 0;
    const outs = await restoreToEnd(apis, restoreInput(switched));
    expect(outs.at(-1)).toMatchObject({ isComplete: true, isVerified: true, records: [{ status: 'restored', to: A_PRIMARY }], targetGroups: [{ isDeregistered: true, health: [{ id: I1, state: 'draining' }, { id: I2, state: 'draining' }] }] });
    expect(apis.records).toEqual([A_PRIMARY]);
    // records first, then the targets
    expect(apis.calls.indexOf('ChangeResourceRecordSets')).toBeLessThan(apis.calls.indexOf('DeregisterTargets'));
  });

  test('is idempotent: a second restore changes nothing and deregisters nothing', async () => {
    const switched = (await runToEnd(apis, input())).at(-1)!;
    await restoreToEnd(apis, restoreInput(switched));
    apis.calls.length = 0;
    const again = await restoreToEnd(apis, restoreInput(switched));
    expect(again.at(-1)).toMatchObject({ isComplete: true, isVerified: true, records: [{ status: 'unchanged' }], changes: [] });
    expect(apis.calls).not.toContain('ChangeResourceRecordSets');
    expect(apis.calls).not.toContain('DeregisterTargets');
  });

  test('a dry run reports would-restore and changes nothing', async () => {
    const switched = (await runToEnd(apis, input())).at(-1)!;
    apis.calls.length = 0;
    const outs = await restoreToEnd(apis, restoreInput(switched, { isDryRun: true }));
    expect(outs).toHaveLength(1);
    expect(outs[0]).toMatchObject({ isComplete: true, isDryRun: true, isVerified: false, records: [{ status: 'would-restore', from: { values: ['198.51.100.7'] }, to: A_PRIMARY }] });
    expect(apis.calls).toEqual(['ListResourceRecordSets']);
  });

  test('deletes a drill record the drill created', async () => {
    const drillRecords = [{ kind: 'values' as const, hostedZoneId: ZONE, name: 'shop.example.com', drillRecordName: 'drill-shop.example.com', type: 'A' as const, values: ['198.51.100.7'] }];
    const switched = (await runToEnd(apis, input({ mode: 'drill', drill: 'exercise', targetGroups: [], records: drillRecords }))).at(-1)!;
    const outs = await restoreToEnd(apis, restoreInput(switched, { mode: 'drill' }));
    expect(outs.at(-1)).toMatchObject({ isComplete: true, isVerified: true, records: [{ name: 'drill-shop.example.com.', status: 'restored', to: null }] });
    expect(apis.records).toEqual([A_PRIMARY]);
  });

  test('has nothing to do for a run that switched nothing', async () => {
    const outs = await restoreToEnd(apis, restoreInput(null));
    expect(outs).toHaveLength(1);
    expect(outs[0]).toMatchObject({ isComplete: true, isVerified: true, records: [], targetGroups: [], changes: [] });
    expect(apis.calls).toEqual([]);
  });

  test('fails, changing nothing, when a record holds neither the switched value nor the old one', async () => {
    const switched = (await runToEnd(apis, input({ targetGroups: [] }))).at(-1)!;
    apis.records = [{ ...A_PRIMARY, values: ['203.0.113.99'] }];
    await expect(restoreToEnd(apis, restoreInput(switched))).rejects.toMatchObject({ name: 'Lifeboat.InvalidInput', message: expect.stringContaining('someone changed it since the switch') });
    expect(apis.records).toEqual([{ ...A_PRIMARY, values: ['203.0.113.99'] }]);
  });
});

describe('task: switch-traffic › wire helpers', () => {
  test('parseXml reads elements and unescapes text', () => {
    const doc = parseXml('<?xml version="1.0"?><A xmlns="x"><B>1 &amp; 2</B><C><D>&lt;d&gt;</D></C><E/></A>');
    expect(doc.name).toBe('A');
    expect(doc.children.map((c) => [c.name, c.text])).toEqual([['B', '1 & 2'], ['C', ''], ['E', '']]);
    expect(doc.children[1]!.children[0]!.text).toBe('<d>');
  });

  test('trafficError maps throttling, server errors, not-found and the rest to Lifeboat errors', () => {
    const err = (code: string, status = 400) => trafficError('Route 53', 'Op', status, `<ErrorResponse><Error><Code>${code}</Code><Message>m</Message></Error></ErrorResponse>`);
    expect(err('Throttling').name).toBe('Lifeboat.Throttled');
    expect(err('PriorRequestNotComplete').name).toBe('Lifeboat.Throttled');
    expect(err('InternalFailure', 500).name).toBe('Lifeboat.Transient');
    expect(err('NoSuchHostedZone', 404).name).toBe('Lifeboat.NotFound');
    expect(err('TargetGroupNotFound').name).toBe('Lifeboat.NotFound');
    expect(err('InvalidChangeBatch').message).toBe('Route 53 Op: InvalidChangeBatch: m');
    expect(trafficError('Route 53', 'Op', 400, '<InvalidChangeBatch><Messages><Message>a</Message><Message>b</Message></Messages></InvalidChangeBatch>').message).toBe('Route 53 Op: HTTP 400: a; b');
  });

  test('normalizeName compares names case-blind, with the trailing dot, and undoes octal escapes', () => {
    expect(normalizeName('Shop.Example.com')).toBe('shop.example.com.');
    expect(normalizeName('\\052.example.com.')).toBe('*.example.com.');
  });
});
