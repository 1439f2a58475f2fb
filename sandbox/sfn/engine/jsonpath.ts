import { createRequire } from 'node:module';
import type { JSONPath as JsonPathFunction } from 'jsonpath-plus';
import { StatesError } from './errors.js';

/**
 * JSONPath for Amazon States Language: reference paths (`$.a.b[0]`, `$['a b']`) walked directly,
 * anything with wildcards, filters, slices or unions handed to jsonpath-plus.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html
 */

type Segment = string | number;

interface ParsedPath {
  /** Null for an indefinite path (wildcard, filter, slice, union, deep scan). */
  readonly segments: Segment[] | null;
}

const cache = new Map<string, ParsedPath>();

let jsonPathPlus: typeof JsonPathFunction | undefined;

/**
 * jsonpath-plus, loaded on the first indefinite path rather than with the engine: reference paths
 * (most of them) never need it, and a sandbox only reading histories never evaluates a path.
 * Evaluation is synchronous, so it is taken with `require` (its CommonJS build, one file; nothing
 * else in the sandbox imports it).
 */
function jsonPath(): typeof JsonPathFunction {
  jsonPathPlus ??= (createRequire(import.meta.url)('jsonpath-plus') as { JSONPath: typeof JsonPathFunction }).JSONPath;
  return jsonPathPlus;
}

/** Parses a path beginning with `$`; returns the segments of a reference path, or null if it is indefinite. */
export function parsePath(path: string): ParsedPath {
  const hit = cache.get(path);
  if (hit) return hit;
  const parsed = { segments: parseSegments(path) };
  if (cache.size > 10_000) cache.clear();
  cache.set(path, parsed);
  return parsed;
}

function parseSegments(path: string): Segment[] | null {
  if (!path.startsWith('$')) throw new Error(`JSONPath ${JSON.stringify(path)}: expected a path beginning with '$'`);
  const out: Segment[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      if (path[i + 1] === '.' || path[i + 1] === '*') return null;
      let j = i + 1;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      const name = path.slice(i + 1, j);
      if (name === '' || /[*?@()]/.test(name)) return null;
      out.push(name);
      i = j;
    } else if (c === '[') {
      const close = findClose(path, i);
      if (close < 0) throw new Error(`JSONPath ${JSON.stringify(path)}: unclosed '[' at character ${i}`);
      const inner = path.slice(i + 1, close).trim();
      if (/^-?\d+$/.test(inner)) {
        const n = Number(inner);
        if (n < 0) return null;
        out.push(n);
      } else if (/^'([^'\\]|\\.)*'$/.test(inner) || /^"([^"\\]|\\.)*"$/.test(inner)) {
        // Recorded on AWS: a backslash inside a quoted name is kept, except before the quote itself.
        const q = inner[0]!;
        out.push(inner.slice(1, -1).split(`\\${q}`).join(q));
      } else {
        return null;
      }
      i = close + 1;
    } else {
      throw new Error(`JSONPath ${JSON.stringify(path)}: unexpected ${JSON.stringify(c)} at character ${i}`);
    }
  }
  return out;
}

function findClose(path: string, open: number): number {
  let quote: string | null = null;
  for (let i = open + 1; i < path.length; i++) {
    const c = path[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === ']') return i;
  }
  return -1;
}

/** Result of {@link queryPath}: `found` is false when a reference path matched nothing. */
export type PathResult = { readonly found: true; readonly value: unknown } | { readonly found: false };

const NOT_FOUND: PathResult = { found: false };

/**
 * Reads `path` from `data`. A reference path yields its single value (or not found); an indefinite
 * path yields the array of its matches (`[]` when nothing matched), as AWS does.
 */
export function queryPath(path: string, data: unknown): PathResult {
  const { segments } = parsePath(path);
  if (segments) {
    let cur: unknown = data;
    for (const s of segments) {
      if (typeof s === 'number') {
        if (!Array.isArray(cur) || s >= cur.length) return NOT_FOUND;
        cur = cur[s];
      } else {
        if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, s)) return NOT_FOUND;
        cur = (cur as Record<string, unknown>)[s];
      }
    }
    return { found: true, value: cur };
  }
  let matches: unknown[];
  try {
    matches = jsonPath()({ path, json: data as object, wrap: true, eval: 'safe' }) as unknown[];
  } catch (err) {
    throw new StatesError('States.Runtime', `Invalid path '${path}': ${(err as Error).message}`);
  }
  return { found: true, value: Array.isArray(matches) ? matches : [] };
}

/** True when `path` is a reference path (no wildcards, filters, slices or unions). */
export function isReferencePath(path: string): boolean {
  try {
    return parsePath(path).segments !== null;
  } catch {
    return false;
  }
}

/**
 * Writes `value` at reference path `path` into a copy of `data` (copy-on-write: only the objects
 * along the path are copied). Creates missing objects; fails with `States.ResultPathMatchFailure`
 * when the path crosses a value that is not an object.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html
 */
export function setPath(data: unknown, path: string, value: unknown): unknown {
  const { segments } = parsePath(path);
  if (!segments) throw new StatesError('States.ResultPathMatchFailure', `ResultPath '${path}' is not a reference path`);
  if (segments.length === 0) return value;
  return setAt(data, segments, 0, value, path);
}

function setAt(node: unknown, segs: Segment[], i: number, value: unknown, path: string): unknown {
  const s = segs[i];
  const last = i === segs.length - 1;
  if (typeof s === 'number') {
    if (!Array.isArray(node) || s >= node.length) {
      throw new StatesError('States.ResultPathMatchFailure', `Unable to apply ResultPath '${path}' to input ${truncate(JSON.stringify(node))}`);
    }
    const copy = node.slice();
    copy[s] = last ? value : setAt(node[s], segs, i + 1, value, path);
    return copy;
  }
  if (node === undefined) node = {};
  if (node === null || typeof node !== 'object' || Array.isArray(node)) {
    throw new StatesError('States.ResultPathMatchFailure', `Unable to apply ResultPath '${path}' to input ${truncate(JSON.stringify(node))}`);
  }
  const obj = node as Record<string, unknown>;
  const copy: Record<string, unknown> = { ...obj };
  copy[s] = last ? value : setAt(Object.prototype.hasOwnProperty.call(obj, s) ? obj[s] : undefined, segs, i + 1, value, path);
  return copy;
}

function truncate(s: string | undefined): string {
  if (s === undefined) return 'undefined';
  return s.length > 200 ? `${s.slice(0, 200)}...` : s;
}

/**
 * Why a reference path matched nothing, in the words AWS uses (Jayway JsonPath):
 * `No results for path: $['a']['b']` when only the last step is missing,
 * `Missing property in path $['a']` when an earlier one is.
 */
export function describeMissing(path: string, data: unknown): string {
  let segments: Segment[] | null;
  try {
    segments = parsePath(path.startsWith('$$') ? path.slice(1) : path).segments;
  } catch {
    segments = null;
  }
  if (!segments) return `No results for path: ${path}`;
  let cur: unknown = data;
  let rendered = '$';
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    rendered += typeof s === 'number' ? `[${s}]` : `['${s}']`;
    const ok = typeof s === 'number'
      ? Array.isArray(cur) && s < cur.length
      : cur !== null && typeof cur === 'object' && !Array.isArray(cur) && Object.prototype.hasOwnProperty.call(cur, s);
    if (!ok) {
      if (i === segments.length - 1) return `No results for path: ${rendered}`;
      return `Missing property in path ${rendered}`;
    }
    cur = typeof s === 'number' ? (cur as unknown[])[s] : (cur as Record<string, unknown>)[s];
  }
  return `No results for path: ${rendered}`;
}
