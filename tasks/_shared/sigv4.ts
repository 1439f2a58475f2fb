import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * Signature Version 4 for the few AWS calls the tasks make by hand over HTTPS (the traffic
 * switch's Elastic Load Balancing and Route 53 calls, the probe relay's Lambda Invoke): the
 * SDK's own signer, with SHA-256 from node:crypto.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html
 */

/** Credentials as the signer takes them: a set of keys, or a provider (an SDK client's chain). */
export type SigningCredentials = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

/** One HTTP request to sign, as the signer reads it. */
export interface RequestToSign {
  readonly method: string;
  /** `https:` (or `http:` for the sandbox). */
  readonly protocol: string;
  readonly hostname: string;
  readonly port?: number;
  /** The path as sent, without the query string. */
  readonly path: string;
  readonly query?: Record<string, string>;
  /** Lower-case names; `host` included. */
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** Who signs, for what, and when. */
export interface SigningScope {
  /** The signing name (`elasticloadbalancing`, `route53`, `lambda`). */
  readonly service: string;
  readonly region: string;
  readonly credentials: SigningCredentials;
  /** @default now */
  readonly signingDate?: Date;
}

/** SHA-256 (or HMAC-SHA-256 with a secret) in the shape the signer wants. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | Uint8Array | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | Uint8Array | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBuffer(data: string | Uint8Array | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** The request's headers with the signature added (`authorization`, `x-amz-date`, a session's `x-amz-security-token`). */
export async function signedHeaders(request: RequestToSign, scope: SigningScope): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: scope.service, region: scope.region, credentials: scope.credentials, sha256: Sha256 });
  const signed = await signer.sign({ ...request, query: request.query ?? {} }, scope.signingDate ? { signingDate: scope.signingDate } : {});
  return signed.headers;
}
