/**
 * `npm run campaign`: the seeded fault campaign of issue 7 on the sandbox. For each fault (see
 * `FaultKind` in `bench/campaign-runs.ts`), `--runs` seeds, each one backup, one drill and one
 * failover of the three-tier example plan. Prints, per fault and kind, first-attempt successes,
 * failures and their retry outcome, duplicates, drill instances left running, and the retries the
 * fault caused; every failed run's step and cause; exits 1 if a target is missed.
 *
 * Targets: throttling at 30 %, crashes, duplicate invocations, capacity: every run succeeds;
 * throttling at 60 %: at least 95 %, the rest FAILED naming step and cause and succeeding on
 * redrive (drills: on a new run); impaired instances (drill, failover) and a region outage
 * (backup): a run may fail, naming step and cause, and succeeds once retried after the fault is
 * gone; everywhere 0 duplicates and 0 drill instances left running.
 *
 *   npm run campaign                                      # 30 seeds at 30% and 60% throttling
 *   npm run campaign -- --runs 50 --faults all            # every fault kind
 *   npm run campaign -- --runs 5 --faults crash:0.3,impaired
 */
import { parseArgs } from 'node:util';
import { faultLabel, runFaultSeed, summarise, type CampaignFault, type CampaignRun, type FaultKind } from './campaign-runs.js';

const ALL_FAULTS = 'throttle:0.3,throttle:0.6,crash:0.3,duplicate:0.3,capacity,impaired,outage';
const KINDS: readonly FaultKind[] = ['throttle', 'crash', 'duplicate', 'capacity', 'impaired', 'outage'];

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    /** Kept for the throttling campaign: `--rates 0.3,0.6` is `--faults throttle:0.3,throttle:0.6`. */
    rates: { type: 'string' },
    faults: { type: 'string' },
    'first-seed': { type: 'string', default: '1' },
  },
});

function parseFaults(text: string): CampaignFault[] {
  return (text === 'all' ? ALL_FAULTS : text).split(',').map((item) => {
    const [kind, rate] = item.trim().split(':');
    if (!KINDS.includes(kind as FaultKind)) throw new Error(`--faults: unknown fault ${JSON.stringify(kind)}; expected one of ${KINDS.join(', ')} (a rate after ':' for throttle, crash, duplicate), or 'all'`);
    const needsRate = kind === 'throttle' || kind === 'crash' || kind === 'duplicate';
    const r = rate === undefined ? undefined : Number(rate);
    if (needsRate && !(r !== undefined && r >= 0 && r <= 1)) throw new Error(`--faults: ${kind} needs a rate in [0, 1] after ':', found ${JSON.stringify(item)}`);
    return needsRate ? { kind: kind as FaultKind, rate: r } : { kind: kind as FaultKind };
  });
}

const runs = Number(values.runs);
const firstSeed = Number(values['first-seed']);
let faults: CampaignFault[];
try {
  faults =
    values.faults !== undefined
      ? parseFaults(values.faults)
      : (values.rates ?? '0.3,0.6').split(',').map((r) => ({ kind: 'throttle' as const, rate: Number(r) }));
  if (faults.some((f) => f.rate !== undefined && !(f.rate >= 0 && f.rate <= 1))) throw new Error(`--rates: numbers in [0, 1], found ${values.rates}`);
} catch (error) {
  process.stderr.write(`campaign: ${(error as Error).message}\n`);
  process.exit(2);
}
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(firstSeed)) {
  process.stderr.write(`campaign: --runs must be a positive integer and --first-seed an integer; found ${JSON.stringify(values)}\n`);
  process.exit(2);
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const pct = (n: number, d: number) => `${((100 * n) / Math.max(d, 1)).toFixed(1)}%`;
const all: CampaignRun[] = [];
/** Failures of the harness itself (e.g. a socket reset between this process and the sandbox), not of a run: the seed is run again. */
const harnessErrors: string[] = [];
const wall0 = performance.now();
for (const fault of faults) {
  for (let seed = firstSeed; seed < firstSeed + runs; seed++) {
    for (let attempt = 1; ; attempt++) {
      try {
        all.push(...(await runFaultSeed(fault, seed)));
        break;
      } catch (error) {
        harnessErrors.push(`${faultLabel(fault)} seed ${seed} attempt ${attempt}: ${(error as Error).name}: ${(error as Error).message}`);
        if (attempt >= 3) throw error;
      }
    }
    process.stderr.write(`\r${faultLabel(fault)}: seed ${seed - firstSeed + 1}/${runs}   `);
  }
  process.stderr.write('\n');
}

out(`# Fault campaign (three-tier plan, seeds ${firstSeed}..${firstSeed + runs - 1}, sandbox virtual clock)`);
out('');
out('| fault | kind | target | runs | succeeded | failed → retry ok | duplicates | drill instances left running | Throttled retries | calls left for next pass | crash retries | duplicated invocations | substituted | mean simulated min | met |');
out('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
let missed = 0;
for (const s of summarise(all)) {
  out(
    `| ${s.fault} | ${s.kind} | ${s.target} | ${s.runs} | ${s.succeeded} (${pct(s.succeeded, s.runs)}) | ${s.failed.length} → ${s.retrySucceeded} | ${s.duplicates} | ${s.kind === 'drill' ? s.leftRunning : '–'} | ${s.throttleRetries} | ${s.throttledInPasses} | ${s.crashRetries} | ${s.duplicatedInvocations} | ${s.kind === 'backup' ? '–' : s.substitutions} | ${s.meanSimulatedMinutes.toFixed(1)} | ${s.met ? 'yes' : 'NO'} |`,
  );
  if (!s.met) missed++;
}
const failed = all.filter((r) => r.status !== 'SUCCEEDED');
out('');
out(failed.length === 0 ? 'No run failed.' : '## Failed runs');
for (const f of failed) {
  out(`- ${f.fault} ${f.kind} seed ${f.seed}: ${f.status} at step "${f.failedStep}"; ${f.kind === 'drill' ? 'new drill' : 'redrive'} ${f.retryStatus}; cause: ${f.cause}`);
}
if (harnessErrors.length > 0) {
  out('');
  out(`Harness errors (the seed was run again on a fresh sandbox; not run outcomes): ${harnessErrors.length}`);
  for (const e of harnessErrors) out(`- ${e}`);
}
out('');
out(`wall time: ${((performance.now() - wall0) / 1000).toFixed(1)} s; targets: ${missed === 0 ? 'all met' : `${missed} MISSED`}`);
process.exitCode = missed === 0 ? 0 : 1;
