/**
 * `node --import tsx bench/crash.ts [--runs N] [--first-seed S]`: a SIGKILL campaign against a
 * standalone sandbox, as a user runs it. One uninterrupted backup of the three-tier example plan
 * first (its event count, images and snapshots are the reference); then, for each seed, a fresh
 * data directory, `lifeboat sandbox --seed S`, a backup started with `lifeboat backup --local`, the
 * sandbox killed with SIGKILL once the run's history has reached a seeded number of events (spread
 * over the whole run), a new sandbox on the same data directory, and the run awaited.
 *
 * A seed passes when the run ends SUCCEEDED with contiguous event ids and one ExecutionSucceeded,
 * and each region holds exactly one image per instance and as many snapshots as the reference
 * (no duplicate images, copies or snapshots). Prints n/N and each seed's kill point, the tasks
 * scheduled again after the restart, and any problem; exits 1 unless every seed passes.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { DescribeImagesCommand, DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { TAG_KEYS } from '../schemas/tags.js';

const run = promisify(execFile);
const PLAN = 'examples/three-tier.plan.json';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, 'first-seed': { type: 'string', default: '1' } } });
const runs = Number(values.runs);
const firstSeed = Number(values['first-seed']);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: expected a positive integer, found ${JSON.stringify(values.runs)}`);
if (!Number.isInteger(firstSeed)) throw new Error(`--first-seed: expected an integer, found ${JSON.stringify(values['first-seed'])}`);
const out = (line: string) => process.stdout.write(`${line}\n`);

async function sandboxProcess(data: string, seed: number): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, ['bin/lifeboat.js', 'sandbox', '--port', '0', '--data', data, '--seed', String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  const endpoint = await new Promise<string>((ok, fail) => {
    let text = '';
    child.stdout!.on('data', (c: Buffer) => {
      text += c.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(text);
      if (m) ok(m[0]);
    });
    child.once('exit', (code) => fail(new Error(`lifeboat sandbox exited (${code}) before printing its endpoint: ${stderr}`)));
  });
  return { child, endpoint };
}

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

async function waitForEnd(sfn: SFNClient, executionArn: string): Promise<string> {
  for (let i = 0; i < 3_000; i++) {
    const status = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status!;
    if (status !== 'RUNNING') return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  return 'RUNNING';
}

interface Leftovers { imagesPerSource: Record<string, number>; snapshots: number; notAvailable: number }

async function leftovers(endpoint: string, region: string): Promise<Leftovers> {
  const ec2 = new EC2Client({ endpoint, region, credentials, maxAttempts: 1 });
  const images = (await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images ?? [];
  const snapshots = (await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots?.length ?? 0;
  ec2.destroy();
  const imagesPerSource: Record<string, number> = {};
  for (const i of images) {
    const source = i.Tags?.find((t) => t.Key === TAG_KEYS.sourceInstance)?.Value ?? '(untagged)';
    imagesPerSource[source] = (imagesPerSource[source] ?? 0) + 1;
  }
  return { imagesPerSource, snapshots, notAvailable: images.filter((i) => i.State !== 'available').length };
}

const startBackup = async (data: string): Promise<string> =>
  (JSON.parse((await run(process.execPath, ['bin/lifeboat.js', 'backup', '--local', '--plan', PLAN, '--data', data, '--json'], { timeout: 240_000 })).stdout) as { executionArn: string }).executionArn;

/** A seeded number in [lo, hi). */
const pick = (seed: number, lo: number, hi: number): number => lo + (Math.imul(seed ^ 0x5bd1e995, 2654435761) >>> 0) % (hi - lo);

const dirs: string[] = [];
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// the reference: an uninterrupted backup
const refData = mkdtempSync(join(tmpdir(), 'lifeboat-crash-ref-'));
dirs.push(refData);
const ref = await sandboxProcess(refData, firstSeed);
children.push(ref.child);
const refArn = await startBackup(refData);
const refSfn = new SFNClient({ endpoint: ref.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
const refStatus = await waitForEnd(refSfn, refArn);
const refEvents = (await history(refSfn, refArn)).length;
const refPrimary = await leftovers(ref.endpoint, 'us-east-1');
const refRecovery = await leftovers(ref.endpoint, 'us-west-2');
ref.child.kill('SIGKILL');
out(`reference backup: ${refStatus}, ${refEvents} events, snapshots ${refPrimary.snapshots}/${refRecovery.snapshots}, images per instance ${JSON.stringify(Object.values(refPrimary.imagesPerSource))}`);
if (refStatus !== 'SUCCEEDED') process.exit(1);

let passed = 0;
for (let seed = firstSeed; seed < firstSeed + runs; seed++) {
  const problems: string[] = [];
  const data = mkdtempSync(join(tmpdir(), 'lifeboat-crash-'));
  dirs.push(data);
  const killAt = pick(seed, 3, refEvents - 2);
  const first = await sandboxProcess(data, seed);
  children.push(first.child);
  const executionArn = await startBackup(data);
  const sfn1 = new SFNClient({ endpoint: first.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  let seen = 0;
  for (let i = 0; i < 20_000 && seen < killAt; i++) {
    seen = (await history(sfn1, executionArn)).length;
    if (seen < killAt) await new Promise((r) => setTimeout(r, 2));
  }
  first.child.kill('SIGKILL');
  await new Promise((r) => first.child.once('exit', r));
  sfn1.destroy();
  const second = await sandboxProcess(data, seed);
  children.push(second.child);
  const sfn2 = new SFNClient({ endpoint: second.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const afterRestart = (await history(sfn2, executionArn)).length;
  const status = await waitForEnd(sfn2, executionArn);
  const events = await history(sfn2, executionArn);
  if (status !== 'SUCCEEDED') problems.push(`ended ${status}`);
  if (events.some((e, i) => e.id !== i + 1)) problems.push('event ids not contiguous');
  if (events.filter((e) => e.type === 'ExecutionSucceeded').length !== 1) problems.push('not exactly one ExecutionSucceeded');
  const again = events.filter((e, i) => i >= afterRestart && e.type === 'TaskScheduled').length;
  for (const [region, reference] of [['us-east-1', refPrimary], ['us-west-2', refRecovery]] as const) {
    const left = await leftovers(second.endpoint, region);
    const counts = Object.values(left.imagesPerSource);
    // (instance ids depend on the seed: compare how many instances have images, not which)
    if (counts.length !== Object.keys(reference.imagesPerSource).length || '(untagged)' in left.imagesPerSource) problems.push(`${region}: images of ${JSON.stringify(left.imagesPerSource)}, expected one for each of ${Object.keys(reference.imagesPerSource).length} instances`);
    else if (counts.some((n) => n !== 1)) problems.push(`${region}: duplicate images ${JSON.stringify(left.imagesPerSource)}`);
    if (left.snapshots !== reference.snapshots) problems.push(`${region}: ${left.snapshots} snapshots, an uninterrupted run leaves ${reference.snapshots}`);
    if (left.notAvailable > 0) problems.push(`${region}: ${left.notAvailable} images not available`);
  }
  second.child.kill('SIGKILL');
  sfn2.destroy();
  if (problems.length === 0) passed++;
  out(`seed ${seed}: killed at ${seen} events (target ${killAt}), ${afterRestart} on disk after the restart, ${events.length} in the end, ${again} tasks scheduled after the restart: ${problems.length === 0 ? 'ok' : problems.join('; ')}`);
}
out(`${passed}/${runs} killed backups finished with no duplicates`);
process.exit(passed === runs ? 0 : 1);
