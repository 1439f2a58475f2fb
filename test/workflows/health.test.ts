import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { AslDefinitionSchema, type AslMap, type AslTask } from '../../schemas/asl.js';
import { parsePlan } from '../../schemas/plan.js';
import { healthMaxPasses, recoveryBudget, worstCase } from '../../workflows/budget.js';
import { lintWorkflow } from '../../workflows/lint.js';
import { renderFailover } from '../../workflows/render.js';
import { TEST_ARNS, fakeWorld } from './helpers/fake-tasks.js';
import { examplePlan } from './helpers/plans.js';
import { AslRunner } from './helpers/run-asl.js';

const FILE = 'examples/health-checks.plan.json';
const plan = () => parsePlan(JSON.parse(readFileSync(FILE, 'utf8')), FILE);
const waveStates = (mode: 'failover' | 'drill', p = plan()) => (renderFailover(p, mode, TEST_ARNS).States['Launch waves'] as AslMap).ItemProcessor.States;

describe('workflow: failover with application health checks', () => {
  test.each(['failover', 'drill'] as const)('the %s with health checks is valid ASL and lint-clean', (mode) => {
    const asl = renderFailover(plan(), mode, TEST_ARNS);
    expect(AslDefinitionSchema.safeParse(asl).success).toBe(true);
    expect(lintWorkflow(asl, { name: mode, mode })).toEqual([]);
  });

  test('after the status checks, the wave probes application health with the resolved checks, waiting the shortest interval', () => {
    const states = waveStates('failover');
    // (its first rule: ready; the second is the history guard's, docs/decisions/0005)
    expect((states['Instances ready?'] as { Choices: unknown[] }).Choices[0]).toMatchObject({ Next: 'Check application health' });
    const probe = states['Check application health'] as AslTask;
    const input = (probe.Arguments as { Payload: { input: string } }).Payload.input;
    expect(input).toContain('"db":{"protocol":"tcp","port":5432,"path":null,"expectedStatus":null,"timeoutSeconds":5,"intervalSeconds":10,"healthyThreshold":2,"deadlineMinutes":10}');
    expect(input).toContain('"web":{"protocol":"http","port":8080,"path":"/healthz","expectedStatus":{"min":200,"max":299},"timeoutSeconds":5,"intervalSeconds":15,"healthyThreshold":3,"deadlineMinutes":15}');
    expect(states['Application healthy?']).toMatchObject({ Choices: [{ Next: 'Wave ready' }], Default: 'Wait for application health' });
    // web checks every 15 s, db every 10 s: the loop waits 10 s
    expect(JSON.stringify(states['Wait for application health'])).toMatch(/\$min\(\[10 \* \$power\(2, \$min\(\[\$healthPolls, \d+\]\)\), 10\]\)/);
    expect(probe.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'Record wave failure' })]);
  });

  test('a plan without health checks renders no health state', () => {
    const states = waveStates('failover', examplePlan('three-tier'));
    expect(Object.keys(states).filter((s) => s.includes('health'))).toEqual([]);
    expect((states['Instances ready?'] as { Choices: unknown[] }).Choices[0]).toMatchObject({ Next: 'Wave ready' });
  });

  test('the budget model counts exactly the events the interpreter counts, health loop included', async () => {
    const p = plan();
    const world = fakeWorld({ passes: { 'launch-in-region': 3 } });
    const runner = new AslRunner(renderFailover(p, 'failover', TEST_ARNS), { lambda: world.lambda });
    const run = await runner.start({});
    expect(run.status).toBe('SUCCEEDED');
    // the fake probe finds a wave healthy on its second pass
    expect(runner.events).toBe(recoveryBudget(p, 'failover', 2, 3, undefined, 2).total);
  });

  test('the worst case counts every wave\'s health loop to its longest deadline', () => {
    const p = plan();
    // 10-minute db deadline, 15-minute web default, every 10 s: 91 ladder passes + 20 quick ones
    expect(healthMaxPasses(p)).toBe(91 + 20);
    const failover = worstCase(p).find((w) => w.workflow === 'failover')!;
    expect(failover.detail).toContain('+ 111 health passes');
    expect(failover.events).toBeLessThan(25_000);
    expect(healthMaxPasses(examplePlan('three-tier'))).toBe(0);
  });
});
