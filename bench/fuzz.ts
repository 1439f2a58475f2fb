/**
 * `npm run fuzz [-- --requests N --seed S --concurrency C]`: a campaign of malformed requests
 * against a standalone sandbox (`lifeboat sandbox` in a child process, as users run it). Prints
 * how many requests of each kind were sent, the statuses that came back, and the counts that
 * must stay at zero: 5xx answers, answers that are not well-formed AWS errors (each request that
 * surely reaches one service is checked against that service's own protocol), requests left
 * without an answer, and crashes of the sandbox process (it is restarted after each). Exits 1 when
 * any of them is not zero.
 *
 * The generator and the check are those of `test/sandbox/server/fuzz.test.ts`, which sends a few
 * thousand on every test run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FuzzGenerator, problemWith, send, SERVICE_PROTOCOLS } from '../test/sandbox/server/fuzz-requests.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '50000' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '8' },
  },
});
const total = Number(values.requests);
const concurrency = Number(values.concurrency);
if (!Number.isInteger(total) || total < 1) throw new Error(`--requests: expected a positive integer, found ${JSON.stringify(values.requests)}`);
if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`--concurrency: expected a positive integer, found ${JSON.stringify(values.concurrency)}`);

const out = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number) => n.toLocaleString('en-US');
const dataDir = mkdtempSync(join(tmpdir(), 'lifeboat-fuzz-'));

interface Running { child: ChildProcess; port: number; exited: boolean }

/** Starts `lifeboat sandbox` on the campaign's data directory and waits for its endpoint. */
async function startSandboxProcess(): Promise<Running> {
  const child = spawn(process.execPath, ['bin/lifeboat.js', 'sandbox', '--port', '0', '--data', dataDir, '--seed', values.seed], { stdio: ['ignore', 'pipe', 'pipe'] });
  const running: Running = { child, port: 0, exited: false };
  child.on('exit', () => { running.exited = true; });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  running.port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`lifeboat sandbox exited (${code}) before printing its endpoint: ${stderr}`)));
  });
  return running;
}

let sandbox = await startSandboxProcess();
const generator = new FuzzGenerator(values.seed, sandbox.port);
const kinds = new Map<string, number>();
const statuses = new Map<string, number>();
/** Requests that surely reached one service, by service, and how many of them were answered (in that service's protocol, else they count as malformed). */
const services = new Map<string, { sent: number; answered: number }>();
const failures: string[] = [];
let fiveHundreds = 0;
let malformed = 0;
let unanswered = 0;
let crashes = 0;
let sent = 0;
const started = Date.now();

async function worker(): Promise<void> {
  while (sent < total) {
    const i = sent++;
    // One request in 200 is an expensive kind (a body over the limit, a gzip bomb).
    const req = generator.next({ large: i % 200 === 199 });
    kinds.set(req.kind, (kinds.get(req.kind) ?? 0) + 1);
    const port = sandbox.port;
    const outcome = await send(port, { ...req, headers: { ...req.headers, ...(req.headers.host === `127.0.0.1:${generator.port}` ? { host: `127.0.0.1:${port}` } : {}) } });
    const key = outcome.status === undefined ? 'no answer' : String(outcome.status);
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
    if (req.service !== undefined) {
      const s = services.get(req.service) ?? { sent: 0, answered: 0 };
      s.sent++;
      if (outcome.status !== undefined) s.answered++;
      services.set(req.service, s);
    }
    if (outcome.status !== undefined && outcome.status >= 500) fiveHundreds++;
    const problem = problemWith(outcome, (r) => ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'].includes(r));
    if (problem) {
      if (outcome.status === undefined) unanswered++;
      else if (outcome.status < 500) malformed++;
      if (failures.length < 20) failures.push(`#${i} ${req.kind} ${req.method} ${req.path} ${req.headers['x-amz-target'] ?? ''}: ${problem}`);
    }
    if (sandbox.exited && sandbox.port === port) {
      crashes++;
      failures.push(`#${i} ${req.kind}: the sandbox process exited; restarting it`);
      sandbox = await startSandboxProcess();
    }
    if (i > 0 && i % 5_000 === 0) process.stderr.write(`  ${fmt(i)} requests sent\n`);
  }
}

await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (Date.now() - started) / 1000;
sandbox.child.kill('SIGINT');
await new Promise((r) => sandbox.child.once('exit', r));
rmSync(dataDir, { recursive: true, force: true });

out(`# Sandbox fuzz campaign (seed ${values.seed})`);
out('');
out(`${fmt(total)} malformed requests in ${seconds.toFixed(1)} s, ${concurrency} at a time, against \`lifeboat sandbox\` in a child process`);
out(`by kind: ${[...kinds].sort().map(([k, n]) => `${k} ${fmt(n)}`).join(', ')}`);
out(`by status: ${[...statuses].sort().map(([k, n]) => `${k} ${fmt(n)}`).join(', ')}`);
out(`by service (requests that surely reach it, checked against its own protocol): ${Object.entries(SERVICE_PROTOCOLS).map(([name, protocol]) => `${name} (${protocol}) ${fmt(services.get(name)?.answered ?? 0)}`).join(', ')}`);
out('');
const starved = Object.keys(SERVICE_PROTOCOLS).filter((name) => (services.get(name)?.answered ?? 0) === 0);
out(`services the campaign did not reach: ${starved.length === 0 ? 'none' : starved.join(', ')} — target none: ${starved.length === 0 ? 'ok' : 'MISSED'}`);
out(`5xx answers: ${fmt(fiveHundreds)} — target 0: ${fiveHundreds === 0 ? 'ok' : 'MISSED'}`);
out(`answers that are not well-formed AWS errors: ${fmt(malformed)} — target 0: ${malformed === 0 ? 'ok' : 'MISSED'}`);
out(`requests left without an answer (other than unserved regions): ${fmt(unanswered)} — target 0: ${unanswered === 0 ? 'ok' : 'MISSED'}`);
out(`sandbox crashes: ${fmt(crashes)} — target 0: ${crashes === 0 ? 'ok' : 'MISSED'}`);
for (const f of failures) out(`  ${f}`);
process.exitCode = fiveHundreds + malformed + unanswered + crashes + starved.length > 0 ? 1 : 0;
