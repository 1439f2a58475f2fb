/**
 * Builds Step Functions histories for CLI tests, shaped as GetExecutionHistory returns them
 * (ids from 1, previousEventId chains, details objects with JSON-string payloads), and a fake of
 * the paging API over them.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html
 */
import type { GetExecutionHistoryCommandInput, GetExecutionHistoryCommandOutput, HistoryEvent } from '@aws-sdk/client-sfn';

/** The outcome of one attempt of a task. */
export type Attempt = { readonly output: unknown; readonly seconds?: number } | { readonly error: string; readonly cause?: string; readonly seconds?: number };

/** Options of {@link HistoryBuilder.task}. */
export interface TaskOptions {
  /** The Lifeboat task id put in the payload (`Payload.task`). */
  readonly task?: string;
  /** The state's input (and the payload's `input`). */
  readonly input?: unknown;
  /** The attempts, in order; a failure followed by another attempt is a retry. */
  readonly attempts: readonly Attempt[];
  /** After a failed last attempt, a Catch moves on (TaskStateExited); otherwise the state is left open. */
  readonly isCaught?: boolean;
}

/** Appends events with consecutive ids and a clock that only moves when told to. */
export class HistoryBuilder {
  readonly events: HistoryEvent[] = [];
  private clock: number;

  constructor(start = '2026-11-25T10:30:00.000Z') {
    this.clock = Date.parse(start);
  }

  /** The id of the last event. */
  get lastId(): number {
    return this.events.length;
  }

  /** Moves the clock on. */
  wait(seconds: number): this {
    this.clock += seconds * 1000;
    return this;
  }

  /** Appends one event; `previous` defaults to the last event. */
  add(type: string, details?: Record<string, unknown>, previous: number = this.lastId): number {
    const id = this.events.length + 1;
    const key =
      type.endsWith('StateEntered') ? 'stateEnteredEventDetails' : type.endsWith('StateExited') ? 'stateExitedEventDetails' : `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
    this.events.push({
      id,
      previousEventId: previous,
      timestamp: new Date(this.clock),
      type: type as HistoryEvent['type'],
      ...(details === undefined ? {} : { [key]: details }),
    } as HistoryEvent);
    return id;
  }

  started(input: unknown = {}): this {
    this.add('ExecutionStarted', { input: JSON.stringify(input), inputDetails: { truncated: false }, roleArn: 'arn:aws:iam::123456789012:role/lifeboat' }, 0);
    return this;
  }

  /** A state without a task (Pass, Choice, Wait, Succeed): entered, then exited after `seconds`. */
  state(type: 'Pass' | 'Choice' | 'Wait' | 'Succeed', name: string, seconds = 0, previous?: number): this {
    this.add(`${type}StateEntered`, { name, input: '{}', inputDetails: { truncated: false } }, previous ?? this.lastId);
    this.wait(seconds);
    this.add(`${type}StateExited`, { name, output: '{}', outputDetails: { truncated: false } });
    return this;
  }

  /** A Task state with the optimised Lambda integration, attempt by attempt. */
  task(name: string, options: TaskOptions, previous?: number): this {
    const input = JSON.stringify(options.input ?? {});
    this.add('TaskStateEntered', { name, input, inputDetails: { truncated: false } }, previous ?? this.lastId);
    let last: Attempt | undefined;
    for (const attempt of options.attempts) {
      const parameters = JSON.stringify({
        FunctionName: `arn:aws:lambda:us-west-2:123456789012:function:lifeboat-${options.task ?? 'task'}`,
        Payload: { task: options.task, input: options.input ?? {} },
      });
      this.add('TaskScheduled', { resourceType: 'lambda', resource: 'invoke', region: 'us-west-2', parameters });
      this.add('TaskStarted', { resourceType: 'lambda', resource: 'invoke' });
      this.wait(attempt.seconds ?? 1);
      if ('output' in attempt) {
        this.add('TaskSucceeded', {
          resourceType: 'lambda',
          resource: 'invoke',
          output: JSON.stringify({ Payload: attempt.output, StatusCode: 200 }),
          outputDetails: { truncated: false },
        });
      } else {
        this.add('TaskFailed', { resourceType: 'lambda', resource: 'invoke', error: attempt.error, cause: attempt.cause ?? '' });
      }
      last = attempt;
    }
    if (last !== undefined && ('output' in last || options.isCaught === true)) {
      this.add('TaskStateExited', { name, output: '{}', outputDetails: { truncated: false } });
    }
    return this;
  }

  succeeded(output: unknown = {}): this {
    this.add('ExecutionSucceeded', { output: JSON.stringify(output), outputDetails: { truncated: false } });
    return this;
  }

  failed(error: string, cause: string): this {
    this.add('ExecutionFailed', { error, cause });
    return this;
  }

  redriven(redriveCount: number): this {
    this.add('ExecutionRedriven', { redriveCount });
    return this;
  }
}

/**
 * A fake GetExecutionHistory over `events()` (which may grow between calls): ascending or
 * `reverseOrder`, `maxResults` (default 100), and an opaque `nextToken` that encodes the position.
 */
export function pagedHistory(events: () => readonly HistoryEvent[]) {
  return (input: GetExecutionHistoryCommandInput): GetExecutionHistoryCommandOutput => {
    const all = input.reverseOrder ? [...events()].reverse() : [...events()];
    const size = input.maxResults || 100;
    const from = input.nextToken === undefined ? 0 : Number(Buffer.from(input.nextToken, 'base64').toString().replace('pos:', ''));
    const page = all.slice(from, from + size);
    const next = from + size < all.length ? Buffer.from(`pos:${from + size}`).toString('base64') : undefined;
    return { events: page, ...(next === undefined ? {} : { nextToken: next }), $metadata: {} };
  };
}
