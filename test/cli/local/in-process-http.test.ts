import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeImagesCommand, DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateScheduleCommand, GetScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, test } from 'vitest';
import { InProcessHttpHandler, queryString } from '../../../cli/local/in-process-http.js';
import { startLocalLifeboat } from '../../../cli/local/session.js';
import { examplePlan } from '../../e2e/helpers.js';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import type { InProcessRequest } from '../../../sandbox/server.js';

const credentials = { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' };
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

/** A handler on the sandbox that notes every request it hands over. */
function handlerOn(sb: Sandbox, seen: InProcessRequest[] = []): InProcessHttpHandler {
  return new InProcessHttpHandler({
    dispatch: (request) => {
      seen.push(request);
      return sb.server.dispatch(request);
    },
    port: sb.port,
  });
}

describe('cli/local: the in-process SDK request handler', () => {
  test('clients answer exactly as over HTTP, for the query, JSON, REST-JSON and REST-XML protocols, without a socket', async () => {
    sandbox = await startSandbox({ log: () => {}, startMs: Date.UTC(2026, 10, 1) });
    const seen: InProcessRequest[] = [];
    const handler = handlerOn(sandbox, seen);
    const over = { region: 'us-east-1', endpoint: sandbox.endpoint, credentials, maxAttempts: 1 };
    const within = { ...over, requestHandler: handler };
    // EC2 (query protocol, XML answer)
    const [httpRegions, localRegions] = await Promise.all([new EC2Client(over), new EC2Client(within)].map((c) => c.send(new DescribeRegionsCommand({}))));
    expect(localRegions!.Regions).toEqual(httpRegions!.Regions);
    const denied = await new EC2Client(within).send(new DescribeImagesCommand({ ImageIds: ['ami-00000000000000000'] })).then(() => new Error('answered') as Error & { $metadata: { httpStatusCode?: number } }, (e: unknown) => e as Error & { $metadata: { httpStatusCode?: number } });
    expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['InvalidAMIID.NotFound', 400]);
    // Step Functions (AWS JSON 1.0)
    expect((await new SFNClient(within).send(new ListStateMachinesCommand({}))).stateMachines).toEqual([]);
    // Scheduler (REST-JSON: a path with the name, a query string)
    const scheduler = new SchedulerClient(within);
    await scheduler.send(new CreateScheduleCommand({
      Name: 'every-hour', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', RoleArn: 'arn:aws:iam::123456789012:role/r', Input: '{"a": "b c"}' },
    }));
    expect((await scheduler.send(new GetScheduleCommand({ Name: 'every-hour' }))).Target?.Input).toBe('{"a": "b c"}');
    expect((await new SchedulerClient(over).send(new ListSchedulesCommand({ NamePrefix: 'every', MaxResults: 5 }))).Schedules!.map((s) => s.Name)).toEqual(['every-hour']);
    expect((await scheduler.send(new ListSchedulesCommand({ NamePrefix: 'every', MaxResults: 5 }))).Schedules!.map((s) => s.Name)).toEqual(['every-hour']);
    // S3 (REST-XML; a streamed answer body)
    const s3 = new S3Client({ ...within, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'runs' }));
    await s3.send(new PutObjectCommand({ Bucket: 'runs', Key: 'a/b.json', Body: '{"n": 1}' }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'runs', Key: 'a/b.json' }))).Body!.transformToString()).toBe('{"n": 1}');
    // Every request of the `within` clients went through the handler, signed as over HTTP.
    expect(seen.length).toBe(9);
    expect(seen.every((r) => /^AWS4-HMAC-SHA256 Credential=sandbox\//.test(r.headers.authorization ?? ''))).toBe(true);
    expect(seen.find((r) => r.method === 'GET' && r.target.startsWith('/schedules?'))?.target).toBe('/schedules?NamePrefix=every&MaxResults=5');
  });

  test('a region the sandbox does not serve, or an endpoint made unreachable, fails as a socket hang-up (ECONNRESET), as over HTTP', async () => {
    sandbox = await startSandbox({ log: () => {}, regions: ['us-east-1', 'us-west-2'] });
    const handler = handlerOn(sandbox);
    const client = (region: string) => new EC2Client({ region, endpoint: sandbox!.endpoint, credentials, maxAttempts: 1, requestHandler: handler });
    const failure = (region: string) => client(region).send(new DescribeRegionsCommand({})).then(() => new Error('answered') as Error & { code?: string; $metadata?: { httpStatusCode?: number } }, (e: unknown) => e as Error & { code?: string; $metadata?: { httpStatusCode?: number } });
    const gone = await failure('eu-west-1');
    expect([gone.message, gone.code, gone.$metadata?.httpStatusCode]).toEqual(['socket hang up', 'ECONNRESET', undefined]);
    const res = await fetch(`${sandbox.endpoint}/_sandbox/ec2.outage`, { method: 'POST', body: JSON.stringify({ region: 'us-west-2' }) });
    expect(res.status, await res.text()).toBe(200);
    const down = await failure('us-west-2');
    expect([down.message, down.code]).toEqual(['socket hang up', 'ECONNRESET']);
    expect((await client('us-east-1').send(new DescribeRegionsCommand({}))).Regions!.length).toBe(2);
  });

  test('a request for another host goes over the network', async () => {
    sandbox = await startSandbox({ log: () => {} });
    const other = await startSandbox({ log: () => {} });
    try {
      const seen: InProcessRequest[] = [];
      const handler = handlerOn(sandbox, seen);
      const out = await new SFNClient({ region: 'us-east-1', endpoint: other.endpoint, credentials, maxAttempts: 1, requestHandler: handler }).send(new ListStateMachinesCommand({}));
      expect(out.stateMachines).toEqual([]);
      expect(seen).toEqual([]);
    } finally {
      await other.stop();
    }
  });

  test('a local Lifeboat runs its tasks’ SDK calls through the sandbox in process, and they behave as over HTTP', async () => {
    const env = await startLocalLifeboat({ plan: examplePlan('small'), seed: 7, startMs: Date.UTC(2026, 10, 25, 10) });
    try {
      const dispatched: string[] = [];
      const server = env.sandbox.server;
      const dispatch = server.dispatch.bind(server);
      server.dispatch = (request) => {
        dispatched.push(request.headers['x-amz-target'] ?? /Action=(\w+)/.exec(request.body.toString())?.[1] ?? `${request.method} ${request.target}`);
        return dispatch(request);
      };
      const backup = await env.runToEnd('backup');
      expect(backup.status, backup.cause).toBe('SUCCEEDED');
      // The backup's tasks called EC2 in process: imaged, copied and tagged the instance.
      expect(dispatched).toEqual(expect.arrayContaining(['DescribeInstances', 'CreateImage', 'CopyImage', 'CreateTags']));
      const rpo = await env.runToEnd('publishRpo');
      expect(rpo.status, rpo.cause).toBe('SUCCEEDED');
      expect(dispatched).toContain('GraniteServiceVersion20100801.PutMetricData');
    } finally {
      await env.stop();
    }
  });

  test('the query string is written as the SDK’s Node.js handler writes it: escaped as SigV4 signs it, repeated keys, bare keys', () => {
    expect(queryString({ b: 'x y', a: ["it's", '(1)*'], 'x-id': 'GetObject', flag: null })).toBe("b=x%20y&a=it%27s&a=%281%29%2A&x-id=GetObject&flag");
    expect(queryString({})).toBe('');
  });
});
