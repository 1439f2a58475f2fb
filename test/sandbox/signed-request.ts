/**
 * SigV4-signed requests made with the signer the AWS SDK for JavaScript v3 uses
 * (`@smithy/signature-v4`), for services whose SDK client is not installed here (STS
 * GetCallerIdentity, KMS, Service Quotas, IAM): the request the SDK would send, byte for byte in
 * its headers and signature.
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): Buffer | string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** SHA-256 (and HMAC-SHA-256 with a secret) in the shape the signer expects. */
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

export interface SignedCall {
  endpoint: string;
  region: string;
  /** Signing name: `sts`, `kms`, `servicequotas`, `iam`. */
  service: string;
  /** @default 'test' */
  accessKeyId?: string;
  /** Form body (Query protocol) or JSON body with `target` (JSON protocol). */
  body: string;
  /** `X-Amz-Target` for JSON protocols (`TrentService.DescribeKey`). */
  target?: string;
  /** @default 'application/x-amz-json-1.1' with a target, else form-urlencoded */
  contentType?: string;
}

/** Sends one signed POST and answers its status and body text. */
export async function signedCall(call: SignedCall): Promise<{ status: number; body: string }> {
  const url = new URL(call.endpoint);
  const signer = new SignatureV4({
    service: call.service,
    region: call.region,
    credentials: { accessKeyId: call.accessKeyId ?? 'test', secretAccessKey: 'test' },
    sha256: Sha256,
  });
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': call.contentType ?? (call.target ? 'application/x-amz-json-1.1' : 'application/x-www-form-urlencoded; charset=utf-8'),
    ...(call.target ? { 'x-amz-target': call.target } : {}),
  };
  const signed = await signer.sign({ method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: '/', headers, body: call.body, query: {} });
  const res = await fetch(call.endpoint, { method: 'POST', headers: signed.headers as Record<string, string>, body: call.body });
  return { status: res.status, body: await res.text() };
}

/** A signed JSON-protocol call; answers the status and the parsed body. */
export async function jsonCall(endpoint: string, region: string, service: string, target: string, input: unknown, accessKeyId?: string): Promise<{ status: number; json: any }> {
  const { status, body } = await signedCall({ endpoint, region, service, target, body: JSON.stringify(input), accessKeyId });
  return { status, json: body === '' ? {} : JSON.parse(body) };
}
