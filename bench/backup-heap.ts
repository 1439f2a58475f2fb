/**
 * One backup of the scale benchmark's plan (bench/scale.ts) at `n` instances, alone, with what it
 * keeps in memory: CPU and wall time, peak RSS, the JS heap in use after a full collection before
 * and after the run, main-thread GC pauses by kind, and optionally a heap snapshot to read with
 * bench/heapsnapshot.ts (docs/decisions/0022).
 *
 *   nice -n 10 node --expose-gc --import tsx bench/backup-heap.ts 1000 [--snapshot /tmp/backup.heapsnapshot]
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';
import { startLocalLifeboat } from '../cli/local/session.js';
import { STANDARD_VCPU_QUOTA_CODE } from '../sandbox/ec2/preconditions.js';
import { scaledPlan } from './scale.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { snapshot: { type: 'string' } } });
const n = Number(positionals[0] ?? 1000);
if (!Number.isInteger(n) || n < 1 || n > 10_000) {
  process.stderr.write(`backup-heap › instances: expected a whole number from 1 to 10000, found ${JSON.stringify(positionals[0])}\n`);
  process.exit(2);
}
if (typeof global.gc !== 'function') {
  process.stderr.write('backup-heap › run with node --expose-gc (the heap is read after a full collection)\n');
  process.exit(2);
}
const collect = global.gc;

/** Main-thread GC pause time by kind (minor = scavenge, major = mark-compact), ms of wall time. */
const pauses: Record<string, number> = {};
const KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = KINDS[(e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'other';
    pauses[kind] = (pauses[kind] ?? 0) + e.duration;
  }
}).observe({ entryTypes: ['gc'] });

const plan = scaledPlan(n);
const env = await startLocalLifeboat({ plan, seed: 11, startMs: Date.parse('2026-11-25T00:00:00.000Z'), taskLog: () => {} });
env.sandbox.servicequotas.setQuota(plan.recoveryRegion, 'ec2', STANDARD_VCPU_QUOTA_CODE, 2 * n);
let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100);
collect();
const heapBefore = getHeapStatistics().used_heap_size;
const wall0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const result = await env.runToEnd('backup');
const wallSeconds = Number(process.hrtime.bigint() - wall0) / 1e9;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
// The parent's history read back is the caller's, not what the sandbox keeps.
result.events.length = 0;
collect();
const heapAfter = getHeapStatistics().used_heap_size;
const mib = (b: number) => (b / 2 ** 20).toFixed(1);
process.stdout.write(
  `${JSON.stringify({
    instances: n,
    status: result.status,
    wallSeconds: Number(wallSeconds.toFixed(1)),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
    peakRssMiB: Number(mib(peakRss)),
    heapBeforeMiB: Number(mib(heapBefore)),
    heapAfterMiB: Number(mib(heapAfter)),
    keptKiBPerInstance: Number(((heapAfter - heapBefore) / 1024 / n).toFixed(1)),
    gcPauseSeconds: Object.fromEntries(Object.entries(pauses).map(([k, ms]) => [k, Number((ms / 1000).toFixed(1))])),
  })}\n`,
);
if (values.snapshot !== undefined) process.stdout.write(`heap snapshot: ${writeHeapSnapshot(values.snapshot)}\n`);
await env.stop();
