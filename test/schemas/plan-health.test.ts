import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { resolveHealthCheck } from '../../schemas/plan-health.js';
import { parsePlan, PlanError, PlanSchema } from '../../schemas/plan.js';

const FILE = 'examples/health-checks.plan.json';
const raw = () => JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, any>;

function issuesOf(json: unknown): { path: string; expected: string; found: string }[] {
  try {
    parsePlan(json, 'plan.json');
  } catch (error) {
    if (error instanceof PlanError) return [...error.issues];
    throw error;
  }
  throw new Error('expected the plan to be refused');
}

describe('schema: plan health checks', () => {
  test('fills in the defaults of a health check and resolves port, path and statuses for the probe', () => {
    const plan = parsePlan(raw(), FILE);
    const db = plan.workloads.find((w) => w.name === 'db')!.healthCheck!;
    expect(db).toEqual({ protocol: 'tcp', port: 5432, deadlineMinutes: 10, timeoutSeconds: 5, intervalSeconds: 10, healthyThreshold: 2 });
    expect(resolveHealthCheck(db)).toEqual({ protocol: 'tcp', port: 5432, path: null, expectedStatus: null, timeoutSeconds: 5, intervalSeconds: 10, healthyThreshold: 2, deadlineMinutes: 10 });
    expect(resolveHealthCheck({ protocol: 'https', timeoutSeconds: 5, intervalSeconds: 10, healthyThreshold: 2, deadlineMinutes: 15 })).toMatchObject({ port: 443, path: '/', expectedStatus: { min: 200, max: 399 } });
    expect(resolveHealthCheck({ ...db, protocol: 'http', port: 8080, expectedStatus: 204 })).toMatchObject({ path: '/', expectedStatus: { min: 204, max: 204 } });
  });

  test('rejects every malformed health check field with its path', () => {
    const json = raw();
    json.workloads[0].healthCheck = { protocol: 'tcp', path: '/x', expectedStatus: 200, timeoutSeconds: 30, intervalSeconds: 10 };
    json.workloads[1].healthCheck = { protocol: 'ftp', port: 70000, expectedStatus: '399-200', healthyThreshold: 0 };
    const issues = issuesOf(json);
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'workloads[0].healthCheck.port',
        'workloads[0].healthCheck.path',
        'workloads[0].healthCheck.expectedStatus',
        'workloads[0].healthCheck.timeoutSeconds',
        'workloads[1].healthCheck.protocol',
        'workloads[1].healthCheck.port',
        'workloads[1].healthCheck.expectedStatus',
        'workloads[1].healthCheck.healthyThreshold',
      ]),
    );
    expect(issues.find((i) => i.path === 'workloads[0].healthCheck.timeoutSeconds')!.expected).toBe('a timeout shorter than the interval (10 s)');
    expect(issues.find((i) => i.path === 'workloads[0].healthCheck.port')!.expected).toBe('a port (a TCP check names the port it connects to)');
  });

  test('requires the probe network when a workload declares a health check', () => {
    const json = raw();
    delete json.healthProbe;
    expect(issuesOf(json)).toEqual([
      { path: 'healthProbe', expected: 'a health probe network ({"subnetIds": […], "securityGroupIds": […]}) because 2 workload(s) declare a health check', found: expect.any(String) },
    ]);
    json.healthProbe = { subnetIds: [], securityGroupIds: ['sg-1'] };
    expect(issuesOf(json).map((i) => [i.path, i.expected])).toEqual([
      ['healthProbe.subnetIds', 'at least 1 subnet id'],
      ['healthProbe.securityGroupIds[0]', 'a security group id such as "sg-0123456789abcdef0"'],
    ]);
  });

  test('a plan that fails back needs failback.healthProbe (the primary VPC) when a workload has a check, and failback.traffic target groups in the primary region', () => {
    const json = JSON.parse(readFileSync('examples/three-tier.plan.json', 'utf8')) as Record<string, any>;
    json.healthProbe = { subnetIds: ['subnet-0aa11bb22cc330001'], securityGroupIds: ['sg-0aa11bb22cc330009'] };
    json.workloads[1].healthCheck = { protocol: 'http', path: '/health' };
    const issues = PlanSchema.safeParse(json).error?.issues ?? [];
    expect(issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['failback.healthProbe', `the failback's health probe network in the primary region ({"subnetIds": […], "securityGroupIds": […]}) because 1 workload(s) declare a health check ("${json.workloads[1].name}"), which the failback instances must pass too`],
    ]);
    json.failback.healthProbe = { subnetIds: ['subnet-0bb11cc22dd330001'], securityGroupIds: ['sg-0bb11cc22dd330009'] };
    json.failback.traffic = { targetGroups: [{ workload: 'web', targetGroupArn: 'arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/web/0123456789abcdef' }] };
    expect((PlanSchema.safeParse(json).error?.issues ?? []).map((i) => [i.path.join('.'), i.message])).toEqual([
      ['failback.traffic.targetGroups.0.targetGroupArn', 'a target group in the primary region "us-east-1" (the failback instances run there)'],
    ]);
    json.failback.traffic.targetGroups[0].targetGroupArn = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef';
    expect(PlanSchema.safeParse(json).success).toBe(true);
  });
});
