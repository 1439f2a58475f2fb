/**
 * `lifeboat sandbox`: runs the local sandbox (Step Functions, and whatever the project binds: EC2,
 * CloudWatch, the task Lambdas) on 127.0.0.1 until SIGINT or SIGTERM.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { parseFaults, type FaultConfig } from '../../sandbox/ec2/faults.js';
import { resolveLatency, type LatencyModel } from '../../sandbox/ec2/latency.js';
import { checkRegions } from '../../sandbox/regions.js';
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

/** How long (wall ms) the virtual clock of a standalone sandbox waits after StartExecution and RedriveExecution. */
export const STANDALONE_START_GRACE_MS = 500;

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
  /**
   * `--config FILE`: JSON `{ "regions": [...], "ec2": { "faults": FaultConfig, "latency": Partial<LatencyModel> } }`:
   * the regions served (default: every commercial region), and the EC2 faults (seeded) and
   * latency model the sandbox starts with (sandbox/ec2/README.md).
   */
  readonly config?: string;
  /** Stops the sandbox when aborted (tests); SIGINT and SIGTERM always do. */
  readonly signal?: AbortSignal;
  /** Called once it listens, with its endpoint (`lifeboat console --open`). */
  readonly onListening?: (endpoint: string) => void;
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
  const config = opts.config === undefined ? {} : readSandboxConfig(opts.config);
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
    box = await startSandbox({ port, dataDir, clock, speed, seed: /^\d+$/.test(seed) ? Number(seed) : seed, region: opts.region, regions: config.regions, ec2: config.ec2, resumeRunning: false,
      // Clients of a standalone sandbox are other processes: give them a moment to act on a run's
      // first Wait (e.g. StopExecution) before the virtual clock skips it.
      startGraceMs: clock === 'virtual' ? STANDALONE_START_GRACE_MS : 0 });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(`lifeboat sandbox: ${error.message}`);
    throw new OperationError(`lifeboat sandbox: could not start: ${(error as Error).message}`, {
      cause: error,
      hint: port !== 0 ? `is port ${port} in use? try --port 0` : undefined,
    });
  }
  try {
    await bindProjectIfPresent(box);
    // Runs left running by the previous sandbox on this directory carry on, now that their Lambdas exist.
    box.resumeRunning();
    writeSandboxInfo(dataDir, { endpoint: box.endpoint, pid: process.pid, dataDir, region: box.region, startedAt: new Date().toISOString() });

    io.result(box.endpoint);
    io.progress(`sandbox listening on ${box.endpoint} (clock ${clock}${clock === 'real' && speed !== 1 ? ` ×${speed}` : ''}, seed ${seed}, data ${dataDir})`);
    io.progress('point the AWS CLI at it:');
    io.progress('  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=' + box.region);
    io.progress(`  aws stepfunctions list-state-machines --endpoint-url ${box.endpoint}`);
    io.progress(`  (or export AWS_ENDPOINT_URL=${box.endpoint} for every AWS SDK and CLI)`);
    io.progress(`the console (state machines, runs, graphs, plans): ${box.endpoint}/ in a browser on this machine`);
    io.progress('lifeboat commands with --local use it while it runs; stop it with Ctrl-C');
    opts.onListening?.(box.endpoint);

    await untilStopped(opts.signal);
    io.progress('stopping the sandbox…');
  } finally {
    await box.stop();
    removeSandboxInfo(dataDir);
  }
  io.progress(`sandbox stopped; state kept in ${dataDir}`);
  return ExitCode.Ok;
}

/** What `--config FILE` may hold. */
export interface SandboxConfig {
  /** The regions served (every service); the others fail as unreachable endpoints. @default every commercial region */
  readonly regions?: readonly string[];
  readonly ec2?: { readonly faults?: FaultConfig; readonly latency?: Partial<LatencyModel> };
}

/**
 * Reads and validates `--config FILE`, reporting every problem with its path.
 *
 * @throws UsageError when the file is missing, not JSON, or not a sandbox configuration
 */
export function readSandboxConfig(file: string): SandboxConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code ? (error as Error).message : `invalid JSON (${(error as Error).message})`;
    throw new UsageError(`lifeboat sandbox: --config ${JSON.stringify(file)}: ${why}`, { cause: error });
  }
  const problems: string[] = [];
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UsageError(`lifeboat sandbox: ${file}: expected a JSON object such as {"ec2": {"faults": {…}, "latency": {…}}}, found ${JSON.stringify(json)}`);
  }
  for (const key of Object.keys(json)) if (key !== 'ec2' && key !== 'regions') problems.push(`${file} › ${key}: expected no key ${JSON.stringify(key)}; the configuration has "regions" and "ec2"`);
  const regions = (json as { regions?: unknown }).regions;
  if (regions !== undefined) {
    if (!Array.isArray(regions)) problems.push(`${file} › regions: expected an array of region names such as ["us-east-1", "eu-west-1"], found ${JSON.stringify(regions)}`);
    else {
      try {
        checkRegions(regions, `${file} › regions`);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }
  const ec2 = (json as { ec2?: unknown }).ec2;
  if (ec2 !== undefined && (typeof ec2 !== 'object' || ec2 === null || Array.isArray(ec2))) {
    problems.push(`${file} › ec2: expected an object with "faults" and/or "latency", found ${JSON.stringify(ec2)}`);
  } else if (ec2 !== undefined) {
    const e = ec2 as Record<string, unknown>;
    for (const key of Object.keys(e)) if (key !== 'faults' && key !== 'latency') problems.push(`${file} › ec2.${key}: expected "faults" or "latency"`);
    if (e.faults !== undefined) {
      try {
        parseFaults(e.faults, `${file} › ec2.faults`);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    if (e.latency !== undefined) {
      try {
        resolveLatency(e.latency as Partial<LatencyModel>);
      } catch (error) {
        problems.push(`${file} › ec2.${(error as Error).message.replace(/^ec2 /, '')}`);
      }
    }
  }
  if (problems.length > 0) throw new UsageError(`lifeboat sandbox: the configuration is not valid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return json as SandboxConfig;
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
