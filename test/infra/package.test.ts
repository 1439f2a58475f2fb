import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from './support.js';

/*
 * The package as another CDK app sees it: `npm pack` (which builds dist/ through `prepack`), the
 * tarball unpacked into a separate app's node_modules, and that app synthesized with plain `node`
 * (no tsx, no access to this repository's sources). The packed package's dependencies come from
 * this repository's node_modules, linked one by one, as `npm install <tarball>` would lay them out
 * from the same lock file; nothing is downloaded.
 */

interface PackResult {
  readonly filename: string;
  readonly files: readonly { path: string }[];
}

/** The environment of a machine with no AWS credentials and no Docker. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && !k.startsWith('CDK_') && !k.startsWith('npm_')) env[k] = v;
  return { ...env, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', CDK_DOCKER: '/nonexistent/docker' };
}

describe('infra: the Lifeboat construct from the packed package, in a separate CDK app', () => {
  const work = mkdtempSync(join(tmpdir(), 'lifeboat-pack-'));
  const app = join(work, 'consumer');
  let packed: PackResult;

  beforeAll(() => {
    const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: PROJECT_ROOT, encoding: 'utf8', env: offlineEnv(), timeout: 400_000 });
    if (pack.status !== 0) throw new Error(`npm pack exited ${pack.status}: ${pack.stderr}`);
    // prepack's tsc prints nothing on success; npm prints the JSON report after the script's output.
    packed = (JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as PackResult[])[0]!;

    const modules = join(app, 'node_modules');
    mkdirSync(modules, { recursive: true });
    const untar = spawnSync('tar', ['-xzf', join(work, packed.filename), '-C', modules], { encoding: 'utf8' });
    if (untar.status !== 0) throw new Error(`tar exited ${untar.status}: ${untar.stderr}`);
    renameSync(join(modules, 'package'), join(modules, 'lifeboat'));
    for (const entry of readdirSync(join(PROJECT_ROOT, 'node_modules'))) {
      // .bin too: CDK runs the project's esbuild through `npx --no-install`, which looks there.
      if (entry === 'lifeboat' || entry === '.package-lock.json') continue;
      symlinkSync(join(PROJECT_ROOT, 'node_modules', entry), join(modules, entry));
    }
    cpSync(join(PROJECT_ROOT, 'examples', 'small.plan.json'), join(app, 'plan.json'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  }, 600_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('the tarball holds the built entry point with its types and the handler sources, and none of the tests, benchmarks or local state', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['dist/infra/index.js', 'dist/infra/index.d.ts', 'dist/infra/lifeboat.d.ts', 'tasks/copy/handler.ts', 'tsconfig.json', 'package.json', 'bin/lifeboat.js']));
    expect(paths.filter((p) => /^(test|bench|node_modules|cdk\.out|\.lifeboat)\//.test(p))).toEqual([]);
  });

  test('plain node synthesizes both stacks of a plan under their own names and regions, with every task bundled from the package', () => {
    writeFileSync(
      join(app, 'app.mjs'),
      [
        "import { App } from 'aws-cdk-lib';",
        "import { Lifeboat } from 'lifeboat';",
        "const app = new App({ outdir: 'cdk.out' });",
        "const dr = new Lifeboat(app, 'Dr', { plan: './plan.json', account: '111122223333' });",
        "console.log(JSON.stringify({ plan: dr.plan.name, backup: dr.backupStack.stackName, recovery: dr.recoveryStack.stackName }));",
        'app.synth();',
      ].join('\n'),
    );
    const run = spawnSync('node', ['app.mjs'], { cwd: app, encoding: 'utf8', env: offlineEnv(), timeout: 400_000 });
    expect(run.stderr.split('\n').filter((l) => /error/i.test(l))).toEqual([]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toEqual({ plan: 'wiki', backup: 'lifeboat-wiki-backup', recovery: 'lifeboat-wiki-recovery' });

    const out = join(app, 'cdk.out');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      artifacts: Record<string, { type: string; environment?: string; properties?: { templateFile: string; stackName?: string } }>;
    };
    const stacks = Object.values(manifest.artifacts).filter((a) => a.type === 'aws:cloudformation:stack');
    expect(stacks.map((s) => [s.properties!.stackName, s.environment]).sort()).toEqual([
      ['lifeboat-wiki-backup', 'aws://111122223333/us-east-1'],
      ['lifeboat-wiki-recovery', 'aws://111122223333/us-west-2'],
    ]);
    for (const stack of stacks) {
      const template = JSON.parse(readFileSync(join(out, stack.properties!.templateFile), 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
      const resources = Object.values(template.Resources);
      expect(resources.filter((r) => r.Type === 'AWS::StepFunctions::StateMachine').length).toBeGreaterThan(0);
      const functions = resources.filter((r) => r.Type === 'AWS::Lambda::Function' && (r.Properties.Runtime as string | undefined)?.startsWith('nodejs'));
      expect(functions.length).toBeGreaterThan(0);
      // Every task's code is an asset bundled by esbuild from the package's own tasks/ sources.
      for (const fn of functions) {
        const key = (fn.Properties.Code as { S3Key: string }).S3Key;
        const asset = join(out, `asset.${key.replace(/\.zip$/, '')}`);
        expect(existsSync(join(asset, 'index.mjs')), `${asset}/index.mjs`).toBe(true);
      }
    }
  }, 600_000);

  test('the construct refuses a scope inside a stack, and a bad plan, naming what was expected and found', () => {
    writeFileSync(
      join(app, 'misuse.mjs'),
      [
        "import { App, Stack } from 'aws-cdk-lib';",
        "import { Lifeboat } from 'lifeboat';",
        'const app = new App();',
        'const errors = [];',
        "try { new Lifeboat(new Stack(app, 'Host'), 'Dr', { plan: './plan.json' }); } catch (e) { errors.push(e.message); }",
        "try { new Lifeboat(app, 'Bad', { plan: { name: 'x' } }); } catch (e) { errors.push(e.message); }",
        'console.log(JSON.stringify(errors));',
      ].join('\n'),
    );
    const run = spawnSync('node', ['misuse.mjs'], { cwd: app, encoding: 'utf8', env: offlineEnv(), timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const [inStack, badPlan] = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as string[];
    expect(inStack).toBe('Lifeboat "Dr": expected a scope outside any stack (an App or a Stage), found the stack "Host"; create the construct with the app as its scope');
    expect(badPlan).toContain('Lifeboat "Bad" › plan');
    expect(badPlan).toMatch(/primaryRegion/);
  });

  test('a TypeScript app type-checks against the packed types, and a wrong prop is a type error', () => {
    writeFileSync(
      join(app, 'app.ts'),
      [
        "import { App } from 'aws-cdk-lib';",
        "import { Lifeboat, type LifeboatProps } from 'lifeboat';",
        "const props: LifeboatProps = { plan: './plan.json', account: '111122223333' };",
        "const dr = new Lifeboat(new App(), 'Dr', props);",
        'const name: string = dr.plan.name;',
        "export const stacks: string[] = [name, dr.backupStack.stackName, dr.recoveryStack.region];",
      ].join('\n'),
    );
    writeFileSync(join(app, 'wrong.ts'), ["import { App } from 'aws-cdk-lib';", "import { Lifeboat } from 'lifeboat';", "new Lifeboat(new App(), 'Dr', { plan: './plan.json', acount: '1' });"].join('\n'));
    const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const flags = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--types', 'node'];
    const good = spawnSync('node', [tsc, ...flags, 'app.ts'], { cwd: app, encoding: 'utf8', timeout: 300_000 });
    expect(good.stdout + good.stderr).toBe('');
    expect(good.status).toBe(0);
    const wrong = spawnSync('node', [tsc, ...flags, 'wrong.ts'], { cwd: app, encoding: 'utf8', timeout: 300_000 });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout).toMatch(/wrong\.ts\(3,\d+\): error TS2561: .*'acount'.*'account'/);
  }, 300_000);
});
