/**
 * A sandbox in a child process on a data directory (`durable-child.ts`), for tests that kill it
 * with SIGKILL and start another on the same directory. Its Lambda `work` logs each invocation to
 * `log` and blocks while `<log>.block` exists.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';

const CHILD = join(import.meta.dirname, 'durable-child.ts');

/** What a test started, to clean up after it (`cleanUp()` in `afterEach`). */
const children: ChildProcess[] = [];
const dirs: string[] = [];

/** Kills every child process still running and removes every data directory made. */
export function cleanUp(): void {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A fresh data directory with its invocation log, the Lambda blocked until `<log>.block` is removed. */
export function blockedDataDir(prefix = 'lifeboat-durable-'): { dataDir: string; log: string } {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dataDir);
  const log = join(dataDir, 'invocations.log');
  writeFileSync(`${log}.block`, '');
  return { dataDir, log };
}

/** Starts a sandbox process on `dataDir` and returns it with a Step Functions client of its endpoint. */
export async function startChild(dataDir: string, log: string): Promise<{ child: ChildProcess; sfn: SFNClient }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, log], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`the sandbox process exited (${code}) before printing its endpoint`)));
  });
  return { child, sfn: new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 }) };
}
