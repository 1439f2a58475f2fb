/**
 * `npm run bench`: the sandbox engine's speed and memory (issue 3), backup and drill at 100, 1,000
 * and 5,000 instances (issues 4 and 8), and start-up times (issue 8). Prints every figure with its
 * target; exits 1 if a target is missed.
 *
 *   npm run bench                                  # everything, sizes 100,1000,5000
 *   npm run bench -- --sizes 100,1000              # fewer sizes
 *   npm run bench -- --only scale --sizes 100      # one section: engine | memory | scale | startup
 *   npm run bench -- --only scale --sizes 1000 --failover   # a failover after the drill, too
 *   npm run bench -- --only week                   # a week of the small plan's schedules (issue 12)
 *   npm run bench -- --only shapes --shapes many-volumes,mixed   # plan shapes the scale part never runs (bench/shapes.ts; not in the default set)
 *
 * Not part of `npm test`: a 5,000-instance run takes minutes on a small machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchInlineMap, benchPassChain } from './engine.js';
import { benchRetention } from './retention.js';
import { benchScale, PRICES, type ScaleReport } from './scale.js';
import { runShape, shapeLines, shapes } from './shapes.js';
import { benchBundles, benchHelp, benchHistory, benchNode, cliMode } from './startup.js';
import { benchWeek, weekLines } from './week.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000,5000' },
    only: { type: 'string' },
    failover: { type: 'boolean', default: false },
    shapes: { type: 'string' },
    'shape-scale': { type: 'string', default: '1' },
  },
  allowPositionals: false,
});
const sizes = values.sizes!.split(',').map((s) => Number(s.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 10_000)) {
  process.stderr.write(`bench › --sizes: expected whole numbers from 1 to 10000 separated by commas, found ${JSON.stringify(values.sizes)}\n`);
  process.exit(2);
}
const sections = new Set(values.only ? values.only.split(',') : ['engine', 'memory', 'scale', 'startup', 'week']);
for (const s of sections) {
  if (!['engine', 'memory', 'scale', 'startup', 'week', 'shapes'].includes(s)) {
    process.stderr.write(`bench › --only: expected engine, memory, scale, startup, week or shapes, found ${JSON.stringify(s)}\n`);
    process.exit(2);
  }
}
const shapeScale = Number(values['shape-scale']);
const allShapes = shapes(shapeScale > 0 && shapeScale <= 1 ? shapeScale : 1);
const shapeNames = values.shapes ? values.shapes.split(',') : allShapes.map((s) => s.name);
const unknownShapes = shapeNames.filter((n) => !allShapes.some((s) => s.name === n));
if (!(shapeScale > 0 && shapeScale <= 1) || unknownShapes.length > 0) {
  process.stderr.write(`bench › --shapes, --shape-scale: expected names among ${allShapes.map((s) => s.name).join(', ')} and a scale from 0 to 1, found ${JSON.stringify(values.shapes ?? '')} and ${JSON.stringify(values['shape-scale'])}\n`);
  process.exit(2);
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const usd = (n: number) => `$${n.toLocaleString('en-US', { maximumFractionDigits: 4, minimumFractionDigits: 4 })}`;
let missed = 0;
const check = (ok: boolean) => (ok ? 'ok' : (missed++, 'MISSED'));

out('# Lifeboat benchmarks (virtual clock)');
if (sections.has('engine')) {
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
}

if (sections.has('scale')) {
  out('');
  out('## Backup and drill by size (whole run: parent and every child execution)');
  out(
    `Cost: Step Functions Standard $0.025 per 1,000 transitions (https://aws.amazon.com/step-functions/pricing/); Lambda x86 $0.0000166667 per GB-s and $0.20 per 1M requests (https://aws.amazon.com/lambda/pricing/) at ${PRICES.lambdaMemoryMb} MB (infra's task functions), each call billed for its in-process time on the sandbox but at least ${PRICES.lambdaFloorMs} ms.`,
  );
  const reports: ScaleReport[] = [];
  for (const n of sizes) {
    global.gc?.();
    const s = await benchScale(n, { failover: values.failover === true });
    reports.push(s);
    const b = s.backup;
    const d = s.drill;
    out('');
    out(`### ${fmt(n)} instances (${s.distributed ? 'distributed' : 'inline'} runs)`);
    out(`backup: ${b.status}, ${fmt(b.executions)} executions, ${fmt(b.transitions)} transitions = ${fmt(b.transitions / n, 2)} per instance — target ≤ 12: ${check(b.transitions / n <= 12)}`);
    out(`backup: ${fmt(b.lambdaInvocations)} Lambda invocations = ${fmt(b.lambdaInvocations / n, 2)} per instance; largest execution ${fmt(b.largestExecutionEvents)} events (parent ${fmt(b.parentEvents)}) — limit 25,000: ${check(b.largestExecutionEvents < 25_000)}`);
    out(`backup: largest state input or output ${fmt(b.largestPayloadBytes / 1024, 1)} KiB — limit 256 KiB, target well below (≤ 64 KiB): ${check(b.largestPayloadBytes <= 64 * 1024)}`);
    out(`backup: largest payload at ${b.largestPayloadAt}`);
    out(`backup: simulated ${fmt(b.simulatedSeconds / 60, 1)} min against ${fmt(b.boundSeconds / 60, 1)} min the copy quotas (${b.copyQuota} concurrent AMI copies, ${b.snapshotCopyQuota} concurrent snapshot copies per region) allow = ${fmt(b.simulatedSeconds / b.boundSeconds, 2)}× — target ≤ 1.1×: ${check(b.simulatedSeconds / b.boundSeconds <= 1.1)} (AMI-copy quota alone: ${fmt(b.amiBoundSeconds / 60, 1)} min)`);
    const c = b.copyLoad;
    out(`backup: copies in flight (${fmt(c.copies)} AMI copies, ${fmt(c.snapshotCopies)} snapshot copies): snapshot copies peak ${c.peakSnapshotCopies} of ${b.snapshotCopyQuota}, mean ${fmt(c.meanSnapshotCopiesWhileQueued, 2)} while copies waited to start = ${fmt((100 * c.meanSnapshotCopiesWhileQueued) / b.snapshotCopyQuota, 1)}% — target ≥ 95%, never above: ${check(c.peakSnapshotCopies <= b.snapshotCopyQuota && c.meanSnapshotCopiesWhileQueued >= 0.95 * b.snapshotCopyQuota)} (mean to the last completion ${fmt(c.meanSnapshotCopiesOverall, 2)}); AMI copies peak ${c.peakAmiCopies} of ${b.copyQuota}, mean ${fmt(c.meanAmiCopiesWhileQueued, 2)}`);
    out(`backup: wall ${fmt(b.wallSeconds, 1)} s (${fmt((b.wallSeconds * 1000) / n, 1)} ms per instance), CPU ${fmt(b.cpuSeconds, 1)} s (${fmt((b.cpuSeconds * 1000) / n, 1)} ms per instance); estimated AWS cost ${usd(b.costUsd)} (${fmt(b.lambdaMs / 1000, 1)} s of handler time)`);
    out(`drill: ${d.status}, ${fmt(d.executions)} executions, ${fmt(d.transitions)} transitions = ${fmt(d.transitions / n, 2)} per instance — target ≤ 10: ${check(d.transitions / n <= 10)}`);
    out(`drill: ${fmt(d.lambdaInvocations)} Lambda invocations = ${fmt(d.lambdaInvocations / n, 2)} per instance; largest execution ${fmt(d.largestExecutionEvents)} events (parent ${fmt(d.parentEvents)}) — limit 25,000: ${check(d.largestExecutionEvents < 25_000)}`);
    out(`drill: largest state input or output ${fmt(d.largestPayloadBytes / 1024, 1)} KiB — limit 256 KiB, target well below (≤ 64 KiB): ${check(d.largestPayloadBytes <= 64 * 1024)}`);
    out(`drill: largest payload at ${d.largestPayloadAt}`);
    out(`drill: RTO ${fmt(d.rtoSeconds)} s against a critical path of ${fmt(d.criticalPathSeconds)} s of EC2 operations = ${fmt(d.rtoSeconds / d.criticalPathSeconds, 3)}× — target ≤ 1.02×: ${check(d.rtoSeconds / d.criticalPathSeconds <= 1.02)}`);
    const o = d.overhead;
    out(`drill: the ${fmt(d.rtoSeconds - d.criticalPathSeconds, 1)} s above the critical path: ${fmt(o.beforeFirstLaunch, 1)} s before the first launch, ${fmt(o.launchSpread, 1)} s of launch spread, ${fmt(o.betweenWaves, 1)} s between waves, ${fmt(o.afterLastWave, 1)} s noticing the last wave ready`);
    out(`drill: wall ${fmt(d.wallSeconds, 1)} s; estimated AWS cost ${usd(d.costUsd)}`);
    const f = s.failover;
    if (f !== undefined) {
      out(`failover: ${f.status}, ${fmt(f.executions)} executions, ${fmt(f.transitions)} transitions = ${fmt(f.transitions / n, 2)} per instance; ${fmt(f.lambdaInvocations)} Lambda invocations; largest execution ${fmt(f.largestExecutionEvents)} events (parent ${fmt(f.parentEvents)}) — limit 25,000: ${check(f.largestExecutionEvents < 25_000)}`);
      out(`failover: largest state input or output ${fmt(f.largestPayloadBytes / 1024, 1)} KiB — limit 256 KiB, target well below (≤ 64 KiB): ${check(f.largestPayloadBytes <= 64 * 1024)}`);
      out(`failover: largest payload at ${f.largestPayloadAt}`);
      out(`failover: RTO ${fmt(f.rtoSeconds)} s; wall ${fmt(f.wallSeconds, 1)} s; estimated AWS cost ${usd(f.costUsd)}`);
    }
    out(`peak memory (RSS) during this size: ${fmt(s.peakRssBytes / 1024 / 1024)} MiB`);
    const h = s.backupHeap;
    if (h !== undefined) out(`heap kept by the backup (after a full collection): ${fmt((h.afterBytes - h.beforeBytes) / 1024 / 1024, 1)} MiB = ${fmt((h.afterBytes - h.beforeBytes) / 1024 / n, 1)} KiB per instance (${fmt(h.beforeBytes / 1024 / 1024, 1)} → ${fmt(h.afterBytes / 1024 / 1024, 1)} MiB)`);
  }
  const at = (n: number) => reports.find((r) => r.workloads === n);
  const r1000 = at(1000);
  const r5000 = at(5000);
  if (r1000 && r5000) {
    const perInstance = r5000.backup.wallSeconds / 5000 / (r1000.backup.wallSeconds / 1000);
    out('');
    out(`time per instance, 5,000 vs 1,000 (backup wall): ${fmt(perInstance, 2)}×; backup wall 5,000 = ${fmt(r5000.backup.wallSeconds / r1000.backup.wallSeconds, 2)}× that of 1,000 — target ≤ 6×: ${check(r5000.backup.wallSeconds <= 6 * r1000.backup.wallSeconds)}`);
    // CPU time moves less than wall time with the load of a shared machine (reported, not the target).
    out(`backup CPU 5,000 = ${fmt(r5000.backup.cpuSeconds / r1000.backup.cpuSeconds, 2)}× that of 1,000 (${fmt((r1000.backup.cpuSeconds * 1000) / 1000, 1)} and ${fmt((r5000.backup.cpuSeconds * 1000) / 5000, 1)} ms per instance)`);
  }
}

if (sections.has('shapes')) {
  out('');
  out('## Plan shapes the scale part never runs (bench/shapes.ts): backup, drill, failover; every run SUCCEEDED, payloads ≤ 64 KiB, histories ≤ 20,000 events, every instance once');
  for (const shape of allShapes.filter((s) => shapeNames.includes(s.name))) {
    global.gc?.();
    out('');
    out(shape.about);
    const r = await runShape(shape);
    for (const line of shapeLines(r)) out(line);
    check(r.problems.length === 0);
  }
}

if (sections.has('startup')) {
  out('');
  out('## Start-up (fresh Node.js process each; medians; "floor" = a bare `node -e 0` in the same turns, which a loaded machine raises)');
  for (const b of await benchBundles()) {
    out(`task ${b.task}: bundle ${fmt(b.bytes / 1024)} KiB loaded of ${fmt(b.totalBytes / 1024)} KiB, import() ${fmt(b.loadMs)} ms wall, ${fmt(b.loadCpuMs)} ms CPU (floor ${fmt(b.nodeMs)} ms) — target < 150 ms: ${check(b.loadMs < 150)}`);
  }
  const node = benchNode();
  out(`node -e 0 (the floor under the figures below): ${fmt(node)} ms wall`);
  const help = benchHelp();
  out(`lifeboat --help (${cliMode()}, as installed): ${fmt(help.installed.ms)} ms wall, Node.js start-up included (floor ${fmt(help.installed.nodeMs)} ms) — target < 150 ms: ${check(help.installed.ms < 150)}`);
  out(`lifeboat --help through tsx (LIFEBOAT_NO_PREBUILT=1, as after an edit): ${fmt(help.tsx.ms)} ms wall (floor ${fmt(help.tsx.nodeMs)} ms; reported, not a target)`);
  const history = await benchHistory();
  out(`lifeboat history of a ${fmt(history.events)}-event execution (--local, data directory ${fmt(history.dataBytes / 1024 / 1024, 1)} MiB, ${cliMode()}): ${fmt(history.ms)} ms wall (floor ${fmt(history.nodeMs)} ms) — target < 1,000 ms: ${check(history.ms < 1000)}`);
}
if (sections.has('memory')) {
  out('');
  out('## Memory over 100,000 executions (closed executions leave memory after their retention, here 0)');
  for (const publishMetrics of [false, true]) {
    global.gc?.();
    const ret = await benchRetention({ publishMetrics });
    const first = ret.checkpoints[0]!;
    const last = ret.checkpoints.at(-1)!;
    const perExecution = (last.heapBytes - first.heapBytes) / (last.executions - first.executions);
    const heaps = ret.checkpoints.map((c) => `${fmt(c.heapBytes / 1024 / 1024, 1)} MiB at ${fmt(c.executions)}`).join(', ');
    if (!publishMetrics) {
      out(`executions alone: heap ${heaps} = ${fmt(perExecution, 1)} bytes per execution (${fmt(ret.seconds, 1)} s) — target ≤ 32 bytes per execution (flat; about 4.6 KiB each when every one is kept): ${check(perExecution <= 32)}`);
    } else {
      out(`with AWS/States metrics published to CloudWatch on each close: heap ${heaps} = ${fmt(perExecution, 1)} bytes per execution (CloudWatch keeps one aggregate per metric and minute) — target ≤ 32 bytes per execution: ${check(perExecution <= 32)}`);
    }
  }
  // With a data directory (as `lifeboat sandbox` runs): closed executions leave memory for disk and
  // are read back from there. Fewer executions, as each one writes a file.
  const dataDir = mkdtempSync(join(tmpdir(), 'lifeboat-bench-retention-'));
  try {
    global.gc?.();
    const ret = await benchRetention({ dataDir, total: 20_000, checkpoints: [5_000, 10_000, 20_000] });
    const first = ret.checkpoints[0]!;
    const last = ret.checkpoints.at(-1)!;
    const perExecution = (last.heapBytes - first.heapBytes) / (last.executions - first.executions);
    const heaps = ret.checkpoints.map((c) => `${fmt(c.heapBytes / 1024 / 1024, 1)} MiB at ${fmt(c.executions)}`).join(', ');
    const disk = ret.fromDisk!;
    out(`with a data directory: heap ${heaps} = ${fmt(perExecution, 1)} bytes per execution (${fmt(ret.seconds, 1)} s); the first execution read back from disk: ${disk.status}, ${fmt(disk.events)} events; ListExecutions lists ${fmt(disk.listed)} — target ≤ 32 bytes per execution and the first one readable: ${check(perExecution <= 32 && disk.status === 'SUCCEEDED' && disk.events > 0)}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
if (sections.has('week')) {
  out('');
  out('## A week of schedules (the small plan: backups every 4 h, the weekly drill, the RPO publisher every 5 min, collectors every 6 h; alarms evaluated each period)');
  for (const persistent of [false, true]) {
    global.gc?.();
    const r = await benchWeek({ persistent });
    for (const line of weekLines(r)) out(line);
    const ok = r.unsuccessful.length === 0 && r.executionsByMachine.backup === 42 && r.executionsByMachine.drill === 1;
    const speed = persistent
      ? `wall ${fmt(r.wallSeconds, 1)} s, CPU ${fmt(r.cpuSeconds, 1)} s (reported, not a target: every execution is written to disk when it starts and ends)`
      : `wall ${fmt(r.wallSeconds, 1)} s — target < 20 s on a quiet machine (CPU ${fmt(r.cpuSeconds, 1)} s; wall under load is indicative only): ${check(r.wallSeconds < 20)}`;
    out(`${persistent ? 'with a data directory' : 'in memory'}: every scheduled run happened and succeeded (42 backups, 1 drill): ${check(ok)}; ${speed}`);
  }
}
process.exitCode = missed > 0 ? 1 : 0;
