/**
 * The sandbox as one value: an HTTP server on 127.0.0.1 with the Step Functions, EC2, CloudWatch
 * (metrics and alarms), SNS and EventBridge Scheduler services (and any other services mounted),
 * one clock, one seeded random generator, the Lambda registry, the store and the admin API. The
 * services know nothing of each other; this file wires the few places they meet (a schedule's
 * Step Functions target, an alarm's SNS action, Step Functions' AWS/States metrics).
 *
 * @example
 * const sandbox = await startSandbox({ dataDir: 'sandbox-data', seed: 7 });
 * sandbox.lambdas.register('arn:aws:lambda:us-east-1:123456789012:function:hello', async (e) => ({ hi: e }));
 * const sfn = new SFNClient({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials });
 * // …
 * await sandbox.stop();
 */
import { RealClock, VirtualClock, type Clock } from './clock.js';
import { AdminRegistry } from './admin.js';
import { checkRegions, COMMERCIAL_REGION_NAMES } from './regions.js';
import { attachCloudWatch } from './cloudwatch/attach.js';
import type { CloudWatchSandbox } from './cloudwatch/index.js';
import { createConsole, type ConsoleSandbox } from './console/index.js';
import { createEc2Service, type Ec2Sandbox, type Ec2ServiceOptions } from './ec2/index.js';
import { LambdaRegistry, SANDBOX_ACCOUNT_ID } from './lambda.js';
import { SeededRandom } from './random.js';
import { attachS3, type S3Sandbox } from './s3/index.js';
import { createSchedulerService, type InvocationOutcome, type ScheduleInvocation, type SchedulerSandbox } from './scheduler/index.js';
import { SandboxServer } from './server.js';
import type { SandboxService } from './service.js';
import { createSnsService, type SnsSandbox } from './sns/index.js';
import * as ownEngine from './sfn/engine/index.js';
import { SfnService, type EngineModule } from './sfn/service.js';
import type { S3Access } from './sfn/engine/types.js';
import { DebouncedDocument, Store } from './store.js';

export { SANDBOX_ACCOUNT_ID } from './lambda.js';
export { COMMERCIAL_REGIONS, COMMERCIAL_REGION_NAMES } from './regions.js';

/** What a service factory receives to build a service that shares the sandbox's clock, ids and store. */
export interface SandboxContext {
  readonly clock: Clock;
  readonly random: SeededRandom;
  readonly region: string;
  readonly accountId: string;
  readonly store: Store;
  readonly admin: AdminRegistry;
  readonly lambdas: LambdaRegistry;
}

/** A service to mount, or a function that builds one from the sandbox's context. */
export type ServiceSpec = SandboxService | ((context: SandboxContext) => SandboxService);

/** Options of {@link createSandbox} and {@link startSandbox}. */
export interface SandboxOptions {
  /**
   * The port on 127.0.0.1; 0 picks a free one.
   * @default 0
   */
  readonly port?: number;
  /**
   * Where state persists: state machines, executions and histories, the EC2 regions and the
   * CloudWatch metrics. A sandbox started on a directory a previous one used carries on from
   * that state (see README.md, "The store").
   * @default undefined (in memory only)
   */
  readonly dataDir?: string;
  /**
   * `virtual` skips ahead to the next timer whenever nothing is running; `real` is wall time
   * (times `speed`); or a clock of your own.
   * @default 'virtual'
   */
  readonly clock?: 'virtual' | 'real' | Clock;
  /**
   * How much faster than wall time the real clock runs (ignored by the virtual clock).
   * @default 1
   */
  readonly speed?: number;
  /**
   * Seed of every id, token, jitter and fault.
   * @default 1
   */
  readonly seed?: number | string;
  /**
   * The simulated instant the virtual clock starts at, epoch ms. With a `dataDir` holding earlier
   * state, the clock starts at the later of this and the latest simulated time that state
   * recorded, so time never runs backwards across a restart.
   * @default Date.now()
   */
  readonly startMs?: number;
  /**
   * The region of unsigned requests and of bare Lambda function names.
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * The regions the sandbox serves, every service alike; a request signed for another region
   * (or for a region that does not exist) fails as an unreachable endpoint does. Each region's
   * state is created the first time it is used, so serving them all costs nothing until then.
   * @default every AWS commercial region (`COMMERCIAL_REGION_NAMES` in `regions.ts`)
   */
  readonly regions?: readonly string[];
  /**
   * The simulated EC2 regions (always mounted): which regions, the latency model, faults.
   * @default the sandbox's `regions`, the default latency model, no faults
   */
  readonly ec2?: Pick<Ec2ServiceOptions, 'regions' | 'latency' | 'faults'>;
  /** More services to mount, tried after the built-in ones (Step Functions, EC2, CloudWatch, SNS, Scheduler). */
  readonly services?: readonly ServiceSpec[];
  /**
   * The ASL engine.
   * @default the sandbox's own engine, `./sfn/engine/index.js`
   */
  readonly engine?: EngineModule;
  /**
   * Wall-clock ms a virtual clock is held after StartExecution/RedriveExecution, so an outside
   * client can stop or describe a run in its first Wait before the clock skips it; a standalone
   * server process typically sets 500, in-process users keep 0.
   * @default 0
   */
  readonly startGraceMs?: number;
  /**
   * Wall-clock ms during which an EC2 resource named by a request from another process (the AWS
   * CLI, boto3, …) is watched: on the virtual clock its next transition waits until such a client
   * has seen the state it ends, so outside clients see `pending` and `initializing` as on AWS
   * (`ec2/watch.ts`). Requests made by this process are never watched. 0 turns it off.
   * @default 30_000
   */
  readonly otherProcessWatchMs?: number;
  /**
   * How long (simulated ms after closing) a closed execution stays in memory; then it leaves
   * memory and, with a `dataDir`, stays readable by ARN from disk (not listed, its name free
   * again), as AWS keeps closed executions 90 days.
   * @default 90 days
   */
  readonly closedExecutionRetentionMs?: number;
  /**
   * Whether `start()` continues the executions that were running when the previous sandbox on
   * `dataDir` ended (a macrotask after it listens, so handlers registered right after
   * `await startSandbox()` are there). Pass false when handlers are registered later (after other
   * awaits), and call {@link Sandbox.resumeRunning} once they are.
   * @default true
   */
  readonly resumeRunning?: boolean;
  /** Where the sandbox reports problems (a document it could not read, a failed request). @default stderr */
  readonly log?: (message: string) => void;
}

/** A sandbox, built and (after {@link Sandbox.start}) listening. */
export interface Sandbox extends SandboxContext {
  /** `http://127.0.0.1:<port>`, once started. */
  readonly endpoint: string;
  /** The port, once started. */
  readonly port: number;
  /** The Step Functions service. */
  readonly sfn: SfnService;
  /** The simulated EC2 regions (admin actions under `ec2.*`, seed section `ec2`). */
  readonly ec2: Ec2Sandbox;
  /** CloudWatch metrics and alarms (admin actions under `cloudwatch.*`). */
  readonly cloudwatch: CloudWatchSandbox;
  /** S3 buckets and objects (admin actions under `s3.*`). */
  readonly s3: S3Sandbox;
  /** SNS topics and the messages published to them (admin actions under `sns.*`). */
  readonly sns: SnsSandbox;
  /** EventBridge Scheduler (admin actions under `scheduler.*`); Step Functions targets start executions. */
  readonly scheduler: SchedulerSandbox;
  /** The web console at `/` (pages can be added with `console.addPage`). */
  readonly console: ConsoleSandbox;
  /** The HTTP server. */
  readonly server: SandboxServer;
  /** The data directory, if persistent. */
  readonly dataDir?: string;
  /** Mounts another service (works before and after start). */
  mount(service: ServiceSpec): SandboxService;
  /** Starts listening (and, unless `resumeRunning: false`, continues executions left running). */
  start(): Promise<void>;
  /**
   * Continues the executions that were running when the previous sandbox on this data directory
   * stopped or crashed, from their last recorded event. Idempotent.
   */
  resumeRunning(): void;
  /**
   * Stops the server, parks running executions (they stay RUNNING and continue after a restart
   * on the same data directory), writes what is pending and stops the clock. Safe to call twice.
   */
  stop(): Promise<void>;
}

const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

/**
 * Builds a sandbox without listening yet (so services and handlers can be added first).
 *
 * @throws RangeError for an option out of range (the message names it).
 */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const region = options.region ?? 'us-east-1';
  if (!REGION_RE.test(region)) throw new RangeError(`sandbox: region: expected a region name such as "us-east-1", found ${JSON.stringify(region)}`);
  const regions = options.regions === undefined ? COMMERCIAL_REGION_NAMES : checkRegions(options.regions, 'sandbox: regions');
  if (!regions.includes(region)) throw new RangeError(`sandbox: region: ${JSON.stringify(region)} is not one of the regions served (${regions.join(', ')})`);
  const served = new Set(regions);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`sandbox: port: expected an integer from 0 to 65535, found ${JSON.stringify(options.port)}`);
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const store = new Store({ dataDir: options.dataDir, onWarning: log });
  const persisted = readPersisted(store);
  const clock = makeClock(options, persisted.floorMs);
  const random = new SeededRandom(options.seed ?? 1);
  const lambdas = new LambdaRegistry({ defaultRegion: region, accountId: SANDBOX_ACCOUNT_ID, clock, random: random.fork('lambda') });
  const engine: EngineModule = options.engine ?? ownEngine;
  const server = new SandboxServer({ clock, random, defaultRegion: region, dataDir: store.dataDir, log, isServedRegion: (r) => served.has(r) });
  const admin = server.admin;
  // First: the console answers unsigned GET / and /console/…, which no AWS API request is.
  const consoleUi = createConsole({ regions, defaultRegion: region });
  server.mount(consoleUi.service);
  // S3 is created after EC2 and CloudWatch (so their seeded ids stay as they were); Step Functions
  // reaches it through these closures, used only once executions run.
  const s3Access: S3Access = {
    getObject: (bucket, key) => s3.model.getObject(bucket, key),
    putObject: (bucket, key, body, contentType) => void s3.model.putObject(bucket, key, Buffer.from(body, 'utf8'), { contentType }),
    listObjectsV2: (bucket, o) => s3.model.list(bucket, o),
  };
  const sfn = new SfnService({
    engine, clock, random, lambdas, store, accountId: SANDBOX_ACCOUNT_ID, log, startGraceMs: options.startGraceMs, s3: s3Access,
    closedRetentionMs: options.closedExecutionRetentionMs,
    // Step Functions publishes AWS/States execution metrics to CloudWatch, as on AWS.
    onExecutionClosed: (execution, executionRegion) => cloudwatch.record(executionRegion, 'AWS/States', executionMetrics(execution)),
  });
  server.mount(sfn);
  admin.registerReset(() => sfn.reset());

  const context: SandboxContext = { clock, random, region, accountId: SANDBOX_ACCOUNT_ID, store, admin, lambdas };
  const onError = (m: string): void => log(`sandbox: ${m}`);
  const ec2Doc = new DebouncedDocument(store, EC2_COLLECTION, STATE_KEY, () => ec2.snapshot(), { onError });
  const cloudwatchDoc = new DebouncedDocument(store, CLOUDWATCH_COLLECTION, STATE_KEY, () => cloudwatch.snapshot(), { onError });
  const clockDoc = new DebouncedDocument(store, SANDBOX_COLLECTION, CLOCK_KEY, (): ClockDocument => ({ nowMs: clock.now(), now: new Date(clock.now()).toISOString() }), { onError });
  const ec2 = createEc2Service({
    clock, random, accountId: SANDBOX_ACCOUNT_ID, regions, otherProcessWatchMs: options.otherProcessWatchMs ?? OTHER_PROCESS_WATCH_MS,
    ...(options.ec2 ?? {}), onChange: () => ec2Doc.changed(),
  });
  server.mount(ec2.service);
  admin.registerNamespace('ec2', (action, body) => ec2.admin(action, body));
  admin.registerSeed('ec2', (body) => ec2.admin('seed-instances', body));
  admin.registerReset(() => ec2.reset());
  const snsDoc = new DebouncedDocument(store, SNS_COLLECTION, STATE_KEY, () => sns.snapshot(), { onError });
  const schedulerDoc = new DebouncedDocument(store, SCHEDULER_COLLECTION, STATE_KEY, () => scheduler.snapshot(), { onError });
  const sns = createSnsService({ clock, random: random.fork('sns'), accountId: SANDBOX_ACCOUNT_ID, onChange: () => snsDoc.changed() });
  // Alarm actions reach SNS in process; a topic that does not exist fails the action (alarm history).
  const cloudwatch = attachCloudWatch(context, { onChange: () => cloudwatchDoc.changed(), notify: (a) => void sns.publish(a.arn, a.message, a.subject) });
  server.mount(cloudwatch.service);
  const s3 = attachS3(context, onError);
  server.mount(s3.service);
  server.mount(sns.service);
  admin.registerNamespace('sns', (action, body) => sns.admin(action, body));
  admin.registerReset(() => sns.reset());
  const scheduler = createSchedulerService({
    clock, random: random.fork('scheduler'), accountId: SANDBOX_ACCOUNT_ID,
    invoke: (invocation) => invokeScheduleTarget(sfn, invocation),
    onChange: () => schedulerDoc.changed(),
    log: onError,
  });
  server.mount(scheduler.service);
  admin.registerNamespace('scheduler', (action, body) => scheduler.admin(action, body));
  admin.registerReset(() => scheduler.reset());
  // After the services' own reset hooks: the fresh state replaces what was on disk at once.
  admin.registerReset(() => {
    ec2Doc.write();
    cloudwatchDoc.write();
    snsDoc.write();
    schedulerDoc.write();
  });
  if (persisted.ec2 !== undefined) {
    try {
      ec2.restore(persisted.ec2, (m) => log(`sandbox: ${m}`));
    } catch (err) {
      log(`sandbox: ${store.dataDir}/${EC2_COLLECTION}: ${(err as Error).message}; EC2 starts fresh`);
    }
  }
  if (persisted.cloudwatch !== undefined) {
    try {
      cloudwatch.restore(persisted.cloudwatch);
    } catch (err) {
      log(`sandbox: ${store.dataDir}/${CLOUDWATCH_COLLECTION}: ${(err as Error).message}; CloudWatch starts fresh`);
    }
  }
  if (persisted.sns !== undefined) {
    try {
      sns.restore(persisted.sns);
    } catch (err) {
      log(`sandbox: ${store.dataDir}/${SNS_COLLECTION}: ${(err as Error).message}; SNS starts fresh`);
    }
  }
  if (persisted.scheduler !== undefined) {
    try {
      scheduler.restore(persisted.scheduler);
    } catch (err) {
      log(`sandbox: ${store.dataDir}/${SCHEDULER_COLLECTION}: ${(err as Error).message}; the scheduler starts fresh`);
    }
  }
  const mount = (spec: ServiceSpec): SandboxService => {
    const service = typeof spec === 'function' ? spec(context) : spec;
    server.mount(service);
    return service;
  };
  for (const spec of options.services ?? []) mount(spec);

  let started = false;
  let stopped: Promise<void> | undefined;
  return {
    ...context,
    sfn,
    ec2,
    cloudwatch,
    s3,
    sns,
    scheduler,
    console: consoleUi,
    server,
    dataDir: store.dataDir,
    get endpoint() {
      return server.endpoint;
    },
    get port() {
      return Number(new URL(server.endpoint).port);
    },
    mount,
    async start() {
      if (started) return;
      started = true;
      await server.listen(port);
      // After a macrotask: handlers registered right after `await startSandbox()` exist by then.
      if (options.resumeRunning !== false) setImmediate(() => { if (!stopped) sfn.resumeRunning(); });
    },
    resumeRunning: () => sfn.resumeRunning(),
    stop() {
      stopped ??= (async () => {
        // No schedule or alarm fires while the sandbox winds down.
        scheduler.dispose();
        cloudwatch.dispose();
        // Executions first, so none of them sees the endpoint vanish under a running task.
        await sfn.close();
        await server.close();
        // Last writes: what changed since the last debounced write, and the time the clock reached.
        for (const doc of [ec2Doc, cloudwatchDoc, snsDoc, schedulerDoc]) {
          doc.flush();
          doc.close();
        }
        clockDoc.write();
        clockDoc.close();
        ec2.dispose();
        clock.dispose();
      })();
      return stopped;
    },
  };
}

/** Builds a sandbox and starts listening. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await createSandbox(options);
  await sandbox.start();
  return sandbox;
}

/** Default of {@link SandboxOptions.otherProcessWatchMs}: longer than an AWS CLI waiter's 15 s between polls. */
const OTHER_PROCESS_WATCH_MS = 30_000;

/** Where the sandbox keeps its services' state documents (collection, key). */
const EC2_COLLECTION = 'ec2';
const CLOUDWATCH_COLLECTION = 'cloudwatch';
const SNS_COLLECTION = 'sns';
const SCHEDULER_COLLECTION = 'scheduler';
const SANDBOX_COLLECTION = 'sandbox';
const STATE_KEY = 'state';
const CLOCK_KEY = 'clock';

/** `<dataDir>/sandbox/clock-….json`: the simulated time the sandbox had reached when it stopped. */
interface ClockDocument {
  readonly nowMs: number;
  readonly now: string;
}

interface Persisted {
  readonly ec2?: unknown;
  readonly cloudwatch?: unknown;
  readonly sns?: unknown;
  readonly scheduler?: unknown;
  /** The latest simulated time the persisted state records (epoch ms), if any. */
  readonly floorMs?: number;
}

/** Reads the EC2 and CloudWatch documents and the latest simulated time any document records. */
function readPersisted(store: Store): Persisted {
  if (!store.isPersistent) return {};
  const ec2 = store.read<unknown>(EC2_COLLECTION, STATE_KEY);
  const cloudwatch = store.read<unknown>(CLOUDWATCH_COLLECTION, STATE_KEY);
  const sns = store.read<unknown>(SNS_COLLECTION, STATE_KEY);
  const scheduler = store.read<unknown>(SCHEDULER_COLLECTION, STATE_KEY);
  const clockDoc = store.read<Partial<ClockDocument>>(SANDBOX_COLLECTION, CLOCK_KEY);
  const times = [takenAt(ec2), takenAt(cloudwatch), takenAt(sns), takenAt(scheduler), clockDoc?.nowMs].filter((t): t is number => typeof t === 'number' && Number.isFinite(t));
  return { ec2, cloudwatch, sns, scheduler, floorMs: times.length > 0 ? Math.max(...times) : undefined };
}

function takenAt(doc: unknown): number | undefined {
  return typeof doc === 'object' && doc !== null ? ((doc as { takenAtMs?: unknown }).takenAtMs as number | undefined) : undefined;
}

/** The AWS/States metrics of a closed execution: its outcome count and ExecutionTime. @see https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html */
function executionMetrics(execution: { stateMachineArn: string; status: string; startDate: number; stopDate?: number; redriveDate?: number }) {
  const outcome: Record<string, string> = { SUCCEEDED: 'ExecutionsSucceeded', FAILED: 'ExecutionsFailed', ABORTED: 'ExecutionsAborted', TIMED_OUT: 'ExecutionsTimedOut' };
  const at = execution.stopDate ?? execution.startDate;
  const dimensions = [{ name: 'StateMachineArn', value: execution.stateMachineArn }];
  const name = outcome[execution.status];
  return [
    ...(name ? [{ metricName: name, dimensions, value: 1, unit: 'Count', timestampMs: at }] : []),
    { metricName: 'ExecutionTime', dimensions, value: at - (execution.redriveDate ?? execution.startDate), unit: 'Milliseconds', timestampMs: at },
  ];
}

const STATE_MACHINE_ARN_RE = /^arn:aws[a-z-]*:states:([a-z0-9-]+):\d{12}:stateMachine:[A-Za-z0-9_.-]+$/;

/**
 * A schedule's target: a Step Functions state machine gets StartExecution with the target's
 * input, through the Step Functions service's own API (as EventBridge Scheduler's templated
 * target calls it), so the scheduler needs to know nothing of Step Functions.
 *
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html
 */
async function invokeScheduleTarget(sfn: SfnService, invocation: ScheduleInvocation): Promise<InvocationOutcome> {
  const match = STATE_MACHINE_ARN_RE.exec(invocation.targetArn);
  if (!match) return { ok: false, error: 'Sandbox.UnsupportedTarget', message: `the sandbox scheduler starts Step Functions state machines only, found target ${invocation.targetArn}` };
  const response = await sfn.handle({
    method: 'POST',
    path: '/',
    query: '',
    headers: { 'x-amz-target': 'AWSStepFunctions.StartExecution', 'content-type': 'application/x-amz-json-1.0' },
        // The execution is named by the scheduler's execution id: unique per occurrence, even across restarts.
    body: Buffer.from(JSON.stringify({ stateMachineArn: invocation.targetArn, name: invocation.executionId, ...(invocation.input !== undefined ? { input: invocation.input } : {}) })),
    region: match[1]!,
    signingService: 'states',
  });
  const text = typeof response.body === 'string' ? response.body : response.body.toString('utf8');
  const parsed = JSON.parse(text || '{}') as { executionArn?: string; __type?: string; message?: string };
  if (response.status < 300) return { ok: true, detail: parsed.executionArn };
  return { ok: false, error: (parsed.__type ?? 'Unknown').replace(/^.*#/, ''), message: parsed.message ?? text };
}

/**
 * The clock. A virtual clock over persisted state starts at max(`startMs` ?? now, the latest
 * persisted time); a real clock (or one passed in) is wall time and cannot be moved.
 */
function makeClock(options: SandboxOptions, floorMs: number | undefined): Clock {
  const kind = options.clock ?? 'virtual';
  if (typeof kind === 'object') return kind;
  if (kind === 'virtual') return new VirtualClock({ startMs: Math.max(options.startMs ?? Date.now(), floorMs ?? -Infinity) });
  if (kind === 'real') return new RealClock({ speed: options.speed ?? 1 });
  throw new RangeError(`sandbox: clock: expected "virtual" or "real", found ${JSON.stringify(kind)}`);
}
