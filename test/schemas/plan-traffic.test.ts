import { describe, expect, test } from 'vitest';
import { parsePlan, PlanError, type PlanIssue } from '../../schemas/plan.js';

const TG = 'arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/web/0123456789abcdef';

function plan(traffic: unknown): any {
  return {
    name: 'shop', primaryRegion: 'us-east-1', recoveryRegion: 'us-west-2', objectives: { rpoMinutes: 240, rtoMinutes: 60 },
    workloads: [{ name: 'web', instanceIds: ['i-0123456789abcdef0'], launch: { subnetIds: ['subnet-0123456789abcdef0'], instanceTypes: ['m5.large'] } }],
    drill: { isolatedSubnetIds: ['subnet-0fedcba9876543210'] },
    traffic,
  };
}

function issuesOf(value: unknown): PlanIssue[] {
  try {
    parsePlan(value, 'plan.json');
  } catch (error) {
    expect(error).toBeInstanceOf(PlanError);
    return [...(error as PlanError).issues];
  }
  throw new Error('expected parsePlan to throw a PlanError');
}

describe('schema: plan › traffic', () => {
  test('fills in the defaults: no target groups or records, drills report, 15 minutes', () => {
    expect(parsePlan(plan({}), 'plan.json').traffic).toEqual({ targetGroups: [], records: [], drill: 'report', timeoutMinutes: 15 });
    expect(parsePlan(plan(undefined), 'plan.json').traffic).toBeUndefined();
  });

  test('accepts each kind of record change', () => {
    const parsed = parsePlan(plan({
      targetGroups: [{ workload: 'web', targetGroupArn: TG, port: 8080 }],
      records: [
        { kind: 'values', hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'a.example.com', type: 'A', values: ['198.51.100.7'], ttl: 30 },
        { kind: 'alias', hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'b.example.com.', type: 'A', aliasTarget: { hostedZoneId: 'Z1H1FL5HABSF5', dnsName: 'dr.elb.amazonaws.com' } },
        { kind: 'weights', hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'c.example.com', type: 'CNAME', weights: { east: 0, west: 100 } },
        { kind: 'failover', hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'd.example.com', type: 'A', primarySetIdentifier: 'west' },
      ],
    }), 'plan.json');
    expect(parsed.traffic!.records.map((r) => r.kind)).toEqual(['values', 'alias', 'weights', 'failover']);
    expect(parsed.traffic!.records[1]).toMatchObject({ aliasTarget: { evaluateTargetHealth: false } });
  });

  test('rejects an unknown workload, a target group outside the recovery region and a record changed twice, each with its path', () => {
    const issues = issuesOf(plan({
      targetGroups: [{ workload: 'api', targetGroupArn: TG.replace('us-west-2', 'us-east-1') }],
      records: [
        { kind: 'values', hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'a.example.com', type: 'A', values: ['198.51.100.7'] },
        { kind: 'values', hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'A.example.com.', type: 'A', values: ['198.51.100.8'] },
      ],
    }));
    expect(issues.map((i) => [i.path, i.expected])).toEqual([
      ['traffic.targetGroups[0].workload', 'a workload of this plan: one of "web"'],
      ['traffic.targetGroups[0].targetGroupArn', 'a target group in the recovery region "us-west-2" (the recovered instances run there)'],
      ['traffic.records[1]', 'a record not changed before (traffic.records[0] changes the same record)'],
    ]);
  });

  test('accepts a drill that exercises the switch on its own record names and target group', () => {
    const DRILL_TG = TG.replace('web/0123456789abcdef', 'web-drill/0123456789abcdee');
    const parsed = parsePlan(plan({
      targetGroups: [{ workload: 'web', targetGroupArn: TG, drillTargetGroupArn: DRILL_TG }],
      records: [{ kind: 'values', hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'a.example.com', drillRecordName: 'drill-a.example.com', type: 'A', values: ['198.51.100.7'] }],
      drill: 'exercise',
    }), 'plan.json');
    expect(parsed.traffic).toMatchObject({ drill: 'exercise', targetGroups: [{ drillTargetGroupArn: DRILL_TG }], records: [{ drillRecordName: 'drill-a.example.com' }] });
  });

  test('rejects drill names that are missing, unused, or production ones, each with its path', () => {
    const record = { kind: 'values', hostedZoneId: 'Z0123456789ABCDEFGHIJ', type: 'A', values: ['198.51.100.7'] };
    const exercise = issuesOf(plan({
      drill: 'exercise',
      targetGroups: [{ workload: 'web', targetGroupArn: TG, drillTargetGroupArn: TG }],
      records: [{ ...record, name: 'a.example.com' }, { ...record, name: 'b.example.com', drillRecordName: 'A.example.com.' }],
    }));
    expect(exercise.map((i) => i.path)).toEqual(['traffic.targetGroups[0].drillTargetGroupArn', 'traffic.records[0].drillRecordName', 'traffic.records[1].drillRecordName']);
    expect(exercise[0]!.expected).toContain("a target group of the drill's own");
    expect(exercise[1]!.expected).toContain('a drill record name');
    expect(exercise[2]!.expected).toContain("a name of the drill's own");
    const report = issuesOf(plan({ records: [{ ...record, name: 'a.example.com', drillRecordName: 'drill-a.example.com' }] }));
    expect(report.map((i) => [i.path, i.expected])).toEqual([['traffic.records[0].drillRecordName', 'no drill record name unless traffic.drill is "exercise" (a drill that reports changes nothing); set "drill": "exercise", or remove it']]);
  });

  test('rejects malformed fields with what was expected', () => {
    const issues = issuesOf(plan({
      targetGroups: [{ workload: 'web', targetGroupArn: 'tg-1' }],
      records: [{ kind: 'weights', hostedZoneId: 'zone', name: 'a.example.com', type: 'MX', weights: { east: 300 } }, { kind: 'swap' }],
      drill: 'record',
    }));
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining([
      'traffic.targetGroups[0].targetGroupArn', 'traffic.records[0].hostedZoneId', 'traffic.records[0].type', 'traffic.records[0].weights.east', 'traffic.records[1].kind', 'traffic.drill',
    ]));
    expect(issues.find((i) => i.path === 'traffic.records[0].weights.east')!.expected).toBe('a weight from 0 to 255');
  });

  test('suggests the right key for a misspelt one', () => {
    const issues = issuesOf(plan({ targetGroup: [] }));
    expect(issues[0]!.path).toBe('traffic.targetGroup');
    expect(JSON.stringify(issues[0])).toContain('targetGroups');
  });
});
