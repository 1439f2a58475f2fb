/**
 * Start-up benchmark (issue 8, "Fast to start"): each task Lambda bundled as infra bundles it
 * (esbuild, one minified ESM file with the AWS SDK inside) and loaded with `import()` in a fresh
 * Node.js process; and `lifeboat --help` in a fresh process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { TASK_IDS, type TaskId } from '../schemas/tasks/index.js';
import { prebuiltEntry } from '../bin/prebuilt.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** One task's bundle: its size and the time `import()` takes in a fresh process (median of runs). */
export interface BundleLoad {
  readonly task: TaskId;
  readonly bytes: number;
  readonly loadMs: number;
}

/** The median of a few runs of `f`. */
function median(runs: number, f: () => number): number {
  const values = Array.from({ length: runs }, f).sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)]!;
}

/** Bundles every task handler as infra/constructs/task-function.ts does and times its load. */
export async function benchBundles(runs = 3): Promise<BundleLoad[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-bundles-'));
  try {
    const out: BundleLoad[] = [];
    for (const task of TASK_IDS) {
      const outfile = join(dir, `${task}.mjs`);
      await build({
        entryPoints: [join(ROOT, 'tasks', task, 'handler.ts')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        minify: true,
        mainFields: ['module', 'main'],
        outfile,
        logLevel: 'silent',
        banner: { js: "import { createRequire as __lifeboatCreateRequire } from 'node:module'; const require = __lifeboatCreateRequire(import.meta.url);" },
      });
      const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(outfile).href)}); process.stdout.write(String(performance.now() - t));`;
      const loadMs = median(runs, () => {
        const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`bench: loading the ${task} bundle failed: ${r.stderr.slice(0, 500)}`);
        return Number(r.stdout);
      });
      out.push({ task, bytes: statSync(outfile).size, loadMs });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Wall time of `lifeboat ARGS` in a fresh process (median of runs), Node.js start-up included. */
function timeCli(args: readonly string[], runs: number, env: NodeJS.ProcessEnv = {}): number {
  return median(runs, () => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/lifeboat.js'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
    if (r.status !== 0) throw new Error(`bench: lifeboat ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  });
}

/** Wall time of a bare `node -e ''` (median of runs): the floor under every figure here. */
export function benchNode(runs = 5): number {
  return median(runs, () => {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', ''], { encoding: 'utf8' });
    return Number(process.hrtime.bigint() - t0) / 1e6;
  });
}

/** Whether `lifeboat` runs the prebuilt CLI (dist/prebuilt/, fresh) or compiles the sources through tsx. */
export function cliMode(): 'prebuilt' | 'tsx' {
  return prebuiltEntry() === undefined ? 'tsx' : 'prebuilt';
}

/**
 * Wall time of `lifeboat --help` in a fresh process (median of runs), Node.js start-up included:
 * as installed (the prebuilt CLI when it is fresh) and through tsx (`LIFEBOAT_NO_PREBUILT=1`).
 */
export function benchHelp(runs = 5): { installed: number; tsx: number } {
  return { installed: timeCli(['--help'], runs), tsx: timeCli(['--help'], runs, { LIFEBOAT_NO_PREBUILT: '1' }) };
}

/** One `lifeboat history` of a large execution on a local sandbox data directory. */
export interface HistoryLoad {
  readonly events: number;
  readonly dataBytes: number;
  readonly ms: number;
}

/**
 * `lifeboat history ARN --local --data DIR` of an execution of about `events` history events (a
 * Pass/Choice loop, four events a turn), recorded by a sandbox into a fresh data directory that
 * the CLI then loads in its own process (median of runs).
 */
export async function benchHistory(events = 25_000, runs = 3): Promise<HistoryLoad> {
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
    const ms = timeCli(['history', String(executionArn), '--local', '--data', dir], runs);
    return { events: 4 * turns + 4, dataBytes, ms };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
