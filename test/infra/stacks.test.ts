import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, test } from 'vitest';
import { TAG_KEYS } from '../../schemas/tags.js';
import { BACKUP_TASKS, HEALTH_TASK, hasHealthChecks, METRICS, RECOVERY_TASKS, TRAFFIC_TASKS, stateMachineName, taskArnKey } from '../../infra/names.js';
import { Validations } from 'aws-cdk-lib';
import {
  actionsOf,
  allStates,
  type AslState,
  examplePlanFiles,
  roleStatements,
  type SynthesizedPlan,
  synthesizePlan,
  type TemplateStatement,
} from './support.js';

const files = examplePlanFiles();

test('there are example plans to synthesize', () => {
  expect(files.length).toBeGreaterThanOrEqual(2);
});

describe.each(files)('infra: stacks for %s', (file) => {
  let s: SynthesizedPlan;
  beforeAll(() => {
    s = synthesizePlan(file); // once per plan and file
  }, 240_000);

  const templates = () => [
    { name: 'backup', template: s.backup, region: s.plan.primaryRegion, tasks: BACKUP_TASKS, variants: [] as string[] },
    // With traffic, the drill has its own switch-traffic (drill names only): lifeboat-<plan>-drill-switch-traffic.
    { name: 'recovery', template: s.recovery, region: s.plan.recoveryRegion, tasks: [...RECOVERY_TASKS, ...(hasHealthChecks(s.plan) ? [HEALTH_TASK] : []), ...(s.plan.traffic !== undefined ? TRAFFIC_TASKS : [])], variants: s.plan.traffic !== undefined ? ['drill-switch-traffic'] : [] },
  ];

  test('puts the backup stack in the primary region and the recovery stack in the recovery region', () => {
    expect(s.stacks.backup.region).toBe(s.plan.primaryRegion);
    expect(s.stacks.recovery.region).toBe(s.plan.recoveryRegion);
    expect(s.stacks.backup.stackName).toBe(`lifeboat-${s.plan.name}-backup`);
    expect(s.stacks.recovery.stackName).toBe(`lifeboat-${s.plan.name}-recovery`);
  });

  test('leaves the recovery stack independent of the primary region (no dependency, no import)', () => {
    expect(s.stacks.recovery.dependencies).toEqual([]);
    expect(JSON.stringify(s.recovery.toJSON())).not.toContain('Fn::ImportValue');
    // Only the dashboard reads primary-region metrics; nothing that runs refers to that region.
    const running = Object.values(s.recovery.toJSON().Resources as Record<string, { Type: string }>).filter(
      (r) => r.Type !== 'AWS::CloudWatch::Dashboard',
    );
    expect(JSON.stringify(running)).not.toContain(s.plan.primaryRegion);
  });

  test('gives the drill machine its own switch-traffic function, and the failover the production one', () => {
    if (s.plan.traffic === undefined) return;
    const machines = Object.values(s.recovery.findResources('AWS::StepFunctions::StateMachine')) as { Properties: { StateMachineName?: string; DefinitionSubstitutions?: Record<string, unknown> } }[];
    const fnOf = (kind: string) => JSON.stringify(machines.find((m) => m.Properties.StateMachineName === `lifeboat-${s.plan.name}-${kind}`)!.Properties.DefinitionSubstitutions!.TaskArn_switch_traffic);
    const logicalIdOf = (name: string) => Object.entries(s.recovery.findResources('AWS::Lambda::Function')).find(([, fn]) => fn.Properties.FunctionName === name)![0];
    expect(fnOf('drill')).toContain(logicalIdOf(`lifeboat-${s.plan.name}-drill-switch-traffic`));
    expect(fnOf('failover')).toContain(logicalIdOf(`lifeboat-${s.plan.name}-switch-traffic`));
  });

  test('deploys one Node.js 24 arm64 function per task of each stack, with plain environment and log retention', () => {
    for (const { template, tasks, variants } of templates()) {
      const functions = template.findResources('AWS::Lambda::Function');
      expect(Object.keys(functions)).toHaveLength(tasks.length + variants.length);
      for (const fn of Object.values(functions)) {
        expect(fn.Properties.Runtime).toBe('nodejs24.x');
        expect(fn.Properties.Architectures).toEqual(['arm64']);
        expect(fn.Properties.Handler).toBe('index.handler');
        expect(fn.Properties.MemorySize).toBeGreaterThanOrEqual(256);
        expect(fn.Properties.Timeout).toBeGreaterThanOrEqual(60);
        expect(fn.Properties.LoggingConfig).toMatchObject({ LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } });
        const variables = fn.Properties.Environment.Variables as Record<string, string>;
        expect(Object.keys(variables).sort()).toEqual(['LIFEBOAT_PLAN', 'LIFEBOAT_TASK']);
        expect(variables.LIFEBOAT_PLAN).toBe(s.plan.name);
      }
      const names = Object.values(functions).map((fn) => fn.Properties.FunctionName);
      expect(names.sort()).toEqual([...tasks, ...variants].map((t) => `lifeboat-${s.plan.name}-${t}`).sort());
      for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
        expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
        expect(group.Properties.KmsKeyId).toBeDefined();
      }
    }
  });

  test('names the state machines by the contract and makes them Standard, logged in full and traced', () => {
    const expected = {
      backup: [stateMachineName(s.plan, 'backup'), stateMachineName(s.plan, 'collect')],
      recovery: [stateMachineName(s.plan, 'collect'), stateMachineName(s.plan, 'drill'), stateMachineName(s.plan, 'failover'), stateMachineName(s.plan, 'publish-rpo')],
    };
    for (const { name, template } of templates()) {
      const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
      expect(machines.map((m) => m.Properties.StateMachineName).sort()).toEqual(expected[name as 'backup' | 'recovery']);
      for (const machine of machines) {
        expect(machine.Properties.StateMachineType).toBe('STANDARD');
        expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
        expect(machine.Properties.LoggingConfiguration).toMatchObject({
          Level: 'ALL',
          IncludeExecutionData: true,
          Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } } }],
        });
      }
    }
  });

  test('binds every task placeholder of every definition to a function of the same stack', () => {
    for (const { template } of templates()) {
      const functions = template.findResources('AWS::Lambda::Function');
      for (const machine of Object.values(template.findResources('AWS::StepFunctions::StateMachine'))) {
        const body = machine.Properties.DefinitionString as string;
        const placeholders = [...new Set([...body.matchAll(/\$\{(TaskArn_[a-z_]+)\}/g)].map((m) => m[1]))].sort();
        const substitutions = machine.Properties.DefinitionSubstitutions as Record<string, { 'Fn::GetAtt': [string, string] }>;
        expect(Object.keys(substitutions).sort()).toEqual(placeholders);
        for (const value of Object.values(substitutions)) {
          expect(value['Fn::GetAtt'][1]).toBe('Arn');
          expect(Object.keys(functions)).toContain(value['Fn::GetAtt'][0]);
        }
      }
    }
  });

  test('gives every Task state a Retry and a Catch; the failure recorder catches all but the Lifeboat.StepFailed it raises', () => {
    const recorder = '${' + taskArnKey('record-failure') + '}';
    let taskCount = 0;
    for (const { template } of templates()) {
      for (const [id, machine] of Object.entries(template.findResources('AWS::StepFunctions::StateMachine'))) {
        const definition = JSON.parse(machine.Properties.DefinitionString as string) as { States: Record<string, AslState> };
        for (const { path, state } of allStates(definition.States)) {
          if (state.Type !== 'Task') continue;
          taskCount += 1;
          const fn = (state as { Arguments?: { FunctionName?: string } }).Arguments?.FunctionName;
          expect({ id, path, hasRetry: (state.Retry ?? []).length > 0 }).toEqual({ id, path, hasRetry: true });
          expect({ id, path, hasCatch: (state.Catch ?? []).length > 0 }).toEqual({ id, path, hasCatch: true });
          const caught = ((state.Catch ?? []) as { ErrorEquals: string[] }[]).flatMap((c) => c.ErrorEquals);
          if (fn === recorder && !caught.includes('States.ALL')) expect(caught).not.toContain('Lifeboat.StepFailed');
          if (fn !== recorder) expect(caught).toContain('States.ALL');
        }
      }
    }
    expect(taskCount).toBeGreaterThanOrEqual(8);
  });

  test('schedules backups in the primary region and drills in the recovery region, with {} as input', () => {
    const cases = [
      { template: s.backup, kind: 'backup' as const, schedule: s.plan.backup.schedule, timezone: s.plan.backup.timezone },
      { template: s.recovery, kind: 'drill' as const, schedule: s.plan.drill.schedule, timezone: s.plan.drill.timezone },
    ];
    for (const { template, kind, schedule, timezone } of cases) {
      // Besides the collector's and the RPO publisher's (tested apart), one schedule per stack.
      const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).filter(
        (sc) => !String(sc.Properties.Description).includes('collect what finished runs left behind') && !String(sc.Properties.Description).includes('recovery point age'),
      );
      expect(schedules).toHaveLength(1);
      const [only] = schedules;
      expect(only.Properties.ScheduleExpression).toBe(schedule);
      expect(only.Properties.ScheduleExpressionTimezone).toBe(timezone);
      expect(only.Properties.State).not.toBe('DISABLED');
      expect(only.Properties.Target.Input).toBe('{}');
      const machineId = Object.entries(template.findResources('AWS::StepFunctions::StateMachine')).find(
        ([, m]) => m.Properties.StateMachineName === stateMachineName(s.plan, kind),
      )![0];
      expect(only.Properties.Target.Arn).toEqual({ Ref: machineId });
      // The schedule's role may only start that one machine.
      const roleId = (only.Properties.Target.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const statements = roleStatements(template, roleId);
      expect(statements).toEqual([
        expect.objectContaining({ Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: machineId } }),
      ]);
    }
    // A failover is started by a person, never on a schedule.
    expect(JSON.stringify(s.recovery.findResources('AWS::Scheduler::Schedule'))).not.toContain('Failover');
  });

  test('publishes the RPO every 5 minutes from the recovery region, on its own schedule and machine', () => {
    const [schedule] = Object.values(s.recovery.findResources('AWS::Scheduler::Schedule')).filter((x) =>
      String(x.Properties.Description).includes('recovery point age'),
    );
    expect(schedule.Properties.ScheduleExpression).toBe('rate(5 minutes)');
    expect(schedule.Properties.Target.Input).toBe('{}');
    const machineId = Object.entries(s.recovery.findResources('AWS::StepFunctions::StateMachine')).find(
      ([, m]) => m.Properties.StateMachineName === stateMachineName(s.plan, 'publish-rpo'),
    )![0];
    expect(schedule.Properties.Target.Arn).toEqual({ Ref: machineId });
    const definition = JSON.parse(s.recovery.findResources('AWS::StepFunctions::StateMachine')[machineId].Properties.DefinitionString as string);
    expect(definition.States['Publish RPO'].Arguments.Payload.task).toBe('publish-rpo');
  });

  test('alarms in the recovery region when the newest recovery point is older than the RPO, treating no data as a breach', () => {
    expect(s.backup.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: `lifeboat-${s.plan.name}-rpo-breached` } })).toEqual({});
    s.recovery.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `lifeboat-${s.plan.name}-rpo-breached`,
      Namespace: METRICS.namespace,
      MetricName: METRICS.recoveryPointAge,
      Dimensions: [{ Name: 'Plan', Value: s.plan.name }],
      Statistic: 'Maximum',
      Threshold: s.plan.objectives.rpoMinutes * 60,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
      Period: 900, // three publications: one missed run does not fire it
      EvaluationPeriods: 1,
      AlarmActions: [Match.anyValue()],
    });
  });

  test('alarms on failed backups, failed drills and failed failovers from the Step Functions outcomes', () => {
    const cases = [
      { template: s.backup, name: 'backup-failed', kind: 'backup' as const },
      { template: s.recovery, name: 'drill-failed', kind: 'drill' as const },
      { template: s.recovery, name: 'failover-failed', kind: 'failover' as const },
    ];
    for (const { template, name, kind } of cases) {
      const [alarm] = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: `lifeboat-${s.plan.name}-${name}` } }));
      expect(alarm, name).toBeDefined();
      expect(alarm.Properties.Threshold).toBe(1);
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
      const metrics = alarm.Properties.Metrics as { MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: { Value: unknown }[] } } }[];
      const names = metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : [])).sort();
      expect(names).toEqual(['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut']);
      for (const m of metrics) {
        if (!m.MetricStat) continue;
        expect(m.MetricStat.Metric.Namespace).toBe('AWS/States');
        expect(JSON.stringify(m.MetricStat.Metric.Dimensions)).toContain(`stateMachine:${stateMachineName(s.plan, kind)}`);
      }
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
    }
  });

  test('alarms when no drill succeeded within the plan period (at most CloudWatch 7-day range)', () => {
    const hours = Math.min(s.plan.drill.maxIntervalDays * 24, 168);
    s.recovery.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `lifeboat-${s.plan.name}-no-successful-drill`,
      Namespace: METRICS.namespace,
      MetricName: METRICS.recoverySucceeded,
      Dimensions: Match.arrayEquals([{ Name: 'Mode', Value: 'drill' }, { Name: 'Plan', Value: s.plan.name }]),
      Period: 3600,
      EvaluationPeriods: hours,
      DatapointsToAlarm: hours,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  test('sends recovery-region alarms to the plan topic when it has one, else to a new encrypted topic', () => {
    const given = s.plan.notifications.snsTopicArn;
    const alarms = Object.values(s.recovery.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBe(4);
    for (const alarm of alarms) {
      if (given !== undefined) expect(alarm.Properties.AlarmActions).toEqual([given]);
      else expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^AlarmTopic/) }]);
    }
    // The backup stack is in another region than the plan topic (the plan keeps it in the recovery region).
    s.backup.hasResourceProperties('AWS::SNS::Topic', { TopicName: `lifeboat-${s.plan.name}-alarms`, KmsMasterKeyId: Match.anyValue() });
    const emails = s.plan.notifications.emails ?? [];
    for (const template of [s.backup, s.recovery]) {
      const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription'));
      expect(subscriptions.map((x) => x.Properties.Endpoint).sort()).toEqual([...emails].sort());
    }
  });

  test('shows RPO and RTO against their objectives, and every outcome, on one dashboard in the recovery region', () => {
    const dashboards = Object.values(s.recovery.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    expect(s.backup.findResources('AWS::CloudWatch::Dashboard')).toEqual({});
    const body = JSON.stringify(dashboards[0].Properties.DashboardBody);
    for (const metric of [METRICS.recoveryPointAge, METRICS.achievedRecoveryPointAge, METRICS.backupSucceeded, METRICS.recoveryTime, METRICS.recoverySucceeded, 'ExecutionsFailed']) {
      expect(body).toContain(metric);
    }
    expect(body).toContain(`${s.plan.objectives.rpoMinutes * 60}`);
    expect(body).toContain(`${s.plan.objectives.rtoMinutes * 60}`);
    expect(body).toContain(s.plan.primaryRegion); // backup outcomes come from the primary region
  });

  test('grants no wildcard action in any policy of either stack', () => {
    for (const { template } of templates()) {
      for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
        for (const statement of policy.Properties.PolicyDocument.Statement as TemplateStatement[]) {
          for (const action of actionsOf(statement)) expect(action).not.toContain('*');
        }
      }
    }
  });

  test('gives every policy statement a unique, alphanumeric Sid where it has one (IAM rejects duplicates)', () => {
    for (const { template } of templates()) {
      for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
        const sids = (policy.Properties.PolicyDocument.Statement as TemplateStatement[]).flatMap((st) => (st.Sid ? [st.Sid] : []));
        expect(new Set(sids).size).toBe(sids.length);
        for (const sid of sids) expect(sid).toMatch(/^[A-Za-z0-9]+$/);
      }
    }
  });

  test('scopes every EC2 write of every task by a Lifeboat tag, the create action or a named resource', () => {
    const writes = /^ec2:(Create|Copy|Deregister|Delete|Run|Terminate)/;
    let checked = 0;
    for (const { template } of templates()) {
      for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
        for (const statement of policy.Properties.PolicyDocument.Statement as TemplateStatement[]) {
          if (!actionsOf(statement).some((a) => writes.test(a))) continue;
          checked += 1;
          const resources = JSON.stringify(statement.Resource);
          const keys = Object.values(statement.Condition ?? {}).flatMap((c) => Object.keys(c));
          const isScopedByCondition = keys.some(
            (k) => k.startsWith('aws:ResourceTag/') || k.startsWith('aws:RequestTag/') || k === 'ec2:CreateAction' || k === 'ec2:Subnet',
          );
          // RunInstances only *uses* groups and templates; a wildcard there creates or changes nothing.
          const isUseOnly =
            actionsOf(statement).every((a) => a === 'ec2:RunInstances') &&
            (resources.match(/[a-z-]+\/\*/g) ?? []).every((r) => r === 'security-group/*' || r === 'launch-template/*');
          const isNamed = !resources.includes('/*') || isUseOnly;
          expect({ statement: statement.Sid, scoped: isScopedByCondition || isNamed }).toEqual({ statement: statement.Sid, scoped: true });
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  test('lets teardown terminate only drill instances of this plan', () => {
    const statements = roleStatements(s.recovery, 'TeardownRole');
    const terminate = statements.filter((st) => actionsOf(st).includes('ec2:TerminateInstances'));
    expect(terminate).toHaveLength(1);
    expect(terminate[0].Condition).toEqual({
      StringEquals: { [`aws:ResourceTag/${TAG_KEYS.plan}`]: s.plan.name, [`aws:ResourceTag/${TAG_KEYS.role}`]: 'drill-instance' },
    });
  });

  test('runs a collector in each region every 6 hours with {}, whose role reads only the plan executions and deletes only what carries the plan tag', () => {
    for (const { template, region } of templates()) {
      const machine = Object.entries(template.findResources('AWS::StepFunctions::StateMachine')).find(
        ([, m]) => m.Properties.StateMachineName === stateMachineName(s.plan, 'collect'),
      );
      expect(machine).toBeDefined();
      const [machineId, { Properties }] = machine!;
      expect(JSON.parse(Properties.DefinitionString as string).StartAt).toBe('Start collection');
      const schedule = Object.values(template.findResources('AWS::Scheduler::Schedule')).find((sc) => JSON.stringify(sc.Properties.Target.Arn) === JSON.stringify({ Ref: machineId }));
      expect(schedule?.Properties).toMatchObject({ ScheduleExpression: 'rate(6 hours)', Target: { Input: '{}' } });
      const statements = roleStatements(template, 'CollectRole');
      const reads = statements.find((st) => actionsOf(st).includes('states:DescribeExecution'))!;
      expect(JSON.stringify(reads.Resource)).toContain(`:execution:lifeboat-${s.plan.name}-drill:*`);
      expect(JSON.stringify(reads.Resource)).not.toContain('stateMachine');
      for (const st of statements.filter((x) => actionsOf(x).some((a) => /^ec2:(Terminate|Deregister|Delete|CreateTags)/.test(a)))) {
        expect(JSON.stringify(st.Condition)).toContain(`"aws:ResourceTag/${TAG_KEYS.plan}":"${s.plan.name}"`);
        expect(JSON.stringify(st.Resource)).toContain(`:ec2:${region}:`);
      }
    }
  });

  test('lets only the metric tasks publish metrics, and only in the Lifeboat namespace', () => {
    for (const { template } of templates()) {
      for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
        for (const statement of policy.Properties.PolicyDocument.Statement as TemplateStatement[]) {
          if (!actionsOf(statement).includes('cloudwatch:PutMetricData')) continue;
          expect(statement.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': 'Lifeboat' } });
          const roles = (policy.Properties.Roles as { Ref: string }[]).map((r) => r.Ref);
          expect(roles.every((r) => r.startsWith('RecordMetrics') || r.startsWith('RecordFailure') || r.startsWith('Collect') || r.startsWith('CheckOverlap') || r.startsWith('PublishRpo'))).toBe(true);
        }
      }
    }
  });

  test('passes cdk-nag AwsSolutions with no unacknowledged error, and every acknowledgement has a reason', () => {
    for (const stack of [s.stacks.backup, s.stacks.recovery]) {
      const report = new AwsSolutionsChecks(stack).validateScope(stack);
      const errors = report.violations.filter((v) => v.severity === 'error');
      expect(errors.map((e) => `${e.ruleName} at ${e.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
      const acknowledgements = stack.node
        .findAll()
        .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
        .flatMap((m) => Object.entries(m.data as Record<string, string>));
      expect(acknowledgements.length).toBeGreaterThan(0);
      for (const [id, reason] of acknowledgements) {
        expect(id).toMatch(/AwsSolutions-IAM5\[Resource::/);
        expect(reason.length).toBeGreaterThan(20);
        expect(reason).not.toContain('\n');
      }
    }
  });
});

describe('infra: the health probe (docs/decisions/0011)', () => {
  let s: SynthesizedPlan;
  beforeAll(() => {
    s = synthesizePlan('examples/health-checks.plan.json');
  }, 240_000);

  test('is attached to the plan\'s probe subnets and security groups, and the other tasks to no VPC', () => {
    const functions = Object.values(s.recovery.findResources('AWS::Lambda::Function'));
    const probe = functions.filter((fn) => fn.Properties.FunctionName === `lifeboat-${s.plan.name}-probe-health`);
    expect(probe).toHaveLength(1);
    expect(probe[0]!.Properties.VpcConfig).toEqual({ SubnetIds: s.plan.healthProbe!.subnetIds, SecurityGroupIds: s.plan.healthProbe!.securityGroupIds });
    expect(functions.filter((fn) => fn.Properties.VpcConfig !== undefined)).toHaveLength(1);
    // the function is created after its role's policy (Lambda checks the ENI permissions on create)
    expect(probe[0]!.DependsOn?.some((d: string) => d.includes('ProbeHealthRoleDefaultPolicy'))).toBe(true);
  });

  test('may read instances and manage its network interfaces in the probe subnets only', () => {
    const policies = Object.values(s.recovery.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes('ManageProbeInterfaces'));
    expect(policies).toHaveLength(1);
    const statements = policies[0]!.Properties.PolicyDocument.Statement as { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> }[];
    const sids = statements.map((st) => st.Sid).filter((x) => x !== undefined);
    expect(sids).toEqual(expect.arrayContaining(['Describe', 'CreateProbeInterfaceInProbeNetwork', 'ManageProbeInterfaces']));
    const describe = statements.find((st) => st.Sid === 'Describe')!;
    expect(describe.Action).toEqual(['ec2:DescribeInstances', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets']);
    expect(JSON.stringify(describe.Condition)).toContain(s.plan.recoveryRegion);
    const manage = statements.find((st) => st.Sid === 'ManageProbeInterfaces')!;
    expect(JSON.stringify(manage.Condition)).toContain('subnet/subnet-0c1d2e3f4a5b60001');
    expect(JSON.stringify(statements)).not.toMatch(/ec2:(RunInstances|TerminateInstances|CreateTags)/);
  });

  test('is not created for a plan without health checks', () => {
    const plain = synthesizePlan('examples/small.plan.json');
    const names = Object.values(plain.recovery.findResources('AWS::Lambda::Function')).map((fn) => fn.Properties.FunctionName);
    expect(names).not.toContain(`lifeboat-${plain.plan.name}-probe-health`);
  });
});
