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
import { credentialScope } from '../../../sandbox/server.js';

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
  /**
   * The service the request unambiguously goes to (signed for it, or its `X-Amz-Target`), when
   * it does: the answer must then be in that service's protocol ({@link Protocol}).
   */
  readonly service?: string;
  /** The protocol the answer must be in, when not the service's own ({@link SERVICE_PROTOCOLS}): CloudWatch spoken to in Query. */
  readonly protocol?: Protocol;
}

/**
 * The error shape each protocol answers in: AWS JSON 1.0/1.1 (`__type` + `message`), EC2's XML
 * (`<Response><Errors><Error>`), the Query protocol's XML (`<ErrorResponse><Error><Type>`), S3's
 * REST XML (`<Error><Code>`), Route 53's REST XML (`<ErrorResponse>`), REST JSON
 * (`x-amzn-ErrorType` + `Message`) and the admin API (`{"error": …}`).
 */
export type Protocol = 'json' | 'ec2' | 'query' | 's3' | 'route53' | 'rest-json' | 'admin';

/** Every service the sandbox mounts, with the protocol it answers in. */
export const SERVICE_PROTOCOLS: Readonly<Record<string, Protocol>> = {
  states: 'json', monitoring: 'json', kms: 'json', servicequotas: 'json',
  ec2: 'ec2', sts: 'query', iam: 'query', elasticloadbalancing: 'query', sns: 'query',
  s3: 's3', route53: 'route53', scheduler: 'rest-json', admin: 'admin',
};

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
const ADMIN_ACTIONS = ['health', 'clock', 'seed', 'cloudwatch.state', 'ec2.state', 'ec2.seed-instances', 'ec2.seed-network', '__proto__', 'toString', 'constructor', 'nope', 'ec2.__proto__', 'ec2.toString', '',
  'sns.messages', 'sns.state', 'sns.__proto__', 'sts.principals', 'sts.whoami', 'sts.constructor', 'iam.create-instance-profile', 'iam.state', 'iam.toString',
  'elbv2.faults.set', 'elbv2.state', 'elbv2.__proto__', 'scheduler.state', 'scheduler.toString', 'route53.records', 'route53.propagation', 'route53.health-check.status',
  'kms.create-key', 'kms.state', 'servicequotas.set', 'servicequotas.get', 's3.state'];
const KMS_OPERATIONS = ['CreateKey', 'DescribeKey', 'EnableKey', 'DisableKey', 'CreateAlias', 'ListAliases', 'ListKeys', 'ScheduleKeyDeletion', 'Encrypt'];
const QUOTA_OPERATIONS = ['GetServiceQuota', 'ListServiceQuotas', 'GetAWSDefaultServiceQuota', 'RequestServiceQuotaIncrease'];
const JSON_TARGETS = [
  { prefix: 'AWSStepFunctions.', operations: SFN_OPERATIONS, signing: 'states' },
  { prefix: 'GraniteServiceVersion20100801.', operations: CW_OPERATIONS, signing: 'monitoring' },
  { prefix: 'TrentService.', operations: KMS_OPERATIONS, signing: 'kms' },
  { prefix: 'ServiceQuotasV20190624.', operations: QUOTA_OPERATIONS, signing: 'servicequotas' },
];
/** The Query-protocol services besides EC2, each with its operations and the parameters they read. */
const QUERY_SERVICES = [
  {
    signing: 'sts', version: '2011-06-15', operations: ['GetCallerIdentity', 'AssumeRole', 'GetSessionToken', 'DecodeAuthorizationMessage'],
    params: ['RoleArn', 'RoleSessionName', 'DurationSeconds', 'EncodedMessage', 'Policy'],
    create: 'Action=GetCallerIdentity&Version=2011-06-15',
  },
  {
    signing: 'iam', version: '2010-05-08', operations: ['CreateInstanceProfile', 'GetInstanceProfile', 'ListInstanceProfiles', 'DeleteInstanceProfile', 'CreateRole', 'ListRoles'],
    params: ['InstanceProfileName', 'Path', 'PathPrefix', 'MaxItems', 'Marker', 'RoleName', 'Tags.member.1.Key', 'Tags.member.1.Value'],
    create: 'Action=CreateInstanceProfile&Version=2010-05-08&InstanceProfileName=fuzz',
  },
  {
    signing: 'elasticloadbalancing', version: '2015-12-01',
    operations: ['CreateTargetGroup', 'DescribeTargetGroups', 'DeleteTargetGroup', 'DescribeTargetGroupAttributes', 'ModifyTargetGroupAttributes', 'RegisterTargets',
      'DeregisterTargets', 'DescribeTargetHealth', 'CreateLoadBalancer', 'DescribeLoadBalancers', 'DeleteLoadBalancer', 'CreateListener', 'DescribeListeners', 'DeleteListener'],
    params: ['Name', 'Protocol', 'Port', 'VpcId', 'TargetType', 'HealthCheckPath', 'HealthCheckPort', 'HealthCheckProtocol', 'HealthCheckIntervalSeconds',
      'HealthCheckTimeoutSeconds', 'HealthyThresholdCount', 'UnhealthyThresholdCount', 'HealthCheckEnabled', 'Matcher.HttpCode', 'TargetGroupArn', 'LoadBalancerArn',
      'ListenerArn', 'PageSize', 'Marker', 'Scheme', 'Type', 'Names.member.1', 'TargetGroupArns.member.1', 'LoadBalancerArns.member.1', 'ListenerArns.member.1',
      'Subnets.member.1', 'Subnets.member.2', 'Targets.member.1.Id', 'Targets.member.1.Port', 'Targets.member.2.Id', 'Attributes.member.1.Key', 'Attributes.member.1.Value',
      'DefaultActions.member.1.Type', 'DefaultActions.member.1.TargetGroupArn', 'Names.member.99999999999999999999', 'Targets.member.-1.Id', 'Targets.member.0.Port'],
    create: 'Action=CreateTargetGroup&Version=2015-12-01&Name=fuzz&Protocol=HTTP&Port=80&TargetType=instance&VpcId=vpc-0123456789abcdef0',
  },
  {
    // CloudWatch answers Query as well as JSON 1.0 (sandbox/cloudwatch/query.ts).
    signing: 'monitoring', version: '2010-08-01', operations: CW_OPERATIONS,
    params: ['Namespace', 'MetricName', 'Dimensions.member.1.Name', 'Dimensions.member.1.Value', 'MetricData.member.1.MetricName', 'MetricData.member.1.Value',
      'MetricData.member.1.Values.member.1', 'MetricData.member.1.Counts.member.1', 'MetricData.member.1.Timestamp', 'MetricData.member.1.Dimensions.member.1.Name',
      'AlarmName', 'AlarmNames.member.1', 'AlarmNames.member.99999999999999999999', 'Statistic', 'Statistics.member.1', 'Period', 'EvaluationPeriods', 'Threshold',
      'ComparisonOperator', 'StartTime', 'EndTime', 'MaxRecords', 'NextToken', 'ActionsEnabled', 'MetricDataQueries.member.1.Id', 'MetricDataQueries.member.1.Expression',
      'MetricDataQueries.member.1.MetricStat.Metric.MetricName', 'MetricDataQueries.member.1.MetricStat.Period', 'MetricDataQueries.member.1.MetricStat.Stat',
      '__proto__.polluted', 'AlarmNames.member.__proto__'],
    create: 'Action=PutMetricData&Version=2010-08-01&Namespace=Fuzz&MetricData.member.1.MetricName=m&MetricData.member.1.Value=1',
  },
  {
    signing: 'sns', version: '2010-03-31', operations: ['CreateTopic', 'DeleteTopic', 'ListTopics', 'GetTopicAttributes', 'Subscribe', 'Unsubscribe', 'ListSubscriptionsByTopic', 'Publish', 'SetTopicAttributes'],
    params: ['Name', 'TopicArn', 'TargetArn', 'Protocol', 'Endpoint', 'SubscriptionArn', 'ReturnSubscriptionArn', 'Message', 'Subject', 'MessageStructure', 'NextToken',
      'Attributes.entry.1.key', 'Attributes.entry.1.value', 'Tags.member.1.Key', 'Tags.member.1.Value', 'MessageAttributes.entry.1.Name',
      'MessageAttributes.entry.1.Value.DataType', 'MessageAttributes.entry.1.Value.StringValue', 'MessageAttributes.entry.1.Value.BinaryValue',
      'MessageAttributes.entry.__proto__.Name', 'MessageAttributes.entry.99999999999999999999.Name'],
    create: 'Action=CreateTopic&Version=2010-03-31&Name=fuzz',
  },
] as const;
/** Values a Query parameter gets besides generated JSON: numbers out of range, ARNs of the fuzz resources, JavaScript keys. */
const QUERY_VALUES = ['', '-1', '0', '1e309', 'NaN', '0x10', '99999999999999999999', 'true', 'HTTP', 'TCP', 'instance', 'ip', 'email', 'sqs', 'json', 'String', 'Number',
  'Binary', 'String.Array', 'arn:aws:sns:us-east-1:123456789012:fuzz', 'arn:aws:sns:us-east-1:123456789012:__proto__', 'arn:aws:sns:us-east-1:123456789012:fuzz:x',
  'arn:aws:iam::123456789012:role/fuzz', 'arn:aws:iam::123456789012:instance-profile/fuzz', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/fuzz/0123456789abcdef',
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/fuzz/0123456789abcdef', 'i-0123456789abcdef0', 'subnet-0123456789abcdef0', '__proto__',
  'constructor', 'toString', '{"default":"x"}', '{"default":', '%', 'x'.repeat(300_000)];
/** REST paths and queries of S3, Route 53 and EventBridge Scheduler, many of them broken. */
const S3_PATHS = ['/', '/fuzz-bucket', '/fuzz-bucket/', '/fuzz-bucket/key', '/fuzz-bucket/a/../b', '/__proto__', '/constructor/x', '/fuzz-bucket/%zz', '/Bad_Bucket', '/fuzz-bucket/__proto__', '/x'];
const S3_QUERIES = ['', 'list-type=2', 'list-type=2&max-keys=-1', 'max-keys=abc', 'list-type=2&continuation-token=%%', 'delete', 'tagging', 'uploads', 'versioning', 'encryption',
  '__proto__', 'constructor=1', 'prefix=%ff', 'list-type=3', 'location', 'acl', 'policy', 'cors', 'lifecycle', 'website', 'versions&max-keys=x', 'uploadId=x',
  'uploadId=x&partNumber=1', 'partNumber=0', 'partNumber=1', 'attributes', 'retention', 'legal-hold', 'restore', 'select&select-type=2', 'torrent', 'publicAccessBlock',
  'ownershipControls', 'policyStatus', 'object-lock', 'replication', 'notification', 'logging', 'analytics&id=x', 'metrics', 'inventory&id=__proto__',
  'intelligent-tiering&id=', 'requestPayment', 'accelerate', 'uploads&max-uploads=-1&key-marker=%ff'];
const ROUTE53_PATHS = ['hostedzone', 'hostedzone/Z1', 'hostedzone/Z1/rrset', 'hostedzone/__proto__', 'hostedzone/__proto__/rrset', 'hostedzone/constructor/rrset', 'change/__proto__',
  'change/C1', 'healthcheck', 'healthcheck/toString', 'healthcheck/x/status', 'hostedzonesbyname', 'hostedzonecount', 'toString', '', 'hostedzone/%zz'];
const ROUTE53_QUERIES = ['', 'maxitems=-1', 'maxitems=x', 'name=__proto__&type=A', 'dnsname=%ff', 'marker=%%', 'type=BOGUS', 'identifier=x'];
const SCHEDULER_PATHS = ['/schedules', '/schedules/fuzz', '/schedules/__proto__', '/schedules/constructor', '/schedules/toString', '/schedules/%zz', `/schedules/${'a'.repeat(100)}`,
  '/schedule-groups', '/schedule-groups/default', '/schedule-groups/__proto__', '/schedule-groups/fuzz', '/schedules/fuzz/extra', '/schedules/'];
const SCHEDULER_QUERIES = ['', 'groupName=__proto__', 'groupName=default', 'MaxResults=-1', 'MaxResults=x', 'NextToken=%%', 'NamePrefix=x&State=BOGUS', 'clientToken=x', '__proto__=1'];
const SCHEDULER_MEMBERS = ['ScheduleExpression', 'ScheduleExpressionTimezone', 'FlexibleTimeWindow', 'Target', 'State', 'GroupName', 'Description', 'StartDate', 'EndDate',
  'ActionAfterCompletion', 'ClientToken', 'KmsKeyArn', 'Mode', 'MaximumWindowInMinutes', 'Arn', 'RoleArn', 'Input', 'RetryPolicy', 'Tags', '__proto__', 'constructor'];
const SCHEDULER_VALUES = ['rate(1 minute)', 'rate(0 minutes)', 'rate(-1 hours)', 'rate(1 fortnight)', 'cron(0 12 * * ? *)', 'cron(99 99 * * ? *)', 'cron(0 12 * * * *)', 'at(2026-01-01T00:00:00)',
  'at(yesterday)', 'Europe/Paris', 'Mars/Olympus', 'OFF', 'FLEXIBLE', 'ENABLED', 'DISABLED', 'arn:aws:states:us-east-1:123456789012:stateMachine:fuzz', 'arn:aws:iam::123456789012:role/r'];
/** XML bodies for S3 and Route 53: broken, nested deep, with entities (which must not be expanded). */
const XML_BODIES = [
  '', '<', '<?xml version="1.0"?>', '<a><b></a>', `${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`, `${'<a>'.repeat(100_000)}`,
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><Delete><Object><Key>&c;</Key></Object></Delete>',
  '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CreateBucketConfiguration><LocationConstraint>&e;</LocationConstraint></CreateBucketConfiguration>',
  '<CreateBucketConfiguration><LocationConstraint>xx-nowhere-9</LocationConstraint></CreateBucketConfiguration>',
  '<Delete><Object><Key>__proto__</Key></Object><Quiet>maybe</Quiet></Delete>', `<Delete>${'<Object><Key>k</Key></Object>'.repeat(1500)}</Delete>`,
  '<Tagging><TagSet><Tag><Key>__proto__</Key><Value>x</Value></Tag></TagSet></Tagging>',
  '<CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Name>__proto__.</Name><CallerReference>x</CallerReference></CreateHostedZoneRequest>',
  '<ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeBatch><Changes><Change><Action>toString</Action><ResourceRecordSet><Name>a.</Name><Type>A</Type><TTL>-1</TTL><ResourceRecords><ResourceRecord><Value>x</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>',
  '<ChangeResourceRecordSetsRequest><ChangeBatch><Changes><Change><Action>UPSERT</Action><ResourceRecordSet><Name></Name><Type>__proto__</Type><Weight>1e309</Weight></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>',
  '<CreateHealthCheckRequest><CallerReference>c</CallerReference><HealthCheckConfig><Type>HTTP</Type><Port>99999</Port><RequestInterval>-5</RequestInterval></HealthCheckConfig></CreateHealthCheckRequest>',
  '{"json":"instead"}',
];

/** Bodies only S3 is sent: its configurations and multipart documents, policies, character references beyond Unicode. */
const S3_XML_BODIES = [
  '<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>',
  '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"x"</ETag></Part><Part><PartNumber>99999</PartNumber></Part></CompleteMultipartUpload>',
  '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>', '<LifecycleConfiguration><Rule><Status>Enabled</Status></Rule></LifecycleConfiguration>',
  '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*"}]}', '{"Statement":{"__proto__":1}}', '<Tagging><TagSet>&#xFFFFFFF;&bogus;</TagSet></Tagging>',
  '<Delete><Object><Key>&#x110000;</Key></Object></Delete>',
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
      () => this.queryOperation(),
      () => this.queryOperation(),
      () => this.queryOperation(),
      () => this.queryOperation(),
      () => this.restOperation(),
      () => this.restOperation(),
      () => this.restOperation(),
    ];
    if (options.large) kinds.push(() => this.huge(), () => this.gzip(true));
    const req = this.pick(kinds)();
    const service = routedService(req);
    // A protocol other than the service's own holds only while the request still reaches that service.
    return { ...req, service, protocol: service === req.service ? req.protocol : undefined };
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
    return { kind: 'json-operation', method: 'POST', path: '/', headers, body: Buffer.from(text), region: headers.authorization ? region : undefined, service: target.signing };
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
    return { kind: 'ec2-operation', method: 'POST', path: '/', headers, body: Buffer.from(params.join('&')), region, service: 'ec2' };
  }

  /** STS, IAM, ELBv2 or SNS (the Query protocol, XML answers): bad actions, bad and repeated parameters, odd content types. */
  private queryOperation(): FuzzRequest {
    const svc = this.pick(QUERY_SERVICES);
    let params: string[];
    if (this.chance(0.05)) {
      // A valid create now and then, so that later requests reach the code behind a found resource.
      params = svc.create.split('&');
    } else {
      const action = this.chance(0.15) ? this.pick(OBJECT_KEYS) : this.chance(0.05) ? undefined : this.pick(svc.operations);
      params = [...(action === undefined ? [] : [`Action=${pct(action)}`]), ...(this.chance(0.9) ? [`Version=${svc.version}`] : this.chance(0.5) ? [] : ['Version=1999-01-01'])];
      for (let i = this.random.int(10); i > 0; i--) {
        const v = this.chance(0.6) ? this.pick(QUERY_VALUES) : this.value();
        const name = this.chance(0.9) ? this.pick(svc.params) : this.pick([...OBJECT_KEYS, 'Action', 'Version', 'Name.member.1', 'a.b.c.d.e.f']);
        params.push(`${pct(name)}=${pct(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`);
      }
      if (this.chance(0.1)) params.push(this.pick(['%zz=%', 'Action=', '&&=', '=x', '%E0%A4%A=1', 'Name=%ff%fe']));
    }
    const region = this.chance(0.8) ? 'us-east-1' : this.pick(REGIONS);
    const headers: Record<string, string> = { host: this.host(), 'content-type': this.chance(0.9) ? 'application/x-www-form-urlencoded; charset=utf-8' : this.pick(CONTENT_TYPES) };
    // Signed (the service comes from the credential scope), or unsigned (it comes from `Version`).
    if (this.chance(0.8)) Object.assign(headers, this.signed(svc.signing, region));
    const signed = credentialScope(headers.authorization) !== undefined;
    const body = Buffer.from(params.join('&'));
    const routed = signed || (headers['content-type']!.startsWith('application/x-www-form-urlencoded') && params.includes(`Version=${svc.version}`));
    return {
      kind: `query-${svc.signing}`, method: 'POST', path: '/', headers, body, region: signed ? region : undefined,
      ...(routed ? { service: svc.signing, ...(SERVICE_PROTOCOLS[svc.signing] !== 'query' ? { protocol: 'query' as const } : {}) } : {}),
    };
  }

  /** S3 and Route 53 (REST XML) or EventBridge Scheduler (REST JSON): odd methods, paths, queries and bodies. */
  private restOperation(): FuzzRequest {
    const which = this.random.int(3);
    const method = this.chance(0.9) ? this.pick(['GET', 'PUT', 'POST', 'DELETE', 'HEAD']) : this.pick(METHODS);
    if (which === 0) {
      const headers: Record<string, string> = { host: this.host(), ...this.signed('s3', 'us-east-1') };
      if (this.chance(0.3)) headers['content-type'] = this.pick([...CONTENT_TYPES, 'application/xml']);
      if (this.chance(0.2)) headers['x-amz-server-side-encryption'] = this.pick(['aws:kms', 'AES256', 'bogus', '__proto__']);
      if (this.chance(0.1)) headers['x-amz-server-side-encryption-aws-kms-key-id'] = this.pick(['alias/nope', 'arn:aws:kms:us-east-1:123456789012:key/x', '__proto__']);
      if (this.chance(0.1)) headers['x-amz-copy-source'] = this.pick(['/fuzz-bucket/key', '%zz', '/__proto__/x', '']);
      if (this.chance(0.1)) headers['content-md5'] = this.pick(['x', 'AAAA', '']);
      if (this.chance(0.1)) headers['x-amz-tagging'] = this.pick(['a=b', '%zz', '__proto__=1']);
      const query = this.pick(S3_QUERIES);
      const body = Buffer.from(this.chance(0.5) ? this.pick([...XML_BODIES, ...S3_XML_BODIES]) : '');
      return { kind: 'rest-s3', method, path: `${this.pick(S3_PATHS)}${query === '' ? '' : `?${query}`}`, headers, body, region: 'us-east-1', service: 's3' };
    }
    if (which === 1) {
      const signed = this.chance(0.7);
      const headers: Record<string, string> = { host: this.host(), ...(signed ? this.signed('route53', 'us-east-1') : {}) };
      if (this.chance(0.3)) headers['content-type'] = this.pick([...CONTENT_TYPES, 'application/xml']);
      const query = this.pick(ROUTE53_QUERIES);
      const body = Buffer.from(this.chance(0.7) ? this.pick(XML_BODIES) : '');
      return { kind: 'rest-route53', method, path: `/2013-04-01/${this.pick(ROUTE53_PATHS)}${query === '' ? '' : `?${query}`}`, headers, body, region: signed ? 'us-east-1' : undefined, service: 'route53' };
    }
    const signed = this.chance(0.7);
    const headers: Record<string, string> = { host: this.host(), 'content-type': this.chance(0.9) ? 'application/json' : this.pick(CONTENT_TYPES), ...(signed ? this.signed('scheduler', 'us-east-1') : {}) };
    const members = Object.fromEntries(Array.from({ length: this.random.int(6) }, () => [this.pick(SCHEDULER_MEMBERS), this.chance(0.5) ? this.pick(SCHEDULER_VALUES) : this.value()]));
    let text = JSON.stringify(members);
    if (this.chance(0.1)) text = text.slice(0, this.random.int(text.length));
    if (this.chance(0.05)) text = `{"Target":${'['.repeat(5000)}`;
    const query = this.pick(SCHEDULER_QUERIES);
    return { kind: 'rest-scheduler', method, path: `${this.pick(SCHEDULER_PATHS)}${query === '' ? '' : `?${query}`}`, headers, body: Buffer.from(text), region: signed ? 'us-east-1' : undefined, service: 'scheduler' };
  }

  /** A request for any service but the admin API. */
  private anyOperation(): FuzzRequest {
    return this.pick([() => this.jsonOperation(), () => this.ec2Operation(), () => this.queryOperation(), () => this.queryOperation(), () => this.restOperation()])();
  }

  private truncated(): FuzzRequest {
    if (this.chance(0.3)) {
      const req = this.queryOperation();
      return { ...req, kind: 'truncated-query', body: req.body.subarray(0, this.random.int(req.body.length + 1)) };
    }
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
    const place = this.random.int(5);
    if (place === 4) {
      // Deep JSON inside a Query parameter that is JSON (an SNS message structure, a policy, an attribute).
      const req = this.queryOperation();
      const extra = this.pick(['&Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Afuzz&MessageStructure=json&Message=', '&Policy=', '&Attributes.entry.1.key=Policy&Attributes.entry.1.value=', '&Message=']);
      return { ...req, kind: 'deep-query', body: Buffer.concat([req.body, Buffer.from(`${extra}${pct(nested)}`)]) };
    }
    if (place === 0) return { kind: 'deep-admin', method: 'POST', path: `/_sandbox/${this.pick(['clock', 'seed', 'ec2.seed-instances', 'sns.messages', 'elbv2.faults.set', 'sts.principals'])}`, headers: { host: this.host() }, body: Buffer.from(`{"advanceMs":${nested}}`) };
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
    const req = this.anyOperation();
    const bad = [Buffer.from([0xff, 0xfe, 0xc0, 0x80]), Buffer.from('%E0%A4%A'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('\u0000\u0000'), Buffer.from([0xef, 0xbb, 0xbf])];
    const at = this.random.int(req.body.length + 1);
    const body = Buffer.concat([req.body.subarray(0, at), this.pick(bad), req.body.subarray(at)]);
    const headers = { ...req.headers };
    if (this.chance(0.3)) headers['content-encoding'] = this.pick(['gzip', 'br', 'deflate', 'gzip, gzip', 'identity', '\u00e9']);
    if (this.chance(0.2)) headers['content-type'] = `${headers['content-type']}; charset=${this.pick(['utf-16', 'latin1', 'nope'])}`;
    return { ...req, kind: 'bad-encoding', headers, body };
  }

  private oddMethodOrPath(): FuzzRequest {
    const req = this.anyOperation();
    return { ...req, kind: 'odd-method-path', method: this.pick(METHODS), path: this.pick(PATHS) };
  }

  private admin(): FuzzRequest {
    const body = this.chance(0.2) ? Buffer.from(this.pick(['[', '"x"', 'null', '[]', '1', '{"advanceMs":-1}', '{"to":"yesterday"}', '{"advanceMs":"1"}', '{"ec2":{"region":"xx"}}'])) : Buffer.from(JSON.stringify(this.value(1)) ?? '');
    const headers: Record<string, string> = { host: this.host() };
    if (this.chance(0.5)) headers['content-type'] = this.pick(CONTENT_TYPES);
    return { kind: 'admin', method: this.chance(0.9) ? 'POST' : this.pick(METHODS), path: `/_sandbox/${this.pick(ADMIN_ACTIONS)}`, headers, body, service: 'admin' };
  }

  /** A request from a web page or through a foreign host name: must be refused (403). */
  private foreign(): FuzzRequest {
    const req = this.pick([() => this.jsonOperation(), () => this.ec2Operation(), () => this.queryOperation(), () => this.restOperation(), () => this.admin()])();
    const headers = { ...req.headers };
    const way = this.random.int(4);
    if (way === 0) headers.origin = this.pick(['http://evil.example', 'null', `http://127.0.0.1:${this.port + 1}`, 'https://localhost']);
    else if (way === 1) headers.host = this.pick(['evil.example', `evil.example:${this.port}`, `127.0.0.2:${this.port}`, `localhost.evil.example:${this.port}`, `127.0.0.1:${this.port + 1}`, '']);
    else if (way === 2) headers['sec-fetch-site'] = 'cross-site';
    else headers.origin = 'http://evil.example', headers['content-type'] = 'text/plain';
    return { ...req, kind: 'foreign', headers };
  }

  private gzip(bomb: boolean): FuzzRequest {
    const req = this.anyOperation();
    const inflated = bomb ? Buffer.alloc(this.pick([9, 64, 256]) * 1024 * 1024, 0x20) : req.body;
    let body = gzipSync(inflated);
    if (!bomb && this.chance(0.5)) body = body.subarray(0, this.random.int(body.length));
    return { ...req, kind: bomb ? 'gzip-bomb' : 'gzip', headers: { ...req.headers, 'content-encoding': 'gzip' }, body };
  }

  private huge(): FuzzRequest {
    const req = this.anyOperation();
    const size = this.pick([8 * 1024 * 1024 + 1, 12 * 1024 * 1024]);
    return { ...req, kind: 'huge', body: Buffer.concat([req.body, Buffer.alloc(size, 0x61)]) };
  }
}

/**
 * The service a request surely reaches, which must answer in its own protocol: the admin API for
 * `/_sandbox/…`; otherwise the generator's service as long as the request still names it by its
 * signature or `X-Amz-Target` (a truncated body or another path may hide an unsigned request's
 * `Version` or REST path, and then no one service is sure to answer).
 */
function routedService(req: FuzzRequest): string | undefined {
  if (req.path.startsWith('/_sandbox/')) return 'admin';
  if (req.service === undefined) return undefined;
  if (req.headers['x-amz-target'] !== undefined) return req.service;
  const scope = credentialScope(req.headers.authorization);
  if (scope) return scope.service === req.service ? req.service : undefined;
  const primary = ['json-operation', 'ec2-operation', 'rest-s3', 'rest-route53', 'rest-scheduler'].includes(req.kind) || req.kind.startsWith('query-');
  return primary ? req.service : undefined;
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
  const protocol = req.service === undefined ? undefined : (req.protocol ?? SERVICE_PROTOCOLS[req.service]);
  if (protocol !== undefined) {
    const wrong = protocolProblem(protocol, outcome);
    if (wrong) return `${req.service} (${protocol}): ${wrong}`;
    return undefined;
  }
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

/**
 * What is wrong with an answer (status below 500) for a request that surely reached a service
 * speaking `protocol`: an error not in that protocol's shape, or a success body that is not.
 * @see https://smithy.io/2.0/aws/protocols/aws-query-protocol.html (Query errors)
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html (EC2 errors)
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html (S3 errors)
 */
export function protocolProblem(protocol: Protocol, outcome: FuzzOutcome): string | undefined {
  const status = outcome.status!;
  const text = outcome.body?.toString('utf8') ?? '';
  const type = String(outcome.headers?.['content-type'] ?? '');
  const show = () => `${status} ${type}: ${text.slice(0, 200)}`;
  const failed = status >= 300;
  switch (protocol) {
    case 'json':
    case 'rest-json':
    case 'admin': {
      if (!type.includes('json')) return `expected a JSON answer, found ${show()}`;
      let json: unknown;
      try {
        json = text === '' ? {} : JSON.parse(text);
      } catch {
        return `expected a JSON body, found ${show()}`;
      }
      if (!failed) return undefined;
      const o = (json ?? {}) as Record<string, unknown>;
      if (protocol === 'admin') return typeof o.error === 'string' ? undefined : `expected {"error": …}, found ${show()}`;
      const code = protocol === 'json' ? (o.__type ?? outcome.headers?.['x-amzn-errortype']) : outcome.headers?.['x-amzn-errortype'];
      const message = o.message ?? o.Message;
      if (typeof code !== 'string' || code === '' || typeof message !== 'string') {
        return `expected an error with ${protocol === 'json' ? '__type' : 'an x-amzn-ErrorType header'} and a message, found ${show()}`;
      }
      return undefined;
    }
    case 'ec2':
      if (!type.includes('xml')) return `expected an XML answer, found ${show()}`;
      if (!failed) return /^<\?xml[^>]*>\s*<\w+Response xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/">/.test(text) ? undefined : `expected <ActionResponse>, found ${show()}`;
      return /<Response><Errors><Error><Code>[A-Za-z.]+<\/Code><Message>[^<]*<\/Message><\/Error><\/Errors><RequestID>[^<]+<\/RequestID><\/Response>/.test(text) ? undefined : `expected <Response><Errors><Error><Code>…, found ${show()}`;
    case 'query':
      if (!type.includes('xml')) return `expected an XML answer, found ${show()}`;
      if (!failed) return /<(\w+)Response xmlns="[^"]+">[\s\S]*<\1Result>[\s\S]*<RequestId>[^<]+<\/RequestId>/.test(text) ? undefined : `expected <ActionResponse><ActionResult>, found ${show()}`;
      return /<ErrorResponse xmlns="[^"]+">\s*<Error>\s*<Type>(Sender|Receiver)<\/Type>\s*<Code>[A-Za-z.]+<\/Code>\s*<Message>[^<]*<\/Message>\s*<\/Error>\s*<RequestId>[^<]+<\/RequestId>\s*<\/ErrorResponse>/.test(text)
        ? undefined : `expected <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>, found ${show()}`;
    case 's3':
      if (!failed) return undefined; // an object's body is whatever was put
      return /^<\?xml[^>]*>\s*<Error><Code>[A-Za-z]+<\/Code><Message>[^<]*<\/Message>[\s\S]*<RequestId>[^<]+<\/RequestId>[\s\S]*<\/Error>/.test(text) ? undefined : `expected <Error><Code/><Message/>…<RequestId/></Error>, found ${show()}`;
    case 'route53':
      if (!type.includes('xml')) return `expected an XML answer, found ${show()}`;
      if (!failed) return /^<\?xml/.test(text) || text === '' ? undefined : `expected an XML document, found ${show()}`;
      return /<ErrorResponse xmlns="https:\/\/route53\.amazonaws\.com\/doc\/2013-04-01\/">\s*<Error>\s*<Type>(Sender|Receiver)<\/Type>\s*<Code>[A-Za-z]+<\/Code>\s*<Message>[^<]*<\/Message>\s*<\/Error>\s*<RequestId>[^<]+<\/RequestId>/.test(text)
        ? undefined : `expected <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>, found ${show()}`;
  }
}
