/**
 * The tag keys Lifeboat puts on every AMI, snapshot and instance it creates. Recovery points are
 * found by these tags alone, so a failover needs nothing but EC2 in the recovery region.
 */
export const TAG_KEYS = {
  plan: 'lifeboat:plan',
  workload: 'lifeboat:workload',
  sourceInstance: 'lifeboat:source-instance',
  executionArn: 'lifeboat:execution-arn',
  recoveryPointTime: 'lifeboat:recovery-point-time',
  role: 'lifeboat:role',
  sourceImage: 'lifeboat:source-image',
  verified: 'lifeboat:verified',
  /**
   * On a recovery point whose backup run finished: how many instances of its workload that run's
   * recovery set holds (set by `prune` at the end of the run). A set whose points all carry it
   * and number that many is complete (docs/contracts.md, "Recovery sets").
   */
  setSize: 'lifeboat:set-size',
  /**
   * On a launched instance that is not the first choice of its ladder: what was requested and
   * why each earlier rung failed (set by `launch-in-region` right after the launch; ≤ 256 chars).
   */
  substitution: 'lifeboat:substitution',
  /**
   * On a drill instance the collector terminated: who did (the collector's execution ARN, or
   * `lifeboat collect`) and when (`<who> at <ISO time>`; ≤ 256 chars).
   */
  collectedBy: 'lifeboat:collected-by',
  /**
   * On a recovered (failover) instance a failback retired: which failback and when
   * (`<failback execution ARN> at <ISO time>`; set by `retire-instances` before it stops or
   * terminates the instance).
   */
  retiredBy: 'lifeboat:retired-by',
  /**
   * On a source AMI whose copy has not been started yet: {@link COPY_QUEUED_VALUE} (set by `image`
   * at CreateImage, removed by the `copy` pass that starts its copy). The copy passes of every
   * batch of a run read these to start the run's copies in one order (docs/decisions/0018, "Update").
   */
  copy: 'lifeboat:copy',
} as const;

/** The value of `lifeboat:copy` on a source AMI whose copy waits to be started. */
export const COPY_QUEUED_VALUE = 'queued';

/** Values of the `lifeboat:role` tag. */
export const ROLES = {
  sourceImage: 'source-image',
  recoveryPoint: 'recovery-point',
  drillInstance: 'drill-instance',
  failoverInstance: 'failover-instance',
  /** An instance a failback launched back in the primary region. */
  failbackInstance: 'failback-instance',
} as const;

/** The value of `lifeboat:verified` on a verified recovery point. */
export const VERIFIED_VALUE = 'true';
