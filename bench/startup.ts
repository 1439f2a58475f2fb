/**
 * Start-up benchmark (issue 8, "Fast to start"): each task Lambda bundled as infra bundles it
 * (esbuild, one minified ESM file with the AWS SDK inside) and loaded with `import()` in a fresh
 * Node.js process; and `lifeboat --help` in a fresh process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { TASK_IDS, type TaskId } from '../schemas/tasks/index.js';

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

/** Wall time of `lifeboat --help` in a fresh process (median of runs), Node.js start-up included. */
export function benchHelp(runs = 3): number {
  return median(runs, () => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/lifeboat.js'), '--help'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    if (r.status !== 0) throw new Error(`bench: lifeboat --help exited ${r.status}: ${r.stderr.slice(0, 500)}`);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  });
}
