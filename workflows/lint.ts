import { AslDefinitionSchema } from '../schemas/asl.js';
import { APPROVAL_ERROR_NAMES, LIFEBOAT_ERROR_NAMES } from '../schemas/errors.js';
import { LAMBDA_CRASH_ERRORS, LAMBDA_SERVICE_ERRORS, REQUIRED_RETRY_ERRORS } from './policies.js';

/**
 * A structural lint of a rendered workflow, run on the ASL JSON itself (what Step Functions
 * receives), reporting every problem with its path:
 * `workflow 'backup' › state 'Copy images' › Retry[0]: …`.
 *
 * It proves what the design promises and no schema can:
 * - every Task retries throttling, transient and Lambda service errors with backoff
 *   (`BackoffRate` > 1), `MaxDelaySeconds` and `JitterStrategy: FULL`;
 * - every Task but the failure recorder catches `States.ALL` into a path that reaches
 *   `Record failure` (a `record-failure` task) and a Fail state; a task after the recorder
 *   (the drill's teardown after failure) only needs to reach a Fail state;
 * - in drill mode every path to the end of the run, success or failure (uncaught errors of
 *   Tasks and Maps included), passes through a `teardown` task;
 * - no state is unreachable, every transition target exists, every Choice has a Default;
 * - state names are at most 80 characters and unique in the whole definition;
 * - every variable an expression reads is assigned in its scope or an enclosing one, and no
 *   Map iteration reuses an enclosing scope's variable name (a Distributed Map's child workflow is
 *   a scope of its own: it cannot read the parent's variables);
 * - a Distributed Map reads its items from S3, writes its results to S3, runs Standard children,
 *   and at most 10,000 at once;
 * - the definition is under 1 MB;
 * - every error name matched is a Lifeboat, `States.*` or `Lambda.*` name (with a "did you
 *   mean" for near misses), and `States.ALL` stands alone in the last retrier or catcher.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (names, definition size)
 */

/** Options of {@link lintWorkflow}. */
export interface LintOptions {
  /** The workflow's name in messages (`backup`, `failover`, `drill`). */
  readonly name: string;
  /** `drill` adds the teardown-on-every-path check. @default 'failover' for messages only */
  readonly mode?: 'failover' | 'drill';
  /**
   * Whether a catch-all must reach a `record-failure` task. False only for a workflow that is not
   * a run (the scheduled RPO publisher: its failure shows as missing RPO data). @default true
   */
  readonly isRecorded?: boolean;
}

/** The largest definition Step Functions accepts (1 MB). */
export const MAX_DEFINITION_BYTES = 1_048_576;

/** The longest state name Step Functions accepts. */
export const MAX_STATE_NAME_LENGTH = 80;

/**
 * The `States.*` error names Step Functions defines.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-error-representation
 */
export const STATES_ERROR_NAMES: readonly string[] = [
  'States.ALL',
  'States.BranchFailed',
  'States.DataLimitExceeded',
  'States.ExceedToleratedFailureThreshold',
  'States.HeartbeatTimeout',
  'States.Http.Socket',
  'States.IntrinsicFailure',
  'States.ItemReaderFailed',
  'States.NoChoiceMatched',
  'States.ParameterPathFailure',
  'States.Permissions',
  'States.QueryEvaluationError',
  'States.ResultPathMatchFailure',
  'States.ResultWriterFailed',
  'States.Runtime',
  'States.TaskFailed',
  'States.Timeout',
];

/** The error names a Lambda task may see from Lambda itself: the service errors and a function that died (`Lambda.Unknown`, `Sandbox.Timedout`, `Runtime.ExitError`). */
export const LAMBDA_ERROR_NAMES: readonly string[] = [...new Set([...LAMBDA_SERVICE_ERRORS, ...LAMBDA_CRASH_ERRORS])];

const KNOWN_ERROR_NAMES: readonly string[] = [...LIFEBOAT_ERROR_NAMES, ...APPROVAL_ERROR_NAMES, ...STATES_ERROR_NAMES, ...LAMBDA_ERROR_NAMES];

type Json = Record<string, unknown>;

interface ScopeInfo {
  /** `state 'Back up batches' › ItemProcessor` or '' for the top level. */
  readonly where: string;
  /** The enclosing scope (a Map's or Parallel's), if any. */
  readonly parent?: ScopeInfo;
  readonly startAt: unknown;
  readonly states: Record<string, Json>;
}

/**
 * Lints a rendered definition and returns every problem found (empty: none).
 *
 * @example lintWorkflow(renderFailover(plan, 'drill', options), { name: 'drill', mode: 'drill' }) // []
 */
export function lintWorkflow(asl: unknown, options: LintOptions): string[] {
  const problems: string[] = [];
  const at = (...parts: string[]) => [`workflow '${options.name}'`, ...parts.filter((p) => p !== '')].join(' › ');
  const report = (where: string, message: string) => problems.push(`${at(where)}: ${message}`);

  if (!isObject(asl)) {
    report('', `expected a definition object, found ${JSON.stringify(asl)}`);
    return problems;
  }

  const size = Buffer.byteLength(JSON.stringify(asl), 'utf8');
  if (size >= MAX_DEFINITION_BYTES) {
    report('', `the definition is ${size} bytes; Step Functions accepts at most ${MAX_DEFINITION_BYTES} (1 MB)`);
  }

  const parsed = AslDefinitionSchema.safeParse(asl);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) report(schemaPath(issue.path), `${issue.message} (ASL schema)`);
  }

  // Collect every scope (the top level, Map item processors, Parallel branches) and check names.
  const scopes: ScopeInfo[] = [];
  const seen = new Map<string, string>();
  const collect = (where: string, machine: unknown, parent?: ScopeInfo) => {
    if (!isObject(machine) || !isObject(machine.States)) {
      report(where, 'expected a state machine with "StartAt" and "States"');
      return;
    }
    const states = machine.States as Record<string, Json>;
    const scope: ScopeInfo = parent === undefined ? { where, startAt: machine.StartAt, states } : { where, parent, startAt: machine.StartAt, states };
    scopes.push(scope);
    for (const [name, state] of Object.entries(states)) {
      if (name.length > MAX_STATE_NAME_LENGTH) {
        report(stateAt(name), `the name is ${name.length} characters; Step Functions allows at most ${MAX_STATE_NAME_LENGTH}`);
      }
      const first = seen.get(name);
      if (first !== undefined) report(stateAt(name), `the name is used twice (also in ${first || 'the top level'}); state names must be unique in the whole definition`);
      else seen.set(name, where);
      if (!isObject(state)) continue;
      if (state.Type === 'Map') {
        // A Distributed Map's children are executions of their own: they see none of the parent's variables.
        collect(`${stateAt(name)} › ItemProcessor`, state.ItemProcessor, isDistributedMap(state) ? undefined : scope);
        if (isDistributedMap(state)) lintDistributedMap(stateAt(name), state, report);
      }
      if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
        state.Branches.forEach((b, i) => collect(`${stateAt(name)} › Branches[${i}]`, b, scope));
      }
    }
  };
  collect('', asl);

  for (const scope of scopes) {
    lintScope(scope, report, options.isRecorded ?? true);
    lintVariables(scope, report);
  }
  if (options.mode === 'drill') {
    lintTeardown(scopes[0], report);
  }
  return problems;
}

/** True for a Map whose iterations are child executions (`ProcessorConfig.Mode: DISTRIBUTED`). */
function isDistributedMap(state: Json): boolean {
  const processor = state.ItemProcessor;
  return isObject(processor) && isObject(processor.ProcessorConfig) && processor.ProcessorConfig.Mode === 'DISTRIBUTED';
}

/** The most child executions a Distributed Map runs at once (AWS quota). */
export const MAX_DISTRIBUTED_CONCURRENCY = 10_000;

/**
 * A Distributed Map keeps the parent small: its items come from S3 (`ItemReader`), its results go
 * to S3 (`ResultWriter`, else every child's output lands in the parent's state output, 256 KiB at
 * most), its children are Standard executions (they poll with Wait states for longer than an
 * Express execution's 5 minutes), and it runs at most 10,000 children at once.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
function lintDistributedMap(at: string, state: Json, report: (where: string, message: string) => void): void {
  if (!isObject(state.ItemReader)) {
    report(`${at} › ItemReader`, 'missing; a Distributed Map reads its items from S3 so that the item list never travels in a state input');
  }
  if (!isObject(state.ResultWriter)) {
    report(`${at} › ResultWriter`, "missing; without it every child's output is gathered into the parent's state output (at most 256 KiB)");
  }
  const processor = state.ItemProcessor as Json;
  const config = processor.ProcessorConfig as Json;
  if (config.ExecutionType !== 'STANDARD') {
    report(`${at} › ItemProcessor › ProcessorConfig.ExecutionType`, `expected "STANDARD" (children wait on EC2 for longer than an Express execution's 5 minutes), found ${JSON.stringify(config.ExecutionType)}`);
  }
  const max = state.MaxConcurrency;
  if (typeof max === 'number' && (max < 1 || max > MAX_DISTRIBUTED_CONCURRENCY)) {
    report(`${at} › MaxConcurrency`, `expected 1 to ${MAX_DISTRIBUTED_CONCURRENCY} child executions at once, found ${max}`);
  }
}

/** Transitions, reachability, Choice defaults, retry/catch policies and error names of one scope. */
function lintScope(scope: ScopeInfo, report: (where: string, message: string) => void, isRecorded: boolean): void {
  const { states } = scope;
  const names = new Set(Object.keys(states));
  if (typeof scope.startAt !== 'string' || !names.has(scope.startAt)) {
    report(scope.where, `StartAt ${JSON.stringify(scope.startAt)} is not a state of this scope; expected one of ${list([...names])}`);
  }
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) continue;
    for (const [field, target] of transitions(state)) {
      if (!names.has(target)) {
        const hint = nearest(target, [...names]);
        report(`${stateAt(name)} › ${field}`, `no state named '${target}' in this scope${hint ? `; did you mean '${hint}'?` : ''}`);
      }
    }
    if (state.Type === 'Choice' && state.Default === undefined) {
      report(stateAt(name), 'a Choice without "Default" fails the run with States.NoChoiceMatched, bypassing the failure path');
    }
    for (const field of ['Retry', 'Catch'] as const) {
      const list = state[field];
      if (!Array.isArray(list)) continue;
      list.forEach((entry, i) => lintErrorNames(`${stateAt(name)} › ${field}[${i}]`, entry, i === list.length - 1, report));
    }
  }

  // Reachability from StartAt over every transition (Next, Choices, Default, Catch).
  const reachable = reach(states, typeof scope.startAt === 'string' ? [scope.startAt] : []);
  for (const name of names) {
    if (!reachable.has(name)) report(stateAt(name), `unreachable: no path from StartAt '${String(scope.startAt)}' leads here`);
  }

  // Tasks: retry policy, and the catch-all into the failure path.
  // A task on the failure path (after a recorder, never on the way to success, such as the
  // drill's teardown after failure) only needs its catch-all to end the run FAILED.
  const recorders = [...names].filter((n) => taskId(states[n]) === 'record-failure');
  // The success path stops at the recorders: a state that decides to fail the run (a Pass such
  // as 'Pre-flight blocked' that sets the failure variables) enters the failure path by Next.
  const successPath = reach(states, typeof scope.startAt === 'string' ? [scope.startAt] : [], false, new Set(recorders));
  const afterRecorder = new Set([...reach(states, recorders)].filter((n) => !successPath.has(n)));
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state) || state.Type !== 'Task') continue;
    lintRetry(name, state, report);
    if (taskId(state) === 'record-failure') {
      lintRecorderCatch(stateAt(name), state, states, report);
      continue;
    }
    const catchers = Array.isArray(state.Catch) ? (state.Catch as Json[]) : [];
    const catchAll = catchers.find((c) => isObject(c) && Array.isArray(c.ErrorEquals) && c.ErrorEquals.includes('States.ALL'));
    if (catchAll === undefined) {
      report(`${stateAt(name)} › Catch`, "does not catch 'States.ALL'; an error left after Retry would end the run without recording the failure");
      continue;
    }
    const index = catchers.indexOf(catchAll);
    const target = catchAll.Next;
    if (typeof target !== 'string' || !names.has(target)) continue; // reported above
    const path = reach(states, [target]);
    const reachesRecorder = recorders.some((r) => path.has(r));
    const reachesFail = [...path].some((n) => states[n]?.Type === 'Fail');
    if (isRecorded && !afterRecorder.has(name) && !reachesRecorder) {
      report(`${stateAt(name)} › Catch[${index}]`, `the catch-all goes to '${target}', which never reaches a 'record-failure' task (Record failure)`);
    }
    if (!reachesFail) {
      report(`${stateAt(name)} › Catch[${index}]`, `the catch-all goes to '${target}', from where no Fail state is reachable: the run would not end FAILED naming the step`);
    }
  }
}

/**
 * The failure recorder catches too, so every Task has a Catch: either `States.ALL` (the drill,
 * where teardown must follow) or every error but `Lifeboat.StepFailed`, which it raises on
 * purpose and which must stay uncaught so that a redrive re-runs it and resumes. Either way the
 * catch leads to a Fail state.
 */
function lintRecorderCatch(at: string, state: Json, states: Record<string, Json>, report: (where: string, message: string) => void): void {
  const where = `${at} › Catch`;
  const catchers = Array.isArray(state.Catch) ? (state.Catch as Json[]) : [];
  if (catchers.length === 0) {
    report(where, "missing; the failure recorder must catch every error but 'Lifeboat.StepFailed' into a Fail state");
    return;
  }
  catchers.forEach((c, index) => {
    const errors = Array.isArray(c.ErrorEquals) ? (c.ErrorEquals as unknown[]) : [];
    const isDrillCatchAll = errors.includes('States.ALL');
    if (!isDrillCatchAll && errors.includes('Lifeboat.StepFailed')) {
      report(`${where}[${index}]`, "catches 'Lifeboat.StepFailed': the run would end at a Fail state and a redrive could not resume");
    }
    const target = c.Next;
    if (typeof target === 'string' && states[target] !== undefined && ![...reach(states, [target])].some((n) => states[n]?.Type === 'Fail')) {
      report(`${where}[${index}]`, `goes to '${target}', from where no Fail state is reachable`);
    }
  });
}

/**
 * Variables: every `$name` an expression reads is assigned in its scope or an enclosing one
 * (a typo would otherwise fail the run with `States.QueryEvaluationError`), and a Map iteration
 * or Parallel branch does not reuse a name its enclosing scopes assign.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
 */
function lintVariables(scope: ScopeInfo, report: (where: string, message: string) => void): void {
  const own = assignedIn(scope);
  const outer = new Set<string>();
  for (let p = scope.parent; p !== undefined; p = p.parent) for (const v of assignedIn(p)) outer.add(v);
  const visible = new Set([...own, ...outer]);
  for (const [name, state] of Object.entries(scope.states)) {
    if (!isObject(state)) continue;
    for (const [field, value] of Object.entries(state)) {
      if (field === 'ItemProcessor' || field === 'Branches') continue; // inner scopes are linted on their own
      for (const [path, expression] of expressions(value, field)) {
        for (const variable of referencedVariables(expression)) {
          if (visible.has(variable)) continue;
          const hint = nearest(variable, [...visible]);
          report(`${stateAt(name)} › ${path}`, `'$${variable}' is never assigned in this scope or an enclosing one${hint ? `; did you mean '$${hint}'?` : ''}`);
        }
      }
    }
  }
  if (scope.parent !== undefined) {
    for (const variable of own) {
      if (outer.has(variable)) report(scope.where, `assigns '$${variable}', which an enclosing scope assigns too; give the inner variable its own name`);
    }
  }
}

/** Variable names assigned by a scope's states (state, Choice rule and Catch `Assign`). */
function assignedIn(scope: ScopeInfo): Set<string> {
  const names = new Set<string>();
  const add = (assign: unknown) => {
    if (isObject(assign)) for (const k of Object.keys(assign)) names.add(k);
  };
  for (const state of Object.values(scope.states)) {
    if (!isObject(state)) continue;
    add(state.Assign);
    for (const list of [state.Choices, state.Catch]) {
      if (Array.isArray(list)) for (const entry of list) if (isObject(entry)) add(entry.Assign);
    }
  }
  return names;
}

/** Every `{% … %}` string in a value, with its path. */
function expressions(value: unknown, path: string): [string, string][] {
  if (typeof value === 'string') {
    const m = /^\{%([\s\S]*)%\}$/.exec(value);
    return m === null ? [] : [[path, m[1]!]];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => expressions(v, `${path}[${i}]`));
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => expressions(v, `${path}.${k}`));
  return [];
}

/**
 * The variables a JSONata expression reads: `$name` not called as a function, outside string
 * literals, but `$states` and the expression's own bindings (`$name := …` inside a block).
 */
function referencedVariables(expression: string): Set<string> {
  const code = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const bound = new Set([...code.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)\s*:=/g)].map((m) => m[1]!));
  const names = new Set<string>();
  for (const m of code.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)(\s*\()?/g)) {
    if (m[2] === undefined && m[1] !== 'states' && !bound.has(m[1]!)) names.add(m[1]!);
  }
  return names;
}

/** Every Task's Retry covers the required errors, each with backoff, a max delay and full jitter. */
function lintRetry(name: string, state: Json, report: (where: string, message: string) => void): void {
  const retriers = Array.isArray(state.Retry) ? (state.Retry as Json[]) : [];
  if (retriers.length === 0) {
    report(`${stateAt(name)} › Retry`, `missing; every Task retries ${list(REQUIRED_RETRY_ERRORS)}`);
    return;
  }
  for (const error of REQUIRED_RETRY_ERRORS) {
    if (!retriers.some((r) => isObject(r) && Array.isArray(r.ErrorEquals) && r.ErrorEquals.includes(error))) {
      report(`${stateAt(name)} › Retry`, `does not retry '${error}'`);
    }
  }
  retriers.forEach((r, i) => {
    if (!isObject(r)) return;
    const where = `${stateAt(name)} › Retry[${i}]`;
    if (Array.isArray(r.ErrorEquals) && r.ErrorEquals.includes('States.ALL')) {
      report(where, "retries 'States.ALL', so permanent errors such as 'Lifeboat.InvalidInput' would be retried too; list the retryable errors instead");
    }
    if (typeof r.BackoffRate !== 'number' || r.BackoffRate <= 1) {
      report(where, `expected a BackoffRate above 1 (exponential backoff), found ${JSON.stringify(r.BackoffRate)}`);
    }
    if (typeof r.MaxDelaySeconds !== 'number') {
      report(where, `expected MaxDelaySeconds (a cap on the backoff), found ${JSON.stringify(r.MaxDelaySeconds)}`);
    }
    if (r.JitterStrategy !== 'FULL') {
      report(where, `expected JitterStrategy "FULL", found ${JSON.stringify(r.JitterStrategy)}`);
    }
    if (r.MaxAttempts !== undefined && (typeof r.MaxAttempts !== 'number' || r.MaxAttempts < 1)) {
      report(where, `expected MaxAttempts of at least 1, found ${JSON.stringify(r.MaxAttempts)}`);
    }
  });
}

/** Error names matched by one retrier or catcher. */
function lintErrorNames(where: string, entry: unknown, isLast: boolean, report: (where: string, message: string) => void): void {
  if (!isObject(entry) || !Array.isArray(entry.ErrorEquals)) return; // the schema reports it
  const errors = entry.ErrorEquals as unknown[];
  for (const error of errors) {
    if (typeof error !== 'string') continue;
    if (KNOWN_ERROR_NAMES.includes(error)) continue;
    const hint = nearest(error, KNOWN_ERROR_NAMES);
    const family = error.startsWith('Lifeboat.')
      ? 'a Lifeboat error name (schemas/errors.ts)'
      : error.startsWith('States.')
        ? 'a States.* error name Step Functions defines'
        : error.startsWith('Lambda.')
          ? 'a Lambda.* error name a Lambda task can raise'
          : 'a Lifeboat, States.* or Lambda.* error name';
    report(where, `'${error}' is not ${family}${hint ? `; did you mean '${hint}'?` : ''}`);
  }
  if (errors.includes('States.ALL')) {
    if (errors.length > 1) report(where, "'States.ALL' must appear alone in ErrorEquals");
    if (!isLast) report(where, "'States.ALL' must be in the last retrier or catcher");
  }
}

/**
 * Drill mode: every path from StartAt to the end of the run passes through a teardown task.
 * Maps are single nodes here: their success goes to Next, their failure to their Catch.
 */
function lintTeardown(top: ScopeInfo | undefined, report: (where: string, message: string) => void): void {
  if (top === undefined || typeof top.startAt !== 'string') return;
  const { states } = top;
  const isTeardown = (name: string) => taskId(states[name]) === 'teardown';
  if (!Object.keys(states).some(isTeardown)) {
    report('', "drill mode: no 'teardown' task at the top level; drill instances would never be terminated");
    return;
  }
  // Breadth-first from StartAt without entering teardown states; remember how we got there.
  const parent = new Map<string, string | null>([[top.startAt, null]]);
  const queue = [top.startAt];
  const pathTo = (name: string) => {
    const path: string[] = [];
    for (let n: string | null | undefined = name; n != null; n = parent.get(n)) path.unshift(`'${n}'`);
    return path.join(' → ');
  };
  while (queue.length > 0) {
    const name = queue.shift()!;
    const state = states[name];
    if (!isObject(state) || isTeardown(name)) continue;
    const type = state.Type;
    if (type === 'Succeed' || type === 'Fail' || state.End === true) {
      report(stateAt(name), `drill mode: the run can end here without tearing down (${pathTo(name)})`);
      continue;
    }
    if (type === 'Task' || type === 'Map' || type === 'Parallel') {
      const catchers = Array.isArray(state.Catch) ? (state.Catch as Json[]) : [];
      const hasCatchAll = catchers.some((c) => isObject(c) && Array.isArray(c.ErrorEquals) && c.ErrorEquals.includes('States.ALL'));
      if (!hasCatchAll) {
        report(stateAt(name), `drill mode: a failure of this ${String(type)} ends the run without tearing down (${pathTo(name)}); catch 'States.ALL' into the teardown path`);
      }
    }
    for (const [, target] of transitions(state)) {
      if (!parent.has(target) && target in states) {
        parent.set(target, name);
        queue.push(target);
      }
    }
  }
}

/** Every transition of a state: [field, target]. */
function transitions(state: Json): [string, string][] {
  const out: [string, string][] = [];
  if (typeof state.Next === 'string') out.push(['Next', state.Next]);
  if (typeof state.Default === 'string') out.push(['Default', state.Default]);
  if (Array.isArray(state.Choices)) {
    state.Choices.forEach((c, i) => {
      if (isObject(c) && typeof c.Next === 'string') out.push([`Choices[${i}].Next`, c.Next]);
    });
  }
  if (Array.isArray(state.Catch)) {
    state.Catch.forEach((c, i) => {
      if (isObject(c) && typeof c.Next === 'string') out.push([`Catch[${i}].Next`, c.Next]);
    });
  }
  return out;
}

/** The states reachable from `starts` (included) over every transition, or without Catch edges. */
function reach(states: Record<string, Json>, starts: readonly string[], withCatch = true, stopAt: ReadonlySet<string> = new Set()): Set<string> {
  const seen = new Set<string>();
  const stack = starts.filter((s) => s in states);
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name) || stopAt.has(name)) continue;
    seen.add(name);
    const state = states[name];
    if (!isObject(state)) continue;
    for (const [field, target] of transitions(state)) {
      if (!withCatch && field.startsWith('Catch')) continue;
      if (target in states && !seen.has(target)) stack.push(target);
    }
  }
  return seen;
}

/** The Lifeboat task id a Task state invokes (`Arguments.Payload.task`), if any. */
function taskId(state: unknown): string | undefined {
  if (!isObject(state) || state.Type !== 'Task' || !isObject(state.Arguments)) return undefined;
  const payload = state.Arguments.Payload;
  return isObject(payload) && typeof payload.task === 'string' ? payload.task : undefined;
}

function stateAt(name: string): string {
  return `state '${name}'`;
}

/** A Zod issue path as `state 'X' › Retry[0].BackoffRate`. */
function schemaPath(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  let field = '';
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (key === 'States' && i + 1 < path.length) {
      if (field) parts.push(field);
      field = '';
      parts.push(stateAt(String(path[++i])));
    } else if (key === 'ItemProcessor') {
      if (field) parts.push(field);
      field = '';
    } else if (typeof key === 'number') {
      field += `[${key}]`;
    } else {
      field += field ? `.${String(key)}` : String(key);
    }
  }
  if (field) parts.push(field);
  return parts.join(' › ');
}

/** The known name closest to `name` when it is a plausible typo (edit distance ≤ 3). */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance > 0 && bestDistance <= Math.min(3, Math.floor(name.length / 3)) ? best : undefined;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

function list(items: readonly string[]): string {
  return items.map((i) => `'${i}'`).join(', ');
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
