import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { parsePlan, PlanError, type PlanInput } from '../../schemas/plan.js';
import { checkBudget } from '../../workflows/budget.js';
import { checkPayloads, largestArguments, PAYLOAD_QUOTA_BYTES, RUN_FIELDS_RESERVE_BYTES } from '../../workflows/payload.js';
import type { AslState } from '../../schemas/asl.js';
import { isDistributed, planObjects, renderBackup, renderFailover, renderPublishRpo } from '../../workflows/render.js';
import { shapes } from '../../bench/shapes.js';
import { runCli, tempFiles } from '../cli/cli-harness.js';

/*
 * `plan check` on plan shapes the benchmark never writes (issue 8, "Any size": "a plan may hold at
 * least 5,000 workloads and any number of instances per workload"; "the history-budget check of
 * `plan check` covers the parent and the largest child"). The runs of these shapes on the sandbox
 * are in shapes.test.ts and, at full size, bench/shapes.ts.
 */

/** Ids and names as an inventory has them: distinct and without a pattern gzip could use. */
const digest = (s: string) => createHash('sha256').update(s).digest('hex');
const instanceId = (s: string) => `i-${digest(s).slice(0, 17)}`;
const launch = { subnetIds: ['subnet-0aa11bb22cc330001'], instanceTypes: ['m6i.large'] };

function plan(workloads: PlanInput['workloads'], extra: Partial<PlanInput> = {}): PlanInput {
  return { name: 'fleet', primaryRegion: 'us-east-1', recoveryRegion: 'us-west-2', objectives: { rpoMinutes: 1440, rtoMinutes: 240 }, workloads, drill: { isolatedSubnetIds: ['subnet-0dd44ee55ff660001'] }, ...extra };
}

describe('plan check: shapes the benchmark never writes', () => {
  test('one workload of 3,000 listed instance ids is valid, runs distributed, and fits the history and payload quotas', () => {
    const p = parsePlan(plan([{ name: 'render-nodes', instanceIds: Array.from({ length: 3000 }, (_, i) => instanceId(`n${i}`)), launch }]), 'one-workload');
    expect(isDistributed(p)).toBe(true);
    expect(checkBudget(p)).toEqual([]);
    expect(checkPayloads(p)).toEqual([]);
    // 3,000 incompressible ids are read from the run bucket: the resolve task's Arguments stay small.
    const backup = largestArguments(p).find((a) => a.workflow === 'backup')!;
    expect(backup.bytes).toBeLessThan(4 * 1024);
  });

  test('a workload of more than 10,000 listed ids is refused, naming the limit and tag selectors', () => {
    const ids = Array.from({ length: 10_001 }, (_, i) => `i-${i.toString(16).padStart(17, '0')}`);
    let error: unknown;
    try {
      parsePlan(plan([{ name: 'huge', instanceIds: ids, launch }]), 'huge.plan.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlanError);
    expect((error as PlanError).issues).toEqual([expect.objectContaining({ path: 'workloads[0].instanceIds', expected: 'at most 10000 instance ids (select more by "tagSelector")' })]);
  });

  test('scale.mode auto counts a tag selector as a full backup batch: 50 tag-selected workloads run distributed and pass plan check', () => {
    const workloads = Array.from({ length: 50 }, (_, k) => ({ name: `db-shard-${k + 1}`, tagSelector: { role: 'db', shard: String(k + 1) }, launch }));
    const p = parsePlan(plan(workloads), 'selectors');
    // Counted as one instance each (the former rule), this plan rendered inline: its backup
    // stopped at "Resolve workloads" and plan check refused its inline worst case.
    expect(isDistributed(p)).toBe(true);
    expect(checkBudget(p)).toEqual([]);
    // A small plan with one selector (the three-tier example's shape) stays inline.
    const small = parsePlan(plan([{ name: 'web', tagSelector: { app: 'shop' }, launch }, { name: 'db', instanceIds: ['i-0123456789abcdef0'], launch }]), 'small');
    expect(isDistributed(small)).toBe(false);
  });

  test('refuses an inline plan whose workload table would not fit a task input, saying where and what to change', async () => {
    // Forced inline, 60 workloads of 200 distinct ids each: the table travels in the Arguments.
    const workloads = Array.from({ length: 60 }, (_, i) => ({ name: `svc-${i + 1}`, instanceIds: Array.from({ length: 200 }, (_, j) => instanceId(`${i}/${j}`)), launch }));
    const p = parsePlan(plan(workloads, { scale: { mode: 'inline' } }), 'wide');
    const issues = checkPayloads(p);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatchObject({ path: 'workloads', expected: expect.stringContaining('let the plan run distributed') });
    expect(issues[0]!.found).toMatch(/^\d+\.\d KiB in "Resolve workloads" of the backup workflow$/);
    expect(Number.parseFloat(issues[0]!.found)).toBeGreaterThan((PAYLOAD_QUOTA_BYTES - RUN_FIELDS_RESERVE_BYTES) / 1024);
    // The same plan distributed reads its table from the run bucket (docs/decisions/0021): it fits.
    expect(checkPayloads(parsePlan(plan(workloads), 'wide'))).toEqual([]);

    const { file } = tempFiles({ file: plan(workloads, { scale: { mode: 'inline' } }) });
    const run = await runCli(['plan', 'check', file!]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/› workloads: expected a workload table whose copy in the backup task inputs stays at most 240\.0 KiB .*, found \d+\.\d KiB in "Resolve workloads" of the backup workflow/);
  }, 60_000);

  test('5,000 workloads with the longest names and distinct ids: plan check accepts them, every task input about 1 KiB', async () => {
    const name = (i: number) => `w${digest(`name${i}`).slice(0, 31)}`;
    const workloads = Array.from({ length: 5000 }, (_, i) => ({ name: name(i), instanceIds: [instanceId(`one${i}`)], wave: 1 + (i % 100), launch }));
    const { file } = tempFiles({ file: plan(workloads) });
    const run = await runCli(['plan', 'check', file!]);
    expect(run.stderr).not.toContain('issue');
    expect(run.code).toBe(0);
    const shown = /payloads {4}largest task input (\d+\.\d) KiB \("([^"]+)", ([\w-]+); limit 256 KiB\)/.exec(run.stdout);
    expect(shown).not.toBeNull();
    // Was 195.4 KiB ("Resolve workloads") while the table travelled packed in the Arguments.
    expect(Number(shown![1])).toBeLessThan(4);
  }, 60_000);

  test('10,000 workloads with the longest names: every state of every workflow has static Arguments under 32 KiB, the tables go to the run bucket', () => {
    const name = (i: number) => `w${digest(`name${i}`).slice(0, 31)}`;
    const p = parsePlan(plan(Array.from({ length: 10_000 }, (_, i) => ({ name: name(i), instanceIds: [instanceId(`one${i}`)], wave: 1 + (i % 100), launch }))), 'ten-thousand');
    expect(isDistributed(p)).toBe(true);
    const options = { taskArn: (id: string) => `arn:aws:lambda:us-east-1:123456789012:function:lifeboat-${id}`, runBucket: 'lifeboat-runs-placeholder' };
    const definitions = { backup: renderBackup(p, options), failover: renderFailover(p, 'failover', options), drill: renderFailover(p, 'drill', options), publishRpo: renderPublishRpo(p, options) };
    const sizes: Record<string, number> = {};
    const visit = (prefix: string, states: Record<string, AslState>) => {
      for (const [n, state] of Object.entries(states)) {
        if ('Arguments' in state && state.Arguments !== undefined) sizes[`${prefix} › ${n}`] = Buffer.byteLength(JSON.stringify(state.Arguments));
        if (state.Type === 'Map') visit(`${prefix} › ${n}`, state.ItemProcessor.States);
      }
    };
    for (const [kind, d] of Object.entries(definitions)) {
      visit(kind, d.States);
      expect(Buffer.byteLength(JSON.stringify(d)), kind).toBeLessThan(64 * 1024);
    }
    expect(Object.keys(sizes).length).toBeGreaterThan(20);
    expect(Object.entries(sizes).filter(([, bytes]) => bytes >= 32 * 1024)).toEqual([]);
    // The stored tables list every workload, the backup's with its ids, the recovery one with its wave.
    const objects = planObjects(p);
    const backupTable = objects.map((o) => JSON.parse(o.body) as { workloads: { name: string; instanceIds?: string[]; wave?: number }[] }).find((t) => t.workloads[0]!.instanceIds !== undefined)!;
    expect(backupTable.workloads.map((w) => [w.name, w.instanceIds])).toEqual(p.workloads.map((w) => [w.name, w.instanceIds]));
    const recoveryTable = objects.map((o) => JSON.parse(o.body) as { workloads: { name: string; wave?: number }[] }).find((t) => t.workloads[0]!.wave !== undefined)!;
    expect(recoveryTable.workloads.map((w) => [w.name, w.wave])).toEqual(p.workloads.map((w) => [w.name, w.wave]));
  }, 120_000);

  test('every bench shape passes plan check at full size (validation, history budget, payloads)', () => {
    for (const shape of shapes(1)) {
      const p = parsePlan(JSON.stringify(shape.plan), shape.name);
      expect([shape.name, isDistributed(p), checkBudget(p), checkPayloads(p)]).toEqual([shape.name, true, [], []]);
    }
  }, 60_000);
});
