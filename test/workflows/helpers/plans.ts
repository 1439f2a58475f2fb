import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plan, PlanInput } from '../../../schemas/plan.js';
import { parsePlan } from '../../../schemas/plan.js';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));

/** The example plans (`examples/<name>.plan.json`) that must render, parsed with `parsePlan`. */
export const EXAMPLE_PLANS = ['small', 'three-tier'] as const;

/** Parses `examples/<name>.plan.json`. */
export function examplePlan(name: (typeof EXAMPLE_PLANS)[number]): Plan {
  const file = `${examples}${name}.plan.json`;
  return parsePlan(JSON.parse(readFileSync(file, 'utf8')), file);
}

/**
 * A plan of `count` workloads of one instance each (ids `i-…0001`, …), for scale tests.
 * `overrides` are merged into the plan JSON before parsing.
 */
export function manyWorkloadsPlan(count: number, overrides: Partial<PlanInput> = {}): Plan {
  const json: PlanInput = {
    name: 'fleet',
    primaryRegion: 'eu-west-1',
    recoveryRegion: 'eu-central-1',
    objectives: { rpoMinutes: 240, rtoMinutes: 60 },
    workloads: Array.from({ length: count }, (_, i) => ({
      name: `app-${i + 1}`,
      instanceIds: [`i-0${(i + 1).toString(16).padStart(16, '0')}`],
      wave: (i % 3) + 1,
      launch: { subnetIds: ['subnet-0aa11bb22cc330001'], instanceTypes: ['m5.large'] },
    })),
    drill: { isolatedSubnetIds: ['subnet-0dd44ee55ff660001'] },
    ...overrides,
  };
  return parsePlan(json, 'many-workloads');
}
