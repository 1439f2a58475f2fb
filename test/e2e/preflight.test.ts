import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { preflight, type PreflightResult } from '../../cli/commands/preflight.js';
import { ExitCode } from '../../cli/errors.js';
import { createBufferIo } from '../../cli/io.js';
import type { LocalLifeboat } from '../../cli/local/session.js';
import { ROLES, TAG_KEYS } from '../../schemas/tags.js';
import { backedUpLifeboat, failure, statesEntered } from './helpers.js';

/*
 * Each broken precondition, on the sandbox: `lifeboat preflight --local` finds it (the CLI's code,
 * in process, against the running sandbox), and a drill started afterwards stops at "Pre-flight
 * checks" before any instance exists. The faults are the sandbox's own (sandbox/ec2/README.md,
 * sandbox/kms, sandbox/servicequotas): a removed subnet, an instance type withdrawn from a zone,
 * an EC2 action denied, a disabled key, a lowered vCPU quota.
 */

let env: LocalLifeboat;
let planFile: string;

beforeAll(async () => {
  ({ env } = await backedUpLifeboat());
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  planFile = join(mkdtempSync(join(tmpdir(), 'lifeboat-preflight-')), 'plan.json');
  writeFileSync(planFile, JSON.stringify(env.plan));
}, 300_000);
afterAll(async () => env?.stop());

/** `lifeboat preflight --plan FILE --drill --local --json`, in process against the test's sandbox. */
async function preflightCli(): Promise<{ code: ExitCode; result: PreflightResult; stdout: string }> {
  const io = createBufferIo();
  const code = await preflight({ plan: planFile, isDrill: true, json: true, isLocal: true }, io, {
    resolveLocalEndpoint: async () => ({ endpoint: env.sandbox.endpoint, region: env.plan.recoveryRegion, close: async () => undefined }),
  });
  return { code, result: JSON.parse(io.stdout()) as PreflightResult, stdout: io.stdout() };
}

function drillInstances(): unknown[] {
  return env.sandbox.ec2
    .region(env.plan.recoveryRegion)
    .instances()
    .filter((i) => i.tags[TAG_KEYS.role] === ROLES.drillInstance && i.tags[TAG_KEYS.plan] === env.plan.name);
}

/** Runs a drill and checks it stopped at the checks, naming `check`, with no drill instance ever created. */
async function expectDrillStopped(check: string): Promise<void> {
  const before = drillInstances().length;
  const drill = await env.runToEnd('drill');
  expect(drill.status).toBe('FAILED');
  const entered = statesEntered(drill.events);
  expect(entered).toContain('Pre-flight checks');
  expect(entered).not.toContain('Resolve recovery points');
  expect(entered.some((s) => s.startsWith('Launch'))).toBe(false);
  const f = failure(drill.events)!;
  expect(f.error).toBe('Lifeboat.StepFailed');
  expect(f.cause).toContain('step "Pre-flight checks" failed with Lifeboat.PreflightBlocked');
  expect(f.cause).toContain(check);
  expect(drillInstances().length).toBe(before);
}

describe('e2e: pre-flight on the sandbox', () => {
  test('a healthy plan has no blocking finding: preflight exits 0 and the drill passes its checks', { timeout: 300_000 }, async () => {
    const { code, result } = await preflightCli();
    expect(result.findings.filter((f) => f.severity === 'blocking')).toEqual([]);
    expect(code).toBe(ExitCode.Ok);
    expect(result.recoverySets.every((s) => s.ageSeconds !== null)).toBe(true);
    const drill = await env.runToEnd('drill');
    expect(drill.status, drill.cause).toBe('SUCCEEDED');
    expect(statesEntered(drill.events).slice(0, 3)).toEqual(['Start recovery', 'Pre-flight checks', 'Pre-flight passed?']);
    expect((drill.output as { preflight: { blocking: number } }).preflight.blocking).toBe(0);
  });

  test('a removed isolated subnet is found, and stops the drill before any instance exists', { timeout: 300_000 }, async () => {
    const subnet = env.plan.drill.isolatedSubnetIds[0];
    env.sandbox.ec2.removeSubnet(env.plan.recoveryRegion, subnet);
    try {
      const { code, result } = await preflightCli();
      expect(code).toBe(ExitCode.Blocked);
      expect(result.findings).toContainEqual(expect.objectContaining({ check: 'subnet', severity: 'blocking', expected: `subnet ${subnet} in ${env.plan.recoveryRegion}` }));
      await expectDrillStopped('subnet');
    } finally {
      // the fixture seeds the subnet again on a fresh sandbox only: re-add it
      env.sandbox.ec2.seedSubnets(env.plan.recoveryRegion, [{ subnetId: subnet }]);
    }
  });

  test('an instance type withdrawn from every zone is found, and stops the drill', { timeout: 300_000 }, async () => {
    const types = [...new Set(env.plan.workloads.flatMap((w) => w.launch.instanceTypes))];
    for (const t of types) env.sandbox.ec2.withdrawInstanceType(env.plan.recoveryRegion, t);
    try {
      const { code, result } = await preflightCli();
      expect(code).toBe(ExitCode.Blocked);
      expect(result.findings).toContainEqual(expect.objectContaining({ check: 'instance-type-offering', severity: 'blocking', found: expect.stringContaining('not offered') }));
      await expectDrillStopped('instance-type-offering');
    } finally {
      for (const t of types) env.sandbox.ec2.restoreInstanceType(env.plan.recoveryRegion, t);
    }
  });

  test('a denied RunInstances is found by the DryRun, and stops the drill', { timeout: 300_000 }, async () => {
    env.sandbox.ec2.deny({ action: 'RunInstances' });
    try {
      const { code, result } = await preflightCli();
      expect(code).toBe(ExitCode.Blocked);
      expect(result.findings).toContainEqual(expect.objectContaining({ check: 'dry-run', severity: 'blocking', found: expect.stringMatching(/^UnauthorizedOperation/) }));
      await expectDrillStopped('UnauthorizedOperation');
    } finally {
      env.sandbox.ec2.allow();
    }
  });

  test('a disabled KMS key of the copies is found, and stops the drill', { timeout: 300_000 }, async () => {
    const key = env.plan.backup.kmsKeyId!;
    env.sandbox.kms.setEnabled(env.plan.recoveryRegion, key, false);
    try {
      const { code, result } = await preflightCli();
      expect(code).toBe(ExitCode.Blocked);
      expect(result.findings).toContainEqual(expect.objectContaining({ workload: '*', check: 'kms-key', severity: 'blocking', found: 'key state Disabled' }));
      await expectDrillStopped('kms-key');
    } finally {
      env.sandbox.kms.setEnabled(env.plan.recoveryRegion, key, true);
    }
  });

  test('an On-Demand vCPU quota lowered below what the drill launches is found, and stops the drill', { timeout: 300_000 }, async () => {
    const region = env.plan.recoveryRegion;
    const before = env.sandbox.servicequotas.quota(region, 'ec2', 'L-1216C47A');
    env.sandbox.servicequotas.setQuota(region, 'ec2', 'L-1216C47A', 2);
    try {
      const { code, result } = await preflightCli();
      expect(code).toBe(ExitCode.Blocked);
      expect(result.findings).toContainEqual(
        expect.objectContaining({ workload: '*', check: 'vcpu-quota', severity: 'blocking', found: '2 vCPUs', fix: expect.stringContaining('--quota-code L-1216C47A') }),
      );
      await expectDrillStopped('vcpu-quota');
    } finally {
      if (before !== undefined) env.sandbox.servicequotas.setQuota(region, 'ec2', 'L-1216C47A', before);
    }
  });

  test('a failover stops on a blocking finding, and with {"onBlockingFindings": "proceed"} recovers what it can, listing what it skipped', { timeout: 300_000 }, async () => {
    // GIVEN the subnet only web and reports can use in their ladders' last rung is gone
    const subnet = 'subnet-0aa11bb22cc330003';
    env.sandbox.ec2.removeSubnet(env.plan.recoveryRegion, subnet);
    try {
      // WHEN a failover starts with the plan's default (stop)
      const stopped = await env.runToEnd('failover');
      // THEN it ends FAILED at the recorder, naming the checks, having launched nothing
      expect(stopped.status).toBe('FAILED');
      expect(statesEntered(stopped.events)).not.toContain('Resolve recovery points');
      expect(failure(stopped.events)?.cause).toContain('Lifeboat.PreflightBlocked');
      // WHEN it is started to proceed with what can be recovered
      const proceeded = await env.runToEnd('failover', { onBlockingFindings: 'proceed' });
      // THEN db is recovered, web and reports are skipped and listed
      expect(proceeded.status, proceeded.cause).toBe('SUCCEEDED');
      const output = proceeded.output as { preflightSkipped: string[]; preflight: { blocking: number }; instances: { workload: string }[][] };
      expect(output.preflightSkipped).toEqual(['reports', 'web']);
      expect(output.preflight.blocking).toBeGreaterThan(0);
      expect([...new Set(output.instances.flat().map((i) => i.workload))]).toEqual(['db']);
    } finally {
      env.sandbox.ec2.seedSubnets(env.plan.recoveryRegion, [{ subnetId: subnet }]);
    }
  });
});
