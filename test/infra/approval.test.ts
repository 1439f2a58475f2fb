import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addLifeboatStacks } from '../../infra/lifeboat-app.js';
import { parsePlan, type Plan, type PlanInput } from '../../schemas/plan.js';
import { PROJECT_ROOT, actionsOf, roleStatements, type TemplateStatement } from './support.js';

/*
 * The approval gate in the synthesized recovery stack: the request-approval function may publish to
 * the plan's notifications topic only, the failover definition gets that topic, and approvers get a
 * managed policy to answer the task tokens of the plan's runs and nothing else.
 */

const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0 ? 'cfn-lint' : undefined;
const outdir = mkdtempSync(join(tmpdir(), 'lifeboat-approval-synth-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

function planWithApproval(example: 'small' | 'three-tier', approval: NonNullable<PlanInput['approval']>): Plan {
  const json = JSON.parse(readFileSync(join(PROJECT_ROOT, 'examples', `${example}.plan.json`), 'utf8')) as PlanInput;
  return parsePlan({ ...json, name: `${json.name}-gate`, approval }, `${example} with approval`);
}

function synth(plan: Plan): Template {
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  const stacks = addLifeboatStacks(app, plan, { projectRoot: PROJECT_ROOT });
  app.synth();
  return Template.fromStack(stacks.recovery);
}

const statementsOf = (template: Template, sid: string): TemplateStatement[] => {
  const all = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as TemplateStatement[]);
  return all.filter((s) => s.Sid === sid);
};

describe('infra: the approval gate', () => {
  let own: Template; // three-tier: the plan names its own topic in the recovery region
  let created: Template; // small: no topic, the stack creates lifeboat-<plan>-alarms (encrypted)
  const ownPlan = planWithApproval('three-tier', { requiredApprovers: 2, drill: true });
  const createdPlan = planWithApproval('small', { requiredApprovers: 1 });
  beforeAll(() => {
    own = synth(ownPlan);
    created = synth(createdPlan);
  }, 240_000);

  test('request-approval publishes to the plan topic only, and uses the stack key only through SNS when the stack made the topic', () => {
    const [ownPublish] = statementsOf(own, 'PublishApprovalRequest');
    expect(ownPublish).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish', Resource: ownPlan.notifications.snsTopicArn });
    expect(statementsOf(own, 'UseTopicKeyThroughSns')).toEqual([]);
    const [createdPublish] = statementsOf(created, 'PublishApprovalRequest');
    expect(JSON.stringify(createdPublish!.Resource)).toContain(`:sns:${createdPlan.recoveryRegion}:`);
    expect(JSON.stringify(createdPublish!.Resource)).toContain(`:lifeboat-${createdPlan.name}-alarms`);
    const [kms] = statementsOf(created, 'UseTopicKeyThroughSns');
    expect(actionsOf(kms!).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(kms!.Condition).toEqual({ StringEquals: { 'kms:ViaService': `sns.${createdPlan.recoveryRegion}.amazonaws.com` } });
    // and the function's role has nothing else beyond its logs
    const roles = own.findResources('AWS::IAM::Role', { Properties: { Description: `Lifeboat ${ownPlan.name}: task request-approval in ${ownPlan.recoveryRegion}` } });
    const [roleId] = Object.keys(roles);
    expect(roleStatements(own, roleId!).map((s) => s.Sid).sort()).toEqual(['PublishApprovalRequest', 'WriteOwnLogs']);
  });

  test('the failover and drill definitions wait at "Await approval" with the topic substituted', () => {
    const machines = own.findResources('AWS::StepFunctions::StateMachine');
    for (const kind of ['failover', 'drill']) {
      const [machine] = Object.values(machines).filter((m) => m.Properties.StateMachineName === `lifeboat-${ownPlan.name}-${kind}`);
      expect(JSON.stringify(machine!.Properties.DefinitionString)).toContain('arn:aws:states:::lambda:invoke.waitForTaskToken');
      expect(machine!.Properties.DefinitionSubstitutions.NotificationTopic).toBe(ownPlan.notifications.snsTopicArn);
    }
    // a plan whose drill needs no approval: its drill has no gate and no substitution
    const [drill] = Object.values(created.findResources('AWS::StepFunctions::StateMachine')).filter((m) => m.Properties.StateMachineName === `lifeboat-${createdPlan.name}-drill`);
    expect(JSON.stringify(drill!.Properties.DefinitionString)).not.toContain('waitForTaskToken');
    expect(drill!.Properties.DefinitionSubstitutions.NotificationTopic).toBeUndefined();
  });

  test('approvers get a managed policy to read and answer the runs that wait for them, and no more', () => {
    const [policy] = Object.values(created.findResources('AWS::IAM::ManagedPolicy'));
    expect(policy!.Properties.ManagedPolicyName).toBe(`lifeboat-${createdPlan.name}-approver`);
    const statements = policy!.Properties.PolicyDocument.Statement as TemplateStatement[];
    const answer = statements.find((s) => s.Sid === 'AnswerApprovalRequests')!;
    expect(actionsOf(answer).sort()).toEqual(['states:SendTaskFailure', 'states:SendTaskSuccess']);
    const resources = JSON.stringify(answer.Resource);
    expect(resources).toContain(`stateMachine:lifeboat-${createdPlan.name}-failover`);
    expect(resources).not.toContain('-drill'); // this plan's drills do not wait
    expect(statements.flatMap(actionsOf).some((a) => a.includes('*'))).toBe(false);
    const [both] = Object.values(own.findResources('AWS::IAM::ManagedPolicy'));
    expect(JSON.stringify(both!.Properties.PolicyDocument)).toContain(`stateMachine:lifeboat-${ownPlan.name}-drill`);
  });

  test('cdk-nag (AwsSolutions) finds no unacknowledged error in the recovery stack with approval', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = addLifeboatStacks(app, ownPlan, { projectRoot: PROJECT_ROOT }).recovery;
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    const errors = report.violations.filter((v) => v.severity === 'error');
    expect(errors.map((e) => `${e.ruleName} at ${e.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });

  test.skipIf(cfnLint === undefined)('cfn-lint with default settings finds nothing in the recovery templates with approval', () => {
    const files = [ownPlan, createdPlan].map((p) => join(outdir, `lifeboat-${p.name}-recovery.template.json`));
    for (const f of files) writeFileSync(f, readFileSync(f, 'utf8')); // exists
    const lint = spawnSync(cfnLint!, ['--format', 'parseable', '--', ...files], { encoding: 'utf8' });
    const findings = lint.stdout.split('\n').filter((line) => line.trim() !== '');
    expect({ findings, status: lint.status }).toEqual({ findings: [], status: 0 });
  }, 240_000);
});
