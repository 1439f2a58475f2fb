/**
 * The sandbox's S3: buckets and objects over S3's REST-XML protocol, on the sandbox's one
 * loopback endpoint. A request is S3's when its SigV4 credential scope names the service `s3`.
 *
 * Operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, PutObject,
 * CopyObject, GetObject (with `Range` or `partNumber`), HeadObject, DeleteObject, DeleteObjects,
 * ListObjectsV2, ListObjects (V1), ListObjectVersions, multipart uploads (`multipart.ts`), and the
 * bucket and object subresources (`config.ts`: CORS, policy, lifecycle, tagging, versioning,
 * encryption, Block Public Access, ownership controls, ACLs, …). Server-side encryption headers
 * (`x-amz-server-side-encryption`, `…-aws-kms-key-id`, `…-bucket-key-enabled`, `…-context`) are
 * stored and returned.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html
 */
import { createHash } from 'node:crypto';
import type { AdminRegistry } from '../admin.js';
import type { Clock } from '../clock.js';
import type { SeededRandom } from '../random.js';
import type { FrontEndProblem, SandboxService, ServiceRequest, ServiceResponse } from '../service.js';
import type { Store } from '../store.js';
import {
  BUCKET_SUBRESOURCES, bucketSubresource as bucketConfig, checkAcl, checkPolicy, checkTags, ownerOnlyAcl, parseBody, parseTagSet, policyIsPublic, taggingDocument,
} from './config.js';
import { badDigest, bucketNotEmpty, bucketPostNotMultipart, invalidArgument, malformedPostRequest, malformedXml, methodNotAllowed, noSuchKey, S3Error } from './errors.js';
import { S3Model, type Bucket, type Encryption, type PutObjectOptions, type S3Object } from './model.js';
import { Multipart, parsePartNumber } from './multipart.js';
import { childText, innerXml, parseXml } from './xml.js';
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
  /** Buckets and objects persist here (collections `s3/buckets`, `s3/objects`, `s3/uploads`, `s3/parts`). */
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

/**
 * Bucket subresources, in the order they are looked for when a query names several. A
 * subresource of objects only (`attributes`, `uploadId`, …) on a bucket is not one of the
 * bucket's, and is ignored like any other unknown query parameter, and the other way round.
 */
const BUCKET_QUERIES = [
  ...Object.keys(BUCKET_SUBRESOURCES), 'policyStatus', 'policy', 'acl', 'versions', 'uploads', 'location', 'analytics', 'metrics', 'inventory', 'intelligent-tiering',
];
const OBJECT_QUERIES = ['uploadId', 'uploads', 'tagging', 'acl', 'attributes', 'retention', 'legal-hold', 'restore', 'select', 'torrent'];

/**
 * Bucket configurations kept by id (`?analytics&id=…`): their XML root and the root of their
 * listing. @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBucketAnalyticsConfigurations.html
 */
const ID_CONFIGURATIONS: Readonly<Record<string, { root: string; listRoot: string }>> = {
  analytics: { root: 'AnalyticsConfiguration', listRoot: 'ListBucketAnalyticsConfigurationResult' },
  metrics: { root: 'MetricsConfiguration', listRoot: 'ListMetricsConfigurationsResult' },
  inventory: { root: 'InventoryConfiguration', listRoot: 'ListInventoryConfigurationsResult' },
  'intelligent-tiering': { root: 'IntelligentTieringConfiguration', listRoot: 'ListBucketIntelligentTieringConfigurationsOutput' },
};

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
  const uploadIds = options.random.fork('s3-upload-ids');
  const multipart = new Multipart(options.store, model, clock, () => Buffer.from(uploadIds.hex(64), 'hex').toString('base64url'));
  multipart.load(log);

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
    if (t.bucket === undefined) {
      if (method === 'GET') return listBuckets(req);
      throw methodNotAllowed(method, 'SERVICE');
    }
    const bucket = t.bucket;
    if (t.key === undefined) {
      const sub = BUCKET_QUERIES.find((s) => query.has(s));
      if (sub !== undefined) return bucketSubresource(req, method, sub, bucket, query);
      switch (method) {
        case 'PUT': return createBucket(req, bucket);
        case 'HEAD': return headBucket(bucket);
        case 'DELETE':
          // Uploads in progress keep a bucket from being deleted, as objects do.
          if (multipart.list(bucket).length > 0) throw bucketNotEmpty(bucket);
          model.deleteBucket(bucket);
          return { status: 204, body: '' };
        case 'GET':
          if (query.get('list-type') === '2') return listObjectsV2(bucket, query);
          return listObjectsV1(bucket, query);
        case 'POST':
          if (query.has('delete')) return deleteObjects(bucket, payload(req));
          return bucketPost(req, bucket);
        default: throw methodNotAllowed(method, 'BUCKET');
      }
    }
    const key = t.key;
    const sub = OBJECT_QUERIES.find((s) => query.has(s) && !(s === 'uploads' && method !== 'POST'));
    if (sub !== undefined) return objectSubresource(req, method, sub, bucket, key, query);
    switch (method) {
      case 'PUT':
        if (req.headers['x-amz-copy-source'] !== undefined) return copyObject(req, bucket, key);
        return putObject(req, bucket, key);
      case 'GET': return getObject(req, query, bucket, key, false);
      case 'HEAD': return getObject(req, query, bucket, key, true);
      case 'DELETE': model.deleteObject(bucket, key); return { status: 204, body: '' };
      default: throw methodNotAllowed(method, 'OBJECT');
    }
  }

  /** A bucket subresource: configurations (config.ts), policy, ACL, versions, uploads, location, configurations by id. */
  function bucketSubresource(req: ServiceRequest, method: string, sub: string, bucket: string, query: URLSearchParams): ServiceResponse {
    const only = (allowed: string): void => { if (method !== allowed) throw methodNotAllowed(method, 'BUCKET'); };
    if (BUCKET_SUBRESOURCES[sub] !== undefined) return configDocument(req, method, sub, bucket);
    const b = model.bucket(bucket);
    switch (sub) {
      case 'policy': return bucketPolicy(req, method, b);
      case 'policyStatus': {
        // API_GetBucketPolicyStatus: NoSuchBucketPolicy when the bucket has no policy.
        only('GET');
        const policy = b.config.get('policy');
        if (!policy) throw noSuchBucketPolicy(bucket);
        return xml(200, document('PolicyStatus', el('IsPublic', policyIsPublic(policy))));
      }
      case 'acl':
        // API_GetBucketAcl / API_PutBucketAcl.
        if (method === 'GET') return xml(200, ownerOnlyAcl(ownerId()));
        only('PUT');
        checkAcl(b, req.headers['x-amz-acl'], payload(req).toString('utf8'), hasGrantHeaders(req));
        return { status: 200, body: '' };
      case 'versions': only('GET'); return listObjectVersions(bucket, query);
      case 'uploads': only('GET'); return listMultipartUploads(bucket, query);
      case 'location': only('GET'); return getBucketLocation(bucket);
      default: return idConfiguration(req, method, sub, b, query);
    }
  }

  function configDocument(req: ServiceRequest, method: string, sub: string, bucket: string): ServiceResponse {
    return bucketConfig(model, method, sub, bucket, method === 'PUT' ? payload(req).toString('utf8') : '');
  }

  /**
   * GetBucketPolicy (NoSuchBucketPolicy when none), PutBucketPolicy (204, MalformedPolicy for a
   * document S3 refuses) and DeleteBucketPolicy (204, also when there is none).
   * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html
   */
  function bucketPolicy(req: ServiceRequest, method: string, b: Bucket): ServiceResponse {
    switch (method) {
      case 'GET': {
        const policy = b.config.get('policy');
        if (!policy) throw noSuchBucketPolicy(b.name);
        return { status: 200, headers: { 'Content-Type': 'application/json' }, body: policy };
      }
      case 'PUT': {
        const text = payload(req).toString('utf8');
        checkPolicy(text);
        model.setConfig(b.name, 'policy', text);
        return { status: 204, body: '' };
      }
      case 'DELETE':
        model.setConfig(b.name, 'policy', undefined);
        return { status: 204, body: '' };
      default: throw methodNotAllowed(method, 'BUCKET');
    }
  }

  /**
   * Analytics, metrics, inventory and Intelligent-Tiering configurations, kept by `id`: GET without
   * an id lists them, with one answers it or NoSuchConfiguration; PUT stores, DELETE removes.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketMetricsConfiguration.html
   */
  function idConfiguration(req: ServiceRequest, method: string, sub: string, b: Bucket, query: URLSearchParams): ServiceResponse {
    const kind = ID_CONFIGURATIONS[sub]!;
    const id = query.get('id');
    const configKey = `${sub}#${id}`;
    const noSuchConfiguration = () => new S3Error('NoSuchConfiguration', 'The specified configuration does not exist.', 404);
    if (method === 'GET' && id === null) {
      const stored = [...b.config].filter(([k, v]) => k.startsWith(`${sub}#`) && typeof v === 'string').map(([, v]) => `<${kind.root}>${v}</${kind.root}>`);
      return xml(200, document(kind.listRoot, `${el('IsTruncated', false)}${stored.join('')}`));
    }
    if (id === null || id === '') throw invalidArgument('Missing required parameter: id', 'id', '');
    switch (method) {
      case 'GET': {
        const stored = b.config.get(configKey);
        if (typeof stored !== 'string') throw noSuchConfiguration();
        return xml(200, document(kind.root, stored));
      }
      case 'PUT': {
        const node = parseBody(payload(req).toString('utf8'), kind.root);
        if (childText(node, 'Id') !== id) throw invalidArgument('Configuration Id in the request body does not match the id query parameter', 'id', id);
        model.setConfig(b.name, configKey, node.children.length === 0 ? '' : innerXml(node));
        return { status: 200, body: '' };
      }
      case 'DELETE':
        if (typeof b.config.get(configKey) !== 'string') throw noSuchConfiguration();
        model.setConfig(b.name, configKey, undefined);
        return { status: 204, body: '' };
      default: throw methodNotAllowed(method, 'BUCKET');
    }
  }

  /** An object subresource: multipart upload steps, tagging, ACL, attributes, Object Lock, restore, select, torrent. */
  function objectSubresource(req: ServiceRequest, method: string, sub: string, bucket: string, key: string, query: URLSearchParams): ServiceResponse {
    const only = (allowed: string): void => { if (method !== allowed) throw methodNotAllowed(method, 'OBJECT'); };
    switch (sub) {
      case 'uploads': return createMultipartUpload(req, bucket, key);
      case 'uploadId': {
        const uploadId = query.get('uploadId')!;
        switch (method) {
          case 'PUT': return uploadPart(req, query, bucket, key, uploadId);
          case 'GET': return listParts(query, bucket, key, uploadId);
          case 'POST': return completeMultipartUpload(req, bucket, key, uploadId);
          case 'DELETE': multipart.abort(bucket, key, uploadId); return { status: 204, body: '' };
          default: throw methodNotAllowed(method, 'OBJECT');
        }
      }
      case 'tagging': return objectTagging(req, method, bucket, key);
      case 'acl':
        // API_GetObjectAcl / API_PutObjectAcl.
        model.getObject(bucket, key);
        if (method === 'GET') return xml(200, ownerOnlyAcl(ownerId()));
        only('PUT');
        checkAcl(model.bucket(bucket), req.headers['x-amz-acl'], payload(req).toString('utf8'), hasGrantHeaders(req));
        return { status: 200, body: '' };
      case 'attributes': only('GET'); return getObjectAttributes(req, bucket, key);
      case 'retention':
      case 'legal-hold': return objectLock(req, method, sub, bucket, key);
      case 'restore': {
        // API_RestoreObject: only archived objects (Glacier storage classes) can be restored.
        only('POST');
        model.getObject(bucket, key);
        const body = payload(req).toString('utf8');
        if (body.trim() !== '' && parseXml(body).name !== 'RestoreRequest') throw malformedXml();
        throw new S3Error('InvalidObjectState', "The operation is not valid for the object's storage class", 403, { StorageClass: 'STANDARD' });
      }
      case 'select':
        // API_SelectObjectContent: S3 Select is closed to accounts that have not used it (July 2024).
        throw methodNotAllowed(method, 'OBJECT');
      case 'torrent': only('GET'); return getObjectTorrent(bucket, key);
      default: throw methodNotAllowed(method, 'OBJECT');
    }
  }

  /**
   * GetObjectTagging (an empty TagSet when none), PutObjectTagging (at most 10 tags) and
   * DeleteObjectTagging (204). @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectTagging.html
   */
  function objectTagging(req: ServiceRequest, method: string, bucket: string, key: string): ServiceResponse {
    const obj = model.getObject(bucket, key);
    switch (method) {
      case 'GET': return xml(200, taggingDocument(obj.tags ?? []));
      case 'PUT': {
        const tags = parseTagSet(parseBody(payload(req).toString('utf8'), 'Tagging'), 10);
        model.updateObject(bucket, key, { tags });
        return { status: 200, body: '' };
      }
      case 'DELETE': model.updateObject(bucket, key, { tags: [] }); return { status: 204, body: '' };
      default: throw methodNotAllowed(method, 'OBJECT');
    }
  }

  /**
   * GetObjectRetention / GetObjectLegalHold and their PUTs: only in a bucket with an Object Lock
   * configuration (else InvalidRequest); an object without the setting answers NoSuchObjectLockConfiguration.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectRetention.html
   */
  function objectLock(req: ServiceRequest, method: string, sub: string, bucket: string, key: string): ServiceResponse {
    const b = model.bucket(bucket);
    const obj = model.getObject(bucket, key);
    if (typeof b.config.get('object-lock') !== 'string') throw new S3Error('InvalidRequest', 'Bucket is missing Object Lock Configuration', 400);
    const root = sub === 'retention' ? 'Retention' : 'LegalHold';
    switch (method) {
      case 'GET': {
        const stored = obj.lock?.[sub];
        if (stored === undefined) throw new S3Error('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration', 404);
        return xml(200, document(root, stored));
      }
      case 'PUT': {
        const node = parseBody(payload(req).toString('utf8'), root);
        if (sub === 'retention') {
          const mode = childText(node, 'Mode');
          const until = childText(node, 'RetainUntilDate');
          if ((mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE') || until === undefined || Number.isNaN(Date.parse(until))) throw malformedXml();
          if (Date.parse(until) <= clock.now()) throw invalidArgument('The retain until date must be in the future!', 'RetainUntilDate', until);
        } else if (childText(node, 'Status') !== 'ON' && childText(node, 'Status') !== 'OFF') throw malformedXml();
        model.updateObject(bucket, key, { lock: { ...(obj.lock ?? {}), [sub]: innerXml(node) } });
        return { status: 200, body: '' };
      }
      default: throw methodNotAllowed(method, 'OBJECT');
    }
  }

  /**
   * GetObjectAttributes: the attributes named in `x-amz-object-attributes` (ETag without quotes,
   * ObjectSize, StorageClass, ObjectParts of a multipart object, Checksum — none is kept).
   * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html
   */
  function getObjectAttributes(req: ServiceRequest, bucket: string, key: string): ServiceResponse {
    const obj = model.getObject(bucket, key);
    const wanted = (req.headers['x-amz-object-attributes'] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (wanted.length === 0) throw new S3Error('InvalidRequest', 'The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty', 400);
    const bad = wanted.find((w) => !['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'].includes(w));
    if (bad !== undefined) throw invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', bad);
    const inner = (wanted.includes('ETag') ? el('ETag', obj.etag.replace(/"/g, '')) : '') +
      (wanted.includes('ObjectParts') && obj.partSizes ? `<ObjectParts>${el('PartsCount', obj.partSizes.length)}</ObjectParts>` : '') +
      (wanted.includes('StorageClass') ? el('StorageClass', 'STANDARD') : '') +
      (wanted.includes('ObjectSize') ? el('ObjectSize', obj.body.length) : '');
    return { status: 200, headers: { 'Content-Type': 'application/xml', 'Last-Modified': new Date(obj.lastModified).toUTCString() }, body: document('GetObjectAttributesResponse', inner) };
  }

  /**
   * GetObjectTorrent: a BitTorrent file of the object (pieces of 256 KiB, SHA-1 each).
   * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectTorrent.html
   */
  function getObjectTorrent(bucket: string, key: string): ServiceResponse {
    const obj = model.getObject(bucket, key);
    const pieceLength = 256 * 1024;
    const pieces: Buffer[] = [];
    for (let at = 0; at < obj.body.length; at += pieceLength) pieces.push(createHash('sha1').update(obj.body.subarray(at, at + pieceLength)).digest());
    const str = (b: Buffer | string) => { const buf = Buffer.isBuffer(b) ? b : Buffer.from(b, 'utf8'); return Buffer.concat([Buffer.from(`${buf.length}:`), buf]); };
    const name = key.split('/').pop() ?? key;
    const info = Buffer.concat([Buffer.from('d'), str('length'), Buffer.from(`i${obj.body.length}e`), str('name'), str(name), str('piece length'), Buffer.from(`i${pieceLength}e`), str('pieces'), str(Buffer.concat(pieces)), Buffer.from('e')]);
    const torrent = Buffer.concat([Buffer.from('d'), str('announce'), str('http://s3-tracker.amazonaws.com:6969/announce'), str('info'), info, Buffer.from('e')]);
    return { status: 200, headers: { 'Content-Type': 'application/x-bittorrent', 'Content-Disposition': `attachment; filename="${name.replace(/"/g, '')}.torrent"` }, body: torrent };
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
    const ownership = req.headers['x-amz-object-ownership'];
    if (ownership !== undefined && !['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'].includes(ownership)) {
      throw invalidArgument(`x-amz-object-ownership: expected BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter, found ${ownership}`, 'x-amz-object-ownership', ownership);
    }
    const created = model.createBucket(bucket, req.region);
    if (created.config.size === 0) {
      // Object Lock at creation turns versioning on; ownership may be chosen at creation.
      if (req.headers['x-amz-bucket-object-lock-enabled']?.toLowerCase() === 'true') {
        model.setConfig(bucket, 'versioning', '<Status>Enabled</Status>');
        model.setConfig(bucket, 'object-lock', '<ObjectLockEnabled>Enabled</ObjectLockEnabled>');
      }
      if (ownership !== undefined) model.setConfig(bucket, 'ownershipControls', `<Rule><ObjectOwnership>${ownership}</ObjectOwnership></Rule>`);
    }
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

  /** What an upload's headers ask for the object: type, metadata, encryption, tags (PutObject, CreateMultipartUpload, POST forms). */
  function objectOptions(h: Readonly<Record<string, string>>, b: Bucket): Omit<PutObjectOptions, 'multipart'> {
    checkAcl(b, h['x-amz-acl'], '', hasGrantHeaders({ headers: h }));
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
    return {
      contentType: h['content-type'],
      encryption: model.resolveEncryption(b, encryption),
      metadata,
      ...(h['x-amz-tagging'] !== undefined ? { tags: parseTaggingHeader(h['x-amz-tagging']) } : {}),
      ...(contentEncoding !== '' ? { contentEncoding } : {}),
      ...(h['content-disposition'] !== undefined ? { contentDisposition: h['content-disposition'] } : {}),
      ...(h['cache-control'] !== undefined ? { cacheControl: h['cache-control'] } : {}),
    };
  }

  function putObject(req: ServiceRequest, bucket: string, key: string): ServiceResponse {
    const b = model.bucket(bucket);
    const body = payload(req);
    const md5 = req.headers['content-md5'];
    if (md5 !== undefined && createHash('md5').update(body).digest('base64') !== md5) throw badDigest();
    const obj = model.putObject(bucket, key, body, objectOptions(req.headers, b));
    return { status: 200, headers: { ETag: obj.etag, ...encryptionHeaders(obj.encryption) }, body: '' };
  }

  /**
   * CopyObject: the source's body, and its metadata and tags unless the request replaces them
   * (`x-amz-metadata-directive` / `x-amz-tagging-directive: REPLACE`). Copying an object onto itself
   * must change something. @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
   */
  function copyObject(req: ServiceRequest, bucket: string, key: string): ServiceResponse {
    const h = req.headers;
    const b = model.bucket(bucket);
    const source = copySource(h['x-amz-copy-source']!);
    const src = model.getObject(source.bucket, source.key);
    const directive = h['x-amz-metadata-directive'] ?? 'COPY';
    const tagging = h['x-amz-tagging-directive'] ?? 'COPY';
    if (directive !== 'COPY' && directive !== 'REPLACE') throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
    if (tagging !== 'COPY' && tagging !== 'REPLACE') throw invalidArgument('Unknown tagging directive.', 'x-amz-tagging-directive', tagging);
    if (source.bucket === bucket && source.key === key && directive === 'COPY' && h['x-amz-server-side-encryption'] === undefined && h['x-amz-storage-class'] === undefined) {
      throw new S3Error('InvalidRequest', "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.", 400);
    }
    const asked = objectOptions(h, b);
    const options: Omit<PutObjectOptions, 'multipart'> = directive === 'REPLACE' ? asked : {
      ...asked,
      contentType: src.contentType,
      metadata: { ...src.metadata },
      ...(src.contentEncoding !== undefined ? { contentEncoding: src.contentEncoding } : {}),
      ...(src.contentDisposition !== undefined ? { contentDisposition: src.contentDisposition } : {}),
      ...(src.cacheControl !== undefined ? { cacheControl: src.cacheControl } : {}),
    };
    const obj = model.putObject(bucket, key, src.body, { ...options, tags: tagging === 'REPLACE' ? (asked.tags ?? []) : (src.tags ?? []) });
    return xmlWith(200, { ...encryptionHeaders(obj.encryption), 'x-amz-copy-source-version-id': 'null' },
      document('CopyObjectResult', `${el('ETag', obj.etag)}${el('LastModified', isoTime(obj.lastModified))}`));
  }

  /**
   * CreateMultipartUpload. @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
   */
  function createMultipartUpload(req: ServiceRequest, bucket: string, key: string): ServiceResponse {
    const options = objectOptions(req.headers, model.bucket(bucket));
    const upload = multipart.create(bucket, key, options);
    return xmlWith(200, encryptionHeaders(options.encryption as Encryption),
      document('InitiateMultipartUploadResult', `${el('Bucket', bucket)}${el('Key', key)}${el('UploadId', upload.uploadId)}`));
  }

  /**
   * UploadPart, and UploadPartCopy when `x-amz-copy-source` names the source (optionally a byte
   * range of it). @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html
   */
  function uploadPart(req: ServiceRequest, query: URLSearchParams, bucket: string, key: string, uploadId: string): ServiceResponse {
    const upload = multipart.get(bucket, key, uploadId);
    const number = query.get('partNumber') ?? '';
    const encryption = encryptionHeaders(upload.options.encryption as Encryption);
    if (req.headers['x-amz-copy-source'] !== undefined) {
      const source = copySource(req.headers['x-amz-copy-source']);
      const src = model.getObject(source.bucket, source.key);
      const rangeHeader = req.headers['x-amz-copy-source-range'];
      let body = src.body;
      if (rangeHeader !== undefined) {
        const m = /^bytes=(\d+)-(\d+)$/.exec(rangeHeader.trim());
        if (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) >= src.body.length) {
          throw invalidArgument(`Range specified is not valid for source object of size: ${src.body.length}`, 'x-amz-copy-source-range', rangeHeader);
        }
        body = src.body.subarray(Number(m[1]), Number(m[2]) + 1);
      }
      const part = multipart.uploadPart(bucket, key, uploadId, number, body);
      return xmlWith(200, encryption, document('CopyPartResult', `${el('ETag', part.etag)}${el('LastModified', isoTime(part.lastModified))}`));
    }
    const body = payload(req);
    const md5 = req.headers['content-md5'];
    if (md5 !== undefined && createHash('md5').update(body).digest('base64') !== md5) throw badDigest();
    const part = multipart.uploadPart(bucket, key, uploadId, number, body);
    return { status: 200, headers: { ETag: part.etag, ...encryption }, body: '' };
  }

  /** CompleteMultipartUpload. @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html */
  function completeMultipartUpload(req: ServiceRequest, bucket: string, key: string, uploadId: string): ServiceResponse {
    const obj = multipart.complete(bucket, key, uploadId, payload(req).toString('utf8'));
    const location = `http://${req.headers['host'] ?? '127.0.0.1'}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
    return xmlWith(200, encryptionHeaders(obj.encryption),
      document('CompleteMultipartUploadResult', `${el('Location', location)}${el('Bucket', bucket)}${el('Key', key)}${el('ETag', obj.etag)}`));
  }

  /** ListParts (`max-parts` up to 1,000, `part-number-marker`). @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html */
  function listParts(query: URLSearchParams, bucket: string, key: string, uploadId: string): ServiceResponse {
    const upload = multipart.get(bucket, key, uploadId);
    const maxParts = intParam(query, 'max-parts', 1000);
    const marker = intParam(query, 'part-number-marker', 0);
    const all = [...upload.parts.values()].filter((p) => p.partNumber > marker).sort((a, b) => a.partNumber - b.partNumber);
    const page = all.slice(0, maxParts);
    const truncated = all.length > page.length;
    const owner = `${el('ID', ownerId())}${el('DisplayName', 'sandbox')}`;
    const inner = el('Bucket', bucket) + el('Key', key) + el('UploadId', uploadId) + el('PartNumberMarker', marker) +
      (page.length > 0 ? el('NextPartNumberMarker', page[page.length - 1]!.partNumber) : '') + el('MaxParts', maxParts) + el('IsTruncated', truncated) +
      page.map((p) => `<Part>${el('PartNumber', p.partNumber)}${el('LastModified', isoTime(p.lastModified))}${el('ETag', p.etag)}${el('Size', p.size)}</Part>`).join('') +
      `<Initiator>${owner}</Initiator><Owner>${owner}</Owner>${el('StorageClass', 'STANDARD')}`;
    return xml(200, document('ListPartsResult', inner));
  }

  /**
   * ListMultipartUploads: uploads in progress by key then initiation, after `key-marker` /
   * `upload-id-marker`, filtered by `prefix`, rolled up by `delimiter`, at most `max-uploads`.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html
   */
  function listMultipartUploads(bucket: string, query: URLSearchParams): ServiceResponse {
    const prefix = query.get('prefix') ?? '';
    const delimiter = query.get('delimiter') || undefined;
    const keyMarker = query.get('key-marker') ?? '';
    const uploadIdMarker = query.get('upload-id-marker') ?? '';
    const maxUploads = intParam(query, 'max-uploads', 1000);
    const after = (u: { key: string; uploadId: string }) => keyMarker === '' || u.key > keyMarker || (uploadIdMarker !== '' && u.key === keyMarker && u.uploadId > uploadIdMarker);
    const entries: string[] = [];
    const prefixes: string[] = [];
    let truncated = false;
    let last: { key: string; uploadId: string } | undefined;
    for (const u of multipart.list(bucket)) {
      if (!u.key.startsWith(prefix) || !after(u)) continue;
      const at = delimiter !== undefined ? u.key.indexOf(delimiter, prefix.length) : -1;
      const cp = at >= 0 ? u.key.slice(0, at + delimiter!.length) : undefined;
      if (cp !== undefined && prefixes.includes(cp)) continue;
      if (entries.length + prefixes.length >= maxUploads) { truncated = true; break; }
      if (cp !== undefined) prefixes.push(cp);
      else {
        const owner = `${el('ID', ownerId())}${el('DisplayName', 'sandbox')}`;
        entries.push(`<Upload>${el('Key', u.key)}${el('UploadId', u.uploadId)}<Initiator>${owner}</Initiator><Owner>${owner}</Owner>${el('StorageClass', 'STANDARD')}${el('Initiated', isoTime(u.initiated))}</Upload>`);
      }
      last = u;
    }
    const inner = el('Bucket', bucket) + el('KeyMarker', keyMarker) + el('UploadIdMarker', uploadIdMarker) +
      (truncated && last ? el('NextKeyMarker', last.key) + el('NextUploadIdMarker', last.uploadId) : '') +
      (prefix !== '' ? el('Prefix', prefix) : '') + (delimiter !== undefined ? el('Delimiter', delimiter) : '') +
      el('MaxUploads', maxUploads) + el('IsTruncated', truncated) + entries.join('') + prefixes.map((p) => `<CommonPrefixes>${el('Prefix', p)}</CommonPrefixes>`).join('');
    return xml(200, document('ListMultipartUploadsResult', inner));
  }

  /**
   * POST Object (a browser form upload): the `file` field under `key` (`${filename}` replaced by
   * the file's name), with the form's `Content-Type`, `x-amz-meta-*`, encryption and `tagging`
   * fields; answers as `success_action_status` asks (204 by default, 201 with a PostResponse).
   * The form's policy and signature are not checked (docs/sandbox-divergences.md).
   * @see https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
   */
  function bucketPost(req: ServiceRequest, bucket: string): ServiceResponse {
    const fields = parseForm(req);
    const b = model.bucket(bucket);
    const file = fields.find((f) => f.name === 'file');
    if (!file) throw invalidArgument('POST requires exactly one file upload per request.', 'file', '0');
    const text = (name: string) => fields.find((f) => f.name.toLowerCase() === name)?.value.toString('utf8');
    const key = text('key')!.replace('${filename}', file.filename ?? '');
    const headers: Record<string, string> = {};
    for (const f of fields) {
      const name = f.name.toLowerCase();
      if (name.startsWith('x-amz-meta-') || name.startsWith('x-amz-server-side-encryption') || ['content-type', 'cache-control', 'content-disposition', 'content-encoding', 'acl'].includes(name)) {
        headers[name === 'acl' ? 'x-amz-acl' : name] = f.value.toString('utf8');
      }
    }
    headers['content-type'] ??= file.contentType ?? 'binary/octet-stream';
    const options = objectOptions(headers, b);
    const tagging = text('tagging');
    const tags = tagging !== undefined ? parseTagSet(parseBody(tagging, 'Tagging'), 10) : undefined;
    const obj = model.putObject(bucket, key, file.value, { ...options, ...(tags ? { tags } : {}) });
    const location = `http://${req.headers['host'] ?? '127.0.0.1'}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
    const out = { ETag: obj.etag, Location: location, ...encryptionHeaders(obj.encryption) };
    const status = text('success_action_status');
    if (status === '201') {
      return xmlWith(201, out, `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse>${el('Location', location)}${el('Bucket', bucket)}${el('Key', key)}${el('ETag', obj.etag)}</PostResponse>`);
    }
    return { status: status === '200' ? 200 : 204, headers: out, body: '' };
  }

  /**
   * ListObjectVersions: without versioning every object is its one version, `null`, the latest.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
   */
  function listObjectVersions(bucket: string, query: URLSearchParams): ServiceResponse {
    const enc = encodingOf(query);
    const prefix = query.get('prefix') ?? '';
    const delimiter = query.get('delimiter') ?? undefined;
    const maxKeys = maxKeysOf(query);
    const keyMarker = query.get('key-marker') ?? '';
    const page = model.list(bucket, { prefix, delimiter, maxKeys, startAfter: keyMarker });
    const owner = `<Owner>${el('ID', ownerId())}${el('DisplayName', 'sandbox')}</Owner>`;
    const inner = el('Name', bucket) + el('Prefix', enc(prefix)) + el('KeyMarker', enc(keyMarker)) + el('VersionIdMarker', query.get('version-id-marker') ?? '') +
      (page.isTruncated && page.lastEntry !== undefined ? el('NextKeyMarker', enc(page.lastEntry)) + el('NextVersionIdMarker', 'null') : '') +
      el('MaxKeys', maxKeys) + (delimiter !== undefined ? el('Delimiter', enc(delimiter)) : '') + el('IsTruncated', page.isTruncated) +
      (query.get('encoding-type') === 'url' ? el('EncodingType', 'url') : '') +
      page.objects.map((o) => `<Version>${el('Key', enc(o.key))}${el('VersionId', 'null')}${el('IsLatest', true)}${el('LastModified', isoTime(o.lastModified))}${el('ETag', o.etag)}${el('Size', o.size)}${owner}${el('StorageClass', 'STANDARD')}</Version>`).join('') +
      page.commonPrefixes.map((p) => `<CommonPrefixes>${el('Prefix', enc(p))}</CommonPrefixes>`).join('');
    return xml(200, document('ListVersionsResult', inner));
  }

  function getObject(req: ServiceRequest, query: URLSearchParams, bucket: string, key: string, head: boolean): ServiceResponse {
    const obj = model.getObject(bucket, key);
    const size = obj.body.length;
    const partNumber = query.get('partNumber');
    if (partNumber !== null) return getObjectPart(req, obj, partNumber, head);
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
      ...encryptionHeaders(obj.encryption),
    };
    if (obj.tags !== undefined && obj.tags.length > 0) headers['x-amz-tagging-count'] = String(obj.tags.length);
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

  /**
   * GetObject/HeadObject with `partNumber`: that part of a multipart object (206, `Content-Range`,
   * `x-amz-mp-parts-count`); an object uploaded in one piece has one part. A part beyond the last
   * is InvalidPartNumber (416). @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
   */
  function getObjectPart(req: ServiceRequest, obj: S3Object, partNumberText: string, head: boolean): ServiceResponse {
    const n = parsePartNumber(partNumberText);
    if (req.headers['range'] !== undefined) throw new S3Error('InvalidRequest', 'Cannot specify both Range header and partNumber query parameter', 400);
    const sizes = obj.partSizes ?? [obj.body.length];
    if (n > sizes.length) throw new S3Error('InvalidPartNumber', 'The requested partnumber is not satisfiable', 416, { PartNumberRequested: String(n), ActualPartCount: String(sizes.length) });
    const start = sizes.slice(0, n - 1).reduce((a, b) => a + b, 0);
    const length = sizes[n - 1]!;
    const headers: Record<string, string> = {
      'Content-Type': obj.contentType, ETag: obj.etag, 'Last-Modified': new Date(obj.lastModified).toUTCString(), 'Accept-Ranges': 'bytes',
      'x-amz-mp-parts-count': String(sizes.length), ...encryptionHeaders(obj.encryption),
    };
    for (const [name, value] of Object.entries(obj.metadata)) headers[`x-amz-meta-${name}`] = value;
    if (length > 0) headers['Content-Range'] = `bytes ${start}-${start + length - 1}/${obj.body.length}`;
    const body = obj.body.subarray(start, start + length);
    return { status: obj.partSizes ? 206 : 200, headers, body: head ? Buffer.alloc(0) : body, ...(head ? { contentLength: length } : {}) };
  }

  return {
    service,
    model,
    reset: () => { model.reset(); multipart.reset(); },
    admin(action: string, body: Record<string, unknown>): unknown {
      if (action === 'state') {
        void body;
        return {
          buckets: model.listBuckets().map((b) => ({
            name: b.name,
            region: b.region,
            creationDate: isoTime(b.creationDate),
            objects: [...b.objects.values()].map((o) => ({ key: o.key, size: o.body.length, etag: o.etag, contentType: o.contentType, encryption: o.encryption })),
            uploads: multipart.list(b.name).map((u) => ({ key: u.key, uploadId: u.uploadId, parts: u.parts.size })),
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

/** One field of a `multipart/form-data` body: its name, file name if any, Content-Type, and value. */
interface FormField {
  readonly name: string;
  readonly filename?: string;
  readonly contentType?: string;
  readonly value: Buffer;
}

/**
 * The fields of a bucket-level POST (a browser form upload). S3 refuses a body that is not
 * `multipart/form-data` (412 PreconditionFailed), a multipart body that does not parse (400
 * MalformedPOSTRequest) and a form without a `key` field (400 InvalidArgument).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
 */
function parseForm(req: ServiceRequest): FormField[] {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*(;|$)/i.test(type)) throw bucketPostNotMultipart();
  const boundary = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(type);
  if (!boundary) throw malformedPostRequest();
  const mark = Buffer.from(`--${boundary[1] ?? boundary[2]}`, 'latin1');
  const body = req.body;
  if (body.indexOf(mark) !== 0) throw malformedPostRequest();
  const fields: FormField[] = [];
  let at = mark.length;
  for (;;) {
    if (body.toString('latin1', at, at + 2) === '--') break;
    if (body.toString('latin1', at, at + 2) !== '\r\n') throw malformedPostRequest();
    const headEnd = body.indexOf('\r\n\r\n', at + 2, 'latin1');
    if (headEnd < 0) throw malformedPostRequest();
    const head = body.toString('utf8', at + 2, headEnd);
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n', 'latin1'), mark]), headEnd + 4);
    if (next < 0) throw malformedPostRequest();
    const disposition = /^Content-Disposition:\s*form-data;\s*name="([^"]*)"(?:;\s*filename="([^"]*)")?/im.exec(head);
    if (!disposition) throw malformedPostRequest();
    const contentType = /^Content-Type:\s*(.+)$/im.exec(head)?.[1]?.trim();
    fields.push({ name: disposition[1]!, ...(disposition[2] !== undefined ? { filename: disposition[2] } : {}), ...(contentType ? { contentType } : {}), value: body.subarray(headEnd + 4, next) });
    at = next + 2 + mark.length;
  }
  if (!fields.some((f) => f.name.toLowerCase() === 'key')) {
    throw invalidArgument("Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", 'key', '');
  }
  return fields;
}

function payload(req: ServiceRequest): Buffer {
  const sha = req.headers['x-amz-content-sha256'] ?? '';
  const chunked = sha.startsWith('STREAMING-') || (req.headers['content-encoding'] ?? '').split(',').some((s) => s.trim() === 'aws-chunked');
  if (!chunked) return req.body;
  const decoded = req.headers['x-amz-decoded-content-length'];
  return decodeAwsChunked(req.body, decoded !== undefined ? Number(decoded) : undefined).data;
}

function encryptionHeaders(e: Encryption): Record<string, string> {
  const out: Record<string, string> = { 'x-amz-server-side-encryption': e.algorithm };
  if (e.kmsKeyId !== undefined) out['x-amz-server-side-encryption-aws-kms-key-id'] = e.kmsKeyId;
  if (e.bucketKeyEnabled !== undefined) out['x-amz-server-side-encryption-bucket-key-enabled'] = String(e.bucketKeyEnabled);
  if (e.context !== undefined) out['x-amz-server-side-encryption-context'] = e.context;
  return out;
}

function xml(status: number, body: string): ServiceResponse {
  return { status, headers: { 'Content-Type': 'application/xml' }, body };
}

function xmlWith(status: number, headers: Record<string, string>, body: string): ServiceResponse {
  return { status, headers: { ...headers, 'Content-Type': 'application/xml' }, body };
}

/** 404 NoSuchBucketPolicy. @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html */
function noSuchBucketPolicy(bucket: string): S3Error {
  return new S3Error('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { BucketName: bucket });
}

/** True when the request grants permissions through `x-amz-grant-*` headers. */
function hasGrantHeaders(req: { headers: Readonly<Record<string, string>> }): boolean {
  return Object.keys(req.headers).some((h) => h.startsWith('x-amz-grant-'));
}

/** A non-negative integer query parameter (`max-parts`, `part-number-marker`, `max-uploads`), at most 1,000 for a maximum. */
function intParam(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (!/^\d{1,10}$/.test(raw)) throw invalidArgument(`Provided ${name} not an integer or within integer range`, name, raw);
  return name.startsWith('max-') ? Math.min(Number(raw), 1000) : Number(raw);
}

/**
 * `x-amz-copy-source`: `[/]bucket/key[?versionId=…]`, URL-encoded. Only the current version
 * (`null`) exists. @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
 */
function copySource(header: string): { bucket: string; key: string } {
  const [path, version] = header.split('?versionId=');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path!.replace(/^\//, ''));
  } catch {
    decoded = '';
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source', header);
  const bucket = decoded.slice(0, slash);
  const key = decoded.slice(slash + 1);
  if (version !== undefined && version !== 'null') {
    throw new S3Error('NoSuchVersion', 'The specified version does not exist.', 404, { Key: key, VersionId: version });
  }
  return { bucket, key };
}

/**
 * `x-amz-tagging`: URL query form (`a=1&b=2`), at most 10 tags, checked as PutObjectTagging checks them.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 */
function parseTaggingHeader(header: string): Array<[string, string]> {
  const bad = () => invalidArgument('The header \'x-amz-tagging\' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.', 'x-amz-tagging', header);
  const tags: Array<[string, string]> = [];
  for (const pair of header.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    try {
      const k = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
      const v = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
      tags.push([k, v]);
    } catch {
      throw bad();
    }
  }
  if (new Set(tags.map(([k]) => k)).size !== tags.length) throw bad();
  checkTags(tags, 10);
  return tags;
}

function hostId(requestId: string): string {
  return Buffer.from(createHash('sha256').update(requestId).digest()).toString('base64');
}

function withIds(r: ServiceResponse, requestId: string): ServiceResponse {
  return { ...r, headers: { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId(requestId), ...(r.headers ?? {}) } };
}
