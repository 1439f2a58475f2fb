#!/usr/bin/env node
// Prebuilds the `lifeboat` CLI as JavaScript so it starts without compiling TypeScript at run time
// (docs/decisions/0014). Run by `npm install`/`npm ci` (the `prepare` script) and `npm run build:cli`.
//
// Every .ts file (tests excepted) of the folders the CLI loads is transpiled one to one, same tree,
// into dist/prebuilt/ (no bundling: the dynamic imports of cli/main.ts and cli/local/endpoint.ts
// and the files read relative to import.meta.url keep their relative paths), the other files of
// those folders (the console's assets) are copied, and package.json is copied to the root of the
// tree (its version is read from there; its "type": "module" makes the .js files ES modules).
// bin/lifeboat.js runs the result only while no source is newer than the build (bin/prebuilt.js, prebuiltEntry).
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HELP_SOURCES, OUT_DIR, ROOT, STAMP, prebuiltEntry, sourceEntries } from './prebuilt.js';

/** Builds the CLI into `outDir` (default dist/prebuilt/, inside the package so node_modules resolves); returns the number of files transpiled. */
export async function buildCli(outDir = OUT_DIR) {
  const started = new Date();
  const entries = sourceEntries();
  const { build } = await import('esbuild');
  rmSync(outDir, { recursive: true, force: true });
  const tsFiles = entries.filter((p) => p.endsWith('.ts'));
  await build({
    entryPoints: tsFiles,
    outbase: ROOT,
    outdir: outDir,
    bundle: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'warning',
  });
  for (const path of entries) {
    if (path.endsWith('.ts') || statSync(path).isDirectory()) continue;
    const target = join(outDir, relative(ROOT, path));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(path, target);
  }
  writeFileSync(join(outDir, basename(HELP_SOURCES)), `${JSON.stringify([...staticSources(outDir, 'cli/main.js'), 'package.json'])}\n`);
  const stamp = join(outDir, basename(STAMP));
  writeFileSync(stamp, `built by bin/build-cli.js from ${tsFiles.length} files\n`);
  utimesSync(stamp, started, started);
  return tsFiles.length;
}

/**
 * The sources (relative to the root, `.ts`) of `entry` and of every module it imports statically,
 * read from the built JavaScript (`import … from "./x.js"` and `export … from`): what runs when
 * nothing is imported dynamically, as for `lifeboat --help` (bin/prebuilt.js, HELP_SOURCES).
 */
export function staticSources(outDir, entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(outDir, file), 'utf8');
    for (const match of text.matchAll(/^(?:import|export)\b[^;'"]*?(?:from\s*)?["'](\.{1,2}\/[^"']+)["'];?$/gm)) {
      visit(relative(outDir, join(outDir, dirname(file), match[1])).split('\\').join('/'));
    }
  };
  visit(entry);
  return [...seen].map((file) => file.replace(/\.js$/, '.ts'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    // A fresh build is kept, not rebuilt: \`npm pack\` runs \`prepare\` again, possibly while a test or
    // an operator is running the CLI from dist/prebuilt/. A stale build is never run, so replacing it is safe.
    if (!process.argv.includes('--force') && prebuiltEntry() !== undefined) {
      process.stderr.write(`lifeboat: the prebuilt CLI in ${relative(process.cwd(), OUT_DIR) || '.'} is up to date (--force rebuilds it)\n`);
      process.exit(0);
    }
    const count = await buildCli();
    process.stderr.write(`lifeboat: prebuilt the CLI (${count} files) into ${relative(process.cwd(), OUT_DIR) || '.'}\n`);
  } catch (error) {
    // Never fail an install over this: without the build, bin/lifeboat.js runs the TypeScript through tsx.
    rmSync(OUT_DIR, { recursive: true, force: true });
    process.stderr.write(`lifeboat: the CLI was not prebuilt (${error instanceof Error ? error.message : String(error)}); it will run through tsx\n`);
  }
}
