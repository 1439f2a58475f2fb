/**
 * The backup alone against the copy quotas (issue 8, docs/decisions/0018): the benchmark's scaled
 * plan backed up on the sandbox, then the simulated duration, the bound the quotas allow and the
 * copies in flight, read back from the sandbox (`bench/copy-quota.ts`). The scale section of
 * `npm run bench` prints the same backup figures beside the drill's; this one runs no drill, so
 * it is quicker and does not depend on the drill succeeding.
 *
 *   nice -n 10 node --import tsx bench/backup-quota.ts --sizes 100,1000
 */
import { parseArgs } from 'node:util';
import { startLocalLifeboat } from '../cli/local/session.js';
import { DEFAULT_CONCURRENT_COPY_LIMIT, DEFAULT_CONCURRENT_SNAPSHOT_COPY_LIMIT } from '../sandbox/ec2/faults.js';
import { DEFAULT_LATENCY } from '../sandbox/ec2/latency.js';
import { copyQueuedWaitSeconds } from '../workflows/budget.js';
import { isDistributed } from '../workflows/render.js';
import { copyQuotaFigures } from './copy-quota.js';
import { scaledPlan } from './scale.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100' } } });
const sizes = values.sizes.split(',').map((s) => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`bench › --sizes: expected comma-separated positive integers, found ${JSON.stringify(s)}\n`);
    process.exit(2);
  }
  return n;
});

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
let missed = 0;
for (const n of sizes) {
  const plan = scaledPlan(n);
  const env = await startLocalLifeboat({ plan, seed: 11, startMs: Date.parse('2026-11-25T00:00:00.000Z') });
  try {
    const wall0 = Date.now();
    const cpu0 = process.cpuUsage();
    const result = await env.runToEnd('backup');
    const cpu = process.cpuUsage(cpu0);
    if (result.status !== 'SUCCEEDED') throw new Error(`bench: backup of ${n} ended ${result.status}: ${result.error} ${result.cause}`);
    const simulated = ((result.stopDate?.getTime() ?? 0) - result.startDate.getTime()) / 1000;
    const quotas = { concurrentAmiCopies: DEFAULT_CONCURRENT_COPY_LIMIT, concurrentSnapshotCopies: DEFAULT_CONCURRENT_SNAPSHOT_COPY_LIMIT };
    const c = copyQuotaFigures(env.sandbox.ec2.region(plan.primaryRegion), env.sandbox.ec2.region(plan.recoveryRegion), quotas, DEFAULT_LATENCY.imageRegister);
    const ratio = simulated / c.boundSeconds;
    const isFull = c.peakSnapshotCopies <= quotas.concurrentSnapshotCopies && c.peakAmiCopies <= quotas.concurrentAmiCopies && c.meanSnapshotCopiesWhileQueued >= 0.95 * quotas.concurrentSnapshotCopies;
    if (ratio > 1.1 || !isFull) missed += 1;
    process.stdout.write(
      [
        `### ${fmt(n)} instances (${isDistributed(plan) ? 'distributed' : 'inline'}, batches of ${plan.backup.batchSize}, ${plan.backup.maxConcurrentBatches} at once, queued copy wait ${copyQueuedWaitSeconds(plan)} s)`,
        `backup: simulated ${fmt(simulated / 60, 1)} min against ${fmt(c.boundSeconds / 60, 1)} min the copy quotas allow = ${fmt(ratio, 2)}× — target ≤ 1.1×: ${ratio <= 1.1 ? 'ok' : 'MISSED'} (quickest image ${fmt(c.imageSeconds / 60, 1)} min; AMI-copy quota alone ${fmt(c.amiBoundSeconds / 60, 1)} min)`,
        `copies: ${fmt(c.copies)} AMI copies, ${fmt(c.snapshotCopies)} snapshot copies; snapshot copies in flight peak ${c.peakSnapshotCopies} of ${quotas.concurrentSnapshotCopies}, mean ${fmt(c.meanSnapshotCopiesWhileQueued, 2)} while copies waited to start (${fmt((100 * c.meanSnapshotCopiesWhileQueued) / quotas.concurrentSnapshotCopies, 1)} %, target ≥ 95 %: ${isFull ? 'ok' : 'MISSED'}), ${fmt(c.meanSnapshotCopiesOverall, 2)} to the last completion; AMI copies peak ${c.peakAmiCopies} of ${quotas.concurrentAmiCopies}, mean ${fmt(c.meanAmiCopiesWhileQueued, 2)}`,
        `wall ${fmt((Date.now() - wall0) / 1000, 1)} s, CPU ${fmt((cpu.user + cpu.system) / 1e6, 1)} s (${fmt((cpu.user + cpu.system) / 1e3 / n, 1)} ms per instance), ${fmt(result.events.length)} parent events`,
        '',
      ].join('\n'),
    );
  } finally {
    await env.stop();
  }
}
process.exit(missed > 0 ? 1 : 0);
