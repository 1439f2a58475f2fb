/**
 * Making an execution's error causes readable. A Lambda task's failure reaches Step Functions as
 * the runtime's JSON (`{"errorType": …, "errorMessage": …, "trace": [ … ]}`), and Lifeboat's
 * recorder quotes it inside its own message; an on-call engineer needs the error name and what
 * failed, not the stack frames and the task's local file paths. Those are kept for `--debug`.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
 */

/** Where a Lambda error object starts inside a text. */
const LAMBDA_ERROR_START = /\{\s*"errorType"\s*:/g;
/** A source location: `/home/x/tasks/a.ts:47:28`, `file:///…/b.js:3:1`, `node:internal/x:95:5`. */
const LOCATION = String.raw`(?:file:\/\/)?(?:\/|[A-Za-z]:\\)[^\s()'"]+\.[cm]?[jt]s(?::\d+){1,2}|node:[\w/.-]+(?::\d+){1,2}`;
/** A stack frame: ` at Object.fn (LOCATION)` or ` at LOCATION`. */
const STACK_FRAME = new RegExp(String.raw`\s+at\s+(?:async\s+)?(?:[\w$.<>\[\]]+\s+)?\(?(?:${LOCATION})\)?`, 'g');
/** A local path left anywhere else. */
const LOCAL_PATH = new RegExp(String.raw`\s*\(?(?:${LOCATION})\)?`, 'g');

/** The index just past the object that starts at `start` (braces balanced, strings skipped), or -1 if it is cut off. */
function endOfObject(text: string, start: number): number {
  let depth = 0;
  let isInString = false;
  for (let i = start; i < text.length; i += 1) {
    const c = text[i];
    if (isInString) {
      if (c === '\\') i += 1;
      else if (c === '"') isInString = false;
    } else if (c === '"') isInString = true;
    else if (c === '{') depth += 1;
    else if (c === '}') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The value of a JSON string field in a possibly cut-off JSON text. */
function stringField(text: string, field: string): string | undefined {
  const match = new RegExp(`"${field}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)("?)`).exec(text);
  if (!match) return undefined;
  const body = match[2] === '"' ? match[1] : `${match[1].replace(/\\$/, '')}…`;
  try {
    return JSON.parse(`"${body.replace(/…$/, '')}"`) + (body.endsWith('…') ? '…' : '');
  } catch {
    return body;
  }
}

/** `Type: message`, or the message alone when it already starts with the type (the Node.js trace's first line does). */
function describeError(errorType: string | undefined, errorMessage: string | undefined): string {
  const message = errorMessage === undefined ? '' : readable(errorMessage);
  if (errorType === undefined || errorType === '') return message;
  if (message === '' ) return errorType;
  return message.startsWith(`${errorType}:`) ? message : `${errorType}: ${message}`;
}

function readable(text: string): string {
  let out = '';
  let from = 0;
  for (const match of text.matchAll(LAMBDA_ERROR_START)) {
    if (match.index < from) continue;
    const start = match.index;
    const end = endOfObject(text, start);
    const slice = end === -1 ? text.slice(start) : text.slice(start, end);
    let errorType: string | undefined;
    let errorMessage: string | undefined;
    try {
      const parsed = JSON.parse(slice) as { errorType?: unknown; errorMessage?: unknown };
      errorType = typeof parsed.errorType === 'string' ? parsed.errorType : undefined;
      errorMessage = typeof parsed.errorMessage === 'string' ? parsed.errorMessage : undefined;
    } catch {
      errorType = stringField(slice, 'errorType');
      errorMessage = stringField(slice, 'errorMessage');
    }
    let before = text.slice(from, start);
    // "failed with Lifeboat.NotFound: {"errorType":"Lifeboat.NotFound",…}": name the error once.
    if (errorType !== undefined && before.endsWith(`${errorType}: `)) before = before.slice(0, -`${errorType}: `.length);
    out += before + describeError(errorType, errorMessage);
    from = end === -1 ? text.length : end;
  }
  out += text.slice(from);
  return out.replace(STACK_FRAME, '').replace(LOCAL_PATH, '').replace(/[ \t]+/g, ' ').trim();
}

/**
 * An error cause as an on-call engineer should read it: each Lambda error object (whole, quoted
 * in a longer message, or cut off) becomes `ErrorType: message`; stack frames and local file
 * paths are dropped. With `isDebug` the cause is returned exactly as recorded.
 *
 * @example readableCause('{"errorType":"Lifeboat.NotFound","errorMessage":"no recovery point","trace":["…"]}')
 *   // 'Lifeboat.NotFound: no recovery point'
 */
export function readableCause(cause: string, options?: { isDebug?: boolean }): string;
export function readableCause(cause: string | undefined, options?: { isDebug?: boolean }): string | undefined;
export function readableCause(cause: string | undefined, options: { isDebug?: boolean } = {}): string | undefined {
  if (cause === undefined || options.isDebug === true) return cause;
  return readable(cause);
}

/**
 * An error and its cause on one line, the error named once: `Lifeboat.NotFound: no recovery
 * point` (not `Lifeboat.NotFound: Lifeboat.NotFound: …`).
 */
export function errorAndCause(error: string | undefined, cause: string | undefined, options: { isDebug?: boolean; max?: number } = {}): string {
  const max = options.max ?? 200;
  const text = cause === undefined ? '' : readableCause(cause, options).replace(/\s+/g, ' ').trim();
  const name = error ?? 'error';
  const body = text === '' ? name : text.startsWith(`${name}:`) || text === name ? text : `${name}: ${text}`;
  return options.isDebug === true || body.length <= max ? body : `${body.slice(0, max - 1)}…`;
}
