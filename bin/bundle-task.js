#!/usr/bin/env node
// Bundles one task Lambda handler into one minified ESM file with the AWS SDK inside: what infra
// deploys (infra/constructs/task-function.ts runs this script) and what the start-up benchmark
// loads (bench/startup.ts imports bundleTask). docs/decisions/0017-lean-task-bundles.md.
//
//   node bin/bundle-task.js ENTRY OUTFILE [TARGET]     e.g. tasks/image/handler.ts out/index.mjs node24
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Gives bundled CommonJS dependencies the require() an ES module lacks. */
export const REQUIRE_BANNER = "import { createRequire as __lifeboatCreateRequire } from 'node:module'; const require = __lifeboatCreateRequire(import.meta.url);";

/** The schema modules of the AWS SDK v3 clients (`@aws-sdk/<client>/dist-es/…/schemas/schemas_N.js`). */
const SDK_SCHEMAS = /[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/](?:.*[\\/])?schemas[\\/]schemas_\d+\.js$/;

/**
 * Writes the computed keys of an SDK schema module as the plain keys they are.
 *
 * Each client's schemas are one module of `export var X$ = [...]` per shape and operation, with
 * trait objects such as `{ [_xN]: _bC }` where `const _xN = "xmlName"`. A computed key might
 * run code (a `toString`) as far as esbuild can tell, so it keeps every statement that has one:
 * the whole module, ~550 KB of EC2's, for a task that sends four EC2 commands. With the keys
 * written out (`{ "xmlName": _bC }`, the same object) the unused shapes are dropped like any
 * unused code. Only keys naming a string constant of the same module are rewritten.
 *
 * @param {string} source the module's text
 * @returns {{ contents: string, rewritten: number }}
 */
export function literalSchemaKeys(source) {
  const constants = new Map();
  for (const match of source.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)) constants.set(match[1], match[2]);
  let rewritten = 0;
  const contents = source.replace(/([{,]\s*)\[(_\w+)\]:/g, (whole, before, name) => {
    const value = constants.get(name);
    if (value === undefined) return whole;
    rewritten += 1;
    return `${before}${value}:`;
  });
  return { contents, rewritten };
}

/** The esbuild plugin that applies {@link literalSchemaKeys} to the SDK's schema modules. */
export const sdkSchemaKeysPlugin = {
  name: 'lifeboat-sdk-schema-keys',
  setup(build) {
    build.onLoad({ filter: SDK_SCHEMAS }, (args) => ({ contents: literalSchemaKeys(readFileSync(args.path, 'utf8')).contents, loader: 'js' }));
  },
};

/**
 * Bundles `entry` into `outfile`: ESM for Node.js, minified, the AWS SDK bundled (the pinned
 * client versions the tasks were tested with, not the runtime's), the SDK's unused shapes dropped.
 *
 * @param {{ entry: string, outfile: string, target?: string, tsconfig?: string, metafile?: boolean }} options
 * @returns {Promise<import('esbuild').BuildResult>}
 */
export async function bundleTask({ entry, outfile, target = 'node24', tsconfig, metafile = false }) {
  const { build } = await import('esbuild');
  return build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target,
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: false,
    metafile,
    ...(tsconfig === undefined ? {} : { tsconfig }),
    banner: { js: REQUIRE_BANNER },
    plugins: [sdkSchemaKeysPlugin],
    logLevel: 'warning',
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [entry, outfile, target] = process.argv.slice(2);
  if (entry === undefined || outfile === undefined) {
    process.stderr.write('bundle-task › arguments: expected ENTRY OUTFILE [TARGET], found too few (e.g. tasks/image/handler.ts out/index.mjs node24)\n');
    process.exit(2);
  }
  try {
    await bundleTask({ entry, outfile, ...(target === undefined ? {} : { target }) });
  } catch (error) {
    process.stderr.write(`bundle-task › ${entry}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
