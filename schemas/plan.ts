import * as z from 'zod';
import { TRAFFIC_KNOWN_KEYS, TrafficSettingsSchema, trafficIssues } from './plan-traffic.js';
import { HealthCheckSchema, HealthProbeSchema, healthProbeIssues } from './plan-health.js';
import { APPROVAL_KEYS, ApprovalSettingsSchema } from './plan-approval.js';
import { OnBlockingFindingsSchema, PreflightSettingsSchema } from './plan-preflight.js';
import { KNOWN_REGIONS, isKnownRegion } from './regions.js';
import { FailbackSettingsSchema, failbackIssues } from './plan-failback.js';

/*
 * The plan: one JSON file per protected application (design.md, "The plan"; the field list is
 * in docs/contracts.md). `PlanSchema` parses it and fills in every default; `parsePlan` turns
 * every problem into a `{ path, expected, found }` issue so `lifeboat plan check` can report
 * them all at once.
 *
 * Each schema's error message is written as the *expected* half of a sentence
 * ("expected <message>, found <value>"), so the messages below read as noun phrases.
 */

// ---------------------------------------------------------------------------------------------
// Identifiers shared with the task schemas
// ---------------------------------------------------------------------------------------------

/** Builds an EC2 resource id schema: prefix plus 8 (legacy) or 17 lowercase hex digits. */
function ec2Id(prefix: string, what: string) {
  const example = `${prefix}-0123456789abcdef0`;
  return z
    .string({ error: `${what} such as "${example}"` })
    .regex(new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`), { error: `${what} such as "${example}"` });
}

/**
 * An AWS region name such as `us-east-1` (also `us-gov-west-1`, `cn-north-1`).
 *
 * @see https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 */
export const RegionSchema = z
  .string({ error: 'a region such as "us-east-1"' })
  .regex(/^[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$/, { error: 'a region such as "us-east-1"' });

/**
 * A region a plan may name: one AWS has (`schemas/regions.ts`), so a typo such as `us-east-9` is
 * refused with the list rather than found at deploy time.
 */
export const PlanRegionSchema = z
  .string({ error: 'a region such as "us-east-1"' })
  .refine((name) => isKnownRegion(name), {
    error: `an AWS region: one of ${KNOWN_REGIONS.join(', ')}`,
  });

/** An EC2 instance id (`i-` and 8 or 17 hex digits). @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html */
export const InstanceIdSchema = ec2Id('i', 'an instance id');
/** An AMI id (`ami-` and 8 or 17 hex digits). */
export const ImageIdSchema = ec2Id('ami', 'an AMI id');
/** An EBS snapshot id (`snap-` and 8 or 17 hex digits). */
export const SnapshotIdSchema = ec2Id('snap', 'a snapshot id');
/** A subnet id (`subnet-` and 8 or 17 hex digits). */
export const SubnetIdSchema = ec2Id('subnet', 'a subnet id');
/** A security group id (`sg-` and 8 or 17 hex digits). */
export const SecurityGroupIdSchema = ec2Id('sg', 'a security group id');
/** A launch template id (`lt-` and 8 or 17 hex digits). */
export const LaunchTemplateIdSchema = ec2Id('lt', 'a launch template id');

/**
 * An EC2 instance type such as `m5.large`, `m7i-flex.large` or `u-6tb1.metal`.
 *
 * The list of types differs per region and changes over time, so only the shape is checked.
 */
export const InstanceTypeSchema = z
  .string({ error: 'an instance type such as "m5.large"' })
  .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: 'an instance type such as "m5.large"' });

/** The plan's name: `[a-z][a-z0-9-]{1,31}`, used in resource and state machine names. */
export const PlanNameSchema = z
  .string({ error: 'a plan name of 2-32 characters: a lowercase letter, then lowercase letters, digits or "-"' })
  .regex(/^[a-z][a-z0-9-]{1,31}$/, {
    error: 'a plan name of 2-32 characters: a lowercase letter, then lowercase letters, digits or "-"',
  });

/** A workload's name: `[a-z][a-z0-9-]{0,31}`, unique within its plan. */
export const WorkloadNameSchema = z
  .string({ error: 'a workload name of 1-32 characters: a lowercase letter, then lowercase letters, digits or "-"' })
  .regex(/^[a-z][a-z0-9-]{0,31}$/, {
    error: 'a workload name of 1-32 characters: a lowercase letter, then lowercase letters, digits or "-"',
  });

/**
 * A KMS key for the copies: key id, key ARN, alias (`alias/…`) or alias ARN.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopyImage.html (KmsKeyId)
 */
export const KmsKeyIdSchema = z
  .string({ error: 'a KMS key id, key ARN, alias ("alias/…") or alias ARN' })
  .regex(
    /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[A-Za-z0-9/_-]{1,250}|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(?:key\/(?:[0-9a-f-]{36}|mrk-[0-9a-f]{32})|alias\/[A-Za-z0-9/_-]{1,250}))$/,
    { error: 'a KMS key id, key ARN, alias ("alias/…") or alias ARN' },
  );

const tagKeyError = 'a tag key of 1-128 characters not starting with "aws:"';
/** A user tag key: 1–128 characters, not in the reserved `aws:` namespace. */
export const TagKeySchema = z
  .string({ error: tagKeyError })
  .min(1, { error: tagKeyError })
  .max(128, { error: tagKeyError })
  .refine((k) => !k.toLowerCase().startsWith('aws:'), { error: tagKeyError });
/** A tag value: 0–256 characters. */
export const TagValueSchema = z
  .string({ error: 'a tag value (a string of at most 256 characters)' })
  .max(256, { error: 'a tag value (a string of at most 256 characters)' });

// ---------------------------------------------------------------------------------------------
// Schedules and time zones
// ---------------------------------------------------------------------------------------------

const SCHEDULE_EXPECTED =
  'an EventBridge Scheduler expression such as "rate(4 hours)" or "cron(0 3 ? * MON *)"';

/**
 * True when `expression` is a `rate(...)` or six-field `cron(...)` expression.
 *
 * `at(...)` (one-time) schedules are valid in EventBridge Scheduler but make no sense for a
 * recurring backup or drill, so they are rejected.
 *
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
export function isScheduleExpression(expression: string): boolean {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const isSingular = !rate[2].endsWith('s');
    return value >= 1 && (value === 1) === isSingular;
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (cron) {
    const fields = cron[1].trim().split(/\s+/);
    // minutes hours day-of-month month day-of-week year; exactly one of the two day fields is "?"
    return fields.length === 6 && (fields[2] === '?') !== (fields[4] === '?');
  }
  return false;
}

/** A recurring EventBridge Scheduler expression (`rate(...)` or `cron(...)`). */
export const ScheduleSchema = z
  .string({ error: SCHEDULE_EXPECTED })
  .refine(isScheduleExpression, { error: SCHEDULE_EXPECTED });

/** An IANA time zone name such as `UTC` or `Europe/Berlin`, as EventBridge Scheduler accepts. */
export const TimezoneSchema = z
  .string({ error: 'an IANA time zone such as "UTC" or "Europe/Berlin"' })
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { error: 'an IANA time zone such as "UTC" or "Europe/Berlin"' },
  );

function positiveInt(what: string, max: number) {
  const error = `${what}: a whole number from 1 to ${max}`;
  return z.number({ error }).int({ error }).min(1, { error }).max(max, { error });
}

// ---------------------------------------------------------------------------------------------
// Workloads
// ---------------------------------------------------------------------------------------------

/**
 * A launch template to launch from, by id or by name (exactly one of the two).
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplateSpecification.html
 */
export const LaunchTemplateRefSchema = z
  .strictObject(
    {
      id: LaunchTemplateIdSchema.optional(),
      name: z
        .string({ error: 'a launch template name (3-128 characters)' })
        .regex(/^[a-zA-Z0-9().\/_-]{3,128}$/, { error: 'a launch template name (3-128 characters)' })
        .optional(),
      /** `$Default`, `$Latest` or a version number. @default "$Default" */
      version: z
        .string({ error: 'a launch template version: "$Default", "$Latest" or a number' })
        .regex(/^(?:\$Default|\$Latest|[1-9]\d*)$/, {
          error: 'a launch template version: "$Default", "$Latest" or a number',
        })
        .default('$Default'),
    },
    { error: 'a launch template object with "id" or "name"' },
  )
  .superRefine(
    (lt, ctx) => {
      if (!isRecord(lt)) return;
      if ((lt.id === undefined) === (lt.name === undefined)) {
        ctx.addIssue({ code: 'custom', message: 'exactly one of "id" and "name"', input: lt });
      }
    },
    { when: () => true },
  );

/** A launch template reference. */
export type LaunchTemplateRef = z.infer<typeof LaunchTemplateRefSchema>;

/**
 * How a workload is launched in the recovery region (the plan's `launch`, and `launch` in the
 * task inputs).
 */
export const LaunchSettingsSchema = z
  .strictObject(
    {
      /** Ordered: tried in order on insufficient capacity. */
      subnetIds: z
        .array(SubnetIdSchema, { error: 'a list of subnet ids' })
        .min(1, { error: 'at least 1 subnet id' })
        .max(16, { error: 'at most 16 subnet ids' }),
      /** @default [] */
      securityGroupIds: z
        .array(SecurityGroupIdSchema, { error: 'a list of security group ids' })
        .max(5, { error: 'at most 5 security group ids (the default per network interface)' })
        .default([]),
      /** Ordered fallback list; required (non-empty) unless `launchTemplate` is set. @default [] */
      instanceTypes: z
        .array(InstanceTypeSchema, { error: 'a list of instance types' })
        .max(8, { error: 'at most 8 instance types' })
        .default([]),
      keyName: z
        .string({ error: 'a key pair name (1-255 characters)' })
        .min(1, { error: 'a key pair name (1-255 characters)' })
        .max(255, { error: 'a key pair name (1-255 characters)' })
        .optional(),
      instanceProfileArn: z
        .string({ error: 'an instance profile ARN such as "arn:aws:iam::123456789012:instance-profile/web"' })
        .regex(/^arn:aws[a-z-]*:iam::\d{12}:instance-profile\/[\w+=,.@\/-]{1,512}$/, {
          error: 'an instance profile ARN such as "arn:aws:iam::123456789012:instance-profile/web"',
        })
        .optional(),
      launchTemplate: LaunchTemplateRefSchema.optional(),
    },
    { error: 'launch settings (an object with "subnetIds" and "instanceTypes" or "launchTemplate")' },
  )
  .superRefine(
    (launch, ctx) => {
      if (!isRecord(launch)) return;
      const types = launch.instanceTypes;
      if (launch.launchTemplate === undefined && Array.isArray(types) && types.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['instanceTypes'],
          message: 'at least 1 instance type (or a "launchTemplate")',
          input: types,
        });
      }
      addDuplicateIssues(ctx, launch.subnetIds, ['subnetIds'], 'subnet id');
      addDuplicateIssues(ctx, launch.instanceTypes, ['instanceTypes'], 'instance type');
      addDuplicateIssues(ctx, launch.securityGroupIds, ['securityGroupIds'], 'security group id');
    },
    { when: () => true },
  );

/** How a workload is launched in the recovery region. */
export type LaunchSettings = z.infer<typeof LaunchSettingsSchema>;

/** A tag selector: every tag must match (AND). */
export const TagSelectorSchema = z
  .record(TagKeySchema, TagValueSchema, { error: 'a tag selector object such as {"app": "shop"}' })
  .refine((tags) => Object.keys(tags).length >= 1 && Object.keys(tags).length <= 10, {
    error: 'a tag selector with 1 to 10 tags',
  });

/**
 * The most instance ids one workload lists (issue 8: "any number of instances per workload"; a
 * tag selector has no limit). The plan's whole workload table travels packed in the resolve
 * tasks' inputs, so the plan-wide bound is the packed size that `plan check` measures
 * (workflows/payload.ts), not this one.
 */
export const MAX_INSTANCE_IDS_PER_WORKLOAD = 10_000;

/** One protected workload: instances by id or by tag selector, and how to launch them. */
export const WorkloadSchema = z
  .strictObject(
    {
      name: WorkloadNameSchema,
      /** Exactly one of `instanceIds` and `tagSelector`. */
      instanceIds: z
        .array(InstanceIdSchema, { error: 'a list of instance ids' })
        .min(1, { error: 'at least 1 instance id' })
        .max(MAX_INSTANCE_IDS_PER_WORKLOAD, { error: `at most ${MAX_INSTANCE_IDS_PER_WORKLOAD} instance ids (select more by "tagSelector")` })
        .optional(),
      tagSelector: TagSelectorSchema.optional(),
      /** An optional (non-critical) workload may be skipped when it cannot be recovered. @default true */
      critical: z.boolean({ error: 'true or false' }).default(true),
      /** Waves launch in ascending order; workloads in one wave in parallel. @default 1 */
      wave: positiveInt('a wave number', 100).default(1),
      launch: LaunchSettingsSchema,
      /** Every recovered instance must pass it before its wave is ready (schemas/plan-health.ts). @default none */
      healthCheck: HealthCheckSchema.optional(),
    },
    { error: 'a workload object' },
  )
  .superRefine(
    (w, ctx) => {
      if (!isRecord(w)) return;
      const hasIds = w.instanceIds !== undefined;
      const hasSelector = w.tagSelector !== undefined;
      if (hasIds === hasSelector) {
        ctx.addIssue({
          code: 'custom',
          message: 'exactly one of "instanceIds" and "tagSelector"',
          input: w,
          params: { found: hasIds ? 'both' : 'neither' },
        });
      }
      addDuplicateIssues(ctx, w.instanceIds, ['instanceIds'], 'instance id');
    },
    { when: () => true },
  );

/** One protected workload. */
export type Workload = z.infer<typeof WorkloadSchema>;

// ---------------------------------------------------------------------------------------------
// Backup, drill, failover, notifications
// ---------------------------------------------------------------------------------------------

/** How many recovery points to keep: by count, by age, or both (a point goes when either says so). */
export const RetentionSchema = z
  .strictObject(
    {
      count: positiveInt('a number of recovery points', 1000).optional(),
      maxAgeDays: positiveInt('an age in days', 3650).optional(),
    },
    { error: 'a retention object such as {"count": 7}' },
  )
  .superRefine(
    (r, ctx) => {
      if (isRecord(r) && r.count === undefined && r.maxAgeDays === undefined) {
        ctx.addIssue({ code: 'custom', message: 'at least one of "count" and "maxAgeDays"', input: r });
      }
    },
    { when: () => true },
  );

/**
 * AWS's default quotas on copies in progress per destination region: 50 concurrent AMI copies
 * (EC2 User Guide, "Copy an AMI", limits) and 20 concurrent snapshot copies (Amazon EBS endpoints
 * and quotas, "Concurrent snapshot copies per destination Region").
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/CopyingAMIs.html
 * @see https://docs.aws.amazon.com/general/latest/gr/ebs-service.html
 */
export const COPY_QUOTA_DEFAULTS = { concurrentAmiCopies: 50, concurrentSnapshotCopies: 20 } as const;

/** Backup settings. Every field has a default. */
export const BackupSettingsSchema = z.strictObject(
  {
    /** @default "rate(4 hours)" */
    schedule: ScheduleSchema.default('rate(4 hours)'),
    /** @default "UTC" */
    timezone: TimezoneSchema.default('UTC'),
    /** @default { count: 7 } */
    retention: RetentionSchema.default({ count: 7 }),
    /** Image without rebooting the instance (crash-consistent). @default true */
    noReboot: z.boolean({ error: 'true or false' }).default(true),
    /** KMS key in the recovery region for the copies; absent: the account's default EBS key. */
    kmsKeyId: KmsKeyIdSchema.optional(),
    /** The instance's own tags travel to the recovery point. @default true */
    copyTags: z.boolean({ error: 'true or false' }).default(true),
    /** Workloads imaged and copied together (keep it within EC2's concurrent-copy limit). @default 20 */
    batchSize: positiveInt('a batch size', 100).default(20),
    /** @default 1 */
    maxConcurrentBatches: positiveInt('a number of concurrent batches', 10).default(1),
    /** @default 120 */
    imageTimeoutMinutes: positiveInt('a timeout in minutes', 1440).default(120),
    /**
     * How long one copy may take from its own start, and how long a batch's copies may wait for a
     * slot of the copy quotas (docs/decisions/0018). @default 360
     */
    copyTimeoutMinutes: positiveInt('a timeout in minutes', 2880).default(360),
    /**
     * At most this many CreateImage operations in progress per batch, so that a workload's
     * instances are not all imaged at the same instant. Absent: the whole batch at once.
     */
    maxConcurrentImages: positiveInt('a number of images in progress per batch', 100).optional(),
    /**
     * The recovery region's quotas on copies in progress (your account's values, from Service
     * Quotas). The copy task never starts more than they allow. @default AWS's defaults, {@link COPY_QUOTA_DEFAULTS}
     */
    copyQuotas: z
      .strictObject(
        {
          /** Concurrent AMI copies into the recovery region. @default 50 */
          concurrentAmiCopies: positiveInt('a number of concurrent AMI copies', 10_000).default(50),
          /** Concurrent snapshot copies into the recovery region (each copied AMI copies all its snapshots). @default 20 */
          concurrentSnapshotCopies: positiveInt('a number of concurrent snapshot copies', 10_000).default(20),
        },
        { error: 'a copy quotas object such as {"concurrentAmiCopies": 50, "concurrentSnapshotCopies": 20}' },
      )
      .default({ ...COPY_QUOTA_DEFAULTS }),
  },
  { error: 'a backup settings object' },
);


/** Backup settings. */
export type BackupSettings = z.infer<typeof BackupSettingsSchema>;

/** Drill settings. `isolatedSubnetIds` is required: drills launch only there. */
export const DrillSettingsSchema = z
  .strictObject(
    {
      /** @default "cron(0 3 ? * MON *)" (weekly, Monday 03:00) */
      schedule: ScheduleSchema.default('cron(0 3 ? * MON *)'),
      /** @default "UTC" */
      timezone: TimezoneSchema.default('UTC'),
      isolatedSubnetIds: z
        .array(SubnetIdSchema, { error: 'a list of isolated subnet ids' })
        .min(1, { error: 'at least 1 isolated subnet id' })
        .max(16, { error: 'at most 16 subnet ids' }),
      /** Replaces the workloads' security groups in a drill. */
      securityGroupIds: z
        .array(SecurityGroupIdSchema, { error: 'a list of security group ids' })
        .min(1, { error: 'at least 1 security group id (or leave "securityGroupIds" out)' })
        .max(5, { error: 'at most 5 security group ids' })
        .optional(),
      /** @default { holdMinutes: 0 } */
      teardown: z
        .strictObject(
          {
            /** How long drill instances stay up after they pass. @default 0 */
            holdMinutes: z
              .number({ error: 'a number of minutes from 0 to 1440' })
              .int({ error: 'a number of minutes from 0 to 1440' })
              .min(0, { error: 'a number of minutes from 0 to 1440' })
              .max(1440, { error: 'a number of minutes from 0 to 1440' })
              .default(0),
          },
          { error: 'a teardown object such as {"holdMinutes": 0}' },
        )
        .prefault({}),
      /** Alarm when no drill succeeded within this many days. @default 8 */
      maxIntervalDays: positiveInt('a number of days', 366).default(8),
      /** @default 60 */
      launchTimeoutMinutes: positiveInt('a timeout in minutes', 1440).default(60),
    },
    { error: 'a drill settings object with "isolatedSubnetIds"' },
  )
  .superRefine(
    (d, ctx) => {
      if (!isRecord(d)) return;
      addDuplicateIssues(ctx, d.isolatedSubnetIds, ['isolatedSubnetIds'], 'subnet id');
    },
    { when: () => true },
  );

/** Drill settings. */
export type DrillSettings = z.infer<typeof DrillSettingsSchema>;

/** Failover settings. */
export const FailoverSettingsSchema = z.strictObject(
  {
    /** @default 60 */
    launchTimeoutMinutes: positiveInt('a timeout in minutes', 1440).default(60),
    /** On a blocking pre-flight finding: stop, or recover what can be (schemas/plan-preflight.ts). @default "stop" */
    onBlockingFindings: OnBlockingFindingsSchema.default('stop'),
  },
  { error: 'a failover settings object' },
);

/** Failover settings. */
export type FailoverSettings = z.infer<typeof FailoverSettingsSchema>;

/** Where alarms and outcomes go. Without a topic, infra creates one. */
export const NotificationsSchema = z.strictObject(
  {
    snsTopicArn: z
      .string({ error: 'an SNS topic ARN such as "arn:aws:sns:us-west-2:123456789012:lifeboat"' })
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/, {
        error: 'an SNS topic ARN such as "arn:aws:sns:us-west-2:123456789012:lifeboat"',
      })
      .optional(),
    emails: z
      .array(z.email({ error: 'an e-mail address' }), { error: 'a list of e-mail addresses' })
      .max(20, { error: 'at most 20 e-mail addresses' })
      .optional(),
  },
  { error: 'a notifications object' },
);

/** Notification settings. */
export type Notifications = z.infer<typeof NotificationsSchema>;

/**
 * How a run is split. `inline`: one execution, its batches and waves as inline Map iterations
 * (the history grows with the plan). `distributed`: each backup batch and each launch batch of a
 * wave is a child execution of a Distributed Map, its item list and results in the run bucket
 * (S3), so no execution's history or payload grows with the plan. `auto`: distributed once the
 * plan can hold more than {@link INLINE_MAX_INSTANCES} instances (ids listed, plus one full backup
 * batch per tag selector, as the history budget counts them); an inline run that resolves to more
 * fails early and says so.
 *
 * @see docs/decisions/0004-distributed-map-for-large-runs.md
 */
export const ScaleSettingsSchema = z.strictObject(
  {
    /** @default "auto" */
    mode: z.enum(['auto', 'inline', 'distributed'], { error: 'one of "auto", "inline", "distributed"' }).default('auto'),
    /** Instances launched by one child execution of a distributed failover or drill. @default 50 */
    launchBatchSize: positiveInt('a launch batch size', 100).default(50),
    /** Launch batches of one wave running at once (a distributed run). @default 40 */
    maxConcurrentLaunchBatches: positiveInt('a number of concurrent launch batches', 1000).default(40),
  },
  { error: 'a scale settings object such as {"mode": "auto"}' },
);

/** Scale settings. */
export type ScaleSettings = z.infer<typeof ScaleSettingsSchema>;

/** The most workloads a plan may hold. */
export const MAX_WORKLOADS = 10_000;

/** Above this many instances, `scale.mode: auto` renders distributed runs. */
export const INLINE_MAX_INSTANCES = 100;

// ---------------------------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------------------------

/**
 * The whole plan. The parsed value has every default filled in.
 *
 * Cross-field rules (checked even when other fields are wrong, so every problem is reported):
 * `recoveryRegion` differs from `primaryRegion`; workload names are unique; an instance id
 * belongs to one workload; a KMS key or SNS topic given as an ARN lives in the recovery region;
 * extra tags do not use the `lifeboat:` namespace.
 *
 * @see docs/contracts.md, "The plan"
 */
export const PlanSchema = z
  .strictObject(
    {
      name: PlanNameSchema,
      description: z
        .string({ error: 'a description (at most 256 characters)' })
        .max(256, { error: 'a description (at most 256 characters)' })
        .optional(),
      primaryRegion: PlanRegionSchema,
      recoveryRegion: PlanRegionSchema,
      objectives: z.strictObject(
        {
          rpoMinutes: positiveInt('an RPO in minutes', 10080),
          rtoMinutes: positiveInt('an RTO in minutes', 10080),
        },
        { error: 'an objectives object such as {"rpoMinutes": 240, "rtoMinutes": 60}' },
      ),
      workloads: z
        .array(WorkloadSchema, { error: 'a list of workloads' })
        .min(1, { error: 'at least 1 workload' })
        .max(MAX_WORKLOADS, { error: `at most ${MAX_WORKLOADS} workloads` }),
      /** @default all defaults of BackupSettingsSchema */
      backup: BackupSettingsSchema.prefault({}),
      drill: DrillSettingsSchema,
      /** @default { launchTimeoutMinutes: 60, onBlockingFindings: "stop" } */
      failover: FailoverSettingsSchema.prefault({}),
      /** @default {} */
      notifications: NotificationsSchema.prefault({}),
      /** Approval before a failover (or drill) launches (docs/decisions/0015). Absent: no run waits. */
      approval: ApprovalSettingsSchema.optional(),
      /** Pre-flight checks' RTO model (schemas/plan-preflight.ts). @default all defaults */
      preflight: PreflightSettingsSchema.prefault({}),
      /** How large runs are split (docs/decisions/0004). @default all defaults of ScaleSettingsSchema */
      scale: ScaleSettingsSchema.prefault({}),
      /** How users reach the recovered workloads: target groups and Route 53 changes (plan-traffic.ts). Absent: no traffic switch. */
      traffic: TrafficSettingsSchema.optional(),
      /** The recovery-VPC network of the health probe function; required when a workload has a `healthCheck` (schemas/plan-health.ts). */
      healthProbe: HealthProbeSchema.optional(),
      /** How the plan returns to its primary region after a failover (schemas/plan-failback.ts). Absent: no failback machine. */
      failback: FailbackSettingsSchema.optional(),
      /** Extra tags on everything Lifeboat creates. @default {} */
      tags: z
        .record(TagKeySchema, TagValueSchema, { error: 'a tags object such as {"cost-center": "dr"}' })
        .refine((t) => Object.keys(t).length <= 20, { error: 'at most 20 extra tags' })
        .default({}),
    },
    { error: 'a plan object' },
  )
  .superRefine(
    (plan, ctx) => {
      if (!isRecord(plan)) return;
      if (typeof plan.primaryRegion === 'string' && plan.primaryRegion === plan.recoveryRegion) {
        ctx.addIssue({
          code: 'custom',
          path: ['recoveryRegion'],
          message: `a region other than the primary region ${JSON.stringify(plan.primaryRegion)}`,
          input: plan.recoveryRegion,
        });
      }
      const workloads = Array.isArray(plan.workloads) ? plan.workloads : [];
      const names = new Map<string, number>();
      const owners = new Map<string, string>();
      workloads.forEach((w: unknown, i: number) => {
        if (!isRecord(w)) return;
        if (typeof w.name === 'string') {
          const first = names.get(w.name);
          if (first !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: ['workloads', i, 'name'],
              message: `a workload name not used before (workloads[${first}] is already named ${JSON.stringify(w.name)})`,
              input: w.name,
            });
          } else {
            names.set(w.name, i);
          }
        }
        if (Array.isArray(w.instanceIds)) {
          w.instanceIds.forEach((id: unknown, j: number) => {
            if (typeof id !== 'string') return;
            const owner = owners.get(id);
            if (owner !== undefined && owner !== `workloads[${i}]`) {
              ctx.addIssue({
                code: 'custom',
                path: ['workloads', i, 'instanceIds', j],
                message: `an instance id that no other workload protects (${owner} has it)`,
                input: id,
              });
            } else {
              owners.set(id, `workloads[${i}]`);
            }
          });
        }
      });
      for (const issue of healthProbeIssues(plan)) ctx.addIssue({ code: 'custom', ...issue });
      const recovery = typeof plan.recoveryRegion === 'string' ? plan.recoveryRegion : undefined;
      const backup: Record<string, unknown> = isRecord(plan.backup) ? plan.backup : {};
      const keyRegion = arnRegion(backup.kmsKeyId);
      if (recovery !== undefined && keyRegion !== undefined && keyRegion !== recovery) {
        ctx.addIssue({
          code: 'custom',
          path: ['backup', 'kmsKeyId'],
          message: `a KMS key in the recovery region ${JSON.stringify(recovery)} (copies are encrypted there)`,
          input: backup.kmsKeyId,
        });
      }
      const notifications: Record<string, unknown> = isRecord(plan.notifications) ? plan.notifications : {};
      const topicRegion = arnRegion(notifications.snsTopicArn);
      if (recovery !== undefined && topicRegion !== undefined && topicRegion !== recovery) {
        ctx.addIssue({
          code: 'custom',
          path: ['notifications', 'snsTopicArn'],
          message: `an SNS topic in the recovery region ${JSON.stringify(recovery)} (alarms must work when the primary region is down)`,
          input: notifications.snsTopicArn,
        });
      }
      const workloadNames = workloads.filter(isRecord).map((w) => w.name).filter((n): n is string => typeof n === 'string');
      for (const [path, message, input] of trafficIssues(plan.traffic, workloadNames, recovery)) {
        ctx.addIssue({ code: 'custom', path, message, input });
      }
      const primary = typeof plan.primaryRegion === 'string' ? plan.primaryRegion : undefined;
      const checked = workloads.filter((w) => isRecord(w) && w.healthCheck !== undefined && typeof w.name === 'string').map((w) => (w as { name: string }).name);
      const listed = workloads.filter(isRecord).reduce((n, w) => n + (Array.isArray(w.instanceIds) ? w.instanceIds.length : 0), 0);
      for (const issue of failbackIssues(plan.failback, workloadNames, primary, checked, listed)) ctx.addIssue({ code: 'custom', ...issue });
      if (isRecord(plan.tags)) {
        for (const key of Object.keys(plan.tags)) {
          if (key.startsWith('lifeboat:')) {
            ctx.addIssue({
              code: 'custom',
              path: ['tags', key],
              message: 'a tag key outside the "lifeboat:" namespace (Lifeboat sets those itself)',
              input: key,
            });
          }
        }
      }
    },
    { when: () => true },
  );

/** A parsed plan, every default filled in. */
export type Plan = z.infer<typeof PlanSchema>;
/** A plan as written in JSON (defaults optional). */
export type PlanInput = z.input<typeof PlanSchema>;

// ---------------------------------------------------------------------------------------------
// parsePlan and PlanError
// ---------------------------------------------------------------------------------------------

/** One problem in a plan: where, what was expected, what was found (rendered as JSON). */
export interface PlanIssue {
  /** The JSON path, e.g. `workloads[2].launch.subnetIds`; empty for the whole document. */
  readonly path: string;
  /** What was expected, as a noun phrase ("at least 1 subnet id"). */
  readonly expected: string;
  /** What was found, rendered with `JSON.stringify` ("[]"), or `nothing` when the field is missing. */
  readonly found: string;
}

/**
 * A plan that failed to parse, with every issue.
 *
 * The message has one line per issue: `<source> › <path>: expected …, found …`.
 */
export class PlanError extends Error {
  /** Where the plan came from (a file path, or a label such as `plan`). */
  readonly source: string;
  /** Every issue, in document order. */
  readonly issues: readonly PlanIssue[];

  constructor(source: string, issues: readonly PlanIssue[]) {
    super(issues.map((issue) => formatPlanIssue(source, issue)).join('\n'));
    this.name = 'PlanError';
    this.source = source;
    this.issues = issues;
  }
}

/**
 * Renders one issue as `<source> › <path>: expected <expected>, found <found>`.
 *
 * @example formatPlanIssue('shop.plan.json', { path: 'name', expected: 'a plan name', found: '"Shop"' })
 *          // 'shop.plan.json › name: expected a plan name, found "Shop"'
 */
export function formatPlanIssue(source: string, issue: PlanIssue): string {
  const where = issue.path === '' ? source : `${source} › ${issue.path}`;
  return `${where}: expected ${issue.expected}, found ${issue.found}`;
}

/**
 * Parses and validates a plan.
 *
 * @param json the plan as a JSON string or an already parsed value
 * @param source where it came from, used in messages (e.g. the file path)
 * @returns the plan, every default filled in
 * @throws PlanError listing every issue (JSON syntax errors included)
 */
export function parsePlan(json: unknown, source: string): Plan {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new PlanError(source, [
        { path: '', expected: 'a JSON document', found: `invalid JSON (${(error as Error).message})` },
      ]);
    }
  }
  const result = PlanSchema.safeParse(value);
  if (result.success) return result.data;
  throw new PlanError(source, toPlanIssues(result.error.issues, value));
}

/**
 * Turns zod issues into plan issues, reading the `found` value from the original document.
 *
 * Exported for the task schemas' wrapper, which reports input problems the same way.
 */
export function toPlanIssues(issues: readonly z.core.$ZodIssue[], root: unknown): PlanIssue[] {
  const out: PlanIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const container = valueAt(root, issue.path);
      const known = isRecord(container) ? knownKeysOf(issue) : [];
      for (const key of issue.keys) {
        const suggestion = closest(key, known);
        out.push({
          path: formatPath([...issue.path, key]),
          expected: suggestion
            ? `no key ${JSON.stringify(key)}; did you mean ${JSON.stringify(suggestion)}?`
            : `no key ${JSON.stringify(key)} (not a known setting)`,
          found: render(isRecord(container) ? container[key] : undefined),
        });
      }
      continue;
    }
    // A custom issue may say what it found in words (`params.found`), e.g. "both" for two
    // mutually exclusive keys; otherwise the value at the path is rendered.
    const said = issue.code === 'custom' ? issue.params?.found : undefined;
    const found = typeof said === 'string' ? said : render(valueAt(root, issue.path));
    out.push({ path: formatPath(issue.path), expected: expectedOf(issue), found });
  }
  return dedupe(out);
}

/**
 * Formats a zod path as `workloads[2].launch.subnetIds`.
 *
 * @example formatPath(['workloads', 2, 'launch', 'subnetIds']) // 'workloads[2].launch.subnetIds'
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

// --- helpers ---------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arnRegion(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('arn:')) return undefined;
  const region = value.split(':')[3];
  return region === '' ? undefined : region;
}

function addDuplicateIssues(
  ctx: z.core.$RefinementCtx,
  list: unknown,
  path: (string | number)[],
  what: string,
): void {
  if (!Array.isArray(list)) return;
  const seen = new Map<unknown, number>();
  list.forEach((item, i) => {
    const first = seen.get(item);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, i],
        message: `a ${what} not listed before (it is already at [${first}])`,
        input: item,
      });
    } else {
      seen.set(item, i);
    }
  });
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = root;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

function render(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
};

function expectedOf(issue: z.core.$ZodIssue): string {
  // Our own messages never start with zod's "Invalid"/"Too"/"Unrecognized" wording.
  if (!/^(Invalid|Too (small|big)|Unrecognized|Expected)\b/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_NAMES[issue.expected] ?? `a value of type ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'array' ? `at least ${issue.minimum} items` : `at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array' ? `at most ${issue.maximum} items` : `at most ${issue.maximum}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

/** The known keys of the object schema at an unrecognized-keys issue, when zod reports them. */
function knownKeysOf(issue: z.core.$ZodIssueUnrecognizedKeys): string[] {
  return KNOWN_KEYS.get(formatPath(issue.path).replace(/\[\d+\]/g, '[]')) ?? [];
}

const KNOWN_KEYS = new Map<string, string[]>([
  ['', ['name', 'description', 'primaryRegion', 'recoveryRegion', 'objectives', 'workloads', 'backup', 'drill', 'failover', 'notifications', 'approval', 'preflight', 'scale', 'traffic', 'healthProbe', 'failback', 'tags']],
  ['approval', [...APPROVAL_KEYS]],
  ['objectives', ['rpoMinutes', 'rtoMinutes']],
  ['workloads[]', ['name', 'instanceIds', 'tagSelector', 'critical', 'wave', 'launch']],
  ['workloads[].launch', ['subnetIds', 'securityGroupIds', 'instanceTypes', 'keyName', 'instanceProfileArn', 'launchTemplate']],
  ['workloads[].launch.launchTemplate', ['id', 'name', 'version']],
  ['backup', ['schedule', 'timezone', 'retention', 'noReboot', 'kmsKeyId', 'copyTags', 'batchSize', 'maxConcurrentBatches', 'imageTimeoutMinutes', 'copyTimeoutMinutes', 'maxConcurrentImages', 'copyQuotas']],
  ['backup.copyQuotas', ['concurrentAmiCopies', 'concurrentSnapshotCopies']],
  ['backup.retention', ['count', 'maxAgeDays']],
  ['drill', ['schedule', 'timezone', 'isolatedSubnetIds', 'securityGroupIds', 'teardown', 'maxIntervalDays', 'launchTimeoutMinutes']],
  ['drill.teardown', ['holdMinutes']],
  ['failover', ['launchTimeoutMinutes']],
  ['notifications', ['snsTopicArn', 'emails']],
  ['scale', ['mode', 'launchBatchSize', 'maxConcurrentLaunchBatches']],
  ...TRAFFIC_KNOWN_KEYS.map(([path, keys]) => [path, [...keys]] as [string, string[]]),
]);

/** The known key closest to `key` (edit distance ≤ 2, or a case-insensitive match), if any. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = candidate.toLowerCase() === key.toLowerCase() ? 0 : distance(key, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

function dedupe(issues: PlanIssue[]): PlanIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.expected}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
