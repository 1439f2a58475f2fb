/**
 * The sandbox's S3: buckets and objects over S3's REST-XML protocol, on the sandbox's one
 * loopback endpoint. A request is S3's when its SigV4 credential scope names the service `s3`.
 *
 * Operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, PutObject,
 * GetObject (with `Range`), HeadObject, DeleteObject, DeleteObjects, ListObjectsV2 and
 * ListObjects (V1). Server-side encryption headers (`x-amz-server-side-encryption`,
 * `…-aws-kms-key-id`, `…-bucket-key-enabled`, `…-context`) are stored and returned.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html
 */
import { createHash } from 'node:crypto';
import type { AdminRegistry } from '../admin.js';
import type { Clock } from '../clock.js';
import type { SeededRandom } from '../random.js';
import type { FrontEndProblem, SandboxService, ServiceRequest, ServiceResponse } from '../service.js';
import type { Store } from '../store.js';
import { badDigest, bucketPostNotMultipart, invalidArgument, malformedPostRequest, methodNotAllowed, notImplemented, S3Error } from './errors.js';
import { S3Model, type Encryption, type S3Object } from './model.js';
import {
  decodeAwsChunked, document, el, escapeXml, isoTime, parseDeleteRequest, parseLocationConstraint, resolveRange, target, urlEncode,
} from './rest.js';

export { S3Error } from './errors.js';
export { S3Model, isValidBucketName, type Bucket, type Encryption, type ListPage, type S3Object } from './model.js';

/** Options of {@link createS3Service}. */
export interface S3ServiceOptions {
  readonly clock: Clock;
  readonly random: SeededRandom;
  readonly accountId: string;
  /** Buckets and objects persist here (collections `s3/buckets`, `s3/objects`). */
  readonly store: Store;
  /** Where documents it cannot read are reported. */
  readonly log?: (message: string) => void;
}

/** The S3 service: the HTTP side, and the model for in-process callers. */
export interface S3Sandbox {
  readonly service: SandboxService;
  /** Buckets and objects, for in-process callers (e.g. Step Functions' ItemReader/ResultWriter). */
  readonly model: S3Model;
  /** Forgets every bucket and object, on disk too. */
  reset(): void;
  /** Admin actions: `state` (every bucket with its keys and sizes). */
  admin(action: string, body: Record<string, unknown>): unknown;
}

/** Subresources (query parameters without a value) the sandbox does not implement. */
const UNSUPPORTED_SUBRESOURCES = [
  'acl', 'policy', 'cors', 'lifecycle', 'versioning', 'versions', 'tagging', 'uploads', 'uploadId', 'website', 'logging',
  'notification', 'replication', 'encryption', 'object-lock', 'retention', 'legal-hold', 'attributes', 'restore', 'select',
  'accelerate', 'analytics', 'inventory', 'metrics', 'ownershipControls', 'publicAccessBlock', 'requestPayment', 'torrent',
  'intelligent-tiering', 'policyStatus', 'partNumber',
];

/**
 * Creates the S3 service and reads what the store holds.
 *
 * @example
 * const s3 = createS3Service({ clock, random, accountId, store });
 * server.mount(s3.service);
 */
export function createS3Service(options: S3ServiceOptions): S3Sandbox {
  const { clock, accountId } = options;
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const model = new S3Model(options.store, clock, accountId);
  model.load(log);
  const hostIds = options.random.fork('s3-host-ids');

  const service: SandboxService = {
    matches: (req) => req.signingService === 's3',
    async handle(req: ServiceRequest): Promise<ServiceResponse> {
      const query = new URLSearchParams(req.query ?? '');
      const t = target(req.path, req.headers['host']);
      try {
        return withIds(route(req, query, t), hostIds.hex(16).toUpperCase());
      } catch (err) {
        if (!(err instanceof S3Error)) throw err;
        return errorResponse(req, t, err);
      }
    },
    /** A request the server refused before reading it, worded as S3 words it (EntityTooLarge, AccessDenied, …). */
    reject(req: ServiceRequest, problem: FrontEndProblem): ServiceResponse {
      const err = problem.kind === 'too-large' ? new S3Error('EntityTooLarge', `Your proposed upload exceeds the maximum allowed size (${problem.message})`, 400)
        : problem.kind === 'forbidden' ? new S3Error('AccessDenied', `Access Denied (${problem.message})`, 403)
        : new S3Error('InvalidRequest', problem.message, 400);
      return errorResponse(req, target(req.path, req.headers['host']), err);
    },
  };

  /** S3's REST error document for `err` (no body for HEAD, whose status alone names the error). */
  function errorResponse(req: ServiceRequest, t: { bucket?: string; key?: string }, err: S3Error): ServiceResponse {
    const requestId = hostIds.hex(16).toUpperCase();
    if (req.method === 'HEAD') return withIds({ status: err.status, headers: { 'x-amz-error-code': err.code }, body: '' }, requestId);
    const resource = t.bucket === undefined ? '/' : `/${t.bucket}${t.key !== undefined ? `/${t.key}` : ''}`;
    const inner = `<Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message>` +
      Object.entries(err.details).map(([k, v]) => el(k, v)).join('') +
      (err.details.Resource === undefined && err.status === 404 ? el('Resource', resource) : '') +
      `<RequestId>${requestId}</RequestId><HostId>${hostId(requestId)}</HostId>`;
    return withIds({ status: err.status, headers: { 'Content-Type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${inner}</Error>` }, requestId);
  }

  function route(req: ServiceRequest, query: URLSearchParams, t: { bucket?: string; key?: string }): ServiceResponse {
    const method = req.method.toUpperCase();
    const unsupported = UNSUPPORTED_SUBRESOURCES.find((s) => query.has(s));
    if (unsupported) throw notImplemented(`the '${unsupported}' subresource (${method})`);
    if (t.bucket === undefined) {
      if (method === 'GET') return listBuckets(req);
      throw methodNotAllowed(method, 'SERVICE');
    }
    const bucket = t.bucket;
    if (t.key === undefined) {
      switch (method) {
        case 'PUT': return createBucket(req, bucket);
        case 'HEAD': return headBucket(bucket);
        case 'DELETE': model.deleteBucket(bucket); return { status: 204, body: '' };
        case 'GET':
          if (query.has('location')) return getBucketLocation(bucket);
          if (query.get('list-type') === '2') return listObjectsV2(bucket, query);
          return listObjectsV1(bucket, query);
        case 'POST':
          if (query.has('delete')) return deleteObjects(bucket, payload(req));
          return bucketPost(req);
        default: throw methodNotAllowed(method, 'BUCKET');
      }
    }
    const key = t.key;
    switch (method) {
      case 'PUT':
        if (req.headers['x-amz-copy-source'] !== undefined) throw notImplemented('CopyObject (x-amz-copy-source)');
        return putObject(req, bucket, key);
      case 'GET': return getObject(req, bucket, key, false);
      case 'HEAD': return getObject(req, bucket, key, true);
      case 'DELETE': model.deleteObject(bucket, key); return { status: 204, body: '' };
      default: throw methodNotAllowed(method, 'OBJECT');
    }
  }

  function listBuckets(req: ServiceRequest): ServiceResponse {
    const buckets = model.listBuckets()
      .map((b) => `<Bucket>${el('Name', b.name)}${el('CreationDate', isoTime(b.creationDate))}${el('BucketRegion', b.region)}</Bucket>`).join('');
    void req;
    return xml(200, document('ListAllMyBucketsResult', `<Owner>${el('ID', ownerId())}${el('DisplayName', 'sandbox')}</Owner><Buckets>${buckets}</Buckets>`));
  }

  function createBucket(req: ServiceRequest, bucket: string): ServiceResponse {
    const constraint = parseLocationConstraint(payload(req).toString('utf8'));
    // The location constraint must name the region of the endpoint; us-east-1 takes none.
    // @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
    if (constraint === undefined && req.region !== 'us-east-1') {
      throw new S3Error('IllegalLocationConstraintException', 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.', 400);
    }
    if (constraint !== undefined && (constraint === 'us-east-1' || constraint !== req.region)) {
      if (constraint === 'us-east-1') throw new S3Error('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { LocationConstraint: constraint });
      throw new S3Error('IllegalLocationConstraintException', `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`, 400);
    }
    model.createBucket(bucket, req.region);
    return { status: 200, headers: { Location: `/${bucket}` }, body: '' };
  }

  function headBucket(bucket: string): ServiceResponse {
    const b = model.bucket(bucket);
    return { status: 200, headers: { 'x-amz-bucket-region': b.region, 'x-amz-access-point-alias': 'false' }, body: '' };
  }

  function getBucketLocation(bucket: string): ServiceResponse {
    const b = model.bucket(bucket);
    // us-east-1 is reported as an empty LocationConstraint.
    const region = b.region === 'us-east-1' ? '' : escapeXml(b.region);
    return xml(200, `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${region}</LocationConstraint>`);
  }

  function maxKeysOf(query: URLSearchParams): number {
    const raw = query.get('max-keys');
    if (raw === null) return 1000;
    if (!/^\d+$/.test(raw)) throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', raw);
    return Math.min(Number(raw), 1000);
  }

  function encodingOf(query: URLSearchParams): ((s: string) => string) {
    const type = query.get('encoding-type');
    if (type === null) return (s) => s;
    if (type !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', type);
    return urlEncode;
  }

  function listObjectsV2(bucket: string, query: URLSearchParams): ServiceResponse {
    const enc = encodingOf(query);
    const prefix = query.get('prefix') ?? '';
    const delimiter = query.get('delimiter') ?? undefined;
    const maxKeys = maxKeysOf(query);
    const token = query.get('continuation-token') ?? undefined;
    const startAfter = query.get('start-after') ?? undefined;
    if (token === '') throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', '');
    const page = model.list(bucket, { prefix, delimiter, maxKeys, continuationToken: token, startAfter });
    const fetchOwner = query.get('fetch-owner') === 'true';
    const inner = el('Name', bucket) + el('Prefix', enc(prefix)) + (delimiter !== undefined ? el('Delimiter', enc(delimiter)) : '') +
      el('MaxKeys', maxKeys) + el('KeyCount', page.objects.length + page.commonPrefixes.length) + el('IsTruncated', page.isTruncated) +
      (token !== undefined ? el('ContinuationToken', token) : '') + el('NextContinuationToken', page.nextContinuationToken) +
      (startAfter !== undefined ? el('StartAfter', enc(startAfter)) : '') + (query.get('encoding-type') === 'url' ? el('EncodingType', 'url') : '') +
      contents(page.objects, enc, fetchOwner) + page.commonPrefixes.map((p) => `<CommonPrefixes>${el('Prefix', enc(p))}</CommonPrefixes>`).join('');
    return xml(200, document('ListBucketResult', inner));
  }

  function listObjectsV1(bucket: string, query: URLSearchParams): ServiceResponse {
    const enc = encodingOf(query);
    const prefix = query.get('prefix') ?? '';
    const delimiter = query.get('delimiter') ?? undefined;
    const maxKeys = maxKeysOf(query);
    const marker = query.get('marker') ?? '';
    const page = model.list(bucket, { prefix, delimiter, maxKeys, startAfter: marker });
    const inner = el('Name', bucket) + el('Prefix', enc(prefix)) + el('Marker', enc(marker)) +
      (page.isTruncated && delimiter !== undefined ? el('NextMarker', page.lastEntry !== undefined ? enc(page.lastEntry) : undefined) : '') +
      el('MaxKeys', maxKeys) + (delimiter !== undefined ? el('Delimiter', enc(delimiter)) : '') + el('IsTruncated', page.isTruncated) +
      (query.get('encoding-type') === 'url' ? el('EncodingType', 'url') : '') +
      contents(page.objects, enc, true) + page.commonPrefixes.map((p) => `<CommonPrefixes>${el('Prefix', enc(p))}</CommonPrefixes>`).join('');
    return xml(200, document('ListBucketResult', inner));
  }

  function contents(objects: { key: string; size: number; etag: string; lastModified: number }[], enc: (s: string) => string, withOwner: boolean): string {
    const owner = withOwner ? `<Owner>${el('ID', ownerId())}${el('DisplayName', 'sandbox')}</Owner>` : '';
    return objects.map((o) => `<Contents>${el('Key', enc(o.key))}${el('LastModified', isoTime(o.lastModified))}${el('ETag', o.etag)}${el('Size', o.size)}${owner}${el('StorageClass', 'STANDARD')}</Contents>`).join('');
  }

  function deleteObjects(bucket: string, body: Buffer): ServiceResponse {
    model.bucket(bucket);
    const { keys, quiet } = parseDeleteRequest(body.toString('utf8'));
    const out: string[] = [];
    for (const key of keys) {
      try {
        model.deleteObject(bucket, key);
        if (!quiet) out.push(`<Deleted>${el('Key', key)}</Deleted>`);
      } catch (err) {
        if (!(err instanceof S3Error)) throw err;
        out.push(`<Error>${el('Key', key)}${el('Code', err.code)}${el('Message', err.message)}</Error>`);
      }
    }
    return xml(200, document('DeleteResult', out.join('')));
  }

  function putObject(req: ServiceRequest, bucket: string, key: string): ServiceResponse {
    model.bucket(bucket);
    const body = payload(req);
    const md5 = req.headers['content-md5'];
    if (md5 !== undefined && createHash('md5').update(body).digest('base64') !== md5) throw badDigest();
    const h = req.headers;
    const metadata: Record<string, string> = {};
    for (const [name, value] of Object.entries(h)) if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = value;
    const algorithm = h['x-amz-server-side-encryption'];
    const encryption: Partial<Encryption> = {
      ...(algorithm !== undefined ? { algorithm: algorithm as Encryption['algorithm'] } : {}),
      ...(h['x-amz-server-side-encryption-aws-kms-key-id'] !== undefined ? { kmsKeyId: h['x-amz-server-side-encryption-aws-kms-key-id'] } : {}),
      ...(h['x-amz-server-side-encryption-bucket-key-enabled'] !== undefined ? { bucketKeyEnabled: h['x-amz-server-side-encryption-bucket-key-enabled'] === 'true' } : {}),
      ...(h['x-amz-server-side-encryption-context'] !== undefined ? { context: h['x-amz-server-side-encryption-context'] } : {}),
    };
    // `aws-chunked` is a transfer detail, not the object's Content-Encoding.
    const contentEncoding = (h['content-encoding'] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== 'aws-chunked').join(', ');
    const obj = model.putObject(bucket, key, body, {
      contentType: h['content-type'],
      encryption,
      metadata,
      ...(contentEncoding !== '' ? { contentEncoding } : {}),
      ...(h['content-disposition'] !== undefined ? { contentDisposition: h['content-disposition'] } : {}),
      ...(h['cache-control'] !== undefined ? { cacheControl: h['cache-control'] } : {}),
    });
    return { status: 200, headers: { ETag: obj.etag, ...encryptionHeaders(obj) }, body: '' };
  }

  function getObject(req: ServiceRequest, bucket: string, key: string, head: boolean): ServiceResponse {
    const obj = model.getObject(bucket, key);
    const size = obj.body.length;
    const range = resolveRange(req.headers['range'], size);
    if (range === 'unsatisfiable') {
      if (head) throw new S3Error('InvalidRange', 'The requested range is not satisfiable', 416);
      throw new S3Error('InvalidRange', 'The requested range is not satisfiable', 416, { RangeRequested: req.headers['range']!, ActualObjectSize: String(size) });
    }
    const headers: Record<string, string> = {
      'Content-Type': obj.contentType,
      ETag: obj.etag,
      'Last-Modified': new Date(obj.lastModified).toUTCString(),
      'Accept-Ranges': 'bytes',
      ...encryptionHeaders(obj),
    };
    if (obj.contentEncoding !== undefined) headers['Content-Encoding'] = obj.contentEncoding;
    if (obj.contentDisposition !== undefined) headers['Content-Disposition'] = obj.contentDisposition;
    if (obj.cacheControl !== undefined) headers['Cache-Control'] = obj.cacheControl;
    for (const [name, value] of Object.entries(obj.metadata)) headers[`x-amz-meta-${name}`] = value;
    if (range) {
      const [start, end] = range;
      headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
      return { status: 206, headers, body: head ? Buffer.alloc(0) : obj.body.subarray(start, end + 1), ...(head ? { contentLength: end - start + 1 } : {}) };
    }
    return { status: 200, headers, body: head ? Buffer.alloc(0) : obj.body, ...(head ? { contentLength: size } : {}) };
  }

  return {
    service,
    model,
    reset: () => model.reset(),
    admin(action: string, body: Record<string, unknown>): unknown {
      if (action === 'state') {
        void body;
        return {
          buckets: model.listBuckets().map((b) => ({
            name: b.name,
            region: b.region,
            creationDate: isoTime(b.creationDate),
            objects: [...b.objects.values()].map((o) => ({ key: o.key, size: o.body.length, etag: o.etag, contentType: o.contentType, encryption: o.encryption })),
          })),
        };
      }
      throw new TypeError(`s3 admin '${action}': unknown action; expected one of state`);
    },
  };

  function ownerId(): string {
    return createHash('sha256').update(`owner:${accountId}`).digest('hex');
  }
}

/**
 * Registers the S3 service on a sandbox: `POST /_sandbox/s3.state` and the `reset` hook. Mount the
 * returned `service` on the server.
 */
export function attachS3(context: { clock: Clock; random: SeededRandom; accountId: string; store: Store; admin: AdminRegistry }, log?: (m: string) => void): S3Sandbox {
  const s3 = createS3Service({ clock: context.clock, random: context.random.fork('s3'), accountId: context.accountId, store: context.store, log });
  context.admin.registerNamespace('s3', (action, body) => s3.admin(action, body));
  context.admin.registerReset(() => s3.reset());
  return s3;
}

/** The body of a request, decoded from `aws-chunked` when it was streamed that way. */
/**
 * A bucket-level POST without `?delete` is a browser form upload (POST Object). S3 refuses a body
 * that is not `multipart/form-data` (412 PreconditionFailed), a multipart body that does not parse
 * (400 MalformedPOSTRequest) and a form without a `key` field (400 InvalidArgument); a well-formed
 * upload form is the one thing here the sandbox does not emulate (501, docs/sandbox-divergences.md).
 */
function bucketPost(req: ServiceRequest): never {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*(;|$)/i.test(type)) throw bucketPostNotMultipart();
  const boundary = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(type);
  const mark = boundary ? `--${boundary[1] ?? boundary[2]}` : undefined;
  const body = req.body.toString('latin1');
  if (mark === undefined || !body.startsWith(mark) || !body.includes(`${mark}--`)) throw malformedPostRequest();
  const fields = body.split(mark).slice(1, -1).map((part) => /^\r\nContent-Disposition:\s*form-data;\s*name="([^"]*)"/i.exec(part)?.[1]);
  if (fields.some((f) => f === undefined)) throw malformedPostRequest();
  if (!fields.some((f) => f!.toLowerCase() === 'key')) throw invalidArgument("Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", 'key', '');
  throw notImplemented('browser form uploads (POST Object)');
}

function payload(req: ServiceRequest): Buffer {
  const sha = req.headers['x-amz-content-sha256'] ?? '';
  const chunked = sha.startsWith('STREAMING-') || (req.headers['content-encoding'] ?? '').split(',').some((s) => s.trim() === 'aws-chunked');
  if (!chunked) return req.body;
  const decoded = req.headers['x-amz-decoded-content-length'];
  return decodeAwsChunked(req.body, decoded !== undefined ? Number(decoded) : undefined).data;
}

function encryptionHeaders(obj: S3Object): Record<string, string> {
  const e = obj.encryption;
  const out: Record<string, string> = { 'x-amz-server-side-encryption': e.algorithm };
  if (e.kmsKeyId !== undefined) out['x-amz-server-side-encryption-aws-kms-key-id'] = e.kmsKeyId;
  if (e.bucketKeyEnabled !== undefined) out['x-amz-server-side-encryption-bucket-key-enabled'] = String(e.bucketKeyEnabled);
  if (e.context !== undefined) out['x-amz-server-side-encryption-context'] = e.context;
  return out;
}

function xml(status: number, body: string): ServiceResponse {
  return { status, headers: { 'Content-Type': 'application/xml' }, body };
}

function hostId(requestId: string): string {
  return Buffer.from(createHash('sha256').update(requestId).digest()).toString('base64');
}

function withIds(r: ServiceResponse, requestId: string): ServiceResponse {
  return { ...r, headers: { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId(requestId), ...(r.headers ?? {}) } };
}
