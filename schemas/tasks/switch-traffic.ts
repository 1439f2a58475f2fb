import { z } from 'zod';
import { RecordChangeSchema, TargetGroupArnSchema } from '../plan-traffic.js';
import { InstanceIdSchema, PlanNameSchema, RegionSchema } from '../plan.js';

/*
 * `switch-traffic`: one pass of the traffic switch loop (docs/contracts.md, "The traffic switch").
 * Each pass takes the previous pass's output (`previous`) and moves on as far as it can:
 * targets (register, then read health) → records (read, submit one change batch per hosted zone)
 * → sync (GetChange until INSYNC, then read back) → done.
 */

/** A record set as Route 53 holds it: enough to DELETE it exactly and to CREATE it again (undo). */
export const RecordSetSchema = z.strictObject({
  name: z.string(),
  type: z.string(),
  setIdentifier: z.string().optional(),
  ttl: z.number().int().optional(),
  values: z.array(z.string()).optional(),
  aliasTarget: z.strictObject({ hostedZoneId: z.string(), dnsName: z.string(), evaluateTargetHealth: z.boolean() }).optional(),
  weight: z.number().int().optional(),
  failover: z.enum(['PRIMARY', 'SECONDARY']).optional(),
  region: z.string().optional(),
  healthCheckId: z.string().optional(),
});
export type RecordSet = z.infer<typeof RecordSetSchema>;

/** One target group of the switch: what to register, and what its health was at the last pass. */
export const TrafficTargetGroupStateSchema = z.strictObject({
  targetGroupArn: TargetGroupArnSchema,
  port: z.number().int().min(1).max(65535).optional(),
  instanceIds: z.array(InstanceIdSchema),
  /** True once RegisterTargets succeeded for every instance. */
  isRegistered: z.boolean(),
  health: z.array(z.strictObject({ id: z.string(), state: z.string(), reason: z.string().optional(), description: z.string().optional() })),
});

/** One record the switch changes: its value before and after, and whether this run changed it. */
export const SwitchedRecordSchema = z.strictObject({
  hostedZoneId: z.string(),
  name: z.string(),
  type: z.string(),
  setIdentifier: z.string().optional(),
  /** As read before the change (null: the record did not exist). */
  before: RecordSetSchema.nullable(),
  after: RecordSetSchema,
  /** `changed`: this run submitted it; `unchanged`: it already had the new value; `would-change`: a drill's report. */
  status: z.enum(['changed', 'unchanged', 'would-change']),
});
export type SwitchedRecord = z.infer<typeof SwitchedRecordSchema>;

/** A submitted Route 53 change batch. */
export const SubmittedChangeSchema = z.strictObject({
  hostedZoneId: z.string(),
  changeId: z.string(),
  status: z.enum(['PENDING', 'INSYNC']),
  submittedAt: z.string(),
});

export const SwitchTrafficOutputSchema = z.strictObject({
  isComplete: z.boolean(),
  phase: z.enum(['targets', 'records', 'sync', 'done']),
  mode: z.enum(['failover', 'drill', 'failback']),
  targetGroups: z.array(TrafficTargetGroupStateSchema),
  records: z.array(SwitchedRecordSchema),
  changes: z.array(SubmittedChangeSchema),
  /** True once the records read back with the new values (failover), or the report is made (drill). */
  isVerified: z.boolean(),
  /** Calls throttled in this pass, left for the next (docs/decisions/0005). */
  throttled: z.array(z.string()).optional(),
});
export type SwitchTrafficOutput = z.infer<typeof SwitchTrafficOutputSchema>;

export const SwitchTrafficInputSchema = z.strictObject({
  planName: PlanNameSchema,
  /** Where the target groups live: the recovery region (failover, drill), the primary region (failback, which moves users back). */
  region: RegionSchema,
  /** `failback` switches like a failover, with the plan's `failback.traffic` and the failback instances. */
  mode: z.enum(['failover', 'drill', 'failback']),
  /** ISO time after which a pass that is still waiting fails with `Lifeboat.Timeout`. */
  deadline: z.iso.datetime({ offset: true }),
  /** Per target group, the recovered instances to register. */
  targetGroups: z.array(z.strictObject({ targetGroupArn: TargetGroupArnSchema, port: z.number().int().min(1).max(65535).optional(), instanceIds: z.array(InstanceIdSchema) })),
  records: z.array(RecordChangeSchema),
  /** The previous pass's output (absent on the first pass). */
  previous: SwitchTrafficOutputSchema.optional(),
});
export type SwitchTrafficInput = z.infer<typeof SwitchTrafficInputSchema>;
