import * as z from 'zod';
import { IsoTimeSchema, PlanNameSchema, RegionSchema } from './common.js';
import { S3ObjectSchema } from './store.js';

/**
 * Input of `summarize-results`: reads the results a Distributed Map wrote to S3 (its
 * `ResultWriter` manifest and result files), writes the consolidated list to `store`, and returns
 * only counts, so that the parent execution's payloads stay small whatever the run's size.
 *
 * `kind` says what the child executions returned: `backup-batches` (each `{batch, verified}`),
 * `launch-wave` (each `{wave, readyAt, readyCount, skipped, instances}`).
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 */
export const SummarizeResultsInputSchema = z.strictObject({
  kind: z.enum(['backup-batches', 'launch-wave'], { error: 'one of "backup-batches", "launch-wave"' }),
  planName: PlanNameSchema,
  region: RegionSchema,
  /** The Map state's `ResultWriterDetails`: the manifest's bucket and key. */
  manifest: z.strictObject({ bucket: z.string().min(3), key: z.string().min(1) }),
  /** Where to write the consolidated list (verified recovery points, or launched instances). */
  store: S3ObjectSchema,
});
/** Input of `summarize-results`. */
export type SummarizeResultsInput = z.infer<typeof SummarizeResultsInputSchema>;

const common = {
  /** Child executions that succeeded and failed, by the manifest's result files. */
  succeededCount: z.number().int().min(0),
  failedCount: z.number().int().min(0),
  /** The consolidated list in S3. */
  records: S3ObjectSchema,
  recordCount: z.number().int().min(0),
};

/** Output of `summarize-results`. */
export const SummarizeResultsOutputSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('backup-batches'),
    ...common,
    /** Recovery points verified by the run (the records are `{workload, instanceId, imageId}`). */
    verifiedCount: z.number().int().min(0),
  }),
  z.strictObject({
    kind: z.literal('launch-wave'),
    ...common,
    /** The latest `readyAt` of the wave's launch batches; null when the wave had none. */
    readyAt: IsoTimeSchema.nullable(),
    readyCount: z.number().int().min(0),
    skippedCount: z.number().int().min(0),
    /** The first skipped instances (`<workload>/<sourceInstanceId>`), at most 50; all are in the records. */
    skipped: z.array(z.string()).max(50),
    /**
     * How many workloads have a ready instance in this wave; which ones is in the records (each
     * instance names its workload), where `record-metrics` reads them for the achieved RTO per workload.
     */
    workloadCount: z.number().int().min(0),
  }),
]);
/** Output of `summarize-results`. */
export type SummarizeResultsOutput = z.infer<typeof SummarizeResultsOutputSchema>;
