import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider, Checksum, SourceData } from '@smithy/types';
import { createHash, createHmac } from 'node:crypto';

/**
 * A minimal signed caller for the few reads of services whose SDK client the project does not
 * ship yet (KMS `DescribeKey`, Service Quotas `GetServiceQuota`, IAM `GetInstanceProfile`): AWS
 * JSON 1.1 (`X-Amz-Target`) and the Query protocol, signed with Signature Version 4, credentials
 * from the SDK's default chain, the endpoint from the SDK's configuration variables
 * (`AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, then the public endpoint), one attempt
 * (retries are the workflow's, docs/decisions/0001).
 *
 * An error answer is thrown as an `Error` whose `name` is the service's error code and whose
 * `$metadata.httpStatusCode` is the HTTP status, as the SDK throws them, so the one mapping table
 * (`ec2-errors.ts`) applies. Replace with `@aws-sdk/client-kms`, `-service-quotas` and `-iam`
 * once they are dependencies: the callers use {@link AwsServices}, not this file.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */

/** SHA-256 (and HMAC-SHA-256 with a secret) as Signature V4 wants it. */
class Sha256 implements Checksum {
  private hash;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
  update(data: Uint8Array | string): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data as ArrayBuffer);
}

/** One service: its signing name, its endpoint variable's suffix and its public host. */
interface ServiceSpec {
  readonly signingName: string;
  /** `AWS_ENDPOINT_URL_<envName>` (the service id, upper snake case). */
  readonly envName: string;
  readonly host: (region: string) => string;
}

const SERVICES = {
  kms: { signingName: 'kms', envName: 'KMS', host: (r: string) => `kms.${r}.amazonaws.com` },
  servicequotas: { signingName: 'servicequotas', envName: 'SERVICE_QUOTAS', host: (r: string) => `servicequotas.${r}.amazonaws.com` },
  // IAM is global: one endpoint, signed for us-east-1.
  iam: { signingName: 'iam', envName: 'IAM', host: () => 'iam.amazonaws.com' },
} as const satisfies Record<string, ServiceSpec>;

/** Where calls go when not where the environment says: an endpoint, credentials, a profile. */
export interface RpcTarget {
  /** Overrides the endpoint variables (e.g. the sandbox's URL). */
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** A profile of the shared config and credentials files. */
  readonly profile?: string;
}

let defaultCredentials: AwsCredentialIdentityProvider | undefined;

function credentialsOf(target: RpcTarget): AwsCredentialIdentityProvider {
  if (target.credentials !== undefined) {
    const fixed = target.credentials;
    return async () => ({ ...fixed });
  }
  if (target.profile !== undefined) return defaultProvider({ profile: target.profile });
  defaultCredentials ??= defaultProvider();
  return defaultCredentials;
}

function endpointOf(spec: ServiceSpec, region: string, target: RpcTarget): URL {
  const configured = target.endpoint ?? process.env[`AWS_ENDPOINT_URL_${spec.envName}`] ?? process.env.AWS_ENDPOINT_URL;
  return new URL(configured !== undefined && configured !== '' ? configured : `https://${spec.host(region)}`);
}

async function send(service: keyof typeof SERVICES, region: string, headers: Record<string, string>, body: string, target: RpcTarget): Promise<{ status: number; text: string; headers: Headers }> {
  const spec = SERVICES[service];
  const signingRegion = service === 'iam' ? 'us-east-1' : region;
  const url = endpointOf(spec, region, target);
  const signer = new SignatureV4({ service: spec.signingName, region: signingRegion, credentials: credentialsOf(target), sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port === '' ? undefined : Number(url.port),
    path: url.pathname === '' ? '/' : url.pathname,
    query: {},
    headers: { ...headers, host: url.host },
    body,
  });
  const { host: _host, ...sent } = signed.headers;
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: sent, body, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    // A network failure: the mapping table reads `code` (ECONNREFUSED …) or the timeout's name.
    const cause = (error as { cause?: { code?: string } }).cause;
    throw Object.assign(new Error(`${service} ${url.host}: ${(error as Error).message}`), { name: (error as Error).name === 'TimeoutError' ? 'TimeoutError' : 'NetworkError', code: cause?.code });
  }
  return { status: res.status, text: await res.text(), headers: res.headers };
}

function serviceError(code: string, message: string, status: number): Error {
  return Object.assign(new Error(message), { name: code, Code: code, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

/**
 * An AWS JSON 1.1 call (`X-Amz-Target: <target>`), e.g. KMS `TrentService.DescribeKey`.
 *
 * @example await jsonCall('kms', 'us-west-2', 'TrentService.DescribeKey', { KeyId: 'alias/dr' })
 */
export async function jsonCall(service: 'kms' | 'servicequotas', region: string, target: string, input: unknown, to: RpcTarget = {}): Promise<Record<string, unknown>> {
  const res = await send(service, region, { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, JSON.stringify(input), to);
  let parsed: Record<string, unknown> = {};
  try {
    parsed = res.text === '' ? {} : (JSON.parse(res.text) as Record<string, unknown>);
  } catch {
    if (res.status < 300) throw serviceError('InternalFailure', `${target}: the answer is not JSON (${res.text.slice(0, 80)})`, 500);
  }
  if (res.status >= 300) {
    const raw = String(parsed.__type ?? parsed.code ?? res.headers.get('x-amzn-errortype') ?? `HTTP${res.status}`);
    // `__type` may carry a namespace (`com.amazonaws.kms#NotFoundException`) or a suffix after `:`.
    const code = raw.split('#').at(-1)!.split(':')[0];
    throw serviceError(code, String(parsed.message ?? parsed.Message ?? `${target} answered HTTP ${res.status}`), res.status);
  }
  return parsed;
}

/**
 * A Query protocol call (`Action=<action>&Version=<version>&…`, form-encoded), e.g. IAM
 * `GetInstanceProfile`. Returns the answer's XML text.
 */
export async function queryCall(service: 'iam', region: string, action: string, version: string, params: Record<string, string>, to: RpcTarget = {}): Promise<string> {
  const body = new URLSearchParams({ Action: action, Version: version, ...params }).toString();
  const res = await send(service, region, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body, to);
  if (res.status >= 300) {
    const code = /<Code>([^<]+)<\/Code>/.exec(res.text)?.[1] ?? `HTTP${res.status}`;
    const message = /<Message>([^<]*)<\/Message>/.exec(res.text)?.[1] ?? `${action} answered HTTP ${res.status}`;
    throw serviceError(code, message, res.status);
  }
  return res.text;
}

/** The first `<name>…</name>` text of an XML answer. */
export function xmlText(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}
