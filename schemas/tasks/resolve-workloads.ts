import * as z from 'zod';
import { InstanceIdSchema, PlanNameSchema, RegionSchema, TargetSchema, WorkloadNameSchema } from './common.js';
import { ItemStoreSchema, S3ObjectSchema } from './store.js';

/** Input of `resolve-workloads`: the plan's workloads, resolved to instances in `region`. */
export const ResolveWorkloadsInputSchema = z.strictObject({
  planName: PlanNameSchema,
  region: RegionSchema,
  /** Targets per batch (the plan's `backup.batchSize`). */
  batchSize: z.number().int().min(1).max(1000),
  workloads: z
    .array(
      z.strictObject({
        name: WorkloadNameSchema,
        isCritical: z.boolean(),
        instanceIds: z.array(InstanceIdSchema).min(1).optional(),
        tagSelector: z.record(z.string().min(1), z.string()).optional(),
      }),
    )
    .min(1),
  /**
   * A distributed run: write the batches as the Distributed Map's item list
   * (`<prefix>/batches.json`, `[{batch, targets}]`) instead of returning them.
   */
  itemStore: ItemStoreSchema.optional(),
  /**
   * Batches run several at once (`backup.maxConcurrentBatches` > 1): the first batch takes the
   * instances with the fewest EBS volumes (the quickest to image), so the first copies start about
   * one short image after the run starts; the rest keep the most-volumes-first order
   * (docs/decisions/0018, "Update"). Absent: most volumes first throughout.
   */
  isQuickFirstBatch: z.boolean().optional(),
  /** An inline run: fail with `Lifeboat.InvalidInput` when the workloads resolve to more targets than this. */
  maxTargets: z.number().int().min(1).optional(),
});
/** Input of `resolve-workloads`. */
export type ResolveWorkloadsInput = z.infer<typeof ResolveWorkloadsInputSchema>;

/** Output of `resolve-workloads`. */
export const ResolveWorkloadsOutputSchema = z.strictObject({
  /** Every target, in batches of at most `batchSize` (empty when they were written to `items`). */
  batches: z.array(z.array(TargetSchema)),
  /** How many batches there are. */
  batchCount: z.number().int().min(0).optional(),
  /** Distributed run: the item list written to S3 (`[{batch, targets}]`). */
  items: S3ObjectSchema.optional(),
  targetCount: z.number().int().min(0),
  /** Optional workloads that matched no instance: the first 20 in plan order (all of them are in the task's log). */
  unmatched: z.array(WorkloadNameSchema),
  /** How many optional workloads matched no instance. */
  unmatchedCount: z.number().int().min(0),
});
/** Output of `resolve-workloads`. */
export type ResolveWorkloadsOutput = z.infer<typeof ResolveWorkloadsOutputSchema>;
