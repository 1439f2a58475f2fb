import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, test } from 'vitest';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FAILBACK_TASKS, failbackTasks, stateMachineName } from '../../infra/names.js';
import { parsePlan } from '../../schemas/plan.js';
import { examplePlan } from '../workflows/helpers/plans.js';
import { allStates, type AslState, roleStatements, actionsOf, synthesizePlan, type SynthesizedPlan } from './support.js';

describe('infra: failback stack (examples/three-tier.plan.json)', () => {
  let s: SynthesizedPlan;
  let failback: Template;
  beforeAll(() => {
    s = synthesizePlan('examples/three-tier.plan.json');
    failback = Template.fromStack(s.stacks.failback!);
  }, 240_000);

  test('is a stack of its own in the recovery region, and the recovery stack still names nothing of the primary region', () => {
    expect(s.stacks.failback!.stackName).toBe('lifeboat-shop-failback');
    expect(s.stacks.failback!.region).toBe(s.plan.recoveryRegion);
    // it is deployed after the recovery stack (its topic) and the backup stack (the failback probe); nothing depends on it
    expect(s.stacks.failback!.dependencies.map((d) => d.stackName).sort()).toEqual(['lifeboat-shop-backup', 'lifeboat-shop-recovery']);
    expect(s.stacks.recovery.dependencies).toEqual([]);
    expect(s.stacks.backup.dependencies).toEqual([]);
    const running = Object.values(s.recovery.toJSON().Resources as Record<string, { Type: string }>).filter((r) => r.Type !== 'AWS::CloudWatch::Dashboard');
    expect(JSON.stringify(running)).not.toContain(s.plan.primaryRegion);
  });

  test('deploys lifeboat-<plan>-failback and its own functions lifeboat-<plan>-failback-<task>, every placeholder bound', () => {
    const functions = failback.findResources('AWS::Lambda::Function');
    expect(Object.values(functions).map((f) => f.Properties.FunctionName).sort()).toEqual(FAILBACK_TASKS.map((t) => `lifeboat-shop-failback-${t}`).sort());
    const machines = Object.values(failback.findResources('AWS::StepFunctions::StateMachine'));
    expect(machines.map((m) => m.Properties.StateMachineName)).toEqual([stateMachineName(s.plan, 'failback')]);
    const [machine] = machines;
    expect(machine!.Properties).toMatchObject({ StateMachineType: 'STANDARD', TracingConfiguration: { Enabled: true }, LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true } });
    const body = machine!.Properties.DefinitionString as string;
    const placeholders = [...new Set([...body.matchAll(/\$\{(TaskArn_[a-z_]+)\}/g)].map((m) => m[1]))].sort();
    expect(Object.keys(machine!.Properties.DefinitionSubstitutions as object).sort()).toEqual(placeholders);
    for (const value of Object.values(machine!.Properties.DefinitionSubstitutions as Record<string, { 'Fn::GetAtt': [string, string] }>)) {
      expect(Object.keys(functions)).toContain(value['Fn::GetAtt'][0]);
    }
    // every Task retries and catches
    for (const { state } of allStates((JSON.parse(body) as { States: Record<string, AslState> }).States)) {
      if (state.Type !== 'Task') continue;
      expect(state.Retry?.length).toBeGreaterThan(0);
      expect(state.Catch?.length).toBeGreaterThan(0);
    }
  });

  test('scopes the failback roles by lineage tags: image only failover instances, retire only failover instances, launch only into the primary\'s failback subnets', () => {
    const failoverInstances = { 'aws:ResourceTag/lifeboat:plan': 'shop', 'aws:ResourceTag/lifeboat:role': 'failover-instance' };
    const image = roleStatements(failback, 'ImageRole');
    const onInstances = image.filter((st) => actionsOf(st).includes('ec2:CreateImage') && JSON.stringify(st.Resource).includes(':instance/'));
    expect(onInstances.map((st) => st.Condition)).toEqual([{ StringEquals: failoverInstances }]);
    const retire = roleStatements(failback, 'RetireInstancesRole');
    expect(retire.filter((st) => actionsOf(st).includes('ec2:TerminateInstances')).map((st) => st.Condition)).toEqual([{ StringEquals: failoverInstances }]);
    const launch = JSON.stringify(roleStatements(failback, 'LaunchInRegionRole').filter((st) => st.Sid === 'LaunchIntoPlanSubnets'));
    expect(launch).toContain(':ec2:us-east-1:');
    expect(launch).toContain('subnet/subnet-0bb11cc22dd330001');
    expect(launch).not.toContain('subnet-0aa11bb22cc330001');
  });

  test('a plan without a failback section gets no failback stack', () => {
    const small = synthesizePlan('examples/small.plan.json');
    expect(small.stacks.failback).toBeUndefined();
    expect(small.app.node.children.map((c) => c.node.id)).not.toContain('lifeboat-wiki-failback');
  });
});

describe('infra: failback stack with approval, health checks and a traffic switch back', () => {
  const PRIMARY_TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-web/0123456789abcdef';
  const plan = (() => {
    const json = JSON.parse(JSON.stringify(examplePlan('three-tier'))) as Record<string, any>;
    json.approval = { requiredApprovers: 2 };
    json.healthProbe = { subnetIds: ['subnet-0aa11bb22cc330001'], securityGroupIds: ['sg-0aa11bb22cc330009'] };
    for (const w of json.workloads) if (w.name === 'web') w.healthCheck = { protocol: 'http', path: '/health' };
    json.failback.healthProbe = { subnetIds: ['subnet-0bb11cc22dd330001'], securityGroupIds: ['sg-0bb11cc22dd330009'] };
    json.failback.traffic = {
      targetGroups: [{ workload: 'web', targetGroupArn: PRIMARY_TG, port: 8080 }],
      records: [{ kind: 'weights', hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'api.example.com', type: 'CNAME', weights: { primary: 100, recovery: 0 } }],
    };
    delete json.notifications.snsTopicArn; // the recovery stack creates lifeboat-shop-alarms (encrypted with its key)
    return parsePlan(json, 'failback-full.plan.json');
  })();
  let s: SynthesizedPlan;
  let failback: Template;
  beforeAll(() => {
    s = synthesizePlan('failback-full.plan.json', { plan });
    failback = Template.fromStack(s.stacks.failback!);
  }, 240_000);

  test('deploys request-approval, switch-traffic and the probe relay beside the failback tasks, and the failback-failed alarm on the plan topic', () => {
    const names = Object.values(failback.findResources('AWS::Lambda::Function')).map((f) => f.Properties.FunctionName as string).sort();
    expect(names).toEqual(failbackTasks(plan).map((t) => `lifeboat-shop-failback-${t}`).sort());
    expect(names).toEqual(expect.arrayContaining(['lifeboat-shop-failback-request-approval', 'lifeboat-shop-failback-switch-traffic', 'lifeboat-shop-failback-probe-health']));
    const body = Object.values(failback.findResources('AWS::StepFunctions::StateMachine'))[0]!.Properties as { DefinitionString: string; DefinitionSubstitutions: Record<string, unknown> };
    expect(JSON.parse(body.DefinitionString).States['Await approval']).toBeDefined();
    expect(JSON.stringify(body.DefinitionSubstitutions.NotificationTopic)).toContain(':sns:us-west-2:');
    expect(JSON.stringify(body.DefinitionSubstitutions.NotificationTopic)).toContain(':lifeboat-shop-alarms');
    const alarms = Object.values(failback.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.map((a) => a.Properties.AlarmName)).toEqual(['lifeboat-shop-failback-failed']);
    expect(JSON.stringify(alarms[0]!.Properties.Metrics)).toContain('stateMachine:lifeboat-shop-failback');
    expect(JSON.stringify(alarms[0]!.Properties.AlarmActions)).toContain(':lifeboat-shop-alarms');
  });

  test('least privilege: the switch back touches only the primary target group and the plan records; the relay invokes only the failback probe; approval publishes only to the plan topic', () => {
    const traffic = roleStatements(failback, 'SwitchTrafficRole');
    expect(traffic.find((st) => st.Sid === 'RegisterPlanTargets')!.Resource).toEqual(PRIMARY_TG);
    expect(traffic.find((st) => st.Sid === 'ReadTargetHealth')!.Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': ['us-east-1'] } });
    expect(JSON.stringify(traffic.find((st) => st.Sid === 'ChangePlanRecords')!.Condition)).toContain('api.example.com');
    const relay = roleStatements(failback, 'ProbeHealthRole').filter((st) => st.Sid !== 'WriteOwnLogs');
    expect(relay.map((st) => [st.Sid, st.Action])).toEqual([['InvokeFailbackProbeInPrimary', 'lambda:InvokeFunction']]);
    expect(JSON.stringify(relay[0]!.Resource)).toContain(':lambda:us-east-1:');
    expect(JSON.stringify(relay[0]!.Resource)).toContain(':function:lifeboat-shop-failback-probe-health');
    const fn = Object.values(failback.findResources('AWS::Lambda::Function')).find((f) => f.Properties.FunctionName === 'lifeboat-shop-failback-probe-health')!;
    expect(JSON.stringify(fn.Properties.Environment.Variables.LIFEBOAT_PROBE_RELAY)).toContain('lifeboat-shop-failback-probe-health');
    expect(fn.Properties.VpcConfig).toBeUndefined();
    const approval = roleStatements(failback, 'RequestApprovalRole').filter((st) => st.Sid !== 'WriteOwnLogs');
    expect(approval.map((st) => st.Sid)).toEqual(['PublishApprovalRequest', 'UseRecoveryTopicKeyThroughSns']);
    expect(approval[1]!.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'sns.us-west-2.amazonaws.com', 'aws:ResourceTag/lifeboat:plan': 'shop' } });
    // and the approvers' policy (recovery stack) may answer the failback's requests too
    const approver = Object.values(s.recovery.findResources('AWS::IAM::ManagedPolicy'))[0]!;
    expect(JSON.stringify(approver.Properties.PolicyDocument)).toContain('stateMachine:lifeboat-shop-failback');
  });

  test('the backup stack holds the failback probe, attached to the primary VPC of failback.healthProbe, reading instances in the primary region only', () => {
    const fn = Object.values(s.backup.findResources('AWS::Lambda::Function')).find((f) => f.Properties.FunctionName === 'lifeboat-shop-failback-probe-health')!;
    expect(fn.Properties.VpcConfig).toEqual({ SubnetIds: ['subnet-0bb11cc22dd330001'], SecurityGroupIds: ['sg-0bb11cc22dd330009'] });
    expect(fn.Properties.Environment.Variables.LIFEBOAT_PROBE_RELAY).toBeUndefined();
    const statements = roleStatements(s.backup, 'FailbackProbeHealthRole').filter((st) => st.Sid !== 'WriteOwnLogs');
    expect(statements.find((st) => st.Sid === 'Describe')!.Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': ['us-east-1'] } });
    expect(JSON.stringify(statements)).toContain('subnet/subnet-0bb11cc22dd330001');
    expect(JSON.stringify(statements)).not.toContain('us-west-2');
  });

  test('cdk-nag (AwsSolutions) finds nothing unacknowledged in the three stacks', () => {
    const nagged = synthesizePlan('failback-full.plan.json', { plan });
    Validations.of(nagged.app).addPlugins(new AwsSolutionsChecks(nagged.app, { verbose: true }));
    expect(() => nagged.app.synth()).not.toThrow();
  });
});
