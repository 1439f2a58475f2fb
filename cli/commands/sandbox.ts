/**
 * `lifeboat sandbox`: runs the local sandbox (Step Functions, and whatever the project binds: EC2,
 * CloudWatch, the task Lambdas) on 127.0.0.1 until SIGINT or SIGTERM.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode, OperationError, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import {
  DEFAULT_SANDBOX_DATA_DIR,
  bindProjectIfPresent,
  findRunningSandbox,
  removeSandboxInfo,
  writeSandboxInfo,
} from '../local/endpoint.js';

/** Options of `lifeboat sandbox` (flag values as given, strings or already-parsed numbers). */
export interface SandboxCommandOptions {
  /** `--port N`: 0 picks a free port. @default 0 */
  readonly port?: string | number;
  /** `--data DIR`. @default '.lifeboat/sandbox' */
  readonly data?: string;
  /** Same as `data` (the name the shared connection options use). */
  readonly dataDir?: string;
  /** `--clock virtual|real`. @default 'virtual' */
  readonly clock?: string;
  /** `--speed N`: how much faster than wall time the real clock runs. @default 1 */
  readonly speed?: string | number;
  /** `--seed N`. @default 1 */
  readonly seed?: string | number;
  /** `--region R`: the region of unsigned requests and bare function names. @default 'us-east-1' */
  readonly region?: string;
  /** Stops the sandbox when aborted (tests); SIGINT and SIGTERM always do. */
  readonly signal?: AbortSignal;
}

/**
 * `lifeboat sandbox [--port N] [--data DIR] [--clock virtual|real] [--speed N] [--seed N]`: starts
 * the sandbox, prints its endpoint on stdout and how to point the AWS CLI at it on stderr, and runs
 * until SIGINT/SIGTERM, then stops cleanly (running executions are stopped, so they can be redriven
 * after a restart; everything is written to the data directory).
 */
export async function sandbox(opts: SandboxCommandOptions, io: Io): Promise<ExitCode> {
  const port = integerOption('--port', opts.port, 0, 0, 65535);
  const clock = opts.clock ?? 'virtual';
  if (clock !== 'virtual' && clock !== 'real') {
    throw new UsageError(`lifeboat sandbox: --clock: expected "virtual" or "real", found ${JSON.stringify(clock)}`);
  }
  const speed = numberOption('--speed', opts.speed, 1);
  if (opts.speed !== undefined && clock !== 'real') {
    throw new UsageError('lifeboat sandbox: --speed only applies to --clock real', { hint: 'the virtual clock already skips every wait' });
  }
  const seed = opts.seed === undefined ? '1' : String(opts.seed);
  const dataDir = resolve(opts.data ?? opts.dataDir ?? DEFAULT_SANDBOX_DATA_DIR);

  const existing = await findRunningSandbox(dataDir);
  if (existing) {
    throw new OperationError(`lifeboat sandbox: a sandbox is already running for ${dataDir} at ${existing.endpoint} (pid ${existing.pid})`, {
      hint: 'use it (commands with --local find it), stop it, or pass another --data DIR',
    });
  }
  mkdirSync(dataDir, { recursive: true });

  const { startSandbox } = await import('../../sandbox/index.js');
  let box;
  try {
    box = await startSandbox({ port, dataDir, clock, speed, seed: /^\d+$/.test(seed) ? Number(seed) : seed, region: opts.region });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(`lifeboat sandbox: ${error.message}`);
    throw new OperationError(`lifeboat sandbox: could not start: ${(error as Error).message}`, {
      cause: error,
      hint: port !== 0 ? `is port ${port} in use? try --port 0` : undefined,
    });
  }
  try {
    await bindProjectIfPresent(box);
    writeSandboxInfo(dataDir, { endpoint: box.endpoint, pid: process.pid, dataDir, region: box.region, startedAt: new Date().toISOString() });

    io.result(box.endpoint);
    io.progress(`sandbox listening on ${box.endpoint} (clock ${clock}${clock === 'real' && speed !== 1 ? ` ×${speed}` : ''}, seed ${seed}, data ${dataDir})`);
    io.progress('point the AWS CLI at it:');
    io.progress('  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=' + box.region);
    io.progress(`  aws stepfunctions list-state-machines --endpoint-url ${box.endpoint}`);
    io.progress(`  (or export AWS_ENDPOINT_URL=${box.endpoint} for every AWS SDK and CLI)`);
    io.progress('lifeboat commands with --local use it while it runs; stop it with Ctrl-C');

    await untilStopped(opts.signal);
    io.progress('stopping the sandbox…');
  } finally {
    await box.stop();
    removeSandboxInfo(dataDir);
  }
  io.progress(`sandbox stopped; state kept in ${dataDir}`);
  return ExitCode.Ok;
}

function untilStopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((done) => {
    const finish = (): void => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      signal?.removeEventListener('abort', finish);
      done();
    };
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
    if (signal?.aborted) finish();
    else signal?.addEventListener('abort', finish, { once: true });
  });
}

function integerOption(flag: string, value: string | number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`lifeboat sandbox: ${flag}: expected an integer from ${min} to ${max}, found ${JSON.stringify(value)}`);
  }
  return n;
}

function numberOption(flag: string, value: string | number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new UsageError(`lifeboat sandbox: ${flag}: expected a number above 0, found ${JSON.stringify(value)}`);
  }
  return n;
}
