import { GetInstanceProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { DEFAULT_MAX_ATTEMPTS } from '../_shared/clients/cache.js';

/**
 * The reads pre-flight makes outside EC2 and CloudWatch: KMS `DescribeKey`, Service Quotas
 * `GetServiceQuota`, IAM `GetInstanceProfile`, through their SDK clients. An interface, so that
 * unit tests can stand in for them; errors are the SDK's (`name` = the service's error code), so
 * the one mapping table (`ec2-errors.ts`) applies.
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

/** Where the clients go when not where the environment says: the sandbox's endpoint and keys, or a profile. */
export interface ServiceTarget {
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  readonly profile?: string;
  /** @default DEFAULT_MAX_ATTEMPTS unless `AWS_MAX_ATTEMPTS` is set (retries are the workflow's, docs/decisions/0001) */
  readonly maxAttempts?: number;
}

/**
 * The services through the SDK clients: on AWS (or wherever the SDK's endpoint variables point, as
 * in the sandbox's Lambdas), or at `target` (`lifeboat preflight --local`, `--profile`). Clients are
 * made per region on first use and kept.
 */
export function awsServices(target: ServiceTarget = {}): PreflightServices {
  const config = (region: string) => ({
    region,
    ...(target.endpoint !== undefined ? { endpoint: target.endpoint } : {}),
    ...(target.credentials !== undefined ? { credentials: { ...target.credentials } } : {}),
    ...(target.profile !== undefined ? { profile: target.profile } : {}),
    ...(target.maxAttempts !== undefined ? { maxAttempts: target.maxAttempts } : process.env.AWS_MAX_ATTEMPTS ? {} : { maxAttempts: DEFAULT_MAX_ATTEMPTS }),
  });
  const kms = new Map<string, KMSClient>();
  const quotas = new Map<string, ServiceQuotasClient>();
  let iam: IAMClient | undefined;
  const cached = <C>(map: Map<string, C>, region: string, make: () => C): C => {
    const found = map.get(region);
    if (found !== undefined) return found;
    const made = make();
    map.set(region, made);
    return made;
  };
  return {
    async describeKey(region, keyId) {
      const res = await cached(kms, region, () => new KMSClient(config(region))).send(new DescribeKeyCommand({ KeyId: keyId }));
      const meta = res.KeyMetadata;
      return {
        arn: meta?.Arn ?? keyId,
        keyState: meta?.KeyState ?? 'Unknown',
        enabled: meta?.Enabled === true,
        ...(meta?.KeyUsage !== undefined ? { keyUsage: meta.KeyUsage } : {}),
        ...(meta?.KeySpec !== undefined ? { keySpec: meta.KeySpec } : {}),
      };
    },
    async getServiceQuota(region, serviceCode, quotaCode) {
      const res = await cached(quotas, region, () => new ServiceQuotasClient(config(region))).send(new GetServiceQuotaCommand({ ServiceCode: serviceCode, QuotaCode: quotaCode }));
      const value = res.Quota?.Value;
      if (typeof value !== 'number') throw Object.assign(new Error(`GetServiceQuota ${serviceCode}/${quotaCode}: the answer has no Quota.Value`), { name: 'InternalFailure' });
      return value;
    },
    async getInstanceProfile(name) {
      // IAM is global: its endpoint is signed for us-east-1.
      iam ??= new IAMClient(config('us-east-1'));
      const res = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name }));
      return { arn: res.InstanceProfile?.Arn ?? '', roleCount: res.InstanceProfile?.Roles?.length ?? 0 };
    },
  };
}
