/**
 * Deploys a plan's schedules and alarms to the sandbox, from the same definitions the CDK app
 * builds its EventBridge schedules and CloudWatch alarms from (workflows/schedules.ts,
 * workflows/alarms.ts), so a sandbox runs backups and drills on the plan's schedule and raises the
 * plan's alarms, published to an SNS topic per region as the stacks do (infra/constructs/alarm-topic.ts).
 */
import { CloudWatchClient, PutMetricAlarmCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateScheduleCommand, GetScheduleCommand, ResourceNotFoundException, SchedulerClient, UpdateScheduleCommand, type CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import type { Plan } from '../../schemas/plan.js';
import { isMathMetric, planAlarms, type AlarmDefinition } from '../../workflows/alarms.js';
import { planSchedules, scheduleTargetMachine } from '../../workflows/schedules.js';
import { OperationError } from '../errors.js';
import { LOCAL_ACCOUNT_ID, LOCAL_ROLE_ARN } from './deploy.js';

/** Where the plan's schedules, alarms and alarm topics went. */
export interface DeployedOperations {
  /** Schedule ARNs, by schedule id (`backup`, `drill`, …). */
  readonly schedules: Readonly<Record<string, string>>;
  /** Alarm names, by alarm id (`rpo-breached`, `no-successful-drill`, …). */
  readonly alarms: Readonly<Record<string, string>>;
  /** The SNS topic alarms publish to, by region. */
  readonly topics: Readonly<Record<string, string>>;
}

/** How to reach the sandbox. */
export interface SandboxConnection {
  readonly endpoint: string;
  readonly credentials: NonNullable<ConstructorParameters<typeof SchedulerClient>[0]>['credentials'];
}

/** The sandbox's ARN of one of the plan's state machines. */
export function localStateMachineArn(name: string, region: string): string {
  return `arn:aws:states:${region}:${LOCAL_ACCOUNT_ID}:stateMachine:${name}`;
}

/**
 * Creates, or updates in place, the plan's schedules (ENABLED, as a deployment leaves them), its
 * alarm topics (subscribing the plan's e-mail addresses) and its alarms.
 */
export async function deployOperations(plan: Plan, connection: SandboxConnection): Promise<DeployedOperations> {
  const schedulers = new Map<string, SchedulerClient>();
  const watchers = new Map<string, CloudWatchClient>();
  const scheduler = (region: string) => schedulers.get(region) ?? schedulers.set(region, new SchedulerClient({ region, endpoint: connection.endpoint, credentials: connection.credentials, maxAttempts: 3 })).get(region)!;
  const cloudwatch = (region: string) => watchers.get(region) ?? watchers.set(region, new CloudWatchClient({ region, endpoint: connection.endpoint, credentials: connection.credentials, maxAttempts: 3 })).get(region)!;
  try {
    const schedules: Record<string, string> = {};
    for (const def of planSchedules(plan)) {
      const client = scheduler(def.region);
      const input: CreateScheduleCommandInput = {
        Name: def.name,
        Description: def.description,
        ScheduleExpression: def.expression,
        ScheduleExpressionTimezone: def.timezone,
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: {
          Arn: localStateMachineArn(scheduleTargetMachine(plan, def), def.region),
          RoleArn: LOCAL_ROLE_ARN,
          Input: JSON.stringify(def.input),
          RetryPolicy: { MaximumEventAgeInSeconds: def.maxEventAgeSeconds, MaximumRetryAttempts: def.retryAttempts },
        },
      };
      const existing = await client.send(new GetScheduleCommand({ Name: def.name })).catch((err: unknown) => {
        if (err instanceof ResourceNotFoundException) return undefined;
        throw err;
      });
      // Every --local command deploys: a rate schedule starts one interval after it is created or
      // changed, not at once (on AWS, a schedule without StartDate fires when created).
      const everyMs = rateMs(def.expression);
      const startDate = async () => (everyMs !== undefined ? { StartDate: new Date((await sandboxNow(connection.endpoint)) + everyMs) } : {});
      if (existing === undefined) {
        schedules[def.id] = (await client.send(new CreateScheduleCommand({ ...input, ...(await startDate()) }))).ScheduleArn!;
      } else if (
        // Unchanged definitions are left alone (as CloudFormation leaves an unchanged resource):
        // redeploying keeps the rate's rhythm and a state an operator set.
        existing.ScheduleExpression !== input.ScheduleExpression ||
        existing.ScheduleExpressionTimezone !== input.ScheduleExpressionTimezone ||
        existing.Target?.Arn !== input.Target!.Arn ||
        existing.Target?.Input !== input.Target!.Input
      ) {
        schedules[def.id] = (await client.send(new UpdateScheduleCommand({ ...input, ...(await startDate()) }))).ScheduleArn!;
      } else {
        schedules[def.id] = existing.Arn!;
      }
    }
    const defs = planAlarms(plan, { stateMachineArn: localStateMachineArn });
    const topics: Record<string, string> = {};
    for (const region of new Set(defs.map((d) => d.region))) topics[region] = await alarmTopic(plan, region, connection);
    const alarms: Record<string, string> = {};
    for (const def of defs) {
      await cloudwatch(def.region).send(new PutMetricAlarmCommand(alarmInput(def, topics[def.region]!)));
      alarms[def.id] = def.name;
    }
    return { schedules, alarms, topics };
  } finally {
    for (const c of [...schedulers.values(), ...watchers.values()]) c.destroy();
  }
}

/** PutMetricAlarm's input for a definition, its ALARM and OK actions publishing to `topicArn`. */
export function alarmInput(def: AlarmDefinition, topicArn: string) {
  const common = {
    AlarmName: def.name,
    AlarmDescription: def.description,
    ActionsEnabled: true,
    AlarmActions: [topicArn],
    OKActions: [topicArn],
    EvaluationPeriods: def.evaluationPeriods,
    DatapointsToAlarm: def.datapointsToAlarm,
    Threshold: def.threshold,
    ComparisonOperator: def.comparisonOperator,
    TreatMissingData: def.treatMissingData,
  };
  const m = def.metric;
  if (!isMathMetric(m)) {
    return { ...common, Namespace: m.namespace, MetricName: m.metricName, Dimensions: dimensions(m.dimensions), Statistic: m.statistic, Period: def.periodSeconds };
  }
  const metrics: MetricDataQuery[] = Object.entries(m.metrics).map(([id, u]) => ({
    Id: id,
    Label: u.label,
    ReturnData: false,
    MetricStat: { Metric: { Namespace: u.namespace, MetricName: u.metricName, Dimensions: dimensions(u.dimensions) }, Period: def.periodSeconds, Stat: u.statistic },
  }));
  return { ...common, Metrics: [...metrics, { Id: 'expr_1', Label: m.label, Expression: m.expression, ReturnData: true }] };
}

/** The interval of a `rate(...)` expression in ms, or undefined for other expressions. */
function rateMs(expression: string): number | undefined {
  const m = /^rate\((\d+)\s+(minute|hour|day)s?\)$/.exec(expression);
  if (!m) return undefined;
  return Number(m[1]) * { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[m[2] as 'minute' | 'hour' | 'day'];
}

/** The sandbox's simulated time (its clock admin action), so dates agree with a virtual clock. */
async function sandboxNow(endpoint: string): Promise<number> {
  const notASandbox = (found: string) =>
    new OperationError(`deploy to the sandbox › read its clock (POST ${endpoint}/_sandbox/clock): expected 200 with {"nowMs": …}, found ${found}`, {
      hint: `is ${endpoint} a Lifeboat sandbox? start one with 'lifeboat sandbox', or drop --endpoint to use the embedded one`,
    });
  let res: Response;
  try {
    res = await fetch(`${endpoint}/_sandbox/clock`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw notASandbox(`no answer (${error instanceof Error ? error.message : String(error)})`);
  }
  const text = await res.text();
  let nowMs: unknown;
  try {
    nowMs = (JSON.parse(text) as { nowMs?: unknown }).nowMs;
  } catch {
    nowMs = undefined;
  }
  if (!res.ok || typeof nowMs !== 'number') throw notASandbox(`${res.status} ${text.slice(0, 120) || '(empty body)'}`);
  return nowMs;
}

function dimensions(map: Readonly<Record<string, string>>) {
  return Object.entries(map).map(([Name, Value]) => ({ Name, Value }));
}

/**
 * The topic the plan's alarms in `region` publish to: the plan's own topic when it is in that
 * region (created in the sandbox under its name, in the sandbox's account), otherwise
 * `lifeboat-<plan>-alarms`, as infra/constructs/alarm-topic.ts decides. The plan's e-mail
 * addresses are subscribed to it.
 */
async function alarmTopic(plan: Plan, region: string, connection: SandboxConnection): Promise<string> {
  const given = plan.notifications.snsTopicArn;
  const name = given !== undefined && given.split(':')[3] === region ? given.split(':')[5]! : `lifeboat-${plan.name}-alarms`;
  const sns = new SNSClient({ region, endpoint: connection.endpoint, credentials: connection.credentials, maxAttempts: 3 });
  const step = (what: string) => `deploy to the sandbox › SNS ${what} in ${region}`;
  try {
    let arn: string | undefined;
    try {
      arn = (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn;
    } catch (error) {
      throw snsFailure(step(`CreateTopic ${JSON.stringify(name)}`), error);
    }
    if (!arn) throw new OperationError(`${step(`CreateTopic ${JSON.stringify(name)}`)}: expected a TopicArn in the answer, found none`, { hint: 'is the endpoint a Lifeboat sandbox? restart it with \'lifeboat sandbox\'' });
    for (const email of plan.notifications.emails ?? []) {
      try {
        await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'email', Endpoint: email }));
      } catch (error) {
        throw snsFailure(step(`Subscribe ${email} to ${arn}`), error);
      }
    }
    return arn;
  } finally {
    sns.destroy();
  }
}

/** An SNS call the sandbox refused, as an operator error naming the call and what SNS said. */
function snsFailure(step: string, error: unknown): OperationError {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const found = e.$metadata?.httpStatusCode !== undefined ? `${e.$metadata.httpStatusCode} ${e.name}: ${e.message}` : `no answer (${e.message ?? String(error)})`;
  return new OperationError(`${step}: expected success, found ${found}`, {
    hint: "check the plan's notifications (snsTopicArn, emails) with 'lifeboat plan check'; if they are valid, the sandbox refused the call: restart it",
    cause: error,
  });
}
