import type { SummarizeResultsInput, SummarizeResultsOutput } from '../../schemas/tasks/summarize-results.js';
import type { TaskContext } from '../_shared/define-task.js';
import { InvalidInputError } from '../_shared/errors.js';
import { getJson, putJson, s3Client } from '../_shared/s3.js';

/** The `ResultWriter` manifest, as Step Functions writes it beside the result files. */
interface Manifest {
  readonly DestinationBucket?: string;
  readonly ResultFiles?: Partial<Record<'SUCCEEDED' | 'FAILED' | 'PENDING', ReadonlyArray<{ Key?: string }>>>;
}

/** How many skipped instances a wave's summary names (all of them are in the records). */
const SKIPPED_SHOWN = 50;

/**
 * `summarize-results`: reads what a Distributed Map's child executions returned (the manifest its
 * `ResultWriter` wrote, then every result file it lists), writes the consolidated list to `store`
 * and returns counts only: the parent's payload does not grow with the run.
 *
 * A result file holds child outputs (`Transformation: COMPACT`) or, for failed children, the
 * execution records AWS writes unchanged (`{ExecutionArn, Status, Output: "<json>", …}`); both
 * are read.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 */
export async function summarizeResults(input: SummarizeResultsInput, context: TaskContext): Promise<SummarizeResultsOutput> {
  const s3 = s3Client(input.region);
  const manifest = (await getJson(s3, input.manifest.bucket, input.manifest.key)) as Manifest;
  if (typeof manifest !== 'object' || manifest === null || typeof manifest.ResultFiles !== 'object') {
    throw new InvalidInputError(
      `task 'summarize-results' › s3://${input.manifest.bucket}/${input.manifest.key}: expected a Map Run manifest with "ResultFiles", found ${JSON.stringify(manifest)?.slice(0, 60)}; ` +
        `point input.manifest at the manifest.json the Distributed Map's ResultWriter wrote`,
    );
  }
  const bucket = manifest.DestinationBucket ?? input.manifest.bucket;
  const read = async (status: 'SUCCEEDED' | 'FAILED' | 'PENDING'): Promise<unknown[]> => {
    const out: unknown[] = [];
    for (const file of manifest.ResultFiles?.[status] ?? []) {
      if (!file.Key) continue;
      const body = await getJson(s3, bucket, file.Key);
      if (!Array.isArray(body)) {
        throw new InvalidInputError(
          `task 'summarize-results' › s3://${bucket}/${file.Key} (${status} results): expected a JSON array of results, found ${JSON.stringify(body)?.slice(0, 60)}; ` +
            `check that the manifest's ResultFiles list only the ResultWriter's result files`,
        );
      }
      out.push(...body);
    }
    return out;
  };
  const succeeded = (await read('SUCCEEDED')).map(outputOf);
  const failedCount = (await read('FAILED')).length + (await read('PENDING')).length;

  if (input.kind === 'backup-batches') {
    const records = succeeded.flatMap((r) => (Array.isArray(r?.verified) ? r.verified : []));
    await putJson(s3, input.store.bucket, input.store.key, records);
    context.log('summarized backup batches', { batches: succeeded.length, failedCount, verified: records.length });
    return { kind: 'backup-batches', succeededCount: succeeded.length, failedCount, records: input.store, recordCount: records.length, verifiedCount: records.length };
  }

  const records = succeeded.flatMap((r) => (Array.isArray(r?.instances) ? r.instances : []));
  const skipped = succeeded.flatMap((r) => (Array.isArray(r?.skipped) ? r.skipped.filter((s: unknown): s is string => typeof s === 'string') : []));
  const readyTimes = succeeded.map((r) => r?.readyAt).filter((t): t is string => typeof t === 'string' && !Number.isNaN(Date.parse(t)));
  const readyAt = readyTimes.length === 0 ? null : new Date(Math.max(...readyTimes.map((t) => Date.parse(t)))).toISOString();
  const readyCount = succeeded.reduce((sum, r) => sum + (typeof r?.readyCount === 'number' ? r.readyCount : 0), 0);
  await putJson(s3, input.store.bucket, input.store.key, { instances: records, skipped });
  context.log('summarized launch wave', { batches: succeeded.length, failedCount, readyCount, skipped: skipped.length });
  return {
    kind: 'launch-wave',
    succeededCount: succeeded.length,
    failedCount,
    records: input.store,
    recordCount: records.length,
    readyAt,
    readyCount,
    skippedCount: skipped.length,
    skipped: skipped.slice(0, SKIPPED_SHOWN),
    workloadCount: new Set(records.map((r: { workload?: unknown }) => r?.workload).filter((w): w is string => typeof w === 'string')).size,
  };
}

/** A child's output: as written (COMPACT), or parsed from an execution record's `Output` string. */
function outputOf(entry: unknown): any {
  if (typeof entry === 'object' && entry !== null && 'ExecutionArn' in entry && 'Output' in entry) {
    const output = (entry as { Output?: unknown }).Output;
    if (typeof output === 'string') {
      try {
        return JSON.parse(output);
      } catch {
        return undefined;
      }
    }
    return output;
  }
  return entry;
}
