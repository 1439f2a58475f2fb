import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { addLifeboatStacks } from '../../infra/lifeboat-app.js';
import { parsePlan } from '../../schemas/plan.js';
import { planObjects } from '../../workflows/render.js';
import { PROJECT_ROOT, type TemplateStatement } from './support.js';

/** The three-tier example plan, forced to distributed runs. */
function distributedPlan(mode: 'distributed' | 'inline' = 'distributed') {
  const json = JSON.parse(readFileSync(join(PROJECT_ROOT, 'examples/three-tier.plan.json'), 'utf8')) as Record<string, unknown>;
  return parsePlan({ ...json, scale: { mode } }, 'three-tier (distributed)');
}

function synth(mode: 'distributed' | 'inline' = 'distributed') {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const plan = distributedPlan(mode);
  const stacks = addLifeboatStacks(app, plan, { projectRoot: PROJECT_ROOT });
  return { app, plan, stacks, backup: Template.fromStack(stacks.backup), recovery: Template.fromStack(stacks.recovery) };
}

const statementsOf = (template: Template, roleMatch: (logicalId: string) => boolean): TemplateStatement[] =>
  Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => roleMatch(id))
    .flatMap(([, p]) => (p as { Properties: { PolicyDocument: { Statement: TemplateStatement[] } } }).Properties.PolicyDocument.Statement);

describe('infra: the run bucket of a distributed plan', () => {
  const { plan, backup, recovery } = synth();

  test.each([
    ['backup', backup],
    ['recovery', recovery],
  ])('gives the %s stack one encrypted, private, TLS-only bucket whose run objects expire', (_, template) => {
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [Match.objectLike({ Prefix: 'runs/', ExpirationInDays: 90, Status: 'Enabled' })] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('substitutes the bucket into the definitions and lets each state machine run its own children only', () => {
    for (const [template, names] of [
      [backup, [`lifeboat-${plan.name}-backup`]],
      [recovery, [`lifeboat-${plan.name}-failover`, `lifeboat-${plan.name}-drill`]],
    ] as const) {
      // The collector and the RPO publisher run no Map: only the runs take the bucket.
      const runs = Object.values(template.findResources('AWS::StepFunctions::StateMachine')).filter((m) =>
        names.some((n) => JSON.stringify((m as { Properties: { StateMachineName?: unknown } }).Properties.StateMachineName ?? '').includes(n)),
      );
      expect(runs).toHaveLength(names.length);
      for (const machine of runs) {
        const props = (machine as { Properties: { DefinitionSubstitutions: Record<string, unknown>; DefinitionString: unknown } }).Properties;
        expect(Object.keys(props.DefinitionSubstitutions)).toContain('RunBucket');
        expect(JSON.stringify(props.DefinitionString)).toContain('DISTRIBUTED');
      }
      const statements = statementsOf(template, (id) => id.includes('StateMachine'));
      const start = statements.filter((s) => ([] as string[]).concat(s.Action).includes('states:StartExecution'));
      expect(start.map((s) => JSON.stringify(s.Resource)).sort()).toEqual([...names].sort().map((n) => expect.stringContaining(`:stateMachine:${n}`)));
      const objects = statements.filter((s) => ([] as string[]).concat(s.Action).includes('s3:GetObject'));
      expect(objects.length).toBe(names.length);
      for (const s of objects) expect(JSON.stringify(s.Resource)).toContain('/runs/*');
      for (const s of statements) expect(([] as string[]).concat(s.Action).some((a) => a.endsWith('*'))).toBe(false);
    }
  });

  test('lets only the resolve tasks write item lists, pre-flight its report, record-metrics and the RPO publisher their RPO report, summarize-results (and resolve, for the report) read, and a recovery record-metrics read and write, under runs/', () => {
    // The plan's workload tables are read elsewhere (the next test); here only the run objects.
    const s3 = (template: Template, fn: string) =>
      statementsOf(template, (id) => id.startsWith(fn)).filter((s) => ([] as string[]).concat(s.Action).some((a) => a.startsWith('s3:')) && !s.Sid?.startsWith('ReadPlanTable'));
    expect(s3(backup, 'ResolveWorkloads').flatMap((s) => s.Action)).toEqual(['s3:PutObject']);
    // resolve-recovery-points reads the pre-flight report when a failover proceeds past blocking findings.
    expect(s3(recovery, 'ResolveRecoveryPoints').flatMap((s) => s.Action).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(s3(recovery, 'Preflight').flatMap((s) => s.Action)).toEqual(['s3:PutObject']);
    expect(s3(backup, 'SummarizeResults').flatMap((s) => s.Action).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    // record-metrics of a failover or drill reads the per-workload lists and writes the whole result;
    // a backup's, and the RPO publisher, only write their whole RPO report (issue 8).
    expect(s3(recovery, 'RecordMetrics').flatMap((s) => s.Action).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(s3(backup, 'RecordMetrics').flatMap((s) => s.Action)).toEqual(['s3:PutObject']);
    expect(s3(recovery, 'PublishRpo').flatMap((s) => s.Action)).toEqual(['s3:PutObject']);
    for (const s of [...s3(backup, 'RecordMetrics'), ...s3(recovery, 'PublishRpo')]) expect(JSON.stringify(s.Resource)).toContain('/runs/*');
    for (const fn of ['Image', 'Copy', 'Verify', 'Prune']) expect(s3(backup, fn)).toEqual([]);
    for (const fn of ['LaunchInRegion', 'Teardown']) expect(s3(recovery, fn)).toEqual([]);
  });

  test("writes the plan's workload tables as file assets, names each in the definitions and lets only its readers get that one object (docs/decisions/0021)", () => {
    const { app, plan, stacks } = synth();
    const assembly = app.synth();
    const objects = planObjects(plan);
    for (const [stack, region] of [
      [stacks.backup, plan.primaryRegion],
      [stacks.recovery, plan.recoveryRegion],
    ] as const) {
      // The asset files hold exactly the tables planObjects gives for this region, byte for byte.
      const assets = stack.node.findAll().filter((c): c is Asset => c instanceof Asset && c.node.path.includes('/PlanTables/'));
      const files = assets.map((a) => readFileSync(join(assembly.directory, a.assetPath), 'utf8')).sort();
      expect(files).toEqual(objects.filter((o) => o.region === region).map((o) => o.body).sort());
      // Each machine that hands a task a stored table substitutes that asset's bucket and key.
      const template = Template.fromStack(stack);
      const keyOf = new Map(assets.map((a) => [createHash('sha256').update(readFileSync(join(assembly.directory, a.assetPath))).digest('hex'), JSON.stringify(stack.resolve(a.s3ObjectKey))]));
      let named = 0;
      for (const machine of Object.values(template.findResources('AWS::StepFunctions::StateMachine'))) {
        const props = (machine as { Properties: { DefinitionSubstitutions?: Record<string, unknown>; DefinitionString: unknown } }).Properties;
        const text = JSON.stringify(stack.resolve(props.DefinitionString));
        for (const m of text.matchAll(/\\"storedInput\\":\{\\"bucket\\":\\"\$\{PlanTableBucket\}\\",\\"key\\":\\"\$\{(PlanTable_[0-9a-f]{16})\}\\",\\"sha256\\":\\"([0-9a-f]{64})\\"/g)) {
          named += 1;
          expect(JSON.stringify(props.DefinitionSubstitutions![m[1]!])).toBe(keyOf.get(m[2]!));
          expect(props.DefinitionSubstitutions).toHaveProperty('PlanTableBucket');
        }
      }
      expect(named).toBeGreaterThanOrEqual(region === plan.primaryRegion ? 2 : 3);
    }
    // s3:GetObject on one table object each, for the tasks that take a table and no other.
    const reads = (template: Template, fn: string) => statementsOf(template, (id) => id.startsWith(fn)).filter((s) => s.Sid?.startsWith('ReadPlanTable'));
    for (const [template, fns, others] of [
      [backup, ['ResolveWorkloads', 'RecordMetrics'], ['Image', 'Copy', 'Verify', 'Prune', 'SummarizeResults']],
      [recovery, ['ResolveRecoveryPoints', 'Preflight', 'PublishRpo'], ['LaunchInRegion', 'Teardown', 'RecordMetrics', 'SummarizeResults']],
    ] as const) {
      for (const fn of fns) {
        const statements = reads(template, fn);
        expect(statements.map((s) => s.Action), fn).toEqual(['s3:GetObject']);
        expect(JSON.stringify(statements[0]!.Resource), fn).toMatch(/\.json"\]\]\}$/);
      }
      for (const fn of others) expect(reads(template, fn), fn).toEqual([]);
    }
  });

  test('passes cdk-nag (AwsSolutions) with every wildcard explained', () => {
    const fresh = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    addLifeboatStacks(fresh, plan, { projectRoot: PROJECT_ROOT });
    Validations.of(fresh).addPlugins(new AwsSolutionsChecks(fresh, { verbose: true }));
    expect(() => fresh.synth()).not.toThrow();
  });
});

describe('infra: an inline plan', () => {
  test('has no run bucket and no summarize-results function', () => {
    const { backup, recovery } = synth('inline');
    backup.resourceCountIs('AWS::S3::Bucket', 0);
    recovery.resourceCountIs('AWS::S3::Bucket', 0);
    expect(JSON.stringify(backup.toJSON())).not.toContain('summarize-results');
  });
});
