/**
 * The sandbox's Lambda: a registry of in-process handlers keyed by function, resolved from the
 * forms AWS Lambda accepts for `FunctionName` (name, full ARN, partial ARN, each optionally with a
 * version or alias), and invoked as the Node.js runtime invokes them: the event is a fresh JSON
 * copy, the result is serialised to JSON, a thrown error becomes a function error whose type is
 * `error.name`.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_RequestSyntax
 */
import type { Clock } from './clock.js';
import type { SeededRandom } from './random.js';

/** The sandbox's account id, as in every ARN it issues. */
export const SANDBOX_ACCOUNT_ID = '123456789012';

/** A subset of the Lambda Node.js runtime's context object, enough for handlers written for AWS. */
export interface LambdaContext {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  /** Wall milliseconds left before the function's timeout (`timeoutSeconds`), at which the invocation ends with `Sandbox.Timedout`. */
  getRemainingTimeInMillis(): number;
}

/** An in-process Lambda handler. */
export type LambdaHandler = (event: unknown, context: LambdaContext) => Promise<unknown> | unknown;

/** The outcome of an invocation, as the ASL engine consumes it. */
export type LambdaInvokeResult =
  | { readonly kind: 'ok'; readonly payload: unknown }
  | { readonly kind: 'function-error'; readonly errorType: string; readonly errorMessage: string; readonly trace?: string[] }
  | { readonly kind: 'service-error'; readonly error: string; readonly cause: string };

/** A `FunctionName` split into its parts; `region`/`account` are absent when the form did not carry them. */
export interface FunctionRef {
  readonly name: string;
  readonly region?: string;
  readonly account?: string;
  readonly qualifier?: string;
}

/** Options of {@link LambdaRegistry}. */
export interface LambdaRegistryOptions {
  /** The region a bare function name resolves in when the caller gives none. */
  readonly defaultRegion: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** Invocations are tracked on it, so a virtual clock does not jump while a handler runs. */
  readonly clock?: Clock;
  /** Request ids come from it. */
  readonly random?: SeededRandom;
}

const NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;
const QUALIFIER_RE = /^(\$LATEST|[A-Za-z0-9_-]{1,128})$/;
const FULL_ARN_RE = /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):function:([^:]+)(?::([^:]+))?$/;
const PARTIAL_ARN_RE = /^(\d{12}):function:([^:]+)(?::([^:]+))?$/;

/**
 * Splits a `FunctionName` in any of the forms Lambda accepts, or returns undefined when it is
 * none of them.
 *
 * @example parseFunctionName('arn:aws:lambda:us-east-1:123456789012:function:f:live')
 *   // { name: 'f', region: 'us-east-1', account: '123456789012', qualifier: 'live' }
 */
export function parseFunctionName(text: string): FunctionRef | undefined {
  let ref: FunctionRef | undefined;
  let m = FULL_ARN_RE.exec(text);
  if (m) ref = { region: m[2]!, account: m[3]!, name: m[4]!, qualifier: m[5] };
  else if ((m = PARTIAL_ARN_RE.exec(text))) ref = { account: m[1]!, name: m[2]!, qualifier: m[3] };
  else {
    const [name, qualifier, ...rest] = text.split(':');
    if (rest.length === 0 && name !== undefined) ref = { name, qualifier };
  }
  if (!ref || !NAME_RE.test(ref.name)) return undefined;
  if (ref.qualifier !== undefined && !QUALIFIER_RE.test(ref.qualifier)) return undefined;
  return ref;
}

interface Registration {
  readonly ref: FunctionRef;
  readonly handler: LambdaHandler;
  readonly timeoutSeconds: number;
}

/** A function's configuration, as `CreateFunction` would set it. */
export interface LambdaFunctionOptions {
  /**
   * How long (wall seconds) the handler may run before the invocation fails with
   * `Sandbox.Timedout`, as Lambda's function timeout.
   * @default 3 (Lambda's default)
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
   */
  readonly timeoutSeconds?: number;
}

/** Lambda's default function timeout. */
export const DEFAULT_TIMEOUT_SECONDS = 3;

/**
 * In-process Lambda functions.
 *
 * A handler registered by full ARN answers only in that ARN's region and account; one registered
 * by bare name (or partial ARN) answers in every region. A version or alias in the caller's
 * reference is accepted and ignored (every function has one version, `$LATEST`).
 */
export class LambdaRegistry {
  private readonly byKey = new Map<string, Registration>();
  private readonly anyRegion = new Map<string, Registration>();
  private readonly defaultRegion: string;
  private readonly accountId: string;
  private readonly clock?: Clock;
  private readonly random?: SeededRandom;

  constructor(options: LambdaRegistryOptions) {
    this.defaultRegion = options.defaultRegion;
    this.accountId = options.accountId ?? SANDBOX_ACCOUNT_ID;
    this.clock = options.clock;
    this.random = options.random;
  }

  /**
   * Registers (or replaces) the handler of a function.
   *
   * @param functionArnOrName a full ARN (that region only), a partial ARN or a bare name (every region).
   * @throws RangeError when the reference is none of Lambda's `FunctionName` forms.
   */
  register(functionArnOrName: string, handler: LambdaHandler, options: LambdaFunctionOptions = {}): void {
    const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 900) {
      throw new RangeError(`lambda registry: function ${JSON.stringify(functionArnOrName)} › timeoutSeconds: expected an integer from 1 to 900 (Lambda's range), found ${JSON.stringify(options.timeoutSeconds)}`);
    }
    const ref = parseFunctionName(functionArnOrName);
    if (!ref) {
      throw new RangeError(`lambda registry: function ${JSON.stringify(functionArnOrName)}: expected a function name, a partial ARN '<account>:function:<name>' or an ARN 'arn:aws:lambda:<region>:<account>:function:<name>'`);
    }
    if (typeof handler !== 'function') {
      throw new TypeError(`lambda registry: function ${JSON.stringify(functionArnOrName)}: expected a handler function, found ${typeof handler}`);
    }
    const account = ref.account ?? this.accountId;
    if (ref.region) this.byKey.set(key(ref.region, account, ref.name), { ref, handler, timeoutSeconds });
    else this.anyRegion.set(`${account}|${ref.name}`, { ref, handler, timeoutSeconds });
  }

  /** Removes a registration made with the same reference; true when there was one. */
  unregister(functionArnOrName: string): boolean {
    const ref = parseFunctionName(functionArnOrName);
    if (!ref) return false;
    const account = ref.account ?? this.accountId;
    return ref.region ? this.byKey.delete(key(ref.region, account, ref.name)) : this.anyRegion.delete(`${account}|${ref.name}`);
  }

  /** Removes every registration. */
  clear(): void {
    this.byKey.clear();
    this.anyRegion.clear();
  }

  /** The ARN a reference resolves to in `region`, or undefined when it is not a valid `FunctionName`. */
  functionArn(functionArnOrName: string, region = this.defaultRegion): string | undefined {
    const ref = parseFunctionName(functionArnOrName);
    if (!ref) return undefined;
    return `arn:aws:lambda:${ref.region ?? region}:${ref.account ?? this.accountId}:function:${ref.name}`;
  }

  private registration(ref: FunctionRef, region: string): Registration | undefined {
    const account = ref.account ?? this.accountId;
    return this.byKey.get(key(ref.region ?? region, account, ref.name)) ?? this.anyRegion.get(`${account}|${ref.name}`);
  }

  /** The handler a reference resolves to from `region`, if any. */
  resolve(functionArnOrName: string, region = this.defaultRegion): LambdaHandler | undefined {
    const ref = parseFunctionName(functionArnOrName);
    if (!ref) return undefined;
    const account = ref.account ?? this.accountId;
    return this.registration(ref, region)?.handler;
  }

  /**
   * Invokes a function as Step Functions would (synchronously, `RequestResponse`).
   *
   * An unknown function yields `Lambda.ResourceNotFoundException` and a reference in none of
   * Lambda's forms `Lambda.ValidationException`, with causes worded as Step Functions reports them.
   */
  async invoke(functionArnOrName: string, payload: unknown, region = this.defaultRegion): Promise<LambdaInvokeResult> {
    const requestId = this.random ? this.random.uuid() : '00000000-0000-4000-8000-000000000000';
    const ref = parseFunctionName(functionArnOrName);
    if (!ref) {
      return {
        kind: 'service-error',
        error: 'Lambda.ValidationException',
        cause: `1 validation error detected: Value '${functionArnOrName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))? (Service: Lambda, Status Code: 400, Request ID: ${requestId})`,
      };
    }
    const arn = `arn:aws:lambda:${ref.region ?? region}:${ref.account ?? this.accountId}:function:${ref.name}`;
    const registration = ref ? this.registration(ref, region) : undefined;
    if (!registration) {
      // The wording recorded on AWS for an unknown function (the version is always named), as Step
      // Functions wraps Lambda's service errors (localstack test_task_service_lambda snapshot).
      // @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
      return {
        kind: 'service-error',
        error: 'Lambda.ResourceNotFoundException',
        cause: `Function not found: ${arn}:${ref.qualifier ?? '$LATEST'} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: ${requestId}; Proxy: null)`,
      };
    }
    const work = this.run(registration, arn, ref, payload, requestId);
    return this.clock ? this.clock.track(work) : work;
  }

  private async run({ handler, timeoutSeconds }: Registration, arn: string, ref: FunctionRef, payload: unknown, requestId: string): Promise<LambdaInvokeResult> {
    const startedAt = Date.now();
    const timeoutMs = timeoutSeconds * 1000;
    const context: LambdaContext = {
      functionName: ref.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: ref.qualifier ? `${arn}:${ref.qualifier}` : arn,
      memoryLimitInMB: '128',
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${ref.name}`,
      logStreamName: `sandbox/[$LATEST]${requestId.replace(/-/g, '')}`,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - startedAt)),
    };
    // The runtime hands the handler a freshly parsed event, never the caller's object.
    const event = payload === undefined ? null : JSON.parse(JSON.stringify(payload));
    let value: unknown;
    let timer: NodeJS.Timeout | undefined;
    try {
      // The function timeout is wall time, as on Lambda (the virtual clock is held while a handler runs).
      const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
      });
      value = await Promise.race([Promise.resolve().then(() => handler(event, context)), timedOut]);
    } catch (err) {
      return toFunctionError(err);
    } finally {
      clearTimeout(timer);
    }
    if (value === TIMED_OUT) {
      // What Lambda reports for a handler that overruns; Step Functions records it as the error
      // `Sandbox.Timedout` with this payload as the cause. The handler's work is abandoned.
      return { kind: 'function-error', errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds` };
    }
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (err) {
      return { kind: 'function-error', errorType: 'Runtime.MarshalError', errorMessage: `Unable to marshal response: ${(err as Error).message}` };
    }
    return { kind: 'ok', payload: text === undefined ? null : JSON.parse(text) };
  }
}

const TIMED_OUT = Symbol('timed out');

function key(region: string, account: string, name: string): string {
  return `${region}|${account}|${name}`;
}

/** A thrown value as the Node.js runtime reports it: `errorType` is the error's `name`. */
function toFunctionError(err: unknown): LambdaInvokeResult {
  if (err instanceof Error) {
    const trace = typeof err.stack === 'string' ? err.stack.split('\n').map((l) => l.trim()).filter(Boolean) : undefined;
    return { kind: 'function-error', errorType: err.name || 'Error', errorMessage: err.message, trace };
  }
  if (typeof err === 'string') return { kind: 'function-error', errorType: 'string', errorMessage: err };
  let message: string;
  try {
    message = JSON.stringify(err) ?? String(err);
  } catch {
    message = String(err);
  }
  return { kind: 'function-error', errorType: typeof err, errorMessage: message };
}
