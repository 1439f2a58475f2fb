/**
 * A distributed failover or drill keeps its per-workload lists in the run bucket, not in its
 * output (docs/contracts.md, "Run bucket"): the output's `sets` and `achieved.groups` name their
 * first workloads with a `workloadCount`, and `achieved.details` is the object holding them all
 * (`{achieved, sets, missing}`, written by `record-metrics`). A distributed backup, and a
 * distributed plan's RPO publisher, do the same with their RPO report: `rpo.sets` name their first
 * workloads, `rpo.details` is the object holding the whole report (`{rpo}`; docs/contracts.md,
 * "RPO report"). `lifeboat history` and `lifeboat report` read it back so that they show every
 * workload, as they do for an inline run.
 *
 * The S3 client is loaded only when an output names such an object (issue 8, "Fast to start").
 */
import { localCredentials } from './aws.js';

/** How to reach the run bucket: as the Step Functions client is reached. */
export interface DetailsConnection {
  /** With `--local`: the sandbox's URL. */
  readonly localEndpoint?: string;
  /** `--profile`. */
  readonly profile?: string;
}

/** An output with its lists read back, or unchanged with the reason it could not be. */
export interface ExpandedOutput {
  readonly output: unknown;
  /** Why the lists stayed short (the object could not be read): for a warning. */
  readonly problem?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The run-bucket object an output's `achieved.details` (failover, drill) or `rpo.details` (backup, RPO publisher) names, if any. */
export function detailsObjectOf(output: unknown): { bucket: string; key: string } | undefined {
  if (!isObject(output)) return undefined;
  const holder = isObject(output.achieved) ? output.achieved : isObject(output.rpo) ? output.rpo : undefined;
  if (holder === undefined || !isObject(holder.details)) return undefined;
  const { bucket, key } = holder.details;
  return typeof bucket === 'string' && typeof key === 'string' ? { bucket, key } : undefined;
}

/** The output with its cut lists replaced by the whole ones of `body`, or why `body` is not what the output names. */
function expandedWith(output: Record<string, unknown>, body: unknown, where: { bucket: string; key: string }): ExpandedOutput {
  if (isObject(output.achieved)) {
    if (!isObject(body) || !isObject(body.achieved) || !Array.isArray(body.sets)) {
      return { output, problem: `s3://${where.bucket}/${where.key}: expected {"achieved", "sets", "missing"} as record-metrics writes it, found ${JSON.stringify(body).slice(0, 60)}` };
    }
    return {
      output: {
        ...output,
        sets: body.sets,
        achieved: { ...body.achieved, details: where },
        ...(Array.isArray(body.missing) ? { missing: body.missing } : {}),
      },
    };
  }
  if (!isObject(body) || !isObject(body.rpo) || !Array.isArray(body.rpo.sets) || !Array.isArray(body.rpo.missing)) {
    return { output, problem: `s3://${where.bucket}/${where.key}: expected {"rpo": {"sets", "missing", …}} as record-metrics and publish-rpo write it, found ${JSON.stringify(body).slice(0, 60)}` };
  }
  return { output: { ...output, rpo: { ...body.rpo, details: where } } };
}

/**
 * The output with its per-workload lists replaced by their whole versions from the run bucket,
 * when the output names them: `sets`, `achieved` and `missing` (`achieved.details`, a failover or
 * drill), or `rpo` (`rpo.details`, a backup or the RPO publisher); otherwise the output as it is.
 *
 * @param output the parsed execution output
 * @param region the run's region (the run bucket is there)
 */
export async function withRecoveryDetails(output: unknown, region: string, connection: DetailsConnection): Promise<ExpandedOutput> {
  const where = detailsObjectOf(output);
  if (where === undefined || !isObject(output)) return { output };
  const { GetObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
  const s3 =
    connection.localEndpoint !== undefined
      ? new S3Client({ region, endpoint: connection.localEndpoint, credentials: localCredentials(), forcePathStyle: true, maxAttempts: 2 })
      : new S3Client({ region, ...(connection.profile === undefined ? {} : { profile: connection.profile }) });
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: where.bucket, Key: where.key }));
    const body = JSON.parse((await res.Body?.transformToString('utf8')) ?? '') as unknown;
    return expandedWith(output, body, where);
  } catch (error) {
    const code = (error as { name?: string }).name ?? 'Error';
    return {
      output,
      problem: `read s3://${where.bucket}/${where.key}: ${code}; showing the first workloads of each ${isObject(output.achieved) ? 'group' : 'set'} only (the run bucket keeps runs for its lifecycle period; reading it needs s3:GetObject)`,
    };
  } finally {
    s3.destroy();
  }
}
