/**
 * Start-up benchmark (issue 8, "Fast to start"): each task Lambda bundled as infra bundles it
 * (bin/bundle-task.js: esbuild, a minified ESM entry file with the AWS SDK inside, and chunks for
 * the code only a dynamic `import()` reaches) and loaded with
 * `import()` in a fresh Node.js process; `lifeboat --help` and `lifeboat history` in a fresh
 * process. Every figure is a median of runs, reported beside the machine's floor (a bare
 * `node -e 0` measured in the same turns), since a loaded machine raises both.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Metafile } from 'esbuild';
import { TASK_IDS, type TaskId } from '../schemas/tasks/index.js';
import { bundleTask, staticallyLoaded } from '../bin/bundle-task.js';
import { prebuiltEntry } from '../bin/prebuilt.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** One task's bundle: its size and what `import()` takes in a fresh process (medians of runs). */
export interface BundleLoad {
  readonly task: TaskId;
  /** What the `import()` loads: the entry file and the chunks it imports statically. */
  readonly bytes: number;
  /** The whole bundle, the chunks loaded only by a dynamic `import()` included (what Lambda unpacks). */
  readonly totalBytes: number;
  /** Wall time of the `import()`. */
  readonly loadMs: number;
  /** CPU time (user + system) of the `import()`: less sensitive to other jobs than the wall time. */
  readonly loadCpuMs: number;
  /** Wall time of a bare `node -e 0`, measured in the same turns (the machine's floor then). */
  readonly nodeMs: number;
}

/** The bytes of a bundle (esbuild's metafile): what its entry loads statically, and all of it. */
function bundleBytes(metafile: Metafile): { bytes: number; totalBytes: number } {
  const outputs = metafile.outputs;
  const loaded = staticallyLoaded(metafile);
  const sum = (files: Iterable<string>) => [...files].reduce((total, file) => total + outputs[file]!.bytes, 0);
  return { bytes: sum(loaded), totalBytes: sum(Object.keys(outputs)) };
}

/** The median of some values. */
function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The median of a few runs of `f`. */
function median(runs: number, f: () => number): number {
  return medianOf(Array.from({ length: runs }, f));
}

/** Wall time of one bare `node -e 0`: the floor under every figure here. */
function nodeOnce(): number {
  const t0 = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0'], { encoding: 'utf8' });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * Bundles every task handler with bin/bundle-task.js, as infra/constructs/task-function.ts does
 * (target node20 here, the local Node.js, where infra targets the Lambda runtime's), and times its
 * `import()` in fresh processes, each turn beside a bare `node -e 0`.
 */
export async function benchBundles(runs = 5): Promise<BundleLoad[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-bundles-'));
  try {
    const out: BundleLoad[] = [];
    for (const task of TASK_IDS) {
      const outfile = join(dir, task, 'index.mjs');
      const { metafile } = await bundleTask({ entry: join(ROOT, 'tasks', task, 'handler.ts'), outfile, target: 'node20', tsconfig: join(ROOT, 'tsconfig.json'), metafile: true });
      const script = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(pathToFileURL(outfile).href)}); const u = process.cpuUsage(c); process.stdout.write(JSON.stringify([performance.now() - t, (u.user + u.system) / 1000]));`;
      const turns = Array.from({ length: runs }, () => {
        const nodeMs = nodeOnce();
        const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`bench: loading the ${task} bundle failed: ${r.stderr.slice(0, 500)}`);
        const [wall, cpu] = JSON.parse(r.stdout) as [number, number];
        return { wall, cpu, nodeMs };
      });
      out.push({
        task,
        ...bundleBytes(metafile!),
        loadMs: medianOf(turns.map((t) => t.wall)),
        loadCpuMs: medianOf(turns.map((t) => t.cpu)),
        nodeMs: medianOf(turns.map((t) => t.nodeMs)),
      });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A wall time beside the machine's floor: medians of runs, each turn `node -e 0` then the measured command. */
export interface WallFigure {
  readonly ms: number;
  /** Wall time of a bare `node -e 0` in the same turns. */
  readonly nodeMs: number;
}

/** Wall time of `lifeboat ARGS` in a fresh process (median of runs), Node.js start-up included, beside the floor. */
function timeCli(args: readonly string[], runs: number, env: NodeJS.ProcessEnv = {}): WallFigure {
  const turns = Array.from({ length: runs }, () => {
    const nodeMs = nodeOnce();
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/lifeboat.js'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
    if (r.status !== 0) throw new Error(`bench: lifeboat ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, nodeMs };
  });
  return { ms: medianOf(turns.map((t) => t.ms)), nodeMs: medianOf(turns.map((t) => t.nodeMs)) };
}

/** Wall time of a bare `node -e 0` (median of runs): the floor under every figure here. */
export function benchNode(runs = 5): number {
  return median(runs, nodeOnce);
}

/** Whether `lifeboat` runs the prebuilt CLI (dist/prebuilt/, fresh) or compiles the sources through tsx. */
export function cliMode(): 'prebuilt' | 'tsx' {
  return prebuiltEntry() === undefined ? 'tsx' : 'prebuilt';
}

/**
 * Wall time of `lifeboat --help` in a fresh process (median of runs), Node.js start-up included:
 * as installed (the prebuilt CLI when it is fresh) and through tsx (`LIFEBOAT_NO_PREBUILT=1`).
 */
export function benchHelp(runs = 5): { installed: WallFigure; tsx: WallFigure } {
  return { installed: timeCli(['--help'], runs), tsx: timeCli(['--help'], runs, { LIFEBOAT_NO_PREBUILT: '1' }) };
}

/** One `lifeboat history` of a large execution on a local sandbox data directory. */
export interface HistoryLoad extends WallFigure {
  readonly events: number;
  readonly dataBytes: number;
}

/**
 * `lifeboat history ARN --local --data DIR` of an execution of about `events` history events (a
 * Pass/Choice loop, four events a turn), recorded by a sandbox into a fresh data directory that
 * the CLI then loads in its own process (median of runs).
 */
export async function benchHistory(events = 25_000, runs = 5): Promise<HistoryLoad> {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-history-'));
  try {
    const { startSandbox } = await import('../sandbox/index.js');
    const sandbox = await startSandbox({ dataDir: dir, port: 0, log: () => {} });
    const call = async (op: string, body: unknown): Promise<Record<string, unknown>> => {
      const res = await sandbox.sfn.handle({ method: 'POST', path: '/', headers: { 'x-amz-target': `AWSStepFunctions.${op}`, 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from(JSON.stringify(body)), region: 'us-east-1' });
      const parsed = JSON.parse(String(res.body)) as Record<string, unknown>;
      if (res.status !== 200) throw new Error(`bench: ${op}: ${res.status} ${JSON.stringify(parsed)}`);
      return parsed;
    };
    // 1 (started) + 4 a turn + 2 (Succeed) + 1 (succeeded) events, under the 25,000 limit.
    const turns = Math.floor((Math.min(events, 25_000) - 4) / 4);
    const definition = JSON.stringify({
      StartAt: 'Count',
      States: {
        Count: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'More?' },
        'More?': { Type: 'Choice', Choices: [{ Variable: '$.i', NumericLessThan: turns, Next: 'Count' }], Default: 'Done' },
        Done: { Type: 'Succeed' },
      },
    });
    const { stateMachineArn } = await call('CreateStateMachine', { name: 'long-history', definition, roleArn: 'arn:aws:iam::123456789012:role/bench' });
    const { executionArn } = await call('StartExecution', { stateMachineArn, input: JSON.stringify({ i: 0 }) });
    await sandbox.sfn.getExecution(executionArn as string)?.whenClosed();
    const described = await call('DescribeExecution', { executionArn });
    if (described.status !== 'SUCCEEDED') throw new Error(`bench: the long-history execution ended ${String(described.status)}`);
    await sandbox.stop();
    const dataBytes = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
    const figure = timeCli(['history', String(executionArn), '--local', '--data', dir], runs);
    return { events: 4 * turns + 4, dataBytes, ...figure };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
