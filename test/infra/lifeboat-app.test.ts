import { App } from 'aws-cdk-lib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { PlanError } from '../../schemas/plan.js';
import { PROJECT_ROOT } from './support.js';
import { parsePlan } from '../../schemas/plan.js';
import { addLifeboatStacks, loadPlanFile, planPathFrom } from '../../infra/lifeboat-app.js';

describe('infra: plan selection and loading', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-plan-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('takes the plan from LIFEBOAT_PLAN before the lifeboat:plan context', () => {
    const app = new App({ context: { 'lifeboat:plan': 'examples/small.plan.json' } });
    expect(planPathFrom(app, { LIFEBOAT_PLAN: 'examples/three-tier.plan.json' })).toBe('examples/three-tier.plan.json');
    expect(planPathFrom(app, {})).toBe('examples/small.plan.json');
  });

  test('fails saying how to name a plan when neither the context nor the environment has one', () => {
    expect(() => planPathFrom(new App(), {})).toThrow(/expected a plan file in the context key "lifeboat:plan" or the environment variable LIFEBOAT_PLAN, found neither/);
  });

  test('synth refuses a plan whose worst-case history exceeds 25,000 events, before creating any stack', () => {
    // GIVEN 300 instances in batches of 5, run inline (one execution): 60 batches whose loops at their deadlines are far over the limit
    const ids = Array.from({ length: 300 }, (_, i) => `i-${(0x1000000000000000 + i * 7919).toString(16).padStart(17, '0')}`);
    const plan = parsePlan(
      {
        name: 'big',
        primaryRegion: 'us-east-1',
        recoveryRegion: 'us-west-2',
        objectives: { rpoMinutes: 240, rtoMinutes: 60 },
        drill: { isolatedSubnetIds: ['subnet-0000000000000000d'] },
        backup: { batchSize: 5 },
        scale: { mode: 'inline' },
        workloads: [{ name: 'app', instanceIds: ids, launch: { subnetIds: ['subnet-0000000000000000c'], instanceTypes: ['t3.small'] } }],
      },
      'big',
    );
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    // WHEN / THEN
    expect(() => addLifeboatStacks(app, plan, { projectRoot: PROJECT_ROOT })).toThrow(PlanError);
    expect(() => addLifeboatStacks(app, plan, { projectRoot: PROJECT_ROOT })).toThrow(
      /^plan "big" › backup: expected a worst-case backup history of at most 25,000 events .*change backup\.batchSize \(5\)/,
    );
    expect(app.node.children).toHaveLength(0);
  });

  test('rejects a file that is not JSON, naming the file', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{ "name": ');
    expect(() => loadPlanFile(file, 'bad.json')).toThrow(/^bad\.json: expected JSON, found a syntax error/);
  });

  test('rejects an invalid plan with every issue and its path', () => {
    const file = join(dir, 'invalid.json');
    writeFileSync(file, JSON.stringify({ name: 'X', primaryRegion: 'us-east-1', recoveryRegion: 'us-east-1' }));
    let error: unknown;
    try {
      loadPlanFile(file, 'invalid.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlanError);
    const paths = (error as PlanError).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'recoveryRegion']));
    expect((error as Error).message).toContain('invalid.json › name');
  });
});
