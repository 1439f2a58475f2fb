/**
 * Memory over many executions (issue 12): with closed executions leaving memory after their
 * retention, the heap stays flat however many executions have run. Runs small Pass executions
 * through the Step Functions service in process (no HTTP) with a retention of 0, and measures the
 * heap after a full GC at checkpoints.
 */
import { startSandbox } from '../sandbox/index.js';
import type { ServiceRequest } from '../sandbox/service.js';

export interface RetentionBench {
  /** Executions run when each heap figure was taken. */
  readonly checkpoints: { readonly executions: number; readonly heapBytes: number }[];
  readonly seconds: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

function heap(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

/** Runs `total` executions, closing each before the next, and takes the heap at `checkpoints`. */
export async function benchRetention(options: { total?: number; checkpoints?: number[]; publishMetrics?: boolean } = {}): Promise<RetentionBench> {
  const total = options.total ?? 100_000;
  const checkpoints = options.checkpoints ?? [20_000, 60_000, 100_000];
  const sandbox = await startSandbox({ log: () => {}, closedExecutionRetentionMs: 0 });
  // Step Functions publishes AWS/States metrics to CloudWatch on every close; CloudWatch keeps one
  // aggregate per metric and minute. Measured apart, so the executions' own memory can be seen.
  if (!options.publishMetrics) (sandbox.cloudwatch as { record: unknown }).record = () => {};
  const call = async (op: string, body: unknown): Promise<Record<string, unknown>> => {
    const req: ServiceRequest = { method: 'POST', path: '/', headers: { 'x-amz-target': `AWSStepFunctions.${op}`, 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from(JSON.stringify(body)), region: 'us-east-1' };
    const res = await sandbox.sfn.handle(req);
    const parsed = JSON.parse(String(res.body)) as Record<string, unknown>;
    if (res.status !== 200) throw new Error(`${op}: ${res.status} ${JSON.stringify(parsed)}`);
    return parsed;
  };
  const definition = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Result: { ok: true }, ResultPath: '$.a', Next: 'B' }, B: { Type: 'Pass', End: true } } });
  const { stateMachineArn } = await call('CreateStateMachine', { name: 'many', definition, roleArn: 'arn:aws:iam::123456789012:role/r' });
  const out: { executions: number; heapBytes: number }[] = [];
  const started = Date.now();
  for (let i = 1; i <= total; i++) {
    const { executionArn } = await call('StartExecution', { stateMachineArn, input: JSON.stringify({ i, payload: 'x'.repeat(200) }) });
    await sandbox.sfn.getExecution(executionArn as string)?.whenClosed();
    if (checkpoints.includes(i)) {
      await new Promise((r) => setImmediate(r));
      out.push({ executions: i, heapBytes: heap() });
    }
  }
  const seconds = (Date.now() - started) / 1000;
  await sandbox.stop();
  return { checkpoints: out, seconds };
}
