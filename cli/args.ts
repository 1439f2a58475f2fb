/**
 * A small strict argument parser for `lifeboat`: `--flag value`, `--flag=value`, boolean flags,
 * repeatable flags, positionals and `--`. Every mistake is a {@link UsageError} naming the flag.
 */
import { UsageError } from './errors.js';

/** One flag a command accepts. */
export interface FlagSpec {
  /** `boolean` flags take no value; `string` flags take exactly one. */
  readonly type: 'boolean' | 'string';
  /** The value's placeholder in help (`FILE`, `ARN`, `N`). @default VALUE */
  readonly value?: string;
  /** May be given more than once (values collected in order). @default false */
  readonly isMultiple?: boolean;
  /** One line of help. */
  readonly help: string;
}

/** One positional argument. */
export interface PositionalSpec {
  /** The placeholder in help (`FILE`, `EXECUTION`). */
  readonly name: string;
  /** One line of help. */
  readonly help: string;
}

/** The parsed command line of one command. */
export interface ParsedArgs {
  /** Flag values: `true` for booleans, a string, or a list for repeatable flags. */
  readonly flags: Readonly<Record<string, boolean | string | readonly string[] | undefined>>;
  /** Positional values, in the order of the command's positional specs. */
  readonly positionals: readonly string[];
}

/**
 * Parses `argv` against a command's flags and positionals.
 *
 * @param command the command as typed (`lifeboat plan check`), used in messages
 * @param argv the arguments after the command words
 * @throws UsageError for an unknown flag (with a suggestion), a missing or unexpected value, a
 *   repeated single flag, a missing or an extra positional
 */
export function parseArgs(
  command: string,
  argv: readonly string[],
  flags: Readonly<Record<string, FlagSpec>>,
  positionals: readonly PositionalSpec[],
): ParsedArgs {
  const values: Record<string, boolean | string | string[] | undefined> = {};
  const found: string[] = [];
  const hint = `run '${command} --help' for its flags`;
  let isRest = false;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    if (isRest || !arg.startsWith('-') || arg === '-') {
      found.push(arg);
      continue;
    }
    if (arg === '--') {
      isRest = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      const name = arg === '-h' ? 'help' : undefined;
      if (name !== undefined && flags[name] !== undefined) {
        values[name] = true;
        continue;
      }
      throw new UsageError(`${command}: unknown flag '${arg}'`, { hint: `flags are spelled out, e.g. '--region'; ${hint}` });
    }
    const equals = arg.indexOf('=');
    const name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
    const spec = flags[name];
    if (spec === undefined) {
      const suggestion = closest(name, Object.keys(flags));
      throw new UsageError(`${command}: unknown flag '--${name}'`, {
        hint: suggestion === undefined ? hint : `did you mean '--${suggestion}'? ${hint}`,
      });
    }
    if (spec.type === 'boolean') {
      if (equals !== -1) {
        throw new UsageError(`${command}: flag '--${name}' takes no value, found ${JSON.stringify(arg.slice(equals + 1))}`, { hint });
      }
      values[name] = true;
      continue;
    }
    let value: string | undefined;
    if (equals !== -1) {
      value = arg.slice(equals + 1);
    } else {
      const next = argv[index + 1];
      if (next !== undefined && !(next.startsWith('--') && next.length > 2)) {
        value = next;
        index += 1;
      }
    }
    if (value === undefined || value === '') {
      throw new UsageError(`${command}: flag '--${name}' needs a value (${spec.value ?? 'VALUE'})`, { hint });
    }
    if (spec.isMultiple === true) {
      values[name] = [...((values[name] as string[] | undefined) ?? []), value];
    } else if (values[name] !== undefined) {
      throw new UsageError(`${command}: flag '--${name}' given more than once`, { hint: 'give it once' });
    } else {
      values[name] = value;
    }
  }
  if (values.help === true) return { flags: values, positionals: found };
  if (found.length < positionals.length) {
    const missing = positionals.slice(found.length).map((p) => p.name);
    throw new UsageError(`${command}: missing ${missing.join(' and ')}`, {
      hint: `usage: ${command} ${positionals.map((p) => p.name).join(' ')}; ${hint}`,
    });
  }
  if (found.length > positionals.length) {
    throw new UsageError(`${command}: unexpected argument ${JSON.stringify(found[positionals.length])}`, {
      hint:
        positionals.length === 0
          ? `'${command}' takes no arguments; ${hint}`
          : `usage: ${command} ${positionals.map((p) => p.name).join(' ')}; ${hint}`,
    });
  }
  return { flags: values, positionals: found };
}

/** The candidate within edit distance 2 of `word` (the nearest one), if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
