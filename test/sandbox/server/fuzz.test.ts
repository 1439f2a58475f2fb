import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateStateMachineCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { MAX_BODY_BYTES } from '../../../sandbox/server.js';
import { FuzzGenerator, problemWith, send, type FuzzOutcome } from './fuzz-requests.js';

const REQUESTS = 3_000;
const CONCURRENCY = 8;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let sandbox: Sandbox;
const logged: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 12, log: (m) => logged.push(m) });
  sandbox.lambdas.register('fuzz', async (event) => event);
  const sfn = new SFNClient({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials });
  await sfn.send(new CreateStateMachineCommand({
    name: 'fuzz', roleArn: 'arn:aws:iam::123456789012:role/r',
    definition: JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:fuzz', End: true } } }),
  }));
  sandbox.ec2.seedInstances('us-east-1', [{ instanceType: 'm5.large' }]);
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('sandbox: hostile input (seeded fuzz)', () => {
  test(`answers ${REQUESTS.toLocaleString('en-US')} malformed requests across every service with well-formed AWS errors, never a 5xx, and keeps serving`, async () => {
    // GIVEN a seeded stream of malformed requests (a few of them over the size limit or gzip bombs)
    const generator = new FuzzGenerator(12, sandbox.port);
    const served = new Set(sandbox.ec2.regions);
    const problems: string[] = [];
    const kinds = new Map<string, number>();
    let sent = 0;

    // WHEN they are sent, CONCURRENCY at a time
    const worker = async (): Promise<void> => {
      while (sent < REQUESTS) {
        const i = sent++;
        const req = generator.next({ large: i % 1_000 === 999 });
        kinds.set(req.kind, (kinds.get(req.kind) ?? 0) + 1);
        const outcome: FuzzOutcome = await send(sandbox.port, req);
        const problem = problemWith(outcome, (r) => served.has(r));
        if (problem) problems.push(`#${i} ${req.kind} ${req.method} ${req.path} ${req.headers['x-amz-target'] ?? ''}: ${problem}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    // THEN every answer is a well-formed AWS answer, nothing was logged as a failure inside the sandbox…
    expect(problems.slice(0, 20)).toEqual([]);
    expect(logged.filter((m) => /failed|could not answer|Error:/.test(m)).slice(0, 5)).toEqual([]);
    expect([...kinds.keys()].sort()).toEqual(expect.arrayContaining(['admin', 'deep-body', 'ec2-operation', 'foreign', 'json-operation', 'random-bytes', 'truncated-json', 'truncated-query']));

    // …and every service still answers a real SDK client correctly.
    const sfn = new SFNClient({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials });
    const machines = await sfn.send(new ListStateMachinesCommand({}));
    expect(machines.stateMachines?.map((m) => m.name)).toContain('fuzz');
    const ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials });
    expect((await ec2.send(new DescribeRegionsCommand({}))).Regions?.length).toBeGreaterThan(0);
    const cw = new CloudWatchClient({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials });
    expect((await cw.send(new ListMetricsCommand({}))).$metadata.httpStatusCode).toBe(200);
  }, 300_000);

  test('rejects operation names that are JavaScript object keys with each protocol\'s unknown-operation error', async () => {
    for (const name of ['__proto__', 'toString', 'constructor', 'hasOwnProperty']) {
      const ec2 = await send(sandbox.port, { kind: 'x', method: 'POST', path: '/', headers: { host: `127.0.0.1:${sandbox.port}`, 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(`Action=${name}&Version=2016-11-15`) });
      expect(ec2.status).toBe(400);
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html: InvalidAction
      expect(ec2.body!.toString()).toContain(`<Code>InvalidAction</Code><Message>The action ${name} is not valid for this web service.</Message>`);
      for (const prefix of ['AWSStepFunctions.', 'GraniteServiceVersion20100801.']) {
        const json = await send(sandbox.port, { kind: 'x', method: 'POST', path: '/', headers: { host: `127.0.0.1:${sandbox.port}`, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `${prefix}${name}` }, body: Buffer.from('{}') });
        expect(json.status).toBe(400);
        expect(JSON.parse(json.body!.toString()).__type).toBe('com.amazon.coral.service#UnknownOperationException');
      }
    }
  });

  const own = () => ({ host: `127.0.0.1:${sandbox.port}` });
  const sfnCall = (op: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    send(sandbox.port, { kind: 'x', method: 'POST', path: '/', headers: { ...own(), 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${op}`, ...headers }, body: Buffer.from(body) });

  test('refuses the admin API and every service to web pages and foreign host names, and serves loopback clients', async () => {
    // GIVEN a page in a local browser posting text/plain (no CORS preflight) to wipe the sandbox
    const reset = await send(sandbox.port, { kind: 'x', method: 'POST', path: '/_sandbox/reset', headers: { ...own(), 'content-type': 'text/plain;charset=UTF-8', origin: 'http://evil.example' }, body: Buffer.from('{}') });
    expect(reset.status).toBe(403);
    expect(JSON.parse(reset.body!.toString()).error).toContain("'Origin: http://evil.example'");
    // a DNS-rebound name (evil.example resolving to 127.0.0.1): the Host header gives it away
    const rebound = await send(sandbox.port, { kind: 'x', method: 'POST', path: '/_sandbox/reset', headers: { host: `evil.example:${sandbox.port}` }, body: Buffer.from('{}') });
    expect(rebound.status).toBe(403);
    const noOrigin = await send(sandbox.port, { kind: 'x', method: 'POST', path: '/_sandbox/reset', headers: { ...own(), 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' }, body: Buffer.from('{}') });
    expect(noOrigin.status).toBe(403);
    // every service too, each in its own protocol
    const sfnForeign = await sfnCall('ListStateMachines', '{}', { origin: 'null' });
    expect(sfnForeign.status).toBe(403);
    expect(JSON.parse(sfnForeign.body!.toString()).__type).toBe('com.amazon.coral.service#AccessDeniedException');
    const ec2Foreign = await send(sandbox.port, { kind: 'x', method: 'POST', path: '/', headers: { host: `127.0.0.1.nip.io:${sandbox.port}`, 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from('Action=DescribeRegions&Version=2016-11-15') });
    expect(ec2Foreign.status).toBe(403);
    expect(ec2Foreign.body!.toString()).toContain('<Code>UnauthorizedOperation</Code>');
    const cwForeign = await send(sandbox.port, { kind: 'x', method: 'POST', path: '/', headers: { host: `attacker:${sandbox.port}`, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics' }, body: Buffer.from('{}') });
    expect(cwForeign.status).toBe(403);

    // THEN nothing was wiped, and loopback names and the sandbox's own origin are served
    for (const headers of [{ host: `localhost:${sandbox.port}` }, { ...own(), origin: `http://127.0.0.1:${sandbox.port}` }]) {
      const list = await send(sandbox.port, { kind: 'x', method: 'POST', path: '/', headers: { ...headers, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.ListStateMachines' }, body: Buffer.from('{}') });
      expect(list.status).toBe(200);
      expect(JSON.parse(list.body!.toString()).stateMachines.map((m: { name: string }) => m.name)).toContain('fuzz');
    }
  });

  test('bounds a gzip body by what it inflates to, while inflating', async () => {
    // GIVEN about 64 KiB of gzip that inflates to 64 MiB
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(MAX_BODY_BYTES);
    const res = await sfnCall('ListStateMachines', bomb, { 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body!.toString()).message).toContain(`inflates to at most ${MAX_BODY_BYTES} bytes`);
    const zipped = await sfnCall('ListStateMachines', gzipSync('{}'), { 'content-encoding': 'gzip' });
    expect(zipped.status).toBe(200);
  });

  test('answers an oversized EC2 request with an EC2 XML error', async () => {
    const body = Buffer.concat([Buffer.from('Action=DescribeImages&Version=2016-11-15&Owner.1='), Buffer.alloc(MAX_BODY_BYTES, 0x61)]);
    const res = await send(sandbox.port, { kind: 'x', method: 'POST', path: '/', headers: { ...own(), 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(res.status).toBe(413);
    expect(res.headers!['content-type']).toContain('xml');
    expect(res.body!.toString()).toMatch(/<Response><Errors><Error><Code>RequestEntityTooLarge<\/Code><Message>request body: expected at most \d+ bytes/);
  });

  test('rejects JSON nested 5,000 deep with a serialization error, in bodies and in JSON string members', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const body = await sfnCall('ListStateMachines', `{"maxResults":${deep}}`);
    expect(body.status).toBe(400);
    expect(JSON.parse(body.body!.toString())).toEqual({
      __type: 'com.amazon.coral.service#SerializationException',
      message: 'request body: Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)',
    });
    const input = await sfnCall('StartExecution', JSON.stringify({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:fuzz', input: deep }));
    expect(JSON.parse(input.body!.toString()).__type).toBe('com.amazonaws.sfn#InvalidExecutionInput');
    const definition = await sfnCall('CreateStateMachine', JSON.stringify({ name: 'deep', roleArn: 'arn:aws:iam::123456789012:role/r', definition: `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":${deep},"End":true}}}` }));
    expect(JSON.parse(definition.body!.toString()).__type).toBe('com.amazonaws.sfn#InvalidDefinition');
    const cw = await send(sandbox.port, { kind: 'x', method: 'POST', path: '/', headers: { ...own(), 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData' }, body: Buffer.from(`{"Namespace":"n","MetricData":${deep}}`) });
    expect(cw.status).toBe(400);
    const admin = await send(sandbox.port, { kind: 'x', method: 'POST', path: '/_sandbox/clock', headers: own(), body: Buffer.from(`{"advanceMs":${deep}}`) });
    expect(admin.status).toBe(400);
  });
});
