import aslValidator from 'asl-validator';
import { describe, expect, test } from 'vitest';
import type { AslDefinition, AslState, AslTask } from '../../schemas/asl.js';
import { AslDefinitionSchema } from '../../schemas/asl.js';
import { TASK_IDS } from '../../schemas/tasks/index.js';
import { lintWorkflow } from '../../workflows/lint.js';
import { LAMBDA_SERVICE_ERRORS } from '../../workflows/policies.js';
import { renderBackup, renderFailover, renderPublishRpo, stateMachineName } from '../../workflows/render.js';
import { TEST_ARNS } from './helpers/fake-tasks.js';
import { EXAMPLE_PLANS, examplePlan, manyWorkloadsPlan } from './helpers/plans.js';

/** Every state of a definition, Map iterations included, with its name. */
function allStates(definition: { States: Record<string, AslState> }): [string, AslState][] {
  return Object.entries(definition.States).flatMap(([name, state]): [string, AslState][] =>
    state.Type === 'Map' ? [[name, state], ...allStates(state.ItemProcessor)] : [[name, state]],
  );
}

const tasksOf = (d: AslDefinition) => allStates(d).filter((e): e is [string, AslTask] => e[1].Type === 'Task');
const taskIdOf = (t: AslTask) => ((t.Arguments as { Payload: { task: string } }).Payload.task);

const renders = EXAMPLE_PLANS.flatMap((planName) => [
  { planName, kind: 'backup' as const, render: () => renderBackup(examplePlan(planName), TEST_ARNS) },
  { planName, kind: 'failover' as const, render: () => renderFailover(examplePlan(planName), 'failover', TEST_ARNS) },
  { planName, kind: 'drill' as const, render: () => renderFailover(examplePlan(planName), 'drill', TEST_ARNS) },
]);

describe('workflow: rendered definitions', () => {
  test.each(renders)('$kind of the $planName example plan matches the Zod ASL schema', ({ render }) => {
    const result = AslDefinitionSchema.safeParse(render());
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  test.each(renders)('$kind of the $planName example plan passes asl-validator', ({ render }) => {
    const result = aslValidator(structuredClone(render()));
    expect(result.isValid ? '' : result.errorsText('\n')).toBe('');
  });

  test.each(renders)('$kind of the $planName example plan passes the lint', ({ kind, render }) => {
    expect(lintWorkflow(render(), { name: kind, ...(kind === 'backup' ? {} : { mode: kind }) })).toEqual([]);
  });

  test.each(EXAMPLE_PLANS)('the RPO publisher of the %s example plan is valid, lint-clean, and one publish-rpo call that fails naming its step', (planName) => {
    const d = renderPublishRpo(examplePlan(planName), TEST_ARNS);
    expect(AslDefinitionSchema.safeParse(d).success).toBe(true);
    expect(aslValidator(structuredClone(d)).isValid).toBe(true);
    expect(lintWorkflow(d, { name: 'publish-rpo', isRecorded: false })).toEqual([]);
    // not a run: no record-failure, so the full lint (which wants one) says so
    expect(lintWorkflow(d, { name: 'publish-rpo' }).join('\n')).toContain("never reaches a 'record-failure' task");
    expect(tasksOf(d).map(([, t]) => taskIdOf(t))).toEqual(['publish-rpo']);
    const plan = examplePlan(planName);
    expect((tasksOf(d)[0][1].Arguments as { Payload: { input: unknown } }).Payload.input).toEqual({
      planName: plan.name,
      region: plan.recoveryRegion,
      rpoMinutes: plan.objectives.rpoMinutes,
      workloads: plan.workloads.map((w) => ({ name: w.name, isCritical: w.critical })),
    });
  });

  test('a 100-workload plan renders valid, lint-clean definitions far below 1 MB', () => {
    const plan = manyWorkloadsPlan(100);
    for (const [kind, d] of [
      ['backup', renderBackup(plan, TEST_ARNS)],
      ['failover', renderFailover(plan, 'failover', TEST_ARNS)],
      ['drill', renderFailover(plan, 'drill', TEST_ARNS)],
    ] as const) {
      expect(aslValidator(structuredClone(d)).isValid).toBe(true);
      expect(lintWorkflow(d, { name: kind, ...(kind === 'backup' ? {} : { mode: kind }) })).toEqual([]);
      expect(Buffer.byteLength(JSON.stringify(d))).toBeLessThan(100_000);
    }
  });

  test('every Task invokes its function through the optimised Lambda integration with the contract envelope', () => {
    const d = renderFailover(examplePlan('three-tier'), 'drill', TEST_ARNS);
    for (const [name, t] of tasksOf(d)) {
      const args = t.Arguments as { FunctionName: string; Payload: { task: string; context: Record<string, string> } };
      expect(t.Resource, name).toBe('arn:aws:states:::lambda:invoke');
      expect(args.FunctionName, name).toBe(TEST_ARNS.taskArn(args.Payload.task as (typeof TASK_IDS)[number]));
      expect(args.Payload.context, name).toEqual({
        executionArn: '{% $states.context.Execution.Id %}',
        stateName: '{% $states.context.State.Name %}',
        stateEnteredTime: '{% $states.context.State.EnteredTime %}',
        redriveCount: '{% $states.context.Execution.RedriveCount %}',
      });
    }
  });

  test('infra substitutions pass through untouched as the FunctionName', () => {
    const d = renderBackup(examplePlan('small'), { taskArn: (id) => `\${TaskArn_${id.replaceAll('-', '_')}}` });
    const names = tasksOf(d).map(([, t]) => (t.Arguments as { FunctionName: string }).FunctionName);
    expect(new Set(names)).toEqual(
      new Set(['${TaskArn_check_overlap}', '${TaskArn_resolve_workloads}', '${TaskArn_image}', '${TaskArn_copy}', '${TaskArn_verify}', '${TaskArn_prune}', '${TaskArn_record_metrics}', '${TaskArn_record_failure}']),
    );
  });

  test('every Task retries throttling, transient and Lambda service errors with full jitter and a max delay', () => {
    for (const { render } of renders) {
      for (const [name, t] of tasksOf(render())) {
        const retried = (t.Retry ?? []).flatMap((r) => r.ErrorEquals);
        expect(retried, name).toEqual(expect.arrayContaining(['Lifeboat.Throttled', 'Lifeboat.Transient', ...LAMBDA_SERVICE_ERRORS]));
        for (const r of t.Retry ?? []) {
          expect(r.JitterStrategy, name).toBe('FULL');
          expect(r.MaxDelaySeconds, name).toBeGreaterThan(0);
          expect(r.BackoffRate, name).toBeGreaterThan(1);
        }
      }
    }
  });

  test('the backup Map runs plan.backup.maxConcurrentBatches batches at a time; the failover Map one wave at a time', () => {
    const plan = manyWorkloadsPlan(10, { backup: { maxConcurrentBatches: 4 } });
    expect(renderBackup(plan, TEST_ARNS).States['Back up batches']).toMatchObject({ Type: 'Map', MaxConcurrency: 4 });
    expect(renderFailover(plan, 'failover', TEST_ARNS).States['Launch waves']).toMatchObject({ Type: 'Map', MaxConcurrency: 1 });
  });

  test('the drill holds its instances only when plan.drill.teardown.holdMinutes is above 0', () => {
    const held = renderFailover(examplePlan('three-tier'), 'drill', TEST_ARNS);
    expect(held.States['Hold drill instances']).toEqual(expect.objectContaining({ Type: 'Wait', Seconds: 15 * 60, Next: 'Start teardown' }));
    const notHeld = renderFailover(examplePlan('small'), 'drill', TEST_ARNS);
    expect(notHeld.States['Hold drill instances']).toBeUndefined();
    expect(notHeld.States['Launch waves']).toMatchObject({ Next: 'Start teardown' });
    expect(notHeld.States['Start teardown']).toMatchObject({ Type: 'Pass', Next: 'Tear down drill' });
  });

  test('failover mode has no teardown and no drill isolation; drill mode has both', () => {
    const plan = examplePlan('three-tier');
    const failover = JSON.stringify(renderFailover(plan, 'failover', TEST_ARNS));
    const drill = renderFailover(plan, 'drill', TEST_ARNS);
    expect(failover).not.toContain('"teardown"');
    expect(failover).not.toContain('isolation');
    expect(tasksOf(drill).filter(([, t]) => taskIdOf(t) === 'teardown').map(([n]) => n).sort()).toEqual(['Tear down after failure', 'Tear down drill']);
    expect(JSON.stringify(drill)).toContain('isolation');
  });

  test('state names are short sentence-case phrases, unique and at most 80 characters', () => {
    for (const { render } of renders) {
      const names = allStates(render()).map(([n]) => n);
      expect(new Set(names).size).toBe(names.length);
      for (const n of names) expect(n).toMatch(/^[A-Z][a-z0-9 ?-]{2,79}$/);
    }
  });

  test('refuses a plan value that Step Functions would evaluate as JSONata', () => {
    const plan = examplePlan('three-tier');
    const tampered = { ...plan, workloads: plan.workloads.map((w, i) => (i === 1 ? { ...w, tagSelector: { app: '{% $states.context %}' } } : w)) };
    expect(() => renderBackup(tampered, TEST_ARNS)).toThrow(/plan\.workloads\[1\]\.tagSelector\.app: expected a plain value, found "\{% \$states\.context %\}"/);
  });

  test('rejects a mode other than failover or drill', () => {
    expect(() => renderFailover(examplePlan('small'), 'backup' as 'drill', TEST_ARNS)).toThrow('expected mode "failover" or "drill", found "backup"');
  });

  test('names state machines lifeboat-<plan>-<kind>', () => {
    expect(stateMachineName('shop', 'drill')).toBe('lifeboat-shop-drill');
  });
});

describe('workflow: backup (snapshot)', () => {
  test('the rendered backup of examples/three-tier.plan.json matches the reviewed backup.asl.json', async () => {
    const d = renderBackup(examplePlan('three-tier'), TEST_ARNS);
    await expect(`${JSON.stringify(d, null, 2)}\n`).toMatchFileSnapshot('./__snapshots__/backup.asl.json');
  });
});
