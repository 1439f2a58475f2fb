/**
 * Malformed requests for the sandbox, generated from a seed, and the check that what comes back is
 * a well-formed AWS answer. Shared by `fuzz.test.ts` (a few thousand requests) and `bench/fuzz.ts`
 * (`npm run fuzz`, a longer campaign).
 *
 * Each request aims at one protocol the sandbox speaks (AWS JSON 1.0 with `X-Amz-Target`, the EC2
 * query protocol, the admin API, REST paths of services mounted later) and breaks it one way:
 * random bytes, truncated JSON or query text, deep nesting, huge or gzip-bomb bodies, bad
 * encodings, wrong content types, odd methods and paths, operation names that are JavaScript
 * object keys, members of the wrong type, foreign `Host`/`Origin` headers.
 */
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { EC2_OPERATIONS } from '../../../sandbox/ec2/index.js';
import { SeededRandom } from '../../../sandbox/random.js';

/** One generated request. */
export interface FuzzRequest {
  /** Which generator made it (for the report). */
  readonly kind: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** The region of its credential scope, if signed. */
  readonly region?: string;
}

/** What came back for one request. */
export interface FuzzOutcome {
  readonly request: FuzzRequest;
  /** HTTP status, or `undefined` when the connection closed without an answer. */
  readonly status?: number;
  readonly headers?: Record<string, string | string[] | undefined>;
  readonly body?: Buffer;
  /** The network error, when there is no answer. */
  readonly error?: string;
}

const SFN_OPERATIONS = [
  'CreateStateMachine', 'DescribeStateMachine', 'DescribeStateMachineForExecution', 'UpdateStateMachine', 'ListStateMachines',
  'DeleteStateMachine', 'ValidateStateMachineDefinition', 'StartExecution', 'StartSyncExecution', 'DescribeExecution', 'ListExecutions',
  'GetExecutionHistory', 'StopExecution', 'SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat', 'RedriveExecution', 'TagResource',
  'UntagResource', 'ListTagsForResource', 'CreateActivity', 'TestState',
];
const CW_OPERATIONS = ['PutMetricData', 'GetMetricData', 'ListMetrics', 'GetMetricStatistics', 'PutMetricAlarm', 'DescribeAlarms', 'DeleteAlarms'];
/** Operation names that are keys of every JavaScript object. */
const OBJECT_KEYS = ['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'prototype', 'length'];
const ADMIN_ACTIONS = ['health', 'clock', 'seed', 'cloudwatch.state', 'ec2.state', 'ec2.seed-instances', 'ec2.seed-network', '__proto__', 'toString', 'constructor', 'nope', 'ec2.__proto__', 'ec2.toString', ''];
const KMS_OPERATIONS = ['CreateKey', 'DescribeKey', 'EnableKey', 'DisableKey', 'CreateAlias', 'ListAliases', 'ListKeys', 'ScheduleKeyDeletion', 'Encrypt'];
const QUOTA_OPERATIONS = ['GetServiceQuota', 'ListServiceQuotas', 'GetAWSDefaultServiceQuota', 'RequestServiceQuotaIncrease'];
const JSON_TARGETS = [
  { prefix: 'AWSStepFunctions.', operations: SFN_OPERATIONS, signing: 'states' },
  { prefix: 'GraniteServiceVersion20100801.', operations: CW_OPERATIONS, signing: 'monitoring' },
  { prefix: 'TrentService.', operations: KMS_OPERATIONS, signing: 'kms' },
  { prefix: 'ServiceQuotasV20190624.', operations: QUOTA_OPERATIONS, signing: 'servicequotas' },
];
const MEMBER_NAMES = [
  'stateMachineArn', 'executionArn', 'name', 'definition', 'roleArn', 'input', 'maxResults', 'nextToken', 'statusFilter', 'taskToken', 'output',
  'error', 'cause', 'tags', 'tagKeys', 'resourceArn', 'includeExecutionData', 'reverseOrder', 'type', 'loggingConfiguration',
  'Namespace', 'MetricData', 'MetricDataQueries', 'StartTime', 'EndTime', 'Dimensions', 'MetricName', 'NextToken', 'Statistics', 'Period',
  'AlarmName', 'AlarmNames', 'Threshold', 'EvaluationPeriods', 'ComparisonOperator',
  'KeyId', 'AliasName', 'TargetKeyId', 'PendingWindowInDays', 'ServiceCode', 'QuotaCode', 'DesiredValue', 'Limit', 'Marker',
];
const EC2_PARAMS = [
  'ImageId', 'ImageId.1', 'InstanceId.1', 'InstanceId', 'Name', 'SourceImageId', 'SourceRegion', 'MaxCount', 'MinCount', 'InstanceType',
  'Filter.1.Name', 'Filter.1.Value.1', 'Owner.1', 'MaxResults', 'NextToken', 'DryRun', 'ResourceId.1', 'Tag.1.Key', 'Tag.1.Value',
  'TagSpecification.1.ResourceType', 'TagSpecification.1.Tag.1.Key', 'LaunchTemplate.LaunchTemplateId', 'SubnetId', 'RegionName.1',
  'AllRegions', 'IncludeAllInstances', 'DeprecateAt', 'SnapshotId', 'SnapshotId.1', 'Encrypted', 'KmsKeyId', 'ClientToken', 'NoReboot',
  'BlockDeviceMapping.1.DeviceName', 'LaunchTemplateData.ImageId', 'LaunchTemplateName', 'GroupId.1', 'VpcId.1', 'ZoneName.1',
];
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2', 'xx-nowhere-9', 'us-east-1"', ''];
const CONTENT_TYPES = [
  'application/x-amz-json-1.0', 'application/x-amz-json-1.1', 'application/json', 'application/x-www-form-urlencoded; charset=utf-8',
  'text/plain', 'text/xml', 'multipart/form-data; boundary=x', 'application/octet-stream', '', 'application/x-amz-json-1.0; charset=\u00ff',
];
const METHODS = ['POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'post'];
const PATHS = ['/', '//', '/..', '/%2e%2e/', '/_sandbox/', '/_sandbox/health', '/_sandbox/../x', '/?Action=DescribeRegions', '/a/b/c?x=%zz',
  '/_sandbox/%00', '/bucket', '/bucket/key?list-type=2', '/schedules/x', '/2015-03-31/functions', '/%ff%fe',
  '/2013-04-01/hostedzone', '/2013-04-01/hostedzone/Z1/rrset', '/2013-04-01/hostedzone/%00/rrset?maxitems=-1', '/2013-04-01/change/C1', '/2013-04-01/healthcheck'];

/** A seeded stream of malformed requests for a sandbox listening on `port`. */
export class FuzzGenerator {
  private readonly random: SeededRandom;

  constructor(seed: number | string, readonly port: number) {
    this.random = new SeededRandom(`fuzz:${seed}`);
  }

  /**
   * The next request. `large` allows the expensive kinds (bodies over the size limit, gzip
   * bombs): the test asks for a few, the campaign for more.
   */
  next(options: { large?: boolean } = {}): FuzzRequest {
    const kinds = [
      () => this.jsonOperation(),
      () => this.jsonOperation(),
      () => this.jsonOperation(),
      () => this.ec2Operation(),
      () => this.ec2Operation(),
      () => this.ec2Operation(),
      () => this.truncated(),
      () => this.randomBytes(),
      () => this.deep(),
      () => this.badEncoding(),
      () => this.oddMethodOrPath(),
      () => this.admin(),
      () => this.foreign(),
      () => this.gzip(false),
    ];
    if (options.large) kinds.push(() => this.huge(), () => this.gzip(true));
    return this.pick(kinds)();
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.random.int(items.length)]!;
  }

  private chance(p: number): boolean {
    return this.random.float() < p;
  }

  private host(): string {
    return `127.0.0.1:${this.port}`;
  }

  private signed(service: string, region = this.chance(0.9) ? 'us-east-1' : this.pick(REGIONS)): Record<string, string> {
    return { authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=00` };
  }

  /** A JSON value of any type, sometimes the wrong one for the member. */
  private value(depth = 0): unknown {
    const r = this.random.int(depth > 3 ? 7 : 10);
    switch (r) {
      case 0: return null;
      case 1: return this.chance(0.5);
      case 2: return this.pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1, 100, 1000]);
      case 3: return this.pick(['', 'x', 'arn:aws:states:us-east-1:123456789012:stateMachine:s', 'arn:aws:states:us-east-1:123456789012:execution:s:e',
        'arn:aws:iam::123456789012:role/r', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}', '[[[[', 'RUNNING', 'ami-0123456789abcdef0',
        '\u0000', '\ud800', 'x'.repeat(300), '__proto__', 'toString']);
      case 4: return this.random.hex(this.random.int(40));
      case 5: return `{"a":${'['.repeat(this.random.int(3000))}`;
      case 6: return '1'.repeat(this.random.int(400));
      case 7: return Array.from({ length: this.random.int(4) }, () => this.value(depth + 1));
      case 8: return Object.fromEntries(Array.from({ length: this.random.int(4) }, () => [this.pick(MEMBER_NAMES), this.value(depth + 1)]));
      default: return { __proto__: this.value(depth + 1), constructor: 'x' };
    }
  }

  private jsonOperation(): FuzzRequest {
    const target = this.pick(JSON_TARGETS);
    const op = this.chance(0.15) ? this.pick(OBJECT_KEYS) : this.pick(target.operations);
    const members = Object.fromEntries(Array.from({ length: this.random.int(6) }, () => [this.pick(MEMBER_NAMES), this.value()]));
    let text = JSON.stringify(members);
    if (this.chance(0.1)) text = text.replace('{', '{"__proto__":{"polluted":1},');
    const headers: Record<string, string> = { host: this.host(), 'content-type': this.chance(0.85) ? 'application/x-amz-json-1.0' : this.pick(CONTENT_TYPES), 'x-amz-target': `${target.prefix}${op}` };
    const region = this.chance(0.7) ? 'us-east-1' : this.pick(REGIONS);
    if (this.chance(0.7)) Object.assign(headers, this.signed(target.signing, region));
    return { kind: 'json-operation', method: 'POST', path: '/', headers, body: Buffer.from(text), region: headers.authorization ? region : undefined };
  }

  private ec2Operation(): FuzzRequest {
    const action = this.chance(0.15) ? this.pick(OBJECT_KEYS) : this.pick(EC2_OPERATIONS);
    const params: string[] = [`Action=${pct(action)}`, 'Version=2016-11-15'];
    for (let i = this.random.int(8); i > 0; i--) {
      const v = this.value();
      params.push(`${pct(this.pick(EC2_PARAMS))}=${pct(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`);
    }
    if (this.chance(0.1)) params.push('%zz=%', 'Action=', '&&=');
    const region = this.chance(0.8) ? 'us-east-1' : this.pick(REGIONS);
    const headers: Record<string, string> = { host: this.host(), 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...this.signed('ec2', region) };
    return { kind: 'ec2-operation', method: 'POST', path: '/', headers, body: Buffer.from(params.join('&')), region };
  }

  private truncated(): FuzzRequest {
    if (this.chance(0.5)) {
      const req = this.jsonOperation();
      return { ...req, kind: 'truncated-json', body: req.body.subarray(0, this.random.int(req.body.length + 1)) };
    }
    const req = this.ec2Operation();
    return { ...req, kind: 'truncated-query', body: req.body.subarray(0, this.random.int(req.body.length + 1)) };
  }

  private randomBytes(): FuzzRequest {
    const body = Buffer.alloc(this.random.int(2048));
    for (let i = 0; i < body.length; i++) body[i] = this.random.int(256);
    const headers: Record<string, string> = { host: this.host(), 'content-type': this.pick(CONTENT_TYPES) };
    if (this.chance(0.5)) headers['x-amz-target'] = `${this.pick(JSON_TARGETS).prefix}${this.pick([...SFN_OPERATIONS, ...CW_OPERATIONS])}`;
    if (this.chance(0.5)) Object.assign(headers, this.signed(this.pick(['ec2', 'states', 'monitoring', 's3', 'scheduler', 'sns'])));
    return { kind: 'random-bytes', method: 'POST', path: this.chance(0.8) ? '/' : this.pick(PATHS), headers, body };
  }

  private deep(): FuzzRequest {
    const n = this.pick([999, 1000, 1001, 5000, 20000, 100000]);
    const open = this.chance(0.5) ? '[' : '{"a":';
    const close = open === '[' ? ']' : '}';
    const nested = `${open.repeat(n)}${close.repeat(this.chance(0.8) ? n : 0)}`;
    const place = this.random.int(4);
    if (place === 0) return { kind: 'deep-admin', method: 'POST', path: `/_sandbox/${this.pick(['clock', 'seed', 'ec2.seed-instances'])}`, headers: { host: this.host() }, body: Buffer.from(`{"advanceMs":${nested}}`) };
    if (place === 1) {
      const req = this.ec2Operation();
      return { ...req, kind: 'deep-ec2', body: Buffer.concat([req.body, Buffer.from(`&Filter.1.Value.1=${pct(nested)}`)]) };
    }
    const target = this.pick(JSON_TARGETS);
    const op = this.pick(target.operations);
    // Deep inside the body, or deep inside a JSON string member (execution input, definition).
    const member = place === 2 ? nested : JSON.stringify(nested);
    const name = this.pick(['input', 'definition', 'output', 'maxResults', 'MetricData', 'tags']);
    return {
      kind: place === 2 ? 'deep-body' : 'deep-string', method: 'POST', path: '/',
      headers: { host: this.host(), 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `${target.prefix}${op}` },
      body: Buffer.from(`{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:fuzz","name":"n","roleArn":"arn:aws:iam::123456789012:role/r","${name}":${member}}`),
    };
  }

  private badEncoding(): FuzzRequest {
    const req = this.chance(0.5) ? this.jsonOperation() : this.ec2Operation();
    const bad = [Buffer.from([0xff, 0xfe, 0xc0, 0x80]), Buffer.from('%E0%A4%A'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('\u0000\u0000'), Buffer.from([0xef, 0xbb, 0xbf])];
    const at = this.random.int(req.body.length + 1);
    const body = Buffer.concat([req.body.subarray(0, at), this.pick(bad), req.body.subarray(at)]);
    const headers = { ...req.headers };
    if (this.chance(0.3)) headers['content-encoding'] = this.pick(['gzip', 'br', 'deflate', 'gzip, gzip', 'identity', '\u00e9']);
    if (this.chance(0.2)) headers['content-type'] = `${headers['content-type']}; charset=${this.pick(['utf-16', 'latin1', 'nope'])}`;
    return { ...req, kind: 'bad-encoding', headers, body };
  }

  private oddMethodOrPath(): FuzzRequest {
    const req = this.chance(0.5) ? this.jsonOperation() : this.ec2Operation();
    return { ...req, kind: 'odd-method-path', method: this.pick(METHODS), path: this.pick(PATHS) };
  }

  private admin(): FuzzRequest {
    const body = this.chance(0.2) ? Buffer.from(this.pick(['[', '"x"', 'null', '[]', '1', '{"advanceMs":-1}', '{"to":"yesterday"}', '{"advanceMs":"1"}', '{"ec2":{"region":"xx"}}'])) : Buffer.from(JSON.stringify(this.value(1)) ?? '');
    const headers: Record<string, string> = { host: this.host() };
    if (this.chance(0.5)) headers['content-type'] = this.pick(CONTENT_TYPES);
    return { kind: 'admin', method: this.chance(0.9) ? 'POST' : this.pick(METHODS), path: `/_sandbox/${this.pick(ADMIN_ACTIONS)}`, headers, body };
  }

  /** A request from a web page or through a foreign host name: must be refused (403). */
  private foreign(): FuzzRequest {
    const req = this.pick([() => this.jsonOperation(), () => this.ec2Operation(), () => this.admin()])();
    const headers = { ...req.headers };
    const way = this.random.int(4);
    if (way === 0) headers.origin = this.pick(['http://evil.example', 'null', `http://127.0.0.1:${this.port + 1}`, 'https://localhost']);
    else if (way === 1) headers.host = this.pick(['evil.example', `evil.example:${this.port}`, `127.0.0.2:${this.port}`, `localhost.evil.example:${this.port}`, `127.0.0.1:${this.port + 1}`, '']);
    else if (way === 2) headers['sec-fetch-site'] = 'cross-site';
    else headers.origin = 'http://evil.example', headers['content-type'] = 'text/plain';
    return { ...req, kind: 'foreign', headers };
  }

  private gzip(bomb: boolean): FuzzRequest {
    const req = this.chance(0.5) ? this.jsonOperation() : this.ec2Operation();
    const inflated = bomb ? Buffer.alloc(this.pick([9, 64, 256]) * 1024 * 1024, 0x20) : req.body;
    let body = gzipSync(inflated);
    if (!bomb && this.chance(0.5)) body = body.subarray(0, this.random.int(body.length));
    return { ...req, kind: bomb ? 'gzip-bomb' : 'gzip', headers: { ...req.headers, 'content-encoding': 'gzip' }, body };
  }

  private huge(): FuzzRequest {
    const req = this.chance(0.5) ? this.jsonOperation() : this.ec2Operation();
    const size = this.pick([8 * 1024 * 1024 + 1, 12 * 1024 * 1024]);
    return { ...req, kind: 'huge', body: Buffer.concat([req.body, Buffer.alloc(size, 0x61)]) };
  }
}

/** Percent-encodes the UTF-8 bytes of `text` (lone surrogates become U+FFFD instead of throwing). */
function pct(text: string): string {
  let out = '';
  for (const b of Buffer.from(text, 'utf8')) out += /[A-Za-z0-9._~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

/** Sends one request as raw HTTP (so `Host`, methods and bodies are exactly as generated). */
export function send(port: number, req: FuzzRequest, timeoutMs = 60_000): Promise<FuzzOutcome> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { ...req.headers, 'content-length': String(req.body.length), connection: 'close' };
    const r = httpRequest({ host: '127.0.0.1', port, method: req.method, path: req.path, headers, setHost: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ request: req, status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (err) => resolve({ request: req, error: err.message }));
    });
    r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    r.on('error', (err) => resolve({ request: req, error: err.message }));
    r.end(req.body);
  });
}

/**
 * What is wrong with an outcome, or `undefined` when it is a well-formed AWS answer: a status
 * below 500, an `x-amzn-RequestId`, and a body in the protocol's error shape (JSON `__type` +
 * `message`, EC2/query/S3 XML `<Code>` + `<Message>`, the admin API's `{"error": …}`), or a
 * success body that parses. A connection closed without an answer passes only for a request
 * signed for a region that `isServedRegion` says the sandbox does not serve (an unreachable
 * endpoint, as on AWS).
 */
export function problemWith(outcome: FuzzOutcome, isServedRegion: (region: string) => boolean): string | undefined {
  const req = outcome.request;
  if (outcome.status === undefined) {
    const region = req.region ?? /Credential=[^/]*\/\d{8}\/([^/]*)\//.exec(req.headers.authorization ?? '')?.[1];
    if (region !== undefined && !isServedRegion(region)) return undefined;
    if (req.kind === 'huge' && req.body.length > 64 * 1024 * 1024) return undefined;
    return `no answer (${outcome.error})`;
  }
  if (outcome.status >= 500) return `status ${outcome.status}: ${outcome.body?.toString('utf8').slice(0, 300)}`;
  if (!outcome.headers?.['x-amzn-requestid']) return `status ${outcome.status} without x-amzn-RequestId`;
  if (req.kind === 'foreign' && outcome.status !== 403) return `a foreign request was answered ${outcome.status}, expected 403`;
  if (req.method.toUpperCase() === 'HEAD') return undefined;
  const text = outcome.body?.toString('utf8') ?? '';
  const type = String(outcome.headers['content-type'] ?? '');
  if (type.includes('xml') || text.startsWith('<')) {
    if (outcome.status < 400) return /^<\?xml|^</.test(text) ? undefined : `status ${outcome.status}: XML body that does not start like XML`;
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
    const message = /<Message>([^<]*)<\/Message>/.exec(text);
    if (!code || !message) return `status ${outcome.status}: XML error without <Code> and <Message>: ${text.slice(0, 200)}`;
    return undefined;
  }
  let json: unknown;
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    return `status ${outcome.status}: body is neither JSON nor XML: ${text.slice(0, 200)}`;
  }
  if (outcome.status < 400) return undefined;
  const o = json as Record<string, unknown>;
  if (req.path.startsWith('/_sandbox/') && typeof o.error === 'string') return undefined;
  const code = typeof o.__type === 'string' ? o.__type : outcome.headers['x-amzn-errortype'];
  const message = o.message ?? o.Message;
  if (typeof code !== 'string' || code === '' || typeof message !== 'string') return `status ${outcome.status}: JSON error without __type and message: ${text.slice(0, 200)}`;
  return undefined;
}
