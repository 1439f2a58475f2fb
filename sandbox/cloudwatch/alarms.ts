/**
 * CloudWatch metric alarms, evaluated on the sandbox clock: PutMetricAlarm, DescribeAlarms,
 * DeleteAlarms, DescribeAlarmHistory and SetAlarmState.
 *
 * How an alarm is evaluated (AWS: "Evaluating an alarm" and "Configuring how CloudWatch alarms
 * treat missing data", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation
 * and …/alarms-and-missing-data.html):
 * - periods are aligned to multiples of `Period` since the epoch; an evaluation looks at the last
 *   `EvaluationPeriods` (N) complete periods, each reduced to one value by the statistic (or the
 *   metric-math expression whose `ReturnData` is true);
 * - a value breaches when it compares to `Threshold` as `ComparisonOperator` says;
 * - missing periods follow `TreatMissingData`: `breaching` / `notBreaching` fill them in,
 *   `missing` (the default) and `ignore` leave them out; with every period missing, `missing`
 *   goes to INSUFFICIENT_DATA and `ignore` keeps the current state;
 * - ALARM when at least `DatapointsToAlarm` (M, default N) of the N values breach, otherwise OK.
 * Evaluations run at every period boundary, one minute after a PutMetricData for the alarm's
 * metric, and when the alarm is created or updated. A state change is recorded in the history
 * and runs the state's actions (SNS topic ARNs, through the notifier the sandbox wires).
 */
import type { Clock, TimerHandle } from '../clock.js';
import { CloudWatchError } from './errors.js';
import { metricKey, statistic, type Datum, type MetricId, type MetricStore } from './store.js';

/** Publishes an alarm notification to an action ARN (an SNS topic); throws when it cannot. */
export type AlarmNotifier = (action: { readonly arn: string; readonly region: string; readonly subject: string; readonly message: string }) => void;

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

const OPERATORS = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'] as const;
type Operator = (typeof OPERATORS)[number];
const TREATMENTS = ['breaching', 'notBreaching', 'ignore', 'missing'] as const;
type Treatment = (typeof TREATMENTS)[number];
const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];
const STATES: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
const OPERATOR_TEXT: Record<Operator, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};
const HISTORY_KEPT = 100;

/** One query of a metric-math alarm (`Metrics`). */
interface AlarmQuery {
  Id: string;
  Expression?: string;
  MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: string }[] }; Period: number; Stat: string; Unit?: string };
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
}

/** An alarm as stored (times epoch ms). */
export interface StoredAlarm {
  region: string;
  name: string;
  arn: string;
  description?: string;
  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  namespace?: string;
  metricName?: string;
  dimensions: { name: string; value: string }[];
  statistic?: string;
  extendedStatistic?: string;
  unit?: string;
  metrics?: AlarmQuery[];
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparisonOperator: Operator;
  treatMissingData: Treatment;
  configurationUpdated: number;
  state: AlarmState;
  stateReason: string;
  stateReasonData?: string;
  stateUpdated: number;
  stateTransitioned: number;
  history: HistoryItem[];
}

interface HistoryItem {
  timestamp: number;
  type: 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
  summary: string;
  data: string;
}

const invalid = (message: string) => new CloudWatchError('InvalidParameterValue', message);
const missing = (param: string) => new CloudWatchError('MissingParameter', `The parameter ${param} is required.`);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown, param: string, max: number): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw invalid(`The parameter ${param} must be a list of strings.`);
  if (v.length > max) throw invalid(`The collection ${param} must not have a size greater than ${max}.`);
  return v as string[];
}

const seconds = (ms: number) => ms / 1000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Options of {@link AlarmEngine}. */
export interface AlarmEngineOptions {
  readonly clock: Clock;
  readonly accountId: string;
  readonly storeOf: (region: string) => MetricStore;
  readonly notify?: AlarmNotifier;
  readonly onChange: () => void;
}

/** The alarms of every region and their evaluation timers. */
export class AlarmEngine {
  private readonly alarms = new Map<string, StoredAlarm>();
  private readonly timers = new Map<string, TimerHandle>();
  private readonly soon = new Map<string, TimerHandle>();
  private readonly keysOf = new WeakMap<StoredAlarm, readonly string[]>();
  private disposed = false;

  constructor(private readonly options: AlarmEngineOptions) {}

  // ---- operations ------------------------------------------------------------------------------

  /** @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html */
  putMetricAlarm(region: string, body: Record<string, unknown>): unknown {
    const name = body.AlarmName;
    if (typeof name !== 'string' || name === '') throw missing('AlarmName');
    if (name.length > 255) throw invalid(`The value ${name} for parameter AlarmName is invalid: at most 255 characters.`);
    const description = body.AlarmDescription === undefined ? undefined : String(body.AlarmDescription);
    if (description !== undefined && description.length > 1024) throw invalid('The parameter AlarmDescription must be at most 1024 characters long.');
    const period = body.Period;
    const evaluationPeriods = body.EvaluationPeriods;
    if (evaluationPeriods === undefined) throw missing('EvaluationPeriods');
    if (typeof evaluationPeriods !== 'number' || !Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) throw invalid(`The value ${String(evaluationPeriods)} for parameter EvaluationPeriods is invalid: expected an integer of at least 1.`);
    const datapointsToAlarm = body.DatapointsToAlarm ?? evaluationPeriods;
    if (typeof datapointsToAlarm !== 'number' || !Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1) throw invalid(`The value ${String(datapointsToAlarm)} for parameter DatapointsToAlarm is invalid: expected an integer of at least 1.`);
    if (datapointsToAlarm > evaluationPeriods) throw new CloudWatchError('ValidationError', `DatapointsToAlarm (${datapointsToAlarm}) must be less than or equal to EvaluationPeriods (${evaluationPeriods}).`);
    const comparison = body.ComparisonOperator;
    if (comparison === undefined) throw missing('ComparisonOperator');
    if (!OPERATORS.includes(comparison as Operator)) throw invalid(`The value ${String(comparison)} for parameter ComparisonOperator is invalid: the sandbox evaluates ${OPERATORS.join(', ')} (anomaly-detection bands are not supported).`);
    const threshold = body.Threshold;
    if (threshold === undefined) throw new CloudWatchError('ValidationError', 'Threshold is required for a static-threshold alarm.');
    if (typeof threshold !== 'number' || !Number.isFinite(threshold)) throw invalid(`The value ${String(threshold)} for parameter Threshold is invalid.`);
    const treatment = body.TreatMissingData ?? 'missing';
    if (!TREATMENTS.includes(treatment as Treatment)) throw invalid(`The value ${String(treatment)} for parameter TreatMissingData is invalid: expected one of ${TREATMENTS.join(', ')}.`);
    const actionsEnabled = body.ActionsEnabled === undefined ? true : body.ActionsEnabled;
    if (typeof actionsEnabled !== 'boolean') throw invalid(`The value ${String(actionsEnabled)} for parameter ActionsEnabled is invalid.`);
    const okActions = stringList(body.OKActions, 'OKActions', 5);
    const alarmActions = stringList(body.AlarmActions, 'AlarmActions', 5);
    const insufficientDataActions = stringList(body.InsufficientDataActions, 'InsufficientDataActions', 5);
    for (const a of [...okActions, ...alarmActions, ...insufficientDataActions]) {
      if (!/^arn:aws[a-z-]*:[a-z0-9-]+:/.test(a)) throw invalid(`The value ${a} for parameter AlarmActions is invalid: expected an ARN.`);
    }

    let single: Pick<StoredAlarm, 'namespace' | 'metricName' | 'dimensions' | 'statistic' | 'extendedStatistic' | 'unit'> = { dimensions: [] };
    let metrics: AlarmQuery[] | undefined;
    let alarmPeriod: number;
    if (body.Metrics !== undefined) {
      for (const k of ['MetricName', 'Namespace', 'Statistic', 'ExtendedStatistic', 'Dimensions', 'Period', 'Unit']) {
        if (body[k] !== undefined) throw new CloudWatchError('ValidationError', `${k} must not be specified when Metrics is specified.`);
      }
      metrics = readMetrics(body.Metrics);
      alarmPeriod = metrics.find((q) => q.MetricStat)?.MetricStat?.Period ?? metrics.find((q) => q.Period)?.Period ?? 60;
    } else {
      if (typeof body.Namespace !== 'string' || body.Namespace === '') throw missing('Namespace');
      if (typeof body.MetricName !== 'string' || body.MetricName === '') throw missing('MetricName');
      if ((body.Statistic === undefined) === (body.ExtendedStatistic === undefined)) {
        throw new CloudWatchError('InvalidParameterCombination', 'Exactly one of Statistic and ExtendedStatistic must be specified.');
      }
      if (body.Statistic !== undefined && !STATISTICS.includes(String(body.Statistic))) throw invalid(`The value ${String(body.Statistic)} for parameter Statistic is invalid.`);
      if (body.ExtendedStatistic !== undefined && !/^p(\d{1,2}(\.\d{1,2})?|100)$/.test(String(body.ExtendedStatistic))) throw invalid(`The value ${String(body.ExtendedStatistic)} for parameter ExtendedStatistic is invalid.`);
      if (period === undefined) throw missing('Period');
      single = {
        namespace: body.Namespace,
        metricName: body.MetricName,
        dimensions: readDimensions(body.Dimensions),
        statistic: body.Statistic as string | undefined,
        extendedStatistic: body.ExtendedStatistic as string | undefined,
        unit: body.Unit === undefined ? undefined : String(body.Unit),
      };
      alarmPeriod = period as number;
    }
    checkPeriod(alarmPeriod, 'Period');
    // The evaluation range is capped: 7 days for periods of an hour or more, 1 day below.
    const range = alarmPeriod * evaluationPeriods;
    const cap = alarmPeriod >= 3600 ? 7 * 86400 : 86400;
    if (range > cap) throw new CloudWatchError('ValidationError', `Period (${alarmPeriod}) multiplied by EvaluationPeriods (${evaluationPeriods}) must be at most ${cap} seconds (${cap / 86400} day${cap > 86400 ? 's' : ''}).`);

    const now = this.options.clock.now();
    const key = `${region}/${name}`;
    const existing = this.alarms.get(key);
    const alarm: StoredAlarm = {
      region, name, arn: `arn:aws:cloudwatch:${region}:${this.options.accountId}:alarm:${name}`,
      ...(description !== undefined ? { description } : {}),
      actionsEnabled, okActions, alarmActions, insufficientDataActions,
      ...single, ...(metrics ? { metrics } : {}),
      period: alarmPeriod, evaluationPeriods, datapointsToAlarm, threshold, comparisonOperator: comparison as Operator, treatMissingData: treatment as Treatment,
      configurationUpdated: now,
      // An update keeps the alarm's state; a new alarm starts without data.
      state: existing?.state ?? 'INSUFFICIENT_DATA',
      stateReason: existing?.stateReason ?? 'Unchecked: Initial alarm creation',
      ...(existing?.stateReasonData ? { stateReasonData: existing.stateReasonData } : {}),
      stateUpdated: existing?.stateUpdated ?? now,
      stateTransitioned: existing?.stateTransitioned ?? now,
      history: existing?.history ?? [],
    };
    for (const k of Object.keys(alarm) as (keyof StoredAlarm)[]) if (alarm[k] === undefined) delete alarm[k];
    this.alarms.set(key, alarm);
    this.addHistory(alarm, 'ConfigurationUpdate', `Alarm "${name}" ${existing ? 'updated' : 'created'}`, now, { type: existing ? 'Update' : 'Create', version: '1.0' });
    this.evaluate(alarm);
    this.arm(alarm);
    this.options.onChange();
    return {};
  }

  describeAlarms(region: string, body: Record<string, unknown>): unknown {
    const names = stringList(body.AlarmNames, 'AlarmNames', 100);
    const prefix = body.AlarmNamePrefix;
    if (names.length > 0 && prefix !== undefined) throw new CloudWatchError('InvalidParameterCombination', 'AlarmNames and AlarmNamePrefix cannot be specified together.');
    const stateValue = body.StateValue;
    if (stateValue !== undefined && !STATES.includes(stateValue as AlarmState)) throw invalid(`The value ${String(stateValue)} for parameter StateValue is invalid.`);
    const actionPrefix = body.ActionPrefix;
    const max = body.MaxRecords ?? 50;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 100) throw invalid(`The value ${String(body.MaxRecords)} for parameter MaxRecords is invalid: expected 1 to 100.`);
    const types = stringList(body.AlarmTypes, 'AlarmTypes', 2);
    const wantMetric = types.length === 0 || types.includes('MetricAlarm');
    const all = [...this.alarms.values()]
      .filter((a) => a.region === region && wantMetric)
      .filter((a) => (names.length === 0 || names.includes(a.name)) && (typeof prefix !== 'string' || a.name.startsWith(prefix)))
      .filter((a) => stateValue === undefined || a.state === stateValue)
      .filter((a) => typeof actionPrefix !== 'string' || [...a.alarmActions, ...a.okActions, ...a.insufficientDataActions].some((x) => x.startsWith(actionPrefix)))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const offset = readToken(body.NextToken);
    const page = all.slice(offset, offset + max);
    return {
      MetricAlarms: page.map((a) => this.view(a)),
      CompositeAlarms: [],
      ...(offset + max < all.length ? { NextToken: Buffer.from(String(offset + max)).toString('base64url') } : {}),
    };
  }

  deleteAlarms(region: string, body: Record<string, unknown>): unknown {
    const names = stringList(body.AlarmNames, 'AlarmNames', 100);
    if (body.AlarmNames === undefined) throw missing('AlarmNames');
    // All or nothing: one unknown name deletes none.
    const unknown = names.filter((n) => !this.alarms.has(`${region}/${n}`));
    if (unknown.length > 0) throw new CloudWatchError('ResourceNotFound', `${unknown.length === 1 ? 'Alarm' : 'Alarms'} ${unknown.join(', ')} not found`);
    for (const n of names) this.remove(`${region}/${n}`);
    this.options.onChange();
    return {};
  }

  describeAlarmHistory(region: string, body: Record<string, unknown>): unknown {
    const name = body.AlarmName;
    const type = body.HistoryItemType;
    if (type !== undefined && !['ConfigurationUpdate', 'StateUpdate', 'Action'].includes(String(type))) throw invalid(`The value ${String(type)} for parameter HistoryItemType is invalid.`);
    const start = body.StartDate === undefined ? -Infinity : readTime(body.StartDate, 'StartDate');
    const end = body.EndDate === undefined ? Infinity : readTime(body.EndDate, 'EndDate');
    const max = body.MaxRecords ?? 100;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 100) throw invalid(`The value ${String(body.MaxRecords)} for parameter MaxRecords is invalid: expected 1 to 100.`);
    const ascending = body.ScanBy === 'TimestampAscending';
    const items = [...this.alarms.values()]
      .filter((a) => a.region === region && (name === undefined || a.name === name))
      .flatMap((a) => a.history.map((h) => ({ a, h })))
      .filter(({ h }) => (type === undefined || h.type === type) && h.timestamp >= start && h.timestamp < end)
      .sort((x, y) => (ascending ? x.h.timestamp - y.h.timestamp : y.h.timestamp - x.h.timestamp));
    const offset = readToken(body.NextToken);
    return {
      AlarmHistoryItems: items.slice(offset, offset + max).map(({ a, h }) => ({
        AlarmName: a.name, AlarmType: 'MetricAlarm', Timestamp: seconds(h.timestamp), HistoryItemType: h.type, HistorySummary: h.summary, HistoryData: h.data,
      })),
      ...(offset + max < items.length ? { NextToken: Buffer.from(String(offset + max)).toString('base64url') } : {}),
    };
  }

  /** @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html */
  setAlarmState(region: string, body: Record<string, unknown>): unknown {
    const name = body.AlarmName;
    if (typeof name !== 'string' || name === '') throw missing('AlarmName');
    const state = body.StateValue;
    if (state === undefined) throw missing('StateValue');
    if (!STATES.includes(state as AlarmState)) throw invalid(`The value ${String(state)} for parameter StateValue is invalid.`);
    const reason = body.StateReason;
    if (typeof reason !== 'string') throw missing('StateReason');
    if (reason.length > 1023) throw invalid('The parameter StateReason must be at most 1023 characters long.');
    const data = body.StateReasonData;
    if (data !== undefined) {
      try {
        JSON.parse(String(data));
      } catch {
        throw new CloudWatchError('InvalidFormat', 'StateReasonData is not valid JSON.');
      }
    }
    const alarm = this.alarms.get(`${region}/${name}`);
    if (!alarm) throw new CloudWatchError('ResourceNotFound', `Alarm ${name} not found`);
    // The next evaluation sets the state from the data again.
    this.transition(alarm, state as AlarmState, reason, data === undefined ? undefined : String(data));
    this.options.onChange();
    return {};
  }

  // ---- evaluation ------------------------------------------------------------------------------

  /** Called after PutMetricData: alarms on these metrics are evaluated one minute later. */
  metricsChanged(region: string, ids: readonly MetricId[]): void {
    if (this.alarms.size === 0) return;
    const keys = new Set(ids.map((m) => metricKey(m)));
    for (const alarm of this.alarms.values()) {
      if (alarm.region !== region) continue;
      if (!this.metricKeysOf(alarm).some((k) => keys.has(k))) continue;
      const key = `${alarm.region}/${alarm.name}`;
      if (this.soon.has(key) || this.disposed) continue;
      this.soon.set(key, this.options.clock.setTimer(this.options.clock.now() + 60_000, () => {
        this.soon.delete(key);
        const a = this.alarms.get(key);
        if (a) {
          this.evaluate(a);
          this.options.onChange();
        }
      }, { passive: true }));
    }
  }

  /** The keys of the metrics an alarm reads, worked out once per alarm (an update stores a new alarm object). */
  private metricKeysOf(alarm: StoredAlarm): readonly string[] {
    let keys = this.keysOf.get(alarm);
    if (!keys) this.keysOf.set(alarm, (keys = this.metricsOf(alarm).map((m) => metricKey(m))));
    return keys;
  }

  private metricsOf(alarm: StoredAlarm): MetricId[] {
    if (alarm.metrics) {
      return alarm.metrics.flatMap((q) => (q.MetricStat ? [{ namespace: q.MetricStat.Metric.Namespace, metricName: q.MetricStat.Metric.MetricName, dimensions: (q.MetricStat.Metric.Dimensions ?? []).map((d) => ({ name: d.Name, value: d.Value })) }] : []));
    }
    return [{ namespace: alarm.namespace!, metricName: alarm.metricName!, dimensions: alarm.dimensions }];
  }

  /** The next evaluation: at the next boundary of the alarm's period (passive: it never moves the clock). */
  private arm(alarm: StoredAlarm): void {
    const key = `${alarm.region}/${alarm.name}`;
    const old = this.timers.get(key);
    if (old) this.options.clock.clearTimer(old);
    if (this.disposed) return;
    const periodMs = alarm.period * 1000;
    const next = (Math.floor(this.options.clock.now() / periodMs) + 1) * periodMs;
    this.timers.set(key, this.options.clock.setTimer(next, () => {
      this.timers.delete(key);
      const a = this.alarms.get(key);
      if (!a) return;
      // Evaluated as of the boundary itself, however late wall time let the timer run.
      this.evaluate(a, next);
      this.arm(a);
      this.options.onChange();
    }, { passive: true }));
  }

  /** The value of each of the last N complete periods, oldest first (undefined: missing). */
  private values(alarm: StoredAlarm, now: number): { start: number; values: (number | undefined)[] } {
    const periodMs = alarm.period * 1000;
    const end = Math.floor(now / periodMs) * periodMs;
    const start = end - alarm.evaluationPeriods * periodMs;
    const store = this.options.storeOf(alarm.region);
    const series = (id: MetricId, stat: string, unit: string | undefined, p: number): (number | undefined)[] => {
      const data = store.between(id, start, end).filter((d) => unit === undefined || d.unit === unit);
      const buckets: Datum[][] = Array.from({ length: alarm.evaluationPeriods }, () => []);
      for (const d of data) buckets[Math.floor((d.timestamp - start) / (p * 1000))]?.push(d);
      return buckets.map((b) => statistic(b, stat));
    };
    if (!alarm.metrics) {
      return { start, values: series({ namespace: alarm.namespace!, metricName: alarm.metricName!, dimensions: alarm.dimensions }, alarm.statistic ?? alarm.extendedStatistic!, alarm.unit, alarm.period) };
    }
    const env = new Map<string, (number | undefined)[]>();
    for (const q of alarm.metrics) {
      if (q.MetricStat) {
        const m = q.MetricStat.Metric;
        env.set(q.Id, series({ namespace: m.Namespace, metricName: m.MetricName, dimensions: (m.Dimensions ?? []).map((d) => ({ name: d.Name, value: d.Value })) }, q.MetricStat.Stat, q.MetricStat.Unit, alarm.period));
      }
    }
    for (const q of alarm.metrics) if (q.Expression !== undefined) env.set(q.Id, evaluateExpression(q.Expression, env, alarm.evaluationPeriods));
    const out = alarm.metrics.find((q) => q.ReturnData !== false) ?? alarm.metrics[alarm.metrics.length - 1]!;
    return { start, values: env.get(out.Id) ?? [] };
  }

  private evaluate(alarm: StoredAlarm, now = this.options.clock.now()): void {
    const { start, values } = this.values(alarm, now);
    const n = alarm.evaluationPeriods;
    const m = alarm.datapointsToAlarm;
    const t = alarm.treatMissingData;
    const breaches = (v: number): boolean => compare(v, alarm.comparisonOperator, alarm.threshold);
    const present = values.filter((v): v is number => v !== undefined);
    const missingCount = n - present.length;
    let breaching = present.filter(breaches).length;
    if (t === 'breaching') breaching += missingCount;
    const op = OPERATOR_TEXT[alarm.comparisonOperator];
    const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '').replace('T', ' ');
    const recent = values
      .map((v, i) => ({ v, at: start + i * alarm.period * 1000 }))
      .filter((x): x is { v: number; at: number } => x.v !== undefined)
      .reverse();
    let state: AlarmState;
    let reason: string;
    // With missing or ignore, missing periods decide nothing: when they could still swing the
    // outcome (fewer than M breaching, but M reachable were they breaching), ignore keeps the state.
    const isUndecided = (t === 'missing' || t === 'ignore') && breaching < m && present.length - breaching <= n - m;
    if (present.length === 0 && (t === 'missing' || t === 'ignore')) {
      if (t === 'ignore') return;
      state = 'INSUFFICIENT_DATA';
      reason = `Insufficient Data: ${n} datapoint${n === 1 ? ' was' : 's were'} unknown.`;
    } else if (isUndecided && t === 'ignore') {
      return;
    } else {
      state = breaching >= m ? 'ALARM' : 'OK';
      const shown = recent.slice(0, 5).map((x) => `${x.v} (${stamp(x.at)})`).join(', ');
      const counted = state === 'ALARM' ? breaching : n - breaching;
      const verb = state === 'ALARM' ? `was ${op}` : `was not ${op}`;
      if (present.length === 0) {
        reason = `Threshold Crossed: no datapoints were received for ${n} period${n === 1 ? '' : 's'} and ${missingCount} missing datapoint${missingCount === 1 ? ' was' : 's were'} treated as [${t === 'breaching' ? 'Breaching' : 'NonBreaching'}].`;
      } else {
        reason = `Threshold Crossed: ${counted} out of the last ${n} datapoint${n === 1 ? '' : 's'} ${verb} the threshold (${alarm.threshold})${shown ? `; most recent: [${shown}]` : ''}${missingCount > 0 && (t === 'breaching' || t === 'notBreaching') ? ` (${missingCount} missing datapoint${missingCount === 1 ? ' was' : 's were'} treated as [${t === 'breaching' ? 'Breaching' : 'NonBreaching'}])` : ''}.`;
      }
    }
    // Unchanged: nothing is recorded (the reason data is written only with a transition).
    if (state === alarm.state) return;
    const data = JSON.stringify({
      version: '1.0', queryDate: iso(now), startDate: iso(start), ...(alarm.statistic ? { statistic: alarm.statistic } : {}), period: alarm.period,
      recentDatapoints: recent.slice(0, 5).reverse().map((x) => x.v), threshold: alarm.threshold,
      evaluatedDatapoints: recent.slice(0, 5).map((x) => ({ timestamp: iso(x.at), value: x.v })),
    });
    this.transition(alarm, state, reason, data, now);
  }

  private transition(alarm: StoredAlarm, state: AlarmState, reason: string, data: string | undefined, now = this.options.clock.now()): void {
    const old = alarm.state;
    alarm.state = state;
    alarm.stateReason = reason;
    if (data !== undefined) alarm.stateReasonData = data;
    else delete alarm.stateReasonData;
    alarm.stateUpdated = now;
    if (old !== state) alarm.stateTransitioned = now;
    this.addHistory(alarm, 'StateUpdate', `Alarm updated from ${old} to ${state}`, now, {
      version: '1.0', oldState: { stateValue: old }, newState: { stateValue: state, stateReason: reason, ...(data ? { stateReasonData: JSON.parse(data) as unknown } : {}) },
    });
    if (!alarm.actionsEnabled) return;
    const actions = state === 'ALARM' ? alarm.alarmActions : state === 'OK' ? alarm.okActions : alarm.insufficientDataActions;
    for (const arn of actions) this.runAction(alarm, arn, old);
  }

  /** Publishes the notification AWS sends to an SNS topic action. */
  private runAction(alarm: StoredAlarm, arn: string, oldState: AlarmState): void {
    const message = JSON.stringify({
      AlarmName: alarm.name,
      AlarmDescription: alarm.description ?? null,
      AWSAccountId: this.options.accountId,
      AlarmConfigurationUpdatedTimestamp: iso(alarm.configurationUpdated).replace('Z', '+0000'),
      NewStateValue: alarm.state,
      NewStateReason: alarm.stateReason,
      StateChangeTime: iso(alarm.stateUpdated).replace('Z', '+0000'),
      Region: alarm.region,
      AlarmArn: alarm.arn,
      OldStateValue: oldState,
      OKActions: alarm.okActions,
      AlarmActions: alarm.alarmActions,
      InsufficientDataActions: alarm.insufficientDataActions,
      Trigger: alarm.metrics
        ? { Metrics: alarm.metrics, Period: alarm.period, EvaluationPeriods: alarm.evaluationPeriods, DatapointsToAlarm: alarm.datapointsToAlarm, ComparisonOperator: alarm.comparisonOperator, Threshold: alarm.threshold, TreatMissingData: alarm.treatMissingData, EvaluateLowSampleCountPercentile: '' }
        : {
            MetricName: alarm.metricName, Namespace: alarm.namespace, StatisticType: alarm.statistic ? 'Statistic' : 'ExtendedStatistic', Statistic: (alarm.statistic ?? alarm.extendedStatistic)!.toUpperCase(),
            Unit: alarm.unit ?? null, Dimensions: alarm.dimensions.map((d) => ({ value: d.value, name: d.name })), Period: alarm.period, EvaluationPeriods: alarm.evaluationPeriods,
            DatapointsToAlarm: alarm.datapointsToAlarm, ComparisonOperator: alarm.comparisonOperator, Threshold: alarm.threshold, TreatMissingData: alarm.treatMissingData, EvaluateLowSampleCountPercentile: '',
          },
    });
    const subject = `${alarm.state}: "${alarm.name}" in ${alarm.region}`.slice(0, 100);
    const isSns = /^arn:aws[a-z-]*:sns:/.test(arn);
    try {
      if (!isSns) throw new Error('the sandbox runs SNS topic actions only');
      if (!this.options.notify) throw new Error('no SNS service is wired to CloudWatch');
      this.options.notify({ arn, region: alarm.region, subject, message });
      this.addHistory(alarm, 'Action', `Successfully executed action ${arn}`, alarm.stateUpdated, { actionState: 'Succeeded', stateUpdateTimestamp: alarm.stateUpdated, notificationResource: arn, publishedMessage: { subject } });
    } catch (err) {
      this.addHistory(alarm, 'Action', `Failed to execute action ${arn}. Received error: "${(err as Error).message}"`, alarm.stateUpdated, { actionState: 'Failed', stateUpdateTimestamp: alarm.stateUpdated, notificationResource: arn, error: (err as Error).message });
    }
  }

  private addHistory(alarm: StoredAlarm, type: HistoryItem['type'], summary: string, at: number, data: unknown): void {
    alarm.history = [...alarm.history, { timestamp: at, type, summary, data: JSON.stringify(data) }].slice(-HISTORY_KEPT);
  }

  private remove(key: string): void {
    for (const map of [this.timers, this.soon]) {
      const t = map.get(key);
      if (t) this.options.clock.clearTimer(t);
      map.delete(key);
    }
    this.alarms.delete(key);
  }

  private view(a: StoredAlarm): Record<string, unknown> {
    return {
      AlarmName: a.name, AlarmArn: a.arn, AlarmDescription: a.description, AlarmConfigurationUpdatedTimestamp: seconds(a.configurationUpdated),
      ActionsEnabled: a.actionsEnabled, OKActions: a.okActions, AlarmActions: a.alarmActions, InsufficientDataActions: a.insufficientDataActions,
      StateValue: a.state, StateReason: a.stateReason, StateReasonData: a.stateReasonData, StateUpdatedTimestamp: seconds(a.stateUpdated),
      MetricName: a.metricName, Namespace: a.namespace, Statistic: a.statistic, ExtendedStatistic: a.extendedStatistic,
      Dimensions: a.metrics ? undefined : a.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
      Period: a.metrics ? undefined : a.period, Unit: a.unit, EvaluationPeriods: a.evaluationPeriods, DatapointsToAlarm: a.datapointsToAlarm,
      Threshold: a.threshold, ComparisonOperator: a.comparisonOperator, TreatMissingData: a.treatMissingData, Metrics: a.metrics,
      StateTransitionedTimestamp: seconds(a.stateTransitioned),
    };
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  /** Every alarm (for the admin `state` action and the snapshot). */
  all(): StoredAlarm[] {
    return [...this.alarms.values()];
  }

  reset(): void {
    for (const key of [...this.alarms.keys()]) this.remove(key);
  }

  /** Puts back alarms from a snapshot and re-arms their evaluations. */
  restore(alarms: unknown): void {
    this.reset();
    if (alarms === undefined) return;
    if (!Array.isArray(alarms)) throw new TypeError(`cloudwatch snapshot › alarms: expected an array, found ${JSON.stringify(alarms)?.slice(0, 100)}`);
    alarms.forEach((a: unknown, i) => {
      if (!isObject(a) || typeof a.region !== 'string' || typeof a.name !== 'string' || typeof a.period !== 'number' || !Array.isArray(a.history)) {
        throw new TypeError(`cloudwatch snapshot › alarms[${i}]: expected {region, name, period, history, …}, found ${JSON.stringify(a)?.slice(0, 100)}`);
      }
    });
    for (const a of alarms as StoredAlarm[]) {
      this.alarms.set(`${a.region}/${a.name}`, a);
      this.arm(a);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const map of [this.timers, this.soon]) {
      for (const t of map.values()) this.options.clock.clearTimer(t);
      map.clear();
    }
  }
}

export function compare(value: number, op: Operator, threshold: number): boolean {
  switch (op) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

function checkPeriod(period: unknown, param: string): void {
  if (typeof period !== 'number' || !Number.isInteger(period) || period <= 0 || (period % 60 !== 0 && ![10, 20, 30].includes(period))) {
    throw invalid(`The value ${String(period)} for parameter ${param} is invalid: expected 10, 20, 30 or a multiple of 60.`);
  }
}

function readDimensions(v: unknown): { name: string; value: string }[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw invalid('The parameter Dimensions must be a list.');
  if (v.length > 30) throw invalid('The collection Dimensions must not have a size greater than 30.');
  return v.map((d: unknown, i) => {
    if (!isObject(d) || typeof d.Name !== 'string' || d.Name === '') throw missing(`Dimensions.member.${i + 1}.Name`);
    if (typeof d.Value !== 'string' || d.Value === '') throw missing(`Dimensions.member.${i + 1}.Value`);
    return { name: d.Name, value: d.Value };
  });
}

function readMetrics(v: unknown): AlarmQuery[] {
  if (!Array.isArray(v) || v.length === 0) throw invalid('The parameter Metrics must be a non-empty list.');
  if (v.length > 10) throw invalid('The collection Metrics must not have a size greater than 10.');
  const ids = new Set<string>();
  const queries = v.map((q: unknown, i): AlarmQuery => {
    const p = `Metrics.member.${i + 1}`;
    if (!isObject(q) || typeof q.Id !== 'string' || q.Id === '') throw missing(`${p}.Id`);
    if (!/^[a-z][A-Za-z0-9_]*$/.test(q.Id)) throw new CloudWatchError('ValidationError', `The value ${q.Id} for parameter ${p}.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.`);
    if (ids.has(q.Id)) throw new CloudWatchError('ValidationError', `The value ${q.Id} for parameter ${p}.Id is not unique.`);
    ids.add(q.Id);
    if ((q.MetricStat === undefined) === (q.Expression === undefined)) throw new CloudWatchError('ValidationError', `Exactly one of ${p}.MetricStat and ${p}.Expression must be specified.`);
    if (q.MetricStat !== undefined) {
      const ms = q.MetricStat;
      if (!isObject(ms) || !isObject(ms.Metric) || typeof ms.Metric.Namespace !== 'string' || typeof ms.Metric.MetricName !== 'string') throw missing(`${p}.MetricStat.Metric`);
      checkPeriod(ms.Period, `${p}.MetricStat.Period`);
      if (typeof ms.Stat !== 'string' || !(STATISTICS.includes(ms.Stat) || /^p(\d{1,2}(\.\d{1,2})?|100)$/.test(ms.Stat))) throw invalid(`The value ${String(ms.Stat)} for parameter ${p}.MetricStat.Stat is invalid.`);
      readDimensions(ms.Metric.Dimensions);
    } else if (typeof q.Expression !== 'string' || q.Expression === '') throw invalid(`The value for parameter ${p}.Expression is invalid.`);
    return JSON.parse(JSON.stringify(q)) as AlarmQuery;
  });
  const periods = new Set(queries.flatMap((q) => (q.MetricStat ? [q.MetricStat.Period] : [])));
  if (periods.size > 1) throw new CloudWatchError('ValidationError', 'All metrics in an alarm must have the same period in the sandbox.');
  const returned = queries.filter((q) => q.ReturnData !== false);
  if (returned.length !== 1) throw new CloudWatchError('ValidationError', `Exactly one element of the Metrics list must return data (found ${returned.length}).`);
  // Parse every expression now, so a bad one fails PutMetricAlarm rather than every evaluation.
  const env = new Map<string, (number | undefined)[]>([...ids].map((id) => [id, [undefined]]));
  for (const q of queries) if (q.Expression !== undefined) evaluateExpression(q.Expression, env, 1);
  return queries;
}

function readToken(token: unknown): number {
  if (token === undefined) return 0;
  const n = Number(Buffer.from(String(token), 'base64url').toString('utf8'));
  if (!Number.isInteger(n) || n < 0) throw new CloudWatchError('InvalidNextToken', `The value ${String(token)} for parameter NextToken is invalid.`);
  return n;
}

function readTime(v: unknown, param: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v * 1000);
  if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return Date.parse(v);
  throw invalid(`The value ${JSON.stringify(v)} for parameter ${param} is invalid: expected epoch seconds.`);
}

/**
 * The metric-math subset alarms in the sandbox evaluate: numbers, query ids, `+ - * /`,
 * parentheses and `FILL(x, value)`. Series are aligned by period; an operation with a missing
 * operand is missing.
 *
 * @throws CloudWatchError `ValidationError` naming the unsupported part
 */
export function evaluateExpression(expression: string, env: ReadonlyMap<string, (number | undefined)[]>, length: number): (number | undefined)[] {
  const tokens = expression.match(/\s*([A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|[-+*/(),])/g)?.map((t) => t.trim()) ?? [];
  if (tokens.join('') !== expression.replace(/\s+/g, '')) throw new CloudWatchError('ValidationError', `Expression "${expression}": the sandbox evaluates numbers, metric ids, + - * /, parentheses and FILL(); found something else.`);
  let i = 0;
  type Series = (number | undefined)[];
  const constant = (v: number): Series => Array.from({ length }, () => v);
  const zip = (a: Series, b: Series, f: (x: number, y: number) => number): Series => a.map((x, k) => (x === undefined || b[k] === undefined ? undefined : f(x, b[k]!)));
  const fail = (what: string): never => {
    throw new CloudWatchError('ValidationError', `Expression "${expression}": ${what}.`);
  };
  const primary = (): Series => {
    const t = tokens[i++];
    if (t === undefined) return fail('it ends too early');
    if (t === '(') {
      const v = sum();
      if (tokens[i++] !== ')') fail('a ")" is missing');
      return v;
    }
    if (t === '-') return primary().map((x) => (x === undefined ? undefined : -x));
    if (/^\d/.test(t)) return constant(Number(t));
    if (t === 'FILL') {
      if (tokens[i++] !== '(') fail('FILL needs "("');
      const series = sum();
      if (tokens[i++] !== ',') fail('FILL needs two arguments');
      const fill = sum();
      if (tokens[i++] !== ')') fail('a ")" is missing after FILL');
      return series.map((x, k) => x ?? fill[k]);
    }
    if (/^[A-Z]/.test(t)) fail(`the function ${t} is not supported by the sandbox`);
    const s = env.get(t);
    if (!s) fail(`no metric has the id ${t}`);
    return s!.length === length ? s! : Array.from({ length }, (_, k) => s![k]);
  };
  const product = (): Series => {
    let v = primary();
    while (tokens[i] === '*' || tokens[i] === '/') {
      const op = tokens[i++];
      const r = primary();
      v = zip(v, r, op === '*' ? (x, y) => x * y : (x, y) => x / y);
    }
    return v;
  };
  const sum = (): Series => {
    let v = product();
    while (tokens[i] === '+' || tokens[i] === '-') {
      const op = tokens[i++];
      const r = product();
      v = zip(v, r, op === '+' ? (x, y) => x + y : (x, y) => x - y);
    }
    return v;
  };
  const out = sum();
  if (i !== tokens.length) fail(`unexpected ${JSON.stringify(tokens[i])}`);
  return out;
}
