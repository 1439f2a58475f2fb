import * as z from 'zod';

/**
 * The plan's pre-flight fields (docs/contracts.md, "Pre-flight"): what a failover does when the
 * checks find something blocking, and the model the predicted RTO comes from. Imported by
 * `plan.ts`; kept apart so that the pre-flight contract reads in one place.
 */

function wholeSeconds(what: string, min: number, max: number) {
  const error = `${what}: a whole number of seconds from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/**
 * What a failover does when pre-flight finds a blocking problem. `stop`: it ends FAILED at
 * "Pre-flight checks", having launched nothing. `proceed`: it recovers what it can, skipping the
 * workloads with a blocking finding (listed in its output as `preflightSkipped`). A drill always
 * stops. The execution input `{"onBlockingFindings": "proceed"}` overrides the plan for one run.
 */
export const OnBlockingFindingsSchema = z.enum(['stop', 'proceed'], { error: 'one of "stop", "proceed"' });
/** What a failover does on a blocking pre-flight finding. */
export type OnBlockingFindings = z.infer<typeof OnBlockingFindingsSchema>;

/**
 * The RTO model pre-flight predicts from when no drill has measured one: a fixed part (start,
 * resolve, recording) and a part per wave (launch, boot, both status checks pass).
 * `predicted = fixedSeconds + waves × secondsPerWave`; with measured drills, the larger of that
 * and the slowest of the last `measuredDrills` drills.
 */
export const RtoModelSchema = z.strictObject(
  {
    /** @default 120 */
    fixedSeconds: wholeSeconds('a fixed part of the RTO', 0, 86_400).default(120),
    /** EC2's pending → running is about a minute, both status checks pass a few minutes later. @default 420 */
    secondsPerWave: wholeSeconds('an RTO part per wave', 1, 86_400).default(420),
  },
  { error: 'an RTO model such as {"fixedSeconds": 120, "secondsPerWave": 420}' },
);
/** The RTO model. */
export type RtoModel = z.infer<typeof RtoModelSchema>;

/** Pre-flight settings. Every field has a default. */
export const PreflightSettingsSchema = z.strictObject(
  {
    /** @default { fixedSeconds: 120, secondsPerWave: 420 } */
    rtoModel: RtoModelSchema.prefault({}),
    /** How many of the last drills' measured RTO (`RecoveryTimeSeconds`) the prediction weighs. @default 3 */
    measuredDrills: z
      .number({ error: 'a number of drills from 0 to 20' })
      .int({ error: 'a number of drills from 0 to 20' })
      .min(0, { error: 'a number of drills from 0 to 20' })
      .max(20, { error: 'a number of drills from 0 to 20' })
      .default(3),
  },
  { error: 'a pre-flight settings object such as {"measuredDrills": 3}' },
);
/** Pre-flight settings. */
export type PreflightSettings = z.infer<typeof PreflightSettingsSchema>;
