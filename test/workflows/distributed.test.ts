import aslValidator from 'asl-validator';
import { describe, expect, test } from 'vitest';
import type { AslDefinition, AslMap, AslState, AslTask } from '../../schemas/asl.js';
import { AslDefinitionSchema } from '../../schemas/asl.js';
import { TaskEnvelopeSchema } from '../../schemas/tasks/envelope.js';
import { ResolveRecoveryPointsInputSchema } from '../../schemas/tasks/resolve-recovery-points.js';
import { ResolveWorkloadsInputSchema } from '../../schemas/tasks/resolve-workloads.js';
import { lintWorkflow } from '../../workflows/lint.js';
import { isDistributed, planObjects, renderBackup, renderFailover, renderPublishRpo } from '../../workflows/render.js';
import { TEST_ARNS } from './helpers/fake-tasks.js';
import { examplePlan, manyWorkloadsPlan } from './helpers/plans.js';

const BUCKET = 'lifeboat-runs-eu-west-1';
const options = { ...TEST_ARNS, runBucket: BUCKET };
const big = manyWorkloadsPlan(5_000);

function allStates(definition: { States: Record<string, AslState> }): [string, AslState][] {
  return Object.entries(definition.States).flatMap(([name, state]): [string, AslState][] =>
    state.Type === 'Map' ? [[name, state], ...allStates(state.ItemProcessor)] : [[name, state]],
  );
}
/** The table a task reads from the run bucket: the object the deployment writes under the key its definition names. */
const unpack = (task: AslTask) => {
  const ref = (task.Arguments as { Payload: { storedInput: { bucket: string; key: string; sha256: string } } }).Payload.storedInput;
  expect(ref.bucket).toBe(BUCKET);
  const object = planObjects(big).find((o) => o.key === ref.key);
  expect(object?.sha256).toBe(ref.sha256);
  return JSON.parse(object!.body);
};

const renders = [
  ['backup', () => renderBackup(big, options)],
  ['failover', () => renderFailover(big, 'failover', options)],
  ['drill', () => renderFailover(big, 'drill', options)],
] as const;

describe('workflow: distributed runs (docs/decisions/0004)', () => {
  test('scale.mode auto renders inline up to 100 instances and distributed above; inline and distributed force it', () => {
    expect(isDistributed(manyWorkloadsPlan(100))).toBe(false);
    expect(isDistributed(manyWorkloadsPlan(101))).toBe(true);
    expect(isDistributed(manyWorkloadsPlan(101, { scale: { mode: 'inline' } }))).toBe(false);
    expect(isDistributed(manyWorkloadsPlan(2, { scale: { mode: 'distributed' } }))).toBe(true);
    expect(isDistributed(examplePlan('three-tier'))).toBe(false);
  });

  test('rejects rendering a distributed plan without a run bucket, saying what is missing', () => {
    expect(() => renderBackup(big, TEST_ARNS)).toThrow(/plan "fleet": the plan runs distributed .* needs RenderOptions.runBucket; found none/);
  });

  test.each(renders)('a 5,000-workload %s is valid ASL (Zod schema, asl-validator), lint-clean, and small', (kind, render) => {
    const d = render();
    const parsed = AslDefinitionSchema.safeParse(d);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    const validated = aslValidator(structuredClone(d));
    expect(validated.isValid ? '' : validated.errorsText('\n')).toBe('');
    expect(lintWorkflow(d, { name: kind, ...(kind === 'backup' ? {} : { mode: kind }) })).toEqual([]);
    // The plan's 5,000 workloads are read from the run bucket (docs/decisions/0021): the
    // definition does not grow with the plan, and no Arguments template comes near 256 KiB.
    expect(Buffer.byteLength(JSON.stringify(d))).toBeLessThan(80_000);
    for (const [name, state] of allStates(d)) {
      if (state.Type === 'Task') expect(Buffer.byteLength(JSON.stringify(state.Arguments)), name).toBeLessThan(16 * 1024);
    }
  });

  test('backup: the resolve step writes the batches to the run bucket, one child execution per batch reads them', () => {
    const d = renderBackup(big, options);
    const resolve = d.States['Resolve workloads'] as AslTask;
    const payload = (resolve.Arguments as { Payload: { input: Record<string, unknown> } }).Payload;
    expect(payload.input).toMatchObject({ itemStore: { bucket: BUCKET, prefix: '{% $runPrefix %}' } });
    // What the task gets once unpacked is a valid resolve-workloads input listing every workload.
    const unpacked = unpack(resolve);
    expect(unpacked.workloads).toHaveLength(5_000);
    const input = { ...payload.input, itemStore: { bucket: BUCKET, prefix: 'runs/lifeboat-fleet-backup/run-1' }, ...unpacked };
    expect(ResolveWorkloadsInputSchema.safeParse(input).success).toBe(true);
    expect(TaskEnvelopeSchema.shape.storedInput.safeParse((resolve.Arguments as { Payload: { storedInput: unknown } }).Payload.storedInput).success).toBe(true);

    const batches = d.States['Back up batches'] as AslMap;
    expect(batches).toMatchObject({
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Arguments: { Bucket: BUCKET, Key: '{% $batchItems.key %}' } },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Start batch run' },
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Arguments: { Bucket: BUCKET }, WriterConfig: { OutputType: 'JSON', Transformation: 'COMPACT' } },
      ToleratedFailureCount: 0,
      MaxConcurrency: big.backup.maxConcurrentBatches,
      Next: 'Summarize batches',
    });
    expect(batches.Catch).toBeUndefined(); // a failed batch fails the run at the Map; a redrive re-runs the failed children
    expect(d.States['Summarize batches']).toMatchObject({ Type: 'Task', Next: 'Start pruning' });
  });

  test('backup and the RPO publisher: the whole RPO report goes to the run bucket beside the run\'s objects; an inline plan\'s stays in the output (issue 8)', () => {
    const record = renderBackup(big, options).States['Record backup metrics'] as AslTask;
    const recordInput = (record.Arguments as { Payload: { input: string } }).Payload.input;
    expect(recordInput).toContain(`"detailsStore": {"bucket": "${BUCKET}", "key": $runPrefix & '/rpo.json'}`);
    const publish = renderPublishRpo(big, options).States['Publish RPO'] as AslTask;
    expect((publish.Arguments as { Payload: { input: Record<string, unknown> } }).Payload.input.detailsStore).toBe(
      `{% {"bucket": "${BUCKET}", "key": 'runs/' & $states.context.StateMachine.Name & '/' & $states.context.Execution.Name & '/rpo.json'} %}`,
    );
    const small = examplePlan('three-tier');
    expect(JSON.stringify(renderBackup(small, options).States['Record backup metrics'])).not.toContain('detailsStore');
    expect(JSON.stringify(renderPublishRpo(small, options))).not.toContain('detailsStore');
    expect(() => renderPublishRpo(big, TEST_ARNS)).toThrow(/needs RenderOptions\.runBucket/);
  });

  test("children tag what they create with the parent's execution ARN, which the parent passes in", () => {
    for (const [, render] of renders) {
      const d = render();
      const maps = allStates(d).filter((e): e is [string, AslMap] => e[1].Type === 'Map');
      expect(maps.length).toBeGreaterThan(0);
      for (const [name, m] of maps) {
        expect(m.ItemSelector, name).toMatchObject({ runExecutionArn: '{% $states.context.Execution.Id %}' });
        const start = m.ItemProcessor.States[m.ItemProcessor.StartAt]!;
        expect(start).toMatchObject({ Type: 'Pass', Assign: { runExecutionArn: '{% $states.input.runExecutionArn %}' } });
        for (const [taskName, state] of allStates(m.ItemProcessor)) {
          if (state.Type !== 'Task') continue;
          expect((state.Arguments as { Payload: { context: { executionArn: string } } }).Payload.context.executionArn, taskName).toBe('{% $runExecutionArn %}');
        }
      }
      // The parent's own tasks name the parent.
      for (const [name, state] of Object.entries(d.States)) {
        if (state.Type !== 'Task') continue;
        expect((state.Arguments as { Payload: { context: { executionArn: string } } }).Payload.context.executionArn, name).toBe('{% $states.context.Execution.Id %}');
      }
    }
  });

  test('failover: waves run one after another in a loop, each a Distributed Map of launch batches, summarized', () => {
    const d = renderFailover(big, 'failover', options);
    const resolve = d.States['Resolve recovery points'] as AslTask;
    const unpacked = unpack(resolve);
    expect(unpacked.workloads).toHaveLength(5_000);
    expect(ResolveRecoveryPointsInputSchema.safeParse({ planName: 'fleet', region: 'eu-central-1', ...unpacked, launchBatchSize: 50 }).success).toBe(true);
    expect(resolve.Next).toBe('Next wave?');
    expect(d.States['Next wave?']).toMatchObject({ Type: 'Choice', Choices: [{ Condition: '{% $waveIndex >= $count($waves) %}', Next: 'Record recovery metrics' }], Default: 'Launch wave' });
    expect(d.States['Launch wave']).toMatchObject({
      ItemReader: { Arguments: { Key: '{% $waves[$waveIndex].items.key %}' } },
      MaxConcurrency: big.scale.maxConcurrentLaunchBatches,
      Next: 'Summarize wave',
    });
    expect(d.States['Summarize wave']).toMatchObject({ Next: 'Next wave?' });
    expect(d.States['Launch waves']).toBeUndefined();
  });

  test('drill: a failed wave is caught into the teardown path', () => {
    const d = renderFailover(big, 'drill', options);
    expect((d.States['Launch wave'] as AslMap).Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'Start teardown after failure' })]);
  });
});

describe('lint: Distributed Map', () => {
  const d = () => structuredClone(renderBackup(big, options)) as AslDefinition & { States: Record<string, any> };

  test('reports a Distributed Map without ResultWriter or ItemReader, with Express children, or above 10,000 at once', () => {
    const broken = d();
    delete broken.States['Back up batches'].ResultWriter;
    delete broken.States['Back up batches'].ItemReader;
    broken.States['Back up batches'].Items = '{% [] %}';
    broken.States['Back up batches'].ItemProcessor.ProcessorConfig.ExecutionType = 'EXPRESS';
    broken.States['Back up batches'].MaxConcurrency = 20_000;
    const problems = lintWorkflow(broken, { name: 'backup' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/state 'Back up batches' › ItemReader: missing; a Distributed Map reads its items from S3/),
        expect.stringMatching(/state 'Back up batches' › ResultWriter: missing/),
        expect.stringMatching(/ProcessorConfig.ExecutionType: expected "STANDARD".*found "EXPRESS"/),
        expect.stringMatching(/state 'Back up batches' › MaxConcurrency: expected 1 to 10000 child executions at once, found 20000/),
      ]),
    );
  });

  test("reports a child that reads a parent's variable it was not given", () => {
    const broken = d();
    delete broken.States['Back up batches'].ItemProcessor.States['Start batch run'].Assign.recoveryPointTime;
    expect(lintWorkflow(broken, { name: 'backup' })).toEqual(
      expect.arrayContaining([expect.stringMatching(/state 'Create images' › .*'\$recoveryPointTime' is never assigned in this scope or an enclosing one/)]),
    );
  });
});
