/**
 * The prebuilt CLI (docs/decisions/0014): bin/lifeboat.js runs dist/prebuilt/ only while no source
 * is newer than the build, and the build answers as the TypeScript sources run through tsx do.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCli } from '../../bin/build-cli.js';
import { ROOT, SOURCE_DIRS, prebuiltEntry } from '../../bin/prebuilt.js';

describe('cli: prebuiltEntry (is the build fresh?)', () => {
  let root: string;
  const past = new Date(Date.now() - 60_000);
  const built = new Date(Date.now() - 30_000);

  /** A package tree whose sources were all written a minute ago and a build stamped 30 s ago. */
  function tree(): string {
    const dir = mkdtempSync(join(tmpdir(), 'lifeboat-prebuilt-'));
    writeFileSync(join(dir, 'package.json'), '{}');
    for (const source of SOURCE_DIRS) {
      mkdirSync(join(dir, source, 'sub'), { recursive: true });
      writeFileSync(join(dir, source, 'sub', 'a.ts'), '');
      writeFileSync(join(dir, source, 'a.test.ts'), '');
    }
    mkdirSync(join(dir, 'dist', 'prebuilt', 'cli'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'prebuilt', '.built'), '');
    const all = [join(dir, 'package.json'), ...SOURCE_DIRS.flatMap((s) => [join(dir, s), join(dir, s, 'sub'), join(dir, s, 'sub', 'a.ts'), join(dir, s, 'a.test.ts')])];
    for (const path of all) utimesSync(path, past, past);
    utimesSync(join(dir, 'dist', 'prebuilt', '.built'), built, built);
    return dir;
  }

  beforeAll(() => {
    root = tree();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('a build newer than every source is used', () => {
    expect(prebuiltEntry(root)).toBe(`file://${join(root, 'dist', 'prebuilt', 'cli', 'main.js')}`);
  });

  test('an edited source makes the build stale, in any source folder', () => {
    for (const source of SOURCE_DIRS) {
      const dir = tree();
      try {
        utimesSync(join(dir, source, 'sub', 'a.ts'), new Date(), new Date());
        expect(prebuiltEntry(dir), source).toBeUndefined();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  test('an added or removed file (its folder changes) and an edited package.json make it stale', () => {
    const added = tree();
    const edited = tree();
    try {
      writeFileSync(join(added, 'cli', 'sub', 'new.ts'), '');
      expect(prebuiltEntry(added)).toBeUndefined();
      utimesSync(join(edited, 'package.json'), new Date(), new Date());
      expect(prebuiltEntry(edited)).toBeUndefined();
    } finally {
      rmSync(added, { recursive: true, force: true });
      rmSync(edited, { recursive: true, force: true });
    }
  });

  test('an edited test file does not, and a missing stamp (no build, or an interrupted one) means no build', () => {
    const dir = tree();
    try {
      utimesSync(join(dir, 'cli', 'a.test.ts'), new Date(), new Date());
      expect(prebuiltEntry(dir)).toBeDefined();
      rmSync(join(dir, 'dist', 'prebuilt', '.built'));
      expect(prebuiltEntry(dir)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cli: the prebuilt CLI answers as the sources do', () => {
  // Inside the package (not the temporary folder) so the build finds node_modules as dist/prebuilt/ does.
  const outDir = join(ROOT, 'dist', `prebuilt-test-${process.pid}`);
  const env = { ...process.env, NO_COLOR: '1' };

  beforeAll(async () => {
    await buildCli(outDir);
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  function prebuilt(argv: string[]) {
    const script = `const { main } = await import(${JSON.stringify(`file://${join(outDir, 'cli', 'main.js')}`)}); process.exitCode = await main(${JSON.stringify(argv)});`;
    return spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', env });
  }
  function sources(argv: string[]) {
    return spawnSync(process.execPath, ['bin/lifeboat.js', ...argv], { cwd: ROOT, encoding: 'utf8', env: { ...env, LIFEBOAT_NO_PREBUILT: '1' } });
  }

  test.each([[['--help']], [['--version']], [['history', '--help']], [['plan', 'check', 'examples/broken.plan.json']], [['nope']]])('lifeboat %j', (argv) => {
    const a = prebuilt(argv);
    const b = sources(argv);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stderr).toBe(b.stderr);
    expect(a.status).toBe(b.status);
    expect(a.stdout + a.stderr).not.toBe('');
  });

  test('the files read relative to the code are in the build: package.json and the console assets', () => {
    expect(prebuilt(['--version']).stdout).toMatch(/^lifeboat \d+\.\d+\.\d+/);
    for (const asset of ['console.html', 'console.js', 'console.css']) expect(existsSync(join(outDir, 'sandbox', 'console', 'assets', asset)), asset).toBe(true);
  });
});
