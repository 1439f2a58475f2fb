import type { AslDefinition } from '../../schemas/asl.js';
import type { Plan } from '../../schemas/plan.js';
import { choice, fragment, jsonata, lit, literal, map, objectExpr, pass, str, succeed, task } from '../builders.js';
import { failurePath } from '../failure.js';
import { STANDARD_RETRY, TOP_FAILURE_VARS, catchAll } from '../policies.js';
import type { TaskArns } from '../render-context.js';
import { batchIteration } from './batch.js';

/** State names of the backup workflow's top level. */
export const BACKUP_STATES = {
  checkOverlap: 'Check previous backup',
  isOverlapping: 'Previous backup running?',
  skipped: 'Backup skipped',
  start: 'Start backup',
  resolve: 'Resolve workloads',
  batches: 'Back up batches',
  prune: 'Prune recovery points',
  metrics: 'Record backup metrics',
  done: 'Backup succeeded',
  record: 'Record failure',
  resume: 'Resume after redrive?',
  failed: 'Backup failed',
} as const;

/**
 * The backup workflow (primary region): resolve the plan's workloads to instances in batches,
 * image → copy → verify each batch (a Map, `plan.backup.maxConcurrentBatches` at a time), seal
 * the run's recovery set and prune beyond retention (`prune`), record the RPO metrics, and
 * succeed with a small summary. Any failure goes to `Record failure`, which ends the run FAILED naming the
 * step and cause; a redrive resumes at the failed step.
 *
 * The execution input is ignored: the plan is baked into the definition and the recovery-point
 * time is the execution's start time.
 */
export function backupDefinition(plan: Plan, arns: TaskArns): AslDefinition {
  const s = BACKUP_STATES;
  const v = TOP_FAILURE_VARS;
  const toRecorder = (step: string) => catchAll(step, s.record, v);
  const workloads = literal(
    plan.workloads.map((w) => ({
      name: w.name,
      isCritical: w.critical,
      ...(w.instanceIds !== undefined ? { instanceIds: w.instanceIds } : {}),
      ...(w.tagSelector !== undefined ? { tagSelector: w.tagSelector } : {}),
    })),
    'plan.workloads',
  );
  const retention = literal(
    {
      ...(plan.backup.retention.count !== undefined ? { count: plan.backup.retention.count } : {}),
      ...(plan.backup.retention.maxAgeDays !== undefined ? { maxAgeDays: plan.backup.retention.maxAgeDays } : {}),
    },
    'plan.backup.retention',
  );

  const states = fragment(
    {
      [s.checkOverlap]: task('check-overlap', {
        functionArn: arns('check-overlap'),
        input: { planName: plan.name, region: plan.primaryRegion },
        output: jsonata('$states.result.Payload'),
        retry: STANDARD_RETRY,
        catch: [toRecorder(s.checkOverlap)],
        next: s.isOverlapping,
        comment: 'A scheduled backup that finds the previous one still running does not start a second one (publishes BackupSkipped).',
      }),
      [s.isOverlapping]: choice({
        rules: [{ when: '$states.input.isPreviousRunning = true', next: s.skipped }],
        otherwise: s.start,
      }),
      [s.skipped]: succeed({
        output: jsonata(
          `{"planName": ${str(plan.name)}, "skipped": true, "reason": "skipped: previous backup still running", "previous": $states.input.previous}`,
        ),
      }),
      [s.start]: pass({
        comment: 'Run constants: the recovery-point time is the execution start time.',
        assign: {
          startedAt: jsonata('$states.context.Execution.StartTime'),
          recoveryPointTime: jsonata('$states.context.Execution.StartTime'),
        },
        next: s.resolve,
      }),
      [s.resolve]: task('resolve-workloads', {
        functionArn: arns('resolve-workloads'),
        input: {
          planName: plan.name,
          region: plan.primaryRegion,
          batchSize: plan.backup.batchSize,
          workloads,
        },
        assign: {
          batches: jsonata('$states.result.Payload.batches'),
          targetCount: jsonata('$states.result.Payload.targetCount'),
          unmatched: jsonata('$states.result.Payload.unmatched'),
        },
        output: jsonata('{"targetCount": $states.result.Payload.targetCount, "batchCount": $count($states.result.Payload.batches)}'),
        retry: STANDARD_RETRY,
        catch: [toRecorder(s.resolve)],
        next: s.batches,
        comment: 'Finds the instances of every workload and splits them into batches.',
      }),
      [s.batches]: map({
        comment: 'Image, copy and verify each batch; a failed batch fails the run (redrive re-runs only that batch).',
        items: '$batches',
        itemSelector: {
          targets: jsonata('$states.context.Map.Item.Value'),
          batch: jsonata('$states.context.Map.Item.Index + 1'),
        },
        iteration: batchIteration(plan, arns),
        maxConcurrency: plan.backup.maxConcurrentBatches,
        assign: { verified: jsonata('[$states.result.verified]') },
        output: jsonata('{"verifiedCount": $count([$states.result.verified])}'),
        next: s.prune,
      }),
      [s.prune]: task('prune', {
        functionArn: arns('prune'),
        input: {
          planName: plan.name,
          primaryRegion: plan.primaryRegion,
          recoveryRegion: plan.recoveryRegion,
          retention,
          keepImageIds: jsonata('[$verified.imageId]'),
        },
        assign: { prunedCount: jsonata('$count($states.result.Payload.deleted)') },
        retry: STANDARD_RETRY,
        catch: [toRecorder(s.prune)],
        next: s.metrics,
        comment: 'Deletes recovery points beyond retention; never the ones just verified, never the newest verified.',
      }),
      [s.metrics]: task('record-metrics', {
        functionArn: arns('record-metrics'),
        input: jsonata(
          objectExpr({
            kind: str('backup'),
            planName: str(plan.name),
            region: str(plan.primaryRegion),
            outcome: str('SUCCEEDED'),
            startedAt: '$startedAt',
            recoveryPointTime: '$recoveryPointTime',
            workloadCount: lit(plan.workloads.length),
            recoveryRegion: str(plan.recoveryRegion),
            workloads: lit(plan.workloads.map((w) => ({ name: w.name, isCritical: w.critical }))),
            objectives: lit({ rpoMinutes: plan.objectives.rpoMinutes, rtoMinutes: plan.objectives.rtoMinutes }),
          }),
        ),
        assign: { rpo: jsonata('$exists($states.result.Payload.rpo) ? $states.result.Payload.rpo : null') },
        output: jsonata('{"metrics": $states.result.Payload.metrics, "rpo": $exists($states.result.Payload.rpo) ? $states.result.Payload.rpo : null}'),
        retry: STANDARD_RETRY,
        catch: [toRecorder(s.metrics)],
        next: s.done,
        comment: 'Publishes BackupSucceeded, and RecoveryPointAgeSeconds (the age of every workload\'s newest recovery set) in the recovery region.',
      }),
      [s.done]: succeed({
        output: jsonata(
          `{"planName": ${str(plan.name)}, "recoveryPointTime": $recoveryPointTime, "targetCount": $targetCount, "verifiedCount": $count($verified), "unmatched": $unmatched, "prunedCount": $prunedCount, "rpo": $rpo, "recoveryPoints": $verified}`,
        ),
      }),
    },
    failurePath({
      kind: 'backup',
      planName: plan.name,
      region: plan.primaryRegion,
      vars: v,
      names: { record: s.record, resume: s.resume, failed: s.failed },
      isFinal: true,
      resumable: [{ step: s.checkOverlap }, { step: s.resolve }, { step: s.prune }, { step: s.metrics }],
      functionArn: arns('record-failure'),
    }),
  );

  return {
    Comment: `Lifeboat backup of plan ${JSON.stringify(plan.name)}: ${plan.primaryRegion} → ${plan.recoveryRegion}.`,
    QueryLanguage: 'JSONata',
    StartAt: s.checkOverlap,
    States: states,
  };
}
