import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parsePlan, type Plan } from '../../schemas/plan.js';
import { isMathMetric, planAlarms } from '../../workflows/alarms.js';
import { planSchedules, scheduleTargetMachine } from '../../workflows/schedules.js';

function plan(overrides: Record<string, unknown> = {}): Plan {
  const json = JSON.parse(readFileSync('examples/small.plan.json', 'utf8')) as Record<string, unknown>;
  return parsePlan({ ...json, ...overrides }, 'small.plan.json');
}

const arn = (name: string, region: string) => `arn:aws:states:${region}:111122223333:stateMachine:${name}`;

describe('workflow: schedules and alarms (shared by infra and the sandbox deployment)', () => {
  test('backups are scheduled in the primary region, drills and the RPO publisher in the recovery region, with the plan’s expressions and time zones', () => {
    const p = plan({ backup: { schedule: 'rate(2 hours)', timezone: 'Europe/Paris' }, drill: { isolatedSubnetIds: ['subnet-0d1e2f3a4b5c60718'], schedule: 'cron(0 4 ? * SUN *)', timezone: 'America/Chicago' } });
    const schedules = planSchedules(p);
    expect(schedules.map((s) => [s.id, s.name, s.region, s.expression, s.timezone, scheduleTargetMachine(p, s), s.input])).toEqual([
      ['backup', 'lifeboat-wiki-backup', 'us-east-1', 'rate(2 hours)', 'Europe/Paris', 'lifeboat-wiki-backup', {}],
      ['drill', 'lifeboat-wiki-drill', 'us-west-2', 'cron(0 4 ? * SUN *)', 'America/Chicago', 'lifeboat-wiki-drill', {}],
      ['publish-rpo', 'lifeboat-wiki-publish-rpo', 'us-west-2', 'rate(5 minutes)', 'UTC', 'lifeboat-wiki-publish-rpo', {}],
      // the collector of each region, every 6 hours
      ['collect-primary', 'lifeboat-wiki-collect-primary', 'us-east-1', 'rate(6 hours)', 'UTC', 'lifeboat-wiki-collect', {}],
      ['collect-recovery', 'lifeboat-wiki-collect-recovery', 'us-west-2', 'rate(6 hours)', 'UTC', 'lifeboat-wiki-collect', {}],
    ]);
    // a late RPO measurement is dropped: the next one is 5 minutes away
    expect(schedules.find((s) => s.id === 'publish-rpo')).toMatchObject({ maxEventAgeSeconds: 300, retryAttempts: 1 });
  });

  test('the RPO alarm watches the published age in the recovery region over three publications, missing data breaching; the missed-drill alarm every hour of the drill window, capped at 7 days with a warning', () => {
    const alarms = planAlarms(plan({ drill: { isolatedSubnetIds: ['subnet-0d1e2f3a4b5c60718'], maxIntervalDays: 10 } }), { stateMachineArn: arn });
    const rpo = alarms.find((a) => a.id === 'rpo-breached')!;
    expect(rpo).toMatchObject({ region: 'us-west-2', periodSeconds: 15 * 60, threshold: 240 * 60, comparisonOperator: 'GreaterThanThreshold', treatMissingData: 'breaching', evaluationPeriods: 1 });
    expect(rpo.metric).toEqual({ namespace: 'Lifeboat', metricName: 'RecoveryPointAgeSeconds', dimensions: { Plan: 'wiki' }, statistic: 'Maximum' });
    const drill = alarms.find((a) => a.id === 'no-successful-drill')!;
    expect(drill).toMatchObject({ region: 'us-west-2', periodSeconds: 3600, evaluationPeriods: 168, datapointsToAlarm: 168, comparisonOperator: 'LessThanThreshold', threshold: 1 });
    expect(drill.warnings.map((w) => w.id)).toEqual(['lifeboat:drill-window-capped']);
    const short = planAlarms(plan({ drill: { isolatedSubnetIds: ['subnet-0d1e2f3a4b5c60718'], maxIntervalDays: 2 } }), { stateMachineArn: arn }).find((a) => a.id === 'no-successful-drill')!;
    expect([short.evaluationPeriods, short.warnings]).toEqual([48, []]);
  });

  test('the failure alarms sum the machine’s failed, timed-out and aborted executions, with the ARN the caller gives', () => {
    const backupFailed = planAlarms(plan(), { stateMachineArn: arn }).find((a) => a.id === 'backup-failed')!;
    expect(isMathMetric(backupFailed.metric)).toBe(true);
    if (!isMathMetric(backupFailed.metric)) return;
    expect(backupFailed.metric.expression).toBe('FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)');
    expect(Object.values(backupFailed.metric.metrics).map((m) => [m.namespace, m.metricName, m.dimensions.StateMachineArn])).toEqual([
      ['AWS/States', 'ExecutionsFailed', arn('lifeboat-wiki-backup', 'us-east-1')],
      ['AWS/States', 'ExecutionsTimedOut', arn('lifeboat-wiki-backup', 'us-east-1')],
      ['AWS/States', 'ExecutionsAborted', arn('lifeboat-wiki-backup', 'us-east-1')],
    ]);
  });
});
