import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { clientOptions } from './clients/cache.js';
import { awsErrorFacts } from './ec2-errors.js';
import { InvalidInputError, NotFoundError, ThrottledError, TransientError } from './errors.js';

// Only the tasks that use the run bucket import this module, so only their bundles carry the S3 client.
/*
 * The run bucket: JSON objects a distributed run reads and writes (item lists, Map results,
 * consolidated lists). Clients come from the SDK's standard configuration, like EC2's
 * (`AWS_ENDPOINT_URL` on the sandbox), with one attempt per call (docs/decisions/0001).
 */

const clients = new Map<string, S3Client>();

/** The S3 client for `region`, created on first use and cached for the Lambda's lifetime. */
export function s3Client(region: string): S3Client {
  let client = clients.get(region);
  if (!client) {
    client = new S3Client(clientOptions(region));
    clients.set(region, client);
  }
  return client;
}

/** Drops the cached clients (the sandbox binding calls this after pointing the SDK elsewhere). */
export function resetS3Clients(): void {
  for (const client of clients.values()) client.destroy();
  clients.clear();
}

/**
 * Writes `value` as a JSON object, encrypted at rest with the bucket's default encryption.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 */
export async function putJson(s3: S3Client, bucket: string, key: string, value: unknown): Promise<void> {
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(value), ContentType: 'application/json' }));
  } catch (error) {
    throw s3Error(error, `write s3://${bucket}/${key}`);
  }
}

/** Reads an object's body as UTF-8 text. A missing object or bucket is `Lifeboat.NotFound`. */
export async function getText(s3: S3Client, bucket: string, key: string): Promise<string> {
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await res.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    throw s3Error(error, `read s3://${bucket}/${key}`);
  }
}

/** Reads a JSON object. A missing object or bucket is `Lifeboat.NotFound`; bad JSON is `Lifeboat.InvalidInput`. */
export async function getJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  const text = await getText(s3, bucket, key);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`read s3://${bucket}/${key}: expected a JSON document, found ${JSON.stringify(text.slice(0, 60))}…`, { cause: error });
  }
}

/** S3's error codes mapped to the Lifeboat names the workflows retry or catch on. */
function s3Error(error: unknown, what: string): Error {
  const { code, httpStatus } = awsErrorFacts(error);
  const message = `${what}: ${code}${error instanceof Error && error.message && error.message !== code ? ` (${error.message})` : ''}`;
  if (code === 'NoSuchKey' || code === 'NoSuchBucket' || code === 'NotFound') return new NotFoundError(message, { cause: error });
  if (code === 'SlowDown' || code === 'Throttling' || code === 'ThrottlingException') return new ThrottledError(message, { cause: error });
  if (code === 'AccessDenied' || code === 'InvalidBucketName' || code === 'KMS.DisabledException') {
    return new InvalidInputError(
      `${message}; expected the run bucket to exist and the task's role to read and write it (s3:GetObject, s3:PutObject, and its KMS key if it has one): check the deployed stack's run bucket and role`,
      { cause: error },
    );
  }
  if (httpStatus === undefined || httpStatus >= 500) return new TransientError(message, { cause: error });
  return new InvalidInputError(message, { cause: error });
}
