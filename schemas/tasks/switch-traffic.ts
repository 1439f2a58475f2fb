import * as z from 'zod';
import { RecordChangeSchema, TargetGroupArnSchema } from '../plan-traffic.js';
import { InstanceIdSchema, PlanNameSchema, RegionSchema } from '../plan.js';

/*
 * `switch-traffic`: one pass of the traffic switch loop (docs/contracts.md, "The traffic switch").
 * Each pass takes the previous pass's output (`previous`) and moves on as far as it can:
 * targets (register, then read health) → records (read; the pass ends there, so the values read
 * and the change it will make are in the execution history before anything is changed) → submit
 * (one change batch per hosted zone) → sync (GetChange until INSYNC, then read back) → done.
 *
 * With `action: "restore"` the same task undoes a switch from its recorded output (`switched`):
 * records back to their `before` value (deleted when there was none), then the targets it
 * registered deregistered. A drill that exercises the switch restores before it ends; `lifeboat
 * traffic undo` runs the same passes after a failover.
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
  /** A drill that exercises the switch: the production record this drill record stands in for (`name` is the drill record's). */
  drillOf: z.string().optional(),
});
export type SwitchedRecord = z.infer<typeof SwitchedRecordSchema>;

/** A submitted Route 53 change batch. */
export const SubmittedChangeSchema = z.strictObject({
  hostedZoneId: z.string(),
  changeId: z.string(),
  status: z.enum(['PENDING', 'INSYNC']),
  submittedAt: z.string(),
});

/** The phases of a pass loop: `submit` follows a `records` pass that recorded what it will change. */
export const TrafficPhaseSchema = z.enum(['targets', 'records', 'submit', 'sync', 'done']);

export const SwitchTrafficOutputSchema = z.strictObject({
  isComplete: z.boolean(),
  phase: TrafficPhaseSchema,
  mode: z.enum(['failover', 'drill', 'failback']),
  targetGroups: z.array(TrafficTargetGroupStateSchema),
  records: z.array(SwitchedRecordSchema),
  changes: z.array(SubmittedChangeSchema),
  /** True once the records read back with the new values (failover), or the report is made (drill). */
  isVerified: z.boolean(),
  /** Calls throttled in this pass, left for the next (docs/decisions/0005). */
  throttled: z.array(z.string()).optional(),
  /** A drill: `exercise` when it switched its own drill names (then restores them), absent when it only reported. */
  drill: z.enum(['exercise']).optional(),
  /** The execution's redrive count when the records were read (a redrive after a refused batch reads them again). */
  readAtRedrive: z.number().int().min(0).optional(),
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
  /** @default "switch" */
  action: z.literal('switch').optional(),
  /**
   * A drill: `report` (the default) reads and reports; `exercise` switches each record's
   * `drillRecordName` for real (the target groups given are then the drill's own).
   * @default "report"
   */
  drill: z.enum(['report', 'exercise']).optional(),
});
export type SwitchTrafficInput = z.infer<typeof SwitchTrafficInputSchema>;

/** One record a restore puts back: from the value the switch set to the value it had before (null: absent). */
export const RestoredRecordSchema = z.strictObject({
  hostedZoneId: z.string(),
  name: z.string(),
  type: z.string(),
  setIdentifier: z.string().optional(),
  /** The value the switch set (its `after`). */
  from: RecordSetSchema.nullable(),
  /** The value restored (the switch's `before`; null: the record is deleted). */
  to: RecordSetSchema.nullable(),
  /** `restored`: this restore submitted it; `unchanged`: it already had its old value; `would-restore`: a dry run. */
  status: z.enum(['restored', 'unchanged', 'would-restore']),
});
export type RestoredRecord = z.infer<typeof RestoredRecordSchema>;

/** One target group of a restore: the instances the switch registered, deregistered. */
export const RestoredTargetGroupSchema = z.strictObject({
  targetGroupArn: TargetGroupArnSchema,
  port: z.number().int().min(1).max(65535).optional(),
  instanceIds: z.array(InstanceIdSchema),
  /** True once DeregisterTargets succeeded for every instance still registered (or none was). */
  isDeregistered: z.boolean(),
  /** Health as read after deregistering: `draining` or `unused` (`Target.NotRegistered`) when done. */
  health: z.array(z.strictObject({ id: z.string(), state: z.string(), reason: z.string().optional(), description: z.string().optional() })),
});

export const RestoreTrafficOutputSchema = z.strictObject({
  action: z.literal('restore'),
  isComplete: z.boolean(),
  phase: TrafficPhaseSchema,
  mode: z.enum(['failover', 'drill']),
  /** A dry run reads and reports (`would-restore`), changing nothing. */
  isDryRun: z.boolean(),
  records: z.array(RestoredRecordSchema),
  targetGroups: z.array(RestoredTargetGroupSchema),
  changes: z.array(SubmittedChangeSchema),
  /** True once the records read back with their old values and the targets are deregistered. */
  isVerified: z.boolean(),
  throttled: z.array(z.string()).optional(),
  readAtRedrive: z.number().int().min(0).optional(),
});
export type RestoreTrafficOutput = z.infer<typeof RestoreTrafficOutputSchema>;

export const RestoreTrafficInputSchema = z.strictObject({
  action: z.literal('restore'),
  planName: PlanNameSchema,
  region: RegionSchema,
  mode: z.enum(['failover', 'drill']),
  deadline: z.iso.datetime({ offset: true }),
  /** The switch's output to undo (null: the run switched nothing, so there is nothing to restore). */
  switched: SwitchTrafficOutputSchema.nullable(),
  /** @default false */
  isDryRun: z.boolean().optional(),
  previous: RestoreTrafficOutputSchema.optional(),
});
export type RestoreTrafficInput = z.infer<typeof RestoreTrafficInputSchema>;

/** What the `switch-traffic` Lambda takes: a switch pass, or a restore pass (`action: "restore"`). */
export const TrafficTaskInputSchema = z.union([SwitchTrafficInputSchema, RestoreTrafficInputSchema], { error: 'a switch pass {planName, region, mode, deadline, targetGroups, records} or a restore pass {action: "restore", planName, region, mode, deadline, switched}' });
export type TrafficTaskInput = z.infer<typeof TrafficTaskInputSchema>;
export const TrafficTaskOutputSchema = z.union([SwitchTrafficOutputSchema, RestoreTrafficOutputSchema]);
export type TrafficTaskOutput = z.infer<typeof TrafficTaskOutputSchema>;
