// Where the prebuilt CLI lives and whether it may run (docs/decisions/0014). Plain JavaScript with
// only Node.js built-ins, so checking costs a few milliseconds before anything else loads.
// The built-ins come from process.getBuiltinModule (Node.js >= 20.16), not `import`: importing
// node:fs builds its ES module facade, which reads every export, and `fs.promises` loads the
// file handles, streams and readline, a few milliseconds of `lifeboat --help` for nothing.
const { readFileSync, readdirSync, statSync } = process.getBuiltinModule('node:fs');
const { dirname, join } = process.getBuiltinModule('node:path');
const { fileURLToPath, pathToFileURL } = process.getBuiltinModule('node:url');

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The folders the CLI imports from. */
export const SOURCE_DIRS = ['cli', 'schemas', 'workflows', 'tasks', 'sandbox'];
/** Where bin/build-cli.js puts the prebuilt CLI (gitignored with the rest of dist/). */
export const OUT_DIR = join(ROOT, 'dist', 'prebuilt');
/** Written last by the build; its modification time is the moment the build started reading the sources. */
export const STAMP = join(OUT_DIR, '.built');
/**
 * Written by the build: the sources (relative to the root) that `cli/main.js` imports statically,
 * itself and package.json included: all that `lifeboat --help` and `--version` run.
 */
export const HELP_SOURCES = join(OUT_DIR, '.help-sources.json');

/** The arguments that run nothing but cli/main.ts's own code: the help, the version, no arguments (also the help). */
const HELP_ARGUMENTS = new Set(['--help', '-h', 'help', '--version', '-v', 'version']);

/** Whether `lifeboat ARGV` only prints the general help or the version (see {@link HELP_SOURCES}). */
export function isHelpOnly(argv) {
  return argv.length === 0 || (argv.length === 1 && HELP_ARGUMENTS.has(argv[0]));
}

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
 * The sources whose freshness `lifeboat --help` needs: those of {@link HELP_SOURCES} and their
 * folders (a removed import target changes its folder), or undefined when the build has no list.
 */
function helpEntries(root, outDir) {
  let listed;
  try {
    listed = JSON.parse(readFileSync(join(outDir, '.help-sources.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(listed) || listed.length === 0) return undefined;
  const paths = new Set();
  for (const source of listed) {
    paths.add(join(root, source));
    if (source.includes('/')) paths.add(join(root, dirname(source)));
  }
  return [...paths];
}

/**
 * The URL of the prebuilt `cli/main.js` under `root`, or undefined when there is no complete build
 * or any source (file or folder: an added or removed file changes its folder) was modified at or
 * after the moment the build started, so an edited TypeScript file is never shadowed by stale code.
 *
 * With `helpOnly` (the arguments only ask for the help or the version, {@link isHelpOnly}) only
 * the sources that path runs are checked ({@link HELP_SOURCES}): a few files instead of every
 * source of the CLI, the sandbox and the tasks, which was most of what `--help` took.
 *
 * @param {string} [root]
 * @param {{ helpOnly?: boolean }} [options]
 */
export function prebuiltEntry(root = ROOT, { helpOnly = false } = {}) {
  const outDir = join(root, 'dist', 'prebuilt');
  let built;
  try {
    built = statSync(join(outDir, '.built')).mtimeMs;
  } catch {
    return undefined;
  }
  try {
    for (const path of (helpOnly ? helpEntries(root, outDir) : undefined) ?? sourceEntries(root)) {
      if (statSync(path).mtimeMs >= built) return undefined;
    }
  } catch {
    return undefined;
  }
  return pathToFileURL(join(outDir, 'cli', 'main.js')).href;
}
