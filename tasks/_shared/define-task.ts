import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { formatPlanIssue, toPlanIssues } from '../../schemas/plan.js';
import { TaskEnvelopeSchema } from '../../schemas/tasks/envelope.js';
import type { StoredInput } from '../../schemas/tasks/store.js';
import type { TaskId } from '../../schemas/tasks/index.js';
import { REQUEST_HANDLER } from './clients/cache.js';
import { isNoAnswer, noteCall, toLifeboatError, unreachableError } from './ec2-errors.js';
import { InvalidInputError, isLifeboatError, NotFoundError, UnexpectedError } from './errors.js';

/**
 * What a task's logic gets besides its input: the Step Functions context and its clients.
 *
 * `now` is the Task state's entered time, never the wall clock: on the sandbox only the state
 * machine knows the (virtual) time.
 */
export interface TaskContext {
  readonly executionArn: string;
  readonly stateName: string;
  /** `$states.context.State.EnteredTime` as a Date. */
  readonly now: Date;
  readonly redriveCount: number;
  ec2(region: string): EC2Client;
  cloudwatch(region: string): CloudWatchClient;
  /** Step Functions, for tasks that read executions (`collect`). */
  sfn(region: string): SFNClient;
  /** Adds a note to the invocation's single structured log line. */
  log(message: string, fields?: Record<string, unknown>): void;
  /**
   * Milliseconds left before Lambda ends this invocation (the function's timeout), from the
   * handler context's `getRemainingTimeInMillis()`; `Infinity` when the handler was called
   * without one (a direct call, a unit test). Absent where a task's logic runs outside a
   * handler (the CLI's own calls): no timeout then. Loop tasks stop starting work well before
   * it runs out and leave the rest for the next pass (`_shared/pass-limit.ts`).
   *
   * @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
   */
  remainingTimeMs?(): number;
}

/**
 * The part of the Lambda Node.js runtime's context object a task reads: the time left before the
 * function's timeout.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
 */
export interface LambdaInvocationContext {
  getRemainingTimeInMillis(): number;
}

/**
 * The SDK client factories a task's logic may reach through its context, each from its own
 * module of `clients/`: a handler names only those its task uses, so its bundle carries no other
 * client (issue 8, "Fast to start"). A client the handler did not name fails the invocation.
 */
export interface TaskClients {
  readonly ec2?: (region: string) => EC2Client;
  readonly cloudwatch?: (region: string) => CloudWatchClient;
  readonly sfn?: (region: string) => SFNClient;
}

/** A task: its id, its schemas, its logic and the SDK clients the logic uses. */
export interface TaskDefinition<I, O> {
  readonly id: TaskId;
  readonly input: z.ZodType<I>;
  readonly output: z.ZodType<O>;
  readonly run: (input: I, context: TaskContext) => Promise<O>;
  /** @default none: a task that calls no AWS service through its context */
  readonly clients?: TaskClients;
}

/**
 * A task's Lambda handler: takes the `{ task, context, input }` payload and, on Lambda (and the
 * sandbox's Lambda), the runtime's context object; returns the output.
 */
export type TaskHandler<O = unknown> = (event: unknown, lambdaContext?: LambdaInvocationContext) => Promise<O>;

/**
 * Where the structured log line goes. In Lambda (`AWS_LAMBDA_FUNCTION_NAME` set) it is stdout,
 * which Lambda ships to CloudWatch Logs; in-process (the sandbox run by the CLI) it is stderr,
 * so that the CLI's stdout keeps only results. Replace `write` to send the lines elsewhere.
 *
 * @example taskLog.write = (line) => myLogFile.write(line + '\n');
 */
export const taskLog = {
  write(line: string): void {
    const stream = process.env.AWS_LAMBDA_FUNCTION_NAME ? process.stdout : process.stderr;
    stream.write(`${line}\n`);
  },
};

/**
 * Wraps a task's logic into a Lambda handler.
 *
 * The handler parses the envelope and the input (failing with `Lifeboat.InvalidInput` naming
 * the JSON path), builds the TaskContext, runs the logic, maps every error through the one
 * table of `ec2-errors.ts`, validates the output (`Lifeboat.Unexpected` if it is wrong) and
 * writes one JSON log line. It keeps no state between invocations except cached SDK clients.
 *
 * @example export const handler = defineTask({ id: 'copy', input: CopyInputSchema, output: CopyOutputSchema, run: copy, clients: { ec2: ec2Client } });
 */
export function defineTask<I, O>(definition: TaskDefinition<I, O>): TaskHandler<O> {
  const clients = definition.clients ?? {};
  const undeclared = (service: keyof TaskClients) => (): never => {
    throw new UnexpectedError(
      `task '${definition.id}' › context.${service}: expected the handler to name the ${service} client (defineTask({ clients: { ${service}: … } }) from tasks/_shared/clients/), found none`,
    );
  };
  const ec2 = clients.ec2 ? noting(clients.ec2, SERVICES.ec2) : undeclared('ec2');
  const cloudwatch = clients.cloudwatch ? noting(clients.cloudwatch, SERVICES.cloudwatch) : undeclared('cloudwatch');
  const sfn = clients.sfn ? noting(clients.sfn, SERVICES.sfn) : undeclared('sfn');
  return async (event: unknown, lambdaContext?: LambdaInvocationContext): Promise<O> => {
    const started = performance.now();
    const notes: Array<Record<string, unknown>> = [];
    const line: Record<string, unknown> = { level: 'INFO', task: definition.id };
    try {
      const envelope = parseOrThrow(TaskEnvelopeSchema, event, `task '${definition.id}'`, '');
      Object.assign(line, {
        executionArn: envelope.context.executionArn,
        stateName: envelope.context.stateName,
        redriveCount: Number(envelope.context.redriveCount),
      });
      if (envelope.task !== definition.id) {
        throw new InvalidInputError(
          `task '${definition.id}' › task: expected ${JSON.stringify(definition.id)}, found ${JSON.stringify(envelope.task)} (the payload was sent to the wrong function)`,
        );
      }
      const given = envelope.storedInput === undefined ? envelope.input : await withStoredInput(definition.id, envelope.input, envelope.storedInput);
      const input = parseOrThrow(definition.input, given, `task '${definition.id}'`, 'input');
      const context: TaskContext = {
        executionArn: envelope.context.executionArn,
        stateName: envelope.context.stateName,
        now: new Date(envelope.context.stateEnteredTime),
        redriveCount: Number(envelope.context.redriveCount),
        ec2,
        cloudwatch,
        sfn,
        log: (message, fields) => notes.push({ message, ...fields }),
        remainingTimeMs: remainingTimeOf(lambdaContext),
      };
      const raw = await definition.run(input, context);
      const checked = definition.output.safeParse(raw);
      if (!checked.success) {
        const detail = toPlanIssues(checked.error.issues, raw)
          .map((issue) => formatPlanIssue('output', issue))
          .join('; ');
        throw new UnexpectedError(`task '${definition.id}' returned an invalid output: ${detail}`);
      }
      Object.assign(line, { outcome: 'ok', summary: summarize(checked.data) });
      return checked.data;
    } catch (error) {
      // No answer from an endpoint (a regional outage): worded for the operator (docs/contracts.md, "Errors").
      const root = isLifeboatError(error) && error.name === 'Lifeboat.Transient' ? error.cause : error;
      const mapped = isNoAnswer(root)
        ? unreachableError(root, {
            task: definition.id,
            stateName: line.stateName as string | undefined,
            executionArn: line.executionArn as string | undefined,
            requestTimeoutMs: REQUEST_HANDLER.requestTimeout,
          })
        : toLifeboatError(error, `task '${definition.id}'`);
      Object.assign(line, {
        level: 'ERROR',
        outcome: 'error',
        error: mapped.name,
        message: mapped.message,
        ...(mapped !== error ? { sourceError: (error as Error)?.name } : {}),
        // A bug (not an error thrown on purpose): its stack goes to the task's log only.
        ...(!isLifeboatError(error) && error instanceof Error && error.stack !== undefined ? { stack: error.stack } : {}),
      });
      // Lambda reports the stack as the cause's `trace`, which the execution's cause then carries
      // to the operator: keep it to the error's name, with no code paths (docs/contracts.md, "Errors").
      mapped.stack = mapped.name;
      throw mapped;
    } finally {
      if (notes.length > 0) line.notes = notes;
      line.durationMs = Math.round(performance.now() - started);
      taskLog.write(JSON.stringify(line));
    }
  };
}

/** Stored inputs read by this Lambda container, by SHA-256: a table is read once per container, not per invocation. */
const storedInputs = new Map<string, Record<string, unknown>>();
/** How many stored inputs a container keeps (a plan has at most 3 tables per region; a redeploy adds new ones). */
const STORED_INPUTS_KEPT = 4;

/**
 * The task input with the envelope's `storedInput` joined in: the JSON object the deployment wrote
 * to S3 (docs/decisions/0021: a CDK asset on AWS, the run bucket on the sandbox), read once per Lambda container and checked against the
 * SHA-256 the definition names, so an execution reads exactly the table of its own definition.
 * A missing object is `Lifeboat.NotFound`, a changed one, a value that is not an object, or a
 * field also in `input` is `Lifeboat.InvalidInput`; each names the object and what to do.
 */
export async function withStoredInput(id: string, input: unknown, stored: StoredInput): Promise<Record<string, unknown>> {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(input)) throw new InvalidInputError(`task '${id}' › input: expected an object beside storedInput, found ${JSON.stringify(input)}`);
  const where = `s3://${stored.bucket}/${stored.key}`;
  let fields = storedInputs.get(stored.sha256);
  if (fields === undefined) {
    // Only a distributed run's tasks get a stored input: the S3 client loads then, not with every task.
    const { getText, s3Client } = await import('./s3.js');
    let text: string;
    try {
      text = await getText(s3Client(stored.region), stored.bucket, stored.key);
    } catch (error) {
      if (!isLifeboatError(error) || error.name !== 'Lifeboat.NotFound') throw error;
      throw new NotFoundError(
        `task '${id}' › storedInput: expected the plan's workload table at ${where}, written when the plan was deployed; found none (${error.message}). Deploy the plan again (cdk deploy; on the sandbox, any lifeboat backup|drill|failover --local --plan <plan file> deploys it first)`,
        { cause: error },
      );
    }
    const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
    if (sha256 !== stored.sha256) {
      throw new InvalidInputError(
        `task '${id}' › storedInput: expected ${where} to hold the table this state machine was deployed with (SHA-256 ${stored.sha256}), found other content (SHA-256 ${sha256}); the object was changed after deploy: deploy the plan again`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new InvalidInputError(`task '${id}' › storedInput: expected ${where} to be a JSON object, found text that does not parse (${(error as Error).message})`);
    }
    if (!isObject(parsed)) throw new InvalidInputError(`task '${id}' › storedInput: expected ${where} to be a JSON object, found ${Array.isArray(parsed) ? 'an array' : typeof parsed}`);
    fields = parsed;
    if (storedInputs.size >= STORED_INPUTS_KEPT) storedInputs.delete(storedInputs.keys().next().value!);
    storedInputs.set(stored.sha256, fields);
  }
  const both = Object.keys(fields).filter((k) => k in input);
  if (both.length > 0) throw new InvalidInputError(`task '${id}' › storedInput: expected fields not also in input, found ${both.map((k) => JSON.stringify(k)).join(', ')} in both`);
  return { ...input, ...fields };
}

/** How an operator names each service, the `AWS_ENDPOINT_URL_<ID>` that configures it, and its regional host. */
const SERVICES = {
  ec2: { service: 'EC2', envId: 'EC2', host: 'ec2' },
  cloudwatch: { service: 'CloudWatch', envId: 'CLOUDWATCH', host: 'monitoring' },
  sfn: { service: 'Step Functions', envId: 'SFN', host: 'states' },
} as const;

/**
 * The client factory, its clients' `send` noting on a thrown error which call it was (service,
 * region, action, endpoint), so that an unanswered call can be reported by name. The wrapper is
 * made once per cached client: every property but `send` is the client's own.
 */
function noting<C extends { send: (...args: any[]) => Promise<any> }>(factory: (region: string) => C, s: (typeof SERVICES)[keyof typeof SERVICES]): (region: string) => C {
  const wrapped = new WeakMap<C, C>();
  return (region) => {
    const client = factory(region);
    const known = wrapped.get(client);
    if (known) return known;
    const proxy = new Proxy(client, {
      get(target, property) {
        if (property !== 'send') return Reflect.get(target, property, target);
        return async (command: { constructor: { name: string } }, ...rest: unknown[]) => {
          try {
            return await target.send(command, ...rest);
          } catch (error) {
            const endpoint = process.env[`AWS_ENDPOINT_URL_${s.envId}`] ?? process.env.AWS_ENDPOINT_URL ?? `https://${s.host}.${region}.amazonaws.com`;
            noteCall(error, { service: s.service, region, operation: command.constructor.name.replace(/Command$/, ''), endpoint });
            throw error;
          }
        };
      },
    });
    wrapped.set(client, proxy);
    return proxy;
  };
}

/** The context's clock of the time left, or one that never runs out when there is no Lambda context. */
function remainingTimeOf(lambdaContext: LambdaInvocationContext | undefined): () => number {
  const read = lambdaContext?.getRemainingTimeInMillis;
  if (typeof read !== 'function') return () => Number.POSITIVE_INFINITY;
  return () => {
    const ms = read.call(lambdaContext);
    return typeof ms === 'number' && Number.isFinite(ms) ? Math.max(0, ms) : Number.POSITIVE_INFINITY;
  };
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, source: string, prefix: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = toPlanIssues(result.error.issues, value).map((issue) =>
    formatPlanIssue(source, { ...issue, path: joinPath(prefix, issue.path) }),
  );
  throw new InvalidInputError(lines.join('\n'));
}

function joinPath(prefix: string, path: string): string {
  if (prefix === '') return path;
  if (path === '') return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

/** Counts of the output's arrays and its flags: enough to read a log, never the whole payload. */
function summarize(output: unknown): Record<string, unknown> {
  if (typeof output !== 'object' || output === null) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(output)) {
    if (Array.isArray(value)) out[`${key}Count`] = value.length;
    else if (typeof value !== 'object' || value === null) out[key] = value;
  }
  return out;
}
