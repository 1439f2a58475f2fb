/**
 * The sandbox's Route 53 through the AWS SDK for JavaScript v3 (`@aws-sdk/client-route-53`),
 * unchanged: its id normalisation (`/hostedzone/…`, `/change/…`), XML parsing, modeled exceptions,
 * record paging (StartRecordName/Type/Identifier: the SDK has no paginator for it) and waiter.
 *
 * @see https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/client/route-53/
 */
import {
  ChangeResourceRecordSetsCommand, CreateHealthCheckCommand, CreateHostedZoneCommand, DeleteHostedZoneCommand, GetChangeCommand, GetHealthCheckStatusCommand,
  GetHostedZoneCommand, HostedZoneAlreadyExists, HostedZoneNotEmpty, InvalidChangeBatch, InvalidInput, ListHealthChecksCommand, ListResourceRecordSetsCommand,
  NoSuchHostedZone, Route53Client, waitUntilResourceRecordSetsChanged, type Change, type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('sandbox: route53 with the JS SDK v3', () => {
  let sandbox: Sandbox;
  let r53: Route53Client;
  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => {} });
    r53 = new Route53Client({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  });
  afterAll(async () => {
    r53?.destroy();
    await sandbox?.stop();
  });

  const weighted = (id: string, weight: number, ip: string): ResourceRecordSet => ({ Name: 'app.sdk.example.com', Type: 'A', SetIdentifier: id, Weight: weight, TTL: 60, ResourceRecords: [{ Value: ip }] });
  const upsert = (r: ResourceRecordSet): Change => ({ Action: 'UPSERT', ResourceRecordSet: r });

  test('a weighted flip in one batch, GetChange PENDING then INSYNC on the sandbox clock, the waiter, and the paginator', async () => {
    const zone = await r53.send(new CreateHostedZoneCommand({ Name: 'sdk.example.com', CallerReference: 'sdk-1', HostedZoneConfig: { Comment: 'sdk' } }));
    const zoneId = zone.HostedZone!.Id!;
    expect([zone.HostedZone!.Name, zone.ChangeInfo!.Status, zone.DelegationSet!.NameServers!.length, zone.Location]).toEqual(['sdk.example.com.', 'PENDING', 4, `https://route53.amazonaws.com/2013-04-01${zoneId}`]);
    await expect(r53.send(new CreateHostedZoneCommand({ Name: 'sdk2.example.com', CallerReference: 'sdk-1' }))).rejects.toBeInstanceOf(HostedZoneAlreadyExists);

    await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [upsert(weighted('blue', 100, '192.0.2.1')), upsert(weighted('green', 0, '192.0.2.2'))] } }));
    const flip = await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Comment: 'flip', Changes: [upsert(weighted('blue', 0, '192.0.2.1')), upsert(weighted('green', 100, '192.0.2.2'))] } }));
    expect(flip.ChangeInfo!.Status).toBe('PENDING');
    const submittedAt = flip.ChangeInfo!.SubmittedAt!.getTime();
    // A fault holds the change however far the clock moves.
    sandbox.route53.model.holdChange(flip.ChangeInfo!.Id!);
    await fetch(`${sandbox.endpoint}/_sandbox/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 600 }) });
    expect((await r53.send(new GetChangeCommand({ Id: flip.ChangeInfo!.Id }))).ChangeInfo!.Status).toBe('PENDING');
    sandbox.route53.model.releaseChanges();
    const waited = await waitUntilResourceRecordSetsChanged({ client: r53, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { Id: flip.ChangeInfo!.Id });
    expect(waited.state).toBe('SUCCESS');
    const got = await r53.send(new GetChangeCommand({ Id: flip.ChangeInfo!.Id }));
    expect([got.ChangeInfo!.Status, got.ChangeInfo!.Comment, got.ChangeInfo!.SubmittedAt!.getTime()]).toEqual(['INSYNC', 'flip', submittedAt]);
    expect(sandbox.clock.now() - submittedAt).toBeGreaterThanOrEqual(sandbox.route53.model.propagationMs);

    const seen: string[] = [];
    let start: { StartRecordName?: string; StartRecordType?: ResourceRecordSet['Type']; StartRecordIdentifier?: string } = {};
    for (let i = 0; i < 10; i++) {
      const page = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, MaxItems: 1, ...start }));
      expect(page.ResourceRecordSets!.length).toBe(1);
      seen.push(...page.ResourceRecordSets!.map((r) => `${r.Name} ${r.Type}${r.SetIdentifier ? ` ${r.SetIdentifier}=${r.Weight}` : ''}`));
      if (!page.IsTruncated) break;
      start = { StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType, ...(page.NextRecordIdentifier ? { StartRecordIdentifier: page.NextRecordIdentifier } : {}) };
    }
    expect(seen).toEqual(['sdk.example.com. NS', 'sdk.example.com. SOA', 'app.sdk.example.com. A blue=0', 'app.sdk.example.com. A green=100']);
    expect((await r53.send(new GetHostedZoneCommand({ Id: zoneId }))).HostedZone!.ResourceRecordSetCount).toBe(4);
  });

  test('errors arrive as the SDK\'s modeled exceptions with Route 53\'s messages', async () => {
    const zone = await r53.send(new CreateHostedZoneCommand({ Name: 'errors.sdk.example.com', CallerReference: 'sdk-errors' }));
    const zoneId = zone.HostedZone!.Id!;
    await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: 'www.errors.sdk.example.com', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: 'origin.example.net' }] } }] } }));
    const batch = await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [
      { Action: 'DELETE', ResourceRecordSet: { Name: 'www.errors.sdk.example.com', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'origin.example.net' }] } },
      { Action: 'CREATE', ResourceRecordSet: { Name: 'www.errors.sdk.example.com', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'new.example.net' }] } },
    ] } })).catch((e: unknown) => e);
    expect(batch).toBeInstanceOf(InvalidChangeBatch);
    expect((batch as InvalidChangeBatch).message).toBe("[Tried to delete resource record set [name='www.errors.sdk.example.com.', type='CNAME'] but the values provided do not match the current values, " +
      "Tried to create resource record set [name='www.errors.sdk.example.com.', type='CNAME'] but it already exists]");
    expect((batch as InvalidChangeBatch).$metadata.httpStatusCode).toBe(400);
    const input = await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: {
      Name: 'lb.errors.sdk.example.com', Type: 'A', TTL: 60, AliasTarget: { HostedZoneId: 'Z35SXDOTRQ7X7K', DNSName: 'my-lb.us-east-1.elb.amazonaws.com', EvaluateTargetHealth: true } } }] } })).catch((e: unknown) => e);
    expect(input).toBeInstanceOf(InvalidInput);
    expect((input as Error).message).toContain('but found more than one in Change with [Action=CREATE, Name=lb.errors.sdk.example.com., Type=A, SetIdentifier=null]');
    await expect(r53.send(new DeleteHostedZoneCommand({ Id: zoneId }))).rejects.toBeInstanceOf(HostedZoneNotEmpty);
    const missing = await r53.send(new GetHostedZoneCommand({ Id: '/hostedzone/ZNOSUCHZONE' })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NoSuchHostedZone);
    expect((missing as Error).message).toBe('No hosted zone found with ID: ZNOSUCHZONE');
  });

  test('health checks: create, list, and a status a fault turns to failure', async () => {
    const created = await r53.send(new CreateHealthCheckCommand({ CallerReference: 'sdk-hc', HealthCheckConfig: { Type: 'TCP', IPAddress: '192.0.2.20', Port: 5432 } }));
    const id = created.HealthCheck!.Id!;
    expect(created.HealthCheck!.HealthCheckConfig).toEqual({ IPAddress: '192.0.2.20', Port: 5432, Type: 'TCP', RequestInterval: 30, FailureThreshold: 3, MeasureLatency: false, Inverted: false, Disabled: false });
    expect((await r53.send(new ListHealthChecksCommand({}))).HealthChecks!.map((h) => h.Id)).toContain(id);
    const ok = await r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }));
    expect(new Set(ok.HealthCheckObservations!.map((o) => o.StatusReport!.Status))).toEqual(new Set(['Success: TCP connection established']));
    sandbox.route53.model.setHealthCheckStatus(id, false);
    const failed = await r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }));
    expect(failed.HealthCheckObservations!.every((o) => o.StatusReport!.Status!.startsWith('Failure: Connection timed out'))).toBe(true);
    expect(failed.HealthCheckObservations!.map((o) => o.Region)).toHaveLength(8);
  });
});
