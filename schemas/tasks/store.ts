import * as z from 'zod';

/**
 * Where a distributed run keeps what is too large to travel in a state's input or output (the
 * item lists of its Distributed Maps, their results, the consolidated lists): the run bucket in
 * the region the run works in, under `runs/<state machine>/<execution>/`.
 *
 * @see docs/decisions/0004-distributed-map-for-large-runs.md
 */

/**
 * An S3 bucket name (3–63 characters: lowercase letters, digits, dots and hyphens).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export const BucketNameSchema = z
  .string({ error: 'an S3 bucket name such as "lifeboat-shop-runs-us-west-2"' })
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'an S3 bucket name such as "lifeboat-shop-runs-us-west-2"' });

/** An object key under the runs prefix (`runs/…`), at most 1,024 bytes. */
export const RunKeySchema = z
  .string({ error: 'an object key under "runs/"' })
  .regex(/^runs\/[^\s]+$/, { error: 'an object key under "runs/" such as "runs/lifeboat-shop-backup/run-1/batches.json"' })
  .max(1024, { error: 'an object key of at most 1,024 characters' });

/** One S3 object. */
export const S3ObjectSchema = z.strictObject({ bucket: BucketNameSchema, key: RunKeySchema });
/** One S3 object. */
export type S3Object = z.infer<typeof S3ObjectSchema>;

/** Where a task writes the item lists of a distributed run: a bucket and a key prefix (no trailing slash). */
export const ItemStoreSchema = z.strictObject({ bucket: BucketNameSchema, prefix: RunKeySchema });
/** Where a task writes the item lists of a distributed run. */
export type ItemStore = z.infer<typeof ItemStoreSchema>;
