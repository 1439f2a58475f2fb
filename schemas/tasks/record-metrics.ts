import { z } from 'zod';
import { IsoTimeSchema, PlanNameSchema, RegionSchema, RunKindSchema } from './common.js';

/** Input of `record-metrics`: publishes a run's RPO or RTO and outcome to CloudWatch. */
export const RecordMetricsInputSchema = z.strictObject({
  kind: RunKindSchema,
  planName: PlanNameSchema,
  region: RegionSchema,
  outcome: z.enum(['SUCCEEDED', 'FAILED'], { error: 'one of "SUCCEEDED", "FAILED"' }),
  startedAt: IsoTimeSchema,
  /** failover/drill: when the last instance became ready. */
  readyAt: IsoTimeSchema.optional(),
  /** backup: the recovery point's time. */
  recoveryPointTime: IsoTimeSchema.optional(),
  workloadCount: z.number().int().min(0),
});
/** Input of `record-metrics`. */
export type RecordMetricsInput = z.infer<typeof RecordMetricsInputSchema>;

/** A published metric datum. */
export const MetricSchema = z.strictObject({
  name: z.string().min(1),
  value: z.number(),
  unit: z.enum(['Seconds', 'Count', 'None']),
});
/** A published metric datum. */
export type Metric = z.infer<typeof MetricSchema>;

/** Output of `record-metrics`. */
export const RecordMetricsOutputSchema = z.strictObject({ metrics: z.array(MetricSchema) });
/** Output of `record-metrics`. */
export type RecordMetricsOutput = z.infer<typeof RecordMetricsOutputSchema>;
