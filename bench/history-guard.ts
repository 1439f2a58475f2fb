/**
 * Runs near the history limit on the sandbox (issue 7, "runs that can finish"; docs/decisions/0005).
 *
 * A 100-instance plan whose worst-case backup (batches of 10) and drill (12 waves) histories are
 * just under 25,000 events, run under faults that make every loop spend its passes:
 *
 * - **backup**: images take 105 minutes (deadline 120), copies 330 minutes (deadline 360),
 *   30 % of every EC2 call is throttled (so each loop also makes its quick passes) and 90 % of
 *   `DescribeSnapshots` (verification needs many passes), every other task invocation crashes
 *   after its work (each task call retried once, as the model allows); the tenth batch finds no
 *   copy slot (`ResourceLimitExceeded`), so its copy loop runs out its passes.
 *   The near-limit guard (or the deadline) must end the run through `Record batch failure` with the
 *   history under 25,000 events and under the model's worst case; then redrives, each of which
 *   must stop at the guard with the history still under the limit.
 * - **drill**: status checks take 55–57 minutes (deadline 60) in every wave, 30 % of EC2 calls are
 *   throttled, every other task invocation crashes after its work, and a twelfth-wave instance comes up impaired (found when their checks end):
 *   the drill must take its failure path and tear down, leaving no instance pending or running,
 *   with the history under 25,000 events and under the model's worst case.
 *
 *   node --import tsx bench/history-guard.ts [--only backup|drill] [--seed 7]
 *
 * Prints one table per scenario; exits 1 if a check fails.
 */
import { parseArgs } from 'node:util';
import { startLocalLifeboat, type RunResult } from '../cli/local/session.js';
import { parsePlan, type Plan } from '../schemas/plan.js';
import { ROLES, TAG_KEYS } from '../schemas/tags.js';
import { TASK_TIMEOUT_SECONDS } from '../schemas/tasks/index.js';
import type { FaultConfig } from '../sandbox/ec2/index.js';
import { HISTORY_EVENT_LIMIT, loopPassCaps, worstCase } from '../workflows/budget.js';
import { failureOf, injectTaskFaults, passesByState } from './campaign-runs.js';

const { values } = parseArgs({ options: { only: { type: 'string' }, seed: { type: 'string', default: '7' } } });
const seed = Number(values.seed);
const out = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number) => n.toLocaleString('en-US');
const START = Date.parse('2026-11-25T10:00:00.000Z');

/** The near-limit plan: 100 one-instance workloads, backed up in batches of 10, restored in `waves` waves. */
export function nearLimitPlan(waves: number): Plan {
  return parsePlan(
    {
      name: 'near-limit',
      primaryRegion: 'eu-west-1',
      recoveryRegion: 'eu-central-1',
      objectives: { rpoMinutes: 240, rtoMinutes: 60 },
      backup: { batchSize: 10 },
      workloads: Array.from({ length: 100 }, (_, i) => ({
        name: `app-${i + 1}`,
        wave: 1 + Math.floor((i * waves) / 100),
        instanceIds: [`i-0${(i + 1).toString(16).padStart(16, '0')}`],
        launch: { subnetIds: ['subnet-0aa11bb22cc330001'], instanceTypes: ['m5.large'] },
      })),
      drill: { isolatedSubnetIds: ['subnet-0dd44ee55ff660001'] },
    },
    'bench/history-guard.ts',
  );
}

function errorOf(run: RunResult): string {
  const { cause } = failureOf(run);
  return [...(cause ?? '').matchAll(/failed with (Lifeboat\.[A-Za-z]+|States\.[A-Za-z]+)/g)].at(-1)?.[1] ?? run.error ?? '';
}

const checks: string[] = [];
function check(ok: boolean, what: string): void {
  out(`- ${ok ? 'ok' : 'FAILED'}: ${what}`);
  if (!ok) checks.push(what);
}

async function backupScenario(): Promise<void> {
  const plan = nearLimitPlan(1);
  const worst = worstCase(plan).find((w) => w.workflow === 'backup')!;
  const caps = loopPassCaps(plan);
  out(`## Backup near the limit (seed ${seed})`);
  out('');
  out(`plan: 100 instances, backup.batchSize 10 (10 batches, one at a time); model worst case ${fmt(worst.events)} events (${worst.detail}); limit ${fmt(HISTORY_EVENT_LIMIT)}`);
  out(`guard caps (passes per loop per execution): image ${caps.image}, copy ${caps.copy}, verify ${caps.verify}, prune ${caps.prune}`);
  out('faults: images 105 min, copies 330 min, 30% of EC2 calls throttled, 90% of DescribeSnapshots; every other task invocation crashes after its work (each call retried once); no copy slot for batch 10 (CopyImage answers ResourceLimitExceeded)');
  out('');
  const storm: FaultConfig = { throttle: { '*': 0.3, DescribeSnapshots: 0.9 } };
  const env = await startLocalLifeboat({
    plan,
    seed,
    startMs: START,
    latency: { snapshot: { base: 6_270, perGiB: 0 }, imageRegister: 30, copy: { base: 19_770, perGiB: 0 }, jitter: 0 },
    faults: storm,
  });
  // The tenth batch's copies never start: once its first copy pass comes, the recovery region
  // has no copy slot left (CopyImage answers ResourceLimitExceeded), as if other runs held them.
  const lastBatch = new Set(plan.workloads.slice(90).map((w) => w.name));
  const copy = env.sandbox.lambdas.resolve('lifeboat-copy', plan.primaryRegion)!;
  env.sandbox.lambdas.register(
    'lifeboat-copy',
    async (event, context) => {
      const images = (event as { input?: { images?: { workload: string }[] } }).input?.images ?? [];
      if (images.some((i) => lastBatch.has(i.workload))) env.sandbox.ec2.setFaults({ ...storm, concurrentCopyLimit: 0 });
      return copy(event, context);
    },
    { timeoutSeconds: TASK_TIMEOUT_SECONDS.copy },
  );
  const crashes = injectTaskFaults(env, { crash: 'alternate' }, seed).crashes;
  try {
    out('| attempt | status | events so far | failed step | error | passes in the failed batch (image / copy / verify) | simulated hours |');
    out('| --- | --- | --- | --- | --- | --- | --- |');
    let run = await env.runToEnd('backup');
    const first = run;
    for (let attempt = 0; attempt <= 3; attempt++) {
      const passes = passesByState(run.events);
      const last = (state: string) => passes.get(state)?.at(-1) ?? 0;
      const hours = ((run.stopDate?.getTime() ?? 0) - run.startDate.getTime()) / 3_600_000;
      out(`| ${attempt === 0 ? 'start' : `redrive ${attempt}`} | ${run.status} | ${fmt(run.events.length)} | ${failureOf(run).step ?? ''} | ${errorOf(run)} | ${last('Create images')} / ${last('Copy images')} / ${last('Verify copies')} | ${hours.toFixed(1)} |`);
      if (run.status !== 'FAILED' || attempt === 3) break;
      run = await env.redrive(run.executionArn);
    }
    out('');
    const passes = passesByState(first.events);
    const batches = (passes.get('Copy images') ?? []).length;
    out(`task crashes after their work (retried): ${fmt([...crashes.values()].reduce((a, b) => a + b, 0))}`);
    out(`first attempt: ${batches} batch(es) reached the copy loop; passes per batch — image ${JSON.stringify(passes.get('Create images'))}, copy ${JSON.stringify(passes.get('Copy images'))}, verify ${JSON.stringify(passes.get('Verify copies'))}`);
    out('');
    check(first.status === 'FAILED' && failureOf(first).step === 'Copy images' && ['Lifeboat.HistoryBudget', 'Lifeboat.Timeout'].includes(errorOf(first)), `the first attempt ends through the failure path at 'Copy images' (${errorOf(first)})`);
    check(first.events.some((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'Record batch failure'), "'Record batch failure' ran");
    check(batches === 10, `every batch ran (${batches} of 10)`);
    check(first.events.length <= worst.events, `first attempt ${fmt(first.events.length)} events <= model worst case ${fmt(worst.events)}`);
    check(run.events.length < HISTORY_EVENT_LIMIT && run.error !== 'States.Runtime', `after the redrives ${fmt(run.events.length)} events < ${fmt(HISTORY_EVENT_LIMIT)}, ended by ${errorOf(run)}`);
    check(errorOf(run) === 'Lifeboat.HistoryBudget', 'the redriven run stops at the near-limit guard');
    out('');
    out(`guard's cause: ${failureOf(run).cause}`);
    out('');
  } finally {
    await env.stop();
  }
}

async function drillScenario(): Promise<void> {
  const waves = 12;
  const plan = nearLimitPlan(waves);
  const worst = worstCase(plan).find((w) => w.workflow === 'drill')!;
  const caps = loopPassCaps(plan);
  out(`## Drill near the limit (seed ${seed})`);
  out('');
  out(`plan: 100 instances in ${waves} waves, drill.launchTimeoutMinutes ${plan.drill.launchTimeoutMinutes}; model worst case ${fmt(worst.events)} events (${worst.detail}); guard cap ${caps.drillLaunch} launch passes per wave`);
  out(`faults: status checks 55–57 min in every wave, 30% of EC2 calls throttled, every other task invocation crashes after its work; a wave-${waves} instance impaired`);
  out('');
  const env = await startLocalLifeboat({ plan, seed, startMs: START, latency: { statusChecks: { min: 3_300, max: 3_420 } } });
  try {
    const backup = await env.runToEnd('backup');
    if (backup.status !== 'SUCCEEDED') throw new Error(`setup backup ended ${backup.status}: ${backup.cause}`);
    env.sandbox.ec2.setFaults({ throttle: { '*': 0.3 }, impaired: [{ region: plan.recoveryRegion, tags: { [TAG_KEYS.workload]: plan.workloads.find((w) => w.wave === waves)!.name } }] });
    const crashes = injectTaskFaults(env, { crash: 'alternate' }, seed).crashes;
    const drill = await env.runToEnd('drill');
    out(`task crashes after their work (retried): ${fmt([...crashes.values()].reduce((a, b) => a + b, 0))}`);
    out('');
    const passes = passesByState(drill.events);
    const recovery = env.sandbox.ec2.region(plan.recoveryRegion);
    const mine = recovery.instances().filter((i) => i.tags[TAG_KEYS.role] === ROLES.drillInstance && i.tags[TAG_KEYS.executionArn] === drill.executionArn);
    const live = mine.filter((i) => i.state === 'pending' || i.state === 'running');
    const entered = (name: string) => drill.events.some((e) => e.type?.endsWith('StateEntered') && e.stateEnteredEventDetails?.name === name);
    const hours = ((drill.stopDate?.getTime() ?? 0) - drill.startDate.getTime()) / 3_600_000;
    out('| status | events | failed step | error | launch passes per wave | teardown passes | drill instances launched | left pending/running | simulated hours |');
    out('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    const teardown = [...passes.entries()].filter(([name]) => /tear/i.test(name)).map(([name, list]) => `${name} ${list.reduce((a, b) => a + (b ?? 0), 0)}`);
    out(`| ${drill.status} | ${fmt(drill.events.length)} | ${failureOf(drill).step ?? ''} | ${errorOf(drill)} | ${JSON.stringify(passes.get('Launch instances'))} | ${teardown.join(', ')} | ${mine.length} | ${live.length} | ${hours.toFixed(1)} |`);
    out('');
    check(drill.status === 'FAILED', `the drill failed (${drill.status}) at ${failureOf(drill).step}`);
    check(entered('Tear down after failure'), "its failure path tore down ('Tear down after failure')");
    check(live.length === 0, `${live.length} of ${mine.length} drill instances left pending or running`);
    check((passes.get('Launch instances') ?? []).length === waves, `every wave ran (${(passes.get('Launch instances') ?? []).length} of ${waves})`);
    check(drill.events.length <= worst.events, `${fmt(drill.events.length)} events <= model worst case ${fmt(worst.events)}`);
    check(drill.events.length < HISTORY_EVENT_LIMIT, `${fmt(drill.events.length)} events < ${fmt(HISTORY_EVENT_LIMIT)}`);
    out('');
  } finally {
    await env.stop();
  }
}

const wall0 = performance.now();
out('# Runs near the 25,000-event history limit on the sandbox');
out('');
if (values.only === undefined || values.only === 'backup') await backupScenario();
if (values.only === undefined || values.only === 'drill') await drillScenario();
out(`wall time ${((performance.now() - wall0) / 1000).toFixed(1)} s; ${checks.length === 0 ? 'every check held' : `${checks.length} check(s) FAILED`}`);
process.exitCode = checks.length === 0 ? 0 : 1;
