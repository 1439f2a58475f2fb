import type { z } from 'zod';
import { CheckOverlapInputSchema, CheckOverlapOutputSchema } from './check-overlap.js';
import { CollectInputSchema, CollectOutputSchema } from './collect.js';
import { CopyInputSchema, CopyOutputSchema } from './copy.js';
import { FindRecoveredInstancesInputSchema, FindRecoveredInstancesOutputSchema } from './find-recovered-instances.js';
import { ImageInputSchema, ImageOutputSchema } from './image.js';
import type { TaskId } from './index.js';
import { LaunchInRegionInputSchema, LaunchInRegionOutputSchema } from './launch-in-region.js';
import { ProbeHealthInputSchema, ProbeHealthOutputSchema } from './probe-health.js';
import { PreflightInputSchema, PreflightOutputSchema } from './preflight.js';
import { PruneInputSchema, PruneOutputSchema } from './prune.js';
import { PublishRpoInputSchema, PublishRpoOutputSchema } from './publish-rpo.js';
import { RecordFailureInputSchema, RecordFailureOutputSchema } from './record-failure.js';
import { RequestApprovalInputSchema, RequestApprovalOutputSchema } from './request-approval.js';
import { RecordMetricsInputSchema, RecordMetricsOutputSchema } from './record-metrics.js';
import { RetireInstancesInputSchema, RetireInstancesOutputSchema } from './retire-instances.js';
import { ResolveRecoveryPointsInputSchema, ResolveRecoveryPointsOutputSchema } from './resolve-recovery-points.js';
import { ResolveWorkloadsInputSchema, ResolveWorkloadsOutputSchema } from './resolve-workloads.js';
import { SummarizeResultsInputSchema, SummarizeResultsOutputSchema } from './summarize-results.js';
import { TrafficTaskInputSchema, TrafficTaskOutputSchema } from './switch-traffic.js';
import { TeardownInputSchema, TeardownOutputSchema } from './teardown.js';
import { VerifyInputSchema, VerifyOutputSchema } from './verify.js';

/** A task's input and output schemas. */
export interface TaskSchemas {
  readonly input: z.ZodType;
  readonly output: z.ZodType;
}

/**
 * Every task's input and output schema, by task id (for workflows' tests and the sandbox).
 *
 * @example TASK_SCHEMAS.copy.input.parse(payload.input)
 */
export const TASK_SCHEMAS = {
  'resolve-workloads': { input: ResolveWorkloadsInputSchema, output: ResolveWorkloadsOutputSchema },
  image: { input: ImageInputSchema, output: ImageOutputSchema },
  copy: { input: CopyInputSchema, output: CopyOutputSchema },
  verify: { input: VerifyInputSchema, output: VerifyOutputSchema },
  prune: { input: PruneInputSchema, output: PruneOutputSchema },
  'record-metrics': { input: RecordMetricsInputSchema, output: RecordMetricsOutputSchema },
  'record-failure': { input: RecordFailureInputSchema, output: RecordFailureOutputSchema },
  'resolve-recovery-points': { input: ResolveRecoveryPointsInputSchema, output: ResolveRecoveryPointsOutputSchema },
  'launch-in-region': { input: LaunchInRegionInputSchema, output: LaunchInRegionOutputSchema },
  teardown: { input: TeardownInputSchema, output: TeardownOutputSchema },
  'switch-traffic': { input: TrafficTaskInputSchema, output: TrafficTaskOutputSchema },
  collect: { input: CollectInputSchema, output: CollectOutputSchema },
  'check-overlap': { input: CheckOverlapInputSchema, output: CheckOverlapOutputSchema },
  'summarize-results': { input: SummarizeResultsInputSchema, output: SummarizeResultsOutputSchema },
  'publish-rpo': { input: PublishRpoInputSchema, output: PublishRpoOutputSchema },
  'probe-health': { input: ProbeHealthInputSchema, output: ProbeHealthOutputSchema },
  'request-approval': { input: RequestApprovalInputSchema, output: RequestApprovalOutputSchema },
  preflight: { input: PreflightInputSchema, output: PreflightOutputSchema },
  'find-recovered-instances': { input: FindRecoveredInstancesInputSchema, output: FindRecoveredInstancesOutputSchema },
  'retire-instances': { input: RetireInstancesInputSchema, output: RetireInstancesOutputSchema },
} as const satisfies Record<TaskId, TaskSchemas>;
