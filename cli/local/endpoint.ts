/**
 * Finds the sandbox that `--local` commands talk to: the one `lifeboat sandbox` is running for the
 * data directory (it leaves `<dataDir>/sandbox.json` while it runs), or else a sandbox started in
 * this process on a free port with the same data directory, so the runs it makes persist there.
 */
import { readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Sandbox } from '../../sandbox/index.js';

/** The data directory used when none is given. */
export const DEFAULT_SANDBOX_DATA_DIR = '.lifeboat/sandbox';

/** The file a running `lifeboat sandbox` leaves in its data directory. */
export const SANDBOX_INFO_FILE = 'sandbox.json';

/** What `<dataDir>/sandbox.json` holds. */
export interface SandboxInfo {
  readonly endpoint: string;
  readonly pid: number;
  readonly dataDir: string;
  readonly region: string;
  readonly startedAt: string;
}

/** A sandbox to talk to. */
export interface LocalEndpoint {
  /** `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  /** The sandbox's default region. */
  readonly region?: string;
  /** True when the sandbox runs in this process (no `lifeboat sandbox` was running): it stops with it. */
  readonly isInProcess?: boolean;
  /** The regions an in-process sandbox serves (what its EC2 DescribeRegions answers), so no EC2 client is loaded to ask. */
  readonly regions?: readonly string[];
  /** Stops the sandbox if this call started it; a no-op for one run by `lifeboat sandbox`. Safe to call twice. */
  close(): Promise<void>;
}

/** Options of {@link resolveLocalEndpoint}. */
export interface ResolveLocalEndpointOptions {
  /** @default '.lifeboat/sandbox' */
  readonly dataDir?: string;
}

/**
 * The endpoint of the sandbox for a data directory: a running `lifeboat sandbox` when one answers
 * for it, otherwise a new in-process sandbox (ephemeral port, that data directory, the project's
 * task handlers bound through `cli/local/bind.ts` when it exists).
 */
export async function resolveLocalEndpoint(options: ResolveLocalEndpointOptions = {}): Promise<LocalEndpoint> {
  const dataDir = resolve(options.dataDir ?? DEFAULT_SANDBOX_DATA_DIR);
  const running = await findRunningSandbox(dataDir);
  if (running) return { endpoint: running.endpoint, region: running.region, close: async () => {} };
  const { startSandbox } = await import('../../sandbox/index.js');
  const sandbox = await startSandbox({ dataDir, port: 0, resumeRunning: false });
  try {
    await bindProjectIfPresent(sandbox);
    sandbox.resumeRunning();
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
  return { endpoint: sandbox.endpoint, region: sandbox.region, isInProcess: true, regions: sandbox.ec2.regions, close: () => sandbox.stop() };
}

/** Reads `<dataDir>/sandbox.json`, if present and well-formed. */
export function readSandboxInfo(dataDir: string): SandboxInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(join(dataDir, SANDBOX_INFO_FILE), 'utf8')) as Partial<SandboxInfo>;
    if (typeof info.endpoint === 'string' && typeof info.pid === 'number') return info as SandboxInfo;
  } catch {
    // absent or unreadable: no sandbox recorded
  }
  return undefined;
}

/** Writes `<dataDir>/sandbox.json` atomically. */
export function writeSandboxInfo(dataDir: string, info: SandboxInfo): void {
  const file = join(dataDir, SANDBOX_INFO_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(info, null, 2)}\n`);
  renameSync(temp, file);
}

/** Removes `<dataDir>/sandbox.json` if it is this process's. */
export function removeSandboxInfo(dataDir: string, pid = process.pid): void {
  const info = readSandboxInfo(dataDir);
  if (info && info.pid === pid) rmSync(join(dataDir, SANDBOX_INFO_FILE), { force: true });
}

/**
 * The sandbox recorded for a data directory, if its process is alive and its endpoint answers
 * the admin `health` call for that same directory.
 */
export async function findRunningSandbox(dataDir: string): Promise<SandboxInfo | undefined> {
  const info = readSandboxInfo(dataDir);
  if (!info || !isAlive(info.pid)) return undefined;
  try {
    const res = await fetch(`${info.endpoint}/_sandbox/health`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(2_000) });
    if (!res.ok) return undefined;
    const health = (await res.json()) as { ok?: unknown; dataDir?: unknown };
    return health.ok === true && health.dataDir === resolve(dataDir) ? info : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Calls `bindProject(sandbox)` from `cli/local/bind.ts` (written by the integrator: registers the
 * project's task handlers and seeds) when that module exists.
 */
export async function bindProjectIfPresent(sandbox: Sandbox): Promise<boolean> {
  const specifier = './bind.js';
  let module: { bindProject?: unknown };
  try {
    module = (await import(specifier)) as { bindProject?: unknown };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = String((error as Error)?.message ?? '');
    if ((code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module|Failed to load url|Does the file exist/i.test(message)) && message.includes('bind')) return false;
    throw error;
  }
  if (typeof module.bindProject !== 'function') {
    throw new TypeError('cli/local/bind.ts: expected an export bindProject(sandbox), found none');
  }
  await (module.bindProject as (sandbox: Sandbox) => unknown)(sandbox);
  return true;
}
