import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { parsePlan, type Plan } from '../../schemas/plan.js';
import { startLocalLifeboat, type LocalLifeboat, type LocalLifeboatOptions } from '../../cli/local/session.js';

/** An example plan, parsed. */
export function examplePlan(name: 'small' | 'three-tier'): Plan {
  const file = `examples/${name}.plan.json`;
  return parsePlan(JSON.parse(readFileSync(file, 'utf8')), file);
}

/** Starts a local Lifeboat for a test; the caller stops it in `afterEach`. */
export function localLifeboat(options: Partial<LocalLifeboatOptions> & { plan?: Plan } = {}): Promise<LocalLifeboat> {
  return startLocalLifeboat({ seed: 7, startMs: Date.parse('2026-11-25T10:00:00.000Z'), ...options, plan: options.plan ?? examplePlan('three-tier') });
}

/** The names of the states entered, in order (the timeline of a run). */
export function statesEntered(events: readonly HistoryEvent[]): string[] {
  return events.filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails!.name!);
}

/** How many times each task was scheduled, by the state that scheduled it. */
export function taskCalls(events: readonly HistoryEvent[], stateName: string): number {
  let current: string | undefined;
  let count = 0;
  for (const e of events) {
    if (e.type === 'TaskStateEntered') current = e.stateEnteredEventDetails!.name!;
    if (e.type === 'TaskScheduled' && current === stateName) count++;
  }
  return count;
}

/** The last ExecutionFailed event, if any. */
export function failure(events: readonly HistoryEvent[]): { error?: string; cause?: string } | undefined {
  const e = [...events].reverse().find((x) => x.type === 'ExecutionFailed');
  return e?.executionFailedEventDetails;
}

/** A local Lifeboat whose backup of the three-tier plan has already succeeded. */
export async function backedUpLifeboat(): Promise<{ env: LocalLifeboat; backupArn: string }> {
  const env = await localLifeboat();
  const backup = await env.runToEnd('backup');
  if (backup.status !== 'SUCCEEDED') {
    await env.stop();
    throw new Error(`e2e setup: the backup ended ${backup.status}: ${backup.error} ${backup.cause}`);
  }
  return { env, backupArn: backup.executionArn };
}

/**
 * The environment for an independent client (AWS CLI, boto3) pointed at the sandbox by its own
 * `--endpoint-url`: dummy keys, and nothing that would send it elsewhere.
 */
export function independentClientEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const copy: NodeJS.ProcessEnv = { ...env, AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox', AWS_PAGER: '' };
  for (const key of ['AWS_ENDPOINT_URL', 'AWS_PROFILE', 'AWS_SESSION_TOKEN']) delete copy[key];
  return copy;
}

/**
 * `lifeboat sandbox` in a process of its own, as a user starts it (a free port, `data` as its data
 * directory, `extra` arguments after); resolves with the process and the endpoint it printed, and
 * rejects with its stderr when it exits first. The caller kills the process.
 */
export async function sandboxProcess(data: string, extra: readonly string[] = []): Promise<{ child: ChildProcess; endpoint: string }> {
  const root = resolve(import.meta.dirname, '../..');
  const child = spawn(process.execPath, ['bin/lifeboat.js', 'sandbox', '--port', '0', '--data', data, ...extra], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  const endpoint = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) ok(m[0]);
    });
    child.once('exit', (code) => fail(new Error(`lifeboat sandbox exited (${code}) before printing its endpoint: ${stderr}`)));
  });
  return { child, endpoint };
}
