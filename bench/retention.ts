/**
 * Memory over many executions (issue 12): with closed executions leaving memory after their
 * retention, the heap stays flat however many executions have run. Runs small Pass executions
 * through the Step Functions service in process (no HTTP) with a retention of 0, and measures the
 * heap after a full GC at checkpoints. With `dataDir`, closed executions go to disk and must stay
 * readable from there (DescribeExecution, GetExecutionHistory) while leaving memory.
 */
import { startSandbox } from '../sandbox/index.js';
import type { ServiceRequest } from '../sandbox/service.js';

export interface RetentionBench {
  /** Executions run when each heap figure was taken. */
  readonly checkpoints: { readonly executions: number; readonly heapBytes: number }[];
  readonly seconds: number;
  /** With a data directory: what the first execution reads back from disk after all have run, and how many ListExecutions still lists. */
  readonly fromDisk?: { readonly status: string; readonly events: number; readonly listed: number };
}

const gc = (globalThis as { gc?: () => void }).gc;

function heap(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

/** Runs `total` executions, closing each before the next, and takes the heap at `checkpoints`. */
export async function benchRetention(options: { total?: number; checkpoints?: number[]; publishMetrics?: boolean; dataDir?: string } = {}): Promise<RetentionBench> {
  const total = options.total ?? 100_000;
  const checkpoints = options.checkpoints ?? [20_000, 60_000, 100_000];
  const sandbox = await startSandbox({ log: () => {}, closedExecutionRetentionMs: 0, ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}) });
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
  let firstArn = '';
  for (let i = 1; i <= total; i++) {
    const { executionArn } = await call('StartExecution', { stateMachineArn, input: JSON.stringify({ i, payload: 'x'.repeat(200) }) });
    if (i === 1) firstArn = executionArn as string;
    await sandbox.sfn.getExecution(executionArn as string)?.whenClosed();
    if (checkpoints.includes(i)) {
      // With a data directory, let the debounced writes of the last executions finish first.
      await new Promise((r) => (options.dataDir !== undefined ? setTimeout(r, 400) : setImmediate(r)));
      out.push({ executions: i, heapBytes: heap() });
    }
  }
  const seconds = (Date.now() - started) / 1000;
  let fromDisk: RetentionBench['fromDisk'];
  if (options.dataDir !== undefined) {
    const described = await call('DescribeExecution', { executionArn: firstArn });
    const history = await call('GetExecutionHistory', { executionArn: firstArn, maxResults: 1000 });
    const listed = await call('ListExecutions', { stateMachineArn, maxResults: 1000 });
    fromDisk = { status: String(described.status), events: (history.events as unknown[]).length, listed: (listed.executions as unknown[]).length };
  }
  await sandbox.stop();
  return { checkpoints: out, seconds, ...(fromDisk ? { fromDisk } : {}) };
}
