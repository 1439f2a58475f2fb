import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient, ListInstanceProfilesCommand } from '@aws-sdk/client-iam';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { ListServiceQuotasCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { CreateStateMachineCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CreateTopicCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { MAX_BODY_BYTES } from '../../../sandbox/server.js';
import { FuzzGenerator, problemWith, send, SERVICE_PROTOCOLS, type FuzzOutcome } from './fuzz-requests.js';

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
  // Resources the generated requests name, so that some of them get past the lookups.
  const client = { endpoint: sandbox.endpoint, region: 'us-east-1', credentials };
  await new SNSClient(client).send(new CreateTopicCommand({ Name: 'fuzz' }));
  await new S3Client({ ...client, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'fuzz-bucket' }));
  sandbox.iam.createInstanceProfile('fuzz');
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
    const answeredBy = new Map<string, number>();
    let sent = 0;

    // WHEN they are sent, CONCURRENCY at a time
    const worker = async (): Promise<void> => {
      while (sent < REQUESTS) {
        const i = sent++;
        const req = generator.next({ large: i % 1_000 === 999 });
        kinds.set(req.kind, (kinds.get(req.kind) ?? 0) + 1);
        const outcome: FuzzOutcome = await send(sandbox.port, req);
        if (req.service !== undefined && outcome.status !== undefined) answeredBy.set(req.service, (answeredBy.get(req.service) ?? 0) + 1);
        const problem = problemWith(outcome, (r) => served.has(r));
        if (problem) problems.push(`#${i} ${req.kind} ${req.method} ${req.path} ${req.headers['x-amz-target'] ?? ''}: ${problem}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    // THEN every answer is a well-formed AWS answer, nothing was logged as a failure inside the sandbox…
    expect(problems.slice(0, 20)).toEqual([]);
    expect(logged.filter((m) => /failed|could not answer|Error:/.test(m)).slice(0, 5)).toEqual([]);
    expect([...kinds.keys()].sort()).toEqual(expect.arrayContaining(['admin', 'deep-body', 'ec2-operation', 'foreign', 'json-operation', 'random-bytes', 'truncated-json', 'truncated-query',
      'query-sts', 'query-iam', 'query-elasticloadbalancing', 'query-sns', 'rest-s3', 'rest-route53', 'rest-scheduler', 'deep-query', 'gzip']));
    // …every service got its share and answered it in its own protocol (checked by problemWith)…
    const starved = Object.keys(SERVICE_PROTOCOLS).filter((service) => (answeredBy.get(service) ?? 0) < 50).map((service) => `${service}: ${answeredBy.get(service) ?? 0}`);
    expect(starved).toEqual([]);

    // …and every service still answers a real SDK client correctly.
    const sfn = new SFNClient({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials });
    const machines = await sfn.send(new ListStateMachinesCommand({}));
    expect(machines.stateMachines?.map((m) => m.name)).toContain('fuzz');
    const ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials });
    expect((await ec2.send(new DescribeRegionsCommand({}))).Regions?.length).toBeGreaterThan(0);
    const cw = new CloudWatchClient({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials });
    expect((await cw.send(new ListMetricsCommand({}))).$metadata.httpStatusCode).toBe(200);
    const client = { endpoint: sandbox.endpoint, region: 'us-east-1', credentials };
    expect((await new STSClient(client).send(new GetCallerIdentityCommand({}))).Account).toBe('123456789012');
    expect((await new IAMClient(client).send(new ListInstanceProfilesCommand({}))).InstanceProfiles?.map((p) => p.InstanceProfileName)).toContain('fuzz');
    expect((await new SNSClient(client).send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn)).toContain('arn:aws:sns:us-east-1:123456789012:fuzz');
    expect((await new ElasticLoadBalancingV2Client(client).send(new DescribeTargetGroupsCommand({}))).$metadata.httpStatusCode).toBe(200);
    // (the fuzz may have deleted the empty bucket: a DELETE of it is a valid request)
    expect((await new S3Client({ ...client, forcePathStyle: true }).send(new ListBucketsCommand({}))).$metadata.httpStatusCode).toBe(200);
    expect((await new Route53Client(client).send(new ListHostedZonesCommand({}))).$metadata.httpStatusCode).toBe(200);
    expect((await new SchedulerClient(client).send(new ListSchedulesCommand({}))).$metadata.httpStatusCode).toBe(200);
    expect((await new KMSClient(client).send(new ListKeysCommand({}))).$metadata.httpStatusCode).toBe(200);
    expect((await new ServiceQuotasClient(client).send(new ListServiceQuotasCommand({ ServiceCode: 'ec2' }))).$metadata.httpStatusCode).toBe(200);
  }, 300_000);

  const form = (body: string, headers: Record<string, string> = {}) =>
    send(sandbox.port, { kind: 'x', method: 'POST', path: '/', headers: { host: `127.0.0.1:${sandbox.port}`, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers }, body: Buffer.from(body) });
  const QUERY = [
    { signing: 'sts', version: '2011-06-15', namespace: 'https://sts.amazonaws.com/doc/2011-06-15/' },
    { signing: 'iam', version: '2010-05-08', namespace: 'https://iam.amazonaws.com/doc/2010-05-08/' },
    { signing: 'elasticloadbalancing', version: '2015-12-01', namespace: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/' },
    { signing: 'sns', version: '2010-03-31', namespace: 'http://sns.amazonaws.com/doc/2010-03-31/' },
  ];
  const signedFor = (service: string) => ({ authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00` });
  const queryError = (text: string) => /<ErrorResponse xmlns="([^"]+)">\s*<Error>\s*<Type>Sender<\/Type>\s*<Code>([^<]+)<\/Code>\s*<Message>([^<]*)<\/Message>\s*<\/Error>\s*<RequestId>[^<]+<\/RequestId>/.exec(text)?.slice(1);

  // https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html (InvalidAction, MissingAction, MalformedQueryString 404)
  test.each(QUERY)('the Query service signed $signing answers JavaScript object keys as actions, a missing Action and a bad query string with its own XML errors', async ({ signing, version, namespace }) => {
    for (const name of ['__proto__', 'toString', 'constructor', 'hasOwnProperty']) {
      const res = await form(`Action=${name}&Version=${version}`, signedFor(signing));
      expect(res.status).toBe(400);
      const [ns, code, message] = queryError(res.body!.toString()) ?? [];
      expect({ ns, code }).toEqual({ ns: namespace, code: 'InvalidAction' });
      expect(message).toContain(name);
    }
    const missing = await form(`Version=${version}`, signedFor(signing));
    expect(missing.status).toBe(400);
    expect(queryError(missing.body!.toString())?.[1]).toBe('MissingAction');
    const malformed = await form(`Action=ListTopics&Version=${version}&Name=%E0%A4%A`, signedFor(signing));
    expect(malformed.status).toBe(404);
    expect(queryError(malformed.body!.toString())?.[1]).toBe('MalformedQueryString');
  });

  test.each(QUERY)('the Query service signed $signing words refusals before it reads the request in its own XML (web page, gzip bomb, bad gzip)', async ({ signing, version, namespace }) => {
    const forbidden = await form(`Action=ListTopics&Version=${version}`, { ...signedFor(signing), origin: 'http://evil.example' });
    expect(forbidden.status).toBe(403);
    expect(queryError(forbidden.body!.toString())?.slice(0, 2)).toEqual([namespace, 'AccessDeniedException']);
    const bomb = await send(sandbox.port, { kind: 'x', method: 'POST', path: '/', headers: { host: `127.0.0.1:${sandbox.port}`, 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip', ...signedFor(signing) }, body: gzipSync(Buffer.alloc(MAX_BODY_BYTES + 1, 0x61)) });
    expect(bomb.status).toBe(413);
    expect(queryError(bomb.body!.toString())?.slice(0, 2)).toEqual([namespace, 'RequestEntityTooLarge']);
    const badGzip = await send(sandbox.port, { kind: 'x', method: 'POST', path: '/', headers: { host: `127.0.0.1:${sandbox.port}`, 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip', ...signedFor(signing) }, body: Buffer.from(`Action=ListTopics&Version=${version}`) });
    expect(badGzip.status).toBe(400);
    expect(queryError(badGzip.body!.toString())?.slice(0, 2)).toEqual([namespace, 'InvalidQueryParameter']);
  });

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
      // the same names as an EC2 filter and as state names are unknown ones, not object members
      const filter = await send(sandbox.port, { kind: 'x', method: 'POST', path: '/', headers: { host: `127.0.0.1:${sandbox.port}`, 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(`Action=DescribeSubnets&Version=2016-11-15&Filter.1.Name=${name}&Filter.1.Value.1=x`) });
      expect(filter.status).toBe(400);
      expect(filter.body!.toString()).toContain(`<Code>InvalidParameterValue</Code><Message>The filter &apos;${name}&apos; is invalid</Message>`);
      const definition = JSON.stringify({ StartAt: name, States: { P: { Type: 'Pass', End: true } } });
      const validated = await send(sandbox.port, { kind: 'x', method: 'POST', path: '/', headers: { host: `127.0.0.1:${sandbox.port}`, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.ValidateStateMachineDefinition' }, body: Buffer.from(JSON.stringify({ definition })) });
      expect(JSON.parse(validated.body!.toString()).result).toBe('FAIL');
      expect(validated.body!.toString()).toContain('MISSING_TRANSITION_TARGET');
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
