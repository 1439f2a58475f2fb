/**
 * The prebuilt CLI (docs/decisions/0014): bin/lifeboat.js runs dist/prebuilt/ only while no source
 * is newer than the build, and the build answers as the TypeScript sources run through tsx do.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCli, staticSources } from '../../bin/build-cli.js';
import { ROOT, SOURCE_DIRS, isHelpOnly, prebuiltEntry } from '../../bin/prebuilt.js';

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
    writeFileSync(join(dir, 'dist', 'prebuilt', '.help-sources.json'), JSON.stringify(['cli/sub/a.ts', 'package.json']));
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

describe('cli: prebuiltEntry for the help (only the sources it runs)', () => {
  const past = new Date(Date.now() - 60_000);
  const built = new Date(Date.now() - 30_000);

  /** A tree whose build lists cli/sub/a.ts and package.json as what the help runs. */
  function tree(): string {
    const dir = mkdtempSync(join(tmpdir(), 'lifeboat-prebuilt-help-'));
    writeFileSync(join(dir, 'package.json'), '{}');
    for (const source of SOURCE_DIRS) {
      mkdirSync(join(dir, source, 'sub'), { recursive: true });
      writeFileSync(join(dir, source, 'sub', 'a.ts'), '');
    }
    mkdirSync(join(dir, 'dist', 'prebuilt', 'cli'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'prebuilt', '.help-sources.json'), JSON.stringify(['cli/sub/a.ts', 'package.json']));
    writeFileSync(join(dir, 'dist', 'prebuilt', '.built'), '');
    for (const path of [join(dir, 'package.json'), ...SOURCE_DIRS.flatMap((s) => [join(dir, s), join(dir, s, 'sub'), join(dir, s, 'sub', 'a.ts')])]) utimesSync(path, past, past);
    utimesSync(join(dir, 'dist', 'prebuilt', '.built'), built, built);
    return dir;
  }

  test('a source the help does not run leaves the build usable for the help only', () => {
    const dir = tree();
    try {
      utimesSync(join(dir, 'sandbox', 'sub', 'a.ts'), new Date(), new Date());
      expect(prebuiltEntry(dir)).toBeUndefined();
      expect(prebuiltEntry(dir, { helpOnly: true })).toBe(`file://${join(dir, 'dist', 'prebuilt', 'cli', 'main.js')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an edited help source, a file added beside one, or no list makes it stale for the help too', () => {
    const edited = tree();
    const added = tree();
    const unlisted = tree();
    try {
      utimesSync(join(edited, 'cli', 'sub', 'a.ts'), new Date(), new Date());
      expect(prebuiltEntry(edited, { helpOnly: true })).toBeUndefined();
      writeFileSync(join(added, 'cli', 'sub', 'b.ts'), '');
      expect(prebuiltEntry(added, { helpOnly: true })).toBeUndefined();
      // Without the list, every source is checked, as for any command
      rmSync(join(unlisted, 'dist', 'prebuilt', '.help-sources.json'));
      utimesSync(join(unlisted, 'tasks', 'sub', 'a.ts'), new Date(), new Date());
      expect(prebuiltEntry(unlisted, { helpOnly: true })).toBeUndefined();
    } finally {
      for (const dir of [edited, added, unlisted]) rmSync(dir, { recursive: true, force: true });
    }
  });

  test('only the general help and the version count as the help', () => {
    for (const argv of [[], ['--help'], ['-h'], ['help'], ['--version'], ['-v'], ['version']]) expect(isHelpOnly(argv), JSON.stringify(argv)).toBe(true);
    for (const argv of [['history', '--help'], ['help', 'history'], ['list'], ['--version', 'x']]) expect(isHelpOnly(argv), JSON.stringify(argv)).toBe(false);
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

  test("the build lists main.ts's static imports as the help's sources, and no command's module", () => {
    const sources = staticSources(outDir, 'cli/main.js');
    expect(sources).toEqual(expect.arrayContaining(['cli/main.ts', 'cli/args.ts', 'cli/errors.ts', 'cli/io.ts']));
    expect(sources.filter((s) => s.startsWith('cli/commands/') || s.startsWith('sandbox/'))).toEqual([]);
    for (const source of sources) expect(existsSync(join(ROOT, source)), source).toBe(true);
  });

  test('the files read relative to the code are in the build: package.json and the console assets', () => {
    expect(prebuilt(['--version']).stdout).toMatch(/^lifeboat \d+\.\d+\.\d+/);
    for (const asset of ['console.html', 'console.js', 'console.css']) expect(existsSync(join(outDir, 'sandbox', 'console', 'assets', asset)), asset).toBe(true);
  });
});
