/**
 * The leftover campaign (issue 7, "Nothing left behind"): failed drills on the sandbox, seeded,
 * and what they leave running before and after the collector.
 *
 * Per seed: a clean backup, then a drill under a storm in the recovery region (`--throttle`
 * fraction of every EC2 call throttled, one workload's status checks impaired (`--impaired`,
 * default db, the first wave; `web` fails the second wave, after db is up), so the drill fails),
 * then the recovery region's collector. Counts drill instances pending/running/stopping/
 * stopped after the drill and after the collector, and where each drill ended.
 *
 * Run: `node --import tsx bench/leftovers.ts [--seeds 20] [--throttle 0.6] [--impaired db|web|reports]`
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startLocalLifeboat } from '../cli/local/session.js';
import { parsePlan } from '../schemas/plan.js';
import { ROLES, TAG_KEYS } from '../schemas/tags.js';

const { values } = parseArgs({
  options: { seeds: { type: 'string', default: '20' }, throttle: { type: 'string', default: '0.6' }, impaired: { type: 'string', default: 'db' } },
});
const seeds = Number(values.seeds);
const throttle = Number(values.throttle);
const file = 'examples/three-tier.plan.json';
const plan = parsePlan(JSON.parse(readFileSync(file, 'utf8')), file);
if (!plan.workloads.some((w) => w.name === values.impaired)) {
  process.stderr.write(`leftovers: --impaired must name a workload of ${file} (${plan.workloads.map((w) => w.name).join(', ')}), found ${JSON.stringify(values.impaired)}\n`);
  process.exit(2);
}
const LIVE = new Set(['pending', 'running', 'stopping', 'stopped']);
const out = (line: string) => process.stdout.write(`${line}\n`);

let failedDrills = 0;
let launched = 0;
let liveAfterDrill = 0;
let liveAfterCollector = 0;
let endedAtTeardownFailed = 0;
let setupFailures = 0;
for (let seed = 1; seed <= seeds; seed++) {
  const env = await startLocalLifeboat({ plan, seed, startMs: Date.parse('2026-11-25T10:00:00.000Z') });
  try {
    const backup = await env.runToEnd('backup');
    if (backup.status !== 'SUCCEEDED') {
      setupFailures += 1;
      continue;
    }
    env.sandbox.ec2.setFaults({ throttle: { '*': throttle }, impaired: [{ region: plan.recoveryRegion, tags: { [TAG_KEYS.workload]: values.impaired } }] });
    const drill = await env.runToEnd('drill');
    const recovery = env.sandbox.ec2.region(plan.recoveryRegion);
    const mine = () => recovery.instances().filter((i) => i.tags[TAG_KEYS.role] === ROLES.drillInstance && i.tags[TAG_KEYS.executionArn] === drill.executionArn);
    if (drill.status !== 'SUCCEEDED') failedDrills += 1;
    if (drill.events.some((e) => e.type === 'FailStateEntered' && e.stateEnteredEventDetails?.name === 'Teardown failed')) endedAtTeardownFailed += 1;
    launched += mine().length;
    const afterDrill = mine().filter((i) => LIVE.has(i.state)).length;
    liveAfterDrill += afterDrill;
    // the collector runs under the same storm
    const collected = await env.runToEnd('collectRecovery');
    const afterCollector = mine().filter((i) => LIVE.has(i.state)).length;
    liveAfterCollector += afterCollector;
    out(`seed ${seed}: drill ${drill.status}, ${mine().length} drill instance(s) launched, live after drill ${afterDrill}, collector ${collected.status}, live after collector ${afterCollector}`);
  } finally {
    await env.stop();
  }
}
out('');
out(`# leftovers at ${Math.round(throttle * 100)}% throttling + impaired ${values.impaired}, ${seeds} seeds`);
out(`failed drills: ${failedDrills}; ended at 'Teardown failed': ${endedAtTeardownFailed}; setup backups that failed: ${setupFailures}`);
out(`drill instances launched: ${launched}; live after the drills: ${liveAfterDrill}; live after the collector: ${liveAfterCollector}`);
process.exitCode = liveAfterDrill === 0 && liveAfterCollector === 0 ? 0 : 1;
