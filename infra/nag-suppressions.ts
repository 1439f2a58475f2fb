import { type Stack, Validations } from 'aws-cdk-lib';
import { CfnManagedPolicy, CfnPolicy } from 'aws-cdk-lib/aws-iam';

/**
 * cdk-nag (AwsSolutions) acknowledgements, each with a one-line reason.
 *
 * The only AwsSolutions finding Lifeboat accepts is IAM5 (a `*` inside a resource ARN), and only
 * where the statement says why it is safe. Acknowledgements are derived from the synthesized
 * policies, not listed by hand: every wildcard resource is matched against the rules below, and
 * one that no rule explains stays an error, so a new wildcard cannot slip in unreviewed.
 *
 * Wildcard actions are never acknowledged (the policies name every action).
 */

/** One policy statement as CloudFormation sees it (after token resolution). */
interface ResolvedStatement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Why a wildcard resource is acceptable, or undefined when this rule does not explain it. */
type WildcardRule = (resource: string, actions: readonly string[], conditionKeys: readonly string[]) => string | undefined;

const NO_RESOURCE_LEVEL = new Set([
  'ec2:DescribeImages',
  'ec2:DescribeInstances',
  'ec2:DescribeInstanceStatus',
  'ec2:DescribeSnapshots',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeInstanceTypeOfferings',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeKeyPairs',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'cloudwatch:PutMetricData',
  'cloudwatch:GetMetricData',
]);
// What aws-cdk-lib's StateMachine grants for `logs` and `tracingEnabled`: these APIs take no resource ARNs.
const STATE_MACHINE_SERVICE_ACTIONS = new Set([
  'logs:CreateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:DescribeLogGroups',
  'logs:DescribeResourcePolicies',
  'logs:GetLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:UpdateLogDelivery',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:PutTelemetryRecords',
  'xray:PutTraceSegments',
]);
/** The account part of an ARN as cdk-nag prints it: empty (images, snapshots), the pseudo parameter or an id. */
const ACCOUNT = '(?:|<AWS::AccountId>|\\d{12})';
/** `arn:…:ec2:<region>:<account>:<type>/*` for the given resource types. */
const ec2Wildcard = (types: string): RegExp => new RegExp(`:ec2:[a-z0-9-]+:${ACCOUNT}:(?:${types})/\\*$`);
const TAG_SCOPES = ['aws:ResourceTag/', 'aws:RequestTag/', 'ec2:CreateAction', 'ec2:Subnet'];

const RULES: readonly WildcardRule[] = [
  (resource, actions, keys) => {
    if (resource !== '*' || !actions.every((a) => NO_RESOURCE_LEVEL.has(a))) return undefined;
    const limits = keys.filter((k) => k === 'aws:RequestedRegion' || k === 'cloudwatch:namespace');
    return limits.length === 0
      ? undefined
      : `EC2 Describe* and CloudWatch PutMetricData/GetMetricData have no resource-level permissions; limited by ${limits.join(' and ')}`;
  },
  (resource, actions) =>
    resource === '*' && actions.every((a) => STATE_MACHINE_SERVICE_ACTIONS.has(a))
      ? 'Step Functions log delivery and X-Ray trace APIs have no resource-level permissions'
      : undefined,
  (resource, actions) =>
    /^<[A-Za-z0-9]+\.Arn>:\*$/.test(resource) && actions.every((a) => a === 'lambda:InvokeFunction')
      ? 'the state machine may invoke versions and aliases of its own task function'
      : undefined,
  (resource, actions) =>
    /^<[A-Za-z0-9]+\.Arn>:log-stream:\*$/.test(resource) && actions.every((a) => a.startsWith('logs:'))
      ? 'a task function writes only to the streams of its own log group'
      : undefined,
  (resource, actions, keys) => {
    if (!ec2Wildcard('image|snapshot|instance|volume|network-interface').test(resource)) return undefined;
    const scopes = keys.filter((k) => TAG_SCOPES.some((s) => k.startsWith(s)));
    return scopes.length === 0
      ? undefined
      : `EC2 ids are not known before Lifeboat creates them; ${actions.join(', ')} scoped by ${scopes.join(', ')}`;
  },
  (resource, actions) =>
    ec2Wildcard('security-group').test(resource) && actions.every((a) => a === 'ec2:RunInstances')
      ? 'a workload without security groups launches with its template or VPC default group, whose id the plan does not hold; RunInstances only uses the group'
      : undefined,
  (resource, actions) =>
    ec2Wildcard('launch-template').test(resource) && actions.every((a) => a === 'ec2:RunInstances')
      ? 'a launch template named by name has no id to put in its ARN; RunInstances only reads the template'
      : undefined,
  (resource, actions, keys) =>
    /:iam::\d{12}:role\/\*$/.test(resource) && actions.every((a) => a === 'iam:PassRole') && keys.includes('iam:PassedToService')
      ? 'an instance profile ARN does not name its role; PassRole only to EC2, and RunInstances only with the plan profiles (ec2:InstanceProfile)'
      : undefined,
  (resource, actions) =>
    /:states:[a-z0-9*-]+:(?:<AWS::AccountId>|\d{12}):execution:lifeboat-[^:*]+-(backup|failover|drill):\*$/.test(resource) && actions.every((a) => a === 'states:DescribeExecution')
      ? "execution names are made at run time; the collector reads only executions of the plan's own state machines"
      : undefined,
  (resource, actions) =>
    /:states:[a-z0-9-]+:(?:<AWS::AccountId>|\d{12}):execution:lifeboat-[^:*]+-(failover|drill|failback):\*$/.test(resource) &&
    actions.every((a) => a === 'states:DescribeExecution' || a === 'states:GetExecutionHistory')
      ? "execution names are made at run time; approvers read only the runs of the plan's own failover, drill and failback machines"
      : undefined,
  (resource, actions) =>
    /^<[A-Za-z0-9]+\.Arn>\/runs\/\*$/.test(resource) && actions.every((a) => a.startsWith('s3:'))
      ? "a run's item lists and results are named by its execution, unknown before it starts; limited to the runs/ prefix of this stack's run bucket"
      : undefined,
  (resource, actions) =>
    /:states:.+:execution:lifeboat-[a-z0-9-]+\/\*$/.test(resource) && actions.every((a) => a.startsWith('states:'))
      ? "Step Functions names a Distributed Map's child executions; limited to the children of this state machine"
      : undefined,
  (resource, actions, keys) =>
    resource === '*' && actions.every((a) => a === 'elasticloadbalancing:DescribeTargetHealth') && keys.includes('aws:RequestedRegion')
      ? 'DescribeTargetHealth has no resource-level permissions; limited to the recovery region by aws:RequestedRegion'
      : undefined,
  (resource, actions) =>
    /:route53:::change\/\*$/.test(resource) && actions.every((a) => a === 'route53:GetChange')
      ? 'Route 53 names a change when it accepts the batch; GetChange only reads the status of a change'
      : undefined,
  (resource, actions, keys) =>
    /:kms:[a-z0-9-]+:[^:]+:key\/\*$/.test(resource) && actions.every((a) => a.startsWith('kms:')) && keys.includes('kms:ResourceAliases')
      ? 'the copy key is named by alias; limited to that alias by kms:ResourceAliases'
      : undefined,
  (resource, actions, keys) =>
    /:kms:[a-z0-9-]+:[^:]+:key\/\*$/.test(resource) &&
    actions.every((a) => a === 'kms:Decrypt' || a === 'kms:GenerateDataKey') &&
    keys.includes('kms:ViaService') &&
    keys.includes('aws:ResourceTag/lifeboat:plan')
      ? "the recovery stack's topic key is in another stack; used only through SNS (kms:ViaService) and only a key tagged with this plan (aws:ResourceTag/lifeboat:plan)"
      : undefined,
];

/**
 * A CloudFormation value flattened the way cdk-nag prints it: `Fn::Join` joined, `Fn::GetAtt`
 * as `<Logical.Attr>`, `Ref` as `<Name>`.
 */
export function flattenReference(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v['Fn::Join'])) {
      const [delimiter, items] = v['Fn::Join'] as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if (Array.isArray(v['Fn::GetAtt'])) {
      const [resource, attribute] = v['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
    }
    if ('Fn::Sub' in v) return flattenReference(v['Fn::Sub']);
    if ('Ref' in v) return `<${flattenReference(v.Ref)}>`;
  }
  return JSON.stringify(value);
}

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The IAM5 findings of one policy document, each with its reason or `undefined` when none applies. */
export function explainWildcards(document: { Statement?: ResolvedStatement[] }): Map<string, string | undefined> {
  const byResource = new Map<string, { actions: Set<string>; keys: Set<string>; isExplainedEverywhere: boolean }>();
  for (const statement of document.Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    const actions = asArray(statement.Action);
    const keys = Object.values(statement.Condition ?? {}).flatMap((block) => Object.keys(block));
    for (const resource of asArray(statement.Resource).map(flattenReference)) {
      if (!resource.includes('*')) continue;
      const entry = byResource.get(resource) ?? { actions: new Set<string>(), keys: new Set<string>(), isExplainedEverywhere: true };
      // Every statement that uses the wildcard must be explained on its own.
      const reason = RULES.map((rule) => rule(resource, actions, keys)).find((r) => r !== undefined);
      if (reason === undefined) entry.isExplainedEverywhere = false;
      actions.forEach((a) => entry.actions.add(a));
      keys.forEach((k) => entry.keys.add(k));
      byResource.set(resource, entry);
    }
  }
  const result = new Map<string, string | undefined>();
  for (const [resource, entry] of byResource) {
    const reason = entry.isExplainedEverywhere
      ? RULES.map((rule) => rule(resource, [...entry.actions].sort(), [...entry.keys].sort())).find((r) => r !== undefined)
      : undefined;
    result.set(`Resource::${resource}`, reason);
  }
  return result;
}

/**
 * Acknowledges every explained AwsSolutions-IAM5 finding on the stack's policies. Call once,
 * after every grant has been made.
 */
export function applyNagSuppressions(stack: Stack): void {
  for (const node of stack.node.findAll()) {
    if (!(node instanceof CfnPolicy) && !(node instanceof CfnManagedPolicy)) continue;
    const document = stack.resolve(node.policyDocument) as { Statement?: ResolvedStatement[] };
    for (const [finding, reason] of explainWildcards(document)) {
      if (reason === undefined) continue;
      Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
    }
  }
}
