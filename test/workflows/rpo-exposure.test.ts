import { describe, expect, test } from 'vitest';
import { expectedBackupText, rpoExposure, rpoWarnings, scheduleIntervalMinutes } from '../../workflows/rpo/exposure.js';
import { examplePlan, manyWorkloadsPlan } from './helpers/plans.js';

describe('workflow: RPO exposure model (plan check warning)', () => {
  test.each([
    ['rate(4 hours)', 240],
    ['rate(1 hour)', 60],
    ['rate(90 minutes)', 90],
    ['rate(1 day)', 1440],
    ['cron(0 0/6 * * ? *)', 360],
    ['cron(0 */6 * * ? *)', 360],
    ['cron(30 2,14 * * ? *)', 720],
    // weekdays at 03:00: the longest gap is Friday to Monday
    ['cron(0 3 ? * MON-FRI *)', 3 * 1440],
    ['cron(0 3 ? * MON *)', 7 * 1440],
  ])('the longest gap of %s is %i minutes', (expression, minutes) => {
    expect(scheduleIntervalMinutes(expression)).toBe(minutes);
  });

  test.each(['cron(0 3 1 * ? *)', 'cron(0 3 ? * 6L *)', 'at(2026-11-25T10:00:00)'])('leaves %s beyond the model (no warning)', (expression) => {
    expect(scheduleIntervalMinutes(expression)).toBeUndefined();
  });

  test('warns when the schedule interval plus the expected backup duration exceeds the RPO, naming the fields', () => {
    // GIVEN the example plan: every 4 h, 3 instances in one batch (about 40 min), RPO 4 h
    const plan = examplePlan('three-tier');
    expect(rpoExposure(plan)).toMatchObject({ intervalMinutes: 240, backupMinutes: 40, worstAgeMinutes: 280, rpoMinutes: 240, rounds: 1 });
    const [warning, ...rest] = rpoWarnings(plan);
    expect(rest).toEqual([]);
    expect(warning).toContain('backup.schedule: "rate(4 hours)" leaves up to 4h00m between backups');
    expect(warning).toContain('the newest recovery point can be 4h40m old, beyond objectives.rpoMinutes (4h00m)');
    expect(warning).toContain('schedule backups at least every 3h20m (e.g. rate(200 minutes))');
  });

  test('says nothing when backups keep the RPO', () => {
    const plan = examplePlan('three-tier');
    expect(rpoWarnings({ ...plan, backup: { ...plan.backup, schedule: 'rate(3 hours)' } })).toEqual([]);
  });

  test('counts batches run maxConcurrentBatches at a time into the expected duration', () => {
    // 100 instances in batches of 20 = 5 batches, one at a time: 5 × 40 min
    // (copy quotas large enough not to be the limit)
    const plan = manyWorkloadsPlan(100);
    const copyQuotas = { concurrentAmiCopies: 1000, concurrentSnapshotCopies: 1000 };
    const serial = rpoExposure({ ...plan, backup: { ...plan.backup, copyQuotas, batchSize: 20, maxConcurrentBatches: 1 } });
    const parallel = rpoExposure({ ...plan, backup: { ...plan.backup, copyQuotas, batchSize: 20, maxConcurrentBatches: 5 } });
    expect(serial.backupMinutes).toBe(200);
    expect(parallel.backupMinutes).toBe(40);
    const slow = rpoWarnings({ ...plan, objectives: { ...plan.objectives, rpoMinutes: 120 }, backup: { ...plan.backup, copyQuotas, batchSize: 20, maxConcurrentBatches: 1, schedule: 'rate(1 hour)' } });
    expect(slow[0]).toContain('raise backup.batchSize or backup.maxConcurrentBatches');
  });

  test('never expects a backup sooner than the copy quotas allow, and then advises raising the quotas', () => {
    // 100 instances × 2 snapshot copies of 30 min through 20 snapshot slots = 300 min, after 10 min of images
    const plan = manyWorkloadsPlan(100);
    const e = rpoExposure({ ...plan, backup: { ...plan.backup, batchSize: 20, maxConcurrentBatches: 5 } });
    expect(e.quotaMinutes).toBe(310);
    expect(e.backupMinutes).toBe(310);
    // twice the snapshot-copy quota halves the copy time
    const doubled = rpoExposure({ ...plan, backup: { ...plan.backup, copyQuotas: { concurrentAmiCopies: 50, concurrentSnapshotCopies: 40 }, maxConcurrentBatches: 5 } });
    expect(doubled.backupMinutes).toBe(160);
    const slow = rpoWarnings({ ...plan, objectives: { ...plan.objectives, rpoMinutes: 240 }, backup: { ...plan.backup, maxConcurrentBatches: 5, schedule: 'rate(1 hour)' } });
    expect(slow[0]).toContain('expected backup duration of 5h10m (100 instances × 2 snapshot copies of 30m through the copy quotas, after 10m images)');
    expect(slow[0]).toContain("raise the recovery region's copy quotas (Service Quotas) and backup.copyQuotas");
  });

  test('says the expected duration is a lower bound when tag selectors count as one instance each (bench/shapes.ts one-workload-tags)', () => {
    // GIVEN 100 listed instances, then the same plan with two workloads chosen by tag selector instead
    const listed = manyWorkloadsPlan(100);
    const selected = { ...listed, workloads: listed.workloads.map((w, i) => (i < 2 ? { ...w, instanceIds: undefined, tagSelector: { app: `svc-${i}` } } : w)) };

    const exact = rpoExposure(listed);
    const floor = rpoExposure(selected);

    expect([exact.selectorCount, floor.selectorCount]).toEqual([0, 2]);
    expect(expectedBackupText(exact)).not.toContain('selector');
    expect(expectedBackupText(floor)).toContain('; each of its 2 tag selectors counted as one instance, so a lower bound');
    const one = rpoExposure({ ...listed, workloads: [{ ...listed.workloads[0]!, instanceIds: undefined, tagSelector: { fleet: 'render' } }] });
    expect(expectedBackupText(one)).toBe('1 round of batches × 10m images + 30m copies; its tag selector counted as one instance, so a lower bound');
  });
});
