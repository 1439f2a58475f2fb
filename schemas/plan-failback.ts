import * as z from 'zod';
import { HealthProbeSchema } from './plan-health.js';
import { TrafficSettingsSchema } from './plan-traffic.js';
import { KmsKeyIdSchema, LaunchSettingsSchema } from './plan.js';

/*
 * The plan's `failback` section: how a failed-over plan returns to its primary region
 * (docs/contracts.md, "The plan", and docs/decisions/0013-failback.md). Kept apart from plan.ts so
 * that the failback fields stay in one place; plan.ts imports it.
 *
 * `z.lazy` reads plan.ts's schemas when a plan is parsed, not when this module loads: the two
 * modules import each other.
 */

/**
 * The most recovered instances one failback carries: it runs inline, one execution history (the
 * inline limit of workflows/scale.ts, `INLINE_MAX_TARGETS`; docs/decisions/0013-failback.md).
 */
export const FAILBACK_MAX_INSTANCES = 100;

/** What happens to the recovery-region instances once the hold is over. */
export const RETIRE_ACTIONS = ['terminate', 'stop'] as const;

const minutes = (max: number, fallback: number) => {
  const error = `a number of minutes from 0 to ${max}`;
  return z.number({ error }).int({ error }).min(0, { error }).max(max, { error }).default(fallback);
};

/**
 * How a failback retires the recovery-region instances: after `holdMinutes` (the primary's
 * instances ready, traffic back) they are stopped or terminated.
 */
export const RetireSettingsSchema = z.strictObject(
  {
    /** @default "terminate" */
    action: z.enum(RETIRE_ACTIONS, { error: 'one of "terminate", "stop"' }).default('terminate'),
    /** How long the recovery instances stay up after the primary's are ready (the way back). @default 60 */
    holdMinutes: minutes(10_080, 60),
  },
  { error: 'a retire settings object such as {"action": "terminate", "holdMinutes": 60}' },
);

/**
 * Failback settings. `launch` holds, per workload name, how it is launched back in the primary
 * region (the primary's subnets, security groups, instance types, ...), in the shape of a
 * workload's `launch`.
 */
export const FailbackSettingsSchema = z.strictObject(
  {
    /** Per workload: its launch settings in the primary region. Every workload of the plan needs one. */
    launch: z.record(z.string(), z.lazy(() => LaunchSettingsSchema), {
      error: 'an object of launch settings by workload name, such as {"web": {"subnetIds": ["subnet-…"], "instanceTypes": ["m5.large"]}}',
    }),
    /** KMS key in the primary region for the copies back; absent: the account's default EBS key there. */
    kmsKeyId: z.lazy(() => KmsKeyIdSchema).optional(),
    /** @default 60 */
    launchTimeoutMinutes: z
      .number({ error: 'a timeout in minutes: a whole number from 1 to 1440' })
      .int({ error: 'a timeout in minutes: a whole number from 1 to 1440' })
      .min(1, { error: 'a timeout in minutes: a whole number from 1 to 1440' })
      .max(1440, { error: 'a timeout in minutes: a whole number from 1 to 1440' })
      .default(60),
    /** @default { action: "terminate", holdMinutes: 60 } */
    retire: RetireSettingsSchema.prefault({}),
    /**
     * Where the failback's health probe runs on AWS: subnets and security groups of the primary
     * region's VPC (the failback instances are probed there). Required when a workload declares a
     * health check.
     */
    healthProbe: HealthProbeSchema.optional(),
    /**
     * How users reach the workloads again once the failback's waves are healthy: target groups of
     * the primary region to register the failback instances in, and the Route 53 changes that point
     * users back at the primary (in the shape of the plan's `traffic`). Absent: traffic is moved by hand.
     */
    traffic: TrafficSettingsSchema.optional(),
  },
  { error: 'a failback settings object with "launch"' },
);

/** Failback settings. */
export type FailbackSettings = z.infer<typeof FailbackSettingsSchema>;

/** One issue for plan.ts's refinement. */
export interface FailbackIssue {
  readonly path: (string | number)[];
  readonly message: string;
  readonly input: unknown;
}

/**
 * The cross-field checks of `failback`: every workload has primary launch settings, none is for
 * a workload the plan does not have, and a key given as an ARN is in the primary region (the
 * copies back are encrypted there). Works on the raw input (before defaults), as plan.ts does.
 */
export function failbackIssues(
  failback: unknown,
  workloadNames: readonly string[],
  primaryRegion: string | undefined,
  checkedWorkloads: readonly string[] = [],
  listedInstances = 0,
): FailbackIssue[] {
  if (typeof failback !== 'object' || failback === null || Array.isArray(failback)) return [];
  const f = failback as Record<string, unknown>;
  const issues: FailbackIssue[] = [];
  if (listedInstances > FAILBACK_MAX_INSTANCES) {
    issues.push({
      path: ['failback'],
      message: `a plan of at most ${FAILBACK_MAX_INSTANCES} instances to fail back (a failback runs inline, one execution history; it refuses more at "Find recovered instances"): split the plan, or leave "failback" out and fail back by hand (docs/runbooks/failback.md)`,
      input: `${listedInstances} listed instance ids`,
    });
  }
  const launch = f.launch;
  if (typeof launch === 'object' && launch !== null && !Array.isArray(launch)) {
    const given = Object.keys(launch);
    for (const name of workloadNames) {
      if (!given.includes(name)) {
        issues.push({ path: ['failback', 'launch', name], message: `launch settings in the primary region for workload ${JSON.stringify(name)} (every workload fails back)`, input: undefined });
      }
    }
    for (const name of given) {
      if (!workloadNames.includes(name)) {
        issues.push({ path: ['failback', 'launch', name], message: `a workload of this plan (one of ${workloadNames.map((n) => JSON.stringify(n)).join(', ')})`, input: name });
      }
    }
  }
  const key = f.kmsKeyId;
  if (typeof key === 'string' && key.startsWith('arn:') && primaryRegion !== undefined) {
    const region = key.split(':')[3];
    if (region !== primaryRegion) {
      issues.push({ path: ['failback', 'kmsKeyId'], message: `a KMS key in the primary region ${JSON.stringify(primaryRegion)} (the copies back are encrypted there)`, input: key });
    }
  }
  if (checkedWorkloads.length > 0 && f.healthProbe === undefined) {
    issues.push({
      path: ['failback', 'healthProbe'],
      message: `the failback's health probe network in the primary region ({"subnetIds": […], "securityGroupIds": […]}) because ${checkedWorkloads.length} workload(s) declare a health check (${checkedWorkloads.map((n) => JSON.stringify(n)).join(', ')}), which the failback instances must pass too`,
      input: undefined,
    });
  }
  const traffic = f.traffic;
  if (typeof traffic === 'object' && traffic !== null && Array.isArray((traffic as { targetGroups?: unknown }).targetGroups)) {
    ((traffic as { targetGroups: unknown[] }).targetGroups).forEach((g, i) => {
      if (typeof g !== 'object' || g === null) return;
      const { workload, targetGroupArn } = g as { workload?: unknown; targetGroupArn?: unknown };
      if (typeof workload === 'string' && !workloadNames.includes(workload)) {
        issues.push({ path: ['failback', 'traffic', 'targetGroups', i, 'workload'], message: `a workload of this plan: one of ${workloadNames.map((n) => JSON.stringify(n)).join(', ')}`, input: workload });
      }
      const region = typeof targetGroupArn === 'string' ? targetGroupArn.split(':')[3] : undefined;
      if (primaryRegion !== undefined && region !== undefined && region !== primaryRegion) {
        issues.push({ path: ['failback', 'traffic', 'targetGroups', i, 'targetGroupArn'], message: `a target group in the primary region ${JSON.stringify(primaryRegion)} (the failback instances run there)`, input: targetGroupArn });
      }
    });
  }
  return issues;
}
