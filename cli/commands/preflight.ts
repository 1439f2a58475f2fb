import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import type { Plan } from '../../schemas/plan.js';
import type { Finding, PreflightInput, PreflightOutput, PreflightRecoverySet } from '../../schemas/tasks/preflight.js';
import { checkPlan } from '../../tasks/preflight/preflight.js';
import { awsServices } from '../../tasks/preflight/services.js';
import { type ConnectDependencies, type ConnectionOptions, LOCAL_CREDENTIALS, connectSfn } from '../aws.js';
import { ExitCode } from '../errors.js';
import type { Io } from '../io.js';
import { loadPlan } from '../plan-file.js';

/** Options of `lifeboat preflight`. */
export interface PreflightOptions extends ConnectionOptions {
  /** `--plan FILE`. */
  readonly plan: string;
  /** `--drill`: check what a drill launches (the isolated subnets and groups) instead of a failover. */
  readonly isDrill: boolean;
  readonly json: boolean;
}

/** What `lifeboat preflight --json` prints: the step's output, with every finding and recovery set. */
export interface PreflightResult extends Omit<PreflightOutput, 'findings' | 'recoverySets' | 'blockedWorkloads' | 'findingsTruncated' | 'recoverySetsTruncated'> {
  readonly plan: string;
  readonly mode: 'failover' | 'drill';
  readonly region: string;
  readonly findings: readonly Finding[];
  readonly recoverySets: readonly PreflightRecoverySet[];
  readonly blockedWorkloads: readonly string[];
}

/**
 * The `preflight` task's input for a plan, as the "Pre-flight checks" step of its failover or
 * drill builds it (workflows/failover/failover.ts).
 */
export function preflightInputOf(plan: Plan, mode: 'failover' | 'drill'): PreflightInput {
  return {
    planName: plan.name,
    region: plan.recoveryRegion,
    mode,
    objectives: { rpoMinutes: plan.objectives.rpoMinutes, rtoMinutes: plan.objectives.rtoMinutes },
    ...(plan.backup.kmsKeyId !== undefined ? { kmsKeyId: plan.backup.kmsKeyId } : {}),
    ...(mode === 'drill'
      ? { isolation: { subnetIds: [...plan.drill.isolatedSubnetIds], ...(plan.drill.securityGroupIds ? { securityGroupIds: [...plan.drill.securityGroupIds] } : {}) } }
      : {}),
    workloads: plan.workloads.map((w) => ({
      name: w.name,
      isCritical: w.critical,
      wave: w.wave,
      launch: {
        subnetIds: [...w.launch.subnetIds],
        securityGroupIds: [...w.launch.securityGroupIds],
        instanceTypes: [...w.launch.instanceTypes],
        ...(w.launch.keyName !== undefined ? { keyName: w.launch.keyName } : {}),
        ...(w.launch.instanceProfileArn !== undefined ? { instanceProfileArn: w.launch.instanceProfileArn } : {}),
        ...(w.launch.launchTemplate !== undefined ? { launchTemplate: { ...w.launch.launchTemplate } } : {}),
      },
    })),
    rtoModel: { ...plan.preflight.rtoModel },
    measuredDrills: plan.preflight.measuredDrills,
    ...(Object.keys(plan.tags).length > 0 ? { tags: { ...plan.tags } } : {}),
  };
}

/**
 * `lifeboat preflight --plan FILE [--drill] [--json] [--local]`: checks the plan against its
 * recovery region, changing nothing, with the very checks of the "Pre-flight checks" step (the
 * `preflight` task's code, run in this process with the CLI's credentials, so the answers are
 * this caller's, DryRun permissions included), and prints every finding.
 *
 * With `--local` it deploys nothing, not even the plan's fixture (which would re-create a removed
 * subnet, the kind of fault it must find): run a `--local` backup first, as for a drill.
 *
 * Exit 0 without a blocking finding (warnings allowed), {@link ExitCode.Blocked} (4) with one.
 */
export async function preflight(opts: PreflightOptions, io: Io, dependencies: ConnectDependencies = {}): Promise<ExitCode> {
  const command = 'lifeboat preflight';
  const plan = await loadPlan(opts.plan, command);
  const mode = opts.isDrill ? 'drill' : 'failover';
  const region = plan.recoveryRegion;
  const connection = await connectSfn({ ...opts, region: undefined }, dependencies);
  const clients: Array<{ destroy(): void }> = [];
  try {
    await connection.checkServed([region], command);
    const endpoint = connection.localEndpoint;
    const sdk = endpoint !== undefined ? { endpoint, credentials: { ...LOCAL_CREDENTIALS } } : opts.profile !== undefined ? { profile: opts.profile } : {};
    const ec2 = new EC2Client({ region, maxAttempts: 3, ...sdk });
    const cloudwatch = new CloudWatchClient({ region, maxAttempts: 3, ...sdk });
    clients.push(ec2, cloudwatch);
    const now = (await connection.now()) ?? io.now();
    const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
    io.progress(`${io.errStyle.green('▶')} pre-flight of plan ${plan.name} (${mode}) in ${region}${connection.isLocal ? ' (local sandbox)' : ''}`);
    const report = await checkPlan(
      preflightInputOf(plan, mode),
      {
        // Tags of the DryRun launch only: no execution exists.
        executionArn: `arn:aws:states:${region}:000000000000:execution:lifeboat-${plan.name}-${mode}:preflight-${stamp}`,
        stateName: 'lifeboat preflight',
        now,
        redriveCount: 0,
        ec2: () => ec2,
        cloudwatch: () => cloudwatch,
        sfn: (r) => connection.client(r),
        log: () => undefined,
      },
      awsServices({ ...sdk, maxAttempts: 3 }),
    );
    const { findingsTruncated: _f, recoverySetsTruncated: _r, ...rest } = report.output;
    const result: PreflightResult = {
      plan: plan.name,
      mode,
      region,
      ...rest,
      findings: report.findings,
      recoverySets: report.recoverySets,
      blockedWorkloads: report.blockedWorkloads,
    };
    io.result(opts.json ? result : renderPreflight(result));
    return result.blocking > 0 ? ExitCode.Blocked : ExitCode.Ok;
  } finally {
    for (const c of clients) c.destroy();
    await connection.close();
  }
}

/** Seconds as `1h 30m`, `16m`, `45s`. */
function duration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return h > 0 ? `${h}h${m > 0 ? ` ${m}m` : ''}` : `${m}m`;
}

/** The readable report: a summary line, the recovery sets, and one table row per finding. */
export function renderPreflight(r: PreflightResult): string {
  const lines: string[] = [];
  const verdict = r.blocking > 0 ? `BLOCKED: ${r.blocking} blocking finding(s)` : 'ready';
  lines.push(`Pre-flight of plan ${r.plan} (${r.mode}) in ${r.region} at ${r.checkedAt}: ${verdict}, ${r.warnings} warning(s)`);
  const rto = r.predictedRto;
  lines.push(
    `Predicted RTO ${duration(r.predictedRtoSeconds)} (objective ${duration(rto.objectiveSeconds)}; model ${duration(rto.modelSeconds)}${rto.measuredSeconds === null ? ', no drill measured' : `, slowest of the last ${rto.measuredDrills} drill(s) ${duration(rto.measuredSeconds)}`})`,
  );
  lines.push('');
  lines.push('Recovery sets:');
  const wide = Math.max(8, ...r.recoverySets.map((s) => s.workload.length));
  for (const s of r.recoverySets) {
    const age = s.ageSeconds === null ? 'none' : `${s.recoveryPointTime}  ${duration(s.ageSeconds)} old${s.ageSeconds > s.rpoObjectiveSeconds ? ` (over the RPO of ${duration(s.rpoObjectiveSeconds)})` : ''}`;
    lines.push(`  ${s.workload.padEnd(wide)}  ${age}`);
  }
  if (r.findings.length === 0) {
    lines.push('', 'No findings.');
    return lines.join('\n');
  }
  lines.push('');
  const head = ['SEVERITY', 'WORKLOAD', 'CHECK', 'EXPECTED', 'FOUND', 'FIX'];
  const rows = r.findings.map((f) => [f.severity, f.workload, f.check, f.expected, f.found, f.fix]);
  const widths = head.slice(0, 3).map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  lines.push(`${head.slice(0, 3).map((h, i) => h.padEnd(widths[i])).join('  ')}  DETAIL`);
  for (const row of rows) {
    const lead = row.slice(0, 3).map((c, i) => c.padEnd(widths[i])).join('  ');
    const indent = ' '.repeat(lead.length + 2);
    lines.push(`${lead}  expected ${row[3]}`);
    lines.push(`${indent}found    ${row[4]}`);
    lines.push(`${indent}fix      ${row[5]}`);
  }
  if (r.throttled !== undefined) lines.push('', `Not checked (throttled): ${r.throttled.join('; ')}`);
  return lines.join('\n');
}
