import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Plan } from '../../schemas/plan.js';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { type ConnectDependencies, type ConnectionOptions, call, connectSfn, connectionFlags } from '../aws.js';
import { ExitCode, UsageError } from '../errors.js';
import { followExecution } from '../follow.js';
import type { Io } from '../io.js';
import { type RunKind, executionName } from '../machines.js';
import { isObjectiveMissed, recoverySummaryOf } from '../recovery-summary.js';
import { machinesFor, resolveMachine } from '../resolve.js';
import { approvalFor } from '../../schemas/plan-approval.js';
import { type CallerIdentity, stsCallerIdentity } from '../sts.js';

/** Options of `lifeboat backup|failover|drill|failback`. */
export interface StartOptions extends ConnectionOptions {
  /** Which run to start. */
  readonly kind: RunKind;
  /** `--plan FILE`: the machine is `lifeboat-<plan>-<kind>` in the plan's region for that kind. */
  readonly plan?: string;
  /** `--state-machine ARN`: start this machine instead of looking it up. */
  readonly stateMachine?: string;
  /** `--recovery-point workload=ami-…|ISO` pins (failover and drill only). @default [] */
  readonly recoveryPoints: readonly string[];
  /** `--failover-execution ARN` (failback only): fail back the instances of this failover instead of the newest one. */
  readonly failoverExecution?: string;
  /** `--follow`: show progress until the end; exit 0 only on SUCCEEDED. */
  readonly follow: boolean;
  /** `--json`: one JSON document on stdout. */
  readonly json: boolean;
}

/** Signature of `deployPlanLocally` in `cli/local/deploy.ts`. */
export type DeployPlanLocally = (plan: Plan, clientFor: (region: string) => SFNClient) => Promise<unknown>;

/** Replaceable parts of {@link start}, for tests. */
export interface StartDependencies extends ConnectDependencies {
  /** Replaces the dynamic import of `cli/local/deploy.ts`. */
  readonly deployPlanLocally?: DeployPlanLocally;
  /** Replaces STS GetCallerIdentity (who starts a run that waits for approval). */
  readonly callerIdentity?: CallerIdentity;
}

async function loadLocalDeploy(): Promise<DeployPlanLocally> {
  const specifier = '../local/deploy.js';
  const module = (await import(specifier)) as { deployPlanLocally?: DeployPlanLocally };
  if (typeof module.deployPlanLocally !== 'function') throw new TypeError(`--local › cli/local/deploy.ts: expected an export deployPlanLocally(plan, clientFor), found ${typeof module.deployPlanLocally}; the Lifeboat install is incomplete, reinstall it`);
  return module.deployPlanLocally;
}

/** The Step Functions console page of an execution (AWS only). */
export function consoleUrl(region: string, executionArn: string): string {
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

const AMI = /^ami-[0-9a-f]{8,17}$/;
const FAILOVER_EXECUTION = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:lifeboat-[a-z][a-z0-9-]+-failover:[^:]+$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses `--recovery-point workload=ami-…|ISO` pins into the failover/drill input's
 * `recoveryPoints` map.
 *
 * @throws UsageError naming the bad pin: no `=`, an unknown workload (when the plan is known), a
 *   value that is neither an AMI id nor an ISO-8601 time, or a workload pinned twice
 */
export function parseRecoveryPoints(pins: readonly string[], command: string, plan?: Plan): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pin of pins) {
    const equals = pin.indexOf('=');
    const workload = equals === -1 ? '' : pin.slice(0, equals);
    const value = equals === -1 ? '' : pin.slice(equals + 1);
    if (workload === '' || value === '') {
      throw new UsageError(`${command}: --recovery-point expects WORKLOAD=ami-…|ISO-TIME, found ${JSON.stringify(pin)}`, {
        hint: 'e.g. --recovery-point web=ami-0123456789abcdef0 or --recovery-point db=2026-11-25T10:30:00Z',
      });
    }
    if (plan !== undefined && !plan.workloads.some((w) => w.name === workload)) {
      throw new UsageError(`${command}: --recovery-point ${JSON.stringify(pin)}: no workload named ${JSON.stringify(workload)} in plan ${JSON.stringify(plan.name)}`, {
        hint: `the plan's workloads are ${plan.workloads.map((w) => w.name).join(', ')}`,
      });
    }
    const isTime = ISO_TIME.test(value) && !Number.isNaN(Date.parse(value));
    if (!AMI.test(value) && !isTime) {
      throw new UsageError(`${command}: --recovery-point ${JSON.stringify(pin)}: expected an AMI id (ami-…) or an ISO-8601 time, found ${JSON.stringify(value)}`, {
        hint: 'e.g. ami-0123456789abcdef0, or 2026-11-25T10:30:00Z for the newest verified point at or before that time',
      });
    }
    if (result[workload] !== undefined) {
      throw new UsageError(`${command}: --recovery-point: workload ${JSON.stringify(workload)} is pinned twice`, { hint: 'pin each workload once' });
    }
    result[workload] = isTime ? new Date(value).toISOString() : value;
  }
  return result;
}

/**
 * `lifeboat backup|failover|drill|failback`: starts the plan's state machine for that kind, in its
 * region (backup: primary; failover, drill and failback: recovery), with a readable unique
 * execution name, and with `--follow` shows progress until it ends.
 *
 * With `--local` and `--plan`, the plan's machines are first created or updated on the sandbox
 * (there is no CDK there); everything else is the same calls as on AWS.
 *
 * Input: `{}` for backup and an unpinned failover or drill; `{ "recoveryPoints": { workload: pin } }`
 * with pins. Exit 0 when started (or, following, when it SUCCEEDED), 3 when a followed failover or
 * drill SUCCEEDED but missed its RPO or RTO objective, 1 otherwise.
 */
export async function start(opts: StartOptions, io: Io, dependencies: StartDependencies = {}): Promise<ExitCode> {
  const command = `lifeboat ${opts.kind}`;
  if ((opts.kind === 'backup' || opts.kind === 'failback') && opts.recoveryPoints.length > 0) {
    throw new UsageError(`${command}: --recovery-point applies to failover and drill only`, { hint: 'drop --recovery-point' });
  }
  if (opts.kind !== 'failback' && opts.failoverExecution !== undefined) {
    throw new UsageError(`${command}: --failover-execution applies to failback only`, { hint: 'drop --failover-execution' });
  }
  if (opts.kind === 'failback' && opts.failoverExecution !== undefined && !FAILOVER_EXECUTION.test(opts.failoverExecution)) {
    throw new UsageError(`${command}: --failover-execution expects a failover execution ARN, found ${JSON.stringify(opts.failoverExecution)}`, {
      hint: 'e.g. arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-failover:failover-20261125T103000Z-3fa1 (lifeboat list --plan FILE shows them)',
    });
  }
  const { machines, plan } = await machinesFor(opts, [opts.kind], command);
  if (opts.kind === 'failback' && plan !== undefined && plan.failback === undefined) {
    throw new UsageError(`${command}: plan ${JSON.stringify(plan.name)} has no "failback" section, so it has no failback machine`, {
      hint: 'add failback.launch (per workload: the primary region\'s subnets, security groups and instance types) to the plan, check it with lifeboat plan check, deploy it, and see docs/runbooks/failback.md',
    });
  }
  const [machine] = machines;
  if (machine.kind !== undefined && machine.kind !== opts.kind) {
    io.warn(`state machine ${JSON.stringify(machine.name)} looks like a ${machine.kind} machine, not a ${opts.kind} one`);
  }
  const recoveryPoints = parseRecoveryPoints(opts.recoveryPoints, command, plan);
  const input: Record<string, unknown> =
    opts.failoverExecution !== undefined ? { failoverExecution: opts.failoverExecution } : Object.keys(recoveryPoints).length > 0 ? { recoveryPoints } : {};

  const connection = await connectSfn(opts, dependencies);
  try {
    await connection.checkServed([machine.region], command);
    if (opts.isLocal && plan !== undefined) {
      await connection.checkServed([plan.primaryRegion, plan.recoveryRegion], command);
      // The sandbox has no CDK: create or update the plan's machines through the Step Functions API,
      // so a local run always uses the plan file as it is now.
      const deploy = dependencies.deployPlanLocally ?? (await loadLocalDeploy());
      await call({ command, operation: 'CreateStateMachine' }, () => deploy(plan, (region) => connection.client(region)));
      io.progress(`${io.errStyle.dim(`deployed plan ${JSON.stringify(plan.name)}'s state machines to the sandbox`)}`);
    }
    const resolved = await resolveMachine(connection, machine, command);
    // A run that waits for approval learns who started it (docs/decisions/0015): the plan may
    // refuse that principal as an approver, and the request names them.
    if (opts.kind !== 'backup' && plan !== undefined && approvalFor(plan.approval, opts.kind) !== undefined) {
      (input as Record<string, unknown>).startedBy = await (dependencies.callerIdentity ?? stsCallerIdentity)(resolved.client, { command, isLocal: opts.isLocal });
    }
    // On the sandbox, the name's time is the sandbox's (virtual) clock, like the dates it records.
    const name = executionName(opts.kind, (await connection.now()) ?? io.now(), io.randomHex(2));
    const started = await call({ command, operation: 'StartExecution', region: resolved.region }, () =>
      resolved.client.send(new StartExecutionCommand({ stateMachineArn: resolved.arn, name, input: JSON.stringify(input) })),
    );
    const executionArn = started.executionArn ?? '';
    const s = io.errStyle;
    io.progress(`${s.green('▶')} started ${s.bold(name)} on ${resolved.name} in ${resolved.region}`);
    if (!opts.isLocal) io.progress(`  ${s.dim(consoleUrl(resolved.region, executionArn))}`);
    const summary = {
      executionArn,
      name,
      stateMachineArn: resolved.arn,
      region: resolved.region,
      startDate: started.startDate?.toISOString(),
      input,
    };
    if (!opts.follow && !connection.isInProcess) {
      io.result(opts.json ? summary : executionArn);
      return ExitCode.Ok;
    }
    if (!opts.follow) {
      // Nothing else keeps this sandbox alive: leaving now would abort the run with the process.
      io.progress(
        s.dim(`no 'lifeboat sandbox' is running for this data directory, so the sandbox lives in this process: following the run to its end (run 'lifeboat sandbox' elsewhere to start runs and leave)`),
      );
    }
    const { execution } = await followExecution(resolved.client, executionArn, io, {
      command,
      region: resolved.region,
      intervalMilliseconds: opts.isLocal ? 250 : 2000,
      connectionFlags: connectionFlags(opts),
    });
    const recovery = recoverySummaryOf(execution.output);
    const isMissed = execution.status === 'SUCCEEDED' && isObjectiveMissed(recovery);
    io.result(
      opts.json
        ? {
            ...summary,
            status: execution.status,
            stopDate: execution.stopDate?.toISOString(),
            ...(execution.error === undefined ? {} : { error: execution.error }),
            ...(execution.cause === undefined ? {} : { cause: execution.cause }),
            ...(recovery === undefined ? {} : { recovery }),
          }
        : `${executionArn} ${execution.status}${isMissed ? ' OBJECTIVE MISSED' : ''}`,
    );
    if (execution.status !== 'SUCCEEDED') return ExitCode.Failed;
    return isMissed ? ExitCode.ObjectiveMissed : ExitCode.Ok;
  } finally {
    await connection.close();
  }
}
