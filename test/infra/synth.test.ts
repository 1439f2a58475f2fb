import { BACKUP_TASKS, RECOVERY_TASKS, TRAFFIC_TASKS } from '../../infra/names.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type PlanError, parsePlan } from '../../schemas/plan.js';
import { examplePlanFiles, PROJECT_ROOT, synthesizePlan } from './support.js';

/** The environment of a machine with no AWS credentials and no Docker. */
function offlineEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && !k.startsWith('CDK_')) env[k] = v;
  return {
    ...env,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    CDK_DOCKER: '/nonexistent/docker', // any Docker use would fail
    ...extra,
  };
}

/** Runs the app the way the CDK CLI does (`app` of cdk.json with CDK_OUTDIR and CDK_CONTEXT_JSON). */
function runApp(planFile: string, outdir: string) {
  return spawnSync('npx', ['tsx', 'infra/app.ts'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: offlineEnv({ CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ 'lifeboat:plan': planFile }) }),
    timeout: 400_000,
  });
}

const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0 ? 'cfn-lint' : undefined;

describe('infra: synth of the CDK app, offline', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'lifeboat-synth-'));
  const plainOutdir = mkdtempSync(join(tmpdir(), 'lifeboat-synth-plain-'));
  const [firstPlan, ...otherPlans] = examplePlanFiles().sort((a, b) => b.localeCompare(a)); // three-tier first
  let run: ReturnType<typeof runApp>;

  beforeAll(() => {
    run = runApp(firstPlan, outdir); // bundles every function with the local esbuild, once
    for (const file of otherPlans) synthesizePlan(file, { outdir: plainOutdir }).app.synth();
  }, 600_000);
  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
    rmSync(plainOutdir, { recursive: true, force: true });
  });

  test(`synthesizes both stacks of ${firstPlan} with no credentials and no Docker, cdk-nag clean`, () => {
    expect({ status: run.status, stderr: run.stderr.slice(-2000) }).toMatchObject({ status: 0 });
    const plan = JSON.parse(readFileSync(join(PROJECT_ROOT, firstPlan), 'utf8')) as { name: string };
    for (const stack of ['backup', 'recovery']) {
      expect(existsSync(join(outdir, `lifeboat-${plan.name}-${stack}.template.json`))).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { environment?: string }> };
    expect(manifest.artifacts[`lifeboat-${plan.name}-backup`].environment).toMatch(/^aws:\/\/unknown-account\//);
  });

  test('bundles each task as one minified ESM file for Node.js, with the AWS SDK inside', () => {
    const name = JSON.parse(readFileSync(join(PROJECT_ROOT, firstPlan), 'utf8')).name as string;
    let bundles = 0;
    for (const stack of ['backup', 'recovery']) {
      const assets = JSON.parse(readFileSync(join(outdir, `lifeboat-${name}-${stack}.assets.json`), 'utf8')) as {
        files: Record<string, { source: { path: string; packaging?: string } }>;
      };
      const template = JSON.parse(readFileSync(join(outdir, `lifeboat-${name}-${stack}.template.json`), 'utf8')) as {
        Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }>;
      };
      for (const fn of Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function')) {
        const asset = assets.files[fn.Properties.Code!.S3Key!.replace(/\.zip$/, '')];
        expect(asset.source.packaging).toBe('zip');
        const file = join(outdir, asset.source.path, 'index.mjs');
        expect(existsSync(file), file).toBe(true);
        const code = readFileSync(file, 'utf8');
        expect(code).toMatch(/export\s*\{[^}]*handler/); // ESM export of the handler
        expect(code).toContain('createRequire'); // the banner that lets bundled CommonJS require()
        expect(code).not.toMatch(/from\s*["']@aws-sdk\//); // the SDK is bundled, not imported from the runtime
        expect(code.length / code.split('\n').length).toBeGreaterThan(1000); // minified: long lines
        bundles += 1;
      }
    }
    const hasTraffic = (JSON.parse(readFileSync(join(PROJECT_ROOT, firstPlan), 'utf8')) as { traffic?: unknown }).traffic !== undefined;
    // record-metrics and record-failure in both; with traffic, the drill's own switch-traffic besides the failover's
    expect(bundles).toBe(BACKUP_TASKS.length + RECOVERY_TASKS.length + (hasTraffic ? TRAFFIC_TASKS.length + 1 : 0));
  });

  test.skipIf(cfnLint === undefined)(
    `cfn-lint with default settings exits 0 on every synthesized template (no error, no warning), state machine definitions included${cfnLint ? '' : ' (skipped: cfn-lint is not on PATH)'}`,
    () => {
      const templates = [outdir, plainOutdir].flatMap((dir) =>
        ['backup', 'recovery'].flatMap((stack) =>
          examplePlanFiles().map((f) => JSON.parse(readFileSync(join(PROJECT_ROOT, f), 'utf8')).name as string).map((n) => join(dir, `lifeboat-${n}-${stack}.template.json`)),
        ),
      ).filter((f) => existsSync(f));
      expect(templates.length).toBe(examplePlanFiles().length * 2);
      // Default settings, as a user runs it: no --ignore-checks. (W3005, a DependsOn next to a
      // GetAtt of the same role, is dropped by infra/constructs/depends-on.ts.)
      const lint = spawnSync(cfnLint!, ['--format', 'parseable', '--', ...templates], { encoding: 'utf8' });
      // cfn-lint's exit code is a bit mask: 2 = errors, 4 = warnings, 8 = informational, 1 = fatal.
      const findings = lint.stdout.split('\n').filter((line) => line.trim() !== '');
      expect({ findings, status: lint.status, stderr: lint.stderr.slice(0, 500) }).toEqual({ findings: [], status: 0, stderr: '' });
    },
  );
});

describe('infra: app input errors', () => {
  test('rejects the broken example plan naming every bad JSON path, and synthesizes nothing', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'lifeboat-broken-'));
    try {
      const file = 'examples/broken.plan.json';
      let issues: readonly { path: string }[] = [];
      try {
        parsePlan(JSON.parse(readFileSync(join(PROJECT_ROOT, file), 'utf8')), file);
      } catch (error) {
        issues = (error as PlanError).issues;
      }
      expect(issues.length).toBeGreaterThan(0);
      const run = runApp(file, outdir);
      expect(run.status).toBe(1);
      for (const issue of issues) expect(run.stderr).toContain(issue.path);
      expect(existsSync(join(outdir, 'manifest.json'))).toBe(false);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 120_000);

  test('fails naming the file when the plan file does not exist', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'lifeboat-missing-'));
    try {
      const run = runApp('examples/no-such.plan.json', outdir);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('no-such.plan.json: expected a readable plan file, found ENOENT');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 120_000);
});
