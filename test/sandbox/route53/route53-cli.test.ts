/**
 * The sandbox's Route 53 through the AWS CLI (`aws route53 …`) and boto3, unchanged, pointed at
 * the sandbox with `--endpoint-url` / `endpoint_url`. Both sign for the global service in
 * us-east-1 and run in another process, so a change they submit is seen PENDING by their next
 * GetChange and then INSYNC (their waiters end). Each part is skipped, with a message, when the
 * tool is not installed.
 *
 * @see https://docs.aws.amazon.com/cli/latest/reference/route53/index.html
 * @see https://boto3.amazonaws.com/v1/documentation/api/latest/reference/services/route53.html
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { hasAws, hasBoto3, runAws, runPython } from '../aws-tools.js';

if (!hasAws) console.warn('sandbox: route53 › AWS CLI tests skipped: no working `aws` on PATH (install AWS CLI v1 or v2 to run them)');
if (!hasBoto3) console.warn('sandbox: route53 › boto3 tests skipped: `python3 -c "import boto3"` failed (pip install boto3 to run them)');

describe('sandbox: route53 with the AWS CLI and boto3', () => {
  let sandbox: Sandbox;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => {} });
    dir = mkdtempSync(join(tmpdir(), 'sandbox-route53-cli-'));
  });
  afterAll(async () => {
    await sandbox?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const aws = async (...args: string[]): Promise<Record<string, any>> => {
    return JSON.parse(await runAws(sandbox.endpoint, [...args, '--output', 'json'], { defaultRegion: 'us-east-1', timeoutMs: 90_000 })) as Record<string, any>;
  };
  const awsError = (...args: string[]): Promise<string> => aws(...args).then(() => 'no error', (err: { stderr?: string }) => err.stderr ?? String(err));

  test.skipIf(!hasAws)('aws route53: create a zone, flip weighted records in one batch, see PENDING then INSYNC, page the records, read the errors', async () => {
    const created = await aws('route53', 'create-hosted-zone', '--name', 'cli.example.com', '--caller-reference', 'cli-1');
    const zoneId = created.HostedZone.Id as string;
    expect(created.HostedZone.Name).toBe('cli.example.com.');
    const batch = join(dir, 'batch.json');
    const weighted = (id: string, weight: number, ip: string) => ({ Action: 'UPSERT', ResourceRecordSet: { Name: 'app.cli.example.com', Type: 'A', SetIdentifier: id, Weight: weight, TTL: 60, ResourceRecords: [{ Value: ip }] } });
    writeFileSync(batch, JSON.stringify({ Comment: 'blue/green', Changes: [weighted('blue', 100, '192.0.2.1'), weighted('green', 0, '192.0.2.2'),
      { Action: 'CREATE', ResourceRecordSet: { Name: 'cli.example.com', Type: 'A', AliasTarget: { HostedZoneId: zoneId.replace('/hostedzone/', ''), DNSName: 'app.cli.example.com', EvaluateTargetHealth: true } } }] }));
    const changed = await aws('route53', 'change-resource-record-sets', '--hosted-zone-id', zoneId, '--change-batch', `file://${batch}`);
    expect([changed.ChangeInfo.Status, changed.ChangeInfo.Comment]).toEqual(['PENDING', 'blue/green']);
    const pending = await aws('route53', 'get-change', '--id', changed.ChangeInfo.Id);
    expect(pending.ChangeInfo.Status).toBe('PENDING');
    await runAws(sandbox.endpoint, ['route53', 'wait', 'resource-record-sets-changed', '--id', changed.ChangeInfo.Id], { defaultRegion: 'us-east-1', timeoutMs: 120_000 });
    expect((await aws('route53', 'get-change', '--id', changed.ChangeInfo.Id)).ChangeInfo.Status).toBe('INSYNC');

    const page = await aws('route53', 'list-resource-record-sets', '--hosted-zone-id', zoneId, '--max-items', '3');
    expect(page.ResourceRecordSets.map((r: { Name: string; Type: string; SetIdentifier?: string }) => `${r.Name} ${r.Type} ${r.SetIdentifier ?? ''}`.trim()))
      .toEqual(['cli.example.com. A', 'cli.example.com. NS', 'cli.example.com. SOA']);
    const rest = await aws('route53', 'list-resource-record-sets', '--hosted-zone-id', zoneId, '--starting-token', page.NextToken);
    expect(rest.ResourceRecordSets.map((r: { SetIdentifier?: string; Weight?: number }) => `${r.SetIdentifier}=${r.Weight}`)).toEqual(['blue=100', 'green=0']);
    expect(page.ResourceRecordSets[0].AliasTarget).toEqual({ HostedZoneId: zoneId.replace('/hostedzone/', ''), DNSName: 'app.cli.example.com.', EvaluateTargetHealth: true });

    const duplicate = join(dir, 'dup.json');
    writeFileSync(duplicate, JSON.stringify({ Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: 'cli.example.com', Type: 'A', AliasTarget: { HostedZoneId: 'Z35SXDOTRQ7X7K', DNSName: 'lb.example.net', EvaluateTargetHealth: false } } }] }));
    expect(await awsError('route53', 'change-resource-record-sets', '--hosted-zone-id', zoneId, '--change-batch', `file://${duplicate}`))
      .toContain("An error occurred (InvalidChangeBatch) when calling the ChangeResourceRecordSets operation: [Tried to create resource record set [name='cli.example.com.', type='A'] but it already exists]");
    expect(await awsError('route53', 'delete-hosted-zone', '--id', zoneId))
      .toContain('An error occurred (HostedZoneNotEmpty) when calling the DeleteHostedZone operation: The specified hosted zone contains non-required resource record sets and so cannot be deleted.');
    expect(await awsError('route53', 'get-hosted-zone', '--id', 'ZNOSUCH')).toContain('An error occurred (NoSuchHostedZone) when calling the GetHostedZone operation: No hosted zone found with ID: ZNOSUCH');
  }, 600_000);

  test.skipIf(!hasBoto3)('boto3: failover pair with a health check, waiter, paginator, modeled exceptions and health check status', async () => {
    const script = `
import json, sys, boto3
c = boto3.client('route53', endpoint_url=sys.argv[1], region_name='us-east-1')
out = {}
zone = c.create_hosted_zone(Name='boto.example.com', CallerReference='boto-1', HostedZoneConfig={'Comment': 'from boto3', 'PrivateZone': False})
zid = zone['HostedZone']['Id']
out['zone'] = [zone['HostedZone']['Name'], zone['HostedZone']['Config'], zone['ResponseMetadata']['HTTPStatusCode']]
try:
    c.create_hosted_zone(Name='boto2.example.com', CallerReference='boto-1')
except c.exceptions.HostedZoneAlreadyExists as e:
    out['again'] = e.response['Error']['Code']
hc = c.create_health_check(CallerReference='boto-hc', HealthCheckConfig={'IPAddress': '192.0.2.10', 'Port': 80, 'Type': 'HTTP', 'ResourcePath': '/health', 'RequestInterval': 10, 'FailureThreshold': 2})
hid = hc['HealthCheck']['Id']
out['hc'] = [hc['HealthCheck']['HealthCheckConfig']['RequestInterval'], hc['HealthCheck']['HealthCheckVersion']]
def rr(ident, role, ip, check=None):
    r = {'Name': 'svc.boto.example.com', 'Type': 'A', 'SetIdentifier': ident, 'Failover': role, 'TTL': 30, 'ResourceRecords': [{'Value': ip}]}
    if check: r['HealthCheckId'] = check
    return {'Action': 'CREATE', 'ResourceRecordSet': r}
ch = c.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={'Changes': [rr('primary', 'PRIMARY', '192.0.2.10', hid), rr('secondary', 'SECONDARY', '198.51.100.10')]})
out['submitted'] = ch['ChangeInfo']['Status']
out['polled'] = c.get_change(Id=ch['ChangeInfo']['Id'])['ChangeInfo']['Status']
c.get_waiter('resource_record_sets_changed').wait(Id=ch['ChangeInfo']['Id'], WaiterConfig={'Delay': 1, 'MaxAttempts': 60})
out['after_wait'] = c.get_change(Id=ch['ChangeInfo']['Id'])['ChangeInfo']['Status']
names = []
for page in c.get_paginator('list_resource_record_sets').paginate(HostedZoneId=zid, PaginationConfig={'PageSize': 1}):
    for r in page['ResourceRecordSets']:
        names.append(' '.join([r['Name'], r['Type'], r.get('Failover', ''), r.get('HealthCheckId', '') and 'hc']).strip())
out['records'] = names
try:
    c.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={'Changes': [{'Action': 'DELETE', 'ResourceRecordSet': {'Name': 'svc.boto.example.com', 'Type': 'A', 'SetIdentifier': 'secondary', 'Failover': 'SECONDARY', 'TTL': 60, 'ResourceRecords': [{'Value': '198.51.100.10'}]}}]})
except c.exceptions.InvalidChangeBatch as e:
    out['invalid'] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
try:
    c.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={'Changes': [{'Action': 'CREATE', 'ResourceRecordSet': {'Name': 'x.boto.example.com', 'Type': 'A', 'TTL': 60}}]})
except c.exceptions.InvalidInput as e:
    out['input'] = e.response['Error']['Message']
try:
    c.delete_health_check(HealthCheckId=hid)
except c.exceptions.HealthCheckInUse as e:
    out['in_use'] = e.response['Error']['Code']
try:
    c.get_change(Id='/change/CNOSUCH')
except c.exceptions.NoSuchChange as e:
    out['no_change'] = e.response['ResponseMetadata']['HTTPStatusCode']
out['status'] = sorted(set(o['StatusReport']['Status'] for o in c.get_health_check_status(HealthCheckId=hid)['HealthCheckObservations']))
out['byname'] = [z['Name'] for z in c.list_hosted_zones_by_name(DNSName='boto.example.com')['HostedZones']]
out['count'] = c.get_hosted_zone_count()['HostedZoneCount']
print(json.dumps(out))
`;
    const out = JSON.parse(await runPython(script, [sandbox.endpoint], { timeoutMs: 120_000 })) as Record<string, unknown>;
    expect(out).toEqual({
      zone: ['boto.example.com.', { Comment: 'from boto3', PrivateZone: false }, 201],
      again: 'HostedZoneAlreadyExists',
      hc: [10, 1],
      submitted: 'PENDING',
      polled: 'PENDING',
      after_wait: 'INSYNC',
      records: ['boto.example.com. NS', 'boto.example.com. SOA', 'svc.boto.example.com. A PRIMARY hc', 'svc.boto.example.com. A SECONDARY'],
      invalid: ['InvalidChangeBatch', "[Tried to delete resource record set [name='svc.boto.example.com.', type='A', set-identifier='secondary'] but the values provided do not match the current values]", 400],
      input: 'Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=CREATE, Name=x.boto.example.com., Type=A, SetIdentifier=null]',
      in_use: 'HealthCheckInUse',
      no_change: 404,
      status: ['Success: HTTP Status Code 200, OK'],
      byname: ['boto.example.com.', 'cli.example.com.'].filter((n) => n === 'boto.example.com.' || hasAws),
      count: hasAws ? 2 : 1,
    });
    // A fault turns every checker's report to a failure.
    const hid = sandbox.route53.model.healthCheckList().find((h) => h.callerReference === 'boto-hc')!.id;
    const fault = await fetch(`${sandbox.endpoint}/_sandbox/route53.health-check.status`, { method: 'POST', body: JSON.stringify({ healthCheckId: hid, status: 'unhealthy' }) });
    expect(fault.status).toBe(200);
    const after = JSON.parse(await runPython(`
import json, sys, boto3
c = boto3.client('route53', endpoint_url=sys.argv[1], region_name='us-east-1')
print(json.dumps(sorted(set(o['StatusReport']['Status'] for o in c.get_health_check_status(HealthCheckId=sys.argv[2])['HealthCheckObservations']))))
`, [sandbox.endpoint, hid])) as string[];
    expect(after).toEqual(['Failure: HTTP Status Code 503, Service Unavailable']);
  }, 300_000);
});
