import { DescribeImagesCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DescribeMapRunCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deployMachines } from '../../cli/local/deploy.js';
import type { LocalLifeboat, RunResult } from '../../cli/local/session.js';
import { lifeboatPageRenderer } from '../../cli/local/console-pages.js';
import { renderMapRuns } from '../../cli/render/map-runs.js';
import { type MapRunNode, readMapRuns } from '../../cli/run-tree.js';
import { parsePlan, type Plan } from '../../schemas/plan.js';
import { TAG_KEYS } from '../../schemas/tags.js';
import { RPO_WORKLOADS_SHOWN } from '../../schemas/tasks/publish-rpo.js';
import { WORKLOADS_SHOWN } from '../../schemas/tasks/resolve-recovery-points.js';
import { runCli } from '../cli/cli-harness.js';
import { distributedBackupBudget, distributedRecoveryBudget } from '../../workflows/budget.js';
import { planObjects } from '../../workflows/render.js';
import { localLifeboat } from './helpers.js';

/** 60 workloads of one instance, batches of 5 and launch batches of 4, so the Distributed Maps really fan out. */
function fanOutPlan(): Plan {
  return parsePlan(planInput(), 'e2e:fan-out');
}

/** The plan as written (the redeploy test changes it). */
function planInput() {
  const hex = (i: number) => i.toString(16).padStart(17, '0');
  return {
    name: 'fleet',
    primaryRegion: 'us-east-1',
    recoveryRegion: 'us-west-2',
    objectives: { rpoMinutes: 240, rtoMinutes: 60 },
    workloads: Array.from({ length: 60 }, (_, i) => ({
      name: `app-${i + 1}`,
      instanceIds: [`i-${hex(i + 1)}`],
      wave: 1 + Math.floor(i / 20),
      launch: { subnetIds: ['subnet-0aa11bb22cc330001'], securityGroupIds: ['sg-0aa11bb22cc330001'], instanceTypes: ['m6i.large'] },
    })),
    backup: { batchSize: 5, maxConcurrentBatches: 4 },
    drill: { isolatedSubnetIds: ['subnet-0dd44ee55ff660001'] },
    scale: { mode: 'distributed' as const, launchBatchSize: 4 },
  };
}

const plain = { bold: (s: string) => s, dim: (s: string) => s, red: (s: string) => s, green: (s: string) => s, yellow: (s: string) => s, cyan: (s: string) => s } as never;
const site = { command: 'test' };
const retriesIn = (events: RunResult['events']) => events.filter((e) => e.type === 'TaskFailed').length * 3;

describe('e2e: a distributed backup and drill on the sandbox (Distributed Map, S3)', () => {
  const plan = fanOutPlan();
  let env: LocalLifeboat;
  let backup: RunResult;
  let drill: RunResult;
  let backupRuns: MapRunNode[];
  let drillRuns: MapRunNode[];

  beforeAll(async () => {
    env = await localLifeboat({ plan, seed: 5 });
    backup = await env.runToEnd('backup');
    drill = await env.runToEnd('drill');
    backupRuns = await readMapRuns(env.sfn('us-east-1'), backup.executionArn, backup.events, site);
    drillRuns = await readMapRuns(env.sfn('us-west-2'), drill.executionArn, drill.events, site);
  }, 600_000);
  afterAll(async () => env?.stop());

  test('the backup runs one child execution per batch and verifies every instance', async () => {
    expect([backup.status, backup.error, backup.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
    expect(backup.output).toMatchObject({ targetCount: 60, verifiedCount: 60, recoveryPointList: { bucket: 'lifeboat-runs-us-east-1' } });
    expect(backupRuns).toHaveLength(1);
    expect(backupRuns[0]!.stateName).toBe('Back up batches');
    expect(backupRuns[0]!.children.map((c) => c.status)).toEqual(Array(12).fill('SUCCEEDED'));
    const described = await env.sfn('us-east-1').send(new DescribeMapRunCommand({ mapRunArn: backupRuns[0]!.mapRunArn }));
    expect(described.executionArn).toBe(backup.executionArn);
    expect(described.itemCounts).toMatchObject({ total: 12, succeeded: 12, failed: 0 });
    // The consolidated list summarize-results wrote lists every verified point.
    const list = (backup.output as { recoveryPointList: { bucket: string; key: string } }).recoveryPointList;
    const s3 = new S3Client({ region: 'us-east-1', endpoint: env.sandbox.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, forcePathStyle: true });
    const body = await (await s3.send(new GetObjectCommand({ Bucket: list.bucket, Key: list.key }))).Body!.transformToString();
    s3.destroy();
    expect(JSON.parse(body)).toHaveLength(60);
  });

  test("every recovery point is tagged with the parent's execution ARN, not a child's", async () => {
    const images = await env.ec2('us-west-2').send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: `tag:${TAG_KEYS.role}`, Values: ['recovery-point'] }] }));
    expect(images.Images).toHaveLength(60);
    const arns = new Set(images.Images!.map((i) => i.Tags?.find((t) => t.Key === TAG_KEYS.executionArn)?.Value));
    expect([...arns]).toEqual([backup.executionArn]);
  });

  test('the parent history is what the budget says, whatever the size; each child is one batch', () => {
    // Prune is a loop (docs/decisions/0005): the budget with the passes this run made.
    const prunePasses = backup.events.filter((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'Prune recovery points').length;
    const budget = distributedBackupBudget(plan, 60, { prunePasses });
    expect(backup.events.length - retriesIn(backup.events)).toBe(budget.parent);
    for (const child of backupRuns[0]!.children) expect(child.events.length).toBeLessThanOrEqual(budget.largestChild);
    const teardownPasses = drill.events.filter((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'Tear down drill').length;
    const recovery = distributedRecoveryBudget(plan, 'drill', 3, 60, undefined, teardownPasses);
    expect(drill.events.length - retriesIn(drill.events)).toBe(recovery.parent);
  });

  test('the drill launches wave by wave (a Map Run each), records an RTO and leaves nothing running', async () => {
    expect([drill.status, drill.error, drill.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
    expect(drill.output).toMatchObject({ readyCount: 60, skippedCount: 0 });
    expect(drillRuns.map((r) => [r.stateName, r.children.length])).toEqual([
      ['Launch wave', 5],
      ['Launch wave', 5],
      ['Launch wave', 5],
    ]);
    // Waves in order: each Map Run starts after the previous one's children all ended.
    for (let i = 1; i < drillRuns.length; i++) {
      const previousEnd = Math.max(...drillRuns[i - 1]!.children.map((c) => c.stopDate!.getTime()));
      const start = Math.min(...drillRuns[i]!.children.map((c) => c.startDate!.getTime()));
      expect(start).toBeGreaterThanOrEqual(previousEnd);
    }
    const output = drill.output as { readyAt: string; startedAt: string; recoveryTimeSeconds: number };
    expect(output.recoveryTimeSeconds).toBe((Date.parse(output.readyAt) - Date.parse(output.startedAt)) / 1000);
    const live = await env.ec2('us-west-2').send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['pending', 'running'] }, { Name: `tag:${TAG_KEYS.role}`, Values: ['drill-instance'] }] }),
    );
    expect((live.Reservations ?? []).flatMap((r) => r.Instances ?? [])).toEqual([]);
  });

  test('the drill keeps its per-workload lists in the run bucket: its payloads name a few workloads, whatever the plan size', async () => {
    // The run's output names the first workloads of each set and group, with counts ...
    const output = drill.output as {
      sets: { workloads: string[]; workloadCount: number }[];
      recoverySets: { bucket: string; key: string };
      achieved: { groups: { workloads: string[]; workloadCount: number; rtoSeconds: number | null }[]; details: { bucket: string; key: string } };
      missingCount: number;
    };
    expect(output.sets.map((s) => [s.workloads.length, s.workloadCount])).toEqual([[WORKLOADS_SHOWN, 60]]);
    expect(output.missingCount).toBe(0);
    expect(output.achieved.groups.map((g) => [g.workloads.length, g.workloadCount])).toEqual([
      [WORKLOADS_SHOWN, 20],
      [WORKLOADS_SHOWN, 20],
      [WORKLOADS_SHOWN, 20],
    ]);
    // ... and the whole lists are in the run bucket: every workload in one group, with its wave's RTO.
    const s3 = new S3Client({ region: 'us-west-2', endpoint: env.sandbox.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const read = async (o: { bucket: string; key: string }) => JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: o.bucket, Key: o.key }))).Body!.transformToString());
    const details = (await read(output.achieved.details)) as { achieved: { groups: { workloads: string[]; rtoSeconds: number }[] }; sets: { workloads: string[] }[] };
    const grouped = details.achieved.groups.flatMap((g) => g.workloads).sort();
    expect(grouped).toEqual(plan.workloads.map((w) => w.name).sort());
    expect(details.achieved.groups.every((g) => g.rtoSeconds > 0)).toBe(true);
    expect(details.sets.flatMap((set) => set.workloads)).toHaveLength(60);
    expect(((await read(output.recoverySets)) as { sets: { workloads: string[] }[] }).sets[0]!.workloads).toHaveLength(60);
    s3.destroy();

    // No payload of the parent's history carries a per-workload list: each names at most
    // WORKLOADS_SHOWN workloads per group (3 groups here; the set's first 5 are the first group's),
    // 15 in all, not the plan's 60 nor a wave's 20. (The pre-flight report, which names at most 50
    // by its own contract, is left out.)
    const bound = WORKLOADS_SHOWN * output.achieved.groups.length;
    expect(bound).toBeLessThan(20);
    let state = '(execution)';
    for (const event of drill.events) {
      state = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name ?? state;
      if (state === 'Pre-flight checks') continue;
      for (const details of Object.values(event)) {
        if (details === null || typeof details !== 'object' || details instanceof Date) continue;
        for (const [key, value] of Object.entries(details as Record<string, unknown>)) {
          if (typeof value !== 'string' || !['input', 'output', 'parameters'].includes(key)) continue;
          const { preflight: _report, ...rest } = JSON.parse(value) as Record<string, unknown>;
          const names = new Set(JSON.stringify(rest).match(/app-\d+/g) ?? []);
          expect(names.size, `${state}: ${event.type}.${key} names ${names.size} workloads`).toBeLessThanOrEqual(bound);
        }
      }
    }
  });

  test("the backup's RPO report names a few workloads with the counts; the run bucket has every one, and lifeboat report shows every one (issue 8)", async () => {
    type Report = { workloadCount: number; setCount: number; missingCount: number; sets: { workloads: string[]; workloadCount: number }[]; missing: string[]; details?: { bucket: string; key: string } };
    const rpo = (backup.output as { rpo: Report }).rpo;
    expect(rpo).toMatchObject({ workloadCount: 60, setCount: 1, missingCount: 0, missing: [] });
    expect(rpo.sets.map((set) => [set.workloads.length, set.workloadCount])).toEqual([[RPO_WORKLOADS_SHOWN, 60]]);
    expect(rpo.details).toEqual({ bucket: 'lifeboat-runs-us-east-1', key: `runs/lifeboat-fleet-backup/${backup.name}/rpo.json` });
    // No payload of "Record backup metrics" or of the run's end names more than the first few.
    for (const event of backup.events) {
      const exited = event.stateExitedEventDetails;
      const value = exited?.name === 'Record backup metrics' ? exited.output : event.executionSucceededEventDetails?.output;
      if (value === undefined) continue;
      expect(new Set(value.match(/app-\d+/g) ?? []).size, `${event.type}`).toBeLessThanOrEqual(RPO_WORKLOADS_SHOWN);
    }
    const s3 = new S3Client({ region: 'us-east-1', endpoint: env.sandbox.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const stored = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: rpo.details!.bucket, Key: rpo.details!.key }))).Body!.transformToString()) as { rpo: Report };
    s3.destroy();
    expect(stored.rpo.sets.flatMap((set) => set.workloads).sort()).toEqual(plan.workloads.map((w) => w.name).sort());

    // lifeboat report reads the whole report back: every workload, with its RPO against the objective
    const saved = { endpoint: process.env.AWS_ENDPOINT_URL, key: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    Object.assign(process.env, { AWS_ENDPOINT_URL: env.sandbox.endpoint, AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox' });
    try {
      const out = await runCli(['report', backup.executionArn, '--region', 'us-east-1', '--json']);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stderr).not.toMatch(/showing the first workloads/);
      const report = JSON.parse(out.stdout) as { workloads: { workload: string; rpo: { status: string; achievedSeconds?: number } }[] };
      expect(report.workloads.map((w) => w.workload).sort()).toEqual(plan.workloads.map((w) => w.name).sort());
      expect(report.workloads.every((w) => w.rpo.status === 'met' && typeof w.rpo.achievedSeconds === 'number')).toBe(true);
      // and so does the sandbox console's report page
      const html = (await lifeboatPageRenderer(env.sandbox)(`report/${backup.executionArn}`, new URLSearchParams()))!;
      expect(new Set(html.match(/app-\d+/g)).size).toBe(60);
    } finally {
      for (const [k, v] of [['AWS_ENDPOINT_URL', saved.endpoint], ['AWS_ACCESS_KEY_ID', saved.key], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  test('the RPO publisher of a distributed plan writes its whole report beside the runs, one object per execution (issue 8)', async () => {
    const published = await env.runToEnd('publishRpo');
    expect(published.status, published.cause).toBe('SUCCEEDED');
    const rpo = (published.output as { rpo: { workloadCount: number; sets: { workloads: string[]; workloadCount: number }[]; details: { bucket: string; key: string } } }).rpo;
    expect(rpo.workloadCount).toBe(60);
    expect(rpo.sets.map((set) => [set.workloads.length, set.workloadCount])).toEqual([[RPO_WORKLOADS_SHOWN, 60]]);
    expect(rpo.details).toEqual({ bucket: 'lifeboat-runs-us-west-2', key: `runs/lifeboat-fleet-publish-rpo/${published.name}/rpo.json` });
    const s3 = new S3Client({ region: 'us-west-2', endpoint: env.sandbox.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const stored = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: rpo.details.bucket, Key: rpo.details.key }))).Body!.transformToString()) as { rpo: { sets: { workloads: string[] }[] } };
    s3.destroy();
    expect(stored.rpo.sets.flatMap((set) => set.workloads)).toHaveLength(60);
  });

  test('lifeboat history follows the Map Runs to every child execution', () => {
    const text = renderMapRuns(backupRuns, plain);
    expect(text).toMatch(/map run 'Back up batches': 12 child executions \(12 succeeded\)/);
    expect(text.match(/SUCCEEDED/g)).toHaveLength(12);
    const drillText = renderMapRuns(drillRuns, plain);
    expect(drillText.match(/map run 'Launch wave'/g)).toHaveLength(3);
  });

  test("a redeploy of a changed plan while a backup runs: the run reads its own definition's table, the next one the new table (docs/decisions/0021)", async () => {
    // GIVEN a backup started with the 60-workload definition
    const running = await env.start('backup', {}, 'before-redeploy');
    // WHEN the plan is redeployed with its first 30 workloads only, before that backup ends
    const changed = parsePlan({ ...planInput(), workloads: planInput().workloads.slice(0, 30) }, 'e2e:fan-out (changed)');
    await deployMachines(changed, (region) => env.sfn(region));
    // THEN both tables are in the run bucket under their own keys, the running backup finishes with
    // its 60 workloads, and the next one backs up the 30 of the new definition.
    const s3 = new S3Client({ region: 'us-east-1', endpoint: env.sandbox.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, forcePathStyle: true });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'lifeboat-runs-us-east-1', Prefix: 'plans/fleet/' }));
    s3.destroy();
    const keys = (listed.Contents ?? []).map((o) => o.Key);
    const before = planObjects(plan).filter((o) => o.region === 'us-east-1').map((o) => o.key);
    const after = planObjects(changed).filter((o) => o.region === 'us-east-1').map((o) => o.key);
    expect(after.filter((k) => before.includes(k))).toEqual([]);
    expect(keys).toEqual(expect.arrayContaining([...before, ...after]));
    const first = await env.result(running);
    expect([first.status, (first.output as { targetCount: number }).targetCount]).toEqual(['SUCCEEDED', 60]);
    const next = await env.runToEnd('backup', {}, 'after-redeploy');
    expect([next.status, (next.output as { targetCount: number }).targetCount]).toEqual(['SUCCEEDED', 30]);
  }, 300_000);
});
