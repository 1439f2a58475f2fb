import { createHash } from 'node:crypto';
import { SeededRandom } from '../../random.js';
import { StatesError } from './errors.js';

/**
 * Intrinsic functions of JSONPath states (`States.Format(...)` and the rest).
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
 */

/** One parsed argument or call. */
export type IntrinsicNode =
  | { readonly kind: 'call'; readonly name: string; readonly args: IntrinsicNode[] }
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'path'; readonly path: string };

/** What an intrinsic needs from the state: resolving paths (`$.x`, `$$.x`, `$var`) and random numbers. */
export interface IntrinsicEnv {
  resolvePath(path: string): unknown;
  readonly random: SeededRandom;
}

const FUNCTIONS = new Set([
  'States.Format', 'States.StringToJson', 'States.JsonToString', 'States.Array', 'States.ArrayPartition',
  'States.ArrayContains', 'States.ArrayRange', 'States.ArrayGetItem', 'States.ArrayLength', 'States.ArrayUnique',
  'States.Base64Encode', 'States.Base64Decode', 'States.Hash', 'States.JsonMerge', 'States.MathRandom',
  'States.MathAdd', 'States.StringSplit', 'States.UUID',
]);

/** True when a `.$` value is an intrinsic call rather than a path. */
export function isIntrinsic(text: string): boolean {
  return /^States\.[A-Za-z0-9]+\s*\(/.test(text.trim());
}

const parsed = new Map<string, IntrinsicNode>();

/** Parses an intrinsic call; throws an Error naming the position on bad syntax. */
export function parseIntrinsic(text: string): IntrinsicNode {
  const hit = parsed.get(text);
  if (hit) return hit;
  const p = new Parser(text);
  const node = p.call();
  p.ws();
  if (p.i < text.length) p.fail('end of expression');
  if (parsed.size > 5000) parsed.clear();
  parsed.set(text, node);
  return node;
}

/**
 * How deep intrinsic calls may nest within one field, as Step Functions allows ("up to 10").
 * Bounding it also keeps a hostile definition from overflowing the stack when evaluated.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
 */
export const MAX_INTRINSIC_NESTING = 10;

class Parser {
  i = 0;
  /** Calls open at the current position. */
  private depth = 0;
  constructor(readonly s: string) {}
  fail(expected: string): never {
    throw new Error(`intrinsic ${JSON.stringify(this.s)}: expected ${expected} at character ${this.i}, found ${JSON.stringify(this.s.slice(this.i, this.i + 10)) || 'end'}`);
  }
  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }
  call(): IntrinsicNode {
    this.ws();
    const m = /^States\.[A-Za-z0-9]+/.exec(this.s.slice(this.i));
    if (!m) this.fail('a function name such as States.Format');
    const name = m[0];
    if (!FUNCTIONS.has(name)) throw new Error(`intrinsic ${JSON.stringify(this.s)}: unknown function ${name}`);
    if (this.depth === MAX_INTRINSIC_NESTING) {
      throw new Error(`intrinsic ${JSON.stringify(this.s.length > 200 ? `${this.s.slice(0, 200)}…` : this.s)}: expected at most ${MAX_INTRINSIC_NESTING} nested intrinsic functions in one field, found more at character ${this.i}`);
    }
    this.i += name.length;
    this.ws();
    if (this.s[this.i] !== '(') this.fail("'('");
    this.i++;
    const args: IntrinsicNode[] = [];
    this.ws();
    if (this.s[this.i] === ')') {
      this.i++;
      return { kind: 'call', name, args };
    }
    this.depth++;
    for (;;) {
      args.push(this.arg());
      this.ws();
      const c = this.s[this.i];
      if (c === ',') { this.i++; continue; }
      if (c === ')') { this.i++; break; }
      this.fail("',' or ')'");
    }
    this.depth--;
    return { kind: 'call', name, args };
  }
  arg(): IntrinsicNode {
    this.ws();
    const c = this.s[this.i];
    if (c === "'") {
      this.i++;
      let out = '';
      for (;;) {
        if (this.i >= this.s.length) this.fail("closing \"'\"");
        const ch = this.s[this.i]!;
        if (ch === '\\') { out += this.s[this.i + 1] ?? ''; this.i += 2; continue; }
        if (ch === "'") { this.i++; break; }
        out += ch;
        this.i++;
      }
      return { kind: 'literal', value: out };
    }
    if (c === '$') {
      const start = this.i;
      let depth = 0;
      let quote: string | null = null;
      while (this.i < this.s.length) {
        const ch = this.s[this.i]!;
        if (quote) { if (ch === quote) quote = null; }
        else if (ch === "'" || ch === '"') quote = ch;
        else if (ch === '[' || ch === '(') depth++;
        else if (ch === ']' || ch === ')') { if (depth === 0) break; depth--; }
        else if (ch === ',' && depth === 0) break;
        this.i++;
      }
      return { kind: 'path', path: this.s.slice(start, this.i).trim() };
    }
    if (this.s.startsWith('States.', this.i)) return this.call();
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(this.s.slice(this.i));
    if (!m) this.fail('a string, number, boolean, null, path or function');
    this.i += m[0].length;
    return { kind: 'literal', value: JSON.parse(m[0]) };
  }
}

/** Evaluates an intrinsic expression; failures are `States.IntrinsicFailure`. */
export function evaluateIntrinsic(text: string, env: IntrinsicEnv): unknown {
  let node: IntrinsicNode;
  try {
    node = parseIntrinsic(text);
  } catch (err) {
    throw new StatesError('States.IntrinsicFailure', (err as Error).message);
  }
  return evalNode(node, env);
}

function evalNode(node: IntrinsicNode, env: IntrinsicEnv): unknown {
  if (node.kind === 'literal') return node.value;
  if (node.kind === 'path') return env.resolvePath(node.path);
  const args = node.args.map((a) => evalNode(a, env));
  return callFunction(node.name, args, env);
}

function fail(name: string, msg: string): never {
  throw new StatesError('States.IntrinsicFailure', `Invalid arguments in ${name}: ${msg}`);
}

function argCount(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    fail(name, `expected ${min === max ? min : `${min} to ${max}`} argument(s), found ${args.length}`);
  }
}

function str(name: string, v: unknown, what: string): string {
  if (typeof v !== 'string') fail(name, `${what}: expected a string, found ${JSON.stringify(v)}`);
  return v;
}

function arr(name: string, v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) fail(name, `${what}: expected an array, found ${JSON.stringify(v)}`);
  return v;
}

function num(name: string, v: unknown, what: string): number {
  if (typeof v !== 'number') fail(name, `${what}: expected a number, found ${JSON.stringify(v)}`);
  return v;
}

function int(name: string, v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(name, `${what}: expected an integer, found ${JSON.stringify(v)}`);
  return v;
}

/** Renders a value as States.Format does: objects as `{k=v, ...}`, arrays as `[a, b]`. */
function formatValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as object).map(([k, x]) => `${k}=${formatValue(x)}`).join(', ')}}`;
  return String(v);
}

/** Structural equality of JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const HASHES: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

function callFunction(name: string, args: unknown[], env: IntrinsicEnv): unknown {
  switch (name) {
    case 'States.Format': {
      if (args.length < 1) fail(name, 'expected a template string');
      const template = str(name, args[0], 'template');
      const values = args.slice(1);
      let used = 0;
      let out = '';
      for (let i = 0; i < template.length; i++) {
        const c = template[i];
        if (c === '\\' && i + 1 < template.length) { out += template[++i]; continue; }
        if (c === '{' && template[i + 1] === '}') {
          if (used >= values.length) fail(name, `the template has more '{}' than the ${values.length} value argument(s)`);
          out += formatValue(values[used++]);
          i++;
          continue;
        }
        out += c;
      }
      if (used !== values.length) fail(name, `the template has ${used} '{}' but ${values.length} value argument(s) were given`);
      return out;
    }
    case 'States.StringToJson': {
      argCount(name, args, 1);
      const s = str(name, args[0], 'argument');
      if (s.trim() === '') return null;
      try {
        return JSON.parse(s);
      } catch {
        fail(name, `${JSON.stringify(s)} is not JSON`);
      }
    }
    // falls through (unreachable)
    case 'States.JsonToString':
      argCount(name, args, 1);
      return JSON.stringify(args[0]);
    case 'States.Array':
      return args;
    case 'States.ArrayPartition': {
      argCount(name, args, 2);
      const a = arr(name, args[0], 'array');
      const size = int(name, args[1], 'chunk size');
      if (size <= 0) fail(name, `chunk size: expected a positive integer, found ${size}`);
      const out: unknown[][] = [];
      for (let i = 0; i < a.length; i += size) out.push(a.slice(i, i + size));
      return out;
    }
    case 'States.ArrayContains': {
      argCount(name, args, 2);
      return arr(name, args[0], 'array').some((x) => deepEqual(x, args[1]));
    }
    case 'States.ArrayRange': {
      argCount(name, args, 3);
      const start = int(name, args[0], 'start');
      const end = int(name, args[1], 'end');
      const step = int(name, args[2], 'step');
      if (step === 0) fail(name, 'step: expected a non-zero integer');
      const out: number[] = [];
      for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
        out.push(v);
        if (out.length > 1000) fail(name, 'the range has more than 1000 items');
      }
      return out;
    }
    case 'States.ArrayGetItem': {
      argCount(name, args, 2);
      const a = arr(name, args[0], 'array');
      const idx = int(name, args[1], 'index');
      if (idx < 0 || idx >= a.length) fail(name, `index ${idx} is out of bounds for an array of ${a.length}`);
      return a[idx];
    }
    case 'States.ArrayLength':
      argCount(name, args, 1);
      return arr(name, args[0], 'array').length;
    case 'States.ArrayUnique': {
      argCount(name, args, 1);
      const out: unknown[] = [];
      for (const x of arr(name, args[0], 'array')) if (!out.some((y) => deepEqual(x, y))) out.push(x);
      return out;
    }
    case 'States.Base64Encode': {
      argCount(name, args, 1);
      const s = str(name, args[0], 'argument');
      if (s.length > 10_000) fail(name, 'the input is longer than 10000 characters');
      return Buffer.from(s, 'utf8').toString('base64');
    }
    case 'States.Base64Decode': {
      argCount(name, args, 1);
      const s = str(name, args[0], 'argument');
      if (s.length > 10_000) fail(name, 'the input is longer than 10000 characters');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) fail(name, `${JSON.stringify(s)} is not base64`);
      return Buffer.from(s, 'base64').toString('utf8');
    }
    case 'States.Hash': {
      argCount(name, args, 2);
      const alg = str(name, args[1], 'algorithm');
      const node = HASHES[alg];
      if (!node) fail(name, `algorithm: expected one of ${Object.keys(HASHES).join(', ')}, found ${JSON.stringify(alg)}`);
      const data = typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]);
      if (args[0] === null || args[0] === undefined) fail(name, 'data: expected a value, found null');
      if (data.length > 10_000) fail(name, 'the input is longer than 10000 characters');
      return createHash(node).update(data, 'utf8').digest('hex');
    }
    case 'States.JsonMerge': {
      argCount(name, args, 3);
      const [a, b, deep] = args;
      const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
      if (!isObj(a) || !isObj(b)) fail(name, 'expected two JSON objects');
      if (deep !== false) fail(name, `deep merge: only false is supported, found ${JSON.stringify(deep)}`);
      return { ...(a as object), ...(b as object) };
    }
    case 'States.MathRandom': {
      argCount(name, args, 2, 3);
      // Recorded on AWS: decimal bounds are accepted (rounded).
      const start = Math.round(num(name, args[0], 'start'));
      const end = Math.round(num(name, args[1], 'end'));
      if (end <= start) fail(name, `end ${end} must be greater than start ${start}`);
      const rng = args.length === 3 ? new SeededRandom(Math.round(num(name, args[2], 'seed'))) : env.random;
      return start + rng.int(end - start);
    }
    case 'States.MathAdd': {
      argCount(name, args, 2);
      const [a, b] = args;
      if (typeof a !== 'number' || typeof b !== 'number') fail(name, `expected two numbers, found ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
      return Math.round(a) + Math.round(b);
    }
    case 'States.StringSplit': {
      argCount(name, args, 2);
      const s = str(name, args[0], 'string');
      const delims = str(name, args[1], 'delimiter');
      const out: string[] = [];
      let cur = '';
      for (const ch of s) {
        if (delims.includes(ch)) { if (cur) out.push(cur); cur = ''; } else cur += ch;
      }
      if (cur) out.push(cur);
      return out;
    }
    case 'States.UUID':
      argCount(name, args, 0);
      return env.random.uuid();
    default:
      fail(name, 'unknown function');
  }
}
