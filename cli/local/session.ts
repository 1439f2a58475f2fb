/**
 * A local Lifeboat: a sandbox with the project bound in, a plan's fixture seeded, and the plan's
 * state machines deployed. The demo, the end-to-end tests and the benchmark all run through it,
 * and it talks to the sandbox only through the AWS SDK clients, as the CLI does against AWS.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import type { Plan } from '../../schemas/plan.js';
import type { FaultConfig, LatencyModel } from '../../sandbox/ec2/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { bindProject } from './bind.js';
import { deployMachines, type DeployedMachines } from './deploy.js';
import { alarmTopic, deployOperations, type DeployedOperations } from './operations.js';
import { applyFixture, planFixture } from './seed.js';

/** Options of {@link startLocalLifeboat}. */
export interface LocalLifeboatOptions {
  readonly plan: Plan;
  /** Where the sandbox persists; in memory when absent. */
  readonly dataDir?: string;
  /** @default 1 */
  readonly seed?: number | string;
  readonly faults?: FaultConfig;
  readonly latency?: Partial<LatencyModel>;
  /** The simulated start instant, epoch ms. @default now */
  readonly startMs?: number;
  /**
   * Also deploy the plan's schedules and alarms (`operations.ts`), so backups and drills run on
   * the plan's schedule as the clock moves. Off by default: a test or demo starts its own runs.
   * @default false
   */
  readonly withSchedules?: boolean;
  /**
   * Where the tasks' log lines go.
   * @default `<dataDir>/lambda.log`, or nowhere for an in-memory sandbox
   */
  readonly taskLog?: (line: string) => void;
}

/** The kinds of run a plan has. */
export type RunKind = keyof DeployedMachines;

/** A finished execution, as read back through the Step Functions API. */
export interface RunResult {
  readonly executionArn: string;
  readonly name: string;
  readonly status: string;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly startDate: Date;
  readonly stopDate?: Date;
  readonly events: HistoryEvent[];
}

/** A running local Lifeboat. */
export interface LocalLifeboat {
  readonly sandbox: Sandbox;
  readonly plan: Plan;
  readonly machines: DeployedMachines;
  /** The plan's schedules, alarms and alarm topics, deployed as the stacks define them (with `withSchedules`). */
  readonly operations?: DeployedOperations;
  /** Step Functions client for a region, pointed at the sandbox. */
  sfn(region: string): SFNClient;
  /** EC2 client for a region, pointed at the sandbox. */
  ec2(region: string): EC2Client;
  /** Region of a kind of run: backup (and its collector) in the primary region, failover, drill and the other collector in the recovery region. */
  regionOf(kind: RunKind): string;
  /** Starts an execution and returns its ARN. */
  start(kind: RunKind, input?: unknown, name?: string): Promise<string>;
  /** Waits until an execution is closed and reads it back (describe + full history). */
  result(executionArn: string): Promise<RunResult>;
  /** Starts an execution and waits for its end. */
  runToEnd(kind: RunKind, input?: unknown, name?: string): Promise<RunResult>;
  /** Redrives a closed execution and waits for its end. */
  redrive(executionArn: string): Promise<RunResult>;
  stop(): Promise<void>;
}

/** Starts a sandbox with the project bound in, seeds the plan's fixture and deploys its machines. */
export async function startLocalLifeboat(options: LocalLifeboatOptions): Promise<LocalLifeboat> {
  const { plan } = options;
  const sandbox = await startSandbox({
    dataDir: options.dataDir,
    seed: options.seed ?? 1,
    startMs: options.startMs,
    region: plan.primaryRegion,
    ec2: { latency: options.latency },
    resumeRunning: false,
  });
  try {
    await bindProject(sandbox, { taskLog: options.taskLog ?? (options.dataDir ? undefined : () => {}) });
    sandbox.resumeRunning();
    const clients = new Map<string, SFNClient>();
    const ec2Clients = new Map<string, EC2Client>();
    const credentials = { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' };
    const sfn = (region: string): SFNClient => {
      let c = clients.get(region);
      if (!c) clients.set(region, (c = new SFNClient({ region, endpoint: sandbox.endpoint, credentials, maxAttempts: 1 })));
      return c;
    };
    const ec2 = (region: string): EC2Client => {
      let c = ec2Clients.get(region);
      if (!c) ec2Clients.set(region, (c = new EC2Client({ region, endpoint: sandbox.endpoint, credentials, maxAttempts: 1 })));
      return c;
    };
    // Seed before the faults are set: the fixture is the world as it was before the trouble.
    await applyFixture(sandbox.endpoint, planFixture(plan), ec2);
    if (options.faults) sandbox.ec2.setFaults(options.faults);
    const machines = await deployMachines(plan, sfn);
    const operations = options.withSchedules ? await deployOperations(plan, { endpoint: sandbox.endpoint, credentials }) : undefined;
    // A plan with approval publishes its requests to the recovery region's notifications topic.
    if (!options.withSchedules && plan.approval !== undefined) await alarmTopic(plan, plan.recoveryRegion, { endpoint: sandbox.endpoint, credentials });
    const regionOf = (kind: RunKind): string => (kind === 'backup' || kind === 'collectPrimary' ? plan.primaryRegion : plan.recoveryRegion);
    const regionOfArn = (arn: string): string => arn.split(':')[3]!;

    const result = async (executionArn: string): Promise<RunResult> => {
      const execution = sandbox.sfn.getExecution(executionArn);
      if (!execution) throw new Error(`local lifeboat: no execution ${JSON.stringify(executionArn)} in the sandbox`);
      await execution.whenClosed();
      const client = sfn(regionOfArn(executionArn));
      const d = await client.send(new DescribeExecutionCommand({ executionArn }));
      const events: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }));
        events.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return {
        executionArn,
        name: d.name!,
        status: d.status!,
        output: d.output ? JSON.parse(d.output) : undefined,
        error: d.error,
        cause: d.cause,
        startDate: d.startDate!,
        stopDate: d.stopDate,
        events,
      };
    };
    const start = async (kind: RunKind, input: unknown = {}, name?: string): Promise<string> => {
      const stateMachineArn = machines[kind];
      if (stateMachineArn === undefined) throw new Error(`local lifeboat: plan ${JSON.stringify(plan.name)} has no ${kind} machine (a failback needs the plan's "failback" section)`);
      const out = await sfn(regionOf(kind)).send(
        new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), name }),
      );
      return out.executionArn!;
    };
    return {
      sandbox,
      plan,
      machines,
      operations,
      sfn,
      ec2,
      regionOf,
      start,
      result,
      runToEnd: async (kind, input, name) => result(await start(kind, input, name)),
      redrive: async (executionArn) => {
        await sfn(regionOfArn(executionArn)).send(new RedriveExecutionCommand({ executionArn }));
        return result(executionArn);
      },
      stop: async () => {
        for (const c of [...clients.values(), ...ec2Clients.values()]) c.destroy();
        await sandbox.stop();
      },
    };
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
}
