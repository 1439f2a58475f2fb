import type { JsonValue } from '../../../schemas/asl.js';
import { TASK_SCHEMAS } from '../../../schemas/tasks/catalog.js';
import { TaskEnvelopeSchema } from '../../../schemas/tasks/envelope.js';
import type { TaskId } from '../../../schemas/tasks/index.js';
import type { FakeLambda } from './run-asl.js';
import { TaskError } from './run-asl.js';

/**
 * Fake task Lambdas for workflow tests: each checks its payload against the real envelope and
 * input schema (so a workflow that builds a wrong input fails the test), answers like the task
 * would on a healthy account, and checks its own answer against the output schema.
 *
 * Loop tasks report `isComplete` after `passesToComplete` calls. `failures` makes a task throw a
 * named error on chosen calls (1-based, counted per task id).
 */
export interface FakeWorld {
  readonly lambda: FakeLambda;
  /** Calls per task id so far. */
  readonly calls: Map<TaskId, number>;
  /** Inputs a task's schema rejected (each also failed that call): a workflow bug. */
  readonly violations: string[];
}

/** Options of {@link fakeWorld}. */
export interface FakeWorldOptions {
  /** Calls a loop task needs before it reports complete. @default 3 */
  readonly passesToComplete?: number;
  /** Per loop task: calls needed before it reports complete (overrides `passesToComplete`). */
  readonly passes?: Partial<Record<'image' | 'copy' | 'launch-in-region' | 'prune', number>>;
  /** Per task id: the calls that throw, with the error name. */
  readonly failures?: Partial<Record<TaskId, { readonly calls: readonly number[]; readonly error: string }>>;
  /** Workloads whose launch substitutes the second instance type (insufficient capacity for the first). */
  readonly substituted?: readonly string[];
  /** Instances found per tag-selected workload. @default 2 */
  readonly instancesPerSelector?: number;
  /** Workloads pre-flight finds blocked (a missing subnet each). @default none */
  readonly preflightBlocked?: readonly string[];
}

/** Builds a healthy fake account. */
export function fakeWorld(options: FakeWorldOptions = {}): FakeWorld {
  const passesOf = (id: 'image' | 'copy' | 'launch-in-region') => options.passes?.[id] ?? options.passesToComplete ?? 3;
  const calls = new Map<TaskId, number>();
  const violations: string[] = [];
  let seq = 0;
  const hex = (prefix: string) => `${prefix}-${(0x0a00000000000000 + ++seq * 7919).toString(16).padStart(17, '0').slice(-17)}`;
  const loopCalls = new Map<string, number>();
  const pass = (key: string) => {
    const n = (loopCalls.get(key) ?? 0) + 1;
    loopCalls.set(key, n);
    return n;
  };

  const handlers: Record<TaskId, (input: any, context: any) => unknown> = {
    'resolve-workloads': (input) => {
      const targets = input.workloads.flatMap((w: any) =>
        w.instanceIds !== undefined
          ? w.instanceIds.map((id: string) => ({ workload: w.name, instanceId: id }))
          : Array.from({ length: options.instancesPerSelector ?? 2 }, () => ({ workload: w.name, instanceId: hex('i') })),
      );
      const batches = [];
      for (let i = 0; i < targets.length; i += input.batchSize) batches.push(targets.slice(i, i + input.batchSize));
      return { batches, targetCount: targets.length, unmatched: [], unmatchedCount: 0 };
    },
    image: (input) => {
      const key = `image:${input.targets.map((t: any) => t.instanceId).join(',')}`;
      const n = pass(key);
      const images =
        input.images ??
        input.targets.map((t: any) => ({ workload: t.workload, instanceId: t.instanceId, name: `lifeboat-${input.planName}-${t.workload}-${t.instanceId}`, imageId: hex('ami'), state: 'pending' }));
      const state = n >= passesOf('image') ? 'available' : 'pending';
      const out = images.map((i: any) => ({ ...i, state }));
      return { images: out, isComplete: state === 'available', pendingCount: state === 'available' ? 0 : out.length };
    },
    copy: (input) => {
      const key = `copy:${input.images.map((i: any) => i.imageId).join(',')}`;
      const n = pass(key);
      const copies =
        input.copies ??
        input.images.map((i: any) => ({ workload: i.workload, instanceId: i.instanceId, sourceImageId: i.imageId, imageId: hex('ami'), state: 'pending' }));
      const state = n >= passesOf('copy') ? 'available' : 'pending';
      const out = copies.map((c: any) => ({ ...c, state }));
      return { copies: out, isComplete: state === 'available', pendingCount: state === 'available' ? 0 : out.length };
    },
    verify: (input) => ({
      verified: input.copies.map((c: any) => ({ workload: c.workload, instanceId: c.instanceId, imageId: c.imageId, snapshotIds: [hex('snap')] })),
      isComplete: true,
      pendingCount: 0,
    }),
    // Each pass before the last deletes one image and reports a throttled DeregisterImage.
    prune: (input) => {
      const isComplete = pass('prune') >= (options.passes?.prune ?? 1);
      const deleted = [...(input.deleted ?? []), ...(isComplete ? [] : [{ region: input.recoveryRegion, imageId: hex('ami'), snapshotIds: [] }])];
      return { deleted, deletedCount: deleted.length, keptCount: 3, isComplete, finished: isComplete ? ['primary', 'recovery'] : ['primary'], ...(isComplete ? {} : { throttled: ['DeregisterImage ami-0: RequestLimitExceeded'] }) };
    },
    'switch-traffic': (input) => input.action === 'restore'
      ? {
          action: 'restore', isComplete: true, phase: 'done', mode: input.mode, isDryRun: false, isVerified: true, changes: [], records: [],
          targetGroups: (input.switched?.targetGroups ?? []).filter((g: any) => g.isRegistered).map((g: any) => ({ targetGroupArn: g.targetGroupArn, instanceIds: g.instanceIds, isDeregistered: true, health: [] })),
        }
      : {
          isComplete: true, phase: 'done', mode: input.mode, isVerified: true, changes: [],
          targetGroups: input.targetGroups.map((g: any) => ({ ...g, isRegistered: input.mode === 'failover' || input.drill === 'exercise', health: [] })),
          records: [],
          ...(input.drill === 'exercise' ? { drill: 'exercise' } : {}),
        },
    'probe-health': (input) => {
      // Healthy on the second pass: every instance with a check passes then.
      const checked = input.instances.filter((i: any) => input.checks[i.workload] !== undefined);
      const n = pass(`probe:${checked.map((i: any) => i.instanceId).join(',')}`);
      const health = checked.map((i: any) => ({ workload: i.workload, instanceId: i.instanceId, privateIp: '10.0.0.5', endpoint: 'http://10.0.0.5:80/', passes: n >= 2 ? 2 : 0, probes: n, isHealthy: n >= 2, probedAt: null, last: null }));
      return { health, isComplete: n >= 2, pendingCount: n >= 2 ? 0 : health.length, healthyCount: n >= 2 ? health.length : 0 };
    },
    'request-approval': (input) => ({ messageId: `msg-${input.round}`, topicArn: input.topicArn, round: input.round }),
    'publish-rpo': (input, context) => ({
      rpo: { measuredAt: context.stateEnteredTime, maxAgeSeconds: 60, objectiveSeconds: input.rpoMinutes * 60, isWithinObjective: true, workloadCount: 0, sets: [], setCount: 0, missing: [], missingCount: 0 },
      datumCount: 1,
    }),
    'record-metrics': (input) => ({
      metrics: [{ name: input.kind === 'backup' ? 'BackupSucceeded' : 'RecoverySucceeded', value: 1, unit: 'Count' }],
      ...(input.kind === 'backup'
        ? { rpo: { measuredAt: input.startedAt, maxAgeSeconds: 60, objectiveSeconds: input.objectives.rpoMinutes * 60, isWithinObjective: true, workloadCount: 0, sets: [], setCount: 0, missing: [], missingCount: 0 } }
        : {
            achieved: {
              rpoSeconds: 60,
              rtoSeconds: 600,
              rpoObjectiveSeconds: input.objectives.rpoMinutes * 60,
              rtoObjectiveSeconds: input.objectives.rtoMinutes * 60,
              isRpoMet: true,
              isRtoMet: true,
              groups: [],
            },
          }),
    }),
    'record-failure': (input, context) => {
      if (Number(context.redriveCount) > input.failedAtRedriveCount) return { resume: true };
      if (input.isFinal) throw new TaskError('Lifeboat.StepFailed', `step "${input.step}" failed with ${input.error}: ${input.cause ?? ''}`);
      return { resume: false };
    },
    preflight: (input, context) => {
      const blocked: string[] = (options.preflightBlocked ?? []).filter((name) => input.workloads === undefined || input.workloads.some((w: any) => w.name === name));
      const findings = blocked.map((workload) => ({
        workload,
        check: 'subnet',
        severity: 'blocking',
        expected: 'subnet subnet-0aa11bb22cc330001 in us-west-2',
        found: 'no such subnet',
        fix: 'replace it in the plan',
      }));
      return {
        blocking: findings.length,
        warnings: 0,
        findings,
        recoverySets: (input.workloads ?? []).slice(0, 50).map((w: any) => ({ workload: w.name, recoveryPointTime: '2026-11-25T06:30:00.000Z', ageSeconds: 600, rpoObjectiveSeconds: input.objectives.rpoMinutes * 60 })),
        predictedRtoSeconds: 960,
        predictedRto: { modelSeconds: 960, measuredSeconds: null, measuredDrills: 0, objectiveSeconds: input.objectives.rtoMinutes * 60 },
        checkedAt: context.stateEnteredTime,
        blockedWorkloads: blocked,
        blockedCount: blocked.length,
        byCheck: findings.length > 0 ? { subnet: { blocking: findings.length, warnings: 0 } } : {},
        calls: { DescribeImages: 1, DescribeSubnets: 1 },
      };
    },
    'resolve-recovery-points': (input) => {
      const waves = new Map<number, unknown[]>();
      for (const w of input.workloads) {
        if (input.exclude?.includes(w.name)) continue;
        const pin = input.pins?.[w.name];
        const target = {
          workload: w.name,
          sourceInstanceId: hex('i'),
          imageId: typeof pin === 'string' && pin.startsWith('ami-') ? pin : hex('ami'),
          recoveryPointTime: '2026-11-25T06:30:00.000Z',
          isCritical: w.isCritical,
          launch: w.launch,
        };
        waves.set(w.wave, [...(waves.get(w.wave) ?? []), target]);
      }
      return {
        waves: [...waves.entries()].sort(([a], [b]) => a - b).map(([wave, targets]) => ({ wave, targets })),
        missing: [],
        oldestRecoveryPointTime: '2026-11-25T06:30:00.000Z',
        sets: [
          {
            executionArn: 'arn:aws:states:us-east-1:123456789012:execution:lifeboat-shop-backup:backup-20261125T063000Z-0001',
            recoveryPointTime: '2026-11-25T06:30:00.000Z',
            isComplete: true,
            workloads: input.workloads.map((w: any) => w.name).filter((n: string) => !input.exclude?.includes(n)),
          },
        ],
      };
    },
    'launch-in-region': (input) => {
      const key = `launch:${input.targets.map((t: any) => t.sourceInstanceId).join(',')}`;
      const n = pass(key);
      const instances =
        input.instances ??
        input.targets.map((t: any) => ({
          workload: t.workload,
          sourceInstanceId: t.sourceInstanceId,
          imageId: t.imageId,
          instanceId: hex('i'),
          instanceType: (options.substituted?.includes(t.workload) ? t.launch.instanceTypes[1] : t.launch.instanceTypes[0]) ?? null,
          subnetId: input.isolation?.subnetIds[0] ?? t.launch.subnetIds[0],
          state: 'pending',
          ...(options.substituted?.includes(t.workload)
            ? {
                substitution: {
                  requested: { instanceType: t.launch.instanceTypes[0], subnetId: input.isolation?.subnetIds[0] ?? t.launch.subnetIds[0] },
                  reasons: [`${t.launch.instanceTypes[0]}: InsufficientInstanceCapacity`],
                },
              }
            : {}),
        }));
      const state = n >= passesOf('launch-in-region') ? 'ready' : 'pending';
      const out = instances.map((i: any) => ({ ...i, state }));
      return { instances: out, isComplete: state === 'ready', readyCount: state === 'ready' ? out.length : 0, skipped: [] };
    },
    'check-overlap': () => ({ isPreviousRunning: false, previous: [] }),
    collect: (input) => ({
      region: input.region,
      isDryRun: input.isDryRun,
      removed: [],
      counts: { instances: 0, images: 0, snapshots: 0 },
      keptRunning: 0,
      keptRecent: 0,
      deferred: 0,
      lastError: null,
      isComplete: true,
    }),
    // The first pass terminates one instance, the second confirms it is gone.
    teardown: (input) => {
      const isFirst = pass('teardown') === 1;
      const id = hex('i');
      return isFirst
        ? { terminated: [id], terminatedCount: 1, remaining: [id], isComplete: false, pendingCount: 1, lastError: null, unreachableSince: input.unreachableSince ?? null }
        : { terminated: [], terminatedCount: 0, remaining: [], isComplete: true, pendingCount: 0, lastError: null, unreachableSince: null };
    },
    // The newest failover's instances: one per workload instance id, or two per selector.
    'find-recovered-instances': (input) => {
      const targets = input.workloads.flatMap((w: any) => Array.from({ length: options.instancesPerSelector ?? 2 }, () => ({ workload: w.name, instanceId: hex('i') })));
      const batches = [];
      for (let i = 0; i < targets.length; i += input.batchSize) batches.push(targets.slice(i, i + input.batchSize));
      return {
        failoverExecutionArn: input.failoverExecutionArn ?? 'arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-failover:failover-20261125T120000Z-0001',
        batches,
        targetCount: targets.length,
        instanceIds: targets.map((t: any) => t.instanceId),
        missing: [],
        missingCount: 0,
        others: [],
      };
    },
    // The first pass asks EC2 to retire every instance, the second confirms they are down.
    'retire-instances': (input) => {
      const isFirst = pass(`retire:${input.instanceIds.join(',')}`) === 1;
      return isFirst
        ? { retired: input.instanceIds, remaining: input.instanceIds, ignored: [], isComplete: false, pendingCount: input.instanceIds.length, lastError: null }
        : { retired: [], remaining: [], ignored: [], isComplete: true, pendingCount: 0, lastError: null };
    },
    // Only distributed runs summarize (their Map results live in S3); the test interpreter runs inline ones.
    'summarize-results': () => {
      throw new TaskError('Lifeboat.Unexpected', 'summarize-results is only called by distributed runs');
    },
  };

  const lambda: FakeLambda = (functionArn, payload) => {
    const envelope = TaskEnvelopeSchema.parse(payload);
    const id = envelope.task;
    if (!functionArn.endsWith(`lifeboat-${id}`)) throw new Error(`fake: task ${id} invoked through ${functionArn}`);
    const n = (calls.get(id) ?? 0) + 1;
    calls.set(id, n);
    const failure = options.failures?.[id];
    if (failure !== undefined && failure.calls.includes(n)) throw new TaskError(failure.error, `injected ${failure.error} on call ${n} of ${id}`);
    const schemas = TASK_SCHEMAS[id];
    const parsed = schemas.input.safeParse(envelope.input);
    if (!parsed.success) {
      violations.push(`${id}: ${JSON.stringify(parsed.error.issues)}`);
      throw new Error(`fake: task ${id} got an input its schema rejects: ${JSON.stringify(parsed.error.issues)}\ninput: ${JSON.stringify(envelope.input)}`);
    }
    const output = handlers[id](envelope.input, envelope.context);
    return schemas.output.parse(output) as JsonValue;
  };
  return { lambda, calls, violations };
}

/** The ARN binding the fakes expect (the sandbox's naming). */
export const TEST_ARNS = { taskArn: (id: TaskId) => `arn:aws:lambda:us-west-2:123456789012:function:lifeboat-${id}` };
