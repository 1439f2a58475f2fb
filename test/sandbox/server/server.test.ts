import { gzipSync } from 'node:zlib';
import { CloudWatchClient, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand, DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { credentialScope } from '../../../sandbox/server.js';
import type { SandboxService, ServiceRequest } from '../../../sandbox/service.js';

let sandbox: Sandbox;

afterEach(async () => {
  await sandbox?.stop();
});

const ROLE = 'arn:aws:iam::123456789012:role/r';
const PASS = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });

/** Sends one Step Functions request the way the SDK frames it. */
async function call(op: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${sandbox.endpoint}/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AWSStepFunctions.${op}`, ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

async function admin(action: string, body: unknown = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sandbox.endpoint}/_sandbox/${action}`, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('sandbox: HTTP server', () => {
  test('answers malformed requests with AWS-shaped errors and keeps serving', async () => {
    sandbox = await startSandbox({ log: () => {} });
    const notJson = await call('ListStateMachines', '{"oops');
    expect(notJson.status).toBe(400);
    expect(notJson.json.__type).toBe('com.amazon.coral.service#SerializationException');

    const array = await call('ListStateMachines', '[1,2]');
    expect(array.json.__type).toBe('com.amazon.coral.service#SerializationException');

    const unknown = await call('DoTheThing', '{}');
    expect(unknown.status).toBe(400);
    expect(unknown.json.__type).toBe('com.amazon.coral.service#UnknownOperationException');

    const missing = await call('DescribeStateMachine', '{}');
    expect(missing.json).toEqual({
      __type: 'com.amazonaws.sfn#ValidationException',
      message: "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null",
    });

    const twoMissing = await call('CreateStateMachine', '{"name":"x"}');
    expect(twoMissing.json.message).toMatch(/^2 validation errors detected: Value null at 'definition'.*; Value null at 'roleArn'/);

    const illTyped = await call('ListStateMachines', '{"maxResults":"ten"}');
    expect(illTyped.json.__type).toBe('com.amazon.coral.service#SerializationException');
    expect(illTyped.json.message).toContain("member 'maxResults'");

    const unsupported = await call('CreateActivity', '{"name":"a"}');
    expect(unsupported.json.__type).toBe('com.amazonaws.sfn#ValidationException');

    // Still serving, and still correct.
    const ok = await call('CreateStateMachine', JSON.stringify({ name: 'after', definition: PASS, roleArn: ROLE }));
    expect(ok.status).toBe(200);
    expect(ok.json.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:after');
  });

  test('sends x-amzn-RequestId on every response and a wall-clock Date even on a virtual clock far in the past', async () => {
    sandbox = await startSandbox({ log: () => {}, startMs: Date.parse('2001-01-01T00:00:00Z') });
    const ok = await call('ListStateMachines', '{}');
    const bad = await call('Nope', '{}');
    const adminRes = await fetch(`${sandbox.endpoint}/_sandbox/health`, { method: 'POST' });
    const ids = [ok, bad].map((r) => r.headers.get('x-amzn-requestid'));
    ids.push(adminRes.headers.get('x-amzn-requestid'));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(3);
    const date = Date.parse(ok.headers.get('date')!);
    expect(Math.abs(date - Date.now())).toBeLessThan(60_000);
    expect(ok.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    // …while the API's own dates are simulated time.
    const created = await call('CreateStateMachine', JSON.stringify({ name: 'old', definition: PASS, roleArn: ROLE }));
    expect(new Date((created.json.creationDate as number) * 1000).getUTCFullYear()).toBe(2001);
  });

  test('takes the region from the SigV4 credential scope, else the default region', async () => {
    sandbox = await startSandbox({ log: () => {}, region: 'eu-central-1' });
    const signed = await call('CreateStateMachine', JSON.stringify({ name: 'scoped', definition: PASS, roleArn: ROLE }), {
      Authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/ap-southeast-2/states/aws4_request, SignedHeaders=host, Signature=abc',
    });
    expect(signed.json.stateMachineArn).toBe('arn:aws:states:ap-southeast-2:123456789012:stateMachine:scoped');
    const unsigned = await call('CreateStateMachine', JSON.stringify({ name: 'plain', definition: PASS, roleArn: ROLE }));
    expect(unsigned.json.stateMachineArn).toBe('arn:aws:states:eu-central-1:123456789012:stateMachine:plain');
    expect(credentialScope('AWS4-HMAC-SHA256 Credential=AKID/20260101/us-west-2/ec2/aws4_request, SignedHeaders=x')).toEqual({ region: 'us-west-2', service: 'ec2' });
    expect(credentialScope('Bearer x')).toBeUndefined();
  });

  test('gunzips a gzip body and refuses a body that claims gzip but is not', async () => {
    sandbox = await startSandbox({ log: () => {} });
    const zipped = await call('CreateStateMachine', gzipSync(JSON.stringify({ name: 'zipped', definition: PASS, roleArn: ROLE })), { 'Content-Encoding': 'gzip' });
    expect(zipped.status).toBe(200);
    const fake = await call('ListStateMachines', '{}', { 'Content-Encoding': 'gzip' });
    expect(fake.status).toBe(400);
    expect(fake.json.__type).toContain('SerializationException');
  });

  test('routes to mounted services by matches(); a throwing service gets a 500 and the server keeps serving', async () => {
    sandbox = await startSandbox({ log: () => {} });
    const seen: ServiceRequest[] = [];
    const echo: SandboxService = {
      matches: (req) => req.headers['x-amz-target']?.startsWith('Echo.') === true,
      handle: async (req) => {
        seen.push(req);
        if (req.headers['x-amz-target'] === 'Echo.Explode') throw new Error('kaboom');
        return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: `echo:${req.body.toString()}` };
      },
    };
    sandbox.mount(echo);
    const res = await fetch(`${sandbox.endpoint}/path?q=1`, { method: 'POST', headers: { 'X-Amz-Target': 'Echo.Say', Authorization: 'AWS4-HMAC-SHA256 Credential=k/20260101/sa-east-1/echo/aws4_request' }, body: 'hi' });
    expect(await res.text()).toBe('echo:hi');
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/path', region: 'sa-east-1', signingService: 'echo' });

    const boom = await fetch(`${sandbox.endpoint}/`, { method: 'POST', headers: { 'X-Amz-Target': 'Echo.Explode' }, body: '' });
    expect(boom.status).toBe(500);
    expect(((await boom.json()) as { __type: string }).__type).toContain('InternalFailure');

    const nobody = await fetch(`${sandbox.endpoint}/`, { method: 'POST', headers: { 'X-Amz-Target': 'Nobody.Home' }, body: '{}' });
    expect(nobody.status).toBe(400);
    expect(((await nobody.json()) as { message: string }).message).toContain('"Nobody.Home"');

    expect((await call('ListStateMachines', '{}')).status).toBe(200);
  });
});

describe('sandbox: startSandbox', () => {
  test('builds services from factories with the shared clock, random, store and admin', async () => {
    let seenClock: unknown;
    sandbox = await startSandbox({
      log: () => {},
      services: [
        (ctx) => {
          seenClock = ctx.clock;
          ctx.admin.register('probe.ping', () => ({ pong: ctx.region, account: ctx.accountId }));
          return { matches: () => false, handle: async () => ({ status: 500, body: '' }) };
        },
      ],
      region: 'eu-north-1',
    });
    expect(seenClock).toBe(sandbox.clock);
    expect(await admin('probe.ping')).toEqual({ status: 200, json: { pong: 'eu-north-1', account: '123456789012' } });
  });

  test('rejects options out of range, naming the option', async () => {
    await expect(startSandbox({ region: 'moon-1' })).rejects.toThrow(/region: expected a region name such as "us-east-1", found "moon-1"/);
    await expect(startSandbox({ port: 70000 })).rejects.toThrow(/port: expected an integer from 0 to 65535/);
    await expect(startSandbox({ clock: 'real', speed: 0 })).rejects.toThrow(/clock speed: expected a number above 0/);
  });
});

describe('sandbox: EC2 and CloudWatch behind the same endpoint', () => {
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

  test('answers EC2 and CloudWatch SDK clients, seeds EC2 through the admin API, and drops connections to a region that is down', async () => {
    sandbox = await startSandbox({ log: () => {} });
    const ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: 'us-west-2', credentials, maxAttempts: 1 });
    const cw = new CloudWatchClient({ endpoint: sandbox.endpoint, region: 'us-west-2', credentials, maxAttempts: 1 });
    try {
      const regions = await ec2.send(new DescribeRegionsCommand({}));
      expect(regions.Regions!.map((r) => r.RegionName)).toContain('us-west-2');

      const seeded = await admin('seed', { ec2: { region: 'us-west-2', instances: [{ instanceType: 'm5.large', tags: { app: 'demo' } }] } });
      expect(seeded.status).toBe(200);
      const ids = (seeded.json.ec2 as { instanceIds: string[] }).instanceIds;
      expect(ids).toHaveLength(1);
      const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
      expect(described.Reservations![0]!.Instances![0]!.InstanceType).toBe('m5.large');

      await cw.send(new PutMetricDataCommand({ Namespace: 'Demo', MetricData: [{ MetricName: 'Count', Value: 1, Unit: 'Count' }] }));
      expect((await cw.send(new ListMetricsCommand({ Namespace: 'Demo' }))).Metrics!.map((m) => m.MetricName)).toEqual(['Count']);
      expect(sandbox.cloudwatch.metrics({ region: 'us-west-2' }).map((m) => m.metricName)).toEqual(['Count']);

      // A region outage through the admin namespace: the connection is dropped unanswered.
      expect((await admin('ec2.outage', { region: 'us-west-2' })).status).toBe(200);
      await expect(ec2.send(new DescribeRegionsCommand({}))).rejects.toThrow();
      // …and everything else keeps working.
      expect((await call('ListStateMachines', '{}')).status).toBe(200);
      expect((await admin('ec2.outage', { region: 'us-west-2', isDown: false })).status).toBe(200);
      expect((await ec2.send(new DescribeRegionsCommand({}))).Regions!.length).toBeGreaterThan(0);
    } finally {
      ec2.destroy();
      cw.destroy();
    }
  });
});

describe('sandbox: admin API', () => {
  test('reads the clock and advances a virtual clock, firing due timers in order', async () => {
    const start = Date.parse('2030-06-01T00:00:00Z');
    sandbox = await startSandbox({ log: () => {}, startMs: start });
    const before = await admin('clock');
    expect(before.json.kind).toBe('virtual');
    expect(before.json.nowMs as number).toBeGreaterThanOrEqual(start);
    const fired: number[] = [];
    sandbox.clock.setTimer(start + 30 * 60_000, () => fired.push(sandbox.clock.now()));
    const after = await admin('clock', { advanceSeconds: 3600 });
    expect(fired).toHaveLength(1);
    expect(after.json.nowMs as number).toBeGreaterThanOrEqual(start + 3_600_000);
    expect((await admin('clock', { advanceMs: -1 })).status).toBe(400);
    expect((await admin('clock', { to: '2000-01-01T00:00:00Z' })).json.error).toContain('in the past');
  });

  test('refuses to move a real clock', async () => {
    sandbox = await startSandbox({ log: () => {}, clock: 'real' });
    const res = await admin('clock', { advanceSeconds: 5 });
    expect(res.status).toBe(409);
    expect(res.json.error).toContain('--clock virtual');
  });

  test('runs registered actions, seed sections and reset hooks; refuses unknown ones with the list of known ones', async () => {
    sandbox = await startSandbox({ log: () => {} });
    const seeded: unknown[] = [];
    let resets = 0;
    sandbox.admin.register('demo.faults', (body) => ({ got: body }));
    sandbox.admin.registerSeed('demo', (body) => {
      seeded.push(body);
      return { count: 1 };
    });
    sandbox.admin.registerReset(() => {
      resets++;
    });
    expect(() => sandbox.admin.register('demo.faults', () => 1)).toThrow(/already registered/);
    expect(() => sandbox.admin.register('Bad Name', () => 1)).toThrow(/expected lower-case/);

    expect(await admin('demo.faults', { rate: 0.3 })).toEqual({ status: 200, json: { got: { rate: 0.3 } } });
    sandbox.admin.registerNamespace('svc', (action, body) => {
      if (action === 'bad') throw new TypeError('svc admin \'bad\': expected something');
      return { action, body };
    });
    expect(await admin('svc.faults.set', { a: 1 })).toEqual({ status: 200, json: { action: 'faults.set', body: { a: 1 } } });
    expect(await admin('svc.bad')).toEqual({ status: 400, json: { error: "svc admin 'bad': expected something" } });
    expect(await admin('seed', { demo: { instances: 2 } })).toEqual({ status: 200, json: { demo: { count: 1 } } });
    expect(seeded).toEqual([{ instances: 2 }]);
    const badSeed = await admin('seed', { nope: {} });
    expect(badSeed.status).toBe(400);
    expect(badSeed.json.error).toContain('expected one of: demo');
    const unknown = await admin('nothing');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toContain('demo.faults');
    expect(unknown.json.error).toContain('svc.*');
    const badBody = await fetch(`${sandbox.endpoint}/_sandbox/seed`, { method: 'POST', body: '[' });
    expect(badBody.status).toBe(400);

    await call('CreateStateMachine', JSON.stringify({ name: 'gone', definition: PASS, roleArn: ROLE }));
    expect(await admin('reset')).toEqual({ status: 200, json: { ok: true } });
    expect(resets).toBe(1);
    expect((await call('ListStateMachines', '{}')).json.stateMachines).toEqual([]);
  });

  test('reports health with the data directory', async () => {
    sandbox = await startSandbox({ log: () => {} });
    const res = await admin('health');
    expect(res.json).toMatchObject({ ok: true, pid: process.pid, endpoint: sandbox.endpoint, dataDir: null });
    expect(res.json.actions).toEqual(expect.arrayContaining(['clock', 'health', 'reset', 'seed']));
  });
});
