import { StatesError } from './errors.js';
import type { PathResult } from './jsonpath.js';

/**
 * Choice rules of JSONPath states: the comparators, their `...Path` forms, `And`/`Or`/`Not` and the
 * type tests. A comparator applied to a value of another type is false, never an error.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 */

/** Resolves `$.x`, `$$.x` or `$var.x` against the Choice state's input. */
export type Resolve = (path: string) => PathResult;

type Rule = Record<string, unknown>;

const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 timestamp as Step Functions accepts it (uppercase T, zone required); NaN if not one. */
export function parseTimestamp(v: unknown): number {
  if (typeof v !== 'string' || !TIMESTAMP_RE.test(v)) return NaN;
  return Date.parse(v);
}

/** Evaluates one rule (top-level or nested); throws `States.Runtime` when `Variable` matches nothing. */
export function evaluateRule(rule: Rule, resolve: Resolve): boolean {
  if (Array.isArray(rule.And)) return (rule.And as Rule[]).every((r) => evaluateRule(r, resolve));
  if (Array.isArray(rule.Or)) return (rule.Or as Rule[]).some((r) => evaluateRule(r, resolve));
  if (rule.Not && typeof rule.Not === 'object') return !evaluateRule(rule.Not as Rule, resolve);
  const variable = rule.Variable as string;
  const found = resolve(variable);
  if ('IsPresent' in rule) return found.found === rule.IsPresent;
  if (!found.found) {
    throw new StatesError('States.Runtime', `Invalid path '${variable}': The choice state's condition path references an invalid value.`);
  }
  const v = found.value;
  for (const key of Object.keys(rule)) {
    if (key === 'Variable' || key === 'Next' || key === 'Comment' || key === 'Assign' || key === 'Output') continue;
    let operand = rule[key];
    let op = key;
    if (key.endsWith('Path') && key !== 'Path') {
      op = key.slice(0, -4);
      const r = resolve(operand as string);
      if (!r.found) throw new StatesError('States.Runtime', `Invalid path '${String(operand)}': The choice state's condition path references an invalid value.`);
      operand = r.value;
    }
    return compare(op, v, operand);
  }
  throw new StatesError('States.Runtime', `Choice rule on ${JSON.stringify(variable)} has no comparison operator`);
}

function compare(op: string, v: unknown, operand: unknown): boolean {
  switch (op) {
    case 'IsNull': return (v === null) === operand;
    case 'IsString': return (typeof v === 'string') === operand;
    case 'IsNumeric': return (typeof v === 'number') === operand;
    case 'IsBoolean': return (typeof v === 'boolean') === operand;
    case 'IsTimestamp': return !Number.isNaN(parseTimestamp(v)) === operand;
    case 'StringEquals': return typeof v === 'string' && typeof operand === 'string' && v === operand;
    case 'StringLessThan': return typeof v === 'string' && typeof operand === 'string' && v < operand;
    case 'StringGreaterThan': return typeof v === 'string' && typeof operand === 'string' && v > operand;
    case 'StringLessThanEquals': return typeof v === 'string' && typeof operand === 'string' && v <= operand;
    case 'StringGreaterThanEquals': return typeof v === 'string' && typeof operand === 'string' && v >= operand;
    case 'StringMatches': return typeof v === 'string' && typeof operand === 'string' && wildcardMatch(v, operand);
    case 'NumericEquals': return typeof v === 'number' && typeof operand === 'number' && v === operand;
    case 'NumericLessThan': return typeof v === 'number' && typeof operand === 'number' && v < operand;
    case 'NumericGreaterThan': return typeof v === 'number' && typeof operand === 'number' && v > operand;
    case 'NumericLessThanEquals': return typeof v === 'number' && typeof operand === 'number' && v <= operand;
    case 'NumericGreaterThanEquals': return typeof v === 'number' && typeof operand === 'number' && v >= operand;
    case 'BooleanEquals': return typeof v === 'boolean' && typeof operand === 'boolean' && v === operand;
    case 'TimestampEquals':
    case 'TimestampLessThan':
    case 'TimestampGreaterThan':
    case 'TimestampLessThanEquals':
    case 'TimestampGreaterThanEquals': {
      const a = parseTimestamp(v);
      const b = parseTimestamp(operand);
      if (Number.isNaN(a) || Number.isNaN(b)) return false;
      if (op === 'TimestampEquals') return a === b;
      if (op === 'TimestampLessThan') return a < b;
      if (op === 'TimestampGreaterThan') return a > b;
      if (op === 'TimestampLessThanEquals') return a <= b;
      return a >= b;
    }
    default:
      throw new StatesError('States.Runtime', `Unknown Choice comparison operator ${JSON.stringify(op)}`);
  }
}

/**
 * `StringMatches`: `*` matches any run of characters; `\*` is a literal star and `\\` a literal backslash.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 */
export function wildcardMatch(value: string, pattern: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      re += escapeRe(pattern[++i]!);
    } else if (c === '*') re += '[\\s\\S]*';
    else re += escapeRe(c);
  }
  return new RegExp(`${re}$`).test(value);
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
