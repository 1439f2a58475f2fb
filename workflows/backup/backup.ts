import type { AslDefinition, JsonValue } from '../../schemas/asl.js';
import type { Plan } from '../../schemas/plan.js';
import type { Fragment } from '../builders.js';
import { choice, distributedMap, fragment, jsonata, lit, literal, map, objectExpr, pass, str, succeed, task } from '../builders.js';
import { failurePath } from '../failure.js';
import { PRUNE_TIMEOUT_MINUTES, PRUNE_WAIT, REDRIVE_COUNT, deadlineExpr, pollLoop } from '../loops.js';
import { STANDARD_RETRY, TOP_FAILURE_VARS, catchAll } from '../policies.js';
import type { TaskArns } from '../render-context.js';
import { INLINE_MAX_TARGETS, RUN_PREFIX, childWorkflow, rpoTable, storedInput, summarizeResultsInput } from '../scale.js';
import { loopPassCaps } from '../budget.js';
import { BACKUP_BUDGET_ADVICE, batchIteration } from './batch.js';

/** State names of the backup workflow's top level. */
export const BACKUP_STATES = {
  checkOverlap: 'Check previous backup',
  isOverlapping: 'Previous backup running?',
  skipped: 'Backup skipped',
  start: 'Start backup',
  resolve: 'Resolve workloads',
  batches: 'Back up batches',
  summarize: 'Summarize batches',
  startPrune: 'Start pruning',
  prune: 'Prune recovery points',
  pruned: 'Recovery points pruned?',
  pruneWait: 'Wait to prune',
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
 *
 * With `runBucket` (a distributed run, docs/decisions/0004) the workload table is read from the
 * run bucket (written there at deploy, {@link backupTable}, docs/decisions/0021), `Resolve workloads` writes the batches to the run bucket, each batch is a child execution of a
 * Distributed Map, and `Summarize batches` reads their results back, so the parent holds counts
 * and S3 locations only, whatever the plan's size.
 */
/**
 * The workload table `resolve-workloads` takes: name, criticality, and the instance ids or the tag
 * selector of every workload. A distributed plan's is stored in the run bucket at deploy
 * (`planObjects` in workflows/render.ts).
 */
export function backupTable(plan: Plan): { workloads: { [key: string]: JsonValue }[] } {
  return {
    workloads: plan.workloads.map((w) => ({
      name: w.name,
      isCritical: w.critical,
      ...(w.instanceIds !== undefined ? { instanceIds: [...w.instanceIds] } : {}),
      ...(w.tagSelector !== undefined ? { tagSelector: { ...w.tagSelector } } : {}),
    })),
  };
}

export function backupDefinition(plan: Plan, arns: TaskArns, runBucket?: string): AslDefinition {
  const s = BACKUP_STATES;
  const v = TOP_FAILURE_VARS;
  const toRecorder = (step: string) => catchAll(step, s.record, v);
  const workloads = literal(backupTable(plan).workloads, 'plan.workloads');
  const retention = literal(
    {
      ...(plan.backup.retention.count !== undefined ? { count: plan.backup.retention.count } : {}),
      ...(plan.backup.retention.maxAgeDays !== undefined ? { maxAgeDays: plan.backup.retention.maxAgeDays } : {}),
    },
    'plan.backup.retention',
  );

  // Batches that run together start copying once the quickest batch's images are ready (decision 0018).
  const quickFirst: Record<string, boolean> = plan.backup.maxConcurrentBatches > 1 ? { isQuickFirstBatch: true } : {};
  const rpoWorkloads = plan.workloads.map((w) => ({ name: w.name, isCritical: w.critical }));

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
          ...(runBucket === undefined ? {} : { runPrefix: RUN_PREFIX }),
        },
        next: s.resolve,
      }),
      [s.resolve]: task('resolve-workloads', {
        functionArn: arns('resolve-workloads'),
        ...(runBucket === undefined
          ? { input: { planName: plan.name, region: plan.primaryRegion, batchSize: plan.backup.batchSize, ...quickFirst, workloads, ...inlineLimit(plan) } }
          : {
              input: { planName: plan.name, region: plan.primaryRegion, batchSize: plan.backup.batchSize, ...quickFirst, itemStore: { bucket: runBucket, prefix: jsonata('$runPrefix') } },
              storedInput: storedInput(plan.name, plan.primaryRegion, runBucket, backupTable(plan)).reference,
            }),
        assign: {
          ...(runBucket === undefined ? { batches: jsonata('$states.result.Payload.batches') } : { batchItems: jsonata('$states.result.Payload.items') }),
          targetCount: jsonata('$states.result.Payload.targetCount'),
          unmatched: jsonata('$states.result.Payload.unmatched'),
          unmatchedCount: jsonata('$states.result.Payload.unmatchedCount'),
        },
        output: jsonata(
          runBucket === undefined
            ? '{"targetCount": $states.result.Payload.targetCount, "batchCount": $count($states.result.Payload.batches)}'
            : '{"targetCount": $states.result.Payload.targetCount, "batchCount": $states.result.Payload.batchCount}',
        ),
        retry: STANDARD_RETRY,
        catch: [toRecorder(s.resolve)],
        next: s.batches,
        comment: 'Finds the instances of every workload and splits them into batches.',
      }),
      ...(runBucket === undefined
        ? {
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
              next: s.startPrune,
            }),
          }
        : distributedBatches(plan, arns, runBucket, toRecorder)),
      [s.startPrune]: pass({
        comment: "The prune loop's deadline, counted from now.",
        assign: { pruneDeadline: deadlineExpr(PRUNE_TIMEOUT_MINUTES), pruned: null, prunedCount: 0, prunePolls: 0, prunePollsQuick: 0, prunePollsSpent: 0, prunePollsRedrive: jsonata(REDRIVE_COUNT), pruneProgress: null },
        next: s.prune,
      }),
      ...pollLoop({
        id: 'prune',
        functionArn: arns('prune'),
        names: { task: s.prune, check: s.pruned, wait: s.pruneWait },
        input: objectExpr(
          {
            planName: str(plan.name),
            primaryRegion: str(plan.primaryRegion),
            recoveryRegion: str(plan.recoveryRegion),
            retention: lit(retention),
            // A distributed run keeps its own points by their execution tag (prune never deletes them).
            keepImageIds: runBucket === undefined ? '[$verified.imageId]' : '[]',
            deadline: '$pruneDeadline',
          },
          { deleted: '$pruned', deletedCount: '$prunedCount', keptCount: '$pruneProgress.keptCount', finished: '$pruneProgress.finished' },
        ),
        assign: {
          pruned: jsonata('$states.result.Payload.deleted'),
          prunedCount: jsonata('$states.result.Payload.deletedCount'),
          pruneProgress: jsonata('{"keptCount": $states.result.Payload.keptCount, "finished": $states.result.Payload.finished}'),
        },
        retry: STANDARD_RETRY,
        catch: toRecorder(s.prune),
        pollsVar: 'prunePolls',
        redriveRefresh: { pruneDeadline: deadlineExpr(PRUNE_TIMEOUT_MINUTES) },
        ladder: PRUNE_WAIT,
        // A pass that stopped at its per-pass bound (tasks/prune, PRUNE_DEREGISTERS_PER_PASS) has
        // nothing to wait for: the next one goes on at once.
        againWhen: '$exists($states.input.stoppedBy)',
        budget: { maxPasses: loopPassCaps(plan).prune, vars: v, advice: BACKUP_BUDGET_ADVICE },
        done: s.metrics,
        comment: 'Seals the run\'s recovery set and deletes recovery points beyond retention; never the ones just verified, never the newest verified. A throttled call is left for the next pass.',
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
            ...(runBucket === undefined ? { workloads: lit(rpoWorkloads) } : {}),
            objectives: lit({ rpoMinutes: plan.objectives.rpoMinutes, rtoMinutes: plan.objectives.rtoMinutes }),
            // A distributed run: the whole per-workload RPO report goes beside the run's other objects; the output lists the first few.
            ...(runBucket === undefined ? {} : { detailsStore: `{"bucket": ${str(runBucket)}, "key": $runPrefix & '/rpo.json'}` }),
          }),
        ),
        // A distributed plan's thousands of workloads are read from the run bucket, as for the resolve step.
        ...(runBucket === undefined ? {} : { storedInput: storedInput(plan.name, plan.primaryRegion, runBucket, rpoTable(plan)).reference }),
        assign: { rpo: jsonata('$exists($states.result.Payload.rpo) ? $states.result.Payload.rpo : null') },
        output: jsonata('{"metrics": $states.result.Payload.metrics, "rpo": $exists($states.result.Payload.rpo) ? $states.result.Payload.rpo : null}'),
        retry: STANDARD_RETRY,
        catch: [toRecorder(s.metrics)],
        next: s.done,
        comment: 'Publishes BackupSucceeded, and RecoveryPointAgeSeconds (the age of every workload\'s newest recovery set) in the recovery region.',
      }),
      [s.done]: succeed({
        output: jsonata(
          runBucket === undefined
            ? `{"planName": ${str(plan.name)}, "recoveryPointTime": $recoveryPointTime, "targetCount": $targetCount, "verifiedCount": $count($verified), "unmatched": $unmatched, "unmatchedCount": $unmatchedCount, "prunedCount": $prunedCount, "rpo": $rpo, "recoveryPoints": $verified}`
            : `{"planName": ${str(plan.name)}, "recoveryPointTime": $recoveryPointTime, "targetCount": $targetCount, "verifiedCount": $verifiedCount, "unmatched": $unmatched, "unmatchedCount": $unmatchedCount, "prunedCount": $prunedCount, "rpo": $rpo, "recoveryPointList": $recoveryPointList}`,
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
      resumable: [{ step: s.checkOverlap }, { step: s.resolve }, ...(runBucket === undefined ? [] : [{ step: s.summarize }]), { step: s.prune, assign: { pruneDeadline: deadlineExpr(PRUNE_TIMEOUT_MINUTES), prunePolls: 0, prunePollsQuick: 0 } }, { step: s.metrics }],
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

/** An inline run's resolve step refuses more targets than an inline run carries (scale.mode auto or inline). */
function inlineLimit(plan: Plan): { maxTargets?: number } {
  return plan.scale.mode === 'inline' ? {} : { maxTargets: INLINE_MAX_TARGETS };
}

/**
 * The distributed part of a backup: `Back up batches` runs one child execution per batch (the
 * batch iteration behind a first Pass that takes the run constants from its input), then
 * `Summarize batches` reads the results the Map wrote and keeps counts and the list's location.
 */
function distributedBatches(plan: Plan, arns: TaskArns, runBucket: string, toRecorder: (step: string) => ReturnType<typeof catchAll>): Fragment {
  const s = BACKUP_STATES;
  return {
    [s.batches]: distributedMap({
      comment: 'Each batch is a child execution (image, copy, verify); a failed batch fails the run, and a redrive re-runs only the failed children.',
      itemReader: { bucket: runBucket, key: jsonata('$batchItems.key') },
      itemSelector: {
        batch: jsonata('$states.context.Map.Item.Value.batch'),
        targets: jsonata('$states.context.Map.Item.Value.targets'),
        recoveryPointTime: jsonata('$recoveryPointTime'),
        runExecutionArn: jsonata('$states.context.Execution.Id'),
      },
      iteration: childWorkflow(batchIteration(plan, arns), { start: 'Start batch run', fromInput: { recoveryPointTime: 'recoveryPointTime' } }),
      maxConcurrency: plan.backup.maxConcurrentBatches,
      resultWriter: { bucket: runBucket, prefix: jsonata("$runPrefix & '/batches'") },
      label: 'batch',
      assign: { batchResults: jsonata('$states.result.ResultWriterDetails') },
      output: jsonata('{"mapRunArn": $states.result.MapRunArn}'),
      next: s.summarize,
    }),
    [s.summarize]: task('summarize-results', {
      functionArn: arns('summarize-results'),
      input: summarizeResultsInput({
        kind: 'backup-batches',
        planName: plan.name,
        region: plan.primaryRegion,
        resultsVariable: 'batchResults',
        runBucket,
        storeKey: jsonata("$runPrefix & '/recovery-points.json'"),
      }),
      assign: {
        verifiedCount: jsonata('$states.result.Payload.verifiedCount'),
        recoveryPointList: jsonata('$states.result.Payload.records'),
      },
      output: jsonata('{"verifiedCount": $states.result.Payload.verifiedCount}'),
      retry: STANDARD_RETRY,
      catch: [toRecorder(s.summarize)],
      next: s.startPrune,
      comment: "Reads the batches' results from the run bucket; keeps the count and where the verified list is.",
    }),
  };
}
