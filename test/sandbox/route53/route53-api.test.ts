/**
 * The sandbox's Route 53 on the wire (REST-XML, API version 2013-04-01), checked against the
 * Route 53 API Reference: element names and namespace, HTTP statuses, error documents, the
 * wording of InvalidChangeBatch and InvalidInput, atomic change batches, GetChange on the sandbox
 * clock, and ListResourceRecordSets paging in Route 53's order. Requests are SigV4-signed for
 * `route53` in us-east-1, as the SDKs sign them; route53-sdk.test.ts runs the JS SDK itself.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_Operations_Amazon_Route_53.html
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { blocks, change, changeBatch, createZoneBody, route53Request, simple, text, texts } from './rest-client.js';

const NS = 'xmlns="https://route53.amazonaws.com/doc/2013-04-01/"';

describe('sandbox: route53 on the wire', () => {
  let sandbox: Sandbox;
  const call = (method: string, path: string, body = '') => route53Request(sandbox.endpoint, method, `/2013-04-01/${path}`, body);
  const createZone = async (name: string, ref: string): Promise<string> => {
    const res = await call('POST', 'hostedzone', createZoneBody(name, ref));
    expect(res.status).toBe(201);
    return text(res.body, 'Id')!.replace('/hostedzone/', '');
  };
  const changeRecords = (zone: string, ...changes: string[]) => call('POST', `hostedzone/${zone}/rrset`, changeBatch(...changes));
  const errorOf = (body: string) => ({ type: text(body, 'Type'), code: text(body, 'Code'), message: text(body, 'Message') });

  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => {} });
  });
  afterAll(() => sandbox?.stop());

  // XML 1.0 (section 2.2): a character reference must name a character from U+0001 to U+10FFFF;
  // anything else makes the document malformed, which Route 53 answers as InvalidInput, not a 500.
  test('a character reference beyond Unicode or to NUL is InvalidInput (400), and the sandbox keeps serving', async () => {
    for (const ref of ['&#xFFFFFFF;', '&#0;', '&#99999999;']) {
      const res = await call('POST', 'hostedzone', `<CreateHostedZoneRequest ${NS}><Name>${ref}.example.com</Name><CallerReference>r</CallerReference></CreateHostedZoneRequest>`);
      expect([res.status, errorOf(res.body).code]).toEqual([400, 'InvalidInput']);
      expect(errorOf(res.body).message).toContain(`the character reference ${ref} names no character`);
    }
    expect((await call('GET', 'hostedzone')).status).toBe(200);
  });

  // https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHostedZone.html
  test('CreateHostedZone answers 201 with Location, the zone, a PENDING change and four name servers; SOA and NS records exist', async () => {
    const res = await call('POST', 'hostedzone', createZoneBody('Create.Example.COM', 'ref-create', 'made by a test'));
    expect(res.status).toBe(201);
    expect(res.body).toContain(`<CreateHostedZoneResponse ${NS}>`);
    const id = text(res.body, 'Id')!;
    expect(id).toMatch(/^\/hostedzone\/Z[A-Z0-9]+$/);
    expect(res.headers.get('location')).toBe(`https://route53.amazonaws.com/2013-04-01${id}`);
    expect(text(res.body, 'Name')).toBe('create.example.com.');
    expect(text(res.body, 'Comment')).toBe('made by a test');
    expect(text(res.body, 'PrivateZone')).toBe('false');
    expect(text(res.body, 'ResourceRecordSetCount')).toBe('2');
    expect(text(blocks(res.body, 'ChangeInfo')[0]!, 'Status')).toBe('PENDING');
    expect(texts(res.body, 'NameServer')).toHaveLength(4);
    const list = await call('GET', `${id.slice(1)}/rrset`);
    expect(blocks(list.body, 'ResourceRecordSet').map((r) => `${text(r, 'Name')} ${text(r, 'Type')} ${text(r, 'TTL')}`)).toEqual([
      'create.example.com. NS 172800', 'create.example.com. SOA 900',
    ]);
  });

  test('a CallerReference used before is HostedZoneAlreadyExists (409) in the ErrorResponse document', async () => {
    await createZone('dup.example.com', 'ref-dup');
    const res = await call('POST', 'hostedzone', createZoneBody('other.example.com', 'ref-dup'));
    expect(res.status).toBe(409);
    expect(res.body).toMatch(new RegExp(`^<\\?xml version="1.0"\\?>\\n<ErrorResponse ${NS}><Error><Type>Sender</Type><Code>HostedZoneAlreadyExists</Code><Message>[^<]+</Message></Error><RequestId>[0-9a-f-]{36}</RequestId></ErrorResponse>$`));
    expect(text(res.body, 'RequestId')).toBe(res.headers.get('x-amzn-requestid'));
  });

  test('an unknown zone is NoSuchHostedZone (404) for get, delete, list and change', async () => {
    for (const [method, path, body] of [['GET', 'hostedzone/ZNOSUCHZONE'], ['DELETE', 'hostedzone/ZNOSUCHZONE'], ['GET', 'hostedzone/ZNOSUCHZONE/rrset'],
      ['POST', 'hostedzone/ZNOSUCHZONE/rrset', changeBatch(simple('CREATE', 'a.example.com', 'A', 60, '192.0.2.1'))]] as const) {
      const res = await call(method, path, body);
      expect([res.status, errorOf(res.body)]).toEqual([404, { type: 'Sender', code: 'NoSuchHostedZone', message: 'No hosted zone found with ID: ZNOSUCHZONE' }]);
    }
  });

  // https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html
  test('CREATE of an existing record, DELETE of a missing one and DELETE with other values are InvalidChangeBatch worded as Route 53 words them', async () => {
    const zone = await createZone('words.example.com', 'ref-words');
    expect((await changeRecords(zone, simple('CREATE', 'www.words.example.com', 'A', 300, '192.0.2.1'))).status).toBe(200);
    const dup = await changeRecords(zone, simple('CREATE', 'WWW.words.example.com.', 'A', 300, '192.0.2.1'));
    expect([dup.status, errorOf(dup.body)]).toEqual([400, { type: 'Sender', code: 'InvalidChangeBatch', message: "[Tried to create resource record set [name='www.words.example.com.', type='A'] but it already exists]" }]);
    const missing = await changeRecords(zone, simple('DELETE', 'api.words.example.com', 'A', 300, '192.0.2.1'));
    expect(errorOf(missing.body).message).toBe("[Tried to delete resource record set [name='api.words.example.com.', type='A'] but it was not found]");
    const other = await changeRecords(zone, simple('DELETE', 'www.words.example.com', 'A', 300, '192.0.2.9'));
    expect(errorOf(other.body).message).toBe("[Tried to delete resource record set [name='www.words.example.com.', type='A'] but the values provided do not match the current values]");
    const ttl = await changeRecords(zone, simple('DELETE', 'www.words.example.com', 'A', 60, '192.0.2.1'));
    expect(errorOf(ttl.body).message).toContain('do not match the current values');
    expect((await changeRecords(zone, simple('DELETE', 'www.words.example.com', 'A', 300, '192.0.2.1'))).status).toBe(200);
  });

  test('a change batch is all or nothing, and its error lists every problem in order', async () => {
    const zone = await createZone('atomic.example.com', 'ref-atomic');
    const res = await changeRecords(zone,
      simple('CREATE', 'one.atomic.example.com', 'A', 60, '192.0.2.1'),
      simple('DELETE', 'gone.atomic.example.com', 'A', 60, '192.0.2.2'),
      simple('CREATE', 'two.atomic.example.com', 'A', 60, '192.0.2.300'),
      simple('CREATE', 'www.elsewhere.org', 'A', 60, '192.0.2.3'));
    expect(res.status).toBe(400);
    expect(errorOf(res.body).message).toBe("[Tried to delete resource record set [name='gone.atomic.example.com.', type='A'] but it was not found, " +
      "ARRDATAIllegalIPv4Address: Value is not a valid IPv4 address encountered with '192.0.2.300', " +
      'RRSet with DNS name www.elsewhere.org. is not permitted in zone atomic.example.com.]');
    const list = await call('GET', `hostedzone/${zone}/rrset`);
    expect(texts(list.body, 'Name')).toEqual(['atomic.example.com.', 'atomic.example.com.']);
    // A DELETE and a CREATE of the same name in one batch: each is checked against the zone the change before it leaves.
    await changeRecords(zone, simple('CREATE', 'swap.atomic.example.com', 'CNAME', 60, 'old.example.net'));
    const swap = await changeRecords(zone, simple('DELETE', 'swap.atomic.example.com', 'CNAME', 60, 'old.example.net'), simple('CREATE', 'swap.atomic.example.com', 'A', 60, '192.0.2.7'));
    expect(swap.status).toBe(200);
  });

  test('UPSERT creates or replaces; names are case-insensitive and stored with a trailing dot', async () => {
    const zone = await createZone('upsert.example.com', 'ref-upsert');
    await changeRecords(zone, simple('UPSERT', 'App.Upsert.Example.com', 'A', 60, '192.0.2.1'));
    await changeRecords(zone, simple('UPSERT', 'app.upsert.example.com.', 'A', 120, '192.0.2.2', '192.0.2.3'));
    const list = await call('GET', `hostedzone/${zone}/rrset?name=app.upsert.example.com&type=A&maxitems=1`);
    const rrs = blocks(list.body, 'ResourceRecordSet')[0]!;
    expect([text(rrs, 'Name'), text(rrs, 'TTL'), texts(rrs, 'Value')]).toEqual(['app.upsert.example.com.', '120', ['192.0.2.2', '192.0.2.3']]);
  });

  test('InvalidInput: neither or both of AliasTarget and TTL+ResourceRecords, a weight without SetIdentifier, an unknown action', async () => {
    const zone = await createZone('input.example.com', 'ref-input');
    const none = await changeRecords(zone, change('CREATE', '<Name>www.input.example.com</Name><Type>A</Type><TTL>60</TTL>'));
    expect([none.status, errorOf(none.body)]).toEqual([400, { type: 'Sender', code: 'InvalidInput',
      message: 'Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=CREATE, Name=www.input.example.com., Type=A, SetIdentifier=null]' }]);
    const both = await changeRecords(zone, change('UPSERT', `<Name>www.input.example.com</Name><Type>A</Type><TTL>60</TTL><AliasTarget><HostedZoneId>Z35SXDOTRQ7X7K</HostedZoneId><DNSName>lb-1.us-east-1.elb.amazonaws.com</DNSName><EvaluateTargetHealth>false</EvaluateTargetHealth></AliasTarget>`));
    expect(errorOf(both.body).message).toBe('Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found more than one in Change with [Action=UPSERT, Name=www.input.example.com., Type=A, SetIdentifier=null]');
    const weight = await changeRecords(zone, change('CREATE', '<Name>w.input.example.com</Name><Type>A</Type><Weight>10</Weight><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>192.0.2.1</Value></ResourceRecord></ResourceRecords>'));
    expect(errorOf(weight.body).message).toBe("Invalid request: Missing field 'SetIdentifier' in Change with [Action=CREATE, Name=w.input.example.com., Type=A, SetIdentifier=null]");
    const action = await changeRecords(zone, simple('REPLACE', 'x.input.example.com', 'A', 60, '192.0.2.1'));
    expect(errorOf(action.body)).toMatchObject({ code: 'InvalidInput', message: expect.stringContaining("Value 'REPLACE' at 'changeBatch.changes.1.member.action' failed to satisfy constraint") });
    const ttl = await changeRecords(zone, change('CREATE', '<Name>t.input.example.com</Name><Type>A</Type><TTL>soon</TTL><ResourceRecords><ResourceRecord><Value>192.0.2.1</Value></ResourceRecord></ResourceRecords>'));
    expect(errorOf(ttl.body)).toMatchObject({ code: 'InvalidInput', message: expect.stringContaining("'soon' is not a valid value for 'integer' at 'TTL'") });
    const wrongRoot = await call('POST', `hostedzone/${zone}/rrset`, '<ChangeBatch><Changes/></ChangeBatch>');
    expect(errorOf(wrongRoot.body)).toEqual({ type: 'Sender', code: 'MalformedInput', message: 'ChangeBatch is not valid, expected ChangeResourceRecordSetsRequest' });
  });

  test('CNAME rules: not at the apex, not beside other records of the same name', async () => {
    const zone = await createZone('cname.example.com', 'ref-cname');
    const apex = await changeRecords(zone, simple('CREATE', 'cname.example.com', 'CNAME', 60, 'www.example.net'));
    expect(errorOf(apex.body).message).toBe('[RRSet of type CNAME with DNS name cname.example.com. is not permitted at apex in zone cname.example.com.]');
    await changeRecords(zone, simple('CREATE', 'a.cname.example.com', 'A', 60, '192.0.2.1'));
    const beside = await changeRecords(zone, simple('CREATE', 'a.cname.example.com', 'CNAME', 60, 'www.example.net'));
    expect(errorOf(beside.body).message).toBe('[RRSet of type CNAME with DNS name a.cname.example.com. is not permitted as it conflicts with other records with the same DNS name in zone cname.example.com.]');
  });

  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-weighted.html
  test('weighted records: set identifiers, weights, and no simple record of the same name and type beside them', async () => {
    const zone = await createZone('weighted.example.com', 'ref-weighted');
    const weighted = (action: string, id: string, w: number, ip: string) => change(action,
      `<Name>api.weighted.example.com</Name><Type>A</Type><SetIdentifier>${id}</SetIdentifier><Weight>${w}</Weight><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>${ip}</Value></ResourceRecord></ResourceRecords>`);
    expect((await changeRecords(zone, weighted('CREATE', 'blue', 100, '192.0.2.1'), weighted('CREATE', 'green', 0, '192.0.2.2'))).status).toBe(200);
    // Flip the weights in one batch.
    expect((await changeRecords(zone, weighted('UPSERT', 'blue', 0, '192.0.2.1'), weighted('UPSERT', 'green', 100, '192.0.2.2'))).status).toBe(200);
    const list = await call('GET', `hostedzone/${zone}/rrset?name=api.weighted.example.com&type=A`);
    expect(blocks(list.body, 'ResourceRecordSet').map((r) => `${text(r, 'SetIdentifier')}=${text(r, 'Weight')}`)).toEqual(['blue=0', 'green=100']);
    const mixed = await changeRecords(zone, simple('CREATE', 'api.weighted.example.com', 'A', 60, '192.0.2.3'));
    expect(errorOf(mixed.body).message).toBe('[RRSet with DNS name api.weighted.example.com., type A cannot be created as other RRsets exist with the same name and type.]');
    await changeRecords(zone, simple('CREATE', 'plain.weighted.example.com', 'A', 60, '192.0.2.4'));
    const onSimple = await changeRecords(zone, change('CREATE', '<Name>plain.weighted.example.com</Name><Type>A</Type><SetIdentifier>x</SetIdentifier><Weight>1</Weight><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>192.0.2.5</Value></ResourceRecord></ResourceRecords>'));
    expect(errorOf(onSimple.body).message).toBe('[RRSet with DNS name plain.weighted.example.com., type A, SetIdentifier x cannot be created as a non-weighted set exists with the same name and type.]');
  });

  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-types.html
  test('failover records with a health check, and alias records (no TTL; EvaluateTargetHealth kept)', async () => {
    const zone = await createZone('failover.example.com', 'ref-failover');
    const hc = await call('POST', 'healthcheck', `<CreateHealthCheckRequest ${NS}><CallerReference>hc-failover</CallerReference><HealthCheckConfig><IPAddress>192.0.2.10</IPAddress><Type>HTTP</Type><ResourcePath>/health</ResourcePath></HealthCheckConfig></CreateHealthCheckRequest>`);
    const hcId = text(hc.body, 'Id')!;
    const failover = (id: string, role: string, ip: string, extra = '') => change('CREATE',
      `<Name>app.failover.example.com</Name><Type>A</Type><SetIdentifier>${id}</SetIdentifier><Failover>${role}</Failover><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>${ip}</Value></ResourceRecord></ResourceRecords>${extra}`);
    const res = await changeRecords(zone, failover('primary', 'PRIMARY', '192.0.2.10', `<HealthCheckId>${hcId}</HealthCheckId>`), failover('secondary', 'SECONDARY', '198.51.100.10'));
    expect(res.status).toBe(200);
    const second = await changeRecords(zone, failover('another', 'PRIMARY', '192.0.2.11'));
    expect(errorOf(second.body).code).toBe('InvalidChangeBatch');
    const unknownHc = await changeRecords(zone, failover('third', 'SECONDARY', '192.0.2.12', '<HealthCheckId>00000000-0000-4000-8000-000000000000</HealthCheckId>'));
    expect([unknownHc.status, errorOf(unknownHc.body).code]).toEqual([404, 'NoSuchHealthCheck']);
    const inUse = await call('DELETE', `healthcheck/${hcId}`);
    expect([inUse.status, errorOf(inUse.body).code]).toEqual([400, 'HealthCheckInUse']);

    const alias = (name: string, target: string, zoneId: string) => change('CREATE',
      `<Name>${name}</Name><Type>A</Type><AliasTarget><HostedZoneId>${zoneId}</HostedZoneId><DNSName>${target}</DNSName><EvaluateTargetHealth>true</EvaluateTargetHealth></AliasTarget>`);
    expect((await changeRecords(zone, alias('failover.example.com', 'app.failover.example.com', zone), alias('lb.failover.example.com', 'dualstack.my-lb-1.eu-west-1.elb.amazonaws.com', 'Z32O12XQLNTSW2'))).status).toBe(200);
    const apex = blocks((await call('GET', `hostedzone/${zone}/rrset?name=failover.example.com&type=A`)).body, 'ResourceRecordSet')[0]!;
    expect(apex).toBe(`<Name>failover.example.com.</Name><Type>A</Type><AliasTarget><HostedZoneId>${zone}</HostedZoneId><DNSName>app.failover.example.com.</DNSName><EvaluateTargetHealth>true</EvaluateTargetHealth></AliasTarget>`);
    const dangling = await changeRecords(zone, alias('x.failover.example.com', 'nothing.failover.example.com', zone));
    expect(errorOf(dangling.body).message).toBe(`[Tried to create an alias that targets nothing.failover.example.com., type A in zone ${zone}, but that target was not found]`);
  });

  // https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetChange.html
  test('GetChange: PENDING when submitted, INSYNC once the sandbox clock has passed the propagation time', async () => {
    const zone = await createZone('change.example.com', 'ref-change');
    const res = await changeRecords(zone, simple('CREATE', 'c.change.example.com', 'A', 60, '192.0.2.1'));
    const info = blocks(res.body, 'ChangeInfo')[0]!;
    expect(text(info, 'Status')).toBe('PENDING');
    const submitted = Date.parse(text(info, 'SubmittedAt')!);
    const changeId = text(info, 'Id')!.replace('/change/', '');
    // The record is listed while the change is PENDING, as on Route 53.
    expect((await call('GET', `hostedzone/${zone}/rrset?name=c.change.example.com`)).body).toContain('<Value>192.0.2.1</Value>');
    // Nothing else runs: the virtual clock skips to the change's INSYNC time.
    const got = await call('GET', `change/${changeId}`);
    expect(got.body).toMatch(new RegExp(`^<\\?xml version="1.0"\\?>\\n<GetChangeResponse ${NS}><ChangeInfo><Id>/change/${changeId}</Id><Status>INSYNC</Status><SubmittedAt>[^<]+</SubmittedAt></ChangeInfo></GetChangeResponse>$`));
    expect(sandbox.clock.now() - submitted).toBeGreaterThanOrEqual(sandbox.route53.model.propagationMs);
    const missing = await call('GET', 'change/CNOSUCHCHANGE');
    expect([missing.status, errorOf(missing.body).code]).toEqual([404, 'NoSuchChange']);
  });

  test('a fault keeps changes PENDING however far the clock moves, until released (admin API)', async () => {
    const zone = await createZone('stuck.example.com', 'ref-stuck');
    const admin = async (action: string, body: unknown) => {
      const r = await fetch(`${sandbox.endpoint}/_sandbox/${action}`, { method: 'POST', body: JSON.stringify(body) });
      return { status: r.status, json: await r.json() as Record<string, unknown> };
    };
    expect((await admin('route53.changes.hold', { hostedZoneId: zone })).status).toBe(200);
    const res = await changeRecords(zone, simple('CREATE', 's.stuck.example.com', 'A', 60, '192.0.2.1'));
    const changeId = text(res.body, 'Id')!.replace('/change/', '');
    await admin('clock', { advanceSeconds: 3600 });
    expect(text((await call('GET', `change/${changeId}`)).body, 'Status')).toBe('PENDING');
    // Another zone's changes are not held.
    const other = await createZone('free.example.com', 'ref-free');
    const free = text((await changeRecords(other, simple('CREATE', 'f.free.example.com', 'A', 60, '192.0.2.1'))).body, 'Id')!;
    expect(text((await call('GET', free.slice(1))).body, 'Status')).toBe('INSYNC');
    const released = await admin('route53.changes.release', {});
    expect(released.json.released).toContain(changeId);
    expect(text((await call('GET', `change/${changeId}`)).body, 'Status')).toBe('INSYNC');
    const records = await admin('route53.records', { name: 'stuck.example.com' });
    expect(JSON.stringify(records.json)).toContain('s.stuck.example.com.');
    const unknown = await admin('route53.records', { hostedZoneId: 'ZNOPE' });
    expect(unknown.status).toBe(404);
  });

  test('the admin seed creates zones with records already INSYNC, again without duplicates, and names a bad section', async () => {
    const seed = { route53: { hostedZones: [{ name: 'seeded.example.com', records: [
      { Name: 'www.seeded.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] },
      { Name: 'seeded.example.com', Type: 'A', AliasTarget: { HostedZoneId: 'Z35SXDOTRQ7X7K', DNSName: 'lb.example.net', EvaluateTargetHealth: false } },
    ] }] } };
    const post = (action: string, body: unknown) => fetch(`${sandbox.endpoint}/_sandbox/${action}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post('seed', seed)).status).toBe(200);
    expect((await post('seed', seed)).status).toBe(200);
    const zones = sandbox.route53.model.hostedZones().filter((z) => z.name === 'seeded.example.com.');
    expect(zones).toHaveLength(1);
    const list = await call('GET', `hostedzone/${zones[0]!.id}/rrset`);
    expect(texts(list.body, 'Name')).toEqual(['seeded.example.com.', 'seeded.example.com.', 'seeded.example.com.', 'www.seeded.example.com.']);
    const state = await (await post('route53.state', {})).json() as { changes: { hostedZoneId: string; status: string }[] };
    expect(state.changes.filter((c) => c.hostedZoneId === zones[0]!.id).map((c) => c.status)).toEqual(['INSYNC', 'INSYNC', 'INSYNC']);
    const bad = await post('seed', { route53: { hostedZones: [{ name: 'bad.example.com', records: [{ Name: 'x.bad.example.com', Type: 'A', TTL: 60 }] }] } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('InvalidInput: Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords]');
    expect(sandbox.route53.model.hostedZones().map((z) => z.name)).not.toContain('bad.example.com.');
  });

  // https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListResourceRecordSets.html
  test('ListResourceRecordSets sorts by reversed labels then type, and pages with NextRecordName/Type/Identifier', async () => {
    const zone = await createZone('order.example.com', 'ref-order');
    const names = ['b.order.example.com', 'a.order.example.com', 'z.a.order.example.com', 'a-b.order.example.com', '*.order.example.com'];
    await changeRecords(zone, ...names.map((n, i) => simple('CREATE', n, 'A', 60, `192.0.2.${i + 1}`)),
      simple('CREATE', 'a.order.example.com', 'TXT', 60, '"hello"'), simple('CREATE', 'a.order.example.com', 'AAAA', 60, '2001:db8::1'),
      ...['x', 'y'].map((id, i) => change('CREATE', `<Name>w.order.example.com</Name><Type>A</Type><SetIdentifier>${id}</SetIdentifier><Weight>1</Weight><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>192.0.2.${50 + i}</Value></ResourceRecord></ResourceRecords>`)));
    // With the trailing dot, `com.example.order.a-b.` sorts before `com.example.order.a.` ('-' is 45, '.' is 46), as the page notes.
    const expected = [
      'order.example.com. NS', 'order.example.com. SOA', '\\052.order.example.com. A', 'a-b.order.example.com. A', 'a.order.example.com. A', 'a.order.example.com. AAAA',
      'a.order.example.com. TXT', 'z.a.order.example.com. A', 'b.order.example.com. A', 'w.order.example.com. A x', 'w.order.example.com. A y',
    ];
    const all = await call('GET', `hostedzone/${zone}/rrset`);
    const show = (xml: string) => blocks(xml, 'ResourceRecordSet').map((r) => [text(r, 'Name'), text(r, 'Type'), text(r, 'SetIdentifier')].filter(Boolean).join(' '));
    expect(show(all.body)).toEqual(expected);
    expect([text(all.body, 'IsTruncated'), text(all.body, 'MaxItems')]).toEqual(['false', '300']);
    // Walk it two at a time.
    const seen: string[] = [];
    let query = 'maxitems=2';
    for (let page = 0; page < 10; page++) {
      const res = await call('GET', `hostedzone/${zone}/rrset?${query}`);
      seen.push(...show(res.body));
      if (text(res.body, 'IsTruncated') === 'false') break;
      const [n, t, i] = [text(res.body, 'NextRecordName')!, text(res.body, 'NextRecordType')!, text(res.body, 'NextRecordIdentifier')];
      query = `maxitems=2&name=${encodeURIComponent(n)}&type=${t}${i ? `&identifier=${i}` : ''}`;
    }
    expect(seen).toEqual(expected);
    const mid = await call('GET', `hostedzone/${zone}/rrset?maxitems=1&name=w.order.example.com&type=A&identifier=x`);
    expect([show(mid.body), text(mid.body, 'NextRecordIdentifier')]).toEqual([['w.order.example.com. A x'], 'y']);
    const typeOnly = await call('GET', `hostedzone/${zone}/rrset?type=A`);
    expect([typeOnly.status, errorOf(typeOnly.body).code]).toEqual([400, 'InvalidInput']);
  });

  // https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListHostedZonesByName.html
  test('ListHostedZones pages with Marker/NextMarker; ListHostedZonesByName orders by reversed labels', async () => {
    const ids: string[] = [];
    let query = 'maxitems=3';
    for (let page = 0; page < 50; page++) {
      const res = await call('GET', `hostedzone?${query}`);
      expect(res.body).toContain(`<ListHostedZonesResponse ${NS}>`);
      ids.push(...texts(res.body, 'Id'));
      if (text(res.body, 'IsTruncated') === 'false') break;
      query = `maxitems=3&marker=${text(res.body, 'NextMarker')}`;
    }
    expect(ids).toEqual(sandbox.route53.model.hostedZones().map((z) => `/hostedzone/${z.id}`));
    const byName = await call('GET', 'hostedzonesbyname?dnsname=example.com&maxitems=2');
    const names = texts(byName.body, 'Name');
    expect(names).toEqual(['atomic.example.com.', 'change.example.com.']);
    expect([text(byName.body, 'DNSName'), text(byName.body, 'NextDNSName'), text(byName.body, 'IsTruncated')]).toEqual(['example.com.', 'cname.example.com.', 'true']);
    const next = await call('GET', `hostedzonesbyname?dnsname=${text(byName.body, 'NextDNSName')}&hostedzoneid=${text(byName.body, 'NextHostedZoneId')}&maxitems=1`);
    expect(texts(next.body, 'Name')).toEqual(['cname.example.com.']);
  });

  // https://docs.aws.amazon.com/Route53/latest/APIReference/API_DeleteHostedZone.html
  test('DeleteHostedZone refuses a zone with records of its own (HostedZoneNotEmpty), then deletes it once emptied', async () => {
    const zone = await createZone('delete.example.com', 'ref-delete');
    await changeRecords(zone, simple('CREATE', 'd.delete.example.com', 'A', 60, '192.0.2.1'));
    const refused = await call('DELETE', `hostedzone/${zone}`);
    expect([refused.status, errorOf(refused.body)]).toEqual([400, { type: 'Sender', code: 'HostedZoneNotEmpty', message: 'The specified hosted zone contains non-required resource record sets and so cannot be deleted.' }]);
    const soa = blocks((await call('GET', `hostedzone/${zone}/rrset?name=delete.example.com&type=SOA`)).body, 'ResourceRecordSet')[0]!;
    const soaDelete = await changeRecords(zone, change('DELETE', soa));
    expect(errorOf(soaDelete.body).message).toBe('[A HostedZone must contain exactly one SOA record.]');
    await changeRecords(zone, simple('DELETE', 'd.delete.example.com', 'A', 60, '192.0.2.1'));
    const deleted = await call('DELETE', `hostedzone/${zone}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toContain(`<DeleteHostedZoneResponse ${NS}><ChangeInfo><Id>/change/`);
    expect((await call('GET', `hostedzone/${zone}`)).status).toBe(404);
  });

  // https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHealthCheck.html
  test('health checks: create (idempotent per CallerReference), get, list, update, status set by a fault, delete', async () => {
    const body = (ref: string, port: number) => `<CreateHealthCheckRequest ${NS}><CallerReference>${ref}</CallerReference><HealthCheckConfig><FullyQualifiedDomainName>app.example.com</FullyQualifiedDomainName><Port>${port}</Port><Type>HTTPS</Type><ResourcePath>/ready</ResourcePath></HealthCheckConfig></CreateHealthCheckRequest>`;
    const created = await call('POST', 'healthcheck', body('hc-1', 8443));
    expect(created.status).toBe(201);
    const id = text(created.body, 'Id')!;
    expect(created.headers.get('location')).toBe(`https://route53.amazonaws.com/2013-04-01/healthcheck/${id}`);
    expect(blocks(created.body, 'HealthCheckConfig')[0]).toBe('<Port>8443</Port><Type>HTTPS</Type><ResourcePath>/ready</ResourcePath><FullyQualifiedDomainName>app.example.com</FullyQualifiedDomainName>' +
      '<RequestInterval>30</RequestInterval><FailureThreshold>3</FailureThreshold><MeasureLatency>false</MeasureLatency><Inverted>false</Inverted><Disabled>false</Disabled><EnableSNI>true</EnableSNI>');
    const again = await call('POST', 'healthcheck', body('hc-1', 8443));
    expect([again.status, text(again.body, 'Id')]).toEqual([201, id]);
    const conflict = await call('POST', 'healthcheck', body('hc-1', 9443));
    expect([conflict.status, errorOf(conflict.body).code]).toEqual([409, 'HealthCheckAlreadyExists']);
    expect(texts((await call('GET', 'healthcheck')).body, 'Id')).toContain(id);
    const status = await call('GET', `healthcheck/${id}/status`);
    expect(texts(status.body, 'Region')).toEqual(['us-east-1', 'us-west-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1']);
    expect(new Set(texts(status.body, 'Status'))).toEqual(new Set(['Success: HTTP Status Code 200, OK']));
    sandbox.route53.model.setHealthCheckStatus(id, false, 'HTTP Status Code 500, Internal Server Error');
    expect(new Set(texts((await call('GET', `healthcheck/${id}/status`)).body, 'Status'))).toEqual(new Set(['Failure: HTTP Status Code 500, Internal Server Error']));
    const update = await call('POST', `healthcheck/${id}`, `<UpdateHealthCheckRequest ${NS}><HealthCheckVersion>1</HealthCheckVersion><FailureThreshold>5</FailureThreshold></UpdateHealthCheckRequest>`);
    expect([text(update.body, 'FailureThreshold'), text(update.body, 'HealthCheckVersion')]).toEqual(['5', '2']);
    const stale = await call('POST', `healthcheck/${id}`, `<UpdateHealthCheckRequest ${NS}><HealthCheckVersion>1</HealthCheckVersion><Inverted>true</Inverted></UpdateHealthCheckRequest>`);
    expect([stale.status, errorOf(stale.body).code]).toEqual([409, 'HealthCheckVersionMismatch']);
    expect((await call('DELETE', `healthcheck/${id}`)).status).toBe(200);
    const gone = await call('GET', `healthcheck/${id}`);
    expect([gone.status, errorOf(gone.body).code]).toEqual([404, 'NoSuchHealthCheck']);
  });
});

describe('sandbox: route53 persistence', () => {
  test('zones, records, changes and health checks survive a restart on the same data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-route53-'));
    try {
      const first = await startSandbox({ dataDir, log: () => {} });
      const { zone } = first.route53.model.createHostedZone({ Name: 'persist.example.com', CallerReference: 'p1' });
      const changed = first.route53.model.changeResourceRecordSets(zone.id, { Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: 'p.persist.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] } }] });
      const { healthCheck } = first.route53.model.createHealthCheck('hp', { Type: 'TCP', IPAddress: '192.0.2.1', Port: 22 });
      await first.stop();
      const second = await startSandbox({ dataDir, log: () => {} });
      try {
        const res = await route53Request(second.endpoint, 'GET', `/2013-04-01/hostedzone/${zone.id}/rrset?name=p.persist.example.com`);
        expect(res.body).toContain('<Value>192.0.2.1</Value>');
        expect(second.route53.model.change(changed.id).submittedAt).toBe(changed.submittedAt);
        expect(second.route53.model.healthCheck(healthCheck.id).config.Port).toBe(22);
        expect(() => second.route53.model.createHostedZone({ Name: 'again.example.com', CallerReference: 'p1' })).toThrow(/caller reference/);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
