/**
 * Engine benchmarks (issue 3), on the virtual clock, straight through the engine API:
 * - transitions per second for a chain of Pass states (target: at least 20,000/s);
 * - a 10,000-item inline Map: heap growth against the size of its history.
 */
import { VirtualClock } from '../sandbox/clock.js';
import { SeededRandom } from '../sandbox/random.js';
import { Execution, type EngineHost } from '../sandbox/sfn/engine/index.js';

function host(): EngineHost {
  return {
    clock: new VirtualClock({ startMs: Date.UTC(2026, 0, 1) }),
    random: new SeededRandom(1),
    region: 'us-east-1',
    accountId: '123456789012',
    invokeLambda: async () => ({ kind: 'ok', payload: {} }),
  };
}

function start(definition: object, input: unknown, h: EngineHost, name: string, historyLimit?: number): Execution {
  return Execution.start({
    historyLimit,
    executionArn: `arn:aws:states:us-east-1:123456789012:execution:bench:${name}`,
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:bench',
    name,
    definition: JSON.stringify(definition),
    input: JSON.stringify(input),
    roleArn: 'arn:aws:iam::123456789012:role/bench',
    host: h,
  });
}

/** A chain of `n` Pass states (JSONPath, each with a Parameters template and a ResultPath). */
function passChain(n: number, queryLanguage: 'JSONPath' | 'JSONata'): object {
  const states: Record<string, object> = {};
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? { Next: `P${i + 1}` } : { End: true };
    states[`P${i}`] =
      queryLanguage === 'JSONPath'
        ? { Type: 'Pass', Parameters: { 'step.$': '$.step', 'value': i }, ResultPath: '$.last', ...next }
        : { Type: 'Pass', Output: { step: '{% $states.input.step %}', last: i }, ...next };
  }
  return { QueryLanguage: queryLanguage, StartAt: 'P0', States: states };
}

/** Measures the Pass-chain transition rate; returns transitions per second. */
export async function benchPassChain(queryLanguage: 'JSONPath' | 'JSONata', states = 4_000, runs = 5): Promise<{ transitionsPerSecond: number; transitions: number; seconds: number }> {
  const definition = passChain(states, queryLanguage);
  // warm-up
  await start(definition, { step: 0 }, host(), 'warm').whenClosed();
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < runs; r++) {
    const e = start(definition, { step: r }, host(), `run-${r}`);
    await e.whenClosed();
    if (e.status !== 'SUCCEEDED') throw new Error(`bench: pass chain ended ${e.status}: ${e.error} ${e.cause}`);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const transitions = states * runs;
  return { transitionsPerSecond: transitions / seconds, transitions, seconds };
}

/** Runs an inline Map over `items` Pass iterations; returns heap growth and history size. */
export async function benchInlineMap(items: number): Promise<{ items: number; events: number; historyBytes: number; heapGrowthBytes: number; seconds: number }> {
  const definition = {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemsPath: '$.items',
        MaxConcurrency: 0,
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Work', States: { Work: { Type: 'Pass', Parameters: { 'i.$': '$' }, End: true } } },
        ResultPath: null,
        End: true,
      },
    },
  };
  const input = { items: Array.from({ length: items }, (_, i) => i) };
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  // 4 events per item: past ~6,000 items an inline Map exceeds AWS's 25,000-event history limit, so
  // the limit is raised here to measure the engine itself.
  const e = start(definition, input, host(), `map-${items}`, 100_000);
  await e.whenClosed();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (e.status !== 'SUCCEEDED') throw new Error(`bench: map ended ${e.status}: ${e.error} ${e.cause}`);
  global.gc?.();
  const heapGrowthBytes = process.memoryUsage().heapUsed - before;
  const historyBytes = Buffer.byteLength(JSON.stringify(e.events));
  return { items, events: e.events.length, historyBytes, heapGrowthBytes, seconds };
}
