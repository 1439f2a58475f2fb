/**
 * The wire side of the Step Functions API (AWS JSON 1.0): errors shaped as AWS shapes them,
 * member validation with AWS's messages, ARN parsing, name rules, dates and page tokens.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html
 */
import { createHash } from 'node:crypto';
import { depthMessage, jsonDepthBeyond } from '../json-depth.js';

/** The namespace AWS puts before `#` in `__type` for Step Functions' own errors. */
export const SFN_NAMESPACE = 'com.amazonaws.sfn';
/** The namespace of the front end's (Coral's) errors: serialization, unknown operation. */
export const CORAL_NAMESPACE = 'com.amazon.coral.service';
/** The content type of every request and response. */
export const JSON_1_0 = 'application/x-amz-json-1.0';

/**
 * An error the API answers with: `{"__type": "<namespace>#<code>", "message": …}` and an HTTP status.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html
 */
export class SfnApiError extends Error {
  constructor(
    /** The error name, e.g. `ExecutionDoesNotExist`; the SDK raises the class of that name. */
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly namespace = SFN_NAMESPACE,
    /** Extra members of the error shape (e.g. `resourceName` of `ResourceNotFound`). */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'SfnApiError';
  }

  /** The JSON body of the error response. */
  toBody(): string {
    return JSON.stringify({ __type: `${this.namespace}#${this.code}`, message: this.message, ...this.extra });
  }
}

/** `InvalidArn` with AWS's wording for an ARN that does not even start like one. */
export function invalidArnPrefix(value: string): SfnApiError {
  return new SfnApiError('InvalidArn', `Invalid Arn: 'Invalid ARN prefix: ${value}'`);
}

/** `ValidationException` with AWS's "N validation error(s) detected: …" wording. */
export function validationError(problems: readonly string[], reason?: string): SfnApiError {
  const n = problems.length;
  const message = `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`;
  return new SfnApiError('ValidationException', message, 400, SFN_NAMESPACE, reason ? { reason } : {});
}

/** `SerializationException`: the body is not JSON, or a member has the wrong JSON type. */
export function serializationError(message: string): SfnApiError {
  return new SfnApiError('SerializationException', message, 400, CORAL_NAMESPACE);
}

/** Renders a value the way AWS quotes it in validation messages (`Value 'x'`, `Value null`). */
function quoteValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.length > 256 ? `${text.slice(0, 256)}…` : text}'`;
}

interface StringRule { readonly required?: boolean; readonly min?: number; readonly max?: number }
interface IntRule { readonly min?: number; readonly max?: number }

/**
 * Reads the members of a request body with AWS's checks: a member of the wrong JSON type is a
 * `SerializationException` (thrown at once, as the front end does), a missing required member or
 * a broken length/range/enum constraint is collected and thrown by {@link Members.done} as one
 * `ValidationException` listing every problem.
 */
export class Members {
  private readonly problems: string[] = [];

  constructor(private readonly body: Readonly<Record<string, unknown>>) {}

  /** A string member. */
  string(name: string, rule: StringRule & { required: true }): string;
  string(name: string, rule?: StringRule): string | undefined;
  string(name: string, rule: StringRule = {}): string | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) {
      if (rule.required) this.problems.push(`Value null at '${name}' failed to satisfy constraint: Member must not be null`);
      return rule.required ? '' : undefined;
    }
    if (typeof value !== 'string') {
      throw serializationError(`member '${name}': expected a JSON string, found ${JSON.stringify(value)}`);
    }
    const length = [...value].length;
    if (rule.min !== undefined && length < rule.min) {
      this.problems.push(`Value ${quoteValue(value)} at '${name}' failed to satisfy constraint: Member must have length greater than or equal to ${rule.min}`);
    }
    if (rule.max !== undefined && length > rule.max) {
      this.problems.push(`Value ${quoteValue(value)} at '${name}' failed to satisfy constraint: Member must have length less than or equal to ${rule.max}`);
    }
    return value;
  }

  /** An integer member. */
  int(name: string, rule: IntRule = {}): number | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw serializationError(`member '${name}': expected a JSON integer, found ${JSON.stringify(value)}`);
    }
    if (rule.min !== undefined && value < rule.min) {
      this.problems.push(`Value '${value}' at '${name}' failed to satisfy constraint: Member must have value greater than or equal to ${rule.min}`);
    }
    if (rule.max !== undefined && value > rule.max) {
      this.problems.push(`Value '${value}' at '${name}' failed to satisfy constraint: Member must have value less than or equal to ${rule.max}`);
    }
    return value;
  }

  /** A boolean member. */
  bool(name: string): boolean | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      throw serializationError(`member '${name}': expected a JSON boolean, found ${JSON.stringify(value)}`);
    }
    return value;
  }

  /** A string member restricted to `values` (listed in the message in the order given). */
  enum<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) {
      this.problems.push(`Value ${quoteValue(value)} at '${name}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`);
      return undefined;
    }
    return value as T;
  }

  /** An object member (structure), returned as is. */
  object(name: string): Record<string, unknown> | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw serializationError(`member '${name}': expected a JSON object, found ${JSON.stringify(value)}`);
    }
    return value as Record<string, unknown>;
  }

  /** A list member. */
  list(name: string, rule: { required?: boolean } = {}): unknown[] | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) {
      if (rule.required) this.problems.push(`Value null at '${name}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    if (!Array.isArray(value)) {
      throw serializationError(`member '${name}': expected a JSON array, found ${JSON.stringify(value)}`);
    }
    return value;
  }

  /** Throws the collected constraint violations, if any. */
  done(): void {
    if (this.problems.length > 0) throw validationError(this.problems);
  }
}

/** Parses a request body: `{}` when empty, a `SerializationException` when not a JSON object. */
export function parseBody(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw serializationError(`request body: expected a JSON object, found text that is not JSON (${(err as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw serializationError(`request body: expected a JSON object, found ${JSON.stringify(value).slice(0, 80)}`);
  }
  return value as Record<string, unknown>;
}

/** A state machine ARN, split. */
export interface StateMachineArnParts {
  readonly region: string;
  readonly account: string;
  readonly name: string;
  /** Version number or alias name after the name, if qualified. */
  readonly qualifier?: string;
}

/** An execution ARN, split. */
export interface ExecutionArnParts {
  readonly region: string;
  readonly account: string;
  readonly stateMachineName: string;
  readonly name: string;
}

const ARN_RE = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):([A-Za-z]+):(.+)$/;

/**
 * Splits `arn:aws:states:<region>:<account>:stateMachine:<name>[:<qualifier>]`.
 *
 * @throws SfnApiError `InvalidArn` when the text is not a state machine ARN.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-version.html
 */
export function parseStateMachineArn(arn: string): StateMachineArnParts {
  const m = ARN_RE.exec(arn);
  if (!m) throw invalidArnPrefix(arn);
  if (m[4] !== 'stateMachine') throw new SfnApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${m[4]}'`);
  const [name, qualifier, ...rest] = m[5]!.split(':');
  if (!name || rest.length > 0 || qualifier === '') throw new SfnApiError('InvalidArn', `Invalid Arn: 'Invalid ARN resource: ${m[5]}'`);
  return { region: m[2]!, account: m[3]!, name, qualifier };
}

/**
 * Splits `arn:aws:states:<region>:<account>:execution:<stateMachineName>:<name>`.
 *
 * @throws SfnApiError `InvalidArn` when the text is not an execution ARN.
 */
export function parseExecutionArn(arn: string): ExecutionArnParts {
  const m = ARN_RE.exec(arn);
  if (!m) throw invalidArnPrefix(arn);
  if (m[4] !== 'execution') throw new SfnApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${m[4]}'`);
  const parts = m[5]!.split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new SfnApiError('InvalidArn', `Invalid Arn: 'Invalid ARN resource: ${m[5]}'`);
  return { region: m[2]!, account: m[3]!, stateMachineName: parts[0], name: parts[1] };
}

// Characters AWS refuses in state machine and execution names.
// @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html#StepFunctions-StartExecution-request-name
// eslint-disable-next-line no-control-regex
const BAD_NAME_CHAR = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f\ufffe\uffff]/u;

/** True when `name` is a valid state machine or execution name (1–80 characters, none of AWS's refused characters). */
export function isValidName(name: string): boolean {
  const length = [...name].length;
  if (length < 1 || length > 80) return false;
  if (BAD_NAME_CHAR.test(name)) return false;
  // Lone surrogates.
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = name.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

/** `InvalidName` as AWS words it. */
export function invalidName(name: string): SfnApiError {
  return new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
}

/** Epoch milliseconds → the epoch-second number AWS JSON 1.0 uses for timestamps. */
export function toEpochSeconds(ms: number): number {
  return ms / 1000;
}

/** The body of `InvalidToken` for a page token that this server did not issue (or for other arguments). */
export function invalidPageToken(): SfnApiError {
  return new SfnApiError('InvalidToken', "Invalid Token: 'Invalid token'");
}

/**
 * A page token: the offset of the next item, bound to the query it came from, so that a token
 * replayed with other arguments is refused with `InvalidToken` as AWS does.
 */
export function encodePageToken(query: string, offset: number): string {
  const digest = createHash('sha256').update(query).digest('hex').slice(0, 16);
  return Buffer.from(JSON.stringify({ q: digest, o: offset })).toString('base64');
}

/** Reads a page token made by {@link encodePageToken} for the same query. */
export function decodePageToken(token: string | undefined, query: string): number {
  if (token === undefined) return 0;
  const digest = createHash('sha256').update(query).digest('hex').slice(0, 16);
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { q?: unknown; o?: unknown };
    if (parsed.q === digest && typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // falls through to InvalidToken
  }
  throw invalidPageToken();
}

/**
 * Checks that `text` is JSON and returns the parse error's message when it is not, worded as
 * AWS's parser (Jackson) words the two common mistakes: a bare word, and an unquoted field name.
 * Other mistakes carry Node's message.
 *
 * Recorded on AWS (localstack tests/aws/services/stepfunctions/v2/test_sfn_api.snapshot.json,
 * test_invalid_start_execution_input): `not json` and `{'not': 'json'}`.
 */
export function jsonProblem(text: string): string | undefined {
  // Deeper than Jackson allows: refused before parsing, as AWS's parser stops there too.
  const depth = jsonDepthBeyond(text);
  if (depth !== undefined) return depthMessage(depth);
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    const word = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(text)?.[1];
    if (word !== undefined && !['true', 'false', 'null'].includes(word)) {
      return `Unrecognized token '${word}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`;
    }
    const field = /^\s*\{\s*([^"\s}])/.exec(text)?.[1];
    if (field !== undefined) {
      return `Unexpected character ('${field}' (code ${field.codePointAt(0)})): was expecting double-quote to start field name`;
    }
    return (err as Error).message;
  }
}

/** Byte length of a string in UTF-8 (AWS's payload limits count bytes). */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
