import { type Plan, PlanError, formatPlanIssue, parsePlan } from '../../schemas/plan.js';
import { HISTORY_EVENT_LIMIT, checkBudget, worstCase } from '../../workflows/budget.js';
import { PAYLOAD_QUOTA_BYTES, checkPayloads, largestArguments, type LargestArguments } from '../../workflows/payload.js';
import { ExitCode } from '../errors.js';
import type { Io } from '../io.js';
import { RUN_KINDS, stateMachineName, stateMachineRegion } from '../machines.js';
import { readPlanDocument } from '../plan-file.js';
import { expectedBackupText, minutesText, rpoExposure, rpoWarnings } from '../../workflows/rpo/exposure.js';
import { scaleReport } from '../../workflows/scale.js';

/** Options of `lifeboat plan check`. */
export interface PlanCheckOptions {
  /** The plan file. */
  readonly file: string;
  /** Print one JSON document instead of text. @default false */
  readonly json: boolean;
}

/**
 * `lifeboat plan check FILE`: validates a plan and prints every issue, or a short summary.
 *
 * Warns on stderr (and in `--json`'s `warnings`) when the backup schedule cannot keep the RPO
 * objective (`workflows/rpo/exposure.ts`); warnings do not change the exit code. The summary's
 * `scale` line says which shape the runs take and, for an inline plan with tag selectors, how many
 * instances they may match (`scaleReport`, workflows/scale.ts).
 * Exit 0 on a valid plan, 1 on an invalid one (one line per issue on stdout:
 * `<file> › <path>: expected …, found …`), 2 when the file is missing or not JSON (thrown).
 */
export async function planCheck(opts: PlanCheckOptions, io: Io): Promise<ExitCode> {
  const document = await readPlanDocument(opts.file, 'lifeboat plan check');
  let plan: Plan;
  let payloads: LargestArguments[];
  try {
    plan = parsePlan(document.json, document.source);
    // A plan whose worst case cannot finish within Step Functions' history limit is refused too,
    // and so is one whose workload table would not fit a task's input (workflows/payload.ts).
    payloads = largestArguments(plan);
    const budget = [...checkBudget(plan), ...checkPayloads(plan, payloads)];
    if (budget.length > 0) throw new PlanError(document.source, budget);
  } catch (error) {
    if (!(error instanceof PlanError)) throw error;
    if (opts.json) {
      io.result({ file: opts.file, isValid: false, issues: error.issues });
    } else {
      io.result(error.issues.map((issue) => formatPlanIssue(document.source, issue)).join('\n'));
      io.error(`${io.errStyle.red('✗')} ${opts.file}: ${error.issues.length} ${error.issues.length === 1 ? 'issue' : 'issues'}; the plan is not valid`);
    }
    return ExitCode.Failed;
  }
  // Warnings, not errors: the plan deploys and runs, but will not keep its RPO objective.
  const warnings = rpoWarnings(plan);
  io.result(opts.json ? { file: opts.file, isValid: true, warnings, plan } : summarise(opts.file, plan, io, payloads));
  if (!opts.json) for (const warning of warnings) io.warn(`${opts.file} › ${warning}`);
  return ExitCode.Ok;
}

function summarise(file: string, plan: Plan, io: Io, payloads: readonly LargestArguments[]): string {
  const largest = payloads.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const { bold, green } = io.style;
  const critical = plan.workloads.filter((w) => w.critical).length;
  const waves = [...new Set(plan.workloads.map((w) => w.wave))].sort((a, b) => a - b);
  const lines = [
    `${green('✓')} ${file}: plan ${bold(JSON.stringify(plan.name))} is valid`,
    `  regions     ${plan.primaryRegion} → ${plan.recoveryRegion}`,
    `  objectives  RPO ${plan.objectives.rpoMinutes} min, RTO ${plan.objectives.rtoMinutes} min`,
    ...workloadLines(plan, critical, waves),
    `  backup      ${plan.backup.schedule} (${plan.backup.timezone}), expected to take ${backupText(plan)}`,
    `  drill       ${plan.drill.schedule} (${plan.drill.timezone})`,
    `  history     worst case ${worstCase(plan)
      .map((w) => `${w.workflow} ${w.events.toLocaleString('en-US')}`)
      .join(', ')} events (limit ${HISTORY_EVENT_LIMIT.toLocaleString('en-US')})`,
    `  scale       ${scaleReport(plan)}`,
    `  payloads    largest task input ${(largest.bytes / 1024).toFixed(1)} KiB ("${largest.state}", ${largest.workflow}; limit ${PAYLOAD_QUOTA_BYTES / 1024} KiB)`,
    `  machines    ${RUN_KINDS.map((kind) => `${stateMachineName(plan.name, kind)} (${stateMachineRegion(plan, kind)})`).join(', ')}`,
  ];
  return lines.join('\n');
}

/** A plan with more workloads than this is summarized per wave instead of listed. */
const WORKLOADS_LISTED = 10;
/** Names shown per wave, and waves shown, in a summarized plan. */
const NAMES_PER_WAVE = 3;
const WAVES_SHOWN = 10;

/**
 * The `workloads` lines: a small plan lists every workload on one line; a larger one gets a line
 * per wave with its counts and first names ("and N more"), so a 5,000-workload plan stays readable.
 */
function workloadLines(plan: Plan, critical: number, waves: readonly number[]): string[] {
  const count = (n: number) => n.toLocaleString('en-US');
  const head = `  workloads   ${count(plan.workloads.length)} (${count(critical)} critical) in ${waves.length} ${waves.length === 1 ? 'wave' : 'waves'}`;
  if (plan.workloads.length <= WORKLOADS_LISTED) {
    return [`${head}: ${plan.workloads.map((w) => `${w.name}${w.critical ? '' : ' (optional)'} [wave ${w.wave}]`).join(', ')}`];
  }
  const lines = [head];
  for (const wave of waves.slice(0, WAVES_SHOWN)) {
    const members = plan.workloads.filter((w) => w.wave === wave);
    const optional = members.filter((w) => !w.critical).length;
    const names = members.slice(0, NAMES_PER_WAVE).map((w) => `${w.name}${w.critical ? '' : ' (optional)'}`);
    const more = members.length > NAMES_PER_WAVE ? ` and ${count(members.length - NAMES_PER_WAVE)} more` : '';
    lines.push(`              wave ${wave}: ${count(members.length)} (${count(optional)} optional): ${names.join(', ')}${more}`);
  }
  if (waves.length > WAVES_SHOWN) {
    const rest = plan.workloads.filter((w) => w.wave > waves[WAVES_SHOWN - 1]!).length;
    lines.push(`              and ${waves.length - WAVES_SHOWN} more waves (${count(rest)} workloads, waves ${waves[WAVES_SHOWN]}–${waves.at(-1)}); --json lists them all`);
  }
  return lines;
}

/** The expected backup duration and how it was made (workflows/rpo/exposure.ts). */
function backupText(plan: Plan): string {
  const e = rpoExposure(plan);
  // A tag selector counts as one instance until run time: the figure is then a floor, not an estimate.
  return `${e.selectorCount > 0 ? 'at least' : 'about'} ${minutesText(e.backupMinutes)} (${expectedBackupText(e)})`;
}
