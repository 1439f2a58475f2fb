#!/usr/bin/env node
// Bundles one task Lambda handler into one minified ESM entry file with the AWS SDK inside, and
// beside it (`chunks/`) the code reached only by a dynamic import(): what infra deploys
// (infra/constructs/task-function.ts runs this script) and what the start-up benchmark loads
// (bench/startup.ts imports bundleTask). docs/decisions/0017-lean-task-bundles.md.
//
//   node bin/bundle-task.js ENTRY OUTFILE [TARGET]     e.g. tasks/image/handler.ts out/index.mjs node24
//                                                      (writes out/index.mjs and out/chunks/*.mjs)
import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { basename, dirname, extname, resolve } from 'node:path';
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
 * Marks each top-level `const`/`let` initializer of a module as free of side effects, so that a
 * bundle keeps only the declarations it reaches: `const X = init` becomes
 * `const X = /* @__PURE__ *\/ (() => (init))()`, the same value computed at the same moment when X
 * is used, and no computation at all when nothing reaches X.
 *
 * Applied to the project's `schemas/` modules (plain zod constructions: `schemas/` imports only
 * zod and registers nothing). Without it every task built every schema of the plan at load time,
 * because esbuild must keep any call it cannot prove pure: a task's own input and output were a
 * few dozen schemas, the plan's hundreds more. Initializers that are already pure (literals,
 * functions) and those holding an `await` are left as they are.
 *
 * @param {string} source the module's text (TypeScript or JavaScript)
 * @param {string} fileName its path, for the parser
 * @returns {{ contents: string, wrapped: number }}
 */
export function pureDeclarations(source, fileName) {
  const ts = typescriptParser();
  if (ts === undefined) return { contents: source, wrapped: 0 };
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, fileName.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const edits = [];
  const alreadyPure = (node) =>
    ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isStringLiteral(node) || ts.isNumericLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword;
  const awaits = (node) => ts.isAwaitExpression(node) || (!ts.isFunctionLike(node) && ts.forEachChild(node, awaits) === true);
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer;
      if (init === undefined || alreadyPure(init) || awaits(init)) continue;
      edits.push([init.getStart(file), init.end]);
    }
  }
  let contents = source;
  for (const [start, end] of edits.reverse()) {
    contents = `${contents.slice(0, start)}/* @__PURE__ */ (() => (${contents.slice(start, end)}))()${contents.slice(end)}`;
  }
  return { contents, wrapped: edits.length };
}

let typescript;

/**
 * The TypeScript compiler, used only as a parser: a devDependency here, and present in nearly every
 * CDK app that installs this package; undefined where it cannot be resolved.
 */
function typescriptParser() {
  if (typescript === undefined) {
    try {
      typescript = createRequire(import.meta.url)('typescript');
    } catch {
      typescript = null;
    }
  }
  return typescript ?? undefined;
}

/** The project's schema modules: `schemas/**\/*.ts` beside this script's `bin/`. */
const PROJECT_SCHEMAS = new RegExp(`^${fileURLToPath(new URL('../schemas/', import.meta.url)).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}.*\\.ts$`);

/** The esbuild plugin that applies {@link pureDeclarations} to the project's schema modules. */
export const pureSchemasPlugin = {
  name: 'lifeboat-pure-schemas',
  setup(build) {
    let isWarned = false;
    build.onLoad({ filter: PROJECT_SCHEMAS }, (args) => {
      const contents = readFileSync(args.path, 'utf8');
      if (typescriptParser() !== undefined) return { contents: pureDeclarations(contents, args.path).contents, loader: 'ts' };
      // Without a parser the bundle is built as before, every schema kept: correct, only slower to load.
      const warnings = isWarned ? [] : [{ text: "typescript is not installed: each task bundle keeps every schema of the plan (install typescript where the stacks are synthesized for leaner bundles; docs/decisions/0017)" }];
      isWarned = true;
      return { contents, loader: 'ts', warnings };
    });
  },
};

/**
 * The esbuild plugin that loads Node.js's built-in modules with `require()` (the banner's) rather
 * than `import`. Importing a built-in builds its ES module facade, which reads every export once:
 * `node:fs`'s `ReadStream` loads the file streams, `node:process`'s `stdin` opens standard input
 * and `allowedNodeEnvironmentFlags` parses every option of Node.js, `node:crypto`'s `webcrypto`
 * loads Web Crypto; the SDK imports all of these, so each task paid for them at load time. With
 * `require()` each built-in is the same object, and a property is read only where it is used.
 */
export const builtinRequirePlugin = {
  name: 'lifeboat-builtin-require',
  setup(build) {
    const builtins = new Set(builtinModules);
    build.onResolve({ filter: /^(node:)?[a-z_0-9/]+$/ }, (args) => {
      const id = args.path.replace(/^node:/, '');
      if (!builtins.has(id)) return undefined;
      if (args.namespace === 'lifeboat-builtin') return { path: `node:${id}`, external: true };
      return { path: `node:${id}`, namespace: 'lifeboat-builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lifeboat-builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/** The credential chain a bundled task gets instead of the SDK's default one (bin/lambda-credentials.js). */
export const LAMBDA_CREDENTIALS = fileURLToPath(new URL('./lambda-credentials.js', import.meta.url));

/**
 * The esbuild plugin that gives the SDK clients the Lambda-only credential chain of
 * bin/lambda-credentials.js (the environment's credentials, or a container endpoint's) in place
 * of `@aws-sdk/credential-provider-node`, whose SSO, shared-file, process, web-identity, login and
 * instance-metadata providers cannot apply in Lambda and carry four nested SDK clients. The
 * replacement's own imports resolve from the replaced package's directory, so they are the
 * providers the default chain would have used.
 */
export const lambdaCredentialsPlugin = {
  name: 'lifeboat-lambda-credentials',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, async (args) => {
      if (args.pluginData?.lambdaCredentials) return undefined;
      const real = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { lambdaCredentials: true } });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: LAMBDA_CREDENTIALS, pluginData: { resolveDir: dirname(real.path) } };
    });
    build.onLoad({ filter: /[\\/]bin[\\/]lambda-credentials\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8'),
      loader: 'js',
      resolveDir: args.pluginData?.resolveDir ?? dirname(args.path),
    }));
  },
};

/** Where a bundle's chunks go, beside its entry file: code only some invocations reach (docs/decisions/0017, "Chunks"). */
export const CHUNK_DIR = 'chunks';

/**
 * Bundles `entry` into `outfile`: ESM for Node.js, minified, the AWS SDK bundled (the pinned
 * client versions the tasks were tested with, not the runtime's), the SDK's unused shapes dropped,
 * and the credential chain cut to what Lambda provides.
 *
 * What the code reaches only through a dynamic `import()` (a distributed run's S3 lists, the SDK's
 * event streams) goes into chunk files under `chunks/` beside `outfile`, loaded when first
 * reached; code both sides share goes into chunks the entry imports. The bundle is the directory:
 * `outfile` and `chunks/`.
 *
 * @param {{ entry: string, outfile: string, target?: string, tsconfig?: string, metafile?: boolean }} options
 * @returns {Promise<import('esbuild').BuildResult>}
 */
export async function bundleTask({ entry, outfile, target = 'node24', tsconfig, metafile = false }) {
  const { build } = await import('esbuild');
  const extension = extname(outfile);
  return build({
    entryPoints: { [basename(outfile, extension)]: entry },
    outdir: dirname(outfile),
    ...(extension === '.js' ? {} : { outExtension: { '.js': extension } }),
    splitting: true,
    chunkNames: `${CHUNK_DIR}/[name]-[hash]`,
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
    plugins: [sdkSchemaKeysPlugin, lambdaCredentialsPlugin, pureSchemasPlugin, builtinRequirePlugin],
    logLevel: 'warning',
  });
}

/**
 * The output files a bundle's entry loads when it is imported: the entry and the chunks it imports
 * statically (not those reached only by a dynamic `import()`), from esbuild's metafile.
 *
 * @param {import('esbuild').Metafile} metafile
 * @returns {Set<string>}
 */
export function staticallyLoaded(metafile) {
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((file) => outputs[file].entryPoint !== undefined);
  const loaded = new Set();
  const next = entry === undefined ? [] : [entry];
  for (let file = next.pop(); file !== undefined; file = next.pop()) {
    if (loaded.has(file)) continue;
    loaded.add(file);
    for (const imported of outputs[file].imports) if (imported.kind === 'import-statement' && imported.external !== true) next.push(imported.path);
  }
  return loaded;
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
