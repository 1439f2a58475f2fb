/**
 * The recovery point and recovery time objectives of one run, measured from what the run itself
 * recorded (its output), for `history --json`, `report` and the demo.
 *
 * The workflows record what they achieved (docs/contracts.md, "Recovery sets, and what RPO
 * means"): a failover or drill's output has `achieved` (`rpoSeconds`, `rtoSeconds`, the objectives,
 * `isRpoMet`, `isRtoMet`, and `groups` of workloads restored from one recovery set with their own
 * figures); a backup's has `rpo` (`maxAgeSeconds`, `objectiveSeconds`, `isWithinObjective`, `sets`
 * of workloads with their age, `missing`). Those are read first. An output without them (an older
 * run) falls back to the run's own figures for every workload it names: for a backup, the age of
 * its recovery point when it ended; for a failover or a drill, the age of the oldest recovery
 * point it used when it started (RPO) and its start until every instance passed its checks (RTO).
 *
 * How it differs from `recovery-summary.ts` (which reads the same `achieved`/`rpo` fields for the
 * human `--follow`/`history`/demo lines and the exit code): this module measures, it does not just
 * relay. It reads `achieved` only for a failover or drill and `rpo` only for a backup (by `kind`),
 * takes them when present even without a recorded verdict (then judges the figures against the
 * plan's objectives), falls back to older outputs' figures, and breaks the result down per
 * workload. `recoverySummaryOf` ignores the kind and keeps `achieved`/`rpo` only when they carry
 * their verdict (`isRpoMet`, `isWithinObjective`). The two are kept apart on purpose: sharing one
 * reader would change what one or the other accepts.
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
  /** The recovery set it was restored from (failover, drill) or would be now (backup): the backup run and its time. */
  readonly recoverySet?: { readonly executionArn: string; readonly recoveryPointTime: string };
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

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
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
  const out = isObject(output) ? output : {};
  const isBackup = kind === 'backup';

  // What the run recorded about itself (the workflows' `achieved` and `rpo`), when present.
  const achieved = !isBackup && isObject(out.achieved) ? out.achieved : undefined;
  const rpoReport = isBackup && isObject(out.rpo) && 'maxAgeSeconds' in out.rpo ? out.rpo : undefined;
  const recordedByWorkload = new Map<string, { rpo?: number | null; rto?: number | null; set?: { executionArn: string; recoveryPointTime: string } }>();
  const groups = achieved !== undefined && Array.isArray(achieved.groups) ? achieved.groups : rpoReport !== undefined && Array.isArray(rpoReport.sets) ? rpoReport.sets : [];
  for (const group of groups) {
    if (!isObject(group) || !Array.isArray(group.workloads)) continue;
    const executionArn = stringAt(group, 'executionArn');
    const recoveryPointTime = stringAt(group, 'recoveryPointTime');
    for (const workload of group.workloads) {
      if (typeof workload !== 'string') continue;
      recordedByWorkload.set(workload, {
        rpo: achieved !== undefined ? (group.rpoSeconds as number | null) : (group.ageSeconds as number | null),
        ...(achieved !== undefined ? { rto: group.rtoSeconds as number | null } : {}),
        ...(executionArn !== undefined && recoveryPointTime !== undefined ? { set: { executionArn, recoveryPointTime } } : {}),
      });
    }
  }
  const missingWorkloads = rpoReport !== undefined && Array.isArray(rpoReport.missing) ? rpoReport.missing.filter((w): w is string => typeof w === 'string') : [];

  // The run's own figures.
  let rpo: ObjectiveFigure | undefined;
  let rto: ObjectiveFigure | undefined;
  const recordedRpo = numberAt(out, 'rpoSeconds', 'achievedRpoSeconds', 'rpo');
  const recordedRto = numberAt(out, 'rtoSeconds', 'achievedRtoSeconds', 'rto', 'recoveryTimeSeconds');
  if (achieved !== undefined) {
    const rpoObjectiveRecorded = typeof achieved.rpoObjectiveSeconds === 'number' ? achieved.rpoObjectiveSeconds : rpoObjective;
    const rtoObjectiveRecorded = typeof achieved.rtoObjectiveSeconds === 'number' ? achieved.rtoObjectiveSeconds : rtoObjective;
    rpo = figure(numberOrUndefined(achieved.rpoSeconds), rpoObjectiveRecorded, 'run start − the oldest recovery point restored, as the run recorded it', { isMet: achieved.isRpoMet });
    rto = figure(numberOrUndefined(achieved.rtoSeconds), rtoObjectiveRecorded, 'run start until the last wave was ready, as the run recorded it', { isMet: achieved.isRtoMet });
  } else if (rpoReport !== undefined) {
    const objective = typeof rpoReport.objectiveSeconds === 'number' ? rpoReport.objectiveSeconds : rpoObjective;
    rpo = figure(numberOrUndefined(rpoReport.maxAgeSeconds), objective, "age of the oldest workload's newest recovery point when the backup ended, as the run recorded it", {
      isMet: rpoReport.isWithinObjective,
    });
  } else if (isBackup) {
    const age = recordedRpo ?? seconds(stringAt(out, 'recoveryPointTime'), run.stopDate);
    if (age !== undefined || objectives !== undefined) rpo = figure(age, rpoObjective, 'age of the newest recovery point when the backup ended', out.rpo);
  } else if (kind !== undefined) {
    const startedAt = stringAt(out, 'startedAt') ?? run.startDate?.toISOString();
    const age = recordedRpo ?? seconds(stringAt(out, 'oldestRecoveryPointTime'), startedAt);
    if (age !== undefined || objectives !== undefined) rpo = figure(age, rpoObjective, 'age of the oldest recovery point used, when the run started', out.rpo);
    if (recordedRto !== undefined || objectives !== undefined) rto = figure(recordedRto, rtoObjective, 'run start until every instance passed its status checks', out.rto);
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
  for (const name of [...recordedByWorkload.keys(), ...missingWorkloads]) entry(name);
  const workloads = [...byWorkload.entries()].map(([workload, e]): WorkloadObjectives => {
    const recorded = recordedByWorkload.get(workload);
    let wRpo: ObjectiveFigure | undefined;
    let wRto: ObjectiveFigure | undefined;
    if (missingWorkloads.includes(workload)) {
      wRpo = { ...(rpo?.objectiveSeconds === undefined ? {} : { objectiveSeconds: rpo.objectiveSeconds }), status: 'missed', basis: 'no restorable recovery point' };
    } else if (recorded !== undefined) {
      wRpo = figure(numberOrUndefined(recorded.rpo), rpo?.objectiveSeconds ?? rpoObjective, 'as the run recorded it for the workload');
      if (!isBackup) {
        wRto =
          recorded.rto === null
            ? { ...(rto?.objectiveSeconds === undefined ? {} : { objectiveSeconds: rto.objectiveSeconds }), status: 'unknown', basis: 'its wave never became ready' }
            : figure(numberOrUndefined(recorded.rto), rto?.objectiveSeconds ?? rtoObjective, 'as the run recorded it for the workload');
      }
    } else {
      wRpo = e.rpo === undefined ? rpo : figure(e.rpo, rpoObjective, 'as recorded for the workload', e.rpoRecord);
      wRto = e.rto === undefined ? rto : figure(e.rto, rtoObjective, 'as recorded for the workload', e.rtoRecord);
    }
    return {
      workload,
      rpo: wRpo ?? figure(undefined, rpoObjective, 'not measured'),
      ...(isBackup ? {} : { rto: wRto ?? figure(undefined, rtoObjective, 'not measured') }),
      recoveryPoints: [...e.points],
      instances: [...e.instances],
      ...(recorded?.set === undefined ? {} : { recoverySet: recorded.set }),
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
