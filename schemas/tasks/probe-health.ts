import * as z from 'zod';
import { InstanceIdSchema, IsoTimeSchema, LaunchModeSchema, PlanNameSchema, RegionSchema, ThrottledCallsSchema, WorkloadNameSchema } from './common.js';

/** A workload's health check as the probe uses it (`resolveHealthCheck` of `schemas/plan-health.ts`). */
export const ResolvedHealthCheckSchema = z.strictObject({
  protocol: z.enum(['http', 'https', 'tcp']),
  port: z.number().int().min(1).max(65535),
  /** `null` for TCP. */
  path: z.string().startsWith('/').nullable(),
  /** Inclusive; `null` for TCP. */
  expectedStatus: z.strictObject({ min: z.number().int().min(100).max(599), max: z.number().int().min(100).max(599) }).nullable(),
  timeoutSeconds: z.number().int().min(1).max(60),
  intervalSeconds: z.number().int().min(1).max(300),
  healthyThreshold: z.number().int().min(1).max(10),
  deadlineMinutes: z.number().int().min(1).max(240),
});

/** What one probe got. */
export const ProbeAnswerSchema = z.strictObject({
  /**
   * `status`: an HTTP(S) response (with `status`); `open`: TCP accepted; `refused`: connection
   * refused; `timeout`: nothing answered within the timeout; `error`: another network error
   * (`detail` names it), or the instance has no private address yet.
   */
  outcome: z.enum(['status', 'open', 'refused', 'timeout', 'error']),
  status: z.number().int().min(100).max(599).optional(),
  /** At most 300 characters. */
  detail: z.string().max(300),
});
/** What one probe got. */
export type ProbeAnswer = z.infer<typeof ProbeAnswerSchema>;

/** One instance's health so far. */
export const InstanceHealthSchema = z.strictObject({
  workload: WorkloadNameSchema,
  instanceId: InstanceIdSchema,
  /** From DescribeInstances; `null` until read. */
  privateIp: z.string().nullable(),
  /** `http://10.0.1.5:80/health`, `tcp://10.0.1.5:5432`; `null` until the address is known. */
  endpoint: z.string().nullable(),
  /** Passing probes in a row. */
  passes: z.number().int().min(0),
  /** Probes made. */
  probes: z.number().int().min(0),
  isHealthy: z.boolean(),
  /** When the last probe was made (the pass's now); `null` before the first. */
  probedAt: IsoTimeSchema.nullable(),
  last: ProbeAnswerSchema.nullable(),
});
/** One instance's health so far. */
export type InstanceHealth = z.infer<typeof InstanceHealthSchema>;

/**
 * Input of `probe-health` (a loop task): probes every instance of a wave whose workload has a
 * health check (by private address) until each has passed `healthyThreshold` probes in a row.
 */
export const ProbeHealthInputSchema = z.strictObject({
  planName: PlanNameSchema,
  /** Where the wave launched: the recovery region, or the primary for a failback. */
  region: RegionSchema,
  /** The run probing: a failback's advice names its own probe network. @default a failover or drill */
  mode: LaunchModeSchema.optional(),
  /** When the wave's health step started; each check's deadline counts from here. */
  startedAt: IsoTimeSchema,
  /** Each workload's check; instances of a workload not listed are not probed. */
  checks: z.record(WorkloadNameSchema, ResolvedHealthCheckSchema),
  /** The wave's launched instances. */
  instances: z.array(z.strictObject({ workload: WorkloadNameSchema, instanceId: InstanceIdSchema })),
  /** The previous pass's `health`; absent on the first pass. */
  health: z.array(InstanceHealthSchema).optional(),
});
/** Input of `probe-health`. */
export type ProbeHealthInput = z.infer<typeof ProbeHealthInputSchema>;

/** Output of `probe-health`. */
export const ProbeHealthOutputSchema = z.strictObject({
  /** Every instance that has a check, in input order. */
  health: z.array(InstanceHealthSchema),
  /** Every instance with a check is healthy. */
  isComplete: z.boolean(),
  /** Instances not yet healthy. */
  pendingCount: z.number().int().min(0),
  healthyCount: z.number().int().min(0),
  throttled: ThrottledCallsSchema,
});
/** Output of `probe-health`. */
export type ProbeHealthOutput = z.infer<typeof ProbeHealthOutputSchema>;

/**
 * The environment variable that makes a `probe-health` function a relay: the ARN of the probe
 * function it forwards each pass to, in another region (the failback's probe in the primary
 * region's VPC; Step Functions invokes functions of its own region only). Unset: the function
 * probes itself.
 */
export const PROBE_RELAY_ENV = 'LIFEBOAT_PROBE_RELAY';
