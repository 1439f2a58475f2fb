import { ListExecutionsCommand, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { type ConnectDependencies, type ConnectionOptions, call, connectSfn } from '../aws.js';
import { ExitCode, OperationError, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { RUN_KINDS } from '../machines.js';
import { formatDuration, formatTime, table } from '../render/format.js';
import { type ResolvedMachine, type TargetOptions, machinesFor, resolveMachine } from '../resolve.js';

/** Options of `lifeboat list`. */
export interface ListOptions extends ConnectionOptions, TargetOptions {
  /** `--limit N`: at most this many executions per machine. @default 20 */
  readonly limit: number;
  /** `--status S`: only executions in this status. */
  readonly status?: string;
  /** `--json`: one JSON document. */
  readonly json: boolean;
}

/** The statuses ListExecutions filters on for a standard state machine. */
export const LIST_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/** One row of `lifeboat list`. */
export interface ListedExecution {
  readonly kind?: string;
  readonly name?: string;
  readonly status?: string;
  readonly startDate?: string;
  readonly stopDate?: string;
  readonly durationSeconds?: number;
  readonly redriveCount?: number;
  readonly region: string;
  readonly executionArn?: string;
}

/**
 * `lifeboat list`: the recent executions of the plan's machines (backup, failover, drill), newest
 * first, with status, start and duration. A machine that is not deployed is reported as a warning.
 *
 * Exit 0 when at least one machine could be read, 1 when none could.
 */
export async function list(opts: ListOptions, io: Io, dependencies: ConnectDependencies = {}): Promise<ExitCode> {
  const command = 'lifeboat list';
  const status = opts.status?.toUpperCase();
  if (status !== undefined && !(LIST_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`${command}: --status expects one of ${LIST_STATUSES.join(', ')}, found ${JSON.stringify(opts.status)}`);
  }
  const { machines } = await machinesFor(opts, RUN_KINDS, command);
  const connection = await connectSfn(opts, dependencies);
  try {
    const rows: ListedExecution[] = [];
    let readable = 0;
    let lastProblem: OperationError | undefined;
    for (const machine of machines) {
      let resolved: ResolvedMachine;
      try {
        resolved = await resolveMachine(connection, machine, command);
      } catch (error) {
        if (!(error instanceof OperationError) || machines.length === 1) throw error;
        io.warn(error.message.replace(`${command}: `, ''));
        lastProblem = error;
        continue;
      }
      readable += 1;
      let nextToken: string | undefined;
      const items: ExecutionListItem[] = [];
      do {
        const page = await call({ command, operation: 'ListExecutions', region: resolved.region }, () =>
          resolved.client.send(
            new ListExecutionsCommand({
              stateMachineArn: resolved.arn,
              maxResults: Math.min(opts.limit - items.length, 1000),
              ...(status === undefined ? {} : { statusFilter: status as (typeof LIST_STATUSES)[number] }),
              ...(nextToken === undefined ? {} : { nextToken }),
            }),
          ),
        );
        items.push(...(page.executions ?? []));
        nextToken = page.nextToken;
      } while (nextToken !== undefined && items.length < opts.limit);
      for (const item of items.slice(0, opts.limit)) {
        const end = item.stopDate ?? (item.status === 'RUNNING' ? io.now() : undefined);
        const from = item.redriveDate ?? item.startDate;
        rows.push({
          ...(resolved.kind === undefined ? {} : { kind: resolved.kind }),
          name: item.name,
          status: item.status,
          startDate: item.startDate?.toISOString(),
          ...(item.stopDate === undefined ? {} : { stopDate: item.stopDate.toISOString() }),
          ...(from === undefined || end === undefined ? {} : { durationSeconds: Math.max(0, (end.getTime() - from.getTime()) / 1000) }),
          ...(item.redriveCount ? { redriveCount: item.redriveCount } : {}),
          region: resolved.region,
          executionArn: item.executionArn,
        });
      }
    }
    if (readable === 0 && lastProblem !== undefined) {
      throw new OperationError(`${command}: none of the plan's state machines was found`, { hint: lastProblem.hint });
    }
    rows.sort((a, b) => (b.startDate ?? '').localeCompare(a.startDate ?? ''));
    if (opts.json) {
      io.result({ executions: rows });
      return ExitCode.Ok;
    }
    if (rows.length === 0) {
      io.progress('no executions yet');
      return ExitCode.Ok;
    }
    const s = io.style;
    const paint = (value = ''): string =>
      value === 'SUCCEEDED' ? s.green(value) : value === 'RUNNING' ? s.cyan(value) : s.red(value);
    io.result(
      table([
        ['NAME', 'KIND', 'STATUS', 'STARTED', 'DURATION', 'REGION'].map((h) => s.bold(h)),
        ...rows.map((row) => [
          row.name ?? '',
          row.kind ?? '',
          `${paint(row.status)}${row.redriveCount ? s.dim(` (redriven ${row.redriveCount}×)`) : ''}`,
          formatTime(row.startDate),
          `${formatDuration(row.durationSeconds)}${row.status === 'RUNNING' ? ' so far' : ''}`,
          row.region,
        ]),
      ]).join('\n'),
    );
    return ExitCode.Ok;
  } finally {
    await connection.close();
  }
}
