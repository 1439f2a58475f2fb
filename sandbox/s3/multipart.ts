/**
 * Multipart uploads: CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
 * AbortMultipartUpload, ListParts and ListMultipartUploads, with S3's rules on part numbers,
 * part order and part sizes. Uploads in progress persist as the rest of S3's state does: one
 * document per upload under `s3/uploads` and one per part under `s3/parts` (body base64).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html (limits)
 */
import { createHash } from 'node:crypto';
import type { Store } from '../store.js';
import { invalidArgument, malformedXml, S3Error } from './errors.js';
import type { PutObjectOptions, S3Model, S3Object } from './model.js';
import { childrenNamed, childText, parseXml } from './xml.js';

const UPLOADS = 's3/uploads';
const PARTS = 's3/parts';
/** Every part but the last must be at least 5 MiB. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
/** Part numbers run from 1 to 10,000. */
export const MAX_PART_NUMBER = 10_000;

/** One uploaded part. */
export interface Part {
  readonly partNumber: number;
  readonly etag: string;
  readonly size: number;
  readonly lastModified: number;
  readonly body: Buffer;
}

/** One multipart upload in progress, with what CreateMultipartUpload asked for the object. */
export interface Upload {
  readonly uploadId: string;
  readonly bucket: string;
  readonly key: string;
  readonly initiated: number;
  readonly options: Omit<PutObjectOptions, 'multipart'>;
  readonly parts: Map<number, Part>;
}

interface StoredUpload {
  readonly uploadId: string;
  readonly bucket: string;
  readonly key: string;
  readonly initiated: number;
  readonly options: Omit<PutObjectOptions, 'multipart'>;
}

interface StoredPart {
  readonly uploadId: string;
  readonly partNumber: number;
  readonly etag: string;
  readonly lastModified: number;
  readonly body: string; // base64
}

/** 404 NoSuchUpload. @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList */
export const noSuchUpload = (uploadId: string): S3Error =>
  new S3Error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', 404, { UploadId: uploadId });

/** The uploads of every bucket. */
export class Multipart {
  private readonly uploads = new Map<string, Upload>();

  constructor(private readonly store: Store, private readonly model: S3Model, private readonly clock: { now(): number }, private readonly newId: () => string) {}

  /** Reads the uploads and parts the store holds (those of a bucket that no longer exists are dropped). */
  load(log: (m: string) => void): void {
    for (const { value } of this.store.list<StoredUpload>(UPLOADS)) {
      if (!value || typeof value.uploadId !== 'string') continue;
      this.uploads.set(value.uploadId, { ...value, parts: new Map() });
    }
    for (const { key, value } of this.store.list<StoredPart>(PARTS)) {
      const upload = value && this.uploads.get(value.uploadId);
      if (!upload || typeof value.body !== 'string') {
        log(`sandbox: s3: part document ${JSON.stringify(key)} names no upload in progress or has no body; skipped`);
        continue;
      }
      const body = Buffer.from(value.body, 'base64');
      upload.parts.set(value.partNumber, { partNumber: value.partNumber, etag: value.etag, size: body.length, lastModified: value.lastModified, body });
    }
  }

  reset(): void {
    this.uploads.clear();
    this.store.clear(UPLOADS);
    this.store.clear(PARTS);
  }

  /** CreateMultipartUpload. */
  create(bucket: string, key: string, options: Omit<PutObjectOptions, 'multipart'>): Upload {
    this.model.bucket(bucket);
    if (key.length === 0) throw invalidArgument('Object key must not be empty', 'key', '');
    if (Buffer.byteLength(key, 'utf8') > 1024) throw new S3Error('KeyTooLongError', 'Your key is too long', 400);
    const upload: Upload = { uploadId: this.newId(), bucket, key, initiated: this.clock.now(), options, parts: new Map() };
    this.uploads.set(upload.uploadId, upload);
    this.store.write(UPLOADS, upload.uploadId, { uploadId: upload.uploadId, bucket, key, initiated: upload.initiated, options } satisfies StoredUpload);
    return upload;
  }

  /** The upload `uploadId` of `bucket`/`key`, or NoSuchUpload. */
  get(bucket: string, key: string, uploadId: string): Upload {
    this.model.bucket(bucket);
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.bucket !== bucket || upload.key !== key) throw noSuchUpload(uploadId);
    return upload;
  }

  /** UploadPart (and UploadPartCopy): stores the part, replacing one with the same number. */
  uploadPart(bucket: string, key: string, uploadId: string, partNumberText: string, body: Buffer): Part {
    const partNumber = parsePartNumber(partNumberText);
    const upload = this.get(bucket, key, uploadId);
    const part: Part = { partNumber, etag: `"${createHash('md5').update(body).digest('hex')}"`, size: body.length, lastModified: this.clock.now(), body };
    upload.parts.set(partNumber, part);
    this.store.write(PARTS, `${uploadId}/${partNumber}`, { uploadId, partNumber, etag: part.etag, lastModified: part.lastModified, body: body.toString('base64') } satisfies StoredPart);
    return part;
  }

  /**
   * CompleteMultipartUpload: the listed parts, in ascending part number order, each named by its
   * ETag, every one but the last at least 5 MiB, become the object. Its ETag is the MD5 of the
   * parts' binary MD5s, a dash and the number of parts.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
   */
  complete(bucket: string, key: string, uploadId: string, body: string): S3Object {
    const upload = this.get(bucket, key, uploadId);
    const root = parseXml(body);
    if (root.name !== 'CompleteMultipartUpload') throw malformedXml();
    const listed = childrenNamed(root, 'Part').map((p) => ({ number: childText(p, 'PartNumber'), etag: childText(p, 'ETag') }));
    if (listed.length === 0) throw malformedXml();
    const parts: Part[] = [];
    let previous = 0;
    for (const l of listed) {
      if (l.number === undefined || !/^\d{1,5}$/.test(l.number) || l.etag === undefined) throw malformedXml();
      const n = Number(l.number);
      if (n <= previous) throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', 400, { UploadId: uploadId });
      previous = n;
      const part = upload.parts.get(n);
      if (!part || part.etag.replace(/"/g, '') !== l.etag.replace(/"|&quot;/g, '').trim()) {
        throw new S3Error('InvalidPart', "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", 400, {
          UploadId: uploadId, PartNumber: String(n), ETag: l.etag,
        });
      }
      parts.push(part);
    }
    parts.slice(0, -1).forEach((p) => {
      if (p.size < MIN_PART_BYTES) {
        throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', 400, {
          ProposedSize: String(p.size), MinSizeAllowed: String(MIN_PART_BYTES), PartNumber: String(p.partNumber), ETag: p.etag,
        });
      }
    });
    const md5s = Buffer.concat(parts.map((p) => Buffer.from(p.etag.replace(/"/g, ''), 'hex')));
    const etag = `"${createHash('md5').update(md5s).digest('hex')}-${parts.length}"`;
    const obj = this.model.putObject(bucket, key, Buffer.concat(parts.map((p) => p.body)), { ...upload.options, multipart: { partSizes: parts.map((p) => p.size), etag } });
    this.forget(upload);
    return obj;
  }

  /** AbortMultipartUpload: the upload and its parts are gone. */
  abort(bucket: string, key: string, uploadId: string): void {
    this.forget(this.get(bucket, key, uploadId));
  }

  /** Uploads in progress in a bucket, by key then initiation time (ListMultipartUploads). */
  list(bucket: string): Upload[] {
    this.model.bucket(bucket);
    return [...this.uploads.values()].filter((u) => u.bucket === bucket)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.initiated - b.initiated || (a.uploadId < b.uploadId ? -1 : 1)));
  }

  private forget(upload: Upload): void {
    this.uploads.delete(upload.uploadId);
    for (const n of upload.parts.keys()) this.store.delete(PARTS, `${upload.uploadId}/${n}`);
    this.store.delete(UPLOADS, upload.uploadId);
  }
}

/** A `partNumber` query value: an integer from 1 to 10,000, else InvalidArgument. */
export function parsePartNumber(text: string): number {
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_PART_NUMBER)) throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', text);
  return n;
}
