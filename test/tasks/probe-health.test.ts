import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { handler } from '../../tasks/probe-health/handler.js';
import { networkProber, PROBE_PROXY_ENV } from '../../tasks/probe-health/probe.js';
import { captureLogs, ec2Error, envelope, rejectionOf } from './helpers.js';

const ec2 = mockClient(EC2Client);
const WEB = 'i-0a1b2c3d4e5f60001';
const DB = 'i-0a1b2c3d4e5f60002';
const T0 = '2026-11-25T10:31:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

const servers: Server[] = [];
/** A loopback HTTP server answering `status(path)`; returns its port. */
async function httpApp(status: (path: string) => number): Promise<number> {
  const server = createHttpServer((req, res) => res.writeHead(status(req.url ?? '/')).end('x'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}
/** A port on which nothing listens (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const check = (port: number, over: Record<string, unknown> = {}) => ({
  protocol: 'http',
  port,
  path: '/health',
  expectedStatus: { min: 200, max: 399 },
  timeoutSeconds: 2,
  intervalSeconds: 10,
  healthyThreshold: 2,
  deadlineMinutes: 5,
  ...over,
});

const input = (checks: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
  planName: 'shop',
  region: 'us-west-2',
  startedAt: T0,
  checks,
  instances: [
    { workload: 'web', instanceId: WEB },
    { workload: 'db', instanceId: DB },
  ],
  ...over,
});

describe('task: probe-health', () => {
  beforeEach(() => {
    captureLogs();
    ec2.reset();
    delete process.env[PROBE_PROXY_ENV];
    // Both instances answer on the loopback address, where the test's servers listen.
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: WEB, PrivateIpAddress: '127.0.0.1' }, { InstanceId: DB, PrivateIpAddress: '127.0.0.1' }] }] });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  });

  test('an instance is healthy after healthyThreshold passing probes in a row, one per interval; workloads without a check are not probed', async () => {
    const paths: string[] = [];
    const port = await httpApp((path) => (paths.push(path), 200));
    // WHEN the first pass
    const first = (await handler(envelope('probe-health', input({ web: check(port) }), { stateEnteredTime: T0 }))) as any;
    // THEN one passing probe, not yet healthy; the db (no check) is not listed
    expect(first.health).toEqual([
      { workload: 'web', instanceId: WEB, privateIp: '127.0.0.1', endpoint: `http://127.0.0.1:${port}/health`, passes: 1, probes: 1, isHealthy: false, probedAt: T0, last: { outcome: 'status', status: 200, detail: `http://127.0.0.1:${port}/health: HTTP 200` } },
    ]);
    expect(first).toMatchObject({ isComplete: false, pendingCount: 1, healthyCount: 0 });
    // WHEN a pass 3 s later (interval not elapsed) THEN no probe
    const early = (await handler(envelope('probe-health', input({ web: check(port) }, { health: first.health }), { stateEnteredTime: at(3) }))) as any;
    expect(early.health[0].probes).toBe(1);
    // WHEN a pass after the interval THEN healthy
    const second = (await handler(envelope('probe-health', input({ web: check(port) }, { health: early.health }), { stateEnteredTime: at(10) }))) as any;
    expect(second).toMatchObject({ isComplete: true, pendingCount: 0, healthyCount: 1 });
    expect(second.health[0]).toMatchObject({ passes: 2, probes: 2, isHealthy: true });
    expect(paths).toEqual(['/health', '/health']);
    // the addresses were read once
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(1);
  });

  test('a failing probe starts the count again; a status outside the expected range fails', async () => {
    let status = 200;
    const port = await httpApp(() => status);
    const c = { web: check(port, { expectedStatus: { min: 200, max: 204 } }) };
    const first = (await handler(envelope('probe-health', input(c), { stateEnteredTime: T0 }))) as any;
    status = 302;
    const second = (await handler(envelope('probe-health', input(c, { health: first.health }), { stateEnteredTime: at(10) }))) as any;
    expect(second.health[0]).toMatchObject({ passes: 0, probes: 2, isHealthy: false, last: { outcome: 'status', status: 302 } });
  });

  test('a TCP check passes on an accepted connection and reads a closed port as refused', async () => {
    const open = await httpApp(() => 200);
    const closed = await closedPort();
    const tcp = (port: number) => check(port, { protocol: 'tcp', path: null, expectedStatus: null, healthyThreshold: 1 });
    const out = (await handler(envelope('probe-health', input({ web: tcp(open), db: tcp(closed) }), { stateEnteredTime: T0 }))) as any;
    expect(out.health.map((h: any) => [h.workload, h.isHealthy, h.last.outcome, h.endpoint])).toEqual([
      ['web', true, 'open', `tcp://127.0.0.1:${open}`],
      ['db', false, 'refused', `tcp://127.0.0.1:${closed}`],
    ]);
  });

  test('fails past the deadline naming each unhealthy instance, its endpoint, what it answered and what to do', async () => {
    const port = await httpApp(() => 503);
    const closed = await closedPort();
    const error = await rejectionOf(
      handler(envelope('probe-health', input({ web: check(port), db: check(closed, { protocol: 'tcp', path: null, expectedStatus: null }) }), { stateEnteredTime: at(5 * 60) })),
    );
    expect(error.name).toBe('Lifeboat.HealthCheckFailed');
    expect(error.message).toContain(`web/${WEB} at http://127.0.0.1:${port}/health: expected HTTP 200-399 2 time(s) in a row within 5 min, found HTTP 503 (1 probe(s), 0 passing in a row)`);
    expect(error.message).toContain(`db/${DB} at tcp://127.0.0.1:${closed}: expected a TCP connection 2 time(s) in a row within 5 min, found connection refused`);
    expect(error.message).toContain('What to do:');
  });

  test('a throttled DescribeInstances leaves the addresses for the next pass instead of failing', async () => {
    ec2.on(DescribeInstancesCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    const out = (await handler(envelope('probe-health', input({ web: check(80) }), { stateEnteredTime: T0 }))) as any;
    expect(out).toMatchObject({ isComplete: false, pendingCount: 1, throttled: [expect.stringContaining('DescribeInstances')] });
    expect(out.health[0]).toMatchObject({ privateIp: null, probes: 0, last: null });
  });

  test('a probe that gets no answer within its timeout reads as a timeout', async () => {
    const server = createHttpServer(() => {}); // never answers
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const answer = await networkProber()({ address: '127.0.0.1', protocol: 'http', port, path: '/', timeoutMs: 200 });
    expect(answer).toEqual({ outcome: 'timeout', detail: `http://127.0.0.1:${port}/: no answer within 0.2 s` });
    server.closeAllConnections();
  });

  test("through a proxy, a Proxy-Status error is the instance's refusal or silence, and an application's own 502 stays a status", async () => {
    // GIVEN a forward proxy that refuses one address, times out another and relays a 502 from a third
    const seen: string[] = [];
    const port = await httpApp(() => 0);
    servers[0]!.removeAllListeners('request');
    servers[0]!.on('request', (req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url!.includes('10.0.0.1')) res.writeHead(502, { 'Proxy-Status': 'proxy; error=connection_refused; details="nothing listens"' }).end();
      else if (req.url!.includes('10.0.0.2')) res.writeHead(504, { 'Proxy-Status': 'proxy; error=connection_timeout' }).end();
      else res.writeHead(502).end();
    });
    const probe = networkProber(`http://127.0.0.1:${port}`);
    const target = (address: string) => ({ address, protocol: 'http' as const, port: 80, path: '/health', timeoutMs: 2000 });
    expect(await probe(target('10.0.0.1'))).toEqual({ outcome: 'refused', detail: 'http://10.0.0.1:80/health: connection refused (nothing listens)' });
    expect(await probe(target('10.0.0.2'))).toMatchObject({ outcome: 'timeout' });
    expect(await probe(target('10.0.0.3'))).toMatchObject({ outcome: 'status', status: 502 });
    // requests in absolute form, as a client sends to a proxy
    expect(seen).toEqual(['GET http://10.0.0.1:80/health', 'GET http://10.0.0.2:80/health', 'GET http://10.0.0.3:80/health']);
  });

  test('rejects a proxy setting that is not an http:// URL', () => {
    expect(() => networkProber('socks5://127.0.0.1:1080')).toThrow(`${PROBE_PROXY_ENV}: expected an http:// proxy URL, found "socks5://127.0.0.1:1080"`);
  });
});
