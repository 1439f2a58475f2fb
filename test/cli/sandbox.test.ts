import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeImagesCommand, DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, test } from 'vitest';
import { sandbox } from '../../cli/commands/sandbox.js';
import { OperationError, UsageError } from '../../cli/errors.js';
import { createBufferIo, type BufferIo } from '../../cli/io.js';
import { resolveLocalEndpoint } from '../../cli/local/endpoint.js';
import { main } from '../../cli/main.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lifeboat-cli-sandbox-'));
  dirs.push(d);
  return d;
}

async function health(endpoint: string): Promise<{ ok: boolean; dataDir: string | null }> {
  const res = await fetch(`${endpoint}/_sandbox/health`, { method: 'POST', body: '{}' });
  return (await res.json()) as { ok: boolean; dataDir: string | null };
}

async function startCommand(dataDir: string, extra: Record<string, string> = {}): Promise<{ io: BufferIo; stop: () => Promise<number>; endpoint: string }> {
  const buffer = createBufferIo();
  let announced!: () => void;
  const isAnnounced = new Promise<void>((resolve) => (announced = resolve));
  // The command prints the endpoint with io.result once it listens: that is the readiness signal.
  const io: BufferIo = { ...buffer, result: (value) => { buffer.result(value); announced(); } };
  const controller = new AbortController();
  const done = sandbox({ data: dataDir, port: '0', signal: controller.signal, ...extra }, io);
  await Promise.race([isAnnounced, done.then(() => { throw new Error('the command ended before printing its endpoint'); })]);
  return {
    io,
    endpoint: io.stdout().trim(),
    stop: async () => {
      controller.abort();
      return done;
    },
  };
}

describe('cli: sandbox', () => {
  test('prints the endpoint on stdout and AWS CLI hints on stderr, records itself for --local, and stops cleanly', async () => {
    // GIVEN a running `lifeboat sandbox`
    const dataDir = tempDir();
    const run = await startCommand(dataDir);
    expect(run.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(run.io.stdout()).toBe(`${run.endpoint}\n`);
    expect(run.io.stderr()).toContain(`aws stepfunctions list-state-machines --endpoint-url ${run.endpoint}`);
    expect(run.io.stderr()).toContain('AWS_ACCESS_KEY_ID=test');
    const info = JSON.parse(readFileSync(join(dataDir, 'sandbox.json'), 'utf8')) as { endpoint: string; pid: number };
    expect(info).toMatchObject({ endpoint: run.endpoint, pid: process.pid });
    expect((await health(run.endpoint)).dataDir).toBe(dataDir);

    // WHEN --local resolves an endpoint for that data directory, it is the running sandbox
    const local = await resolveLocalEndpoint({ dataDir });
    expect(local.endpoint).toBe(run.endpoint);
    await local.close();
    expect((await health(run.endpoint)).ok).toBe(true);

    // a second sandbox on the same data directory is refused
    await expect(sandbox({ data: dataDir }, createBufferIo())).rejects.toBeInstanceOf(OperationError);

    // THEN stopping removes the record and closes the port
    expect(await run.stop()).toBe(0);
    expect(existsSync(join(dataDir, 'sandbox.json'))).toBe(false);
    await expect(fetch(`${run.endpoint}/_sandbox/health`, { method: 'POST' })).rejects.toThrow();
    expect(run.io.stderr()).toContain('sandbox stopped');
  });

  test('rejects bad flags with a usage error naming the flag', async () => {
    const io = createBufferIo();
    await expect(sandbox({ clock: 'sideways' }, io)).rejects.toThrow(new UsageError('lifeboat sandbox: --clock: expected "virtual" or "real", found "sideways"'));
    await expect(sandbox({ port: '70000' }, io)).rejects.toThrow(/--port: expected an integer from 0 to 65535, found "70000"/);
    await expect(sandbox({ clock: 'real', speed: '-2' }, io)).rejects.toThrow(/--speed: expected a number above 0/);
    await expect(sandbox({ speed: '10' }, io)).rejects.toThrow(/--speed only applies to --clock real/);
    // Through the command table: exit code 2.
    const mainIo = createBufferIo();
    expect(await main(['sandbox', '--clock', 'sideways'], mainIo)).toBe(2);
    expect(mainIo.stderr()).toContain('--clock');
  });

  test('--local without a running sandbox starts one in process on the same data directory, and ignores a stale record', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'sandbox.json'), JSON.stringify({ endpoint: 'http://127.0.0.1:1', pid: 2 ** 22 + 12345, dataDir, region: 'us-east-1', startedAt: '' }));
    const local = await resolveLocalEndpoint({ dataDir });
    try {
      expect(local.endpoint).not.toBe('http://127.0.0.1:1');
      expect(local.region).toBe('us-east-1');
      expect((await health(local.endpoint)).dataDir).toBe(dataDir);
    } finally {
      await local.close();
    }
    await expect(fetch(`${local.endpoint}/_sandbox/health`, { method: 'POST' })).rejects.toThrow();
  });
  test('--config starts the sandbox with the EC2 faults it names: a throttled call answers RequestLimitExceeded', async () => {
    // GIVEN a configuration that throttles every DescribeImages call
    const dataDir = tempDir();
    const config = join(dataDir, 'faults.json');
    writeFileSync(config, JSON.stringify({ ec2: { faults: { throttle: { DescribeImages: 1 } }, latency: { instanceStart: { min: 1, max: 2 } } } }));
    const run = await startCommand(dataDir, { config });
    try {
      // WHEN an EC2 client calls it
      const ec2 = new EC2Client({ region: 'us-east-1', endpoint: run.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
      // THEN the fault from the file is in force, and other operations are not affected
      await expect(ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).rejects.toMatchObject({ name: 'RequestLimitExceeded' });
      await expect(ec2.send(new DescribeRegionsCommand({}))).resolves.toMatchObject({ Regions: expect.any(Array) });
      ec2.destroy();
    } finally {
      await run.stop();
    }
  });

  test('--config "regions" restricts the regions served; the others are unreachable', async () => {
    const dataDir = tempDir();
    const config = join(dataDir, 'regions.json');
    writeFileSync(config, JSON.stringify({ regions: ['us-east-1', 'eu-west-1'] }));
    const run = await startCommand(dataDir, { config });
    try {
      const client = (region: string) => new EC2Client({ region, endpoint: run.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
      const listed = await client('eu-west-1').send(new DescribeRegionsCommand({}));
      expect(listed.Regions!.map((r) => r.RegionName)).toEqual(['us-east-1', 'eu-west-1']);
      await expect(client('us-west-2').send(new DescribeRegionsCommand({}))).rejects.toThrow(/ECONNRESET|socket hang up|EPIPE/);
    } finally {
      await run.stop();
    }
    const bad = join(dataDir, 'bad-regions.json');
    writeFileSync(bad, JSON.stringify({ regions: ['us-east-1', 'moon-base-1'] }));
    const error = await sandbox({ data: dataDir, config: bad }, createBufferIo()).catch((e: unknown) => e as UsageError);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain(`${bad} › regions: "moon-base-1" is not an AWS commercial region`);
  });

  test('rejects a --config file that is missing, not JSON, or not a configuration, naming each bad path', async () => {
    const dataDir = tempDir();
    const io = createBufferIo();
    await expect(sandbox({ data: dataDir, config: join(dataDir, 'nope.json') }, io)).rejects.toThrow(/--config ".*nope\.json": no such file/);
    const bad = join(dataDir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ec2: { faults: { throttle: { '*': 2 } }, latency: { jitter: -1 }, colour: 'red' }, extra: 1 }));
    const error = await sandbox({ data: dataDir, config: bad }, io).catch((e: unknown) => e as UsageError);
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as UsageError).message;
    expect(message).toContain(`${bad} › extra: expected no key "extra"`);
    expect(message).toContain(`${bad} › ec2.colour: expected "faults" or "latency"`);
    expect(message).toContain(`${bad} › ec2.faults › throttle.*`);
    expect(message).toContain(`${bad} › ec2.latency › jitter`);
  });
  test('a run started from another client can be stopped in its first Wait: the virtual clock gives the client a moment', async () => {
    // GIVEN a standalone sandbox and a machine that waits an hour
    const run = await startCommand(tempDir());
    const sfn = new SFNClient({ region: 'us-east-1', endpoint: run.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    try {
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
        name: 'waits', roleArn: 'arn:aws:iam::123456789012:role/r',
        definition: JSON.stringify({ StartAt: 'Wait an hour', States: { 'Wait an hour': { Type: 'Wait', Seconds: 3600, End: true } } }),
      }));
      // WHEN a client starts it and stops it right away
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
      await sfn.send(new StopExecutionCommand({ executionArn }));
      // THEN it was still waiting, as it would be on AWS
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(described.status).toBe('ABORTED');
      const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionAborted']);
    } finally {
      sfn.destroy();
      await run.stop();
    }
  });
});

describe('cli: console', () => {
  test('with a sandbox running for the data directory, prints its console address and opens it with --open; the address serves the console', async () => {
    const dataDir = tempDir();
    const run = await startCommand(dataDir);
    try {
      expect(run.io.stderr()).toContain(`the console (state machines, runs, graphs, plans): ${run.endpoint}/`);
      const io = createBufferIo();
      const opened: string[] = [];
      const { consoleCommand } = await import('../../cli/commands/console.js');
      expect(await consoleCommand({ data: dataDir, open: true, opener: (url) => opened.push(url) }, io)).toBe(0);
      expect(io.stdout()).toBe(`${run.endpoint}/\n`);
      expect(opened).toEqual([`${run.endpoint}/`]);
      const page = await fetch(`${run.endpoint}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toContain('<title>Sandbox console</title>');
    } finally {
      expect(await run.stop()).toBe(0);
    }
  });

  test('with no sandbox running, starts one and opens its console once it listens; an unknown flag is a usage error', async () => {
    const dataDir = tempDir();
    const buffer = createBufferIo();
    const controller = new AbortController();
    const opened: string[] = [];
    const { consoleCommand } = await import('../../cli/commands/console.js');
    let listening!: () => void;
    const isListening = new Promise<void>((resolve) => (listening = resolve));
    const done = consoleCommand({ data: dataDir, port: '0', open: true, signal: controller.signal, opener: (url) => { opened.push(url); listening(); } }, buffer);
    await isListening;
    const endpoint = buffer.stdout().trim();
    expect(opened).toEqual([`${endpoint}/`]);
    expect(buffer.stderr()).toContain(`no sandbox runs for ${dataDir}: starting one`);
    controller.abort();
    expect(await done).toBe(0);

    const io = createBufferIo();
    expect(await main(['console', '--opne'], io)).toBe(2);
    expect(io.stderr()).toContain("unknown flag '--opne'");
  });
});
