/**
 * The buckets and objects of the sandbox's S3, with the rules S3 applies to them (bucket names,
 * key length, listing order and pagination). No HTTP here: `rest.ts` speaks the protocol, and
 * in-process callers (the Step Functions engine's ItemReader/ResultWriter) use this directly.
 */
import { createHash } from 'node:crypto';
import type { Store } from '../store.js';
import {
  bucketAlreadyOwnedByYou, bucketNotEmpty, invalidArgument, invalidBucketName, keyTooLong, noSuchBucket, noSuchKey,
} from './errors.js';

/** How an object is encrypted at rest, as S3 reports it in `x-amz-server-side-encryption*`. */
export interface Encryption {
  /** `AES256` (SSE-S3, S3's default since January 2023) or `aws:kms` / `aws:kms:dsse`. */
  readonly algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
  /** The KMS key (ARN, id or alias as given; S3's AWS managed key when none was given). */
  readonly kmsKeyId?: string;
  readonly bucketKeyEnabled?: boolean;
  /** `x-amz-server-side-encryption-context`, base64 JSON, as given. */
  readonly context?: string;
}

/** One stored object (no versioning: one version per key). */
export interface S3Object {
  readonly key: string;
  readonly body: Buffer;
  /** Quoted hex MD5 of the body, as S3 sends it. */
  readonly etag: string;
  readonly contentType: string;
  readonly lastModified: number;
  readonly encryption: Encryption;
  /** `x-amz-meta-*` headers, names lower-case without the prefix. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly contentEncoding?: string;
  readonly contentDisposition?: string;
  readonly cacheControl?: string;
  /** Object tags (`x-amz-tagging`, PutObjectTagging), in the order given. */
  readonly tags?: ReadonlyArray<readonly [string, string]>;
  /** Sizes of the parts of an object made by a multipart upload (its ETag is `"<md5 of md5s>-N"`). */
  readonly partSizes?: readonly number[];
  /** Object Lock settings put on the object (`retention`, `legal-hold`), as stored XML. */
  readonly lock?: Readonly<Record<string, string>>;
}

/** One bucket. */
export interface Bucket {
  readonly name: string;
  readonly region: string;
  readonly creationDate: number;
  readonly objects: Map<string, S3Object>;
  /**
   * Bucket subresources put on the bucket (`cors`, `policy`, `tagging`, …): the stored document
   * (inner XML, or the policy's JSON), or `null` where one with a default was deleted (S3 then
   * answers its not-found error). Absent: the bucket has S3's default for it.
   */
  readonly config: Map<string, string | null>;
  /** Keys in S3's order (UTF-8 byte order), rebuilt lazily after a change. */
  sorted?: string[];
}

/** One entry of a listing. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: number;
}

/** A page of ListObjectsV2. */
export interface ListPage {
  readonly objects: ListedObject[];
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  readonly nextContinuationToken?: string;
  /** Last key or prefix on the page (ListObjects V1 `NextMarker` with a delimiter). */
  readonly lastEntry?: string;
}

/** Options of {@link S3Model.list}. */
export interface ListOptions {
  readonly prefix?: string;
  readonly delimiter?: string;
  /** @default 1000 (S3's maximum page) */
  readonly maxKeys?: number;
  readonly continuationToken?: string;
  /** List keys after this one (V2 `start-after`, V1 `marker`). */
  readonly startAfter?: string;
}

const BUCKETS = 's3/buckets';
const OBJECTS = 's3/objects';
const MAX_KEY_BYTES = 1024;

/** The rules of general purpose bucket names. @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html */
export function isValidBucketName(name: string): boolean {
  if (name.length < 3 || name.length > 63) return false;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return false;
  if (name.includes('..') || name.includes('.-') || name.includes('-.')) return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return false;
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name) && !name.startsWith('amzn-s3-demo-')) return false;
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3)$/.test(name)) return false;
  return true;
}

function compareUtf8(a: string, b: string): number {
  // S3 lists keys in UTF-8 binary order; for keys without surrogate pairs this is code unit order.
  return a < b ? -1 : a > b ? 1 : 0;
}

function md5Etag(body: Buffer): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

interface StoredObject {
  readonly bucket: string;
  readonly key: string;
  readonly body: string; // base64
  readonly etag: string;
  readonly contentType: string;
  readonly lastModified: number;
  readonly encryption: Encryption;
  readonly metadata: Record<string, string>;
  readonly contentEncoding?: string;
  readonly contentDisposition?: string;
  readonly cacheControl?: string;
  readonly tags?: Array<[string, string]>;
  readonly partSizes?: number[];
  readonly lock?: Record<string, string>;
}

interface StoredBucket {
  readonly name: string;
  readonly region: string;
  readonly creationDate: number;
  readonly config?: Record<string, string | null>;
}

/** Options of {@link S3Model.putObject}. */
export interface PutObjectOptions {
  contentType?: string;
  encryption?: Partial<Encryption>;
  metadata?: Record<string, string>;
  contentEncoding?: string;
  contentDisposition?: string;
  cacheControl?: string;
  tags?: ReadonlyArray<readonly [string, string]>;
  /** A multipart upload's part sizes and ETag (else the ETag is the body's MD5). */
  multipart?: { partSizes: number[]; etag: string };
}

/**
 * Every bucket of the account. Buckets are global (one namespace), each with the region it was
 * created in. With a persistent store, each bucket and each object is its own document, written
 * when it changes (so a write costs what the object costs, whatever the size of the bucket).
 */
export class S3Model {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly store: Store, private readonly clock: { now(): number }, private readonly accountId: string) {}

  /** Reads every bucket and object the store holds. */
  load(log: (m: string) => void): void {
    for (const { value } of this.store.list<StoredBucket>(BUCKETS)) {
      if (value && typeof value.name === 'string') {
        this.buckets.set(value.name, { name: value.name, region: value.region, creationDate: value.creationDate, objects: new Map(), config: new Map(Object.entries(value.config ?? {})) });
      }
    }
    for (const { key, value } of this.store.list<StoredObject>(OBJECTS)) {
      const b = value && this.buckets.get(value.bucket);
      if (!b || typeof value.body !== 'string') {
        log(`sandbox: s3: object document ${JSON.stringify(key)} names no known bucket or has no body; skipped`);
        continue;
      }
      b.objects.set(value.key, { ...value, body: Buffer.from(value.body, 'base64') });
    }
  }

  /** Forgets every bucket, in memory and on disk. */
  reset(): void {
    this.buckets.clear();
    this.store.clear(BUCKETS);
    this.store.clear(OBJECTS);
  }

  /** Every bucket, by name. */
  listBuckets(): Bucket[] {
    return [...this.buckets.values()].sort((a, b) => compareUtf8(a.name, b.name));
  }

  /** A bucket, or NoSuchBucket (InvalidBucketName for a name S3 could never hold). */
  bucket(name: string): Bucket {
    const b = this.buckets.get(name);
    if (b) return b;
    throw noSuchBucket(name);
  }

  /**
   * CreateBucket. Re-creating one's own bucket answers 200 in us-east-1 and BucketAlreadyOwnedByYou
   * elsewhere. @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
   */
  createBucket(name: string, region: string): Bucket {
    if (!isValidBucketName(name)) throw invalidBucketName(name);
    const existing = this.buckets.get(name);
    if (existing) {
      if (region === 'us-east-1' && existing.region === 'us-east-1') return existing;
      throw bucketAlreadyOwnedByYou(name);
    }
    const b: Bucket = { name, region, creationDate: this.clock.now(), objects: new Map(), config: new Map() };
    this.buckets.set(name, b);
    this.saveBucket(b);
    return b;
  }

  /**
   * Sets (a string), removes to S3's not-found state (`null`) or restores S3's default
   * (`undefined`) one subresource of a bucket, and writes the bucket document.
   */
  setConfig(bucket: string, name: string, value: string | null | undefined): void {
    const b = this.bucket(bucket);
    if (value === undefined) b.config.delete(name);
    else b.config.set(name, value);
    this.saveBucket(b);
  }

  private saveBucket(b: Bucket): void {
    this.store.write(BUCKETS, b.name, { name: b.name, region: b.region, creationDate: b.creationDate, config: Object.fromEntries(b.config) } satisfies StoredBucket);
  }

  /** Replaces an object's tags or Object Lock settings (the body and ETag stay). */
  updateObject(bucket: string, key: string, patch: { tags?: ReadonlyArray<readonly [string, string]>; lock?: Record<string, string> }): S3Object {
    const obj = this.getObject(bucket, key);
    const next: S3Object = { ...obj, ...patch };
    this.bucket(bucket).objects.set(key, next);
    this.writeObject(bucket, next);
    return next;
  }

  private writeObject(bucket: string, obj: S3Object): void {
    const { tags, partSizes, lock, ...rest } = obj;
    this.store.write(OBJECTS, `${bucket}/${obj.key}`, {
      ...rest, bucket, body: obj.body.toString('base64'),
      ...(tags !== undefined ? { tags: tags.map(([k, v]) => [k, v] as [string, string]) } : {}),
      ...(partSizes !== undefined ? { partSizes: [...partSizes] } : {}),
      ...(lock !== undefined ? { lock: { ...lock } } : {}),
    } satisfies StoredObject);
  }

  /** DeleteBucket: only an empty bucket. */
  deleteBucket(name: string): void {
    const b = this.bucket(name);
    if (b.objects.size > 0) throw bucketNotEmpty(name);
    this.buckets.delete(name);
    this.store.delete(BUCKETS, name);
  }

  /** PutObject: replaces any object under the key. */
  putObject(bucket: string, key: string, body: Buffer, o: PutObjectOptions = {}): S3Object {
    const b = this.bucket(bucket);
    checkKey(key);
    const obj: S3Object = {
      key,
      body,
      etag: o.multipart?.etag ?? md5Etag(body),
      contentType: o.contentType ?? 'binary/octet-stream',
      lastModified: this.clock.now(),
      encryption: this.resolveEncryption(b, o.encryption),
      metadata: o.metadata ?? {},
      ...(o.contentEncoding !== undefined ? { contentEncoding: o.contentEncoding } : {}),
      ...(o.contentDisposition !== undefined ? { contentDisposition: o.contentDisposition } : {}),
      ...(o.cacheControl !== undefined ? { cacheControl: o.cacheControl } : {}),
      ...(o.tags !== undefined && o.tags.length > 0 ? { tags: o.tags } : {}),
      ...(o.multipart !== undefined ? { partSizes: o.multipart.partSizes } : {}),
    };
    if (!b.objects.has(key)) b.sorted = undefined;
    b.objects.set(key, obj);
    this.writeObject(bucket, obj);
    return obj;
  }

  /** GetObject/HeadObject: the object, or NoSuchKey. */
  getObject(bucket: string, key: string): S3Object {
    const obj = this.bucket(bucket).objects.get(key);
    if (!obj) throw noSuchKey(key);
    return obj;
  }

  /** DeleteObject: succeeds whether or not the key exists (no versioning). */
  deleteObject(bucket: string, key: string): void {
    const b = this.bucket(bucket);
    if (b.objects.delete(key)) {
      b.sorted = undefined;
      this.store.delete(OBJECTS, `${bucket}/${key}`);
    }
  }

  /**
   * ListObjectsV2 (and V1): keys in UTF-8 order after `startAfter`/the continuation token, those
   * sharing `prefix` up to the next `delimiter` rolled into one common prefix, at most `maxKeys`
   * entries (keys plus common prefixes). @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
   */
  list(bucket: string, o: ListOptions = {}): ListPage {
    const b = this.bucket(bucket);
    const prefix = o.prefix ?? '';
    const delimiter = o.delimiter || undefined;
    const maxKeys = o.maxKeys ?? 1000;
    let after = o.startAfter ?? '';
    const resumed = o.continuationToken !== undefined;
    if (resumed) after = decodeToken(o.continuationToken!);
    b.sorted ??= [...b.objects.keys()].sort(compareUtf8);
    const keys = b.sorted;
    // Binary search for the first key after `after` (and at or after the prefix).
    const from = after > prefix ? after : prefix;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    const objects: ListedObject[] = [];
    const commonPrefixes: string[] = [];
    let count = 0;
    let last: string | undefined;
    let truncated = false;
    for (let i = lo; i < keys.length; i++) {
      const key = keys[i]!;
      if (!key.startsWith(prefix)) break;
      if (key <= after) continue;
      if (delimiter !== undefined) {
        const at = key.indexOf(delimiter, prefix.length);
        if (at >= 0) {
          const cp = key.slice(0, at + delimiter.length);
          if (cp === last) continue;
          if (resumed && after === cp) continue; // the previous page ended with this common prefix
          if (count >= maxKeys) { truncated = true; break; }
          commonPrefixes.push(cp);
          count++;
          last = cp;
          continue;
        }
      }
      if (count >= maxKeys) { truncated = true; break; }
      const obj = b.objects.get(key)!;
      objects.push({ key, size: obj.body.length, etag: obj.etag, lastModified: obj.lastModified });
      count++;
      last = key;
    }
    const resumeAfter = last;
    return {
      objects,
      commonPrefixes,
      isTruncated: truncated,
      ...(truncated && resumeAfter !== undefined ? { nextContinuationToken: encodeToken(resumeAfter) } : {}),
      ...(last !== undefined ? { lastEntry: last } : {}),
    };
  }

  /**
   * The encryption an object written to `b` gets: what the request asked for (checked as S3 checks
   * it), else the bucket's default encryption.
   */
  resolveEncryption(b: Bucket, given: Partial<Encryption> | undefined): Encryption {
    // Without an x-amz-server-side-encryption header the bucket's default encryption applies.
    const e = given?.algorithm ? given : { ...bucketDefaultEncryption(b), ...given };
    if (!e?.algorithm || e.algorithm === 'AES256') {
      if (e?.kmsKeyId !== undefined) throw invalidArgument('Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id', e.kmsKeyId);
      return { algorithm: 'AES256' };
    }
    if (e.algorithm !== 'aws:kms' && e.algorithm !== 'aws:kms:dsse') {
      throw invalidArgument(`The encryption method specified is not supported`, 'x-amz-server-side-encryption', String(e.algorithm));
    }
    return {
      algorithm: e.algorithm,
      // Without a key id S3 uses the account's AWS managed key for S3 (alias aws/s3).
      kmsKeyId: e.kmsKeyId ?? `arn:aws:kms:${b.region}:${this.accountId}:alias/aws/s3`,
      ...(e.bucketKeyEnabled !== undefined ? { bucketKeyEnabled: e.bucketKeyEnabled } : {}),
      ...(e.context !== undefined ? { context: e.context } : {}),
    };
  }
}

/**
 * The bucket's default encryption (PutBucketEncryption), SSE-S3 when none was put.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html
 */
export function bucketDefaultEncryption(b: Bucket): Partial<Encryption> {
  const stored = b.config.get('encryption');
  if (!stored) return { algorithm: 'AES256' };
  const algorithm = /<SSEAlgorithm>([^<]*)<\/SSEAlgorithm>/.exec(stored)?.[1] as Encryption['algorithm'] | undefined;
  const kmsKeyId = /<KMSMasterKeyID>([^<]*)<\/KMSMasterKeyID>/.exec(stored)?.[1];
  const bucketKey = /<BucketKeyEnabled>([^<]*)<\/BucketKeyEnabled>/.exec(stored)?.[1];
  return {
    algorithm: algorithm ?? 'AES256',
    ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
    ...(bucketKey === 'true' && algorithm !== 'AES256' ? { bucketKeyEnabled: true } : {}),
  };
}

function checkKey(key: string): void {
  if (key.length === 0) throw invalidArgument('Object key must not be empty', 'key', '');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw keyTooLong();
}

/** Continuation tokens are opaque to clients: the last key of the page, base64url. */
function encodeToken(lastKey: string): string {
  return Buffer.from(`v1:${lastKey}`, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith('v1:')) throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  return text.slice(3);
}
