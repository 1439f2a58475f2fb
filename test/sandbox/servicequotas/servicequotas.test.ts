/**
 * Service Quotas for EC2's Standard On-Demand vCPU quota, and EC2 enforcing it.
 * @see https://docs.aws.amazon.com/servicequotas/2019-06-24/apireference/API_GetServiceQuota.html
 * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html
 */
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { hasAws, hasBoto3, runAws, runPython } from '../aws-tools.js';
import { failure } from '../sdk-failure.js';
import { jsonCall } from '../signed-request.js';

const REGION = 'us-west-2';
const CODE = 'L-1216C47A';
if (!hasAws) console.warn('sandbox: servicequotas › AWS CLI tests skipped: no working `aws` on PATH');
if (!hasBoto3) console.warn('sandbox: servicequotas › boto3 tests skipped: python3 with boto3 is not installed');

describe('sandbox: servicequotas (SigV4 JSON 1.1 as the JS SDK sends it)', () => {
  let sandbox: Sandbox;
  const call = (op: string, input: unknown) => jsonCall(sandbox.endpoint, REGION, 'servicequotas', `ServiceQuotasV20190624.${op}`, input);
  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => {} });
  });
  afterAll(async () => sandbox.stop());

  test('GetServiceQuota answers the applied value; GetAWSDefaultServiceQuota the AWS default 5 with an account-less ARN', async () => {
    const applied = await call('GetServiceQuota', { ServiceCode: 'ec2', QuotaCode: CODE });
    expect(applied.status).toBe(200);
    expect(applied.json.Quota).toMatchObject({
      ServiceCode: 'ec2', QuotaCode: CODE, QuotaArn: `arn:aws:servicequotas:${REGION}:123456789012:ec2/${CODE}`,
      QuotaName: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances', Value: 1152, Unit: 'None', Adjustable: true, GlobalQuota: false,
      UsageMetric: { MetricNamespace: 'AWS/Usage', MetricName: 'ResourceCount', MetricDimensions: { Class: 'Standard/OnDemand', Resource: 'vCPU', Service: 'EC2', Type: 'Resource' } },
    });
    const def = await call('GetAWSDefaultServiceQuota', { ServiceCode: 'ec2', QuotaCode: CODE });
    expect(def.json.Quota).toMatchObject({ Value: 5, QuotaArn: `arn:aws:servicequotas:${REGION}::ec2/${CODE}` });
    const list = await call('ListServiceQuotas', { ServiceCode: 'ec2' });
    expect(list.json.Quotas.map((q: { QuotaCode: string }) => q.QuotaCode)).toContain(CODE);
  });

  test('unknown codes answer NoSuchResourceException as AWS words it', async () => {
    const service = await call('GetServiceQuota', { ServiceCode: 'EC2', QuotaCode: CODE });
    expect(service).toMatchObject({ status: 400, json: { __type: 'NoSuchResourceException', Message: 'The request failed because the specified service does not exist.' } });
    const quota = await call('GetServiceQuota', { ServiceCode: 'ec2', QuotaCode: 'L-00000000' });
    expect(quota.json.__type).toBe('NoSuchResourceException');
  });

  test('a lowered quota (admin API) is what GetServiceQuota answers and what RunInstances enforces: VcpuLimitExceeded', async () => {
    const res = await fetch(`${sandbox.endpoint}/_sandbox/servicequotas.set`, { method: 'POST', body: JSON.stringify({ region: REGION, quotaCode: CODE, value: 6 }) });
    expect(await res.json()).toMatchObject({ value: 6 });
    expect((await call('GetServiceQuota', { ServiceCode: 'ec2', QuotaCode: CODE })).json.Quota.Value).toBe(6);
    const ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'x' }, maxAttempts: 1 });
    const imageId = sandbox.ec2.region(REGION).images({ includePublic: true }).find((i) => i.name.includes('x86_64'))!.imageId;
    // 2 + 2 vCPUs fit in 6; a third m5.large (2) fits; a 4th does not. MaxCount above what fits launches what fits.
    const first = await ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: 'm5.large', MinCount: 1, MaxCount: 5 }));
    expect(first.Instances).toHaveLength(3);
    const e = await failure(ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, DryRun: true })));
    expect(e).toMatchObject({
      name: 'VcpuLimitExceeded', status: 400,
      message: 'You have requested more vCPU capacity than your current vCPU limit of 6 allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.',
    });
    // GPU types are another bucket: not limited by the standard quota.
    await ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: 'g5.xlarge', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: `${REGION}a` } }));
    sandbox.servicequotas.setQuota(REGION, 'ec2', CODE, 8);
    await ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
  });
});

describe.skipIf(!hasAws)('sandbox: servicequotas with the AWS CLI', () => {
  test('`aws service-quotas get-service-quota` reads the quota; an unknown service fails with NoSuchResourceException', async () => {
    const sandbox = await startSandbox({ log: () => {} });
    try {
      sandbox.servicequotas.setQuota(REGION, 'ec2', CODE, 64);
      const out = JSON.parse(await runAws(sandbox.endpoint, ['service-quotas', 'get-service-quota', '--service-code', 'ec2', '--quota-code', CODE, '--region', REGION, '--output', 'json']));
      expect(out.Quota).toMatchObject({ QuotaCode: CODE, Value: 64 });
      const e = await runAws(sandbox.endpoint, ['service-quotas', 'get-service-quota', '--service-code', 'nope', '--quota-code', CODE, '--region', REGION]).catch((err: { stderr: string }) => err.stderr);
      expect(e).toMatch(/NoSuchResourceException.*specified service does not exist/);
    } finally {
      await sandbox.stop();
    }
  }, 60_000);
});

describe.skipIf(!hasBoto3)('sandbox: servicequotas with boto3', () => {
  test('get_service_quota and get_aws_default_service_quota', async () => {
    const sandbox = await startSandbox({ log: () => {} });
    try {
      const script = String.raw`
import json, sys, boto3
sq = boto3.client('service-quotas', endpoint_url=sys.argv[1], region_name='us-west-2', aws_access_key_id='test', aws_secret_access_key='x')
a = sq.get_service_quota(ServiceCode='ec2', QuotaCode='L-1216C47A')['Quota']
d = sq.get_aws_default_service_quota(ServiceCode='ec2', QuotaCode='L-1216C47A')['Quota']
print(json.dumps([a['Value'], d['Value'], a['QuotaName']]))
`;
      expect(JSON.parse(await runPython(script, [sandbox.endpoint]))).toEqual([1152, 5, 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances']);
    } finally {
      await sandbox.stop();
    }
  }, 60_000);
});
