import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { formatPath, parsePlan, PlanError, PlanSchema, type PlanIssue } from '../../schemas/plan.js';

const example = (name: string): string => readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8');

/** A minimal valid plan, as written (defaults left out). */
function minimal(): any {
  return {
    name: 'shop',
    primaryRegion: 'us-east-1',
    recoveryRegion: 'us-west-2',
    objectives: { rpoMinutes: 240, rtoMinutes: 60 },
    workloads: [
      {
        name: 'web',
        instanceIds: ['i-0123456789abcdef0'],
        launch: { subnetIds: ['subnet-0123456789abcdef0'], instanceTypes: ['m5.large'] },
      },
    ],
    drill: { isolatedSubnetIds: ['subnet-0fedcba9876543210'] },
  };
}

function issuesOf(plan: unknown): PlanIssue[] {
  try {
    parsePlan(plan, 'plan.json');
  } catch (error) {
    expect(error).toBeInstanceOf(PlanError);
    return [...(error as PlanError).issues];
  }
  throw new Error('expected parsePlan to throw a PlanError');
}

describe('schema: plan', () => {
  test('fills in every default of a minimal plan', () => {
    const plan = parsePlan(minimal(), 'plan.json');
    expect(plan.workloads[0]).toStrictEqual({
      name: 'web',
      instanceIds: ['i-0123456789abcdef0'],
      critical: true,
      wave: 1,
      launch: { subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: [], instanceTypes: ['m5.large'] },
    });
    expect(plan.backup).toStrictEqual({
      schedule: 'rate(4 hours)',
      timezone: 'UTC',
      retention: { count: 7 },
      noReboot: true,
      copyTags: true,
      batchSize: 20,
      maxConcurrentBatches: 1,
      imageTimeoutMinutes: 120,
      copyTimeoutMinutes: 360,
      copyQuotas: { concurrentAmiCopies: 50, concurrentSnapshotCopies: 20 },
    });
    expect(plan.drill).toStrictEqual({
      schedule: 'cron(0 3 ? * MON *)',
      timezone: 'UTC',
      isolatedSubnetIds: ['subnet-0fedcba9876543210'],
      teardown: { holdMinutes: 0 },
      maxIntervalDays: 8,
      launchTimeoutMinutes: 60,
    });
    expect(plan.failover).toStrictEqual({ launchTimeoutMinutes: 60, onBlockingFindings: 'stop' });
    expect(plan.notifications).toStrictEqual({});
    expect(plan.scale).toStrictEqual({ mode: 'auto', launchBatchSize: 50, maxConcurrentLaunchBatches: 40 });
    expect(plan.tags).toStrictEqual({});
  });

  test('accepts 5,000 workloads and refuses more than 10,000', () => {
    const workload = (i: number) => ({ ...minimal().workloads[0], name: `app-${i}`, instanceIds: [`i-0${i.toString(16).padStart(16, '0')}`] });
    expect(parsePlan({ ...minimal(), workloads: Array.from({ length: 5_000 }, (_, i) => workload(i + 1)) }, 'plan.json').workloads).toHaveLength(5_000);
    const issues = issuesOf({ ...minimal(), workloads: Array.from({ length: 10_001 }, (_, i) => workload(i + 1)) });
    expect(issues).toEqual([expect.objectContaining({ path: 'workloads', expected: 'at most 10000 workloads' })]);
  });

  test('rejects an unknown scale mode, naming the choices', () => {
    expect(issuesOf({ ...minimal(), scale: { mode: 'huge' } })).toEqual([
      expect.objectContaining({ path: 'scale.mode', expected: 'one of "auto", "inline", "distributed"', found: '"huge"' }),
    ]);
  });

  test('accepts the small example: one workload by instance id', () => {
    const plan = parsePlan(example('small.plan.json'), 'examples/small.plan.json');
    expect(plan.workloads).toHaveLength(1);
    expect(plan.workloads[0].instanceIds).toEqual(['i-0123456789abcdef0']);
  });

  test('accepts the three-tier example: a tag selector, two waves, one optional workload', () => {
    const plan = parsePlan(example('three-tier.plan.json'), 'examples/three-tier.plan.json');
    expect(plan.workloads.map((w) => [w.name, w.wave, w.critical])).toEqual([
      ['db', 1, true],
      ['web', 2, true],
      ['reports', 2, false],
    ]);
    expect(plan.workloads[1].tagSelector).toEqual({ app: 'shop', tier: 'web' });
    expect(plan.workloads[2].launch.launchTemplate).toEqual({ name: 'shop-reports', version: '$Latest' });
    expect(plan.workloads[2].launch.instanceTypes).toEqual([]);
  });

  test('rejects the broken example naming every bad path', () => {
    const issues = issuesOf(example('broken.plan.json'));
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        'name',
        'recoveryRegion',
        'objectives.rpoMinutes',
        'workloads[0]',
        'workloads[0].instanceIds[0]',
        'workloads[0].launch.subnetIds',
        'workloads[1].name',
        'workloads[1].wave',
        'workloads[1].launch',
        'workloads[1].lanch',
        'backup.schedule',
        'backup.retention',
        'drill.isolatedSubnetIds',
      ].sort(),
    );
  });

  test('renders each issue as "<source> › <path>: expected …, found …", one line each', () => {
    const plan = minimal();
    plan.workloads[0].launch.subnetIds = [];
    plan.name = 'Shop';
    try {
      parsePlan(plan, 'shop.plan.json');
      expect.unreachable();
    } catch (error) {
      expect((error as PlanError).message.split('\n')).toEqual([
        'shop.plan.json › name: expected a plan name of 2-32 characters: a lowercase letter, then lowercase letters, digits or "-", found "Shop"',
        'shop.plan.json › workloads[0].launch.subnetIds: expected at least 1 subnet id, found []',
      ]);
      expect((error as PlanError).source).toBe('shop.plan.json');
      expect((error as PlanError).name).toBe('PlanError');
    }
  });

  test('rejects invalid JSON text with a single root issue', () => {
    const issues = issuesOf('{ "name": ');
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('');
    expect(issues[0].expected).toBe('a JSON document');
    expect(issues[0].found).toMatch(/^invalid JSON/);
  });

  test('rejects a document that is not an object', () => {
    expect(issuesOf('[]')).toEqual([{ path: '', expected: 'a plan object', found: '[]' }]);
  });

  test('reports a missing field as found nothing', () => {
    const plan = minimal();
    delete plan.objectives;
    expect(issuesOf(plan)).toEqual([
      {
        path: 'objectives',
        expected: 'an objectives object such as {"rpoMinutes": 240, "rtoMinutes": 60}',
        found: 'nothing',
      },
    ]);
  });

  test('rejects a workload with both instanceIds and tagSelector, and one with neither', () => {
    const plan = minimal();
    plan.workloads[0].tagSelector = { app: 'shop' };
    plan.workloads.push({ name: 'db', launch: plan.workloads[0].launch });
    expect(issuesOf(plan)).toEqual([
      { path: 'workloads[0]', expected: 'exactly one of "instanceIds" and "tagSelector"', found: 'both' },
      { path: 'workloads[1]', expected: 'exactly one of "instanceIds" and "tagSelector"', found: 'neither' },
    ]);
  });

  test('requires instance types unless a launch template is given', () => {
    const plan = minimal();
    plan.workloads[0].launch.instanceTypes = [];
    expect(issuesOf(plan)).toEqual([
      {
        path: 'workloads[0].launch.instanceTypes',
        expected: 'at least 1 instance type (or a "launchTemplate")',
        found: '[]',
      },
    ]);
    plan.workloads[0].launch.launchTemplate = { id: 'lt-0123456789abcdef0' };
    expect(parsePlan(plan, 'plan.json').workloads[0].launch.launchTemplate).toEqual({
      id: 'lt-0123456789abcdef0',
      version: '$Default',
    });
  });

  test('rejects a launch template with both id and name', () => {
    const plan = minimal();
    plan.workloads[0].launch.launchTemplate = { id: 'lt-0123456789abcdef0', name: 'web' };
    expect(issuesOf(plan).map((i) => [i.path, i.expected])).toEqual([
      ['workloads[0].launch.launchTemplate', 'exactly one of "id" and "name"'],
    ]);
  });

  test('rejects duplicate workload names, duplicate subnets and an instance in two workloads', () => {
    const plan = minimal();
    plan.workloads[0].launch.subnetIds = ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef0'];
    plan.workloads.push({ ...minimal().workloads[0] });
    expect(issuesOf(plan).map((i) => i.path)).toEqual([
      'workloads[0].launch.subnetIds[1]',
      'workloads[1].name',
      'workloads[1].instanceIds[0]',
    ]);
  });

  test('rejects a KMS key and an SNS topic outside the recovery region', () => {
    const plan = minimal();
    plan.backup = { kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' };
    plan.notifications = { snsTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops' };
    expect(issuesOf(plan).map((i) => i.path)).toEqual(['backup.kmsKeyId', 'notifications.snsTopicArn']);
  });

  test('accepts a KMS alias without a region', () => {
    const plan = minimal();
    plan.backup = { kmsKeyId: 'alias/lifeboat' };
    expect(parsePlan(plan, 'plan.json').backup.kmsKeyId).toBe('alias/lifeboat');
  });

  test('rejects extra tags in the reserved aws: and lifeboat: namespaces', () => {
    const plan = minimal();
    plan.tags = { 'aws:owner': 'x', 'lifeboat:plan': 'y', team: 'dr' };
    expect(issuesOf(plan).map((i) => i.path)).toEqual(['tags["aws:owner"]', 'tags["lifeboat:plan"]']);
  });

  test('suggests the nearest known key for a misspelt one', () => {
    const plan = minimal();
    plan.backup = { retension: { count: 3 } };
    expect(issuesOf(plan)).toEqual([
      { path: 'backup.retension', expected: 'no key "retension"; did you mean "retention"?', found: '{"count":3}' },
    ]);
  });

  test.each([
    ['rate(1 hour)', true],
    ['rate(4 hours)', true],
    ['rate(1 hours)', false],
    ['rate(0 minutes)', false],
    ['cron(0 3 ? * MON *)', true],
    ['cron(0 3 * * MON *)', false],
    ['cron(0 3 * * *)', false],
    ['at(2026-11-25T10:00:00)', false],
  ])('checks the schedule expression %s (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html)', (schedule, isValid) => {
    const plan = minimal();
    plan.backup = { schedule };
    expect(PlanSchema.safeParse(plan).success).toBe(isValid);
  });

  test('rejects an unknown time zone', () => {
    const plan = minimal();
    plan.drill.timezone = 'Mars/Olympus';
    expect(issuesOf(plan)).toEqual([
      { path: 'drill.timezone', expected: 'an IANA time zone such as "UTC" or "Europe/Berlin"', found: '"Mars/Olympus"' },
    ]);
  });

  test('rejects a retention with neither count nor age', () => {
    const plan = minimal();
    plan.backup = { retention: {} };
    expect(issuesOf(plan)).toEqual([
      { path: 'backup.retention', expected: 'at least one of "count" and "maxAgeDays"', found: '{}' },
    ]);
  });

  test('formats paths with indexes and quoted odd keys', () => {
    expect(formatPath(['workloads', 2, 'launch', 'subnetIds'])).toBe('workloads[2].launch.subnetIds');
    expect(formatPath(['tags', 'cost-center'])).toBe('tags["cost-center"]');
    expect(formatPath([])).toBe('');
  });
});
