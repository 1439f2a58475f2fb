/**
 * The AWS CLI and boto3, unchanged, pointed at a sandbox: which of them are installed, the
 * isolated environment they run in (test credentials, no config files, no pager, one attempt),
 * and one runner for each. Tests skip, with a message, when a tool is missing.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

function works(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** A working `aws` on PATH (v1 or v2). */
export const hasAws = works('aws', ['--version']);
/** `python3 -c "import boto3"` succeeds. */
export const hasBoto3 = works('python3', ['-c', 'import boto3']);

/** The environment a client runs in: test credentials and nothing read from the user's AWS config. */
export function clientEnv(options: { defaultRegion?: string; accessKeyId?: string } = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AWS_ACCESS_KEY_ID: options.accessKeyId ?? 'test', AWS_SECRET_ACCESS_KEY: 'test',
    ...(options.defaultRegion ? { AWS_DEFAULT_REGION: options.defaultRegion } : {}),
    AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
}

export interface ClientRunOptions {
  /** Sets AWS_DEFAULT_REGION; absent, each call must name its region. */
  defaultRegion?: string;
  /** The access key id the client signs with. @default 'test' */
  accessKeyId?: string;
  /** @default 60_000 */
  timeoutMs?: number;
}

/** Runs `aws <args> --endpoint-url <endpoint>` and returns its stdout; rejects with `stderr` on a non-zero exit. */
export async function runAws(endpoint: string, args: string[], options: ClientRunOptions = {}): Promise<string> {
  const { stdout } = await run('aws', [...args, '--endpoint-url', endpoint], { env: clientEnv(options), timeout: options.timeoutMs ?? 60_000 });
  return stdout;
}

/** Runs `python3 -c <script> <args...>` (a boto3 script) and returns its stdout. */
export async function runPython(script: string, args: string[], options: ClientRunOptions = {}): Promise<string> {
  const { stdout } = await run('python3', ['-c', script, ...args], { env: clientEnv(options), timeout: options.timeoutMs ?? 60_000 });
  return stdout;
}
