/**
 * Step Functions conformance: every case runs on a real sandbox through @aws-sdk/client-sfn and its
 * outcome and history must equal what AWS recorded (localstack's AWS-validated snapshots; each
 * case names its snapshot). A case marked `divergence` documents a known difference: its test
 * asserts that the difference is still there, so fixing it flags the case for promotion.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compareRun, runCase, startBench, type Bench, type ConformanceCase } from './harness.js';
import { cases as basics } from './cases/basics.js';
import { cases as lambda } from './cases/lambda.js';
import { cases as flow } from './cases/flow.js';
import { cases as intrinsics } from './cases/intrinsics.js';
import { cases as variables } from './cases/variables.js';
import { cases as jsonata } from './cases/jsonata.js';
import { cases as errors } from './cases/errors.js';
import { cases as callbacks } from './cases/callbacks.js';
import { cases as choice } from './cases/choice.js';
import { cases as composite } from './cases/composite.js';
import { cases as context } from './cases/context.js';
import { cases as evaluate } from './cases/evaluate.js';
import { cases as mapLegacy } from './cases/map-legacy.js';

const suites: Array<[string, ConformanceCase[]]> = [
  ['basics', basics],
  ['lambda', lambda],
  ['flow', flow],
  ['intrinsics', intrinsics],
  ['variables', variables],
  ['jsonata', jsonata],
  ['errors', errors],
  ['callbacks', callbacks],
  ['choice', choice],
  ['composite', composite],
  ['context', context],
  ['evaluate', evaluate],
  ['map-legacy', mapLegacy],
];

describe.each(suites)('conformance: %s', (_label, cases) => {
  let bench: Bench;
  let realBench: Bench | undefined;
  beforeAll(async () => {
    bench = await startBench();
  });
  afterAll(async () => {
    await bench.stop();
    await realBench?.stop();
  });

  for (const c of cases) {
    test(c.name, async () => {
      if (c.clock === 'real') realBench ??= await startBench('real');
      const diffs = compareRun(c, await runCase(c.clock === 'real' ? realBench! : bench, c));
      if (c.divergence) expect(diffs, `known divergence: ${c.divergence}`).not.toEqual([]);
      else expect(diffs).toEqual([]);
    });
  }
});
