// Where the prebuilt CLI lives and whether it may run (docs/decisions/0014). Plain JavaScript with
// only node: imports, so checking costs a few milliseconds before anything else loads.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The folders the CLI imports from. */
export const SOURCE_DIRS = ['cli', 'schemas', 'workflows', 'tasks', 'sandbox'];
/** Where bin/build-cli.js puts the prebuilt CLI (gitignored with the rest of dist/). */
export const OUT_DIR = join(ROOT, 'dist', 'prebuilt');
/** Written last by the build; its modification time is the moment the build started reading the sources. */
export const STAMP = join(OUT_DIR, '.built');

function isSkipped(name) {
  return name.endsWith('.test.ts') || name.endsWith('.md');
}

/** Every folder and file under the source folders (tests and READMEs left out), plus package.json. */
export function sourceEntries(root = ROOT) {
  const out = [join(root, 'package.json')];
  const walk = (dir) => {
    out.push(dir);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!isSkipped(entry.name)) out.push(path);
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(root, dir));
  return out;
}

/**
 * The URL of the prebuilt `cli/main.js` under `root`, or undefined when there is no complete build
 * or any source (file or folder: an added or removed file changes its folder) was modified at or
 * after the moment the build started, so an edited TypeScript file is never shadowed by stale code.
 */
export function prebuiltEntry(root = ROOT) {
  const outDir = join(root, 'dist', 'prebuilt');
  let built;
  try {
    built = statSync(join(outDir, '.built')).mtimeMs;
  } catch {
    return undefined;
  }
  try {
    for (const path of sourceEntries(root)) {
      if (statSync(path).mtimeMs >= built) return undefined;
    }
  } catch {
    return undefined;
  }
  return pathToFileURL(join(outDir, 'cli', 'main.js')).href;
}
