import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type jsonata from 'jsonata';
import type { SeededRandom } from '../../random.js';
import { StatesError } from './errors.js';

/**
 * JSONata for states with `QueryLanguage: "JSONata"`: only a string that is entirely `{% ... %}`
 * is an expression; anything else is a literal. `$states` and the workflow variables are bound.
 * An expression that yields nothing fails with `States.QueryEvaluationError`.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */

/** Bindings of one evaluation: `$states` plus the visible variables. */
export interface JsonataEnv {
  readonly states: Record<string, unknown>;
  readonly variables: Record<string, unknown>;
  readonly random: SeededRandom;
}

const compiled = new Map<string, jsonata.Expression>();

/**
 * The jsonata module, loaded on the first expression: most state machines never use JSONata, and
 * loading it costs about as much as the rest of the engine (a process that only reads histories
 * never needs it). A CommonJS package, so `require` loads it synchronously.
 */
let jsonataModule: typeof jsonata | undefined;
function jsonataOf(): typeof jsonata {
  jsonataModule ??= createRequire(import.meta.url)('jsonata') as typeof jsonata;
  return jsonataModule;
}

/** True when the whole string is a `{% %}` expression. */
export function isExpression(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith('{%') && v.endsWith('%}') && v.length >= 4;
}

/**
 * Wall time one evaluation may take. JSONata's evaluator runs as one chain of promises, so an
 * expression that never ends (a tail-recursive function calling itself forever) would keep the
 * whole sandbox from answering anything; past this budget it fails instead (a sandbox bound: AWS
 * documents none). While it runs past {@link YIELD_AFTER_MS}, the evaluation lets the sandbox
 * answer requests between its steps.
 */
export const EVALUATION_BUDGET_MS = 10_000;
let evaluationBudgetMs = EVALUATION_BUDGET_MS;
const YIELD_AFTER_MS = 50;

/** Sets the wall-time budget of one evaluation (tests shorten it); answers the previous one. */
export function setEvaluationBudgetMs(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`JSONata evaluation budget: expected a positive number of milliseconds, found ${ms}`);
  const previous = evaluationBudgetMs;
  evaluationBudgetMs = ms;
  return previous;
}

/** The budget of one evaluation, bound under a name no JSONata expression can spell. */
interface Budget { readonly startedMs: number; lastYieldMs: number }
const BUDGET = 'sandbox evaluation budget';
/** Steps of every evaluation: the budget of the one stepping is looked at every 256th. */
let steps = 0;

/** Called by the evaluator on entering each step (`jsonata.__evaluate_entry`). */
function checkBudget(_expr: unknown, _input: unknown, environment: { lookup(name: string): unknown }): Promise<void> | undefined {
  if ((++steps & 255) !== 0) return undefined;
  const budget = environment.lookup(BUDGET) as Budget | undefined;
  if (budget === undefined) return undefined;
  const now = Date.now();
  if (now - budget.startedMs > evaluationBudgetMs) {
    throw Object.assign(new Error(`Expression evaluation timeout: the sandbox stops an evaluation after ${evaluationBudgetMs / 1000} s; check for a function that never stops calling itself`), { code: 'U1001' });
  }
  if (now - budget.lastYieldMs < YIELD_AFTER_MS) return undefined;
  budget.lastYieldMs = now;
  return new Promise((resolve) => setImmediate(resolve));
}

function compile(body: string, field: string): jsonata.Expression {
  let expr = compiled.get(body);
  if (expr) return expr;
  try {
    expr = jsonataOf()(body);
    // (the evaluator's hook is bound under a symbol, which its typings do not declare)
    expr.assign(Symbol.for('jsonata.__evaluate_entry') as unknown as string, checkBudget);
  } catch (err) {
    const e = err as { message?: string; code?: string };
    throw new StatesError('States.QueryEvaluationError', `The JSONata expression '${body}' specified for the field '${field}' threw an error during evaluation. ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`, field);
  }
  if (compiled.size > 5000) compiled.clear();
  compiled.set(body, expr);
  return expr;
}

/** Evaluates one `{% %}` string. */
export async function evaluateExpression(text: string, env: JsonataEnv, field: string): Promise<unknown> {
  const body = text.slice(2, -2).trim();
  const expr = compile(body, field);
  const startedMs = Date.now();
  const budget: Budget = { startedMs, lastYieldMs: startedMs };
  const bindings: Record<string, unknown> = { ...env.variables, states: env.states, ...extraFunctions(env.random), [BUDGET]: budget };
  let value: unknown;
  try {
    value = await expr.evaluate(null, bindings);
  } catch (err) {
    const e = err as { message?: string; code?: string };
    throw new StatesError('States.QueryEvaluationError', `The JSONata expression '${body}' specified for the field '${field}' threw an error during evaluation. ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`, field);
  }
  if (value === undefined) {
    throw new StatesError('States.QueryEvaluationError', `The JSONata expression '${body}' specified for the field '${field}' returned nothing (undefined).`, field);
  }
  if (typeof value === 'function') {
    throw new StatesError('States.QueryEvaluationError', `The JSONata expression '${body}' specified for the field '${field}' returned an unsupported result type.`, field);
  }
  return plain(value);
}

/** The JSON type name AWS uses in QueryEvaluationError causes. */
export function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** Strips jsonata's sequence markers so results are plain JSON (a single-element sequence is its element). */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) {
    const seq = (v as { sequence?: boolean }).sequence;
    if (seq && v.length === 1) return plain(v[0]);
    return v.map(plain);
  }
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = plain(x);
    return out;
  }
  return v;
}

/**
 * Evaluates a template: `{% %}` strings anywhere in objects/arrays are replaced by their values.
 * `field` names the location for error causes, e.g. `Arguments/Payload`.
 */
export async function evaluateTemplate(template: unknown, env: JsonataEnv, field: string): Promise<unknown> {
  if (isExpression(template)) return evaluateExpression(template, env, field);
  if (Array.isArray(template)) {
    const out: unknown[] = [];
    for (let i = 0; i < template.length; i++) out.push(await evaluateTemplate(template[i], env, `${field}[${i}]`));
    return out;
  }
  if (template !== null && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(template)) out[k] = await evaluateTemplate(v, env, `${field}/${k}`);
    return out;
  }
  return template;
}

/** True when a template contains any `{% %}` expression (so a literal can be used as is). */
export function hasExpression(template: unknown): boolean {
  if (isExpression(template)) return true;
  if (Array.isArray(template)) return template.some(hasExpression);
  if (template !== null && typeof template === 'object') return Object.values(template).some(hasExpression);
  return false;
}

/**
 * Functions AWS adds to JSONata: `$partition`, `$range`, `$hash`, `$random`, `$uuid`, `$parse`.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */
function extraFunctions(random: SeededRandom): Record<string, unknown> {
  return {
    partition: (array: unknown[], size: number) => {
      if (!Array.isArray(array) || !Number.isInteger(size) || size <= 0) throw new Error('$partition: expected an array and a positive integer size');
      const out: unknown[][] = [];
      for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
      return out;
    },
    // A sequence, as measured on Step Functions: one item is that item (`$range(1, 9, 9)` is
    // `1`), none is nothing; arguments are truncated to integers, and a missing argument or a
    // step that truncates to 0 gives nothing.
    range: (start: unknown, end: unknown, step: unknown) => {
      const args = [start, end, step];
      if (args.some((a) => a === undefined)) return undefined;
      const bad = args.findIndex((a) => typeof a !== 'number' || !Number.isFinite(a));
      if (bad >= 0) throw Object.assign(new Error(`Argument ${bad + 1} of function "range" does not match function signature`), { code: 'T0410' });
      const [from, to, by] = args.map((a) => Math.trunc(a as number)) as [number, number, number];
      if (by === 0) return undefined;
      const out = sequence<number>();
      for (let v = from; by > 0 ? v <= to : v >= to; v += by) {
        out.push(v);
        if (out.length > 1000) throw new Error('$range: more than 1000 items');
      }
      return out;
    },
    hash: (data: unknown, alg: string) => {
      const algs: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
      const a = algs[alg];
      if (!a) throw new Error(`$hash: unknown algorithm ${JSON.stringify(alg)}`);
      return createHash(a).update(typeof data === 'string' ? data : JSON.stringify(data)).digest('hex');
    },
    random: (seed?: number) => (seed === undefined ? random.float() : mulberry(seed)),
    uuid: () => random.uuid(),
    parse: (text: string) => {
      if (typeof text !== 'string') throw new Error('$parse: expected a string');
      return JSON.parse(text);
    },
  };
}

/**
 * An array JSONata treats as a sequence (its `sequence` flag, as its own functions make them):
 * when an expression's value is a sequence of one item it is that item, and of none, nothing.
 */
function sequence<T>(): T[] {
  return Object.defineProperty([] as T[], 'sequence', { value: true, enumerable: false });
}

function mulberry(seed: number): number {
  let t = (seed + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
