import { App } from 'aws-cdk-lib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { PlanError } from '../../schemas/plan.js';
import { loadPlanFile, planPathFrom } from '../../infra/lifeboat-app.js';

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
