import { ListExecutionsCommand, ListStateMachinesCommand, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { type ConnectDependencies, type ConnectionOptions, type SfnConnection, call, connectSfn, connectionFlags, regionOf } from '../aws.js';
import { ExitCode, OperationError, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { type MachineRef, RUN_KINDS, kindFromName, planMachine } from '../machines.js';
import { runDurationSeconds } from '../timeline.js';
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
  /** The plan, read from the machine's name (`lifeboat-<plan>-<kind>`). */
  readonly plan?: string;
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

/** The plan a Lifeboat machine name carries: `lifeboat-shop-drill` → `shop`. */
export function planOfMachine(name: string): string | undefined {
  return /^lifeboat-(.+)-(backup|failover|drill)$/.exec(name)?.[1];
}

/**
 * Every Lifeboat backup, failover and drill machine (`lifeboat-<plan>-<kind>`) in the regions to look in: `--region`, or with `--local`
 * every region the sandbox serves, or on AWS the SDK's default region.
 */
async function allMachines(connection: SfnConnection, opts: ListOptions, command: string): Promise<{ machines: MachineRef[]; regions: string[] }> {
  const served = opts.region === undefined ? await connection.servedRegions() : undefined;
  const regions = served !== undefined ? [...served] : [await regionOf(connection.client(opts.region))];
  await connection.checkServed(regions, command);
  const machines: MachineRef[] = [];
  for (const region of regions) {
    const client = connection.client(region);
    let nextToken: string | undefined;
    do {
      const page = await call({ command, operation: 'ListStateMachines', region }, () =>
        client.send(new ListStateMachinesCommand({ maxResults: 1000, ...(nextToken === undefined ? {} : { nextToken }) })),
      );
      for (const machine of page.stateMachines ?? []) {
        // Only the runs an operator starts or schedules (backup, failover, drill): the collector's
        // and the RPO publisher's frequent runs would bury them; `--state-machine` lists those.
        if (machine.name === undefined || machine.stateMachineArn === undefined || planOfMachine(machine.name) === undefined) continue;
        const kind = kindFromName(machine.name);
        machines.push({ ...(kind === undefined ? {} : { kind }), name: machine.name, region, arn: machine.stateMachineArn });
      }
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
  }
  return { machines, regions };
}

/**
 * `lifeboat list`: the recent executions of the plan's machines (backup, failover, drill), newest
 * first, with status, start and duration. A machine that is not deployed is reported as a warning.
 * Without `--plan` or `--state-machine`, every Lifeboat machine (`lifeboat-*`) of every plan: in
 * `--region` (or the SDK's default region) on AWS, in every region the sandbox serves with `--local`.
 *
 * Exit 0 when at least one machine could be read, 1 when none could.
 */
export async function list(opts: ListOptions, io: Io, dependencies: ConnectDependencies = {}): Promise<ExitCode> {
  const command = 'lifeboat list';
  const status = opts.status?.toUpperCase();
  if (status !== undefined && !(LIST_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`${command}: --status expects one of ${LIST_STATUSES.join(', ')}, found ${JSON.stringify(opts.status)}`);
  }
  const isEveryPlan = opts.plan === undefined && opts.stateMachine === undefined;
  const connection = await connectSfn(opts, dependencies);
  try {
    let machines: MachineRef[];
    if (isEveryPlan) {
      const found = await allMachines(connection, opts, command);
      machines = found.machines;
      if (machines.length === 0) {
        const where = connection.isLocal && opts.region === undefined ? 'on the sandbox' : `in ${found.regions.join(', ')}`;
        if (opts.json) {
          io.result({ executions: [] });
          return ExitCode.Ok;
        }
        io.progress(`no Lifeboat state machines ${where}`);
        io.progress(
          io.errStyle.dim(
            connection.isLocal
              ? `hint: start a run with 'lifeboat backup${connectionFlags(opts)} --plan FILE', or run 'lifeboat demo'`
              : `hint: pass --region REGION or --plan FILE to look where the plan's machines are deployed`,
          ),
        );
        return ExitCode.Ok;
      }
    } else {
      const found = await machinesFor(opts, RUN_KINDS, command);
      // A plan with a failback section has a failback machine too.
      machines = found.plan?.failback !== undefined && opts.stateMachine === undefined ? [...found.machines, planMachine(found.plan, 'failback')] : found.machines;
    }
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
        const durationSeconds = runDurationSeconds(item, io.now());
        const planName = planOfMachine(resolved.name);
        rows.push({
          ...(planName === undefined ? {} : { plan: planName }),
          ...(resolved.kind === undefined ? {} : { kind: resolved.kind }),
          name: item.name,
          status: item.status,
          startDate: item.startDate?.toISOString(),
          ...(item.stopDate === undefined ? {} : { stopDate: item.stopDate.toISOString() }),
          ...(durationSeconds === undefined ? {} : { durationSeconds }),
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
      io.progress(status === undefined ? 'no executions yet' : `no ${status} executions`);
      return ExitCode.Ok;
    }
    const s = io.style;
    const paint = (value = ''): string =>
      value === 'SUCCEEDED' ? s.green(value) : value === 'RUNNING' ? s.cyan(value) : s.red(value);
    io.result(
      table([
        [...(isEveryPlan ? ['PLAN'] : []), 'NAME', 'KIND', 'STATUS', 'STARTED', 'DURATION', 'REGION'].map((h) => s.bold(h)),
        ...rows.map((row) => [
          ...(isEveryPlan ? [row.plan ?? ''] : []),
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
