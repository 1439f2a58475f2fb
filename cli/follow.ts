/**
 * Reading an execution's history (every page) and following a running execution to its end.
 */
import { isAscii } from 'node:buffer';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type GetExecutionHistoryCommandInput,
  type GetExecutionHistoryCommandOutput,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { call } from './aws.js';
import { OperationError } from './errors.js';
import type { ApprovalStanding } from './approval.js';
import type { Io } from './io.js';
import { ProgressPrinter } from './render/progress.js';
import { readableCause } from './render/cause.js';
import { recoverySummaryOf, renderRecoverySummary } from './recovery-summary.js';
import { formatDuration, oneLine } from './render/format.js';
import { type Timeline, runDurationSeconds } from './timeline.js';

/** Where the calls go, for messages. */
export interface Site {
  /** The command as typed (`lifeboat drill`). */
  readonly command: string;
  /** The region called. */
  readonly region?: string;
}

/** A raw HTTP response as the SDK's middleware sees it. */
interface RawResponse {
  statusCode?: number;
  body?: unknown;
}

/**
 * One page of GetExecutionHistory, its body read with `JSON.parse`.
 *
 * The SDK's schema-driven deserializer walks every member of every event against the service
 * model: reading them with JSON.parse saves ~7% of `lifeboat history`'s CPU for 25,000 events
 * (issue 8, "Fast to start"). A page is plain JSON whose only non-JSON member is each event's `timestamp`
 * (epoch seconds, awsJson1_0), so a middleware placed inside the SDK's deserializer reads a
 * successful response itself and hands the deserializer an empty page. Everything else is the
 * SDK's, unchanged: endpoint, credentials, signing, retries, and every error response (a non-200
 * response is left to the SDK). A client whose `send` is replaced (tests) returns its own page.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html
 */
export async function getHistoryPage(sfn: SFNClient, input: GetExecutionHistoryCommandInput): Promise<GetExecutionHistoryCommandOutput> {
  const command = new GetExecutionHistoryCommand(input);
  let page: { events?: HistoryEvent[]; nextToken?: string } | undefined;
  const readPage = (next: (args: unknown) => Promise<{ response: unknown }>) => async (args: unknown) => {
    const result = await next(args);
    const response = result.response as RawResponse;
    if (response.statusCode === 200 && isAsyncIterable(response.body)) {
      const chunks: Buffer[] = [];
      for await (const chunk of response.body) chunks.push(Buffer.from(chunk as Uint8Array));
      const bytes = Buffer.concat(chunks);
      // ASCII (as JSON.stringify writes it, unless a value holds other characters) reads as Latin-1 without UTF-8 decoding.
      const raw = JSON.parse(isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8')) as { events?: Array<Record<string, unknown>>; nextToken?: string };
      page = {
        // Each event is a fresh object of this parse: its timestamp becomes a Date in place (no copy of 25,000 events).
        events: (raw.events ?? []).map((event) => ((event.timestamp = epochSeconds(event.timestamp)), event as unknown as HistoryEvent)),
        ...(typeof raw.nextToken === 'string' ? { nextToken: raw.nextToken } : {}),
      };
      response.body = new TextEncoder().encode('{}');
    }
    return result;
  };
  // Inside the SDK's deserializer (step "deserialize"): sees the raw response before it does.
  command.middlewareStack.addRelativeTo(readPage as unknown as Parameters<typeof command.middlewareStack.addRelativeTo>[0], {
    relation: 'after',
    toMiddleware: 'deserializerMiddleware',
    name: 'lifeboatHistoryPageJson',
  });
  const output = await sfn.send(command);
  return page === undefined ? output : { ...output, events: page.events, ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }) };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** An awsJson timestamp (epoch seconds, possibly fractional) as the SDK gives it: a Date to the millisecond. */
function epochSeconds(value: unknown): Date | undefined {
  if (value === undefined || value === null) return undefined;
  return new Date(Math.round(Number(value) * 1000));
}

/**
 * Reads an execution's whole history, following `nextToken` through every page.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html
 */
export async function readAllEvents(sfn: SFNClient, executionArn: string, site: Site): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call({ ...site, operation: 'GetExecutionHistory' }, () =>
      getHistoryPage(sfn, {
        executionArn,
        maxResults: 1000,
        includeExecutionData: true,
        ...(nextToken === undefined ? {} : { nextToken }),
      }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events;
}

/**
 * Reads the events newer than `afterId`, newest first from the API (reverseOrder) so a long history
 * is not read again on every poll; returned oldest first.
 */
export async function readEventsAfter(sfn: SFNClient, executionArn: string, afterId: number, site: Site): Promise<HistoryEvent[]> {
  const fresh: HistoryEvent[] = [];
  let nextToken: string | undefined;
  pages: do {
    const page = await call({ ...site, operation: 'GetExecutionHistory' }, () =>
      getHistoryPage(sfn, {
        executionArn,
        reverseOrder: true,
        maxResults: 200,
        includeExecutionData: true,
        ...(nextToken === undefined ? {} : { nextToken }),
      }),
    );
    for (const event of page.events ?? []) {
      if ((event.id ?? 0) <= afterId) break pages;
      fresh.push(event);
    }
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return fresh.reverse();
}

/** Options of {@link followExecution}. */
export interface FollowOptions extends Site {
  /** Milliseconds between polls. */
  readonly intervalMilliseconds: number;
  /** The connection flags as typed (`connectionFlags` in cli/aws.ts), kept in hints. @default '' */
  readonly connectionFlags?: string;
  /** Events already shown (e.g. the history before a redrive): printed again only if they change. */
  readonly alreadyShown?: readonly HistoryEvent[];
}

/** How a followed execution ended. */
export interface FollowResult {
  /** DescribeExecution at the end. */
  readonly execution: DescribeExecutionCommandOutput;
  /** The timeline of the whole history. */
  readonly timeline: Timeline;
}

/**
 * Polls an execution until it is no longer RUNNING, printing progress on stderr (lines, plus a live
 * status line on a TTY) and a final line with the outcome.
 */
export async function followExecution(sfn: SFNClient, executionArn: string, io: Io, options: FollowOptions): Promise<FollowResult> {
  const printer = new ProgressPrinter(io);
  const events: HistoryEvent[] = [...(options.alreadyShown ?? [])];
  if (events.length > 0) printer.skip(events);
  let lastId = events.reduce((max, event) => Math.max(max, event.id ?? 0), 0);
  let isInterrupted = false;
  const announced = new Set<number>();
  // Loaded here, not with this module: it builds the approval schemas (zod), which `history` of a closed run never needs.
  const { approvalStanding } = await import('./approval.js');
  const stopListening = io.onInterrupt(() => {
    isInterrupted = true;
  });
  try {
    for (;;) {
      const execution = await call({ ...options, operation: 'DescribeExecution' }, () =>
        sfn.send(new DescribeExecutionCommand({ executionArn })),
      );
      const fresh = await readEventsAfter(sfn, executionArn, lastId, options);
      events.push(...fresh);
      lastId = events.reduce((max, event) => Math.max(max, event.id ?? 0), lastId);
      const timeline = printer.update(events);
      announceApproval(approvalStanding(events), io, executionArn, options, announced);
      if (execution.status !== 'RUNNING' && execution.status !== 'PENDING_REDRIVE') {
        printOutcome(io, execution, timeline);
        return { execution, timeline };
      }
      await io.sleep(options.intervalMilliseconds);
      if (isInterrupted) {
        // Following is only watching: the execution goes on in Step Functions.
        throw new OperationError(`${options.command}: stopped following; ${execution.name ?? executionArn} is still RUNNING`, {
          hint: `follow it again with 'lifeboat history ${executionArn}${options.connectionFlags ?? ''} --follow' or in the Step Functions console; stop it there if you meant to`,
        });
      }
    }
  } finally {
    stopListening();
  }
}

/** Says once per request that the run waits at "Await approval", and how to answer it (docs/decisions/0015). */
function announceApproval(standing: ApprovalStanding, io: Io, executionArn: string, options: FollowOptions, announced: Set<number>): void {
  if (standing.kind !== 'waiting' || announced.has(standing.open.request.round)) return;
  const r = standing.open.request;
  announced.add(r.round);
  const s = io.errStyle;
  const flags = options.connectionFlags ?? '';
  io.progress(`${s.cyan('⏸')} waiting at "Await approval": ${r.approvals.length} of ${r.requiredApprovers} approval(s), until ${r.deadline}`);
  io.progress(`  approve: lifeboat approve ${executionArn}${flags}   reject: lifeboat reject ${executionArn}${flags} --reason "<why>"`);
}

/** The final line of a followed run, on stderr. */
export function printOutcome(io: Io, execution: DescribeExecutionCommandOutput, timeline: Timeline): void {
  const s = io.errStyle;
  const took = formatDuration(runDurationSeconds(execution) ?? timeline.durationSeconds);
  if (execution.status === 'SUCCEEDED') {
    io.progress(`${s.green('✓')} ${execution.name ?? 'execution'} ${s.bold('SUCCEEDED')} in ${took}`);
    // RPO and RTO against the objectives, MISSED in plain words (docs/contracts.md, "Recovery sets").
    const summary = recoverySummaryOf(execution.output);
    if (summary !== undefined) for (const line of renderRecoverySummary(summary, s)) io.progress(`  ${line}`);
    return;
  }
  const error = execution.error ?? timeline.error;
  const cause = execution.cause ?? timeline.cause;
  io.progress(`${s.red('✗')} ${execution.name ?? 'execution'} ${s.bold(execution.status ?? 'ENDED')} after ${took}${error ? `: ${error}` : ''}`);
  if (cause) io.progress(`  cause: ${oneLine(readableCause(cause, { isDebug: io.isDebug }), io.isDebug === true ? 100_000 : 400)}`);
}
