/**
 * The near-limit guard on the sandbox (issue 7, "runs that can finish"; docs/decisions/0005).
 *
 * A 100-instance plan in batches of 10, whose worst-case backup history (every loop to its
 * deadline, the failure path, retries, the storm reserve) is just under 25,000 events, backed up
 * while the recovery region accepts no copy (`concurrentCopyLimit` 0): every batch's copy loop
 * runs to its deadline and the run fails with `Lifeboat.Timeout`; each redrive gives the copy
 * loops a fresh deadline, so the run makes more passes than planned. The guard must end it at
 * `Record batch failure` with `Lifeboat.HistoryBudget` (naming the step, the passes spent and
 * what to do) while the history is still below 25,000 events, instead of `States.Runtime`.
 *
 *   node --import tsx bench/history-guard.ts            # prints each attempt; exits 1 if the guard did not hold
 */
import { startLocalLifeboat } from '../cli/local/session.js';
import { parsePlan } from '../schemas/plan.js';
import { HISTORY_EVENT_LIMIT, loopPassCaps, worstCase } from '../workflows/budget.js';
import { failureOf } from './campaign-runs.js';

const plan = parsePlan(
  {
    name: 'near-limit',
    primaryRegion: 'eu-west-1',
    recoveryRegion: 'eu-central-1',
    objectives: { rpoMinutes: 240, rtoMinutes: 60 },
    backup: { batchSize: 10 },
    workloads: Array.from({ length: 100 }, (_, i) => ({
      name: `app-${i + 1}`,
      instanceIds: [`i-0${(i + 1).toString(16).padStart(16, '0')}`],
      launch: { subnetIds: ['subnet-0aa11bb22cc330001'], instanceTypes: ['m5.large'] },
    })),
    drill: { isolatedSubnetIds: ['subnet-0dd44ee55ff660001'] },
  },
  'bench/history-guard.ts',
);

const out = (line: string) => process.stdout.write(`${line}\n`);
const worst = worstCase(plan).find((w) => w.workflow === 'backup')!;
const caps = loopPassCaps(plan);
out(`# Near-limit guard on the sandbox`);
out('');
out(`plan: 100 instances, backup.batchSize 10; worst-case backup history ${worst.events.toLocaleString('en-US')} events (limit ${HISTORY_EVENT_LIMIT.toLocaleString('en-US')})`);
out(`guard caps (passes per loop per execution): image ${caps.image}, copy ${caps.copy}, verify ${caps.verify}, prune ${caps.prune}`);
out('fault: concurrentCopyLimit 0 in every region (no copy ever starts)');
out('');
out('| attempt | status | events so far | failed step | error |');
out('| --- | --- | --- | --- | --- |');

const env = await startLocalLifeboat({ plan, seed: 7, startMs: Date.parse('2026-11-25T10:00:00.000Z'), faults: { concurrentCopyLimit: 0 } });
let ok = false;
try {
  let run = await env.runToEnd('backup');
  for (let attempt = 1; attempt <= 6; attempt++) {
    const { step, cause } = failureOf(run);
    const error = /failed with (Lifeboat\.[A-Za-z]+|States\.[A-Za-z]+)/.exec(cause ?? '')?.[1] ?? run.error ?? '';
    out(`| ${attempt === 1 ? 'start' : `redrive ${attempt - 1}`} | ${run.status} | ${run.events.length.toLocaleString('en-US')} | ${step ?? ''} | ${error} |`);
    if (run.status !== 'FAILED') break;
    if (error === 'Lifeboat.HistoryBudget') {
      ok = run.events.length < HISTORY_EVENT_LIMIT;
      out('');
      out(`cause: ${cause}`);
      break;
    }
    if (run.events.length >= HISTORY_EVENT_LIMIT || run.error === 'States.Runtime') break;
    run = await env.redrive(run.executionArn);
  }
} finally {
  await env.stop();
}
out('');
out(ok ? 'guard held: the run took its failure path below the limit' : 'guard did NOT hold');
process.exitCode = ok ? 0 : 1;
