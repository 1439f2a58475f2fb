import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, test } from 'vitest';
import { FAILBACK_TASKS, stateMachineName } from '../../infra/names.js';
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
    expect(s.stacks.failback!.dependencies).toEqual([]);
    expect(s.stacks.recovery.dependencies).toEqual([]);
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
