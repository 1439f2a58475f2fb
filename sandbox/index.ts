/**
 * The sandbox as one value: an HTTP server on 127.0.0.1 with the Step Functions, EC2, CloudWatch
 * (metrics and alarms), SNS, EventBridge Scheduler and Route 53 services (and any other services mounted),
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
import { createElbv2Service, type Elbv2Sandbox, type InstanceFacts } from './elbv2/index.js';
import { LambdaRegistry, SANDBOX_ACCOUNT_ID } from './lambda.js';
import { SeededRandom } from './random.js';
import { attachRoute53, type Route53Sandbox } from './route53/index.js';
import { attachS3, type S3Sandbox } from './s3/index.js';
import { createSchedulerService, type InvocationOutcome, type ScheduleInvocation, type SchedulerSandbox } from './scheduler/index.js';
import { SandboxServer, type ProxyAnswer, type ProxyRequest } from './server.js';
import type { SandboxService } from './service.js';
import { createSnsService, type SnsSandbox } from './sns/index.js';
import { createStsService, type StsSandbox } from './sts/index.js';
import { createServiceQuotasService, type ServiceQuotasSandbox } from './servicequotas/index.js';
import { createKmsService, type KmsSandbox } from './kms/index.js';
import { createIamService, type IamSandbox } from './iam/index.js';
import * as ownEngine from './sfn/engine/index.js';
import { SfnService, type EngineModule } from './sfn/service.js';
import type { S3Access } from './sfn/engine/types.js';
import { DebouncedDocument, JournaledDocument, Store, type JournaledContent } from './store.js';

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
  /** Elastic Load Balancing v2: target groups, targets and their health (`elbv2/`). */
  readonly elbv2: Elbv2Sandbox;
  /** EventBridge Scheduler (admin actions under `scheduler.*`); Step Functions targets start executions. */
  readonly scheduler: SchedulerSandbox;
  /** STS GetCallerIdentity, the identity following the access key (admin actions under `sts.*`). */
  readonly sts: StsSandbox;
  /** Service Quotas for EC2's vCPU quota, settable (admin actions under `servicequotas.*`); EC2 enforces it. */
  readonly servicequotas: ServiceQuotasSandbox;
  /** KMS keys and aliases (admin actions under `kms.*`); EC2 refuses to use a key that is not enabled. */
  readonly kms: KmsSandbox;
  /** IAM instance profiles (admin actions under `iam.*`); EC2 refuses a launch naming one that does not exist. */
  readonly iam: IamSandbox;
  /** Route 53 hosted zones, records, changes and health checks (admin actions under `route53.*`). */
  readonly route53: Route53Sandbox;
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
  const onError = (m: string): void => log(`sandbox: ${m}`);
  // CloudWatch's state grows with every data point: a base document plus a journal of the points
  // put since (and of alarm changes), so a write appends a line instead of rewriting the week's data.
  const cloudwatchDoc = new JournaledDocument(store, CLOUDWATCH_COLLECTION, STATE_KEY, () => cloudwatch.snapshot(), { onError, onWarning: onError });
  const persisted = readPersisted(store, cloudwatchDoc);
  const clock = makeClock(options, persisted.floorMs);
  const random = new SeededRandom(options.seed ?? 1);
  const lambdas = new LambdaRegistry({ defaultRegion: region, accountId: SANDBOX_ACCOUNT_ID, clock, random: random.fork('lambda') });
  const engine: EngineModule = options.engine ?? ownEngine;
  const server = new SandboxServer({ clock, random, defaultRegion: region, dataDir: store.dataDir, log, isServedRegion: (r) => served.has(r) });
  const admin = server.admin;
  /** Mounts a service, and gives the admin API its actions (`POST /_sandbox/<namespace>.<action>`) and its reset. */
  const attach = (namespace: string, mounted: { readonly service: SandboxService; admin(action: string, body: Record<string, unknown>): unknown; reset(): void }): void => {
    server.mount(mounted.service);
    admin.registerNamespace(namespace, (action, body) => mounted.admin(action, body));
    admin.registerReset(() => mounted.reset());
  };
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
  // Every service's state document; set once they exist (an execution restored at start has nothing to flush yet).
  let serviceDocs = (): ServiceDocument[] => [];
  const sfn = new SfnService({
    engine, clock, random, lambdas, store, accountId: SANDBOX_ACCOUNT_ID, log, startGraceMs: options.startGraceMs, s3: s3Access,
    closedRetentionMs: options.closedExecutionRetentionMs,
    // The services' pending state first, then the history that names it (write-ahead order).
    beforePersist: () => {
      for (const doc of serviceDocs()) doc.flush();
    },
    // Step Functions publishes AWS/States execution metrics to CloudWatch, as on AWS.
    onExecutionClosed: (execution, executionRegion) => cloudwatch.record(executionRegion, 'AWS/States', executionMetrics(execution)),
  });
  server.mount(sfn);
  admin.registerReset(() => sfn.reset());

  const context: SandboxContext = { clock, random, region, accountId: SANDBOX_ACCOUNT_ID, store, admin, lambdas };
  const ec2Doc = new DebouncedDocument(store, EC2_COLLECTION, STATE_KEY, () => ec2.snapshot(), { onError });
  const clockDoc = new DebouncedDocument(store, SANDBOX_COLLECTION, CLOCK_KEY, (): ClockDocument => ({ nowMs: clock.now(), now: new Date(clock.now()).toISOString() }), { onError });
  const ec2 = createEc2Service({
    clock, random, accountId: SANDBOX_ACCOUNT_ID, regions, otherProcessWatchMs: options.otherProcessWatchMs ?? OTHER_PROCESS_WATCH_MS,
    ...(options.ec2 ?? {}), onChange: () => ec2Doc.changed(),
    // What EC2 asks the other services; each is created below and read only when a request comes.
    integrations: {
      principalOf: (accessKeyId) => sts.principalArnOf(accessKeyId),
      quota: (quotaRegion, quotaCode) => servicequotas.quota(quotaRegion, 'ec2', quotaCode),
      kmsKey: (keyRegion, keyId) => {
        const key = kms.findKey(keyRegion, keyId);
        return key ? { arn: key.arn, state: key.keyState } : undefined;
      },
      instanceProfile: (ref) => {
        const profile = iam.findInstanceProfile(ref);
        return profile ? { arn: profile.arn, id: profile.id } : undefined;
      },
    },
  });
  server.mount(ec2.service);
  // The instances' private addresses are reachable through the server as a forward proxy.
  server.setForwardProxy((request) => instanceEndpoint(ec2, request));
  admin.registerNamespace('ec2', (action, body) => ec2.admin(action, body));
  admin.registerSeed('ec2', (body) => ec2.admin('seed-instances', body));
  admin.registerReset(() => ec2.reset());
  const snsDoc = new DebouncedDocument(store, SNS_COLLECTION, STATE_KEY, () => sns.snapshot(), { onError });
  const schedulerDoc = new DebouncedDocument(store, SCHEDULER_COLLECTION, STATE_KEY, () => scheduler.snapshot(), { onError });
  const sns = createSnsService({ clock, random: random.fork('sns'), accountId: SANDBOX_ACCOUNT_ID, onChange: () => snsDoc.changed() });
  // Alarm actions reach SNS in process; a topic that does not exist fails the action (alarm history).
  const cloudwatch = attachCloudWatch(context, {
    onChange: (change) => {
      if (change === undefined) cloudwatchDoc.changed();
      else if ('alarms' in change) cloudwatchDoc.appendLatest('alarms', () => ({ alarms: cloudwatch.alarmsSnapshot() }));
      else cloudwatchDoc.append({ at: clock.now(), region: change.region, put: change.put });
    },
    notify: (a) => void sns.publish(a.arn, a.message, a.subject) });
  server.mount(cloudwatch.service);
  const s3 = attachS3(context, onError);
  server.mount(s3.service);
  attach('sns', sns);
  const scheduler = createSchedulerService({
    clock, random: random.fork('scheduler'), accountId: SANDBOX_ACCOUNT_ID,
    invoke: (invocation) => invokeScheduleTarget(sfn, invocation),
    onChange: () => schedulerDoc.changed(),
    log: onError,
  });
  attach('scheduler', scheduler);
  const stsDoc = new DebouncedDocument(store, STS_COLLECTION, STATE_KEY, () => sts.snapshot(), { onError });
  const sts = createStsService({ clock, random: random.fork('sts'), accountId: SANDBOX_ACCOUNT_ID, onChange: () => stsDoc.changed() });
  attach('sts', sts);
  const quotasDoc = new DebouncedDocument(store, SERVICE_QUOTAS_COLLECTION, STATE_KEY, () => servicequotas.snapshot(), { onError });
  const servicequotas = createServiceQuotasService({ clock, random: random.fork('servicequotas'), accountId: SANDBOX_ACCOUNT_ID, onChange: () => quotasDoc.changed() });
  attach('servicequotas', servicequotas);
  const kmsDoc = new DebouncedDocument(store, KMS_COLLECTION, STATE_KEY, () => kms.snapshot(), { onError });
  const kms = createKmsService({
    clock, random: random.fork('kms'), accountId: SANDBOX_ACCOUNT_ID, onChange: () => kmsDoc.changed(),
    // EC2's default EBS key of a region is KMS's AWS-managed aws/ebs key there.
    awsManagedKeyArn: (keyRegion, alias) => (alias === 'aws/ebs' && served.has(keyRegion) ? ec2.region(keyRegion).defaultKmsKeyId : undefined),
  });
  attach('kms', kms);
  const iamDoc = new DebouncedDocument(store, IAM_COLLECTION, STATE_KEY, () => iam.snapshot(), { onError });
  const iam = createIamService({ clock, random: random.fork('iam'), accountId: SANDBOX_ACCOUNT_ID, onChange: () => iamDoc.changed() });
  attach('iam', iam);
  const simpleDocs: DebouncedDocument[] = [stsDoc, quotasDoc, kmsDoc, iamDoc];
  restoreSimple(persisted.simple[IAM_COLLECTION], (v) => iam.restore(v), `${store.dataDir}/${IAM_COLLECTION}`, 'IAM', log);
  restoreSimple(persisted.simple[STS_COLLECTION], (v) => sts.restore(v), `${store.dataDir}/${STS_COLLECTION}`, 'STS', log);
  restoreSimple(persisted.simple[SERVICE_QUOTAS_COLLECTION], (v) => servicequotas.restore(v), `${store.dataDir}/${SERVICE_QUOTAS_COLLECTION}`, 'Service Quotas', log);
  restoreSimple(persisted.simple[KMS_COLLECTION], (v) => kms.restore(v), `${store.dataDir}/${KMS_COLLECTION}`, 'KMS', log);
  const route53Doc = new DebouncedDocument(store, ROUTE53_COLLECTION, STATE_KEY, () => route53.model.snapshot(), { onError });
  // Its own seeded generator (not a fork of the shared one), so the ids other services draw stay as they were.
  const route53 = attachRoute53({ ...context, random: new SeededRandom(`route53:${options.seed ?? 1}`) }, { onChange: () => route53Doc.changed(), otherProcessWatchMs: options.otherProcessWatchMs ?? OTHER_PROCESS_WATCH_MS });
  server.mount(route53.service);
  const elbv2Doc = new DebouncedDocument(store, ELBV2_COLLECTION, STATE_KEY, () => elbv2.snapshot(), { onError });
  serviceDocs = (): ServiceDocument[] => [ec2Doc, cloudwatchDoc, snsDoc, schedulerDoc, route53Doc, elbv2Doc, ...simpleDocs];
  // Its own seeded stream (not a fork of the shared one), so adding it moves no other service's ids.
  const elbv2 = createElbv2Service({
    clock, random: new SeededRandom(`${options.seed ?? 1}:elbv2`), accountId: SANDBOX_ACCOUNT_ID,
    instance: (r, id) => instanceFacts(ec2, r, id),
    // A target answers health checks as its instance's modelled application does (ec2/applications.ts).
    probe: (r, id, check, atMs) => {
      const answer = ec2.applicationAnswer(r, id, check.protocol === 'HTTPS' ? 'https' : check.protocol === 'HTTP' ? 'http' : 'tcp', check.port, check.path, atMs);
      if (answer.outcome === 'answered') return { kind: 'answered', statusCode: answer.status };
      if (answer.outcome === 'open') return { kind: 'answered', statusCode: 200 };
      return { kind: answer.outcome };
    },
    subnet: (r, id) => ec2.region(r).subnets().find((s) => s.subnetId === id),
    onChange: () => elbv2Doc.changed(),
  });
  attach('elbv2', elbv2);
  // After the services' own reset hooks: the fresh state replaces what was on disk at once.
  admin.registerReset(() => {
    elbv2Doc.write();
    ec2Doc.write();
    cloudwatchDoc.write();
    snsDoc.write();
    schedulerDoc.write();
    for (const doc of simpleDocs) doc.write();
    route53Doc.write();
  });
  if (persisted.ec2 !== undefined) {
    try {
      ec2.restore(persisted.ec2, (m) => log(`sandbox: ${m}`));
    } catch (err) {
      log(`sandbox: ${store.dataDir}/${EC2_COLLECTION}: ${(err as Error).message}; EC2 starts fresh`);
    }
  }
  if (persisted.cloudwatch.base !== undefined) {
    try {
      cloudwatch.restore(persisted.cloudwatch.base);
    } catch (err) {
      log(`sandbox: ${store.dataDir}/${CLOUDWATCH_COLLECTION}: ${(err as Error).message}; CloudWatch starts fresh`);
    }
  }
  try {
    cloudwatch.replay(persisted.cloudwatch.changes);
  } catch (err) {
    log(`sandbox: ${store.dataDir}/${CLOUDWATCH_COLLECTION}: ${(err as Error).message}; CloudWatch is as of the entry before it`);
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
  if (persisted.route53 !== undefined) {
    try {
      route53.model.restore(persisted.route53);
    } catch (err) {
      log(`sandbox: ${store.dataDir}/${ROUTE53_COLLECTION}: ${(err as Error).message}; Route 53 starts fresh`);
    }
  }
  if (persisted.elbv2 !== undefined) {
    try {
      elbv2.restore(persisted.elbv2);
    } catch (err) {
      log(`sandbox: ${store.dataDir}/${ELBV2_COLLECTION}: ${(err as Error).message}; Elastic Load Balancing starts fresh`);
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
    sts,
    servicequotas,
    kms,
    iam,
    route53,
    elbv2,
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
        route53.dispose();
        for (const doc of serviceDocs()) {
          doc.flush();
          doc.close();
        }
        clockDoc.write();
        clockDoc.close();
        // Every document into its file, the journal emptied (a restart then reads files only).
        try {
          store.close();
        } catch (err) {
          onError(`store: ${store.dataDir}: the journal could not be written out (${(err as Error).message}); the next start replays it`);
        }
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
const ELBV2_COLLECTION = 'elbv2';
const SCHEDULER_COLLECTION = 'scheduler';
const STS_COLLECTION = 'sts';
const SERVICE_QUOTAS_COLLECTION = 'servicequotas';
const KMS_COLLECTION = 'kms';
const IAM_COLLECTION = 'iam';
/** The services whose whole state is one document restored as is (collection names). */
const SIMPLE_COLLECTIONS = [STS_COLLECTION, SERVICE_QUOTAS_COLLECTION, KMS_COLLECTION, IAM_COLLECTION] as const;
const ROUTE53_COLLECTION = 'route53';
const SANDBOX_COLLECTION = 'sandbox';
const STATE_KEY = 'state';
const CLOCK_KEY = 'clock';

/** `<dataDir>/sandbox/clock-….json`: the simulated time the sandbox had reached when it stopped. */
interface ClockDocument {
  readonly nowMs: number;
  readonly now: string;
}

/** A service's state document as the sandbox drives it (debounced whole documents, or a base and a journal). */
type ServiceDocument = Pick<DebouncedDocument, 'flush' | 'write' | 'close'>;

interface Persisted {
  readonly ec2?: unknown;
  readonly cloudwatch: JournaledContent;
  readonly sns?: unknown;
  readonly elbv2?: unknown;
  readonly scheduler?: unknown;
  /** The documents of {@link SIMPLE_COLLECTIONS}, by collection. */
  readonly simple: Record<string, unknown>;
  readonly route53?: unknown;
  /** The latest simulated time the persisted state records (epoch ms), if any. */
  readonly floorMs?: number;
}

/** Reads the EC2 and CloudWatch documents and the latest simulated time any document records. */
function readPersisted(store: Store, cloudwatchDoc: JournaledDocument): Persisted {
  if (!store.isPersistent) return { simple: {}, cloudwatch: { base: undefined, changes: [] } };
  const ec2 = store.read<unknown>(EC2_COLLECTION, STATE_KEY);
  const cloudwatch = cloudwatchDoc.load();
  const sns = store.read<unknown>(SNS_COLLECTION, STATE_KEY);
  const elbv2 = store.read<unknown>(ELBV2_COLLECTION, STATE_KEY);
  const scheduler = store.read<unknown>(SCHEDULER_COLLECTION, STATE_KEY);
  const route53 = store.read<unknown>(ROUTE53_COLLECTION, STATE_KEY);
  const clockDoc = store.read<Partial<ClockDocument>>(SANDBOX_COLLECTION, CLOCK_KEY);
  const simple = Object.fromEntries(SIMPLE_COLLECTIONS.map((c) => [c, store.read<unknown>(c, STATE_KEY)]));
  // The journal's entries carry the simulated time they were made or written at (`at`).
  let journalAt: number | undefined;
  for (const c of cloudwatch.changes) {
    const at = typeof c === 'object' && c !== null ? (c as { at?: unknown }).at : undefined;
    if (typeof at === 'number' && Number.isFinite(at) && !(at <= (journalAt ?? -Infinity))) journalAt = at;
  }
  const times = [takenAt(ec2), takenAt(cloudwatch.base), journalAt, takenAt(sns), takenAt(scheduler), takenAt(route53), takenAt(elbv2), ...Object.values(simple).map(takenAt), clockDoc?.nowMs].filter((t): t is number => typeof t === 'number' && Number.isFinite(t));
  return { ec2, cloudwatch, sns, scheduler, route53, elbv2, simple, floorMs: times.length > 0 ? Math.max(...times) : undefined };
}

/** Restores one service's document, if there is one; a document that does not read back is reported and the service starts fresh. */
function restoreSimple(doc: unknown, restore: (doc: unknown) => void, where: string, name: string, log: (m: string) => void): void {
  if (doc === undefined) return;
  try {
    restore(doc);
  } catch (err) {
    log(`sandbox: ${where}: ${(err as Error).message}; ${name} starts fresh`);
  }
}

/** What Elastic Load Balancing needs to know of an EC2 instance (its state, VPC and zone), or undefined when EC2 does not list it. */
function instanceFacts(ec2: Ec2Sandbox, region: string, instanceId: string): InstanceFacts | undefined {
  const view = ec2.region(region);
  const instance = view.instances().find((i) => i.instanceId === instanceId);
  if (!instance) return undefined;
  const subnet = view.subnets().find((s) => s.subnetId === instance.subnetId);
  return { state: instance.state, vpcId: subnet?.vpcId ?? '', availabilityZone: instance.availabilityZone };
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

const IPV4_RE = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/**
 * The forward proxy's network: a request for a private address is answered by the application of
 * the instance holding it (in whichever region that is; addresses are unique across the sandbox's
 * regions). No connection is ever opened: a name that is not an address fails as DNS would.
 */
function instanceEndpoint(ec2: Ec2Sandbox, request: ProxyRequest): ProxyAnswer {
  const where = `${request.scheme}://${request.host}:${request.port}`;
  if (!IPV4_RE.test(request.host)) return { kind: 'error', error: 'dns_error', details: `${where}: the sandbox network has instance addresses only (IPv4), not names` };
  const region = ec2.applications.regionOf(request.host);
  if (region === undefined) return { kind: 'error', error: 'connection_timeout', details: `${where}: no instance holds this address; nothing answers` };
  const answer = ec2.applicationAnswer(region, request.host, request.scheme, request.port, request.path);
  switch (answer.outcome) {
    case 'answered':
      return { kind: 'response', status: answer.status, body: answer.detail };
    case 'open':
      return { kind: 'open' };
    case 'refused':
      return { kind: 'error', error: 'connection_refused', details: answer.detail };
    case 'timeout':
      return { kind: 'error', error: 'connection_timeout', details: answer.detail };
  }
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
