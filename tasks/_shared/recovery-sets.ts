import type { EC2Client, Image } from '@aws-sdk/client-ec2';
import { ROLES, TAG_KEYS, VERIFIED_VALUE } from '../../schemas/tags.js';
import { describeImages, filters } from './ec2.js';
import { tagMap } from './tags.js';

/**
 * Recovery sets (docs/contracts.md, "Recovery sets"): a backup run's recovery points, per
 * workload. The run is named by the `lifeboat:execution-arn` tag; `prune`, at the end of a run
 * whose every batch was verified, seals the run's points with `lifeboat:set-size`. A failover
 * restores, per workload, the newest complete set, so the instances of one workload come back
 * from one moment and an instance that left the workload stops coming back.
 */

/** A recovery point (an AMI copy in the recovery region) as its tags describe it. */
export interface RecoveryPoint {
  readonly imageId: string;
  readonly workload: string;
  readonly sourceInstanceId: string;
  /** The backup execution that made it: the recovery set it belongs to. */
  readonly executionArn: string;
  readonly recoveryPointTime: string;
  /** `lifeboat:set-size`, when the set is sealed. */
  readonly setSize?: number;
  readonly isVerified: boolean;
  /** EC2's image state. */
  readonly state: string;
}

/** One workload's share of one backup run. */
export interface RecoverySet {
  readonly workload: string;
  readonly executionArn: string;
  readonly recoveryPointTime: string;
  /** Its points, by source instance id. */
  readonly points: readonly RecoveryPoint[];
  /**
   * Sealed, and every sealed point present, verified and available: the whole workload as the
   * run saw it.
   */
  readonly isComplete: boolean;
}

/**
 * A recovery point from an image's tags, or undefined when the tags do not describe one (every
 * copy Lifeboat makes carries workload, source instance, execution ARN and recovery-point time).
 */
export function toRecoveryPoint(image: Image): RecoveryPoint | undefined {
  const tags = tagMap(image.Tags);
  const time = Date.parse(tags[TAG_KEYS.recoveryPointTime] ?? '');
  const workload = tags[TAG_KEYS.workload];
  const sourceInstanceId = tags[TAG_KEYS.sourceInstance];
  const executionArn = tags[TAG_KEYS.executionArn];
  if (!image.ImageId || !workload || !sourceInstanceId || !executionArn || Number.isNaN(time)) return undefined;
  const size = Number(tags[TAG_KEYS.setSize]);
  return {
    imageId: image.ImageId,
    workload,
    sourceInstanceId,
    executionArn,
    recoveryPointTime: new Date(time).toISOString(),
    ...(Number.isInteger(size) && size > 0 ? { setSize: size } : {}),
    isVerified: tags[TAG_KEYS.verified] === VERIFIED_VALUE,
    state: image.State ?? 'unknown',
  };
}

/** Whether a point can be restored: verified and available. */
export function isUsable(point: RecoveryPoint): boolean {
  return point.isVerified && point.state === 'available';
}

/**
 * The recovery sets of each workload, newest first (by recovery-point time, then execution ARN).
 *
 * @example recoverySets(points).get('web')?.[0] // web's newest set, complete or not
 */
export function recoverySets(points: readonly RecoveryPoint[]): Map<string, RecoverySet[]> {
  const groups = new Map<string, Map<string, RecoveryPoint[]>>();
  for (const point of points) {
    const byRun = groups.get(point.workload) ?? new Map<string, RecoveryPoint[]>();
    byRun.set(point.executionArn, [...(byRun.get(point.executionArn) ?? []), point]);
    groups.set(point.workload, byRun);
  }
  const out = new Map<string, RecoverySet[]>();
  for (const [workload, byRun] of groups) {
    const sets = [...byRun.entries()].map(([executionArn, members]): RecoverySet => {
      const sorted = [...members].sort((a, b) => a.sourceInstanceId.localeCompare(b.sourceInstanceId));
      const size = sorted[0].setSize;
      const isComplete = size !== undefined && sorted.length === size && sorted.every((p) => p.setSize === size && isUsable(p));
      // The run's time: its points share it; the newest wins if tags disagree.
      const recoveryPointTime = sorted.map((p) => p.recoveryPointTime).sort().at(-1)!;
      return { workload, executionArn, recoveryPointTime, points: sorted, isComplete };
    });
    sets.sort((a, b) => b.recoveryPointTime.localeCompare(a.recoveryPointTime) || b.executionArn.localeCompare(a.executionArn));
    out.set(workload, sets);
  }
  return out;
}

/** The set a failover restores for a workload, and whether it is complete. */
export interface ChosenSet {
  readonly set: RecoverySet;
  /** The set's usable points (all of them when complete). */
  readonly points: readonly RecoveryPoint[];
}

/**
 * The set a failover restores for one workload: the newest complete set at or before `limit`;
 * when no set is complete (a plan backed up only by runs that never finished, or by a Lifeboat
 * older than recovery sets), the newest set with a usable point, restoring those points.
 *
 * @param sets the workload's sets, newest first ({@link recoverySets})
 * @param limit an ISO time: ignore sets after it (a pin by time)
 */
export function chooseSet(sets: readonly RecoverySet[], limit?: string): ChosenSet | undefined {
  const limitMs = limit === undefined ? Number.POSITIVE_INFINITY : Date.parse(limit);
  const eligible = sets.filter((s) => Date.parse(s.recoveryPointTime) <= limitMs);
  const complete = eligible.find((s) => s.isComplete);
  if (complete) return { set: complete, points: complete.points };
  for (const set of eligible) {
    const usable = set.points.filter(isUsable);
    if (usable.length > 0) return { set, points: usable };
  }
  return undefined;
}

/**
 * The recovery sets of every workload of a plan in one region, newest first: its verified and
 * available copies, found by tag filters only (one paged DescribeImages for the whole plan).
 * Shared by `resolve-recovery-points`, `preflight` and the RPO measure (`rpo.ts`), which checks the same sets a failover would restore.
 */
export async function findRecoverySets(ec2: EC2Client, planName: string): Promise<Map<string, RecoverySet[]>> {
  const images = await describeImages(ec2, {
    Owners: ['self'],
    Filters: filters({
      [`tag:${TAG_KEYS.plan}`]: planName,
      [`tag:${TAG_KEYS.role}`]: ROLES.recoveryPoint,
      [`tag:${TAG_KEYS.verified}`]: VERIFIED_VALUE,
      state: 'available',
    }),
  });
  const points = images.map(toRecoveryPoint).filter((p): p is RecoveryPoint => p !== undefined && isUsable(p));
  return recoverySets(points);
}
