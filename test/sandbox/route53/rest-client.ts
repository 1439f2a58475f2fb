/**
 * A minimal Route 53 REST-XML client for tests: SigV4-signed requests (service `route53`, region
 * us-east-1, as every SDK signs this global service) sent with `fetch`, and a tiny reader for the
 * XML answers, to check the wire byte for byte (element order, namespace, error documents). The
 * SDK, AWS CLI and boto3 suites beside it exercise the real clients.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html
 */
import { createHash, createHmac } from 'node:crypto';

const ACCESS_KEY = 'AKIDTEST';
const SECRET_KEY = 'test-secret';

/** A parsed answer: status, headers, raw body. */
export interface RestAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256 = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');

/** Sends one signed Route 53 request; `path` may carry a query string. */
export async function route53Request(endpoint: string, method: string, path: string, body = ''): Promise<RestAnswer> {
  const url = new URL(path, endpoint);
  const now = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const date = now.slice(0, 8);
  const payloadHash = sha256(body);
  const headers: Record<string, string> = { host: url.host, 'x-amz-date': now, 'x-amz-content-sha256': payloadHash };
  if (body !== '') headers['content-type'] = 'application/xml';
  const signed = Object.keys(headers).sort();
  const query = [...url.searchParams.entries()].map(([k, v]) => `${enc(k)}=${enc(v)}`).sort().join('&');
  const canonicalRequest = [method, url.pathname, query, signed.map((h) => `${h}:${headers[h]}`).join('\n') + '\n', signed.join(';'), payloadHash].join('\n');
  const scope = `${date}/us-east-1/route53/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', now, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${SECRET_KEY}`, date), 'us-east-1'), 'route53'), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  delete headers.host;
  const res = await fetch(url, { method, headers, ...(body !== '' ? { body } : {}) });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

function enc(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Every text of the elements named `name` (in document order). */
export function texts(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => unescape(m[1]!));
}

/** The first text of the element named `name`. */
export function text(xml: string, name: string): string | undefined {
  return texts(xml, name)[0];
}

/** Every `<name>…</name>` block (inner XML). */
export function blocks(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1]!);
}

function unescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** A `ChangeResourceRecordSetsRequest` body from changes written as XML fragments. */
export function changeBatch(...changes: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeBatch><Changes>${changes.join('')}</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`;
}

/** One `<Change>` of a simple record. */
export function simple(action: string, name: string, type: string, ttl: number, ...values: string[]): string {
  return `<Change><Action>${action}</Action><ResourceRecordSet><Name>${name}</Name><Type>${type}</Type><TTL>${ttl}</TTL><ResourceRecords>${values.map((v) => `<ResourceRecord><Value>${v}</Value></ResourceRecord>`).join('')}</ResourceRecords></ResourceRecordSet></Change>`;
}

/** One `<Change>` with the record set's inner XML as given. */
export function change(action: string, recordSetXml: string): string {
  return `<Change><Action>${action}</Action><ResourceRecordSet>${recordSetXml}</ResourceRecordSet></Change>`;
}

/** A `CreateHostedZoneRequest` body. */
export function createZoneBody(name: string, callerReference: string, comment?: string): string {
  return `<CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Name>${name}</Name><CallerReference>${callerReference}</CallerReference>${comment !== undefined ? `<HostedZoneConfig><Comment>${comment}</Comment></HostedZoneConfig>` : ''}</CreateHostedZoneRequest>`;
}
