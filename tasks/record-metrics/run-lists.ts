import type { Achieved, RecordMetricsInput } from '../../schemas/tasks/record-metrics.js';
import type { S3Object } from '../../schemas/tasks/store.js';
import { InvalidInputError } from '../_shared/errors.js';
import { getJson, putJson, s3Client } from '../_shared/s3.js';

// Loaded with import() only by a distributed run's record-metrics: an inline run's bundle start-up does not run the S3 client's code.

/** How many workload names each group of a distributed run's `achieved` carries (all are in `details`). */
export const GROUP_WORKLOADS_SHOWN = 5;

/** The sets and ready waves with every workload listed, as an inline run passes them. */
export interface RunLists {
  readonly sets?: RecordMetricsInput['sets'];
  readonly waves?: RecordMetricsInput['waves'];
  /** Optional workloads with no recovery point (from the sets object). */
  readonly missing?: readonly string[];
}

/**
 * Reads a distributed run's lists from the run bucket: the sets `resolve-recovery-points` wrote
 * (`setsFrom`, `{sets, missing}`) and each ready wave's workloads from its instance list
 * (`records`, `{instances: [{workload, …}]}` as `summarize-results` wrote it).
 */
export async function readRunLists(input: RecordMetricsInput): Promise<RunLists> {
  const s3 = s3Client(input.region);
  const where = (o: S3Object) => `task 'record-metrics' › s3://${o.bucket}/${o.key}`;
  let sets = input.sets;
  let missing: string[] | undefined;
  if (input.setsFrom !== undefined) {
    const body = (await getJson(s3, input.setsFrom.bucket, input.setsFrom.key)) as { sets?: unknown; missing?: unknown } | null;
    if (body === null || typeof body !== 'object' || !Array.isArray(body.sets)) {
      throw new InvalidInputError(
        `${where(input.setsFrom)}: expected the recovery sets "resolve-recovery-points" wrote ({"sets": [...], "missing": [...]}), found ${JSON.stringify(body)?.slice(0, 60)}; redrive from "Resolve recovery points" so that it writes them again`,
      );
    }
    sets = body.sets as NonNullable<RecordMetricsInput['sets']>;
    missing = Array.isArray(body.missing) ? body.missing.filter((m): m is string => typeof m === 'string') : [];
  }
  const waves: NonNullable<RecordMetricsInput['waves']> = [];
  for (const wave of input.waves ?? []) {
    if (wave.records === undefined) {
      waves.push(wave);
      continue;
    }
    const body = (await getJson(s3, wave.records.bucket, wave.records.key)) as { instances?: unknown } | null;
    if (body === null || typeof body !== 'object' || !Array.isArray(body.instances)) {
      throw new InvalidInputError(
        `${where(wave.records)} (wave ${wave.wave}): expected the instance list "summarize-results" wrote ({"instances": [...]}), found ${JSON.stringify(body)?.slice(0, 60)}; redrive so that "Summarize wave" writes it again`,
      );
    }
    const names = new Set<string>();
    for (const instance of body.instances) {
      const workload = (instance as { workload?: unknown } | null)?.workload;
      if (typeof workload === 'string') names.add(workload);
    }
    waves.push({ wave: wave.wave, readyAt: wave.readyAt, workloads: [...names] });
  }
  return { ...(sets === undefined ? {} : { sets }), waves, ...(missing === undefined ? {} : { missing }) };
}

/**
 * Writes the whole `achieved` (every workload of every group) with the sets to `store`
 * (`{achieved, sets, missing}`), and returns it with each group's first workloads and its
 * `workloadCount`, and `details` naming the object.
 */
export async function storeDetails(input: RecordMetricsInput, store: S3Object, achieved: Achieved, lists: RunLists): Promise<Achieved> {
  await putJson(s3Client(input.region), store.bucket, store.key, { achieved, sets: lists.sets ?? [], missing: lists.missing ?? [] });
  return {
    ...achieved,
    groups: achieved.groups.map((g) => ({ ...g, workloads: g.workloads.slice(0, GROUP_WORKLOADS_SHOWN), workloadCount: g.workloads.length })),
    details: store,
  };
}
