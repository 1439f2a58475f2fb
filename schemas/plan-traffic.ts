import { z } from 'zod';

/*
 * The plan's `traffic` section: how users reach the recovered workloads once a failover's waves
 * are healthy (docs/contracts.md, "The traffic switch"). Imported by plan.ts.
 */

/** A Route 53 hosted zone id such as `Z0123456789ABCDEFGHIJ`. @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_HostedZone.html */
export const HostedZoneIdSchema = z
  .string({ error: 'a hosted zone id such as "Z0123456789ABCDEFGHIJ"' })
  .regex(/^Z[A-Z0-9]{1,31}$/, { error: 'a hosted zone id such as "Z0123456789ABCDEFGHIJ"' });

/** A DNS name such as `app.example.com` or `app.example.com.` (at most 255 characters). */
export const DnsNameSchema = z
  .string({ error: 'a DNS name such as "app.example.com."' })
  .regex(/^(\*\.)?([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)*[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?$/, {
    error: 'a DNS name such as "app.example.com." (labels of letters, digits, "-" and "_")',
  })
  .max(255, { error: 'a DNS name of at most 255 characters' });

/** The record types the traffic switch changes. */
export const TrafficRecordTypeSchema = z.enum(['A', 'AAAA', 'CNAME', 'TXT'], { error: 'a record type: one of "A", "AAAA", "CNAME", "TXT"' });

/** An Elastic Load Balancing v2 target group ARN. @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroup.html */
export const TargetGroupArnSchema = z
  .string({ error: 'a target group ARN such as "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/web/0123456789abcdef"' })
  .regex(/^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/, {
    error: 'a target group ARN such as "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/web/0123456789abcdef"',
  });

/** A recovered workload's instances, registered in a target group of the recovery region. */
export const TrafficTargetGroupSchema = z.strictObject(
  {
    /** The workload whose recovered instances are registered. */
    workload: z.string({ error: 'a workload name of this plan' }),
    /** A target group in the recovery region, in use by a load balancer. */
    targetGroupArn: TargetGroupArnSchema,
    /** The port the instances take traffic on. @default the target group's port */
    port: z.number({ error: 'a port from 1 to 65535' }).int({ error: 'a port from 1 to 65535' }).min(1, { error: 'a port from 1 to 65535' }).max(65535, { error: 'a port from 1 to 65535' }).optional(),
    /**
     * A target group of the drill's own (recovery region, behind a drill load balancer) that a drill
     * with `traffic.drill` "exercise" registers its instances in, waits on, and deregisters them
     * from before it ends. Never the production group: a drill sends no user a drill instance.
     * @default none: a drill registers this workload nowhere
     */
    drillTargetGroupArn: TargetGroupArnSchema.optional(),
  },
  { error: 'a target group object such as {"workload": "web", "targetGroupArn": "arn:aws:elasticloadbalancing:…"}' },
);

const recordBase = {
  hostedZoneId: HostedZoneIdSchema,
  /** The record's name; a trailing dot is optional. */
  name: DnsNameSchema,
  type: TrafficRecordTypeSchema,
  /**
   * A record name of the drill's own, in the same hosted zone (e.g. `drill-shop.example.com`): a
   * drill with `traffic.drill` "exercise" makes on it, for real, the change this entry makes to
   * `name` in a failover (created when absent), and puts it back as it was before the drill ends.
   * @default none
   */
  drillRecordName: DnsNameSchema.optional(),
};

const setIdentifier = z.string({ error: 'a set identifier of 1-128 characters' }).min(1, { error: 'a set identifier of 1-128 characters' }).max(128, { error: 'a set identifier of 1-128 characters' });

/** Replace one record's values (`"setIdentifier"` picks one of a routing policy's records). */
export const ValuesChangeSchema = z.strictObject({
  kind: z.literal('values'),
  ...recordBase,
  setIdentifier: setIdentifier.optional(),
  values: z.array(z.string({ error: 'a record value' }).min(1, { error: 'a non-empty record value' }), { error: 'a list of record values' }).min(1, { error: 'at least 1 value' }).max(100, { error: 'at most 100 values' }),
  /** @default the record's current TTL (60 when it is an alias now) */
  ttl: z.number({ error: 'a TTL in seconds (0-2147483647)' }).int({ error: 'a TTL in seconds (0-2147483647)' }).min(0, { error: 'a TTL in seconds (0-2147483647)' }).max(2147483647, { error: 'a TTL in seconds (0-2147483647)' }).optional(),
});

/** Point one record at another alias target (a recovery-region load balancer). */
export const AliasChangeSchema = z.strictObject({
  kind: z.literal('alias'),
  ...recordBase,
  setIdentifier: setIdentifier.optional(),
  aliasTarget: z.strictObject(
    {
      hostedZoneId: HostedZoneIdSchema,
      dnsName: DnsNameSchema,
      /** @default false */
      evaluateTargetHealth: z.boolean({ error: 'true or false' }).default(false),
    },
    { error: 'an alias target such as {"hostedZoneId": "Z35SXDOTRQ7X7K", "dnsName": "dr-alb-123.us-west-2.elb.amazonaws.com."}' },
  ),
});

/** Set the weights of weighted records, by set identifier (e.g. primary 0, recovery 100). */
export const WeightsChangeSchema = z.strictObject({
  kind: z.literal('weights'),
  ...recordBase,
  weights: z
    .record(setIdentifier, z.number({ error: 'a weight from 0 to 255' }).int({ error: 'a weight from 0 to 255' }).min(0, { error: 'a weight from 0 to 255' }).max(255, { error: 'a weight from 0 to 255' }), {
      error: 'weights by set identifier such as {"primary": 0, "recovery": 100}',
    })
    .refine((w) => Object.keys(w).length >= 1, { error: 'at least 1 weight' }),
});

/** Turn a failover pair: the named record becomes PRIMARY, the other of the pair SECONDARY. */
export const FailoverChangeSchema = z.strictObject({
  kind: z.literal('failover'),
  ...recordBase,
  primarySetIdentifier: setIdentifier,
});

/** One record change of the traffic switch. */
export const RecordChangeSchema = z.discriminatedUnion('kind', [ValuesChangeSchema, AliasChangeSchema, WeightsChangeSchema, FailoverChangeSchema], {
  error: 'a record change with "kind" one of "values", "alias", "weights", "failover"',
});
export type RecordChange = z.infer<typeof RecordChangeSchema>;

/**
 * The traffic switch: target groups to register the recovered instances in, and Route 53 record
 * changes, applied by a failover once every wave is healthy.
 */
export const TrafficSettingsSchema = z.strictObject(
  {
    /** @default [] */
    targetGroups: z.array(TrafficTargetGroupSchema, { error: 'a list of target groups' }).max(20, { error: 'at most 20 target groups' }).default([]),
    /** @default [] */
    records: z.array(RecordChangeSchema, { error: 'a list of record changes' }).max(50, { error: 'at most 50 record changes' }).default([]),
    /**
     * What a drill does with the switch. `report`: the changes a failover would make (it registers
     * nothing and changes no record). `exercise`: the switch runs for real on the drill's own names
     * (each record's `drillRecordName`, each target group's `drillTargetGroupArn`) and is undone
     * before the drill ends, on its failure path too; production records are only read.
     * @default "report"
     */
    drill: z.enum(['report', 'exercise'], { error: 'a drill traffic mode: "report" or "exercise"' }).default('report'),
    /** How long the switch may wait for healthy targets and an INSYNC change. @default 15 */
    timeoutMinutes: z.number({ error: 'minutes from 1 to 180' }).int({ error: 'minutes from 1 to 180' }).min(1, { error: 'minutes from 1 to 180' }).max(180, { error: 'minutes from 1 to 180' }).default(15),
  },
  { error: 'a traffic object such as {"targetGroups": [...], "records": [...]}' },
);
export type TrafficSettings = z.infer<typeof TrafficSettingsSchema>;

/** The keys of each traffic object, for "did you mean" hints (merged into plan.ts's table). */
export const TRAFFIC_KNOWN_KEYS: readonly (readonly [string, string[]])[] = [
  ['traffic', ['targetGroups', 'records', 'drill', 'timeoutMinutes']],
  ['traffic.targetGroups[]', ['workload', 'targetGroupArn', 'port', 'drillTargetGroupArn']],
  ['traffic.records[]', ['kind', 'hostedZoneId', 'name', 'type', 'setIdentifier', 'values', 'ttl', 'aliasTarget', 'weights', 'primarySetIdentifier', 'drillRecordName']],
  ['traffic.records[].aliasTarget', ['hostedZoneId', 'dnsName', 'evaluateTargetHealth']],
];

/** Cross-field problems of the traffic section: `[path, message, found]` (the plan's superRefine reports them). */
export function trafficIssues(traffic: unknown, workloadNames: readonly string[], recoveryRegion: string | undefined): [(string | number)[], string, unknown][] {
  if (typeof traffic !== 'object' || traffic === null) return [];
  const t = traffic as { targetGroups?: unknown; records?: unknown; drill?: unknown };
  const out: [(string | number)[], string, unknown][] = [];
  const isExercise = t.drill === 'exercise';
  const norm = (name: string) => name.toLowerCase().replace(/\.$/, '');
  if (Array.isArray(t.targetGroups)) {
    t.targetGroups.forEach((g: unknown, i: number) => {
      if (typeof g !== 'object' || g === null) return;
      const { workload, targetGroupArn } = g as { workload?: unknown; targetGroupArn?: unknown };
      if (typeof workload === 'string' && !workloadNames.includes(workload)) {
        out.push([['traffic', 'targetGroups', i, 'workload'], `a workload of this plan: one of ${workloadNames.map((n) => JSON.stringify(n)).join(', ')}`, workload]);
      }
      const region = typeof targetGroupArn === 'string' ? targetGroupArn.split(':')[3] : undefined;
      if (recoveryRegion !== undefined && region !== undefined && region !== recoveryRegion) {
        out.push([['traffic', 'targetGroups', i, 'targetGroupArn'], `a target group in the recovery region ${JSON.stringify(recoveryRegion)} (the recovered instances run there)`, targetGroupArn]);
      }
      const { drillTargetGroupArn } = g as { drillTargetGroupArn?: unknown };
      if (typeof drillTargetGroupArn === 'string') {
        const path = ['traffic', 'targetGroups', i, 'drillTargetGroupArn'];
        const drillRegion = drillTargetGroupArn.split(':')[3];
        const production = (t.targetGroups as unknown[]).map((x) => (typeof x === 'object' && x !== null ? (x as { targetGroupArn?: unknown }).targetGroupArn : undefined));
        if (!isExercise) out.push([path, 'no drill target group unless traffic.drill is "exercise" (a drill that reports registers nothing); set "drill": "exercise", or remove it', drillTargetGroupArn]);
        else if (production.includes(drillTargetGroupArn)) out.push([path, 'a target group of the drill\'s own, not one of traffic.targetGroups[].targetGroupArn (a drill never sends users to drill instances)', drillTargetGroupArn]);
        else if (recoveryRegion !== undefined && drillRegion !== recoveryRegion) out.push([path, `a target group in the recovery region ${JSON.stringify(recoveryRegion)} (the drill instances run there)`, drillTargetGroupArn]);
      }
    });
  }
  if (Array.isArray(t.records)) {
    const seen = new Map<string, number>();
    t.records.forEach((r: unknown, i: number) => {
      if (typeof r !== 'object' || r === null) return;
      const { hostedZoneId, name, type, setIdentifier, kind } = r as Record<string, unknown>;
      if (typeof name !== 'string') return;
      const key = `${String(hostedZoneId)}|${name.toLowerCase().replace(/\.$/, '')}|${String(type)}|${kind === 'values' || kind === 'alias' ? String(setIdentifier ?? '') : '*'}`;
      const first = seen.get(key);
      if (first !== undefined) out.push([['traffic', 'records', i], `a record not changed before (traffic.records[${first}] changes the same record)`, name]);
      else seen.set(key, i);
    });
    const productionNames = new Set(t.records.map((r: unknown) => (typeof r === 'object' && r !== null && typeof (r as { name?: unknown }).name === 'string' ? norm((r as { name: string }).name) : '')));
    const drillNames = new Map<string, number>();
    t.records.forEach((r: unknown, i: number) => {
      if (typeof r !== 'object' || r === null) return;
      const { drillRecordName, hostedZoneId, type } = r as Record<string, unknown>;
      const path = ['traffic', 'records', i, 'drillRecordName'];
      if (drillRecordName === undefined) {
        if (isExercise) out.push([path, 'a drill record name of the drill\'s own in the same hosted zone, such as "drill-shop.example.com" (traffic.drill "exercise" switches every record on its drill name); or set "drill": "report"', undefined]);
        return;
      }
      if (typeof drillRecordName !== 'string') return;
      if (!isExercise) {
        out.push([path, 'no drill record name unless traffic.drill is "exercise" (a drill that reports changes nothing); set "drill": "exercise", or remove it', drillRecordName]);
        return;
      }
      if (productionNames.has(norm(drillRecordName))) {
        out.push([path, 'a name of the drill\'s own, not one of traffic.records[].name (a drill never changes a production record)', drillRecordName]);
        return;
      }
      const key = `${String(hostedZoneId)}|${norm(drillRecordName)}|${String(type)}`;
      const first = drillNames.get(key);
      if (first !== undefined) out.push([path, `a drill record name not used before (traffic.records[${first}].drillRecordName is the same record)`, drillRecordName]);
      else drillNames.set(key, i);
    });
  }
  return out;
}
