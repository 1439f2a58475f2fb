import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, test } from 'vitest';
import { measureObjectives } from '../../cli/objectives.js';
import { withRecoveryDetails } from '../../cli/recovery-details.js';
import { recoverySummaryOf, renderRecoverySummary } from '../../cli/recovery-summary.js';

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

const plain = { bold: (s: string) => s, dim: (s: string) => s, red: (s: string) => s, green: (s: string) => s, yellow: (s: string) => s, cyan: (s: string) => s } as never;
const run = 'arn:aws:states:us-west-2:123456789012:execution:lifeboat-fleet-backup:backup-20261125T063000Z-0001';
const details = { bucket: 'lifeboat-fleet-runs-us-west-2', key: 'runs/lifeboat-fleet-drill/drill-1/achieved.json' };
const names = Array.from({ length: 1250 }, (_, i) => `app-${i + 1}`);
const group = { executionArn: run, recoveryPointTime: '2026-11-25T06:30:00.000Z', rpoSeconds: 1800, rtoSeconds: 900 };
const achieved = { rpoSeconds: 1800, rtoSeconds: 900, rpoObjectiveSeconds: 14400, rtoObjectiveSeconds: 3600, isRpoMet: true, isRtoMet: true };
/** A distributed drill's output: each list names its first 5 workloads, with the count. */
const output = {
  sets: [{ executionArn: run, recoveryPointTime: '2026-11-25T06:30:00.000Z', isComplete: true, workloads: names.slice(0, 5), workloadCount: 1250 }],
  achieved: { ...achieved, groups: [{ ...group, workloads: names.slice(0, 5), workloadCount: 1250 }], details },
};

describe('cli: a distributed run\'s per-workload lists (achieved.details in the run bucket)', () => {
  test('without the object, history names the first workloads and how many more', () => {
    const lines = renderRecoverySummary(recoverySummaryOf(output)!, plain);
    expect(lines).toContain('  app-1, app-2, app-3, app-4, app-5 and 1,245 more: RPO 30m00s, RTO 15m00s');
    expect(lines.find((l) => l.includes('backup-20261125T063000Z-0001'))).toMatch(/app-5 and 1,245 more$/);
  });

  test('reads the whole lists back from the run bucket and puts them in the output', async () => {
    const whole = { achieved: { ...achieved, groups: [{ ...group, workloads: names }] }, sets: [{ ...output.sets[0], workloads: names, workloadCount: undefined }], missing: ['opt-1'] };
    s3.on(GetObjectCommand, { Bucket: details.bucket, Key: details.key }).resolves({ Body: { transformToString: async () => JSON.stringify(whole) } as never });
    const expanded = await withRecoveryDetails(output, 'us-west-2', { localEndpoint: 'http://127.0.0.1:1' });
    expect(expanded.problem).toBeUndefined();
    const summary = recoverySummaryOf(expanded.output)!;
    expect(summary.achieved!.groups[0]!.workloads).toHaveLength(1250);
    expect(summary.sets![0]!.workloads).toHaveLength(1250);
    expect((expanded.output as { missing: string[] }).missing).toEqual(['opt-1']);
    expect(renderRecoverySummary(summary, plain).join('\n')).not.toContain('more');
  });

  test('an object it cannot read leaves the output as it is and says why', async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    const expanded = await withRecoveryDetails(output, 'us-west-2', { localEndpoint: 'http://127.0.0.1:1' });
    expect(expanded.output).toBe(output);
    expect(expanded.problem).toMatch(/^read s3:\/\/lifeboat-fleet-runs-us-west-2\/runs\/lifeboat-fleet-drill\/drill-1\/achieved\.json: AccessDenied; showing the first workloads/);
  });

  test('an inline run (no achieved.details) is not read from S3', async () => {
    const inline = { sets: [], achieved: { ...achieved, groups: [{ ...group, workloads: ['db'] }] } };
    expect((await withRecoveryDetails(inline, 'us-west-2', {})).output).toBe(inline);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  describe("a distributed backup's RPO report (rpo.details, issue 8)", () => {
    const rpoDetails = { bucket: 'lifeboat-fleet-runs-us-east-1', key: 'runs/lifeboat-fleet-backup/backup-1/rpo.json' };
    const old = 'arn:aws:states:us-east-1:123456789012:execution:lifeboat-fleet-backup:backup-20261125T023000Z-0001';
    const sets = [
      { executionArn: old, recoveryPointTime: '2026-11-25T02:30:00.000Z', ageSeconds: 16200, isComplete: true, workloads: names.slice(0, 250), workloadCount: 250 },
      { executionArn: run, recoveryPointTime: '2026-11-25T06:30:00.000Z', ageSeconds: 1800, isComplete: true, workloads: names.slice(250, 1240), workloadCount: 990 },
    ];
    const report = { measuredAt: '2026-11-25T07:00:00.000Z', maxAgeSeconds: 16200, objectiveSeconds: 14400, isWithinObjective: false, workloadCount: 1250, setCount: 2, missingCount: 10 };
    const missing = names.slice(1240);
    const cut = { rpo: { ...report, sets: sets.map((set) => ({ ...set, workloads: set.workloads.slice(0, 5) })), missing: missing.slice(0, 5), details: rpoDetails } };

    test('without the object, the summary names the first missing workloads and how many more', () => {
      expect(renderRecoverySummary(recoverySummaryOf(cut)!, plain)).toContain('  no recovery point: app-1241, app-1242, app-1243, app-1244, app-1245 and 5 more');
    });

    test('reads the whole report back, so that the per-workload objectives cover every workload', async () => {
      s3.on(GetObjectCommand, { Bucket: rpoDetails.bucket, Key: rpoDetails.key }).resolves({ Body: { transformToString: async () => JSON.stringify({ rpo: { ...report, sets, missing } }) } as never });
      const expanded = await withRecoveryDetails(cut, 'us-east-1', { localEndpoint: 'http://127.0.0.1:1' });
      expect(expanded.problem).toBeUndefined();
      expect((expanded.output as { rpo: { details: unknown } }).rpo.details).toEqual(rpoDetails);
      const objectives = measureObjectives('backup', expanded.output, {}, { rpoMinutes: 240, rtoMinutes: 60 });
      expect(objectives.workloads).toHaveLength(1250);
      const status = (name: string) => objectives.workloads.find((w) => w.workload === name)!.rpo;
      expect(status('app-1')).toMatchObject({ achievedSeconds: 16200, status: 'missed' });
      expect(status('app-1000')).toMatchObject({ achievedSeconds: 1800, status: 'met' });
      expect(status('app-1250')).toMatchObject({ status: 'missed', basis: 'no restorable recovery point' });
      // without the object, only the first few are known
      expect(measureObjectives('backup', cut, {}, { rpoMinutes: 240, rtoMinutes: 60 }).workloads).toHaveLength(15);
    });

    test('an object that is not an RPO report leaves the output as it is and says so', async () => {
      s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => JSON.stringify({ achieved: {} }) } as never });
      const expanded = await withRecoveryDetails(cut, 'us-east-1', { localEndpoint: 'http://127.0.0.1:1' });
      expect(expanded.output).toBe(cut);
      expect(expanded.problem).toMatch(/rpo\.json: expected \{"rpo": \{"sets", "missing", …\}\}/);
    });
  });
});
