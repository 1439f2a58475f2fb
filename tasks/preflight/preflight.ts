import { type MetricDataQuery, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  type EC2Client,
  RunInstancesCommand,
  type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { ROLES } from '../../schemas/tags.js';
import {
  type Finding,
  PLAN_WIDE,
  PREFLIGHT_INLINE_MAX,
  type PreflightCheck,
  type PreflightInput,
  type PreflightOutput,
  type PreflightRecoverySet,
  vcpuQuotaOf,
} from '../../schemas/tasks/preflight.js';
import type { TaskContext } from '../_shared/define-task.js';
import { errorCodeOf } from '../_shared/ec2-errors.js';
import { describeInstances, filters, MAX_FILTER_VALUES } from '../_shared/ec2.js';
import { METRIC_NAMESPACE } from '../_shared/metrics.js';
import type { RecoverySet } from '../_shared/recovery-sets.js';
import { chunk, lifeboatTags } from '../_shared/tags.js';
import { PassNotes } from '../_shared/tolerate.js';
import { findRecoverySets } from '../_shared/recovery-sets.js';
import { pickRecoveryPoints } from '../resolve-recovery-points/resolve-recovery-points.js';
import { awsServices, type PreflightServices } from './services.js';

/**
 * `preflight`: checks a failover's or drill's plan against the recovery region, per workload,
 * changing nothing (docs/contracts.md, "Pre-flight"):
 *
 * - the recovery set a run would restore (chosen exactly as `resolve-recovery-points` does), and
 *   its age against the RPO objective;
 * - the copies' KMS key: exists, `Enabled`, symmetric encrypt/decrypt (`DescribeKey`);
 * - subnets, security groups (in their subnet's VPC), key pairs and instance profiles exist;
 * - every instance type of each ladder is offered in its subnets' zones (`DescribeInstanceTypeOfferings`);
 * - the On-Demand vCPU quotas (Service Quotas) cover what the run launches plus what runs now;
 * - `RunInstances` with `DryRun` per distinct launch configuration answers `DryRunOperation`;
 * - a predicted RTO from the plan's model and the last drills' measured `RecoveryTimeSeconds`.
 *
 * Calls are made once per distinct subnet, group, key pair, profile, type, zone, quota and launch
 * configuration, however many workloads share them. A throttled or transient read never fails the
 * step (docs/decisions/0005): the check it served becomes a warning ("not checked"), and the call
 * is listed in `throttled`; another error of a read becomes a warning naming its code. The output
 * holds counts and at most {@link PREFLIGHT_INLINE_MAX} findings (blocking first); the whole report
 * goes to `<reportStore.prefix>/preflight.json` when a store is given.
 *
 * @param services KMS, Service Quotas and IAM reads (tests pass their own); by default SDK clients
 *   made for this invocation from the environment's configuration
 */
export async function preflight(input: PreflightInput, context: TaskContext, services: PreflightServices = awsServices()): Promise<PreflightOutput> {
  return (await checkPlan(input, context, services)).output;
}

/** What {@link checkPlan} found: the task's bounded output, and every finding and recovery set. */
export interface PreflightReport {
  readonly output: PreflightOutput;
  /** Every finding, blocking first (the output keeps the first {@link PREFLIGHT_INLINE_MAX}). */
  readonly findings: readonly Finding[];
  readonly recoverySets: readonly PreflightRecoverySet[];
  readonly blockedWorkloads: readonly string[];
}

/**
 * The checks of {@link preflight}, returning the whole report beside the output: what
 * `lifeboat preflight` calls in-process with its own clients (the same code as the step).
 */
export async function checkPlan(input: PreflightInput, context: TaskContext, services: PreflightServices = awsServices()): Promise<PreflightReport> {
  return new PreflightRun(input, context, services).check();
}

/** One workload as the run would launch it. */
interface Planned {
  readonly name: string;
  readonly isCritical: boolean;
  readonly wave: number;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly instanceTypes: readonly string[];
  readonly keyName?: string;
  readonly instanceProfileArn?: string;
  readonly launchTemplate?: PreflightInput['workloads'][number]['launch']['launchTemplate'];
  /** The recovery points to launch (empty: none found, or not known because the read was throttled). */
  points: { imageId: string; sourceInstanceId: string; recoveryPointTime: string }[];
}

/**
 * vCPUs of an instance type from its size, when EC2 did not say (`DescribeInstanceTypes` throttled
 * or not answered): `large` 2, `xlarge` 4, `<n>xlarge` 4n; `medium` 2 for burstable types, else 1;
 * `nano`/`micro`/`small` 1 for t2, else 2; `metal` counted as 96. An estimate on the generous side.
 */
export function vcpusFromSize(instanceType: string): number {
  const [family = '', size = ''] = instanceType.toLowerCase().split('.');
  const n = /^(\d+)xlarge$/.exec(size);
  if (n) return 4 * Number(n[1]);
  if (size === 'xlarge') return 4;
  if (size === 'large') return 2;
  if (size === 'medium') return family.startsWith('t') ? 2 : 1;
  if (size === 'nano' || size === 'micro' || size === 'small') return family === 't2' ? 1 : 2;
  if (size.startsWith('metal')) return 96;
  return 2;
}

/** Everything one check found, in the order they are made; one instance per task invocation. */
class PreflightRun {
  private readonly notes: PassNotes;
  private readonly findings: Finding[] = [];
  private readonly calls: Record<string, number> = {};
  private readonly ec2: EC2Client;
  private readonly planned: Planned[];
  private readonly recoverySets: PreflightRecoverySet[] = [];

  constructor(
    private readonly input: PreflightInput,
    private readonly context: TaskContext,
    private readonly services: PreflightServices,
  ) {
    this.notes = new PassNotes(context);
    this.ec2 = context.ec2(input.region);
    const iso = input.isolation;
    this.planned = input.workloads.map((w) => ({
      name: w.name,
      isCritical: w.isCritical,
      wave: w.wave,
      subnetIds: iso?.subnetIds ?? w.launch.subnetIds,
      securityGroupIds: iso?.securityGroupIds ?? w.launch.securityGroupIds,
      instanceTypes: w.launch.instanceTypes,
      ...(w.launch.keyName !== undefined ? { keyName: w.launch.keyName } : {}),
      ...(w.launch.instanceProfileArn !== undefined ? { instanceProfileArn: w.launch.instanceProfileArn } : {}),
      ...(w.launch.launchTemplate !== undefined ? { launchTemplate: w.launch.launchTemplate } : {}),
      points: [],
    }));
  }

  async check(): Promise<PreflightReport> {
    await this.checkRecoverySets();
    await this.checkKey();
    const subnets = await this.checkSubnets();
    await this.checkSecurityGroups(subnets);
    await this.checkKeyPairs();
    await this.checkInstanceProfiles();
    await this.checkOfferings(subnets);
    await this.checkQuotas();
    await this.checkDryRuns();
    const rto = await this.predictRto();
    return this.finish(rto);
  }

  // ------------------------------------------------------------------------------------------
  // Plumbing

  private add(workloads: readonly string[], f: Omit<Finding, 'workload'>): void {
    for (const workload of workloads) this.findings.push({ workload, ...f });
  }

  /**
   * One read. Throttled or transient: a warning that `check` could not be made, and the call in
   * `throttled`. Another error: `onError` decides (return true when it added its own finding);
   * else a warning naming the error. Returns undefined when the read gave no answer.
   */
  private async read<T>(api: string, what: string, check: PreflightCheck, workloads: readonly string[], call: () => Promise<T>, onError?: (code: string, error: unknown) => boolean): Promise<T | undefined> {
    this.calls[api] = (this.calls[api] ?? 0) + 1;
    try {
      const result = await this.notes.tolerate(`${api} (${what})`, call);
      if (result === undefined) {
        this.add(workloads.length > 3 ? [PLAN_WIDE] : workloads, {
          check,
          severity: 'warning',
          expected: `an answer from ${api} (${what})`,
          found: `throttled or failed transiently (${this.notes.throttled.at(-1)?.split(': ').at(-1) ?? 'throttled'}); not checked`,
          fix: 'run `lifeboat preflight --plan FILE` again once the region answers',
        });
      }
      return result;
    } catch (error) {
      const code = errorCodeOf(error);
      if (onError?.(code, error)) return undefined;
      this.add(workloads.length > 3 ? [PLAN_WIDE] : workloads, {
        check,
        severity: 'warning',
        expected: `an answer from ${api} (${what})`,
        found: `${code}: ${(error as Error).message}`.slice(0, 300),
        fix: code === 'UnauthorizedOperation' || code === 'AccessDeniedException' || code === 'AccessDenied'
          ? `grant the pre-flight role ${api} (deploy the plan's stacks again: they carry it)`
          : 'not checked: see the error; run `lifeboat preflight` again',
      });
      return undefined;
    }
  }

  /** The workloads that use a value (a subnet, a group, a type). */
  private users(pick: (p: Planned) => readonly (string | undefined)[], value: string): string[] {
    return this.planned.filter((p) => pick(p).includes(value)).map((p) => p.name);
  }

  // ------------------------------------------------------------------------------------------
  // Recovery sets

  private async checkRecoverySets(): Promise<void> {
    const { input } = this;
    const rpoSeconds = input.objectives.rpoMinutes * 60;
    const all = this.planned.map((p) => p.name);
    const setsByWorkload = await this.read('DescribeImages', 'verified recovery points', 'recovery-set', all, () => findRecoverySets(this.ec2, input.planName));
    if (setsByWorkload === undefined) {
      for (const p of this.planned) this.recoverySets.push({ workload: p.name, recoveryPointTime: null, ageSeconds: null, rpoObjectiveSeconds: rpoSeconds });
      return;
    }
    const now = this.context.now.getTime();
    for (const p of this.planned) {
      const pin = input.pins?.[p.name];
      const sets: readonly RecoverySet[] = setsByWorkload.get(p.name) ?? [];
      const picked = pickRecoveryPoints(sets, pin);
      if ('problem' in picked || picked.points.length === 0) {
        this.recoverySets.push({ workload: p.name, recoveryPointTime: null, ageSeconds: null, rpoObjectiveSeconds: rpoSeconds });
        const found = 'problem' in picked ? picked.problem : `no verified, available recovery point${pin ? ` at or before ${pin}` : ''}`;
        this.add([p.name], {
          check: 'recovery-set',
          severity: p.isCritical || 'problem' in picked ? 'blocking' : 'warning',
          expected: `a verified recovery set of workload '${p.name}' in ${input.region}${p.isCritical ? '' : ' (optional workload: skipped without one)'}`,
          found,
          fix: 'problem' in picked
            ? `pin one of the workload's recovery points (lifeboat list shows backups), or drop the pin`
            : `run a backup (lifeboat backup --plan FILE) and check that it verifies; lifeboat history shows why the last one did not`,
        });
        continue;
      }
      p.points = picked.points.map((pt) => ({ imageId: pt.imageId, sourceInstanceId: pt.sourceInstanceId, recoveryPointTime: pt.recoveryPointTime }));
      const time = picked.from!.recoveryPointTime;
      const age = Math.max(0, Math.round((now - Date.parse(time)) / 1000));
      this.recoverySets.push({ workload: p.name, recoveryPointTime: time, ageSeconds: age, rpoObjectiveSeconds: rpoSeconds });
      if (age > rpoSeconds) {
        this.add([p.name], {
          check: 'recovery-point-age',
          severity: 'warning',
          expected: `a recovery set at most ${rpoSeconds} s old (RPO ${input.objectives.rpoMinutes} min)`,
          found: `${age} s old (${time})`,
          fix: 'run a backup now (lifeboat backup --plan FILE); check the backup schedule and its last runs (lifeboat list)',
        });
      }
      if (!picked.from!.isComplete && pin === undefined) {
        this.add([p.name], {
          check: 'recovery-set',
          severity: 'warning',
          expected: 'a complete recovery set (every instance of the workload, from one backup run)',
          found: `only an incomplete set (${picked.points.length} point(s) of run ${picked.from!.executionArn.split(':').at(-1)})`,
          fix: 'run a backup that finishes (lifeboat backup --plan FILE)',
        });
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // KMS key

  private async checkKey(): Promise<void> {
    const keyId = this.input.kmsKeyId;
    if (keyId === undefined) return;
    const region = this.input.region;
    const blocking = (found: string, fix: string) =>
      this.add([PLAN_WIDE], { check: 'kms-key', severity: 'blocking', expected: `KMS key ${keyId} in ${region}: Enabled, symmetric, for encrypt/decrypt`, found, fix });
    const key = await this.read('DescribeKey', keyId, 'kms-key', [PLAN_WIDE], () => this.services.describeKey(region, keyId), (code, error) => {
      if (code === 'NotFoundException') {
        blocking('no such key', `restore or re-create the key in ${region}, or point backup.kmsKeyId at the key the copies use`);
        return true;
      }
      if (code === 'AccessDeniedException') {
        blocking(`AccessDeniedException: ${(error as Error).message}`.slice(0, 300), 'allow the Lifeboat task roles kms:DescribeKey and the EBS grants in the key policy');
        return true;
      }
      return false;
    });
    if (key === undefined) return;
    if (key.keyState !== 'Enabled' || !key.enabled) {
      blocking(`key state ${key.keyState}`, key.keyState === 'PendingDeletion' ? `cancel the deletion (aws kms cancel-key-deletion --key-id ${keyId} --region ${region}) and enable it` : `enable it: aws kms enable-key --key-id ${keyId} --region ${region}`);
    } else if ((key.keyUsage !== undefined && key.keyUsage !== 'ENCRYPT_DECRYPT') || (key.keySpec !== undefined && key.keySpec !== 'SYMMETRIC_DEFAULT')) {
      blocking(`${key.keySpec ?? '?'} key for ${key.keyUsage ?? '?'}`, 'EBS needs a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT): point backup.kmsKeyId at one');
    }
  }

  // ------------------------------------------------------------------------------------------
  // Network, key pairs, instance profiles

  private async checkSubnets(): Promise<Map<string, { vpcId: string; zone: string }>> {
    const ids = [...new Set(this.planned.flatMap((p) => p.subnetIds))].sort();
    const found = new Map<string, { vpcId: string; zone: string }>();
    const answered = new Set<string>();
    for (const part of chunk(ids, MAX_FILTER_VALUES)) {
      const res = await this.read('DescribeSubnets', `${part.length} subnet(s)`, 'subnet', this.usersOfAll((p) => p.subnetIds, part), () =>
        this.ec2.send(new DescribeSubnetsCommand({ Filters: filters({ 'subnet-id': part }) })),
      );
      if (res === undefined) continue;
      for (const id of part) answered.add(id);
      for (const s of res.Subnets ?? []) if (s.SubnetId) found.set(s.SubnetId, { vpcId: s.VpcId ?? '', zone: s.AvailabilityZone ?? '' });
    }
    for (const id of ids) {
      if (!answered.has(id) || found.has(id)) continue;
      this.add(this.users((p) => p.subnetIds, id), {
        check: 'subnet',
        severity: 'blocking',
        expected: `subnet ${id} in ${this.input.region}`,
        found: 'no such subnet',
        fix: `re-create the subnet, or replace ${id} in the plan (${this.input.isolation ? 'drill.isolatedSubnetIds' : 'workloads[].launch.subnetIds'}) and deploy it`,
      });
    }
    return found;
  }

  private usersOfAll(pick: (p: Planned) => readonly (string | undefined)[], values: readonly string[]): string[] {
    const set = new Set(values);
    return this.planned.filter((p) => pick(p).some((v) => v !== undefined && set.has(v))).map((p) => p.name);
  }

  private async checkSecurityGroups(subnets: Map<string, { vpcId: string; zone: string }>): Promise<void> {
    const ids = [...new Set(this.planned.flatMap((p) => p.securityGroupIds))].sort();
    const vpcOf = new Map<string, string>();
    const answered = new Set<string>();
    for (const part of chunk(ids, MAX_FILTER_VALUES)) {
      const res = await this.read('DescribeSecurityGroups', `${part.length} group(s)`, 'security-group', this.usersOfAll((p) => p.securityGroupIds, part), () =>
        this.ec2.send(new DescribeSecurityGroupsCommand({ Filters: filters({ 'group-id': part }) })),
      );
      if (res === undefined) continue;
      for (const id of part) answered.add(id);
      for (const g of res.SecurityGroups ?? []) if (g.GroupId) vpcOf.set(g.GroupId, g.VpcId ?? '');
    }
    const where = this.input.isolation?.securityGroupIds ? 'drill.securityGroupIds' : 'workloads[].launch.securityGroupIds';
    for (const id of ids) {
      if (answered.has(id) && !vpcOf.has(id)) {
        this.add(this.users((p) => p.securityGroupIds, id), {
          check: 'security-group',
          severity: 'blocking',
          expected: `security group ${id} in ${this.input.region}`,
          found: 'no such security group',
          fix: `re-create it, or replace ${id} in the plan (${where}) and deploy it`,
        });
      }
    }
    for (const p of this.planned) {
      for (const groupId of p.securityGroupIds) {
        const groupVpc = vpcOf.get(groupId);
        if (groupVpc === undefined) continue;
        const other = p.subnetIds.filter((s) => subnets.has(s) && subnets.get(s)!.vpcId !== groupVpc);
        if (other.length === 0) continue;
        this.add([p.name], {
          check: 'security-group',
          severity: 'blocking',
          expected: `security group ${groupId} in the VPC of subnet ${other[0]} (${subnets.get(other[0])!.vpcId})`,
          found: `it is in ${groupVpc}`,
          fix: `use a group of ${subnets.get(other[0])!.vpcId} in ${where}, or subnets of ${groupVpc}`,
        });
      }
    }
  }

  private async checkKeyPairs(): Promise<void> {
    const names = [...new Set(this.planned.flatMap((p) => (p.keyName ? [p.keyName] : [])))].sort();
    for (const part of chunk(names, MAX_FILTER_VALUES)) {
      const res = await this.read('DescribeKeyPairs', `${part.length} key pair(s)`, 'key-pair', this.usersOfAll((p) => [p.keyName], part), () =>
        this.ec2.send(new DescribeKeyPairsCommand({ Filters: filters({ 'key-name': part }) })),
      );
      if (res === undefined) continue;
      const found = new Set((res.KeyPairs ?? []).map((k) => k.KeyName));
      for (const name of part) {
        if (found.has(name)) continue;
        this.add(this.users((p) => [p.keyName], name), {
          check: 'key-pair',
          severity: 'blocking',
          expected: `key pair ${JSON.stringify(name)} in ${this.input.region}`,
          found: 'no such key pair',
          fix: `import it (aws ec2 import-key-pair --key-name ${name} --region ${this.input.region} ...), or change workloads[].launch.keyName`,
        });
      }
    }
  }

  private async checkInstanceProfiles(): Promise<void> {
    const arns = [...new Set(this.planned.flatMap((p) => (p.instanceProfileArn ? [p.instanceProfileArn] : [])))].sort();
    for (const arn of arns) {
      const name = arn.slice(arn.indexOf(':instance-profile/') + ':instance-profile/'.length).split('/').at(-1)!;
      const users = this.users((p) => [p.instanceProfileArn], arn);
      const profile = await this.read('GetInstanceProfile', name, 'instance-profile', users, () => this.services.getInstanceProfile(name), (code) => {
        if (code !== 'NoSuchEntity' && code !== 'NoSuchEntityException') return false;
        this.add(users, {
          check: 'instance-profile',
          severity: 'blocking',
          expected: `instance profile ${arn}`,
          found: 'no such instance profile',
          fix: `create it (aws iam create-instance-profile --instance-profile-name ${name}) with its role, or change workloads[].launch.instanceProfileArn`,
        });
        return true;
      });
      if (profile !== undefined && profile.roleCount === 0) {
        this.add(users, {
          check: 'instance-profile',
          severity: 'warning',
          expected: `instance profile ${name} with a role`,
          found: 'no role in it',
          fix: `add the workload's role: aws iam add-role-to-instance-profile --instance-profile-name ${name} --role-name ROLE`,
        });
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Instance types

  private async checkOfferings(subnets: Map<string, { vpcId: string; zone: string }>): Promise<void> {
    const types = [...new Set(this.planned.flatMap((p) => p.instanceTypes))].sort();
    const zones = [...new Set([...subnets.values()].map((s) => s.zone).filter((z) => z !== ''))].sort();
    if (types.length === 0 || zones.length === 0) return;
    const offered = new Set<string>();
    let isAnswered = true;
    for (const part of chunk(types, MAX_FILTER_VALUES)) {
      let token: string | undefined;
      do {
        const res = await this.read('DescribeInstanceTypeOfferings', `${part.length} type(s) in ${zones.length} zone(s)`, 'instance-type-offering', this.usersOfAll((p) => p.instanceTypes, part), () =>
          this.ec2.send(new DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone', Filters: filters({ 'instance-type': part, location: zones }), NextToken: token })),
        );
        if (res === undefined) {
          isAnswered = false;
          break;
        }
        for (const o of res.InstanceTypeOfferings ?? []) offered.add(`${o.InstanceType}@${o.Location}`);
        token = res.NextToken;
      } while (token);
    }
    if (!isAnswered) return;
    for (const p of this.planned) {
      const rungs = p.instanceTypes.flatMap((t) => p.subnetIds.filter((s) => subnets.has(s)).map((s) => ({ type: t, subnet: s, zone: subnets.get(s)!.zone })));
      const missing = rungs.filter((r) => !offered.has(`${r.type}@${r.zone}`));
      if (missing.length === 0) continue;
      const isNoneOffered = missing.length === rungs.length;
      const missingText = [...new Set(missing.map((r) => `${r.type} in ${r.zone}`))].join(', ');
      this.add([p.name], {
        check: 'instance-type-offering',
        severity: isNoneOffered ? 'blocking' : 'warning',
        expected: `every instance type of the ladder offered in its subnets' zones`,
        found: `not offered: ${missingText}${isNoneOffered ? ' (no rung of the ladder can launch)' : ''}`.slice(0, 400),
        fix: `change workloads[].launch.instanceTypes to types offered there (aws ec2 describe-instance-type-offerings --location-type availability-zone --region ${this.input.region}), or use subnets in other zones`,
      });
    }
  }

  /** vCPUs per instance type: DescribeInstanceTypes, else {@link vcpusFromSize}. */
  private async vcpus(types: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const part of chunk([...new Set(types)].sort(), 100)) {
      let token: string | undefined;
      do {
        const res = await this.read('DescribeInstanceTypes', `${part.length} type(s)`, 'vcpu-quota', [], () =>
          this.ec2.send(new DescribeInstanceTypesCommand({ Filters: filters({ 'instance-type': part }), NextToken: token })),
        );
        if (res === undefined) break;
        for (const t of res.InstanceTypes ?? []) if (t.InstanceType && t.VCpuInfo?.DefaultVCpus) out.set(t.InstanceType, t.VCpuInfo.DefaultVCpus);
        token = res.NextToken;
      } while (token);
    }
    for (const t of types) if (!out.has(t)) out.set(t, vcpusFromSize(t));
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // vCPU quotas

  private async checkQuotas(): Promise<void> {
    const launching = this.planned.filter((p) => p.points.length > 0 && p.instanceTypes.length > 0);
    if (launching.length === 0) return;
    // What runs now in the region, by type (pending and running count against the quota).
    const running = await this.read('DescribeInstances', 'pending and running instances', 'vcpu-quota', [PLAN_WIDE], () =>
      describeInstances(this.ec2, { Filters: filters({ 'instance-state-name': ['pending', 'running'] }) }),
    );
    const runningTypes = (running ?? []).map((i) => ({ type: String(i.InstanceType ?? ''), cpu: i.CpuOptions?.CoreCount && i.CpuOptions.ThreadsPerCore ? i.CpuOptions.CoreCount * i.CpuOptions.ThreadsPerCore : undefined }));
    const vcpus = await this.vcpus([...launching.map((p) => p.instanceTypes[0]), ...runningTypes.filter((r) => r.cpu === undefined && r.type !== '').map((r) => r.type)]);
    const need = new Map<string, { name: string; launch: number; running: number }>();
    const entry = (type: string) => {
      const q = vcpuQuotaOf(type);
      const e = need.get(q.code) ?? { name: q.name, launch: 0, running: 0 };
      need.set(q.code, e);
      return e;
    };
    // The first rung's type: what the run launches when capacity allows.
    for (const p of launching) entry(p.instanceTypes[0]).launch += p.points.length * vcpus.get(p.instanceTypes[0])!;
    for (const r of runningTypes) if (r.type !== '' && need.has(vcpuQuotaOf(r.type).code)) entry(r.type).running += r.cpu ?? vcpus.get(r.type) ?? vcpusFromSize(r.type);
    for (const [code, e] of [...need.entries()].sort()) {
      const quota = await this.read('GetServiceQuota', `ec2 ${code}`, 'vcpu-quota', [PLAN_WIDE], () => this.services.getServiceQuota(this.input.region, 'ec2', code));
      if (quota === undefined) continue;
      const total = e.launch + (running === undefined ? 0 : e.running);
      if (total <= quota) continue;
      this.add([PLAN_WIDE], {
        check: 'vcpu-quota',
        severity: 'blocking',
        expected: `${e.name} (${code}) of at least ${total} vCPUs: ${e.launch} to launch + ${e.running} running${running === undefined ? ' (not read: throttled)' : ''}`,
        found: `${quota} vCPUs`,
        fix: `request an increase: aws service-quotas request-service-quota-increase --service-code ec2 --quota-code ${code} --desired-value ${total} --region ${this.input.region}`,
      });
    }
  }

  // ------------------------------------------------------------------------------------------
  // DryRun launches

  private async checkDryRuns(): Promise<void> {
    const configs = new Map<string, { request: RunInstancesCommandInput; workloads: string[]; type: string | null; subnet: string }>();
    const role = this.input.mode === 'drill' ? ROLES.drillInstance : ROLES.failoverInstance;
    for (const p of this.planned) {
      const point = p.points[0];
      if (point === undefined) continue;
      const type = p.instanceTypes[0] ?? null;
      const subnet = p.subnetIds[0];
      const key = JSON.stringify([type, subnet, p.securityGroupIds, p.keyName ?? null, p.instanceProfileArn ?? null, p.launchTemplate ?? null]);
      const known = configs.get(key);
      if (known) {
        known.workloads.push(p.name);
        continue;
      }
      const template = p.launchTemplate;
      const tags = lifeboatTags(
        { planName: this.input.planName, workload: p.name, sourceInstanceId: point.sourceInstanceId, executionArn: this.context.executionArn, recoveryPointTime: point.recoveryPointTime, role, sourceImageId: point.imageId },
        this.input.tags ?? {},
      );
      configs.set(key, {
        type,
        subnet,
        workloads: [p.name],
        // The launch's own request (launch-in-region), first rung, with DryRun.
        request: {
          DryRun: true,
          ImageId: point.imageId,
          MinCount: 1,
          MaxCount: 1,
          InstanceType: (type ?? undefined) as RunInstancesCommandInput['InstanceType'],
          SubnetId: subnet,
          SecurityGroupIds: p.securityGroupIds.length > 0 ? [...p.securityGroupIds] : undefined,
          KeyName: p.keyName,
          IamInstanceProfile: p.instanceProfileArn ? { Arn: p.instanceProfileArn } : undefined,
          LaunchTemplate: template ? { LaunchTemplateId: template.id, LaunchTemplateName: template.name, Version: template.version ?? '$Default' } : undefined,
          TagSpecifications: [
            { ResourceType: 'instance', Tags: tags },
            { ResourceType: 'volume', Tags: tags },
          ],
        },
      });
    }
    for (const c of configs.values()) {
      const what = `${c.type ?? 'launch template'} in ${c.subnet}`;
      await this.read('RunInstances', `DryRun, ${what}`, 'dry-run', c.workloads, () => this.ec2.send(new RunInstancesCommand(c.request)), (code, error) => {
        if (code === 'DryRunOperation') return true;
        const message = `${code}: ${(error as Error).message}`.slice(0, 300);
        const expected = `RunInstances (DryRun) of ${what} to answer DryRunOperation`;
        if (code === 'UnauthorizedOperation') {
          this.add(c.workloads, { check: 'dry-run', severity: 'blocking', expected, found: message, fix: 'the launch role may not launch this: deploy the plan\'s stacks again so that the roles match the plan (the encoded reason decodes with aws sts decode-authorization-message)' });
        } else if (code === 'VcpuLimitExceeded' || code === 'InstanceLimitExceeded') {
          this.add(c.workloads, { check: 'vcpu-quota', severity: 'blocking', expected, found: message, fix: `request a higher On-Demand vCPU quota in ${this.input.region} (Service Quotas, ec2)` });
        } else if (code === 'InsufficientInstanceCapacity' || code === 'Unsupported') {
          this.add(c.workloads, { check: 'dry-run', severity: 'warning', expected, found: message, fix: 'the ladder will try its next rung; add types or subnets in other zones to the ladder' });
        } else {
          this.add(c.workloads, { check: 'dry-run', severity: 'blocking', expected, found: message, fix: 'correct the launch settings the error names (workloads[].launch), then run lifeboat preflight again' });
        }
        return true;
      });
    }
  }

  // ------------------------------------------------------------------------------------------
  // Predicted RTO

  private async predictRto(): Promise<PreflightOutput['predictedRto']> {
    const { input } = this;
    const waves = new Set((this.planned.some((p) => p.points.length > 0) ? this.planned.filter((p) => p.points.length > 0) : this.planned).map((p) => p.wave)).size;
    const modelSeconds = input.rtoModel.fixedSeconds + waves * input.rtoModel.secondsPerWave;
    const objectiveSeconds = input.objectives.rtoMinutes * 60;
    let measured: number[] = [];
    if (input.measuredDrills > 0) {
      const end = this.context.now;
      const start = new Date(end.getTime() - 90 * 86_400_000);
      const query: MetricDataQuery = {
        Id: 'rto',
        MetricStat: {
          Metric: { Namespace: METRIC_NAMESPACE, MetricName: 'RecoveryTimeSeconds', Dimensions: [{ Name: 'Plan', Value: input.planName }, { Name: 'Mode', Value: 'drill' }] },
          Period: 3600,
          Stat: 'Maximum',
        },
      };
      const res = await this.read('GetMetricData', 'the last drills\' RecoveryTimeSeconds', 'predicted-rto', [PLAN_WIDE], () =>
        this.context.cloudwatch(input.region).send(new GetMetricDataCommand({ MetricDataQueries: [query], StartTime: start, EndTime: end, ScanBy: 'TimestampDescending' })),
      );
      measured = (res?.MetricDataResults?.[0]?.Values ?? []).slice(0, input.measuredDrills).map((v) => Math.round(v));
    }
    const measuredSeconds = measured.length > 0 ? Math.max(...measured) : null;
    const predicted = Math.max(modelSeconds, measuredSeconds ?? 0);
    if (predicted > objectiveSeconds) {
      this.add([PLAN_WIDE], {
        check: 'predicted-rto',
        severity: 'warning',
        expected: `a predicted RTO within the objective, ${objectiveSeconds} s (${input.objectives.rtoMinutes} min)`,
        found: `${predicted} s (model ${modelSeconds} s for ${waves} wave(s)${measuredSeconds === null ? '; no drill measured' : `; slowest of the last ${measured.length} drill(s) ${measuredSeconds} s`})`,
        fix: 'fewer waves, faster-booting types, or a realistic objectives.rtoMinutes; run a drill to measure it (lifeboat drill --plan FILE)',
      });
    }
    return { modelSeconds, measuredSeconds, measuredDrills: measured.length, objectiveSeconds };
  }

  // ------------------------------------------------------------------------------------------
  // Output

  private async finish(rto: PreflightOutput['predictedRto']): Promise<PreflightReport> {
    const order = (f: Finding) => (f.severity === 'blocking' ? 0 : 1);
    const findings = [...this.findings].sort((a, b) => order(a) - order(b) || a.check.localeCompare(b.check) || a.workload.localeCompare(b.workload));
    const blocking = findings.filter((f) => f.severity === 'blocking').length;
    const byCheck: PreflightOutput['byCheck'] = {};
    for (const f of findings) {
      const e = (byCheck[f.check] ??= { blocking: 0, warnings: 0 });
      if (f.severity === 'blocking') e.blocking += 1;
      else e.warnings += 1;
    }
    const blockedSet = new Set(findings.filter((f) => f.severity === 'blocking').map((f) => f.workload));
    const blockedWorkloads = [...(blockedSet.has(PLAN_WIDE) ? [PLAN_WIDE] : []), ...[...blockedSet].filter((w) => w !== PLAN_WIDE).sort()];
    const checkedAt = this.context.now.toISOString();
    let report: PreflightOutput['report'];
    const store = this.input.reportStore;
    if (store !== undefined) {
      report = { bucket: store.bucket, key: `${store.prefix}/preflight.json` };
      // Only a distributed run has a report store: the S3 client loads then (its own chunk of the bundle, docs/decisions/0017).
      const { putJson, s3Client } = await import('../_shared/s3.js');
      await putJson(s3Client(this.input.region), report.bucket, report.key, { planName: this.input.planName, mode: this.input.mode, checkedAt, findings, recoverySets: this.recoverySets, blockedWorkloads });
    }
    this.context.log('pre-flight', { blocking, warnings: findings.length - blocking, calls: this.calls });
    const output: PreflightOutput = {
      blocking,
      warnings: findings.length - blocking,
      findings: findings.slice(0, PREFLIGHT_INLINE_MAX),
      ...(findings.length > PREFLIGHT_INLINE_MAX ? { findingsTruncated: true } : {}),
      recoverySets: this.recoverySets.slice(0, PREFLIGHT_INLINE_MAX),
      ...(this.recoverySets.length > PREFLIGHT_INLINE_MAX ? { recoverySetsTruncated: true } : {}),
      predictedRtoSeconds: Math.max(rto.modelSeconds, rto.measuredSeconds ?? 0),
      predictedRto: rto,
      checkedAt,
      blockedWorkloads: report === undefined ? blockedWorkloads : blockedWorkloads.slice(0, PREFLIGHT_INLINE_MAX),
      blockedCount: blockedWorkloads.length,
      byCheck,
      calls: { ...this.calls },
      ...(report !== undefined ? { report } : {}),
      ...this.notes.output(),
    };
    return { output, findings, recoverySets: this.recoverySets, blockedWorkloads };
  }
}
