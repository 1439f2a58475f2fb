import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Provider, SourceData } from '@smithy/types';

/**
 * One call to an AWS Query-protocol API (SNS) that the project has no SDK client for: the
 * parameters form-encoded in a POST, signed with Signature Version 4 by the same signer the SDK
 * clients use, the XML answer returned as text. The endpoint follows the SDK's configuration
 * (`AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, else the regional endpoint), so the
 * sandbox is reached exactly as the SDK clients reach it.
 *
 * A refusal throws a {@link QueryApiError} carrying the service's error code and the HTTP status
 * (`$metadata.httpStatusCode`), which the tasks' one error table maps (throttling, 5xx).
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html
 */
export async function queryApiCall(options: {
  readonly service: string;
  readonly region: string;
  readonly version: string;
  readonly params: Readonly<Record<string, string>>;
  readonly credentials: AwsCredentialIdentity | Provider<AwsCredentialIdentity>;
  /** Overrides the endpoint the SDK's configuration names (a client configured with its own). */
  readonly endpoint?: string;
  /** @default 30 000 ms */
  readonly timeoutMs?: number;
}): Promise<string> {
  const endpoint = new URL(options.endpoint ?? serviceEndpoint(options.service, options.region));
  const body = new URLSearchParams({ ...options.params, Version: options.version }).toString();
  const signer = new SignatureV4({ credentials: options.credentials, region: options.region, service: options.service, sha256: NodeSha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    ...(endpoint.port === '' ? {} : { port: Number(endpoint.port) }),
    path: endpoint.pathname,
    query: {},
    headers: { host: endpoint.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: signed.headers as Record<string, string>,
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  if (res.ok) return text;
  const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `HTTP${res.status}`;
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? text.slice(0, 200);
  throw new QueryApiError(code, decodeXml(message), res.status, `${options.service}:${options.params.Action ?? '?'}`);
}

/** An AWS Query API refusal: `name` is the service's error code, as the SDK clients set it. */
export class QueryApiError extends Error {
  readonly $metadata: { readonly httpStatusCode: number };
  readonly Code: string;
  constructor(code: string, message: string, httpStatus: number, readonly operation: string) {
    super(`${operation}: ${code}: ${message}`);
    this.name = code;
    this.Code = code;
    this.$metadata = { httpStatusCode: httpStatus };
  }
}

/** The text of the first `<tag>` in an XML answer, entities decoded. */
export function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m ? decodeXml(m[1]) : undefined;
}

/** Where a service is reached: the SDK's endpoint settings, else `https://<service>.<region>.amazonaws.com`. */
export function serviceEndpoint(service: string, region: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const specific = env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`];
  if (specific) return specific;
  if (env.AWS_ENDPOINT_URL) return env.AWS_ENDPOINT_URL;
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${service}.${region}.${suffix}`;
}

function decodeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** SHA-256 (and HMAC-SHA-256 with a secret) on node:crypto, in the shape the signer asks for. */
class NodeSha256 {
  private readonly chunks: Buffer[] = [];
  private readonly secret?: Buffer;
  constructor(secret?: SourceData) {
    if (secret !== undefined) this.secret = toBuffer(secret);
  }
  update(data: SourceData): void {
    this.chunks.push(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    const h = this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
    for (const c of this.chunks) h.update(c);
    return new Uint8Array(h.digest());
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data as ArrayBuffer);
}
