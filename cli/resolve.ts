/**
 * Finding the state machines and executions a command is about: from `--plan FILE` (the plan's
 * machines, by name, in the plan's regions), from `--state-machine ARN`, or from an execution ARN.
 */
import { DescribeExecutionCommand, type DescribeExecutionCommandOutput, type SFNClient } from '@aws-sdk/client-sfn';
import type { Plan } from '../schemas/plan.js';
import { type ConnectionOptions, type SfnConnection, call, connectionFlags, describeAwsError, quoteArg, regionOf } from './aws.js';
import { OperationError, UsageError } from './errors.js';
import {
  type MachineRef,
  ALL_RUN_KINDS,
  type RunKind,
  executionArnOf,
  findStateMachineArn,
  kindFromName,
  parseStatesArn,
  planMachine,
} from './machines.js';
import { loadPlan } from './plan-file.js';

/** The flags that say which machines a command is about. */
export interface TargetOptions {
  /** `--plan FILE`. */
  readonly plan?: string;
  /** `--state-machine ARN`. */
  readonly stateMachine?: string;
  /** `--region`. */
  readonly region?: string;
}

/** A machine with its client, region and ARN resolved. */
export interface ResolvedMachine extends MachineRef {
  readonly arn: string;
  readonly region: string;
  readonly client: SFNClient;
}

/**
 * The machines named by `--state-machine ARN` or by the plan (`kinds` of them).
 *
 * @throws UsageError when neither flag is given, or the ARN is not a state machine ARN
 */
export async function machinesFor(opts: TargetOptions, kinds: readonly RunKind[], command: string): Promise<{ machines: MachineRef[]; plan?: Plan }> {
  if (opts.stateMachine !== undefined) {
    const arn = parseStatesArn(opts.stateMachine);
    if (arn === undefined || arn.resource !== 'stateMachine') {
      throw new UsageError(`${command}: --state-machine expects a state machine ARN, found ${JSON.stringify(opts.stateMachine)}`, {
        hint: 'e.g. arn:aws:states:us-west-2:123456789012:stateMachine:lifeboat-shop-drill',
      });
    }
    const plan = opts.plan === undefined ? undefined : await loadPlan(opts.plan, command);
    const kind = kindFromName(arn.stateMachineName);
    return { machines: [{ ...(kind === undefined ? {} : { kind }), name: arn.stateMachineName, region: arn.region, arn: opts.stateMachine }], ...(plan ? { plan } : {}) };
  }
  if (opts.plan === undefined) {
    throw new UsageError(`${command}: needs --plan FILE or --state-machine ARN`, {
      hint: `e.g. '${command} --plan examples/small.plan.json'`,
    });
  }
  const plan = await loadPlan(opts.plan, command);
  return { machines: kinds.map((kind) => planMachine(plan, kind)), plan };
}

/**
 * Resolves a machine's ARN (ListStateMachines by name when only the name is known) and its client.
 *
 * @throws OperationError when no machine of that name exists in the region
 */
export async function resolveMachine(connection: SfnConnection, machine: MachineRef, command: string): Promise<ResolvedMachine> {
  await connection.checkServed([machine.region], command);
  const client = connection.client(machine.region);
  const region = await regionOf(client);
  const arn = machine.arn ?? (await findStateMachineArn(client, machine.name, { command, region }));
  if (arn === undefined) {
    throw new OperationError(`${command}: no state machine named ${JSON.stringify(machine.name)} in ${region}${connection.isLocal ? ' on the sandbox' : ''}`, {
      hint: connection.isLocal
        ? "start a run with --local --plan FILE (it deploys the plan's machines to the sandbox), or run 'lifeboat demo'"
        : machine.kind === 'backup'
          ? "deploy the plan's backup stack in its primary region (npx cdk deploy), check --region/--profile, or pass --state-machine ARN"
          : "deploy the plan's recovery stack in its recovery region (npx cdk deploy), check --region/--profile, or pass --state-machine ARN",
    });
  }
  return { ...machine, arn, region, client };
}

/** An execution the user named, found. */
export interface ResolvedExecution {
  readonly arn: string;
  readonly region: string;
  readonly client: SFNClient;
  readonly description: DescribeExecutionCommandOutput;
}

async function describe(client: SFNClient, arn: string, site: { command: string; region: string }): Promise<DescribeExecutionCommandOutput | undefined> {
  try {
    return await client.send(new DescribeExecutionCommand({ executionArn: arn }));
  } catch (error) {
    if ((error as { name?: string }).name === 'ExecutionDoesNotExist') return undefined;
    throw describeAwsError(error, { ...site, operation: 'DescribeExecution' });
  }
}

/**
 * Finds an execution by ARN, or by name among the plan's (or `--state-machine`'s) machines, the
 * machine whose kind the name starts with tried first.
 *
 * @throws UsageError when it does not exist, naming where it was looked for
 */
export async function resolveExecution(
  connection: SfnConnection,
  reference: string,
  opts: TargetOptions & Partial<ConnectionOptions>,
  command: string,
): Promise<ResolvedExecution> {
  const flags = connectionFlags(opts);
  const parsed = parseStatesArn(reference);
  if (reference.startsWith('arn:')) {
    if (parsed === undefined || parsed.resource !== 'execution' || parsed.executionName === undefined) {
      throw new UsageError(`${command}: expected an execution ARN or name, found ${JSON.stringify(reference)}`, {
        hint: 'e.g. arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-drill:drill-20261125T103000Z-3fa1',
      });
    }
    if (opts.region !== undefined && opts.region !== parsed.region) {
      throw new UsageError(`${command}: the execution ARN is in ${parsed.region} but --region says ${opts.region}`, {
        hint: 'drop --region: the ARN names the region',
      });
    }
    await connection.checkServed([parsed.region], command);
    const client = connection.client(parsed.region);
    const description = await describe(client, reference, { command, region: parsed.region });
    if (description === undefined) {
      throw new UsageError(`${command}: no execution ${JSON.stringify(reference)} in ${parsed.region}`, {
        hint: `check the ARN; run 'lifeboat list${flags} --state-machine ${reference.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, '')}' to see recent runs`,
      });
    }
    return { arn: reference, region: parsed.region, client, description };
  }
  if (opts.plan === undefined && opts.stateMachine === undefined) {
    throw new UsageError(`${command}: ${JSON.stringify(reference)} is a name: pass --plan FILE (or --state-machine ARN) to say where to look, or give the execution ARN`, {
      hint: `e.g. '${command} ${reference} --plan examples/small.plan.json'`,
    });
  }
  // A plan without a failback machine simply has none to look in (a missing machine is skipped).
  const { machines } = await machinesFor(opts, ALL_RUN_KINDS, command);
  await connection.checkServed(machines.map((m) => m.region), command);
  const kind = kindFromName(reference);
  const ordered = [...machines].sort((a, b) => Number(b.kind === kind) - Number(a.kind === kind));
  const looked: string[] = [];
  for (const machine of ordered) {
    const client = connection.client(machine.region);
    const region = await regionOf(client);
    looked.push(`${machine.name} (${region})`);
    const machineArn = machine.arn ?? (await findStateMachineArn(client, machine.name, { command, region }));
    if (machineArn === undefined) continue;
    const arn = executionArnOf(machineArn, reference);
    const description = await describe(client, arn, { command, region });
    if (description !== undefined) return { arn, region, client, description };
  }
  const listHint = opts.plan !== undefined ? `--plan ${quoteArg(opts.plan)}` : `--state-machine ${opts.stateMachine}`;
  throw new UsageError(`${command}: no execution named ${JSON.stringify(reference)} in ${looked.join(', ')}`, {
    hint: `run 'lifeboat list${flags} ${listHint}' to see recent runs`,
  });
}

/** Reads DescribeExecution again (after a redrive, for example). */
export async function describeExecution(client: SFNClient, arn: string, site: { command: string; region: string }): Promise<DescribeExecutionCommandOutput> {
  return call({ ...site, operation: 'DescribeExecution' }, () => client.send(new DescribeExecutionCommand({ executionArn: arn })));
}
