/**
 * The schedules a plan runs on, as plain data: the one definition both the CDK app
 * (`infra/`, an EventBridge Scheduler schedule per entry) and the sandbox deployment
 * (`cli/local/deploy.ts`, CreateSchedule per entry) build from, so a rehearsal on the sandbox fires
 * exactly what production fires.
 *
 * To add a schedule (an RPO publisher, a collector): add an entry in {@link planSchedules} with its
 * own `id`; both deployments pick it up. A target that is not one of the plan's state machines
 * needs a `target` kind here and a binding in both deployments.
 */
import type { Plan } from '../schemas/plan.js';
import { PUBLISH_RPO_INTERVAL_MINUTES } from './render.js';

/** What a schedule starts: one of the plan's state machines, by kind. */
export interface ScheduleTarget {
  readonly kind: 'state-machine';
  /**
   * The workflow (`backup`, `drill`, or another machine of the plan such as `publish-rpo`); the
   * machine is `lifeboat-<plan>-<workflow>` in the schedule's region.
   */
  readonly workflow: string;
}

/** One schedule of a plan. */
export interface ScheduleDefinition {
  /** Unique within the plan; the infra construct id derives from it (`backup` → `BackupSchedule`). */
  readonly id: string;
  /** The schedule's name (1-64 characters of `[0-9a-zA-Z-_.]`). */
  readonly name: string;
  readonly description: string;
  /** Where the schedule and its target live. */
  readonly region: string;
  /** A `rate(...)` or `cron(...)` expression. */
  readonly expression: string;
  /** IANA time zone the expression is evaluated in. */
  readonly timezone: string;
  readonly target: ScheduleTarget;
  /** The target's input (the plan is baked into the definitions: scheduled runs start with `{}`). */
  readonly input: Readonly<Record<string, unknown>>;
  /** An invocation that cannot start within this long is dropped rather than run late. */
  readonly maxEventAgeSeconds: number;
  /** How often Scheduler retries a target call that failed. */
  readonly retryAttempts: number;
}

/**
 * The schedule name: `lifeboat-<plan>-<id>`, cut to Scheduler's 64 characters.
 *
 * @see https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html (Name)
 */
export function scheduleName(plan: Pick<Plan, 'name'>, id: string): string {
  return `lifeboat-${plan.name}-${id}`.slice(0, 64);
}

/** How often each region's collector runs: every 6 hours, so a leftover (a drill instance above all) costs hours, not days. */
export const COLLECT_SCHEDULE = 'rate(6 hours)';

/**
 * The plan's schedules: backups in the primary region; drills and the RPO publisher (every
 * {@link PUBLISH_RPO_INTERVAL_MINUTES} minutes) in the recovery region; the collector
 * (`lifeboat-<plan>-collect`) in each region. Failovers are never scheduled.
 *
 * @example planSchedules(plan).map((s) => [s.id, s.expression]) // [['backup', 'rate(4 hours)'], ['drill', 'cron(0 3 ? * MON *)']]
 */
export function planSchedules(plan: Plan): ScheduleDefinition[] {
  // A run that cannot start within the hour is better skipped than run late and doubled.
  const common = { input: {}, maxEventAgeSeconds: 3600, retryAttempts: 3 } as const;
  return [
    ...([
      ['backup', plan.primaryRegion],
      ['drill', plan.recoveryRegion],
    ] as const).map(([id, region]) => ({
      id,
      name: scheduleName(plan, id),
      description: `Lifeboat ${plan.name}: ${id} on ${plan[id].schedule} (${plan[id].timezone})`,
      region,
      expression: plan[id].schedule,
      timezone: plan[id].timezone,
      target: { kind: 'state-machine', workflow: id } as const,
      ...common,
    })),
    {
      id: 'publish-rpo',
      name: scheduleName(plan, 'publish-rpo'),
      description: `Lifeboat ${plan.name}: publish the recovery point age every ${PUBLISH_RPO_INTERVAL_MINUTES} minutes`,
      region: plan.recoveryRegion,
      expression: `rate(${PUBLISH_RPO_INTERVAL_MINUTES} minutes)`,
      timezone: 'UTC',
      target: { kind: 'state-machine', workflow: 'publish-rpo' },
      input: {},
      // A late measurement is worth nothing: the next one is minutes away.
      maxEventAgeSeconds: PUBLISH_RPO_INTERVAL_MINUTES * 60,
      retryAttempts: 1,
    },
    ...([
      ['collect-primary', plan.primaryRegion],
      ['collect-recovery', plan.recoveryRegion],
    ] as const).map(([id, region]) => ({
      id,
      name: scheduleName(plan, id),
      description: `Lifeboat ${plan.name}: collect what finished runs left behind in ${region}, ${COLLECT_SCHEDULE}`,
      region,
      expression: COLLECT_SCHEDULE,
      timezone: 'UTC',
      target: { kind: 'state-machine', workflow: 'collect' } as const,
      ...common,
    })),
  ];
}

/** The name of the state machine a schedule starts. */
export function scheduleTargetMachine(plan: Pick<Plan, 'name'>, schedule: ScheduleDefinition): string {
  return `lifeboat-${plan.name}-${schedule.target.workflow}`;
}
