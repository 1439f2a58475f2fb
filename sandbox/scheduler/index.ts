/**
 * EventBridge Scheduler (REST-JSON, signing name `scheduler`): schedules and schedule groups,
 * fired on the sandbox's clock. A schedule's target is handed to a {@link ScheduleTargetInvoker}
 * that whoever mounts the service wires up (the sandbox wires Step Functions' StartExecution), so
 * this folder knows no other service.
 *
 * @see https://docs.aws.amazon.com/scheduler/latest/APIReference/API_Operations.html
 */
import type { Clock, TimerHandle } from '../clock.js';
import type { SeededRandom } from '../random.js';
import type { SandboxService, ServiceRequest, ServiceResponse } from '../service.js';
import { ExpressionError, isTimeZone, nextOccurrence, parseExpression, type ScheduleExpression } from './expressions.js';

export { parseExpression, nextOccurrence } from './expressions.js';

/** One firing of a schedule, as handed to the target invoker. */
export interface ScheduleInvocation {
  readonly scheduleArn: string;
  /** The schedule's region. */
  readonly region: string;
  /** The target ARN (`arn:aws:states:…:stateMachine:…` for Step Functions). */
  readonly targetArn: string;
  readonly roleArn: string;
  /** `Target.Input` with the context attributes (`<aws.scheduler.scheduled-time>`, …) filled in. */
  readonly input?: string;
  /** When the occurrence was due (epoch ms). */
  readonly scheduledTimeMs: number;
  /** A fresh id per firing (`<aws.scheduler.execution-id>`). */
  readonly executionId: string;
}

/** What a target answered: a reference to what it started, or an AWS error name and message. */
export type InvocationOutcome = { readonly ok: true; readonly detail?: string } | { readonly ok: false; readonly error: string; readonly message: string };

/** Calls a schedule's target. Must not wait on the clock (see sandbox/README.md, "The clock"). */
export type ScheduleTargetInvoker = (invocation: ScheduleInvocation) => Promise<InvocationOutcome>;

/** Options of {@link createSchedulerService}. */
export interface SchedulerServiceOptions {
  readonly clock: Clock;
  readonly random: SeededRandom;
  readonly accountId: string;
  /** Calls targets; without one every firing is recorded as failed. */
  readonly invoke?: ScheduleTargetInvoker;
  /** Told (synchronously) after schedules, groups or their firings change. */
  readonly onChange?: () => void;
  /** Where failed invocations are reported. @default nowhere */
  readonly log?: (message: string) => void;
}

/** The version of {@link SchedulerSnapshot} this code writes and reads. */
export const SCHEDULER_SNAPSHOT_VERSION = 1;

/** Every group and schedule as plain JSON (times epoch ms). */
export interface SchedulerSnapshot {
  readonly version: typeof SCHEDULER_SNAPSHOT_VERSION;
  readonly takenAtMs: number;
  readonly groups: StoredGroup[];
  readonly schedules: StoredSchedule[];
}

interface StoredGroup {
  region: string;
  name: string;
  arn: string;
  creationDate: number;
  lastModificationDate: number;
}

/** One firing, kept for the admin `state` action (the last {@link KEPT_INVOCATIONS}). */
export interface InvocationRecord {
  readonly scheduledTime: string;
  readonly ok: boolean;
  readonly detail?: string;
  readonly error?: string;
  readonly message?: string;
}

interface StoredSchedule {
  region: string;
  name: string;
  groupName: string;
  arn: string;
  state: 'ENABLED' | 'DISABLED';
  expression: string;
  timezone: string;
  description?: string;
  startDate?: number;
  endDate?: number;
  flexibleTimeWindow: { Mode: string; MaximumWindowInMinutes?: number };
  target: Record<string, unknown>;
  actionAfterCompletion: 'NONE' | 'DELETE';
  kmsKeyArn?: string;
  creationDate: number;
  lastModificationDate: number;
  /** Where a rate expression counts from: StartDate, or the last create/update. */
  anchorMs: number;
  /** The last occurrence handled (fired, or skipped while DISABLED). */
  lastOccurrenceMs?: number;
  invocations: InvocationRecord[];
}

/** The Scheduler service: HTTP side, admin, persistence. */
export interface SchedulerSandbox {
  readonly service: SandboxService;
  /** Admin actions: `state` (`{region?}` → every schedule with its next firing and recent invocations). */
  admin(action: string, body: Record<string, unknown>): unknown;
  reset(): void;
  snapshot(): SchedulerSnapshot;
  /** @throws TypeError when `snapshot` is not a {@link SchedulerSnapshot} (the message names the member). */
  restore(snapshot: unknown): void;
  /** Cancels every timer (the sandbox is stopping). */
  dispose(): void;
}

const KEPT_INVOCATIONS = 20;
const NAME_RE = /^[0-9a-zA-Z-_.]+$/;
const ROLE_RE = /^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const DEFAULT_GROUP = 'default';

class SchedulerError extends Error {
  constructor(readonly code: string, readonly status: number, message: string) {
    super(message);
  }
}

const validation = (message: string) => new SchedulerError('ValidationException', 400, message);
/** The smithy front end's wording for a constraint a member breaks. */
const constraint = (value: unknown, member: string, rule: string) =>
  validation(`1 validation error detected: Value '${typeof value === 'string' ? value : JSON.stringify(value)}' at '${member}' failed to satisfy constraint: ${rule}`);
const notFound = (message: string) => new SchedulerError('ResourceNotFoundException', 404, message);
const conflict = (message: string) => new SchedulerError('ConflictException', 409, message);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(body: Record<string, unknown>, key: string, member: string, o: { required?: boolean; min?: number; max?: number; pattern?: RegExp } = {}): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) {
    if (o.required) throw validation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof v !== 'string') throw validation(`Expected a string for ${member}, found ${JSON.stringify(v)}`);
  if (o.min !== undefined && v.length < o.min) throw constraint(v, member, `Member must have length greater than or equal to ${o.min}`);
  if (o.max !== undefined && v.length > o.max) throw constraint(v, member, `Member must have length less than or equal to ${o.max}`);
  if (o.pattern && !o.pattern.test(v)) throw constraint(v, member, `Member must satisfy regular expression pattern: ${o.pattern.source}`);
  return v;
}

function int(obj: Record<string, unknown>, key: string, member: string, min: number, max: number): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw validation(`Expected an integer for ${member}, found ${JSON.stringify(v)}`);
  if (v < min) throw constraint(v, member, `Member must have value greater than or equal to ${min}`);
  if (v > max) throw constraint(v, member, `Member must have value less than or equal to ${max}`);
  return v;
}

/** restJson1 timestamps are epoch seconds (the SDK sends numbers); ISO strings are accepted too. */
/** ListSchedules/ListScheduleGroups `MaxResults`: 1 to 100, default 100. */
function readMaxResults(q: URLSearchParams): number {
  const max = q.get('MaxResults') === null ? 100 : Number(q.get('MaxResults'));
  if (!Number.isInteger(max) || max < 1 || max > 100) throw constraint(q.get('MaxResults'), 'maxResults', 'Member must have value between 1 and 100');
  return max;
}

function time(body: Record<string, unknown>, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v * 1000);
  if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return Date.parse(v);
  throw validation(`Expected a timestamp (epoch seconds) for ${key}, found ${JSON.stringify(v)}`);
}

const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);

/**
 * Creates the Scheduler service.
 *
 * @example
 * const scheduler = createSchedulerService({ clock, random, accountId, invoke: async (i) => startExecution(i) });
 * server.mount(scheduler.service);
 */
export function createSchedulerService(options: SchedulerServiceOptions): SchedulerSandbox {
  const { clock, accountId } = options;
  const onChange = options.onChange ?? (() => {});
  const log = options.log ?? (() => {});
  const groups = new Map<string, StoredGroup>();
  const schedules = new Map<string, StoredSchedule>();
  const timers = new Map<string, TimerHandle>();
  const parsed = new Map<string, ScheduleExpression>();
  let disposed = false;

  const key = (region: string, group: string, name: string) => `${region}/${group}/${name}`;
  const groupKey = (region: string, name: string) => `${region}/${name}`;
  const groupArn = (region: string, name: string) => `arn:aws:scheduler:${region}:${accountId}:schedule-group/${name}`;
  const scheduleArn = (region: string, group: string, name: string) => `arn:aws:scheduler:${region}:${accountId}:schedule/${group}/${name}`;

  /** The default group exists in every region, created the first time the region is used. */
  function ensureDefault(region: string): void {
    if (!groups.has(groupKey(region, DEFAULT_GROUP))) {
      const now = clock.now();
      groups.set(groupKey(region, DEFAULT_GROUP), { region, name: DEFAULT_GROUP, arn: groupArn(region, DEFAULT_GROUP), creationDate: now, lastModificationDate: now });
    }
  }

  function requireGroup(region: string, name: string): StoredGroup {
    ensureDefault(region);
    const g = groups.get(groupKey(region, name));
    if (!g) throw notFound(`Schedule group ${name} does not exist.`);
    return g;
  }

  // ---- firing --------------------------------------------------------------------------------

  function expressionOf(s: StoredSchedule): ScheduleExpression {
    let e = parsed.get(s.arn);
    if (!e) parsed.set(s.arn, (e = parseExpression(s.expression)));
    return e;
  }

  /** The next occurrence the schedule still has to handle, honouring StartDate and EndDate. */
  function nextDue(s: StoredSchedule): number | undefined {
    const expr = expressionOf(s);
    let after = s.lastOccurrenceMs ?? s.anchorMs - 1;
    if (expr.kind !== 'at' && s.startDate !== undefined) after = Math.max(after, s.startDate - 1);
    const next = nextOccurrence(expr, s.timezone, after, s.anchorMs);
    if (next === undefined) return undefined;
    if (expr.kind !== 'at' && s.endDate !== undefined && next > s.endDate) return undefined;
    return next;
  }

  /** The schedule an ARN names (`…:schedule/<group>/<name>`), looked up by its key. */
  function scheduleByArn(arn: string): StoredSchedule | undefined {
    const m = /^arn:aws:scheduler:([^:]+):[^:]*:schedule\/([^/]+)\/(.+)$/.exec(arn);
    const s = m ? schedules.get(key(m[1]!, m[2]!, m[3]!)) : undefined;
    return s?.arn === arn ? s : undefined;
  }

  function arm(s: StoredSchedule): void {
    disarm(s.arn);
    // A disabled schedule has nothing to fire; enabling it again (UpdateSchedule) re-arms it.
    if (disposed || s.state === 'DISABLED') return;
    const due = nextDue(s);
    if (due === undefined) return;
    // Passive: a schedule never makes the virtual clock jump; it fires when time gets there.
    timers.set(s.arn, clock.setTimer(due, () => fire(s.arn, due), { passive: true }));
  }

  function disarm(arn: string): void {
    const t = timers.get(arn);
    if (t) clock.clearTimer(t);
    timers.delete(arn);
  }

  function fire(arn: string, dueMs: number): void {
    timers.delete(arn);
    const s = scheduleByArn(arn);
    if (!s) return;
    s.lastOccurrenceMs = dueMs;
    // Tracked: the virtual clock does not move on while the target is being called.
    void clock.track(invoke(s, dueMs));
    if (expressionOf(s).kind === 'at' && s.actionAfterCompletion === 'DELETE') {
      schedules.delete(key(s.region, s.groupName, s.name));
      parsed.delete(s.arn);
    } else {
      arm(s);
    }
    onChange();
  }

  async function invoke(s: StoredSchedule, dueMs: number): Promise<void> {
    // Derived from the schedule and the occurrence, so ids never repeat, across restarts too.
    const executionId = options.random.fork(`${s.arn}@${dueMs}`).uuid();
    const scheduled = new Date(dueMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const rawInput = typeof s.target.Input === 'string' ? s.target.Input : undefined;
    // Context attributes. @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html
    const input = rawInput
      ?.replaceAll('<aws.scheduler.schedule-arn>', s.arn)
      .replaceAll('<aws.scheduler.scheduled-time>', scheduled)
      .replaceAll('<aws.scheduler.execution-id>', executionId)
      .replaceAll('<aws.scheduler.attempt-number>', '1');
    let outcome: InvocationOutcome;
    try {
      outcome = options.invoke
        ? await options.invoke({ scheduleArn: s.arn, region: s.region, targetArn: String(s.target.Arn), roleArn: String(s.target.RoleArn), input, scheduledTimeMs: dueMs, executionId })
        : { ok: false, error: 'Sandbox.NoTarget', message: 'no target service is wired to this scheduler' };
    } catch (err) {
      outcome = { ok: false, error: 'Sandbox.InvokeFailed', message: (err as Error)?.message ?? String(err) };
    }
    const record: InvocationRecord = outcome.ok
      ? { scheduledTime: new Date(dueMs).toISOString(), ok: true, detail: outcome.detail }
      : { scheduledTime: new Date(dueMs).toISOString(), ok: false, error: outcome.error, message: outcome.message };
    if (!outcome.ok) log(`sandbox scheduler: ${s.arn} at ${record.scheduledTime}: target ${String(s.target.Arn)} failed: ${outcome.error}: ${outcome.message}`);
    s.invocations = [...s.invocations, record].slice(-KEPT_INVOCATIONS);
    onChange();
  }

  // ---- operations ----------------------------------------------------------------------------

  /** Reads and checks the members CreateSchedule and UpdateSchedule share. */
  function readSchedule(body: Record<string, unknown>) {
    const groupName = str(body, 'GroupName', 'groupName', { min: 1, max: 64, pattern: NAME_RE }) ?? DEFAULT_GROUP;
    const expression = str(body, 'ScheduleExpression', 'scheduleExpression', { required: true, min: 1, max: 256 })!;
    const timezone = str(body, 'ScheduleExpressionTimezone', 'scheduleExpressionTimezone', { min: 1, max: 50 }) ?? 'UTC';
    const description = str(body, 'Description', 'description', { max: 512 });
    const state = str(body, 'State', 'state') ?? 'ENABLED';
    if (state !== 'ENABLED' && state !== 'DISABLED') throw constraint(state, 'state', 'Member must satisfy enum value set: [ENABLED, DISABLED]');
    const action = str(body, 'ActionAfterCompletion', 'actionAfterCompletion') ?? 'NONE';
    if (action !== 'NONE' && action !== 'DELETE') throw constraint(action, 'actionAfterCompletion', 'Member must satisfy enum value set: [NONE, DELETE]');
    const kmsKeyArn = str(body, 'KmsKeyArn', 'kmsKeyArn', { min: 1, max: 2048 });
    const startDate = time(body, 'StartDate');
    const endDate = time(body, 'EndDate');

    const ftw = body.FlexibleTimeWindow;
    if (ftw === undefined || ftw === null) throw validation("1 validation error detected: Value null at 'flexibleTimeWindow' failed to satisfy constraint: Member must not be null");
    if (!isObject(ftw)) throw validation(`Expected an object for flexibleTimeWindow, found ${JSON.stringify(ftw)}`);
    const mode = str(ftw, 'Mode', 'flexibleTimeWindow.mode', { required: true });
    if (mode !== 'OFF' && mode !== 'FLEXIBLE') throw constraint(mode, 'flexibleTimeWindow.mode', 'Member must satisfy enum value set: [OFF, FLEXIBLE]');
    const window = int(ftw, 'MaximumWindowInMinutes', 'flexibleTimeWindow.maximumWindowInMinutes', 1, 1440);
    if (mode === 'FLEXIBLE' && window === undefined) throw validation('MaximumWindowInMinutes must be provided when Mode is FLEXIBLE.');
    if (mode === 'OFF' && window !== undefined) throw validation('MaximumWindowInMinutes must not be provided when Mode is OFF.');

    const target = body.Target;
    if (target === undefined || target === null) throw validation("1 validation error detected: Value null at 'target' failed to satisfy constraint: Member must not be null");
    if (!isObject(target)) throw validation(`Expected an object for target, found ${JSON.stringify(target)}`);
    str(target, 'Arn', 'target.arn', { required: true, min: 1, max: 1600 });
    str(target, 'RoleArn', 'target.roleArn', { required: true, min: 1, max: 1600, pattern: ROLE_RE });
    str(target, 'Input', 'target.input', { min: 1, max: 8192 });
    const retry = target.RetryPolicy;
    if (retry !== undefined && retry !== null) {
      if (!isObject(retry)) throw validation(`Expected an object for target.retryPolicy, found ${JSON.stringify(retry)}`);
      int(retry, 'MaximumEventAgeInSeconds', 'target.retryPolicy.maximumEventAgeInSeconds', 60, 86400);
      int(retry, 'MaximumRetryAttempts', 'target.retryPolicy.maximumRetryAttempts', 0, 185);
    }

    let expr: ScheduleExpression;
    try {
      expr = parseExpression(expression);
    } catch (err) {
      if (err instanceof ExpressionError) throw validation(`Invalid Schedule Expression ${expression}.`);
      throw err;
    }
    if (!isTimeZone(timezone)) throw validation(`Invalid Schedule Expression Timezone ${timezone}.`);
    if (startDate !== undefined && endDate !== undefined && endDate <= startDate) throw validation('The EndDate must be after the StartDate.');
    if (endDate !== undefined && endDate <= clock.now()) throw validation('The EndDate must be in the future.');
    return {
      groupName, expression, expr, timezone, description, state: state as 'ENABLED' | 'DISABLED', actionAfterCompletion: action as 'NONE' | 'DELETE',
      kmsKeyArn, startDate, endDate, flexibleTimeWindow: { Mode: mode, ...(window !== undefined ? { MaximumWindowInMinutes: window } : {}) },
      target: JSON.parse(JSON.stringify(target)) as Record<string, unknown>,
    };
  }

  function createSchedule(region: string, name: string, body: Record<string, unknown>): unknown {
    checkName(name);
    const r = readSchedule(body);
    requireGroup(region, r.groupName);
    const k = key(region, r.groupName, name);
    if (schedules.has(k)) throw conflict(`Schedule ${name} already exists.`);
    const now = clock.now();
    const arn = scheduleArn(region, r.groupName, name);
    const { expr, ...fields } = r;
    const s: StoredSchedule = { region, name, arn, ...fields, creationDate: now, lastModificationDate: now, anchorMs: r.startDate ?? now, invocations: [] };
    schedules.set(k, s);
    parsed.set(arn, expr);
    arm(s);
    onChange();
    return { ScheduleArn: arn };
  }

  function updateSchedule(region: string, name: string, body: Record<string, unknown>): unknown {
    checkName(name);
    const r = readSchedule(body);
    requireGroup(region, r.groupName);
    const s = schedules.get(key(region, r.groupName, name));
    if (!s) throw notFound(`Schedule ${name} does not exist.`);
    const now = clock.now();
    const { expr, ...fields } = r;
    // UpdateSchedule replaces every member; omitted optional members return to their defaults.
    delete s.description;
    delete s.startDate;
    delete s.endDate;
    delete s.kmsKeyArn;
    Object.assign(s, fields, { lastModificationDate: now, anchorMs: r.startDate ?? now, lastOccurrenceMs: undefined });
    for (const k of Object.keys(s) as (keyof StoredSchedule)[]) if (s[k] === undefined) delete s[k];
    parsed.set(s.arn, expr);
    arm(s);
    onChange();
    return { ScheduleArn: s.arn };
  }

  function getSchedule(region: string, name: string, q: URLSearchParams): unknown {
    checkName(name);
    const group = q.get('groupName') ?? DEFAULT_GROUP;
    requireGroup(region, group);
    const s = schedules.get(key(region, group, name));
    if (!s) throw notFound(`Schedule ${name} does not exist.`);
    return {
      ActionAfterCompletion: s.actionAfterCompletion,
      Arn: s.arn,
      CreationDate: seconds(s.creationDate),
      Description: s.description,
      EndDate: seconds(s.endDate),
      FlexibleTimeWindow: s.flexibleTimeWindow,
      GroupName: s.groupName,
      KmsKeyArn: s.kmsKeyArn,
      LastModificationDate: seconds(s.lastModificationDate),
      Name: s.name,
      ScheduleExpression: s.expression,
      ScheduleExpressionTimezone: s.timezone,
      StartDate: seconds(s.startDate),
      State: s.state,
      Target: s.target,
    };
  }

  function deleteSchedule(region: string, name: string, q: URLSearchParams): unknown {
    checkName(name);
    const group = q.get('groupName') ?? DEFAULT_GROUP;
    requireGroup(region, group);
    const k = key(region, group, name);
    const s = schedules.get(k);
    if (!s) throw notFound(`Schedule ${name} does not exist.`);
    disarm(s.arn);
    schedules.delete(k);
    parsed.delete(s.arn);
    onChange();
    return {};
  }

  function listSchedules(region: string, q: URLSearchParams): unknown {
    ensureDefault(region);
    const max = readMaxResults(q);
    const group = q.get('ScheduleGroup');
    const prefix = q.get('NamePrefix');
    const state = q.get('State');
    if (state !== null && state !== 'ENABLED' && state !== 'DISABLED') throw constraint(state, 'state', 'Member must satisfy enum value set: [ENABLED, DISABLED]');
    const all = [...schedules.values()]
      .filter((s) => s.region === region && (group === null || s.groupName === group) && (prefix === null || s.name.startsWith(prefix)) && (state === null || s.state === state))
      .sort((a, b) => (a.groupName + '/' + a.name < b.groupName + '/' + b.name ? -1 : 1));
    const offset = readToken(q.get('NextToken'));
    const page = all.slice(offset, offset + max);
    return {
      Schedules: page.map((s) => ({
        Arn: s.arn, CreationDate: seconds(s.creationDate), GroupName: s.groupName, LastModificationDate: seconds(s.lastModificationDate),
        Name: s.name, State: s.state, Target: { Arn: s.target.Arn },
      })),
      ...(offset + max < all.length ? { NextToken: Buffer.from(String(offset + max)).toString('base64url') } : {}),
    };
  }

  function readToken(token: string | null): number {
    if (token === null) return 0;
    const n = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(n) || n < 0) throw validation(`Invalid NextToken ${token}.`);
    return n;
  }

  function checkName(name: string): void {
    if (name.length < 1 || name.length > 64) throw constraint(name, 'name', 'Member must have length between 1 and 64');
    if (!NAME_RE.test(name)) throw constraint(name, 'name', `Member must satisfy regular expression pattern: ${NAME_RE.source}`);
  }

  function createGroup(region: string, name: string): unknown {
    checkName(name);
    ensureDefault(region);
    if (groups.has(groupKey(region, name))) throw conflict(`Schedule group ${name} already exists.`);
    const now = clock.now();
    const g: StoredGroup = { region, name, arn: groupArn(region, name), creationDate: now, lastModificationDate: now };
    groups.set(groupKey(region, name), g);
    onChange();
    return { ScheduleGroupArn: g.arn };
  }

  const groupView = (g: StoredGroup) => ({ Arn: g.arn, CreationDate: seconds(g.creationDate), LastModificationDate: seconds(g.lastModificationDate), Name: g.name, State: 'ACTIVE' });

  function deleteGroup(region: string, name: string): unknown {
    checkName(name);
    if (name === DEFAULT_GROUP) throw validation('Cannot delete the default schedule group.');
    requireGroup(region, name);
    // Deleting a group deletes its schedules (AWS does it asynchronously; here at once).
    for (const [k, s] of schedules) {
      if (s.region === region && s.groupName === name) {
        disarm(s.arn);
        schedules.delete(k);
        parsed.delete(s.arn);
      }
    }
    groups.delete(groupKey(region, name));
    onChange();
    return {};
  }

  function listGroups(region: string, q: URLSearchParams): unknown {
    ensureDefault(region);
    const max = readMaxResults(q);
    const prefix = q.get('NamePrefix');
    const all = [...groups.values()].filter((g) => g.region === region && (prefix === null || g.name.startsWith(prefix))).sort((a, b) => (a.name < b.name ? -1 : 1));
    const offset = readToken(q.get('NextToken'));
    return {
      ScheduleGroups: all.slice(offset, offset + max).map(groupView),
      ...(offset + max < all.length ? { NextToken: Buffer.from(String(offset + max)).toString('base64url') } : {}),
    };
  }

  function route(req: ServiceRequest, body: Record<string, unknown>): unknown {
    const q = new URLSearchParams(req.query ?? '');
    const segments = req.path.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
    const [collection, name, extra] = segments;
    const m = req.method;
    if (extra === undefined && collection === 'schedules') {
      if (name === undefined) {
        if (m === 'GET') return listSchedules(req.region, q);
      } else if (m === 'POST') return createSchedule(req.region, name, body);
      else if (m === 'GET') return getSchedule(req.region, name, q);
      else if (m === 'PUT') return updateSchedule(req.region, name, body);
      else if (m === 'DELETE') return deleteSchedule(req.region, name, q);
    }
    if (extra === undefined && collection === 'schedule-groups') {
      if (name === undefined) {
        if (m === 'GET') return listGroups(req.region, q);
      } else if (m === 'POST') return createGroup(req.region, name);
      else if (m === 'GET') return groupView(requireGroup(req.region, name));
      else if (m === 'DELETE') return deleteGroup(req.region, name);
    }
    throw new SchedulerError('UnknownOperationException', 404, `The sandbox's EventBridge Scheduler has no operation for ${m} ${req.path}; it implements CreateSchedule, GetSchedule, UpdateSchedule, DeleteSchedule, ListSchedules, CreateScheduleGroup, GetScheduleGroup, DeleteScheduleGroup, ListScheduleGroups`);
  }

  const respond = (status: number, value: unknown, extra: Record<string, string> = {}): ServiceResponse => ({
    status,
    headers: { 'Content-Type': 'application/json', ...extra },
    body: JSON.stringify(value),
  });

  const service: SandboxService = {
    matches(req: ServiceRequest): boolean {
      if (req.headers['x-amz-target'] !== undefined) return false;
      return req.signingService === 'scheduler' || (req.signingService === undefined && /^\/(schedules|schedule-groups)(\/|$)/.test(req.path));
    },
    async handle(req: ServiceRequest): Promise<ServiceResponse> {
      try {
        let body: unknown = {};
        const text = req.body.toString('utf8').trim();
        if (text !== '') {
          try {
            body = JSON.parse(text);
          } catch {
            throw validation('The request body is not valid JSON.');
          }
        }
        if (!isObject(body)) throw validation(`Expected a JSON object body, found ${text.slice(0, 60)}`);
        return respond(200, route(req, body) ?? {});
      } catch (err) {
        if (err instanceof SchedulerError) return respond(err.status, { Message: err.message }, { 'x-amzn-ErrorType': err.code });
        if (err instanceof URIError) return respond(400, { Message: `The request path is not valid: ${err.message}` }, { 'x-amzn-ErrorType': 'ValidationException' });
        throw err;
      }
    },
  };

  function view(s: StoredSchedule) {
    const due = timers.has(s.arn) ? nextDue(s) : undefined;
    return {
      region: s.region, name: s.name, groupName: s.groupName, arn: s.arn, state: s.state, expression: s.expression, timezone: s.timezone,
      target: s.target, nextFiring: due === undefined ? null : new Date(due).toISOString(), invocations: s.invocations,
    };
  }

  return {
    service,
    admin(action, body) {
      if (action === 'state') {
        if (body.region !== undefined && typeof body.region !== 'string') throw new TypeError(`scheduler admin 'state' › region: expected a string, found ${JSON.stringify(body.region)}`);
        return { now: new Date(clock.now()).toISOString(), schedules: [...schedules.values()].filter((s) => body.region === undefined || s.region === body.region).map(view) };
      }
      throw new TypeError(`scheduler admin '${action}': unknown action; expected one of state`);
    },
    reset() {
      for (const arn of [...timers.keys()]) disarm(arn);
      schedules.clear();
      groups.clear();
      parsed.clear();
      onChange();
    },
    snapshot: () => ({
      version: SCHEDULER_SNAPSHOT_VERSION,
      takenAtMs: clock.now(),
      groups: [...groups.values()].map((g) => ({ ...g })),
      schedules: [...schedules.values()].map((s) => JSON.parse(JSON.stringify(s)) as StoredSchedule),
    }),
    restore(value) {
      const snap = checkSnapshot(value);
      for (const arn of [...timers.keys()]) disarm(arn);
      schedules.clear();
      groups.clear();
      parsed.clear();
      for (const g of snap.groups) groups.set(groupKey(g.region, g.name), g);
      const now = clock.now();
      for (const s of snap.schedules) {
        // Occurrences that fell while the sandbox was stopped are skipped, not fired late.
        s.lastOccurrenceMs = Math.max(s.lastOccurrenceMs ?? -Infinity, now - 1);
        schedules.set(key(s.region, s.groupName, s.name), s);
        arm(s);
      }
    },
    dispose() {
      disposed = true;
      for (const arn of [...timers.keys()]) disarm(arn);
    },
  };
}

function checkSnapshot(value: unknown): SchedulerSnapshot {
  const where = 'scheduler snapshot';
  const show = (v: unknown): string => (JSON.stringify(v) ?? String(v)).slice(0, 100);
  if (!isObject(value)) throw new TypeError(`${where}: expected a JSON object, found ${show(value)}`);
  if (value.version !== SCHEDULER_SNAPSHOT_VERSION) throw new TypeError(`${where} › version: expected ${SCHEDULER_SNAPSHOT_VERSION}, found ${show(value.version)}`);
  if (!Array.isArray(value.groups)) throw new TypeError(`${where} › groups: expected an array, found ${show(value.groups)}`);
  if (!Array.isArray(value.schedules)) throw new TypeError(`${where} › schedules: expected an array, found ${show(value.schedules)}`);
  value.groups.forEach((g: unknown, i) => {
    if (!isObject(g) || typeof g.region !== 'string' || typeof g.name !== 'string' || typeof g.arn !== 'string') throw new TypeError(`${where} › groups[${i}]: expected {region, name, arn, …}, found ${show(g)}`);
  });
  value.schedules.forEach((s: unknown, i) => {
    if (!isObject(s) || typeof s.region !== 'string' || typeof s.name !== 'string' || typeof s.arn !== 'string' || typeof s.expression !== 'string' || typeof s.anchorMs !== 'number' || !isObject(s.target) || !Array.isArray(s.invocations)) {
      throw new TypeError(`${where} › schedules[${i}]: expected {region, name, arn, expression, anchorMs, target, invocations, …}, found ${show(s)}`);
    }
    try {
      parseExpression(s.expression);
    } catch (err) {
      throw new TypeError(`${where} › schedules[${i}].expression: ${(err as Error).message}`);
    }
  });
  return value as unknown as SchedulerSnapshot;
}
