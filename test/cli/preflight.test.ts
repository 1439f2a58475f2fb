import { describe, expect, test } from 'vitest';
import { type PreflightResult, preflightInputOf, renderPreflight } from '../../cli/commands/preflight.js';
import { parsePlan } from '../../schemas/plan.js';
import { PreflightInputSchema } from '../../schemas/tasks/preflight.js';
import { runCli, SHOP_PLAN, tempFiles } from './cli-harness.js';

const result = (over: Partial<PreflightResult> = {}): PreflightResult => ({
  plan: 'shop',
  mode: 'drill',
  region: 'us-west-2',
  blocking: 1,
  warnings: 1,
  findings: [
    { workload: 'web', check: 'subnet', severity: 'blocking', expected: 'subnet subnet-0aa11bb22cc330001 in us-west-2', found: 'no such subnet', fix: 'replace it in the plan' },
    { workload: 'db', check: 'recovery-point-age', severity: 'warning', expected: 'a recovery set at most 14400 s old (RPO 240 min)', found: '21600 s old', fix: 'run a backup now' },
  ],
  recoverySets: [
    { workload: 'db', recoveryPointTime: '2026-11-25T06:00:00.000Z', ageSeconds: 21600, rpoObjectiveSeconds: 14400 },
    { workload: 'web', recoveryPointTime: null, ageSeconds: null, rpoObjectiveSeconds: 14400 },
  ],
  predictedRtoSeconds: 960,
  predictedRto: { modelSeconds: 960, measuredSeconds: null, measuredDrills: 0, objectiveSeconds: 3600 },
  checkedAt: '2026-11-25T12:00:00.000Z',
  blockedWorkloads: ['web'],
  blockedCount: 1,
  byCheck: { subnet: { blocking: 1, warnings: 0 }, 'recovery-point-age': { blocking: 0, warnings: 1 } },
  calls: { DescribeSubnets: 1 },
  ...over,
});

describe('cli: preflight', () => {
  test('rejects a call without --plan, exit 2, naming the flag', async () => {
    const run = await runCli(['preflight', '--drill']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('lifeboat preflight: --plan FILE is required');
  });

  test('renders a verdict, the predicted RTO, the recovery sets and each finding with expected, found and fix', () => {
    const text = renderPreflight(result());
    expect(text.split('\n')[0]).toBe('Pre-flight of plan shop (drill) in us-west-2 at 2026-11-25T12:00:00.000Z: BLOCKED: 1 blocking finding(s), 1 warning(s)');
    expect(text).toContain('Predicted RTO 16m (objective 1h; model 16m, no drill measured)');
    expect(text).toContain('db        2026-11-25T06:00:00.000Z  6h old (over the RPO of 4h)');
    expect(text).toContain('web       none');
    expect(text).toMatch(/blocking\s+web\s+subnet\s+expected subnet subnet-0aa11bb22cc330001 in us-west-2\n\s+found\s+no such subnet\n\s+fix\s+replace it in the plan/);
  });

  test('says so when there is nothing to report', () => {
    const text = renderPreflight(result({ blocking: 0, warnings: 0, findings: [], blockedWorkloads: [], blockedCount: 0 }));
    expect(text.split('\n')[0]).toContain(': ready, 0 warning(s)');
    expect(text.endsWith('No findings.')).toBe(true);
  });

  test('builds the task input the "Pre-flight checks" step sends: the drill checks the isolated subnets', () => {
    const plan = parsePlan(SHOP_PLAN, 'shop');
    const drill = PreflightInputSchema.parse(preflightInputOf(plan, 'drill'));
    expect(drill.isolation).toEqual({ subnetIds: plan.drill.isolatedSubnetIds, ...(plan.drill.securityGroupIds ? { securityGroupIds: plan.drill.securityGroupIds } : {}) });
    expect(drill.rtoModel).toEqual({ fixedSeconds: 120, secondsPerWave: 420 });
    expect(PreflightInputSchema.parse(preflightInputOf(plan, 'failover')).isolation).toBeUndefined();
  });

  test('a plan file that is not a plan is a usage error before any call', async () => {
    const files = tempFiles({ 'bad.json': { name: 'Shop' } });
    const run = await runCli(['preflight', '--plan', files['bad.json']!]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('bad.json');
  });
});
