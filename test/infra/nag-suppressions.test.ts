import { describe, expect, test } from 'vitest';
import { explainWildcards, flattenReference } from '../../infra/nag-suppressions.js';

const allow = (Action: string | string[], Resource: unknown, Condition?: Record<string, Record<string, unknown>>) => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});
const partition = (suffix: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, suffix]] });

describe('infra: cdk-nag acknowledgements', () => {
  test('flattens CloudFormation references the way cdk-nag prints them', () => {
    expect(flattenReference(partition(':ec2:us-west-2::image/*'))).toBe('arn:<AWS::Partition>:ec2:us-west-2::image/*');
    expect(flattenReference({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Fn1', 'Arn'] }, ':*']] })).toBe('<Fn1.Arn>:*');
    expect(flattenReference('${AWS::AccountId}')).toBe('<AWS::AccountId>');
  });

  test('explains a wildcard EC2 resource scoped by a Lifeboat tag condition', () => {
    const findings = explainWildcards({
      Statement: [allow('ec2:DeregisterImage', partition(':ec2:us-west-2::image/*'), { StringEquals: { 'aws:ResourceTag/lifeboat:plan': 'shop' } })],
    });
    expect(findings.get('Resource::arn:<AWS::Partition>:ec2:us-west-2::image/*')).toMatch(/scoped by aws:ResourceTag\/lifeboat:plan/);
  });

  test("explains reading executions of the plan's own machines only, and nothing broader", () => {
    const executions = partition(':states:*:${AWS::AccountId}:execution:lifeboat-shop-drill:*');
    const ok = explainWildcards({ Statement: [allow('states:DescribeExecution', executions)] });
    expect(ok.get('Resource::arn:<AWS::Partition>:states:*:<AWS::AccountId>:execution:lifeboat-shop-drill:*')).toMatch(/plan's own state machines/);
    const broad = explainWildcards({ Statement: [allow('states:DescribeExecution', partition(':states:*:${AWS::AccountId}:execution:*'))] });
    expect([...broad.values()]).toEqual([undefined]);
    const stop = explainWildcards({ Statement: [allow('states:StopExecution', executions)] });
    expect([...stop.values()]).toEqual([undefined]);
  });

  test('leaves an unscoped wildcard EC2 resource unexplained, so cdk-nag still fails on it', () => {
    const findings = explainWildcards({ Statement: [allow('ec2:DeregisterImage', partition(':ec2:us-west-2::image/*'))] });
    expect([...findings.entries()]).toEqual([['Resource::arn:<AWS::Partition>:ec2:us-west-2::image/*', undefined]]);
  });

  test('leaves a wildcard unexplained when one of the statements using it is unscoped', () => {
    const resource = partition(':ec2:us-west-2:${AWS::AccountId}:instance/*');
    const findings = explainWildcards({
      Statement: [
        allow('ec2:TerminateInstances', resource, { StringEquals: { 'aws:ResourceTag/lifeboat:plan': 'shop' } }),
        allow('ec2:StopInstances', resource),
      ],
    });
    expect([...findings.values()]).toEqual([undefined]);
  });

  test('explains Resource "*" only for calls without resource-level permissions that carry a limiting condition', () => {
    const describe = explainWildcards({ Statement: [allow(['ec2:DescribeImages'], '*', { StringEquals: { 'aws:RequestedRegion': ['us-west-2'] } })] });
    expect(describe.get('Resource::*')).toMatch(/aws:RequestedRegion/);
    expect(explainWildcards({ Statement: [allow(['ec2:DescribeImages'], '*')] }).get('Resource::*')).toBeUndefined();
    expect(explainWildcards({ Statement: [allow(['ec2:RunInstances'], '*', { StringEquals: { 'aws:RequestedRegion': 'x' } })] }).get('Resource::*')).toBeUndefined();
  });

  test('ignores Deny statements and resources without a wildcard', () => {
    const findings = explainWildcards({
      Statement: [{ Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*' }, allow('states:StartExecution', { Ref: 'Machine' })],
    });
    expect(findings.size).toBe(0);
  });
});
