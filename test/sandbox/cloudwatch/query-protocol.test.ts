/**
 * CloudWatch over the AWS Query protocol, as older SDKs and CLIs speak it (CloudWatch serves it
 * beside AWS JSON 1.0): boto3 with CloudWatch's own model switched to `query` drives metrics and
 * alarms end to end, and operation names that are JavaScript object keys are `InvalidAction`.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/making-api-requests.html
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { hasBoto3, runPython } from '../aws-tools.js';

/** 1 December 2026 00:00 UTC. */
const T0 = Date.UTC(2026, 11, 1, 0, 0, 0);
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ startMs: T0, log: () => {} });
});
afterAll(async () => {
  await sandbox?.stop();
});

/** Form request signed (in form only: signatures are not checked) for CloudWatch. */
async function query(body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(sandbox.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: 'AWS4-HMAC-SHA256 Credential=test/20261201/eu-west-1/monitoring/aws4_request, SignedHeaders=host, Signature=0' },
    body,
  });
  return { status: res.status, text: await res.text() };
}

// botocore's CloudWatch model, with the protocol set to Query as in the SDKs before JSON support.
const BOTO3_QUERY = `
import datetime, gzip, json, os, sys, tempfile
import botocore
endpoint, now = sys.argv[1], datetime.datetime.fromtimestamp(float(sys.argv[2]), datetime.timezone.utc)
model = json.loads(gzip.open(os.path.join(os.path.dirname(botocore.__file__), 'data', 'cloudwatch', '2010-08-01', 'service-2.json.gz')).read())
model['metadata'].update({'protocol': 'query', 'protocols': ['query']})
for k in ['jsonVersion', 'targetPrefix', 'awsQueryCompatible']: model['metadata'].pop(k, None)
data = tempfile.mkdtemp()
os.makedirs(os.path.join(data, 'cloudwatch', '2010-08-01'))
json.dump(model, open(os.path.join(data, 'cloudwatch', '2010-08-01', 'service-2.json'), 'w'))
os.environ['AWS_DATA_PATH'] = data
import boto3
from botocore.exceptions import ClientError
cw = boto3.client('cloudwatch', endpoint_url=endpoint, region_name='eu-west-1')
assert cw.meta.service_model.protocol == 'query'
host = [{'Name': 'Host', 'Value': 'a'}]
hour = datetime.timedelta(hours=1)
cw.put_metric_data(Namespace='Outside', MetricData=[{'MetricName': 'Load', 'Dimensions': host, 'Value': 7.5, 'Unit': 'Count'},
                                                   {'MetricName': 'Load', 'Dimensions': host, 'Values': [1, 2], 'Counts': [1, 3], 'Unit': 'Count'}])
out = {'metrics': [[m['MetricName'], m['Dimensions']] for m in cw.list_metrics(Namespace='Outside')['Metrics']]}
stats = cw.get_metric_statistics(Namespace='Outside', MetricName='Load', Dimensions=host, StartTime=now - hour, EndTime=now + hour, Period=3600, Statistics=['Sum', 'SampleCount', 'Maximum'])
out['stats'] = [{k: v for k, v in p.items() if k != 'Timestamp'} | {'at': p['Timestamp'].isoformat()} for p in stats['Datapoints']]
cw.put_metric_alarm(AlarmName='outside-high', Namespace='Outside', MetricName='Load', Dimensions=host, Statistic='Maximum', Period=60, EvaluationPeriods=1,
                    Threshold=5, ComparisonOperator='GreaterThanThreshold', TreatMissingData='notBreaching', ActionsEnabled=False)
a = cw.describe_alarms(AlarmNames=['outside-high'])['MetricAlarms'][0]
out['alarm'] = {k: a[k] for k in ['AlarmName', 'Threshold', 'EvaluationPeriods', 'ActionsEnabled', 'Dimensions', 'TreatMissingData']} | {'updated': a['StateUpdatedTimestamp'].isoformat()}
data = cw.get_metric_data(MetricDataQueries=[{'Id': 'm', 'MetricStat': {'Metric': {'Namespace': 'Outside', 'MetricName': 'Load', 'Dimensions': host}, 'Period': 3600, 'Stat': 'Sum'}}], StartTime=now - hour, EndTime=now + hour)
out['data'] = [[r['Id'], r['Values'], [t.isoformat() for t in r['Timestamps']]] for r in data['MetricDataResults']]
cw.set_alarm_state(AlarmName='outside-high', StateValue='ALARM', StateReason='by hand')
out['state'] = cw.describe_alarms(AlarmNames=['outside-high'])['MetricAlarms'][0]['StateValue']
try:
    cw.put_metric_alarm(AlarmName='bad', Namespace='Outside', MetricName='Load', Statistic='Maximum', Period=7, EvaluationPeriods=1, Threshold=1, ComparisonOperator='GreaterThanThreshold')
    out['error'] = None
except ClientError as e:
    out['error'] = [e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Code'], e.response['Error']['Type']]
cw.delete_alarms(AlarmNames=['outside-high'])
out['afterDelete'] = len(cw.describe_alarms(AlarmNames=['outside-high'])['MetricAlarms'])
print(json.dumps(out))
`;

describe('sandbox: CloudWatch over the Query protocol', () => {
  test.skipIf(!hasBoto3)('boto3 speaking Query puts and reads metrics, and creates, reads, sets and deletes an alarm', async () => {
    const out = JSON.parse(await runPython(BOTO3_QUERY, [sandbox.endpoint, String(sandbox.clock.now() / 1000)], { timeoutMs: 60_000 })) as Record<string, unknown>;
    const hour = new Date(Math.floor(sandbox.clock.now() / 3_600_000) * 3_600_000).toISOString().replace('.000Z', '+00:00');
    expect(out).toEqual({
      metrics: [['Load', [{ Name: 'Host', Value: 'a' }]]],
      // 7.5 once, then 1 once and 2 three times
      stats: [{ Sum: 14.5, SampleCount: 5, Maximum: 7.5, Unit: 'Count', at: hour }],
      alarm: { AlarmName: 'outside-high', Threshold: 5, EvaluationPeriods: 1, ActionsEnabled: false, Dimensions: [{ Name: 'Host', Value: 'a' }], TreatMissingData: 'notBreaching', updated: expect.stringMatching(/^2026-12-01T00:0\d:\d\d/) },
      data: [['m', [14.5], [hour]]],
      state: 'ALARM',
      error: [400, 'InvalidParameterValue', 'Sender'],
      afterDelete: 0,
    });
  }, 90_000);

  test('an Action that is a JavaScript object key, or none, is a Query error in XML, never a 5xx', async () => {
    for (const action of ['__proto__', 'toString', 'constructor', 'hasOwnProperty']) {
      const r = await query(`Action=${action}&Version=2010-08-01`);
      expect(r.status, r.text).toBe(400);
      expect(r.text).toContain('<Code>InvalidAction</Code>');
      expect(r.text).toContain('<ErrorResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">');
    }
    const missing = await query('Version=2010-08-01');
    expect([missing.status, /<Code>(\w+)<\/Code>/.exec(missing.text)?.[1]]).toEqual([400, 'MissingAction']);
    // parameters named after object keys are only ignored keys
    const keys = await query('Action=ListMetrics&Version=2010-08-01&__proto__.polluted=1&constructor.prototype.polluted=2');
    expect(keys.status, keys.text).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const oversized = await query(`Action=ListMetrics&Version=2010-08-01&Namespace=${'a'.repeat(9 << 20)}`);
    expect([oversized.status, /<Code>(\w+)<\/Code>/.exec(oversized.text)?.[1]]).toEqual([413, 'RequestEntityTooLarge']);
  });
});
