/**
 * The recovery point and recovery time objectives of one run, measured from what the run itself
 * recorded (its output), for `history --json`, `report` and the demo.
 *
 * Per-workload figures are read from the output when the workflows record them
 * (`workloads: [{ workload, rpoSeconds | achievedRpoSeconds | rpo: { achievedSeconds }, … }]`);
 * otherwise every workload the run touched gets the run's figures: for a backup, the age of its
 * recovery point when it ended; for a failover or a drill, the age of the oldest recovery point it
 * used when it started (RPO) and its start until every instance passed its checks (RTO).
 */
import type { RunKind } from './machines.js';

/** How one objective fared. */
export interface ObjectiveFigure {
  /** What was achieved, in seconds; absent when the run did not measure it. */
  readonly achievedSeconds?: number;
  /** The plan's objective, in seconds; absent when the plan is not known. */
  readonly objectiveSeconds?: number;
  /** `met` or `missed` when both are known; `unknown` otherwise. */
  readonly status: 'met' | 'missed' | 'unknown';
  /** How it was measured, in words. */
  readonly basis: string;
}

/** One workload's objectives and what the run used and made for it. */
export interface WorkloadObjectives {
  readonly workload: string;
  readonly rpo: ObjectiveFigure;
  /** Backups recover nothing: no RTO. */
  readonly rto?: ObjectiveFigure;
  /** The recovery points (AMIs) the run made or used for it. */
  readonly recoveryPoints: readonly string[];
  /** The instances the run launched for it. */
  readonly instances: readonly string[];
}

/** The objectives of one run. */
export interface RunObjectives {
  readonly rpo?: ObjectiveFigure;
  readonly rto?: ObjectiveFigure;
  readonly workloads: readonly WorkloadObjectives[];
}

/** The plan's objectives, in minutes, as the plan file has them. */
export interface PlanObjectives {
  readonly rpoMinutes: number;
  readonly rtoMinutes: number;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberAt(value: unknown, ...keys: string[]): number | undefined {
  if (!isObject(value)) return undefined;
  for (const key of keys) {
    const found = value[key];
    if (typeof found === 'number' && Number.isFinite(found)) return found;
    if (isObject(found) && typeof found.achievedSeconds === 'number') return found.achievedSeconds;
  }
  return undefined;
}

function stringAt(value: unknown, ...keys: string[]): string | undefined {
  if (!isObject(value)) return undefined;
  for (const key of keys) if (typeof value[key] === 'string') return value[key] as string;
  return undefined;
}

function figure(achievedSeconds: number | undefined, objectiveSeconds: number | undefined, basis: string, recorded?: unknown): ObjectiveFigure {
  // A figure the run recorded with its own verdict wins (the workflows know the objective they ran with).
  const recordedObjective = isObject(recorded) && typeof recorded.objectiveSeconds === 'number' ? recorded.objectiveSeconds : undefined;
  const objective = recordedObjective ?? objectiveSeconds;
  const recordedMet = isObject(recorded) && typeof recorded.isMet === 'boolean' ? recorded.isMet : undefined;
  const status =
    recordedMet !== undefined
      ? recordedMet
        ? 'met'
        : 'missed'
      : achievedSeconds === undefined || objective === undefined
        ? 'unknown'
        : achievedSeconds <= objective
          ? 'met'
          : 'missed';
  return {
    ...(achievedSeconds === undefined ? {} : { achievedSeconds }),
    ...(objective === undefined ? {} : { objectiveSeconds: objective }),
    status,
    basis,
  };
}

function seconds(from: string | undefined, to: Date | string | undefined): number | undefined {
  if (from === undefined || to === undefined) return undefined;
  const a = Date.parse(from);
  const b = typeof to === 'string' ? Date.parse(to) : to.getTime();
  return Number.isNaN(a) || Number.isNaN(b) ? undefined : Math.max(0, (b - a) / 1000);
}

/**
 * Measures a run's RPO and RTO against the plan's objectives (when known).
 *
 * @param kind the run's kind (from the machine or execution name)
 * @param output the run's output (parsed JSON), if it has one
 * @param run the run's dates
 * @param objectives the plan's objectives, if the plan is known
 */
export function measureObjectives(
  kind: RunKind | undefined,
  output: unknown,
  run: { readonly startDate?: Date; readonly stopDate?: Date },
  objectives?: PlanObjectives,
): RunObjectives {
  const rpoObjective = objectives === undefined ? undefined : objectives.rpoMinutes * 60;
  const rtoObjective = objectives === undefined ? undefined : objectives.rtoMinutes * 60;
  const out: Json = isObject(output) ? { ...output } : {};
  const isBackup = kind === 'backup';

  // The run's own figures.
  let rpo: ObjectiveFigure | undefined;
  let rto: ObjectiveFigure | undefined;
  const recordedRpo = numberAt(out, 'rpoSeconds', 'achievedRpoSeconds', 'rpo');
  const recordedRto = numberAt(out, 'rtoSeconds', 'achievedRtoSeconds', 'rto', 'recoveryTimeSeconds');
  if (isBackup) {
    const age = recordedRpo ?? seconds(stringAt(out, 'recoveryPointTime'), run.stopDate);
    if (age !== undefined || objectives !== undefined) rpo = figure(age, rpoObjective, 'age of the newest recovery point when the backup ended', out.rpo);
  } else if (kind !== undefined) {
    const startedAt = stringAt(out, 'startedAt') ?? run.startDate?.toISOString();
    const age = recordedRpo ?? seconds(stringAt(out, 'oldestRecoveryPointTime'), startedAt);
    if (age !== undefined || objectives !== undefined) rpo = figure(age, rpoObjective, 'age of the oldest recovery point used, when the run started', out.rpo);
    if (recordedRto !== undefined || objectives !== undefined) rto = figure(recordedRto, rtoObjective, 'run start until every instance passed its status checks', out.rto);
  }

  // A failover's or drill's own record (record-metrics' `achieved`, docs/contracts.md): its
  // figures and verdicts win, per workload from its groups.
  const achieved = isObject(out.achieved) ? out.achieved : undefined;
  if (achieved !== undefined && !isBackup) {
    const rec = (seconds: unknown, objective: unknown, isMet: unknown) => ({ objectiveSeconds: objective, isMet, achievedSeconds: seconds });
    const a = numberAt(achieved, 'rpoSeconds');
    const t = numberAt(achieved, 'rtoSeconds');
    rpo = figure(a, rpoObjective, 'age of the oldest recovery set restored, when the run started', rec(a, achieved.rpoObjectiveSeconds, achieved.isRpoMet));
    rto = figure(t, rtoObjective, 'run start until the last wave was ready', rec(t, achieved.rtoObjectiveSeconds, achieved.isRtoMet));
    if (!Array.isArray(out.workloads) && Array.isArray(achieved.groups)) {
      out.workloads = achieved.groups.flatMap((g) =>
        isObject(g) && Array.isArray(g.workloads)
          ? g.workloads.map((workload) => ({
              workload,
              rpo: { achievedSeconds: g.rpoSeconds, objectiveSeconds: achieved.rpoObjectiveSeconds, isMet: typeof g.rpoSeconds === 'number' && typeof achieved.rpoObjectiveSeconds === 'number' ? g.rpoSeconds <= achieved.rpoObjectiveSeconds : undefined },
              ...(typeof g.rtoSeconds === 'number'
                ? { rto: { achievedSeconds: g.rtoSeconds, objectiveSeconds: achieved.rtoObjectiveSeconds, isMet: typeof achieved.rtoObjectiveSeconds === 'number' ? g.rtoSeconds <= achieved.rtoObjectiveSeconds : undefined } }
                : {}),
            }))
          : [],
      );
    }
  }
  // A backup's RPO as it measured it (record-metrics' `rpo`: the oldest workload's newest set).
  const backupRpo = isObject(out.rpo) ? out.rpo : undefined;
  if (isBackup && backupRpo !== undefined && (typeof backupRpo.maxAgeSeconds === 'number' || backupRpo.maxAgeSeconds === null)) {
    const age = typeof backupRpo.maxAgeSeconds === 'number' ? backupRpo.maxAgeSeconds : undefined;
    rpo = figure(age, rpoObjective, "age of every workload's newest recovery set when the backup ended", { objectiveSeconds: backupRpo.objectiveSeconds, isMet: backupRpo.isWithinObjective });
  }

  // Per workload: recorded figures when present, else the run's.
  const byWorkload = new Map<string, { rpo?: number; rto?: number; rpoRecord?: unknown; rtoRecord?: unknown; points: Set<string>; instances: Set<string> }>();
  const entry = (name: string) => {
    let found = byWorkload.get(name);
    if (found === undefined) byWorkload.set(name, (found = { points: new Set(), instances: new Set() }));
    return found;
  };
  if (Array.isArray(out.workloads)) {
    for (const item of out.workloads) {
      const name = stringAt(item, 'workload', 'name');
      if (name === undefined) continue;
      const e = entry(name);
      e.rpo = numberAt(item, 'rpoSeconds', 'achievedRpoSeconds', 'recoveryPointAgeSeconds', 'rpo');
      e.rto = numberAt(item, 'rtoSeconds', 'achievedRtoSeconds', 'recoveryTimeSeconds', 'rto');
      e.rpoRecord = (item as Json).rpo;
      e.rtoRecord = (item as Json).rto;
      const image = stringAt(item, 'imageId', 'recoveryPoint');
      if (image !== undefined) e.points.add(image);
    }
  }
  for (const list of [out.recoveryPoints, out.instances]) {
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const name = stringAt(item, 'workload');
      if (name === undefined) continue;
      const e = entry(name);
      const image = stringAt(item, 'imageId');
      if (image !== undefined) e.points.add(image);
      const instance = stringAt(item, 'instanceId');
      if (instance !== undefined && list === out.instances) e.instances.add(instance);
    }
  }
  const workloads = [...byWorkload.entries()].map(([workload, e]): WorkloadObjectives => {
    const wRpo = e.rpo === undefined ? rpo : figure(e.rpo, rpoObjective, 'as recorded for the workload', e.rpoRecord);
    const wRto = e.rto === undefined ? rto : figure(e.rto, rtoObjective, 'as recorded for the workload', e.rtoRecord);
    return {
      workload,
      rpo: wRpo ?? figure(undefined, rpoObjective, 'not measured'),
      ...(isBackup ? {} : { rto: wRto ?? figure(undefined, rtoObjective, 'not measured') }),
      recoveryPoints: [...e.points],
      instances: [...e.instances],
    };
  });
  return { ...(rpo === undefined ? {} : { rpo }), ...(rto === undefined ? {} : { rto }), workloads };
}

/** Parses an execution's output, or undefined when it has none or it is not JSON. */
export function parseOutput(output: string | undefined): unknown {
  if (output === undefined) return undefined;
  try {
    return JSON.parse(output) as unknown;
  } catch {
    return output;
  }
}
