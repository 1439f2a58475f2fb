import { request as httpRequest } from 'node:http';
import { DescribeInstancesCommand, EC2Client, RunInstancesCommand, TerminateInstancesCommand, DescribeImagesCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';

const WEST = 'us-west-2';
const EAST = 'us-east-1';
const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let sandbox: Sandbox;
afterEach(async () => {
  await sandbox?.stop();
});

async function start(seed = 7): Promise<Sandbox> {
  sandbox = await startSandbox({ seed, startMs: T0, log: () => {} });
  return sandbox;
}

function ec2(region: string): EC2Client {
  return new EC2Client({ region, endpoint: sandbox.endpoint, credentials, maxAttempts: 1 });
}

async function advance(seconds: number): Promise<void> {
  await sandbox.admin.call('clock', { advanceSeconds: seconds });
}

/** Launches `count` instances of the region's base image; returns `{instanceId, privateIp}` each. */
async function launch(region: string, count = 1, tags: Record<string, string> = {}): Promise<{ instanceId: string; privateIp: string }[]> {
  const client = ec2(region);
  const images = await sandbox.clock.track(client.send(new DescribeImagesCommand({ Owners: ['amazon'] })));
  const tagSpecs = Object.keys(tags).length > 0 ? [{ ResourceType: 'instance' as const, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }] : undefined;
  const out = await sandbox.clock.track(client.send(new RunInstancesCommand({ ImageId: images.Images![0]!.ImageId!, MinCount: count, MaxCount: count, InstanceType: 'm5.large', TagSpecifications: tagSpecs })));
  return out.Instances!.map((i) => ({ instanceId: i.InstanceId!, privateIp: i.PrivateIpAddress! }));
}

/** Sends one request through the sandbox as an HTTP forward proxy (absolute form, or CONNECT). */
function viaProxy(target: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { port } = new URL(sandbox.endpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: Number(port), method: options.method ?? 'GET', path: target, headers: options.headers, agent: false });
    req.on('connect', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode!, headers: res.headers, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('sandbox: ec2 applications', () => {
  test('a launched instance refuses probes while its application boots, then answers 200; the boot is 30-90 s after running and seeded', async () => {
    // GIVEN
    await start();
    const [web] = await launch(WEST);
    const answer = () => sandbox.ec2.applicationAnswer(WEST, web!.privateIp, 'http', 80, '/health');
    // WHEN pending THEN nothing answers
    expect(answer()).toMatchObject({ outcome: 'timeout', instanceId: web!.instanceId });
    // WHEN running but booting
    await advance(61);
    const [view] = sandbox.ec2.applications.describe(WEST).filter((a) => a.instanceId === web!.instanceId);
    expect(view!.state).toBe('running');
    expect(view!.bootSeconds).toBeGreaterThanOrEqual(30);
    expect(view!.bootSeconds).toBeLessThanOrEqual(90);
    const readyAt = view!.readyAt!;
    expect(sandbox.ec2.applicationAnswer(WEST, web!.instanceId, 'http', 80, '/', readyAt - 1)).toMatchObject({ outcome: 'refused' });
    expect(sandbox.ec2.applicationAnswer(WEST, web!.instanceId, 'http', 80, '/', readyAt)).toMatchObject({ outcome: 'answered', status: 200 });
    await advance(120);
    expect(answer()).toMatchObject({ outcome: 'answered', status: 200, instanceId: web!.instanceId, privateIp: web!.privateIp });
    // THEN the same seed gives the same boot time
    await sandbox.stop();
    await start();
    const [again] = await launch(WEST);
    await advance(61);
    expect(again!.instanceId).toBe(web!.instanceId);
    expect(sandbox.ec2.applications.describe(WEST).find((a) => a.instanceId === again!.instanceId)!.bootSeconds).toBe(view!.bootSeconds);
  });

  test('by default answers HTTP 200 on any path of 80 and 8080, HTTPS on 443, accepts TCP there and refuses other ports', async () => {
    await start();
    const [i] = await launch(WEST);
    await advance(600);
    const a = (protocol: 'http' | 'https' | 'tcp', port: number, path?: string) => sandbox.ec2.applicationAnswer(WEST, i!.privateIp, protocol, port, path);
    expect(a('http', 80, '/any/path?x=1')).toMatchObject({ outcome: 'answered', status: 200 });
    expect(a('http', 8080, '/')).toMatchObject({ outcome: 'answered', status: 200 });
    expect(a('https', 443, '/health')).toMatchObject({ outcome: 'answered', status: 200 });
    expect(a('tcp', 443)).toMatchObject({ outcome: 'open' });
    expect(a('tcp', 22)).toMatchObject({ outcome: 'refused' });
    expect(a('http', 443, '/')).toMatchObject({ outcome: 'answered', status: 400 });
    expect(a('https', 80, '/')).toMatchObject({ outcome: 'refused' });
  });

  test('tags on the instance set the boot time, listeners and statuses', async () => {
    await start();
    const [i] = await launch(WEST, 1, { 'sandbox:app-boot-seconds': '600', 'sandbox:app-listeners': 'http:8080=503,tcp:5432' });
    await advance(61);
    const readyAt = sandbox.ec2.applications.describe(WEST)[0]!.readyAt!;
    expect(sandbox.ec2.applications.describe(WEST)[0]!.bootSeconds).toBe(600);
    await advance((readyAt - sandbox.clock.now()) / 1000 - 1);
    expect(sandbox.ec2.applicationAnswer(WEST, i!.privateIp, 'tcp', 5432)).toMatchObject({ outcome: 'refused' });
    await advance(1);
    expect(sandbox.ec2.applicationAnswer(WEST, i!.privateIp, 'tcp', 5432)).toMatchObject({ outcome: 'open' });
    expect(sandbox.ec2.applicationAnswer(WEST, i!.privateIp, 'http', 8080, '/')).toMatchObject({ outcome: 'answered', status: 503 });
    expect(sandbox.ec2.applicationAnswer(WEST, i!.privateIp, 'http', 80, '/')).toMatchObject({ outcome: 'refused' });
    expect(sandbox.ec2.applicationAnswer(WEST, i!.privateIp, 'http', 5432, '/')).toMatchObject({ outcome: 'timeout' });
  });

  test('admin rules set paths per listener; faults answer a status, refuse or time out', async () => {
    await start();
    const [a, b, c] = await launch(WEST, 3);
    await advance(600);
    sandbox.ec2.applications.set({
      rules: [{ instanceIds: [a!.instanceId], bootSeconds: 5, listeners: [{ port: 80, protocol: 'http', status: 404, paths: { '/health': 200 } }] }],
      faults: [
        { instanceIds: [b!.instanceId], answer: 503 },
        { instanceIds: [c!.instanceId], answer: 'timeout', ports: [80] },
      ],
    });
    expect(sandbox.ec2.applicationAnswer(WEST, a!.privateIp, 'http', 80, '/health')).toMatchObject({ outcome: 'answered', status: 200 });
    expect(sandbox.ec2.applicationAnswer(WEST, a!.privateIp, 'http', 80, '/')).toMatchObject({ outcome: 'answered', status: 404 });
    expect(sandbox.ec2.applicationAnswer(WEST, b!.privateIp, 'http', 80, '/health')).toMatchObject({ outcome: 'answered', status: 503 });
    expect(sandbox.ec2.applicationAnswer(WEST, b!.privateIp, 'tcp', 80)).toMatchObject({ outcome: 'open' });
    expect(sandbox.ec2.applicationAnswer(WEST, c!.privateIp, 'http', 80, '/')).toMatchObject({ outcome: 'timeout' });
    expect(sandbox.ec2.applicationAnswer(WEST, c!.privateIp, 'http', 8080, '/')).toMatchObject({ outcome: 'answered', status: 200 });
    // a refused fault by tag, through the admin API as another process would set it
    await sandbox.admin.call('ec2.applications.set', { faults: [{ tags: { tier: 'db' }, answer: 'refused' }] });
    const [db] = await launch(WEST, 1, { tier: 'db' });
    await advance(600);
    const answered = await sandbox.admin.call('ec2.applications.answer', { region: WEST, target: db!.privateIp, protocol: 'http', port: 80, path: '/' });
    expect(answered).toMatchObject({ outcome: 'refused', instanceId: db!.instanceId });
    expect(sandbox.ec2.applicationAnswer(WEST, b!.privateIp, 'http', 80, '/')).toMatchObject({ outcome: 'answered', status: 200 });
  });

  test('rejects a bad configuration naming every problem with its path', async () => {
    await start();
    expect(() => sandbox.ec2.applications.set({ rules: [{ listeners: [{ port: 0, protocol: 'udp' }] }], faults: [{ answer: 'slow' }] })).toThrow(
      /rules\.0\.listeners\.0\.port[\s\S]*rules\.0\.listeners\.0\.protocol[\s\S]*faults\.0\.answer/,
    );
    expect(() => sandbox.ec2.applicationAnswer(WEST, 'web-1', 'http', 0)).toThrow(/target: expected an instance id or a private IPv4 address[\s\S]*port: expected an integer from 1 to 65535/);
  });

  test('an unknown address and a terminated instance do not answer', async () => {
    await start();
    const [i] = await launch(WEST);
    await advance(600);
    expect(sandbox.ec2.applicationAnswer(WEST, '10.9.9.9', 'http', 80, '/')).toMatchObject({ outcome: 'timeout' });
    await sandbox.clock.track(ec2(WEST).send(new TerminateInstancesCommand({ InstanceIds: [i!.instanceId] })));
    expect(sandbox.ec2.applicationAnswer(WEST, i!.instanceId, 'http', 80, '/')).toMatchObject({ outcome: 'timeout', detail: expect.stringContaining('shutting-down') });
  });

  test('private addresses are unique across regions, so the proxy finds an instance by address alone', async () => {
    await start();
    const launched = [...(await launch(WEST, 40)), ...(await launch(EAST, 40))];
    const addresses = launched.map((l) => l.privateIp);
    expect(new Set(addresses).size).toBe(addresses.length);
    const described = await sandbox.clock.track(ec2(EAST).send(new DescribeInstancesCommand({})));
    const east = described.Reservations!.flatMap((r) => r.Instances!).map((i) => i.PrivateIpAddress);
    expect(new Set(east)).toEqual(new Set(launched.slice(40).map((l) => l.privateIp)));
  });

  describe('the server as a forward proxy', () => {
    test('answers an absolute-form request with the application status, and proxy errors as RFC 9209 Proxy-Status', async () => {
      await start();
      const [up, down, quiet] = await launch(WEST, 3);
      const [booting] = await launch(WEST, 1, { 'sandbox:app-boot-seconds': '3600' });
      await advance(600);
      sandbox.ec2.applications.set({ faults: [{ instanceIds: [down!.instanceId], answer: 500 }, { instanceIds: [quiet!.instanceId], answer: 'timeout' }] });
      const ok = await viaProxy(`http://${up!.privateIp}:8080/health`);
      expect(ok.status).toBe(200);
      expect(ok.headers['proxy-status']).toBeUndefined();
      expect((await viaProxy(`https://${up!.privateIp}/health`)).status).toBe(200);
      const failing = await viaProxy(`http://${down!.privateIp}/health`);
      expect(failing.status).toBe(500);
      const refused = await viaProxy(`http://${booting!.privateIp}/health`);
      expect(refused.status).toBe(502);
      expect(refused.headers['proxy-status']).toMatch(/^sandbox; error=connection_refused; details="http:\/\/.*still starting/);
      const silent = await viaProxy(`http://${quiet!.privateIp}/health`);
      expect(silent.status).toBe(504);
      expect(silent.headers['proxy-status']).toMatch(/error=connection_timeout/);
      expect((await viaProxy('http://10.200.0.1/')).headers['proxy-status']).toMatch(/error=connection_timeout; details=".*no instance holds this address/);
      expect((await viaProxy('http://example.com/')).headers['proxy-status']).toMatch(/error=dns_error/);
    });

    test('CONNECT opens a tunnel to a listening port and is refused where nothing listens', async () => {
      await start();
      const [i] = await launch(WEST, 1, { 'sandbox:app-listeners': 'tcp:5432' });
      await advance(600);
      expect((await viaProxy(`${i!.privateIp}:5432`, { method: 'CONNECT' })).status).toBe(200);
      const closed = await viaProxy(`${i!.privateIp}:22`, { method: 'CONNECT' });
      expect(closed.status).toBe(502);
      expect(closed.headers['proxy-status']).toMatch(/error=connection_refused/);
    });

    test('refuses web pages (Origin, cross-site Sec-Fetch-Site) as it does for every other request', async () => {
      await start();
      const [i] = await launch(WEST);
      await advance(600);
      const fromPage = await viaProxy(`http://${i!.privateIp}/`, { headers: { Origin: 'http://evil.example' } });
      expect(fromPage.status).toBe(403);
      expect(fromPage.body).toContain('web pages may not use the sandbox as a proxy');
      expect((await viaProxy(`${i!.privateIp}:80`, { method: 'CONNECT', headers: { 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(403);
    });
  });
});
