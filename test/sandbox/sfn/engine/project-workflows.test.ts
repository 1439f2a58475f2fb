import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parsePlan } from '../../../../schemas/plan.js';
import { validateDefinition } from '../../../../sandbox/sfn/engine/index.js';
import { renderBackup, renderFailover } from '../../../../workflows/render.js';
import { run } from './helpers.js';

// The engine must accept and run the definitions this project renders (JSONata, Retry/Catch, Map).
const plan = parsePlan(JSON.parse(readFileSync(new URL('../../../../examples/small.plan.json', import.meta.url), 'utf8')), 'small.plan.json');
const taskArn = (id: string) => `arn:aws:lambda:us-east-1:123456789012:function:lifeboat-${id}`;
const definitions = {
  backup: renderBackup(plan, { taskArn }),
  failover: renderFailover(plan, 'failover', { taskArn }),
  drill: renderFailover(plan, 'drill', { taskArn }),
};

describe('engine: the project\'s rendered workflows', () => {
  test.each(Object.entries(definitions))('validates the %s definition', (_kind, definition) => {
    expect(validateDefinition(JSON.stringify(definition))).toEqual([]);
  });

  test.each(Object.entries(definitions))('runs the %s failure path to its end without an engine error when every task fails', async (_kind, definition) => {
    // GIVEN task functions that all fail with a retryable error (the test host has none registered
    // under these names, so every call fails as an unknown function would)
    const exec = await run(definition);
    // THEN the workflow's own failure handling decides the outcome, not a runtime/evaluation error
    expect(exec.status).toBe('FAILED');
    expect(['States.Runtime', 'States.QueryEvaluationError']).not.toContain(exec.error);
  });
});
