import { describe, expect, test } from 'vitest';
import { runSeed, type CampaignRun } from '../../bench/campaign-runs.js';

/**
 * A few seeds of the campaign `npm run campaign` runs in full (bench/campaign.ts): 60% of every
 * EC2 call throttled. Outcomes, not timing.
 */
describe('e2e: a throttling storm of 60% of EC2 calls (seeded campaign, a few seeds)', () => {
  const seeds = [101, 102, 103];
  const runs: CampaignRun[] = [];

  test.each(seeds)('seed %i: backup, drill and failover each succeed, or fail naming the step and succeed when retried; nothing duplicated or left running', async (seed) => {
    // WHEN
    const results = await runSeed(0.6, seed);
    runs.push(...results);
    // THEN
    expect(results.map((r) => r.kind)).toEqual(['backup', 'drill', 'failover']);
    for (const r of results) {
      const where = `${r.kind} seed ${seed}`;
      expect(r.duplicates, `${where}: duplicates`).toBe(0);
      expect(r.leftRunning, `${where}: instances left running`).toBe(0);
      if (r.status !== 'SUCCEEDED') {
        expect(r.failedStep, `${where}: the failure names its step`).not.toBe('(not named)');
        expect(r.retryStatus, `${where}: ${r.cause}`).toBe('SUCCEEDED');
      }
    }
  });

  test('the storm reached the loop passes, which left the throttled calls for their next pass instead of failing', () => {
    expect(runs.length).toBe(9);
    expect(runs.reduce((n, r) => n + r.throttledInPasses, 0)).toBeGreaterThan(0);
    expect(runs.filter((r) => r.status === 'SUCCEEDED').length).toBeGreaterThanOrEqual(8);
  });
});
