/**
 * S3's REST-XML protocol: where the bucket and key are in a request (path style, or virtual-host
 * style on `<bucket>.localhost`), the `aws-chunked` payload encoding of streaming uploads, and the
 * XML documents S3 answers with.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
 */
import { incompleteBody, malformedXml } from './errors.js';
import { unescapeXmlText } from './xml.js';

/** The S3 XML namespace of every response document. */
export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Bucket and key addressed by a request; both absent for the service (ListBuckets). */
export interface Target {
  readonly bucket?: string;
  readonly key?: string;
}

/**
 * The bucket and key of a request. Virtual-host style when the Host is `<bucket>.localhost[:port]`
 * (the server refuses other host names), else path style (`/<bucket>/<key>`), which is what the SDK with
 * an IP endpoint (or `forcePathStyle`), the AWS CLI and boto3 with `--endpoint-url
 * http://127.0.0.1:PORT` send.
 */
export function target(path: string, host: string | undefined): Target {
  const hostname = (host ?? '').replace(/:\d+$/, '').toLowerCase();
  const vhost = /^(.+)\.localhost$/.exec(hostname);
  const segments = path.startsWith('/') ? path.slice(1) : path;
  if (vhost) {
    return { bucket: vhost[1]!, ...(segments !== '' ? { key: decodePath(segments) } : {}) };
  }
  if (segments === '') return {};
  const slash = segments.indexOf('/');
  if (slash < 0) return { bucket: decodePath(segments) };
  const key = segments.slice(slash + 1);
  return { bucket: decodePath(segments.slice(0, slash)), ...(key !== '' ? { key: decodePath(key) } : {}) };
}

function decodePath(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Decodes an `aws-chunked` body: `<hex size>[;chunk-signature=…]\r\n<data>\r\n` repeated, a
 * zero-size chunk, then optional trailer headers (`x-amz-checksum-crc32:…`) and a blank line.
 * Used for `x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD`,
 * `STREAMING-UNSIGNED-PAYLOAD-TRAILER` and `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`.
 *
 * @throws S3Error IncompleteBody when the framing is broken or the decoded length differs from
 *   `x-amz-decoded-content-length`.
 */
export function decodeAwsChunked(body: Buffer, decodedLength: number | undefined): { data: Buffer; trailers: Record<string, string> } {
  const parts: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let at = 0;
  let total = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at, 'latin1');
    if (eol < 0) throw incompleteBody('The aws-chunked body ends inside a chunk header.');
    const header = body.toString('latin1', at, eol);
    const size = parseInt(header.split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size) || size < 0) throw incompleteBody(`The aws-chunked body has a malformed chunk header ${JSON.stringify(header.slice(0, 80))}.`);
    at = eol + 2;
    if (size === 0) break;
    if (at + size > body.length) throw incompleteBody('The aws-chunked body ends inside a chunk.');
    parts.push(body.subarray(at, at + size));
    total += size;
    at += size;
    if (body.toString('latin1', at, at + 2) !== '\r\n') throw incompleteBody('An aws-chunked chunk is not followed by CRLF.');
    at += 2;
  }
  // Trailer lines until a blank line (or the end).
  while (at < body.length) {
    const eol = body.indexOf('\r\n', at, 'latin1');
    const line = body.toString('latin1', at, eol < 0 ? body.length : eol);
    at = eol < 0 ? body.length : eol + 2;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (decodedLength !== undefined && decodedLength !== total) {
    throw incompleteBody(`x-amz-decoded-content-length is ${decodedLength} but the chunks hold ${total} bytes.`);
  }
  return { data: Buffer.concat(parts, total), trailers };
}

/** Escapes text for XML content. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** `<name>text</name>`, nothing when `value` is undefined. */
export function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** An XML response document with the S3 namespace on its root. */
export function document(root: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_XMLNS}">${inner}</${root}>`;
}

/** S3's ISO-8601 timestamps, with milliseconds (`2009-10-12T17:50:30.000Z`). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** The body of DeleteObjects: `<Delete><Object><Key>…</Key></Object>…<Quiet>true</Quiet></Delete>`. */
export function parseDeleteRequest(xml: string): { keys: string[]; quiet: boolean } {
  const root = /<Delete\b[^>]*>([\s\S]*)<\/Delete>/.exec(xml);
  if (!root) throw malformedXml();
  const keys: string[] = [];
  for (const m of root[1]!.matchAll(/<Object>([\s\S]*?)<\/Object>/g)) {
    const k = /<Key>([\s\S]*?)<\/Key>/.exec(m[1]!);
    if (!k) throw malformedXml();
    keys.push(unescapeXmlText(k[1]!));
  }
  if (keys.length === 0 || keys.length > 1000) throw malformedXml();
  return { keys, quiet: /<Quiet>\s*true\s*<\/Quiet>/i.test(root[1]!) };
}

/** `LocationConstraint` of a CreateBucket body, if any. */
export function parseLocationConstraint(xml: string): string | undefined {
  if (xml.trim() === '') return undefined;
  if (!/<CreateBucketConfiguration\b/.test(xml)) throw malformedXml();
  const m = /<LocationConstraint>([\s\S]*?)<\/LocationConstraint>/.exec(xml);
  return m ? unescapeXmlText(m[1]!.trim()) : undefined;
}

/** Percent-encodes a value for `encoding-type=url` listings (slashes kept, as S3 does). */
export function urlEncode(s: string): string {
  return encodeURIComponent(s).replace(/%2F/g, '/').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * A `Range: bytes=…` header resolved against a size: `[start, end]` inclusive, `undefined` for a
 * header S3 ignores (not `bytes=`, several ranges), or `'unsatisfiable'`.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-14.1.2
 */
export function resolveRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || (m[2] !== '' && Number(m[2]) < start)) return 'unsatisfiable';
  return [start, end];
}
