import { describe, expect, test } from 'vitest';
import { SHOP_PLAN, normalise, runCli, tempFiles } from './cli-harness.js';

describe('cli: plan check', () => {
  test('accepts a good plan with exit 0 and a short summary', async () => {
    const { plan } = tempFiles({ plan: SHOP_PLAN });

    const run = await runCli(['plan', 'check', plan]);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('plan "shop" is valid');
    expect(run.stdout).toContain('2 (1 critical) in 2 waves');
    expect(run.stdout).toContain('lifeboat-shop-backup (us-east-1), lifeboat-shop-failover (us-west-2), lifeboat-shop-drill (us-west-2)');
    expect(normalise(run.stdout.replaceAll(plan, '<plan>'))).toMatchSnapshot('stdout');
  });

  test('warns on stderr, with exit 0, when the backup schedule cannot keep the RPO objective', async () => {
    // GIVEN backups every 4 h against a 4 h RPO (plus about 40 min for the backup itself)
    const { plan } = tempFiles({ plan: SHOP_PLAN });
    const fast = tempFiles({ 'fast.json': { ...SHOP_PLAN, objectives: { rpoMinutes: 480, rtoMinutes: 60 } } })['fast.json'];

    const run = await runCli(['plan', 'check', plan]);
    const json = await runCli(['plan', 'check', plan, '--json']);
    const quiet = await runCli(['plan', 'check', fast]);

    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${plan} › backup.schedule: "rate(4 hours)" leaves up to 4h00m between backups`);
    expect(run.stderr).toContain('beyond objectives.rpoMinutes (4h00m)');
    expect(run.stdout).not.toContain('backup.schedule:');
    expect(JSON.parse(json.stdout).warnings).toEqual([expect.stringContaining('the newest recovery point can be 4h40m old')]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toContain('backup.schedule');
  });

  test('says which run shape the plan takes, and for an inline plan with tag selectors how many instances they may match before it needs distributed (docs/decisions/0021)', async () => {
    // GIVEN one listed instance and three tag-selected workloads (auto: 1 + 3 × 20 = 61 instances, inline)
    const web = SHOP_PLAN.workloads[1]!;
    const selectors = { ...SHOP_PLAN, workloads: [SHOP_PLAN.workloads[0]!, ...[1, 2, 3].map((k) => ({ ...web, name: `web-${k}`, tagSelector: { app: `shop-${k}` } }))] };
    const distributed = { ...SHOP_PLAN, scale: { mode: 'distributed' } };
    const files = tempFiles({ 'selectors.json': selectors, 'distributed.json': distributed });
    const inline = await runCli(['plan', 'check', files['selectors.json']!]);
    expect(inline.code).toBe(0);
    expect(inline.stdout).toContain(
      '  scale       inline (auto: 1 listed instance + 3 tag selectors counted as 20 each = 61, at most 100); its 3 tag selectors may match at most 99 instances in all, or set "scale": {"mode": "distributed"}',
    );
    const forced = await runCli(['plan', 'check', files['distributed.json']!]);
    expect(forced.stdout).toContain('  scale       distributed (as the plan says); workload tables stored in S3 at deploy, not in the definitions');
  });

  test('rejects a broken plan with exit 1, one line per issue naming file, path, expected and found', async () => {
    // GIVEN a plan with three problems in different places
    const broken = {
      ...SHOP_PLAN,
      name: 'Shop',
      recoveryRegion: 'us-east-1',
      workloads: [{ ...SHOP_PLAN.workloads[0], launch: { subnetIds: [], instanceTypes: ['r6i.large'] } }],
    };
    const { plan } = tempFiles({ plan: broken });

    // WHEN
    const run = await runCli(['plan', 'check', plan]);

    // THEN
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(new RegExp(`^${plan.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} › \\S+: expected .+, found .+$`));
    expect(run.stdout).toContain(`${plan} › name: expected`);
    expect(run.stdout).toContain(`${plan} › workloads[0].launch.subnetIds: expected at least 1 subnet id, found []`);
    expect(run.stdout).toContain(`${plan} › recoveryRegion: expected`);
    expect(run.stderr).toContain('3 issues; the plan is not valid');
  });

  test('rejects a plan whose worst-case history exceeds 25,000 events, naming the workflow, the figure and the fields to change', async () => {
    // GIVEN 300 instances in batches of 5 (60 batches) run inline: every batch's loops at their deadlines is far over the limit
    const ids = Array.from({ length: 300 }, (_, i) => `i-${(0x1000000000000000 + i * 7919).toString(16).padStart(17, '0')}`);
    const big = { ...SHOP_PLAN, backup: { batchSize: 5 }, scale: { mode: 'inline' }, workloads: [{ ...SHOP_PLAN.workloads[0], instanceIds: ids }] };
    const { plan } = tempFiles({ plan: big });

    // WHEN
    const run = await runCli(['plan', 'check', plan]);

    // THEN
    expect(run.code).toBe(1);
    const line = run.stdout.trim();
    expect(line).toMatch(new RegExp(`^${plan.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} › backup: expected a worst-case backup history of at most 25,000 events`));
    expect(line).toContain('change backup.batchSize (5), backup.imageTimeoutMinutes (120), backup.copyTimeoutMinutes (360)');
    expect(line).toMatch(/found [\d,]+ events \(300 instance\(s\) in 60 batch\(es\)/);
    expect(run.stderr).toContain('1 issue; the plan is not valid');

    // WHEN the batches are larger, the same instances fit
    const { plan: fixed } = tempFiles({ plan: { ...big, backup: { batchSize: 50 } } });
    const ok = await runCli(['plan', 'check', fixed]);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/history {5}worst case backup [\d,]+, failover [\d,]+, drill [\d,]+ events \(limit 25,000\)/);

    // AND run distributed (scale.mode auto, the default), the small batches fit too: each batch is a child execution
    const { plan: distributed } = tempFiles({ plan: { ...big, scale: { mode: 'auto' } } });
    const split = await runCli(['plan', 'check', distributed]);
    expect(split.code, split.stdout).toBe(0);
  });

  test('summarizes a 5,000-workload plan per wave (counts, first names, "and N more") instead of listing every workload', async () => {
    // GIVEN 5,000 workloads in 4 waves, every tenth optional
    const hex = (i: number) => i.toString(16).padStart(17, '0');
    const workloads = Array.from({ length: 5000 }, (_, i) => ({
      ...SHOP_PLAN.workloads[0],
      name: `app-${i + 1}`,
      instanceIds: [`i-${hex(i + 1)}`],
      critical: i % 10 !== 9,
      wave: 1 + Math.floor((i * 4) / 5000),
    }));
    const { plan } = tempFiles({ plan: { ...SHOP_PLAN, workloads } });

    // WHEN
    const run = await runCli(['plan', 'check', plan]);

    // THEN one head line and one line per wave, each short; no workload beyond the first three of a wave
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('  workloads   5,000 (4,500 critical) in 4 waves');
    expect(lines).toContain('              wave 1: 1,250 (125 optional): app-1, app-2, app-3 and 1,247 more');
    expect(lines).toContain('              wave 4: 1,250 (125 optional): app-3751, app-3752, app-3753 and 1,247 more');
    expect(run.stdout).not.toContain('app-4');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(200);
  }, 60_000);

  test('--json prints the issues as one document', async () => {
    const { plan } = tempFiles({ plan: { ...SHOP_PLAN, objectives: { rpoMinutes: 0, rtoMinutes: 60 } } });

    const run = await runCli(['plan', 'check', plan, '--json']);

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({ file: plan, isValid: false, issues: [expect.objectContaining({ path: 'objectives.rpoMinutes', found: '0' })] });
  });

  test('fails with exit 2 when the file is missing or not JSON', async () => {
    const { notJson } = tempFiles({ notJson: '{ "name": "shop", ' });

    const missing = await runCli(['plan', 'check', '/nonexistent/plan.json']);
    const garbled = await runCli(['plan', 'check', notJson]);

    expect([missing.code, garbled.code]).toEqual([2, 2]);
    expect(missing.stderr).toContain('lifeboat plan check: cannot read plan "/nonexistent/plan.json": no such file');
    expect(garbled.stderr).toContain(`${notJson}: expected a JSON document, found invalid JSON`);
    expect(missing.stdout + garbled.stdout).toBe('');
  });

  test('a command given an invalid plan fails with exit 2 listing its issues', async () => {
    const { plan } = tempFiles({ plan: { ...SHOP_PLAN, primaryRegion: 'mars-1' } });

    const run = await runCli(['drill', '--plan', plan]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('lifeboat drill: the plan is not valid:');
    expect(run.stderr).toContain(`${plan} › primaryRegion: expected`);
  });
});
