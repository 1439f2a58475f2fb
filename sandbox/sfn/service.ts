/**
 * The Step Functions API of the sandbox (AWS JSON 1.0, `X-Amz-Target: AWSStepFunctions.<Op>`):
 * state machines, executions, their histories, task tokens and redrives, answered as AWS answers
 * them, with executions run by the ASL engine (`./engine/`) and everything persisted in the store.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html
 */
import type { EngineHost, ExecutionFacts, ExecutionIdentity, ExecutionStatus, HistoryEvent as EngineHistoryEvent, LambdaResult as EngineLambdaResult, S3Access } from './engine/types.js';
import type { Execution as OwnEngineExecution } from './engine/execution.js';
import type { MapRun, MapRunSnapshot } from './engine/states/distributed-map.js';
import { MapRuns } from './map-runs.js';
import type { Clock } from '../clock.js';
import type { LambdaRegistry } from '../lambda.js';
import type { SeededRandom } from '../random.js';
import { depthMessage, jsonDepthBeyond } from '../json-depth.js';
import type { SandboxService, ServiceRequest, ServiceResponse } from '../service.js';
import type { Store } from '../store.js';
import {
  JSON_1_0,
  Members,
  SfnApiError,
  CORAL_NAMESPACE,
  decodePageToken,
  encodePageToken,
  invalidArnPrefix,
  invalidName,
  isValidName,
  jsonProblem,
  parseBody,
  parseExecutionArn,
  parseStateMachineArn,
  toEpochSeconds,
  utf8Length,
  validationError,
} from './protocol.js';

/**
 * Wall-clock time the clock is held after a `.waitForTaskToken` task with TimeoutSeconds or
 * HeartbeatSeconds issues its token, and after each SendTaskHeartbeat: long enough for a client
 * polling the history to answer before a virtual clock skips to the expiry.
 */
const CLIENT_GRACE_MS = 1000;

// ---------------------------------------------------------------------------------------------
// The engine, as fixed by the contract between the engine and this service. The execution and
// module surfaces are declared here structurally so a stand-in engine can drive the service in tests.

// The host, Lambda result, event and status types are the engine's own (sandbox/sfn/engine/types.ts).
export type { EngineHost, EngineHistoryEvent, EngineLambdaResult, ExecutionStatus };

/** One execution, as the engine runs it. */
export interface EngineExecution extends ExecutionFacts {
  readonly events: readonly EngineHistoryEvent[];
  redriveStatus(): { status: 'REDRIVABLE' | 'NOT_REDRIVABLE'; reason?: string };
  stop(error?: string, cause?: string): void;
  redrive(): void;
  sendTaskSuccess(token: string, output: string): 'ok' | 'unknown' | 'closed';
  sendTaskFailure(token: string, error?: string, cause?: string): 'ok' | 'unknown' | 'closed';
  sendTaskHeartbeat(token: string): 'ok' | 'unknown' | 'closed';
  hasTaskToken(token: string): boolean;
  whenClosed(): Promise<void>;
  snapshot(): unknown;
  /** Continues an execution restored while RUNNING (engines without it: such executions are stopped on load). */
  continueAfterRestart?(): void;
  /** Parks a running execution as the sandbox stops, writing nothing (engines without it: stopped, ABORTED). */
  suspend?(): void;
}

/** Options the engine starts an execution with. */
export interface EngineStartOptions extends ExecutionIdentity {
  readonly host: EngineHost;
  readonly onChange?: (execution: never) => void;
}

/** The engine module's surface this service uses. */
export interface EngineModule {
  readonly Execution: {
    start(options: EngineStartOptions): EngineExecution;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    restore(snapshot: never, host: EngineHost, onChange?: (execution: any) => void): EngineExecution;
  };
  validateDefinition(definition: string): string[];
  /** Rebuilds a stored Map Run (engines without Distributed Map leave it out). */
  readonly MapRun?: { restore(snapshot: MapRunSnapshot): MapRun };
}

// ---------------------------------------------------------------------------------------------

/** Options of {@link SfnService}. */
export interface SfnServiceOptions {
  readonly engine: EngineModule;
  readonly clock: Clock;
  readonly random: SeededRandom;
  readonly lambdas: LambdaRegistry;
  readonly store: Store;
  /** @default '123456789012' */
  readonly accountId?: string;
  /**
   * How long a running execution's changes wait before they are written (wall milliseconds).
   * @default 250
   */
  readonly persistDelayMs?: number;
  /**
   * Called before an execution is written: the host writes what the execution's tasks changed in
   * other services first, so a crash never leaves a history on disk that names a resource the
   * disk has lost (an image a task created, recorded in the history, gone after the restart).
   * @default nothing
   */
  readonly beforePersist?: () => void;
  /** Where problems reading the store are reported. */
  readonly log?: (message: string) => void;
  /**
   * Wall-clock milliseconds a virtual clock is held after StartExecution and RedriveExecution, so
   * that a client outside the process can still act on the run's first Wait (StopExecution,
   * DescribeExecution) before the clock skips past it, as it could on AWS. 0 for in-process use.
   * @default 0
   */
  readonly startGraceMs?: number;
  /**
   * How long (simulated ms after it closed) a closed execution stays in memory. Beyond it, it
   * leaves memory: with a data directory it stays readable by ARN (DescribeExecution,
   * GetExecutionHistory) from disk; ListExecutions no longer lists it and its name is free again,
   * as on AWS once its 90 days are over.
   * @default 90 days (AWS's retention of closed executions)
   * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
   */
  readonly closedRetentionMs?: number;
  /**
   * Told when an execution this process ran closes (not when a closed one is loaded from disk):
   * how the sandbox publishes Step Functions' AWS/States execution metrics.
   */
  readonly onExecutionClosed?: (execution: EngineExecution, region: string) => void;
  /** S3, for Distributed Map `ItemReader` and `ResultWriter`. */
  readonly s3?: S3Access;
}

/**
 * True when an execution left running by a stopped or crashed sandbox can carry on after the
 * restart: every execution the engine can continue, Distributed Map parents and Map Run children
 * included (the parent re-enters its Distributed Map, whose Map Run carries on and waits for the
 * children, which continue on their own).
 */
function canContinue(execution: EngineExecution): boolean {
  return execution.continueAfterRestart !== undefined;
}

interface LoggingConfiguration { level: string; includeExecutionData: boolean; destinations?: unknown[] }

/** A state machine as the store keeps it. */
interface StateMachineRecord {
  arn: string;
  name: string;
  region: string;
  definition: string;
  roleArn: string;
  type: 'STANDARD';
  creationDate: number;
  updateDate?: number;
  revisionId?: string;
  loggingConfiguration: LoggingConfiguration;
  tracingConfiguration: { enabled: boolean };
  encryptionConfiguration?: Record<string, unknown>;
  tags: Record<string, string>;
}

interface RedriveToken { token: string; atMs: number; redriveDate: number }

interface ExecutionEntry {
  execution: EngineExecution;
  /** Order of creation, to break ties in listings. */
  seq: number;
  traceHeader?: string;
  redriveTokens: RedriveToken[];
  persistTimer?: NodeJS.Timeout;
  watched: boolean;
}

/** The stored form of an execution. */
interface StoredExecution {
  version: 1;
  seq: number;
  traceHeader?: string;
  redriveTokens: RedriveToken[];
  snapshot: unknown;
}

const SM_COLLECTION = 'sfn/state-machines';
const EXEC_COLLECTION = 'sfn/executions';
const TARGET_PREFIX = 'AWSStepFunctions.';
const MAX_PAYLOAD = 262_144;
const STATUS_VALUES = ['SUCCEEDED', 'TIMED_OUT', 'PENDING_REDRIVE', 'ABORTED', 'FAILED', 'RUNNING'] as const;
const REDRIVE_FILTER_VALUES = ['REDRIVEN', 'NOT_REDRIVEN'] as const;
/** AWS keeps the last 10 redrive client tokens for 15 minutes. @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html */
const REDRIVE_TOKEN_MS = 15 * 60_000;
const REDRIVE_TOKENS_KEPT = 10;

/** Operations of the API that the sandbox does not implement (activities, versions, aliases, Map Runs, …). */
const UNSUPPORTED = new Set([
  'CreateActivity', 'DeleteActivity', 'DescribeActivity', 'ListActivities', 'GetActivityTask',
  'CreateStateMachineAlias', 'DeleteStateMachineAlias', 'DescribeStateMachineAlias', 'ListStateMachineAliases', 'UpdateStateMachineAlias',
  'DeleteStateMachineVersion', 'ListStateMachineVersions', 'PublishStateMachineVersion',
  'TestState',
]);

type Handler = (body: Record<string, unknown>, req: ServiceRequest) => unknown;

/**
 * The Step Functions service.
 *
 * @example
 * const sfn = new SfnService({ engine, clock, random, lambdas, store });
 * server.mount(sfn);
 */
export class SfnService implements SandboxService {
  private readonly stateMachines = new Map<string, StateMachineRecord>();
  private readonly executions = new Map<string, ExecutionEntry>();
  private readonly hosts = new Map<string, EngineHost>();
  private readonly accountId: string;
  private readonly persistDelayMs: number;
  private readonly ids: SeededRandom;
  private readonly log: (message: string) => void;
  private nextSeq = 1;
  /** Closed executions in the order they closed, for {@link sweep}; `closedHead` is the next to look at. */
  private closedQueue: { readonly arn: string; readonly stopDate: number }[] = [];
  private closedHead = 0;
  private readonly retentionMs: number;
  private readonly handlers: Record<string, Handler>;
  /** Map Runs of Distributed Map states (the engine reports them through `EngineHost.mapRuns`). */
  readonly mapRuns: MapRuns;

  constructor(private readonly options: SfnServiceOptions) {
    this.accountId = options.accountId ?? '123456789012';
    this.persistDelayMs = options.persistDelayMs ?? 250;
    this.retentionMs = options.closedRetentionMs ?? 90 * 86_400_000;
    if (!(this.retentionMs >= 0)) throw new RangeError(`sfn service › closedRetentionMs: expected a number of ms of at least 0, found ${JSON.stringify(options.closedRetentionMs)}`);
    this.ids = options.random.fork('sfn-api');
    this.log = options.log ?? ((m) => process.stderr.write(`${m}\n`));
    this.handlers = {
      CreateStateMachine: (b, r) => this.createStateMachine(b, r),
      DescribeStateMachine: (b) => this.describeStateMachine(b),
      DescribeStateMachineForExecution: (b) => this.describeStateMachineForExecution(b),
      UpdateStateMachine: (b) => this.updateStateMachine(b),
      ListStateMachines: (b, r) => this.listStateMachines(b, r),
      DeleteStateMachine: (b) => this.deleteStateMachine(b),
      ValidateStateMachineDefinition: (b) => this.validateStateMachineDefinition(b),
      StartExecution: (b) => this.startExecution(b),
      StartSyncExecution: (b) => this.startSyncExecution(b),
      DescribeExecution: (b) => this.describeExecution(b),
      ListExecutions: (b) => this.listExecutions(b),
      GetExecutionHistory: (b) => this.getExecutionHistory(b),
      StopExecution: (b) => this.stopExecution(b),
      SendTaskSuccess: (b) => this.sendTaskSuccess(b),
      SendTaskFailure: (b) => this.sendTaskFailure(b),
      SendTaskHeartbeat: (b) => this.sendTaskHeartbeat(b),
      RedriveExecution: (b) => this.redriveExecution(b),
      TagResource: (b) => this.tagResource(b),
      UntagResource: (b) => this.untagResource(b),
      ListTagsForResource: (b) => this.listTagsForResource(b),
      ListMapRuns: (b) => this.mapRuns.listMapRuns(b),
      DescribeMapRun: (b) => this.mapRuns.describeMapRun(b),
      UpdateMapRun: (b) => this.mapRuns.updateMapRun(b),
    };
    this.mapRuns = new MapRuns({
      store: options.store,
      log: this.log,
      adopt: (child) => this.adopt(child),
      execution: (arn) => this.executions.get(arn)?.execution as OwnEngineExecution | undefined,
      requireExecution: (arn) => void this.requireExecution(arn),
      restore: options.engine.MapRun ? (snap) => options.engine.MapRun!.restore(snap) : undefined,
    });
    this.load();
    this.mapRuns.load((arn) => {
      const parent = this.executions.get(arn)?.execution;
      return parent !== undefined && parent.status === 'RUNNING' && parent.continueAfterRestart !== undefined && canContinue(parent);
    });
  }

  // ---- SandboxService ------------------------------------------------------------------------

  matches(req: ServiceRequest): boolean {
    const target = req.headers['x-amz-target'];
    if (target !== undefined) return target.startsWith(TARGET_PREFIX);
    return req.signingService === 'states';
  }

  async handle(req: ServiceRequest): Promise<ServiceResponse> {
    this.sweep();
    try {
      const target = req.headers['x-amz-target'] ?? '';
      const op = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      const handler = Object.prototype.hasOwnProperty.call(this.handlers, op) ? this.handlers[op] : undefined;
      if (!handler) {
        if (UNSUPPORTED.has(op)) {
          throw validationError([`The sandbox does not implement ${op}; it implements ${Object.keys(this.handlers).sort().join(', ')}`]);
        }
        throw new SfnApiError('UnknownOperationException', `Unknown operation ${JSON.stringify(target)}: expected X-Amz-Target 'AWSStepFunctions.<Operation>'`, 400, CORAL_NAMESPACE);
      }
      if (req.method !== 'POST') {
        throw new SfnApiError('UnknownOperationException', `Step Functions operations are POST requests, found ${req.method}`, 400, CORAL_NAMESPACE);
      }
      const body = parseBody(req.body);
      const result = await handler(body, req);
      return { status: 200, headers: { 'Content-Type': JSON_1_0 }, body: JSON.stringify(result ?? {}) };
    } catch (err) {
      if (err instanceof SfnApiError) {
        return { status: err.status, headers: { 'Content-Type': JSON_1_0, 'x-amzn-ErrorType': err.code }, body: err.toBody() };
      }
      throw err;
    }
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /** Every execution, newest first (for tools and tests). */
  listAllExecutions(): EngineExecution[] {
    return [...this.executions.values()].sort((a, b) => b.seq - a.seq).map((e) => e.execution);
  }

  /** One execution by ARN, if known. */
  getExecution(executionArn: string): EngineExecution | undefined {
    return this.executions.get(executionArn)?.execution;
  }

  /**
   * Continues every execution that was running when the previous sandbox on this data directory
   * ended (after a stop or a crash), from its last recorded event. Call it once the Lambda
   * handlers are registered (`startSandbox` does, unless told not to).
   */
  resumeRunning(): void {
    for (const entry of this.executions.values()) {
      if (entry.execution.status === 'RUNNING') entry.execution.continueAfterRestart?.();
    }
  }

  /**
   * Stops the service: running executions are parked as they are (they stay RUNNING on disk and
   * continue after a restart, as on AWS); with an engine that cannot park them they are stopped
   * (ABORTED, `Sandbox.Stopped`, redrivable). Everything pending is written.
   */
  async close(): Promise<void> {
    for (const entry of this.executions.values()) {
      if (entry.execution.status === 'RUNNING') {
        try {
          if (entry.execution.suspend && canContinue(entry.execution)) entry.execution.suspend();
          else entry.execution.stop('Sandbox.Stopped', 'The sandbox stopped while this execution was running; redrive it to resume.');
        } catch (err) {
          this.log(`sandbox sfn: could not stop ${entry.execution.executionArn}: ${(err as Error).message}`);
        }
        this.persistExecution(entry);
      }
    }
    // A stopped run records where a redrive resumes once its states have unwound (promise jobs):
    // let them, so the writes below carry the resume point (a Distributed Map's is its Map Run).
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.flush();
    this.mapRuns.flush();
  }

  /** Writes now every execution whose debounced write is pending. */
  flush(): void {
    for (const entry of this.executions.values()) {
      if (entry.persistTimer) {
        clearTimeout(entry.persistTimer);
        entry.persistTimer = undefined;
        this.persistExecution(entry);
      }
    }
  }

  /** Forgets every state machine and execution (running ones are stopped first), in memory and on disk. */
  reset(): void {
    for (const entry of this.executions.values()) {
      if (entry.persistTimer) clearTimeout(entry.persistTimer);
      if (entry.execution.status === 'RUNNING') {
        try {
          entry.execution.stop('Sandbox.Reset', 'The sandbox was reset.');
        } catch {
          // the execution is dropped anyway
        }
      }
    }
    this.executions.clear();
    this.closedQueue = [];
    this.closedHead = 0;
    this.stateMachines.clear();
    this.mapRuns.reset();
    this.options.store.clear(SM_COLLECTION);
    this.options.store.clear(EXEC_COLLECTION);
  }

  private load(): void {
    const store = this.options.store;
    for (const { value } of store.list<StateMachineRecord>(SM_COLLECTION)) {
      if (value && typeof value.arn === 'string') this.stateMachines.set(value.arn, value);
    }
    const stored = store.list<StoredExecution>(EXEC_COLLECTION).sort((a, b) => (a.value?.seq ?? 0) - (b.value?.seq ?? 0));
    for (const { key, value } of stored) {
      if (!value || value.version !== 1) continue;
      let execution: EngineExecution;
      let restoredEntry: ExecutionEntry | undefined;
      try {
        const region = parseExecutionArn(key).region;
        execution = this.options.engine.Execution.restore(value.snapshot as never, this.host(region), () => {
          if (restoredEntry) this.schedulePersist(restoredEntry);
        });
      } catch (err) {
        this.log(`sandbox sfn: execution ${key}: cannot be restored from the store (${(err as Error).message}); skipped`);
        continue;
      }
      const entry: ExecutionEntry = { execution, seq: value.seq, traceHeader: value.traceHeader, redriveTokens: value.redriveTokens ?? [], watched: false };
      restoredEntry = entry;
      this.nextSeq = Math.max(this.nextSeq, value.seq + 1);
      // Closed beyond the retention: it stays on disk only (readable by ARN).
      if (execution.status !== 'RUNNING' && execution.stopDate !== undefined && execution.stopDate <= this.options.clock.now() - this.retentionMs) continue;
      this.executions.set(execution.executionArn, entry);
      if (execution.status !== 'RUNNING') this.closedQueue.push({ arn: execution.executionArn, stopDate: execution.stopDate ?? 0 });
      const storedStatus = (value.snapshot as { status?: unknown } | null)?.status;
      if (storedStatus === 'RUNNING' && execution.status !== 'RUNNING') {
        // The engine closed an execution that was running when the sandbox ended: keep that.
        this.persistExecution(entry);
      } else if (execution.status === 'RUNNING' && execution.continueAfterRestart && canContinue(execution)) {
        // Running when the sandbox ended (stopped or crashed): it carries on from its last
        // recorded event once the sandbox resumes its executions (`resumeRunning`).
        this.watch(entry);
      } else if (execution.status === 'RUNNING') {
        // An engine that cannot continue it: stop it, so that it can be redriven.
        try {
          execution.stop('Sandbox.Interrupted', 'The sandbox ended while this execution was running; redrive it to resume.');
        } catch (err) {
          this.log(`sandbox sfn: execution ${key}: was running when the sandbox ended and cannot be stopped (${(err as Error).message})`);
        }
        this.watch(entry);
        this.persistExecution(entry);
      }
    }
    this.closedQueue.sort((a, b) => a.stopDate - b.stopDate);
  }

  private host(region: string): EngineHost {
    let host = this.hosts.get(region);
    if (!host) {
      const { clock, random, lambdas } = this.options;
      host = {
        clock,
        random,
        region,
        accountId: this.accountId,
        invokeLambda: (functionArn, payload) => lambdas.invoke(functionArn, payload, region),
        // A client driving the API needs a moment to read the token and answer (or heartbeat)
        // before a virtual clock skips to HeartbeatSeconds/TimeoutSeconds.
        clientGraceMs: CLIENT_GRACE_MS,
        s3: this.options.s3,
        mapRuns: this.mapRuns,
      };
      this.hosts.set(region, host);
    }
    return host;
  }

  private persistStateMachine(sm: StateMachineRecord): void {
    this.options.store.write(SM_COLLECTION, sm.arn, sm);
  }

  private persistExecution(entry: ExecutionEntry): void {
    this.options.beforePersist?.();
    const doc: StoredExecution = {
      version: 1,
      seq: entry.seq,
      traceHeader: entry.traceHeader,
      redriveTokens: entry.redriveTokens,
      snapshot: entry.execution.snapshot(),
    };
    try {
      this.options.store.write(EXEC_COLLECTION, entry.execution.executionArn, doc);
    } catch (err) {
      this.log(`sandbox sfn: execution ${entry.execution.executionArn}: cannot be written to the store: ${(err as Error).message}`);
    }
  }

  /**
   * Writes an execution whose debounced write is pending before a client reads it, so that what a
   * client has seen survives a crash: after a restart the run carries on from those events, never
   * from earlier ones that it would then record again differently (on AWS a returned event is
   * durable).
   */
  private persistBeforeAnswering(entry: ExecutionEntry): void {
    if (!entry.persistTimer) return;
    clearTimeout(entry.persistTimer);
    entry.persistTimer = undefined;
    this.persistExecution(entry);
  }

  /** Debounced write of a running execution. */
  private schedulePersist(entry: ExecutionEntry): void {
    if (!this.options.store.isPersistent || entry.persistTimer) return;
    entry.persistTimer = setTimeout(() => {
      entry.persistTimer = undefined;
      this.persistExecution(entry);
    }, this.persistDelayMs);
    entry.persistTimer.unref();
  }

  /** Writes the execution as soon as it closes. */
  private watch(entry: ExecutionEntry): void {
    if (entry.watched) return;
    entry.watched = true;
    const wasRunning = entry.execution.status === 'RUNNING';
    entry.execution.whenClosed().then(
      () => {
        entry.watched = false;
        if (wasRunning) {
          try {
            this.options.onExecutionClosed?.(entry.execution, entry.execution.executionArn.split(':')[3]!);
          } catch (err) {
            this.log(`sandbox sfn: execution ${entry.execution.executionArn}: onExecutionClosed: ${(err as Error)?.message ?? String(err)}`);
          }
        }
        if (entry.persistTimer) {
          clearTimeout(entry.persistTimer);
          entry.persistTimer = undefined;
        }
        if (this.executions.get(entry.execution.executionArn) === entry) {
          this.persistExecution(entry);
          this.retire(entry);
        }
      },
      (err: unknown) => {
        entry.watched = false;
        this.log(`sandbox sfn: execution ${entry.execution.executionArn}: ${(err as Error)?.message ?? String(err)}`);
      },
    );
  }

  // ---- state machines ------------------------------------------------------------------------

  private createStateMachine(body: Record<string, unknown>, req: ServiceRequest): unknown {
    const m = new Members(body);
    // Length limits are the model's (answered by the front end as ValidationException); the
    // characters are checked by the service (InvalidName).
    const name = m.string('name', { required: true, min: 1, max: 80 });
    const definition = m.string('definition', { required: true, min: 1, max: 1_048_576 });
    const roleArn = m.string('roleArn', { required: true, min: 1, max: 256 });
    const type = m.enum('type', ['STANDARD', 'EXPRESS'] as const) ?? 'STANDARD';
    const logging = m.object('loggingConfiguration');
    const tracing = m.object('tracingConfiguration');
    const encryption = m.object('encryptionConfiguration');
    const tags = m.list('tags');
    const publish = m.bool('publish');
    const versionDescription = m.string('versionDescription', { max: 256 });
    m.done();

    if (!isValidName(name)) throw invalidName(name);
    if (!roleArn.startsWith('arn:')) throw invalidArnPrefix(roleArn);
    if (type === 'EXPRESS') {
      throw validationError(['The sandbox runs STANDARD state machines only; found type EXPRESS']);
    }
    if (publish || versionDescription !== undefined) {
      throw validationError(['The sandbox does not implement state machine versions; remove publish and versionDescription']);
    }
    this.checkDefinition(definition);
    const parsedTags = parseTags(tags);
    const loggingConfiguration = normaliseLogging(logging);
    const tracingConfiguration = { enabled: tracing?.enabled === true };

    const arn = `arn:aws:states:${req.region}:${this.accountId}:stateMachine:${name}`;
    const existing = this.stateMachines.get(arn);
    if (existing) {
      // Idempotent when everything but roleArn and tags is the same.
      // @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html
      const same = existing.definition === definition && existing.type === type &&
        JSON.stringify(existing.loggingConfiguration) === JSON.stringify(loggingConfiguration) &&
        existing.tracingConfiguration.enabled === tracingConfiguration.enabled &&
        JSON.stringify(existing.encryptionConfiguration ?? null) === JSON.stringify(encryption ?? null);
      if (!same) throw new SfnApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
      return { stateMachineArn: arn, creationDate: toEpochSeconds(existing.creationDate) };
    }
    const record: StateMachineRecord = {
      arn,
      name,
      region: req.region,
      definition,
      roleArn,
      type: 'STANDARD',
      creationDate: this.options.clock.now(),
      loggingConfiguration,
      tracingConfiguration,
      encryptionConfiguration: encryption,
      tags: parsedTags,
    };
    this.stateMachines.set(arn, record);
    this.persistStateMachine(record);
    return { stateMachineArn: arn, creationDate: toEpochSeconds(record.creationDate) };
  }

  private checkDefinition(definition: string): void {
    const problems = this.definitionProblems(definition);
    if (problems.length > 0) {
      throw new SfnApiError('InvalidDefinition', `Invalid State Machine Definition: '${problems.join(', ')}'`);
    }
  }

  /** The engine's problems with a definition, after refusing one nested deeper than AWS's JSON parser reads. */
  private definitionProblems(definition: string): string[] {
    const depth = jsonDepthBeyond(definition);
    if (depth !== undefined) return [`INVALID_JSON_DESCRIPTION: ${depthMessage(depth)}`];
    return this.options.engine.validateDefinition(definition);
  }

  private requireStateMachine(arn: string): StateMachineRecord {
    const parts = parseStateMachineArn(arn);
    if (parts.name.includes('/')) {
      // `…:stateMachine:<name>/<mapLabel>` names a Distributed Map's child machine.
      throw validationError([`Value '${arn}' at 'stateMachineArn' is the ARN of a Map Run's state machine, which this operation does not accept`], 'API_DOES_NOT_SUPPORT_LABELED_ARNS');
    }
    const sm = parts.qualifier === undefined ? this.stateMachines.get(arn) : undefined;
    if (!sm) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return sm;
  }

  private describeStateMachine(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const arn = m.string('stateMachineArn', { required: true, min: 1, max: 256 });
    m.enum('includedData', ['ALL_DATA', 'METADATA_ONLY'] as const);
    m.done();
    const sm = this.requireStateMachine(arn);
    return {
      stateMachineArn: sm.arn,
      name: sm.name,
      status: 'ACTIVE',
      definition: sm.definition,
      roleArn: sm.roleArn,
      type: sm.type,
      creationDate: toEpochSeconds(sm.creationDate),
      loggingConfiguration: sm.loggingConfiguration,
      tracingConfiguration: sm.tracingConfiguration,
      ...(sm.revisionId ? { revisionId: sm.revisionId } : {}),
      ...(sm.encryptionConfiguration ? { encryptionConfiguration: sm.encryptionConfiguration } : {}),
    };
  }

  private describeStateMachineForExecution(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const arn = m.string('executionArn', { required: true, min: 1, max: 256 });
    m.enum('includedData', ['ALL_DATA', 'METADATA_ONLY'] as const);
    m.done();
    const execution = this.requireExecution(arn).execution;
    const sm = this.stateMachines.get(execution.stateMachineArn);
    return {
      stateMachineArn: execution.stateMachineArn,
      name: parseStateMachineArn(execution.stateMachineArn).name,
      definition: execution.definition,
      roleArn: execution.roleArn,
      updateDate: toEpochSeconds(sm?.updateDate ?? sm?.creationDate ?? execution.startDate),
      loggingConfiguration: sm?.loggingConfiguration ?? normaliseLogging(undefined),
      tracingConfiguration: sm?.tracingConfiguration ?? { enabled: false },
      ...(sm?.revisionId ? { revisionId: sm.revisionId } : {}),
      ...(execution.mapRunArn !== undefined ? { mapRunArn: execution.mapRunArn, label: mapRunLabel(execution.stateMachineArn) } : {}),
    };
  }

  private updateStateMachine(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const arn = m.string('stateMachineArn', { required: true, min: 1, max: 256 });
    const definition = m.string('definition', { min: 1, max: 1_048_576 });
    const roleArn = m.string('roleArn', { min: 1, max: 256 });
    const logging = m.object('loggingConfiguration');
    const tracing = m.object('tracingConfiguration');
    const publish = m.bool('publish');
    m.string('versionDescription', { max: 256 });
    m.object('encryptionConfiguration');
    m.done();
    const sm = this.requireStateMachine(arn);
    if (definition === undefined && roleArn === undefined && logging === undefined && tracing === undefined) {
      throw new SfnApiError('MissingRequiredParameter', 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified');
    }
    if (publish) throw validationError(['The sandbox does not implement state machine versions; remove publish']);
    if (roleArn !== undefined && !roleArn.startsWith('arn:')) throw invalidArnPrefix(roleArn);
    if (definition !== undefined) this.checkDefinition(definition);
    const next: StateMachineRecord = {
      ...sm,
      definition: definition ?? sm.definition,
      roleArn: roleArn ?? sm.roleArn,
      loggingConfiguration: logging ? normaliseLogging(logging) : sm.loggingConfiguration,
      tracingConfiguration: tracing ? { enabled: tracing.enabled === true } : sm.tracingConfiguration,
    };
    const changed = next.definition !== sm.definition || next.roleArn !== sm.roleArn ||
      JSON.stringify(next.loggingConfiguration) !== JSON.stringify(sm.loggingConfiguration) ||
      next.tracingConfiguration.enabled !== sm.tracingConfiguration.enabled;
    const now = this.options.clock.now();
    // An update that changes nothing keeps the revision (as recorded on AWS).
    next.revisionId = changed || !sm.revisionId ? this.ids.uuid() : sm.revisionId;
    next.updateDate = now;
    this.stateMachines.set(arn, next);
    this.persistStateMachine(next);
    return { updateDate: toEpochSeconds(now), revisionId: next.revisionId };
  }

  private listStateMachines(body: Record<string, unknown>, req: ServiceRequest): unknown {
    const m = new Members(body);
    const maxResults = m.int('maxResults', { min: 0, max: 1000 });
    const nextToken = m.string('nextToken', { min: 1, max: 1024 });
    m.done();
    const query = `ListStateMachines|${req.region}`;
    const offset = decodePageToken(nextToken, query);
    const all = [...this.stateMachines.values()]
      .filter((sm) => sm.region === req.region)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const size = !maxResults ? 100 : maxResults;
    const page = all.slice(offset, offset + size);
    return {
      stateMachines: page.map((sm) => ({ stateMachineArn: sm.arn, name: sm.name, type: sm.type, creationDate: toEpochSeconds(sm.creationDate) })),
      ...(offset + size < all.length ? { nextToken: encodePageToken(query, offset + size) } : {}),
    };
  }

  private deleteStateMachine(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const arn = m.string('stateMachineArn', { required: true, min: 1, max: 256 });
    m.done();
    parseStateMachineArn(arn);
    const sm = this.stateMachines.get(arn);
    if (!sm) return {}; // An unknown ARN answers 200, as recorded on AWS.
    // AWS stops running executions at their next transition; the sandbox stops them at once.
    for (const entry of this.executions.values()) {
      if (entry.execution.stateMachineArn === arn && entry.execution.status === 'RUNNING') entry.execution.stop();
    }
    this.stateMachines.delete(arn);
    this.options.store.delete(SM_COLLECTION, arn);
    return {};
  }

  private validateStateMachineDefinition(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const definition = m.string('definition', { required: true, min: 1, max: 1_048_576 });
    m.enum('type', ['STANDARD', 'EXPRESS'] as const);
    m.enum('severity', ['ERROR', 'WARNING'] as const);
    const maxResults = m.int('maxResults', { min: 0, max: 100 });
    m.done();
    const problems = this.definitionProblems(definition);
    const limit = maxResults ? maxResults : 100;
    const diagnostics = problems.slice(0, limit).map(toDiagnostic);
    return { result: problems.length === 0 ? 'OK' : 'FAIL', diagnostics, truncated: problems.length > limit };
  }

  // ---- executions ----------------------------------------------------------------------------

  private startExecution(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const smArn = m.string('stateMachineArn', { required: true, min: 1, max: 256 });
    const givenName = m.string('name', { min: 1, max: 80 });
    const givenInput = m.string('input', { max: MAX_PAYLOAD });
    const traceHeader = m.string('traceHeader', { max: 256 });
    m.done();
    if (givenInput !== undefined && utf8Length(givenInput) > MAX_PAYLOAD) {
      // The model limits characters; the service limits UTF-8 bytes (256 KiB).
      throw new SfnApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: 'The input exceeds the maximum size of ${MAX_PAYLOAD} bytes'`);
    }
    const sm = this.requireStateMachine(smArn);
    const name = givenName ?? this.freshName(sm);
    if (!isValidName(name)) throw invalidName(name);
    const input = givenInput ?? '{}';
    if (input.trim() === '') throw new SfnApiError('InvalidExecutionInput', "Invalid State Machine Execution Input: 'Invalid execution input.'");
    const problem = jsonProblem(input);
    if (problem !== undefined) throw new SfnApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${problem}'`);

    const executionArn = `arn:aws:states:${sm.region}:${this.accountId}:execution:${sm.name}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // STANDARD idempotency: same name and input while RUNNING answers the original start.
      // @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
      if (existing.execution.status === 'RUNNING' && existing.execution.input === input) {
        return { executionArn, startDate: toEpochSeconds(existing.execution.startDate) };
      }
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    let entry: ExecutionEntry | undefined;
    const execution = this.options.engine.Execution.start({
      executionArn,
      stateMachineArn: sm.arn,
      name,
      definition: sm.definition,
      input,
      roleArn: sm.roleArn,
      host: this.host(sm.region),
      onChange: () => {
        if (entry) this.schedulePersist(entry);
      },
    });
    entry = { execution, seq: this.nextSeq++, traceHeader, redriveTokens: [], watched: false };
    this.executions.set(executionArn, entry);
    this.persistExecution(entry);
    this.watch(entry);
    this.holdForClient(execution);
    return { executionArn, startDate: toEpochSeconds(execution.startDate) };
  }

  /** Serves a Distributed Map's child execution like any other (describe, history, listing, persistence). */
  private adopt(child: EngineExecution): void {
    const entry: ExecutionEntry = { execution: child, seq: this.nextSeq++, redriveTokens: [], watched: false };
    this.executions.set(child.executionArn, entry);
    // Written when it closes (a Map Run starts thousands; most close before a debounced write is due).
    this.schedulePersist(entry);
    this.watch(entry);
  }

  /** Holds the clock for `startGraceMs` of wall time while the execution runs (see the option). */
  private holdForClient(execution: EngineExecution): void {
    const graceMs = this.options.startGraceMs ?? 0;
    if (graceMs <= 0 || execution.status !== 'RUNNING') return;
    void this.options.clock.track(
      new Promise<void>((resolve) => {
        const wall = setTimeout(resolve, graceMs);
        wall.unref?.();
        void execution.whenClosed().then(() => {
          clearTimeout(wall);
          resolve();
        });
      }),
    );
  }

  private startSyncExecution(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const smArn = m.string('stateMachineArn', { required: true, min: 1, max: 256 });
    m.done();
    this.requireStateMachine(smArn);
    throw new SfnApiError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
  }

  /**
   * A generated execution name: a UUID, as AWS makes one when the caller gives none. The UUIDs
   * come from the seeded generator, so a sandbox restarted on the same data and seed draws the
   * same sequence again; a name some execution of this state machine already has (in memory or
   * on disk) is drawn again, so a start without a name never answers `ExecutionAlreadyExists`.
   */
  private freshName(sm: { region: string; name: string }): string {
    for (;;) {
      const name = this.ids.uuid();
      const arn = `arn:aws:states:${sm.region}:${this.accountId}:execution:${sm.name}:${name}`;
      if (this.executions.has(arn)) continue;
      if (this.options.store.isPersistent && this.options.store.read(EXEC_COLLECTION, arn) !== undefined) continue;
      return name;
    }
  }

  private requireExecution(arn: string): ExecutionEntry {
    parseExecutionArn(arn);
    const entry = this.executions.get(arn) ?? this.fromDisk(arn);
    if (!entry) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return entry;
  }

  /** Queues a closed execution to leave memory once its retention is over. */
  private retire(entry: ExecutionEntry): void {
    const stopDate = entry.execution.stopDate;
    if (entry.execution.status === 'RUNNING' || stopDate === undefined) return;
    this.closedQueue.push({ arn: entry.execution.executionArn, stopDate });
    this.sweep();
  }

  /**
   * Lets closed executions beyond their retention leave memory (written first, so that with a
   * data directory they stay readable from disk). Closures arrive in time order, so this looks
   * only at the front of the queue.
   */
  private sweep(): void {
    const limit = this.options.clock.now() - this.retentionMs;
    while (this.closedHead < this.closedQueue.length && this.closedQueue[this.closedHead]!.stopDate <= limit) {
      const { arn, stopDate } = this.closedQueue[this.closedHead++]!;
      const entry = this.executions.get(arn);
      // Redriven (running again, or closed again later) since it was queued: it was queued again.
      if (!entry || entry.execution.status === 'RUNNING' || entry.execution.stopDate !== stopDate) continue;
      if (entry.persistTimer) {
        clearTimeout(entry.persistTimer);
        entry.persistTimer = undefined;
        this.persistExecution(entry);
      }
      this.executions.delete(arn);
    }
    if (this.closedHead > 1024 && this.closedHead * 2 > this.closedQueue.length) {
      this.closedQueue = this.closedQueue.slice(this.closedHead);
      this.closedHead = 0;
    }
  }

  /**
   * An execution that left memory, read back from disk for one call (it stays out of memory,
   * unless a redrive makes it run again).
   */
  private fromDisk(arn: string): ExecutionEntry | undefined {
    if (!this.options.store.isPersistent) return undefined;
    const value = this.options.store.read<StoredExecution>(EXEC_COLLECTION, arn);
    if (!value || value.version !== 1) return undefined;
    let entry: ExecutionEntry | undefined;
    try {
      const execution = this.options.engine.Execution.restore(value.snapshot as never, this.host(parseExecutionArn(arn).region), () => {
        if (entry) this.schedulePersist(entry);
      });
      if (execution.status === 'RUNNING') return undefined;
      entry = { execution, seq: value.seq, traceHeader: value.traceHeader, redriveTokens: value.redriveTokens ?? [], watched: false };
    } catch (err) {
      this.log(`sandbox sfn: execution ${arn}: cannot be read back from the store (${(err as Error).message})`);
      return undefined;
    }
    return entry;
  }

  private describeExecution(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const arn = m.string('executionArn', { required: true, min: 1, max: 256 });
    const includedData = m.enum('includedData', ['ALL_DATA', 'METADATA_ONLY'] as const);
    m.done();
    const entry = this.requireExecution(arn);
    this.persistBeforeAnswering(entry);
    const e = entry.execution;
    const withData = includedData !== 'METADATA_ONLY';
    const redrive = e.redriveStatus();
    return {
      executionArn: e.executionArn,
      stateMachineArn: e.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: toEpochSeconds(e.startDate),
      ...(e.status !== 'RUNNING' && e.stopDate !== undefined ? { stopDate: toEpochSeconds(e.stopDate) } : {}),
      ...(withData ? { input: e.input } : {}),
      inputDetails: { included: withData },
      ...(e.status === 'SUCCEEDED' && e.output !== undefined
        ? { ...(withData ? { output: e.output } : {}), outputDetails: { included: withData } }
        : {}),
      ...(e.status !== 'RUNNING' && e.status !== 'SUCCEEDED' && e.error !== undefined ? { error: e.error } : {}),
      ...(e.status !== 'RUNNING' && e.status !== 'SUCCEEDED' && e.cause !== undefined ? { cause: e.cause } : {}),
      ...(entry.traceHeader !== undefined ? { traceHeader: entry.traceHeader } : {}),
      ...(e.mapRunArn !== undefined ? { mapRunArn: e.mapRunArn } : {}),
      redriveCount: e.redriveCount,
      ...(e.redriveDate !== undefined ? { redriveDate: toEpochSeconds(e.redriveDate) } : {}),
      redriveStatus: redrive.status,
      ...(redrive.reason !== undefined ? { redriveStatusReason: redrive.reason } : {}),
    };
  }

  private listExecutions(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const smArn = m.string('stateMachineArn', { min: 1, max: 256 });
    const mapRunArn = m.string('mapRunArn', { min: 1, max: 2000 });
    const statusFilter = m.enum('statusFilter', STATUS_VALUES);
    const redriveFilter = m.enum('redriveFilter', REDRIVE_FILTER_VALUES);
    const maxResults = m.int('maxResults', { min: 0, max: 1000 });
    const nextToken = m.string('nextToken', { min: 1, max: 3096 });
    m.done();
    if (mapRunArn !== undefined && smArn !== undefined) throw validationError(['Only one of stateMachineArn and mapRunArn may be given']);
    if (mapRunArn === undefined && smArn === undefined) throw validationError(['Must provide a StateMachine ARN or MapRun ARN']);
    // With mapRunArn: the Map Run's child executions, each entry naming the Map Run.
    // @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html
    const listed = mapRunArn !== undefined ? this.mapRuns.require(mapRunArn).mapRunArn : this.requireStateMachine(smArn!).arn;
    const query = `ListExecutions|${listed}|${statusFilter ?? ''}|${redriveFilter ?? ''}`;
    const offset = decodePageToken(nextToken, query);
    const sortKey = (entry: ExecutionEntry): number => {
      const e = entry.execution;
      return e.status === 'RUNNING' ? (e.redriveDate ?? e.startDate) : (e.stopDate ?? e.startDate);
    };
    const all = [...this.executions.values()]
      .filter((entry) => (mapRunArn !== undefined ? entry.execution.mapRunArn === listed : entry.execution.stateMachineArn === listed))
      .filter((entry) => statusFilter === undefined || entry.execution.status === statusFilter)
      .filter((entry) => redriveFilter === undefined || (redriveFilter === 'REDRIVEN') === entry.execution.redriveCount > 0)
      .sort((a, b) => sortKey(b) - sortKey(a) || b.seq - a.seq);
    const size = !maxResults ? 100 : maxResults;
    const page = all.slice(offset, offset + size);
    return {
      executions: page.map(({ execution: e }) => ({
        executionArn: e.executionArn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: toEpochSeconds(e.startDate),
        ...(e.status !== 'RUNNING' && e.stopDate !== undefined ? { stopDate: toEpochSeconds(e.stopDate) } : {}),
        redriveCount: e.redriveCount,
        ...(e.redriveDate !== undefined ? { redriveDate: toEpochSeconds(e.redriveDate) } : {}),
        ...(mapRunArn !== undefined ? { mapRunArn } : {}),
      })),
      ...(offset + size < all.length ? { nextToken: encodePageToken(query, offset + size) } : {}),
    };
  }

  private getExecutionHistory(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const arn = m.string('executionArn', { required: true, min: 1, max: 256 });
    const maxResults = m.int('maxResults', { min: 0, max: 1000 });
    const reverseOrder = m.bool('reverseOrder') ?? false;
    const nextToken = m.string('nextToken', { min: 1, max: 1024 });
    const includeExecutionData = m.bool('includeExecutionData') ?? true;
    m.done();
    const entry = this.requireExecution(arn);
    this.persistBeforeAnswering(entry);
    const query = `GetExecutionHistory|${arn}|${reverseOrder}`;
    const offset = decodePageToken(nextToken, query);
    const events = entry.execution.events;
    const total = events.length;
    const size = !maxResults ? 100 : maxResults;
    const page: EngineHistoryEvent[] = [];
    for (let i = offset; i < Math.min(total, offset + size); i++) {
      const event = events[reverseOrder ? total - 1 - i : i]!;
      page.push(includeExecutionData ? event : withoutData(event));
    }
    return {
      events: page,
      ...(offset + size < total ? { nextToken: encodePageToken(query, offset + size) } : {}),
    };
  }

  private stopExecution(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const arn = m.string('executionArn', { required: true, min: 1, max: 256 });
    const error = m.string('error', { max: 256 });
    const cause = m.string('cause', { max: 32_768 });
    m.done();
    const entry = this.requireExecution(arn);
    const e = entry.execution;
    if (e.status === 'RUNNING') {
      e.stop(error, cause);
      this.persistExecution(entry);
    }
    return { stopDate: toEpochSeconds(e.stopDate ?? this.options.clock.now()) };
  }

  /** The running execution holding a task token, or the right error when none does. */
  private taskOwner(token: string): ExecutionEntry {
    for (const entry of this.executions.values()) {
      if (entry.execution.status === 'RUNNING' && entry.execution.hasTaskToken(token)) return entry;
    }
    // A token this sandbox issued (it appears in a history) whose task is over: TaskDoesNotExist;
    // anything else is not a token at all: InvalidToken.
    const quoted = JSON.stringify(token).slice(1, -1);
    for (const entry of this.executions.values()) {
      for (const event of entry.execution.events) {
        if (event.type === 'TaskScheduled' && JSON.stringify(event).includes(quoted)) {
          throw new SfnApiError('TaskDoesNotExist', 'Task Timed Out or does not exist');
        }
      }
    }
    throw new SfnApiError('InvalidToken', "Invalid Token: 'Invalid token'");
  }

  private sendTaskSuccess(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const token = m.string('taskToken', { required: true, min: 1, max: 2048 });
    const output = m.string('output', { required: true, max: MAX_PAYLOAD });
    m.done();
    const problem = jsonProblem(output);
    if (problem !== undefined) throw new SfnApiError('InvalidOutput', `Invalid Output: '${problem}'`);
    const entry = this.taskOwner(token);
    if (entry.execution.sendTaskSuccess(token, output) !== 'ok') throw new SfnApiError('TaskDoesNotExist', 'Task Timed Out or does not exist');
    return {};
  }

  private sendTaskFailure(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const token = m.string('taskToken', { required: true, min: 1, max: 2048 });
    const error = m.string('error', { max: 256 });
    const cause = m.string('cause', { max: 32_768 });
    m.done();
    const entry = this.taskOwner(token);
    if (entry.execution.sendTaskFailure(token, error, cause) !== 'ok') throw new SfnApiError('TaskDoesNotExist', 'Task Timed Out or does not exist');
    return {};
  }

  private sendTaskHeartbeat(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const token = m.string('taskToken', { required: true, min: 1, max: 2048 });
    m.done();
    const entry = this.taskOwner(token);
    if (entry.execution.sendTaskHeartbeat(token) !== 'ok') throw new SfnApiError('TaskDoesNotExist', 'Task Timed Out or does not exist');
    return {};
  }

  private redriveExecution(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const arn = m.string('executionArn', { required: true, min: 1, max: 256 });
    const clientToken = m.string('clientToken', { min: 1, max: 64 });
    m.done();
    const entry = this.requireExecution(arn);
    const now = this.options.clock.now();
    entry.redriveTokens = entry.redriveTokens.filter((t) => now - t.atMs < REDRIVE_TOKEN_MS);
    if (clientToken !== undefined) {
      const seen = entry.redriveTokens.find((t) => t.token === clientToken);
      if (seen) return { redriveDate: toEpochSeconds(seen.redriveDate) };
    }
    if (!this.stateMachines.has(entry.execution.stateMachineArn)) {
      throw new SfnApiError('ExecutionNotRedrivable', `Execution cannot be redriven because its state machine was deleted: '${arn}'`);
    }
    try {
      entry.execution.redrive();
      // An execution read back from disk runs again: it is in memory from now on.
      this.executions.set(arn, entry);
      this.holdForClient(entry.execution);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string' && code === 'ExecutionNotRedrivable') {
        throw new SfnApiError('ExecutionNotRedrivable', (err as Error).message);
      }
      throw err;
    }
    const redriveDate = entry.execution.redriveDate ?? now;
    if (clientToken !== undefined) {
      entry.redriveTokens.push({ token: clientToken, atMs: now, redriveDate });
      entry.redriveTokens = entry.redriveTokens.slice(-REDRIVE_TOKENS_KEPT);
    }
    this.persistExecution(entry);
    this.watch(entry);
    return { redriveDate: toEpochSeconds(redriveDate) };
  }

  // ---- tags ----------------------------------------------------------------------------------

  private taggable(arn: string): StateMachineRecord {
    if (!arn.startsWith('arn:')) throw invalidArnPrefix(arn);
    const sm = this.stateMachines.get(arn);
    if (!sm) throw new SfnApiError('ResourceNotFound', `Resource not found: '${arn}'`, 400, undefined, { resourceName: arn });
    return sm;
  }

  private tagResource(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const arn = m.string('resourceArn', { required: true, min: 1, max: 256 });
    const tags = m.list('tags', { required: true });
    m.done();
    const sm = this.taggable(arn);
    const merged = { ...sm.tags, ...parseTags(tags) };
    if (Object.keys(merged).length > 50) {
      throw new SfnApiError('TooManyTags', `Too many tags: a resource can have at most 50 tags, this one would have ${Object.keys(merged).length}`, 400, undefined, { resourceName: arn });
    }
    const next = { ...sm, tags: merged };
    this.stateMachines.set(arn, next);
    this.persistStateMachine(next);
    return {};
  }

  private untagResource(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const arn = m.string('resourceArn', { required: true, min: 1, max: 256 });
    const keys = m.list('tagKeys', { required: true }) ?? [];
    m.done();
    const sm = this.taggable(arn);
    const tags = { ...sm.tags };
    for (const key of keys) if (typeof key === 'string') delete tags[key];
    const next = { ...sm, tags };
    this.stateMachines.set(arn, next);
    this.persistStateMachine(next);
    return {};
  }

  private listTagsForResource(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const arn = m.string('resourceArn', { required: true, min: 1, max: 256 });
    m.done();
    const sm = this.taggable(arn);
    return { tags: Object.entries(sm.tags).map(([key, value]) => ({ key, value })) };
  }
}

function normaliseLogging(value: Record<string, unknown> | undefined): LoggingConfiguration {
  const out: LoggingConfiguration = {
    level: typeof value?.level === 'string' ? value.level : 'OFF',
    includeExecutionData: value?.includeExecutionData === true,
  };
  if (Array.isArray(value?.destinations) && value.destinations.length > 0) out.destinations = value.destinations;
  return out;
}

function parseTags(tags: unknown[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!tags) return out;
  const problems: string[] = [];
  tags.forEach((tag, i) => {
    const t = tag as { key?: unknown; value?: unknown } | null;
    if (!t || typeof t !== 'object' || typeof t.key !== 'string' || t.key.length < 1 || t.key.length > 128) {
      problems.push(`Value at 'tags.${i + 1}.member.key' failed to satisfy constraint: Member must have length between 1 and 128`);
      return;
    }
    if (t.value !== undefined && (typeof t.value !== 'string' || t.value.length > 256)) {
      problems.push(`Value at 'tags.${i + 1}.member.value' failed to satisfy constraint: Member must have length less than or equal to 256`);
      return;
    }
    out[t.key] = (t.value as string | undefined) ?? '';
  });
  if (problems.length > 0) throw validationError(problems);
  if (Object.keys(out).length > 50) throw new SfnApiError('TooManyTags', `Too many tags: at most 50, found ${Object.keys(out).length}`);
  return out;
}

/** `"CODE: message at /path"` → a diagnostic of ValidateStateMachineDefinition. */
function toDiagnostic(problem: string): { severity: 'ERROR'; code: string; message: string; location?: string } {
  const colon = problem.indexOf(': ');
  const hasCode = colon > 0 && /^[A-Z_]+$/.test(problem.slice(0, colon));
  const code = hasCode ? problem.slice(0, colon) : 'SCHEMA_VALIDATION_FAILED';
  let message = hasCode ? problem.slice(colon + 2) : problem;
  let location: string | undefined;
  const at = message.lastIndexOf(' at /');
  if (at >= 0) {
    location = message.slice(at + 4);
    message = message.slice(0, at);
  }
  return { severity: 'ERROR', code, message, ...(location !== undefined ? { location } : {}) };
}

/** The label of a Map Run's child state machine ARN (`…:stateMachine:<name>/<label>`). */
function mapRunLabel(stateMachineArn: string): string {
  return stateMachineArn.slice(stateMachineArn.lastIndexOf('/') + 1);
}

/** An event without its input/output payloads (`includeExecutionData: false`). */
function withoutData(event: EngineHistoryEvent): EngineHistoryEvent {
  const out: EngineHistoryEvent = { ...event };
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object') {
      const details = { ...(value as Record<string, unknown>) };
      delete details.input;
      delete details.output;
      out[key] = details;
    }
  }
  return out;
}
