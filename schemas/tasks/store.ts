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

/**
 * The key of a distributed plan's workload table: `plans/<plan>/<SHA-256 of the body>.json` in
 * the run bucket (the sandbox), or the CDK file asset's key (`<asset hash>.json`) on AWS
 * (docs/decisions/0021).
 */
export const PlanObjectKeySchema = z
  .string({ error: 'an object key ending in ".json"' })
  .regex(/^[^\s]+\.json$/, { error: 'an object key ending in ".json", such as "plans/shop/<64 hex digits>.json"' })
  .max(1024, { error: 'an object key of at most 1,024 characters' });

/**
 * Static input fields a deployment wrote to the run bucket because they are too large for a
 * definition's Task Arguments (a distributed plan's workload table, docs/decisions/0021): a JSON
 * object whose fields join the task's `input` before it is validated. The key and `sha256` name
 * the exact bytes of the definition's table, so a redeploy that writes a new table never changes
 * what a running execution reads.
 */
export const StoredInputSchema = z.strictObject({
  /** The run bucket (the sandbox) or the CDK assets bucket (AWS). */
  bucket: BucketNameSchema,
  key: PlanObjectKeySchema,
  /** SHA-256 of the object's body, lowercase hex; the task checks it after reading. */
  sha256: z.string({ error: 'a SHA-256 (64 lowercase hex digits)' }).regex(/^[0-9a-f]{64}$/, { error: 'a SHA-256 (64 lowercase hex digits)' }),
  /** The region of the run bucket (the region the state machine runs in). */
  region: z.string({ error: 'an AWS region such as "us-west-2"' }).regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'an AWS region such as "us-west-2"' }),
});
/** Static input fields stored in the run bucket. */
export type StoredInput = z.infer<typeof StoredInputSchema>;
