import { type RpcTarget, jsonCall, queryCall, xmlText } from '../_shared/aws-rpc.js';

/**
 * The reads pre-flight makes outside EC2 and CloudWatch: KMS `DescribeKey`, Service Quotas
 * `GetServiceQuota`, IAM `GetInstanceProfile`. An interface, so that unit tests (and, once the
 * SDK clients `@aws-sdk/client-kms`, `-service-quotas`, `-iam` are dependencies, an SDK-based
 * implementation) can stand in for {@link awsPreflightServices}. Errors are thrown as the SDK
 * throws them (`name` = the service's error code).
 */
export interface PreflightServices {
  /** @see https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html */
  describeKey(region: string, keyId: string): Promise<KeyFacts>;
  /** The quota's value. @see https://docs.aws.amazon.com/servicequotas/2019-06-24/apireference/API_GetServiceQuota.html */
  getServiceQuota(region: string, serviceCode: string, quotaCode: string): Promise<number>;
  /** @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetInstanceProfile.html */
  getInstanceProfile(name: string): Promise<{ arn: string; roleCount: number }>;
}

/** What pre-flight reads of a KMS key (`KeyMetadata`). */
export interface KeyFacts {
  readonly arn: string;
  readonly keyState: string;
  readonly enabled: boolean;
  readonly keyUsage?: string;
  readonly keySpec?: string;
}

/**
 * The services on AWS, or wherever `target` (else the SDK's endpoint variables) points, e.g. the
 * sandbox for `lifeboat preflight --local`.
 */
export function awsServices(target: RpcTarget = {}): PreflightServices {
  return {
  async describeKey(region, keyId) {
    const res = await jsonCall('kms', region, 'TrentService.DescribeKey', { KeyId: keyId }, target);
    const meta = (res.KeyMetadata ?? {}) as Record<string, unknown>;
    return {
      arn: String(meta.Arn ?? keyId),
      keyState: String(meta.KeyState ?? 'Unknown'),
      enabled: meta.Enabled === true,
      ...(typeof meta.KeyUsage === 'string' ? { keyUsage: meta.KeyUsage } : {}),
      ...(typeof meta.KeySpec === 'string' ? { keySpec: meta.KeySpec } : typeof meta.CustomerMasterKeySpec === 'string' ? { keySpec: meta.CustomerMasterKeySpec } : {}),
    };
  },
  async getServiceQuota(region, serviceCode, quotaCode) {
    const res = await jsonCall('servicequotas', region, 'ServiceQuotasV20190624.GetServiceQuota', { ServiceCode: serviceCode, QuotaCode: quotaCode }, target);
    const value = (res.Quota as { Value?: unknown } | undefined)?.Value;
    if (typeof value !== 'number') throw Object.assign(new Error(`GetServiceQuota ${serviceCode}/${quotaCode}: the answer has no Quota.Value`), { name: 'InternalFailure' });
    return value;
  },
  async getInstanceProfile(name) {
    const xml = await queryCall('iam', 'us-east-1', 'GetInstanceProfile', '2010-05-08', { InstanceProfileName: name }, target);
    return { arn: xmlText(xml, 'Arn') ?? '', roleCount: (xml.match(/<RoleName>/g) ?? []).length };
  },
  };
}

/** The services as a Lambda reaches them: the SDK's configuration from the environment. */
export const awsPreflightServices: PreflightServices = awsServices();
