/**
 * A tiny stand-in ASL engine for the API tests: Pass (Result or pass-through), Wait (Seconds, on
 * the host's clock), Succeed, Fail, and Task with a `.waitForTaskToken` resource or a Lambda
 * function ARN. It implements the engine contract (`/tmp/engine-api.md`) only as far as the
 * Step Functions API needs, so the API's behaviour can be tested apart from the real engine's.
 */
import type { EngineExecution, EngineHistoryEvent, EngineHost, EngineModule, EngineStartOptions, ExecutionStatus } from '../../../sandbox/sfn/service.js';

interface State {
  Type: string;
  Next?: string;
  End?: boolean;
  Result?: unknown;
  Seconds?: number;
  Resource?: string;
  Error?: string;
  Cause?: string;
}
interface Definition { StartAt: string; States: Record<string, State> }

class EngineError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

interface Snapshot {
  executionArn: string; stateMachineArn: string; name: string; input: string; definition: string; roleArn: string;
  status: ExecutionStatus; startDate: number; stopDate?: number; output?: string; error?: string; cause?: string;
  redriveCount: number; redriveDate?: number; events: EngineHistoryEvent[]; failedState?: string; failedInput?: string;
}

class FakeExecution implements EngineExecution {
  private s: Snapshot;
  private closed!: Promise<void>;
  private resolveClosed!: () => void;
  private tokens = new Map<string, (r: { ok: true; output: string } | { ok: false; error?: string; cause?: string }) => void>();
  private timer?: { id: number };
  private onChange?: (e: never) => void;

  constructor(snapshot: Snapshot, private readonly host: EngineHost, onChange?: (e: never) => void) {
    this.s = snapshot;
    this.onChange = onChange;
    this.resetClosed();
  }

  private resetClosed(): void {
    this.closed = new Promise((r) => (this.resolveClosed = r));
    if (this.s.status !== 'RUNNING') this.resolveClosed();
  }

  get executionArn() { return this.s.executionArn; }
  get stateMachineArn() { return this.s.stateMachineArn; }
  get name() { return this.s.name; }
  get input() { return this.s.input; }
  get definition() { return this.s.definition; }
  get roleArn() { return this.s.roleArn; }
  get status() { return this.s.status; }
  get startDate() { return this.s.startDate; }
  get stopDate() { return this.s.stopDate; }
  get output() { return this.s.output; }
  get error() { return this.s.error; }
  get cause() { return this.s.cause; }
  get redriveCount() { return this.s.redriveCount; }
  get redriveDate() { return this.s.redriveDate; }
  get events(): readonly EngineHistoryEvent[] { return this.s.events; }

  private add(type: string, details?: Record<string, unknown>): void {
    const id = this.s.events.length + 1;
    const key = details ? detailsKey(type) : undefined;
    this.s.events.push({ timestamp: this.host.clock.now() / 1000, type, id, previousEventId: id - 1, ...(key ? { [key]: details } : {}) });
    this.onChange?.(this as never);
  }

  private close(status: ExecutionStatus, extra: Partial<Snapshot>): void {
    Object.assign(this.s, extra, { status, stopDate: this.host.clock.now() });
    this.onChange?.(this as never);
    this.resolveClosed();
  }

  run(stateName: string, input: string): void {
    const def = JSON.parse(this.s.definition) as Definition;
    const step = (name: string, data: string): void => {
      if (this.s.status !== 'RUNNING') return;
      const state = def.States[name]!;
      this.add(`${state.Type}StateEntered`, { name, input: data, inputDetails: { truncated: false } });
      const exit = (out: string): void => {
        this.add(`${state.Type}StateExited`, { name, output: out, outputDetails: { truncated: false } });
        if (state.End || state.Type === 'Succeed') {
          this.add('ExecutionSucceeded', { output: out, outputDetails: { truncated: false } });
          this.close('SUCCEEDED', { output: out });
        } else step(state.Next!, out);
      };
      const fail = (error: string, cause: string): void => {
        this.s.failedState = name;
        this.s.failedInput = data;
        this.add('ExecutionFailed', { error, cause });
        this.close('FAILED', { error, cause });
      };
      switch (state.Type) {
        case 'Pass':
          return exit(state.Result === undefined ? data : JSON.stringify(state.Result));
        case 'Succeed':
          return exit(data);
        case 'Fail':
          return fail(state.Error ?? 'States.Fail', state.Cause ?? '');
        case 'Wait':
          this.timer = this.host.clock.setTimer(this.host.clock.now() + (state.Seconds ?? 0) * 1000, () => exit(data));
          return;
        case 'Task': {
          const resource = state.Resource ?? '';
          if (resource.endsWith('.waitForTaskToken')) {
            const token = `TOKEN${this.host.random.hex(40)}`;
            this.add('TaskScheduled', { resource, resourceType: 'lambda', region: this.host.region, parameters: JSON.stringify({ FunctionName: 'hold', Payload: { token } }) });
            this.tokens.set(token, (r) => {
              this.tokens.delete(token);
              if (r.ok) exit(r.output);
              else { this.add('TaskFailed', { error: r.error, cause: r.cause }); fail(r.error ?? '', r.cause ?? ''); }
            });
            return;
          }
          this.add('LambdaFunctionScheduled', { resource, input: data });
          void this.host.clock.track(this.host.invokeLambda(resource, JSON.parse(data))).then((r) => {
            if (r.kind === 'ok') exit(JSON.stringify(r.payload));
            else if (r.kind === 'function-error') fail(r.errorType, r.errorMessage);
            else fail(r.error, r.cause);
          });
          return;
        }
        default:
          throw new Error(`fake engine: state type ${state.Type} is not supported`);
      }
    };
    queueMicrotask(() => step(stateName, input));
  }

  redriveStatus(): { status: 'REDRIVABLE' | 'NOT_REDRIVABLE'; reason?: string } {
    if (this.s.status === 'RUNNING' || this.s.status === 'SUCCEEDED') return { status: 'NOT_REDRIVABLE', reason: `Execution is ${this.s.status} and cannot be redriven` };
    return { status: 'REDRIVABLE' };
  }
  stop(error?: string, cause?: string): void {
    if (this.s.status !== 'RUNNING') return;
    if (this.timer) this.host.clock.clearTimer(this.timer);
    this.tokens.clear();
    this.add('ExecutionAborted', { ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) });
    this.close('ABORTED', { error, cause });
  }
  redrive(): void {
    const r = this.redriveStatus();
    if (r.status !== 'REDRIVABLE') throw new EngineError('ExecutionNotRedrivable', r.reason!);
    this.s.redriveCount++;
    this.s.redriveDate = this.host.clock.now();
    Object.assign(this.s, { status: 'RUNNING', stopDate: undefined, error: undefined, cause: undefined });
    this.resetClosed();
    this.add('ExecutionRedriven', { redriveCount: this.s.redriveCount });
    const def = JSON.parse(this.s.definition) as Definition;
    this.run(this.s.failedState ?? def.StartAt, this.s.failedInput ?? this.s.input);
  }
  sendTaskSuccess(token: string, output: string): 'ok' | 'unknown' {
    const f = this.tokens.get(token);
    if (!f) return 'unknown';
    f({ ok: true, output });
    return 'ok';
  }
  sendTaskFailure(token: string, error?: string, cause?: string): 'ok' | 'unknown' {
    const f = this.tokens.get(token);
    if (!f) return 'unknown';
    f({ ok: false, error, cause });
    return 'ok';
  }
  sendTaskHeartbeat(token: string): 'ok' | 'unknown' {
    return this.tokens.has(token) ? 'ok' : 'unknown';
  }
  hasTaskToken(token: string): boolean {
    return this.tokens.has(token);
  }
  whenClosed(): Promise<void> {
    return this.closed;
  }
  snapshot(): unknown {
    return JSON.parse(JSON.stringify(this.s));
  }
}

function detailsKey(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`;
}

/** The fake engine module. */
export const fakeEngine: EngineModule = {
  Execution: {
    start(o: EngineStartOptions): EngineExecution {
      const e = new FakeExecution({
        executionArn: o.executionArn, stateMachineArn: o.stateMachineArn, name: o.name, input: o.input, definition: o.definition,
        roleArn: o.roleArn, status: 'RUNNING', startDate: o.host.clock.now(), redriveCount: 0, events: [],
      }, o.host, o.onChange);
      (e as unknown as { add(t: string, d: unknown): void }).add('ExecutionStarted', { input: o.input, inputDetails: { truncated: false }, roleArn: o.roleArn });
      e.run((JSON.parse(o.definition) as Definition).StartAt, o.input);
      return e;
    },
    restore(snapshot: never, host: EngineHost): EngineExecution {
      return new FakeExecution(JSON.parse(JSON.stringify(snapshot)) as Snapshot, host);
    },
  },
  validateDefinition(definition: string): string[] {
    let def: Definition;
    try {
      def = JSON.parse(definition) as Definition;
    } catch (err) {
      return [`INVALID_JSON_DESCRIPTION: ${(err as Error).message}`];
    }
    const problems: string[] = [];
    if (!def || typeof def !== 'object' || !def.States) return ['SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'];
    if (!def.States[def.StartAt]) problems.push(`MISSING_TRANSITION_TARGET: Missing 'Next' target: ${def.StartAt} at /StartAt`);
    for (const [name, state] of Object.entries(def.States)) {
      if (state.Next !== undefined && !def.States[state.Next]) problems.push(`MISSING_TRANSITION_TARGET: Missing 'Next' target: ${state.Next} at /States/${name}/Next`);
    }
    return problems;
  },
};
