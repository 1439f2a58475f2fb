import * as z from 'zod';

/*
 * Application health checks in the plan (docs/decisions/0011): a workload's `healthCheck`, which
 * every recovered instance of it must pass before its wave counts as ready, and the plan's
 * `healthProbe`, the recovery-VPC network the probe function runs in on AWS. Imported by
 * `plan.ts`; self-contained (plan.ts imports this file, not the other way round).
 *
 * Messages are the *expected* half of "expected …, found …", as in plan.ts.
 */

/** Protocols a health check speaks. */
export const HEALTH_PROTOCOLS = ['http', 'https', 'tcp'] as const;

/** The port a check uses when it names none: 80 for HTTP, 443 for HTTPS (TCP must name one). */
export const DEFAULT_HEALTH_PORTS: Readonly<Record<'http' | 'https', number>> = { http: 80, https: 443 };

/** The statuses an HTTP(S) check accepts unless told otherwise. */
export const DEFAULT_EXPECTED_STATUS = '200-399';

const intIn = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what} (an integer from ${min} to ${max})` })
    .int({ error: `${what} (an integer from ${min} to ${max})` })
    .min(min, { error: `${what} (an integer from ${min} to ${max})` })
    .max(max, { error: `${what} (an integer from ${min} to ${max})` });

/** An HTTP status (`200`) or an inclusive range (`"200-399"`). */
export const ExpectedStatusSchema = z.union(
  [
    intIn('an HTTP status', 100, 599),
    z
      .string()
      .regex(/^[1-5]\d\d-[1-5]\d\d$/)
      .refine((r) => Number(r.slice(0, 3)) <= Number(r.slice(4)), { error: 'a range whose first status is not above its last' }),
  ],
  { error: 'an HTTP status such as 200 or a range such as "200-399"' },
);

/**
 * A workload's health check: every recovered instance must pass it before its wave is ready.
 *
 * A probe passes when an HTTP(S) GET of `path` answers a status in `expectedStatus` within
 * `timeoutSeconds` (TLS certificates are not verified, as load balancers' checks do not), or a TCP
 * connection to `port` is accepted. An instance is healthy after `healthyThreshold` passing probes
 * in a row, `intervalSeconds` apart; a failed probe starts the count again. The check fails when an
 * instance is not healthy `deadlineMinutes` after the health step started.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html (the same settings, as ELB names them)
 */
export const HealthCheckSchema = z
  .strictObject(
    {
      protocol: z.enum(HEALTH_PROTOCOLS, { error: 'one of "http", "https", "tcp"' }),
      /** @default 80 for http, 443 for https; required for tcp */
      port: intIn('a port', 1, 65535).optional(),
      /** HTTP(S) only. @default "/" */
      path: z
        .string({ error: 'a path starting with "/" (at most 1024 characters)' })
        .regex(/^\/[\x21-\x7e]*$/, { error: 'a path starting with "/", without spaces (at most 1024 characters)' })
        .max(1024, { error: 'a path starting with "/" (at most 1024 characters)' })
        .optional(),
      /** HTTP(S) only. @default "200-399" */
      expectedStatus: ExpectedStatusSchema.optional(),
      /** @default 5 */
      timeoutSeconds: intIn('a probe timeout in seconds', 1, 60).default(5),
      /** @default 10 */
      intervalSeconds: intIn('an interval in seconds', 5, 300).default(10),
      /** Consecutive passing probes that make an instance healthy. @default 2 */
      healthyThreshold: intIn('a number of consecutive passing probes', 1, 10).default(2),
      /** From the start of the wave's health step. @default 15 */
      deadlineMinutes: intIn('a deadline in minutes', 1, 240).default(15),
    },
    { error: 'a health check object such as {"protocol": "http", "path": "/health"}' },
  )
  .superRefine(
    (c, ctx) => {
      if (typeof c !== 'object' || c === null) return;
      if (c.protocol === 'tcp') {
        if (c.port === undefined) ctx.addIssue({ code: 'custom', path: ['port'], message: 'a port (a TCP check names the port it connects to)', input: undefined });
        if (c.path !== undefined) ctx.addIssue({ code: 'custom', path: ['path'], message: 'no path (a TCP check only connects)', input: c.path });
        if (c.expectedStatus !== undefined) ctx.addIssue({ code: 'custom', path: ['expectedStatus'], message: 'no expected status (a TCP check only connects)', input: c.expectedStatus });
      }
      if (typeof c.timeoutSeconds === 'number' && typeof c.intervalSeconds === 'number' && c.timeoutSeconds >= c.intervalSeconds) {
        ctx.addIssue({ code: 'custom', path: ['timeoutSeconds'], message: `a timeout shorter than the interval (${c.intervalSeconds} s)`, input: c.timeoutSeconds });
      }
    },
    { when: () => true },
  );

/** A workload's health check, defaults filled in (port and status still as written). */
export type HealthCheck = z.infer<typeof HealthCheckSchema>;

const idOf = (prefix: string, what: string) =>
  z.string({ error: `${what} such as "${prefix}-0123456789abcdef0"` }).regex(new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`), { error: `${what} such as "${prefix}-0123456789abcdef0"` });

/**
 * Where the health probe runs on AWS: a Lambda function attached to these subnets of the recovery
 * VPC with these security groups. They must reach every workload's health-check port in the
 * launch subnets and in the drill's isolated subnets (same VPC, or routed), and the subnets need
 * no internet route unless the probe must look instances up (then an EC2 VPC endpoint or a NAT).
 */
export const HealthProbeSchema = z.strictObject(
  {
    subnetIds: z
      .array(idOf('subnet', 'a subnet id'), { error: 'a list of subnet ids' })
      .min(1, { error: 'at least 1 subnet id' })
      .max(16, { error: 'at most 16 subnet ids (Lambda allows 16)' }),
    securityGroupIds: z
      .array(idOf('sg', 'a security group id'), { error: 'a list of security group ids' })
      .min(1, { error: 'at least 1 security group id' })
      .max(5, { error: 'at most 5 security group ids (Lambda allows 5)' }),
  },
  { error: 'a health probe object such as {"subnetIds": ["subnet-…"], "securityGroupIds": ["sg-…"]}' },
);

/** The probe function's network. */
export type HealthProbe = z.infer<typeof HealthProbeSchema>;

/** A check as the probe task receives it: port and expected statuses resolved. */
export interface ResolvedHealthCheck {
  readonly protocol: 'http' | 'https' | 'tcp';
  readonly port: number;
  /** `null` for TCP. */
  readonly path: string | null;
  /** `null` for TCP. */
  readonly expectedStatus: { readonly min: number; readonly max: number } | null;
  readonly timeoutSeconds: number;
  readonly intervalSeconds: number;
  readonly healthyThreshold: number;
  readonly deadlineMinutes: number;
}

/** Fills in a check's port, path and expected statuses as the probe uses them. */
export function resolveHealthCheck(check: HealthCheck): ResolvedHealthCheck {
  const isTcp = check.protocol === 'tcp';
  const status = check.expectedStatus ?? DEFAULT_EXPECTED_STATUS;
  const [min, max] = typeof status === 'number' ? [status, status] : status.split('-').map(Number);
  return {
    protocol: check.protocol,
    port: check.port ?? (isTcp ? 0 : DEFAULT_HEALTH_PORTS[check.protocol as 'http' | 'https']),
    path: isTcp ? null : (check.path ?? '/'),
    expectedStatus: isTcp ? null : { min: min!, max: max! },
    timeoutSeconds: check.timeoutSeconds,
    intervalSeconds: check.intervalSeconds,
    healthyThreshold: check.healthyThreshold,
    deadlineMinutes: check.deadlineMinutes,
  };
}

/**
 * The plan-level rule: a plan whose workloads declare health checks names the probe's network
 * (`healthProbe`), and one without checks has no use for it. Returns issues for `superRefine`.
 */
export function healthProbeIssues(plan: { workloads?: unknown; healthProbe?: unknown }): { path: (string | number)[]; message: string; input: unknown }[] {
  const workloads = Array.isArray(plan.workloads) ? plan.workloads : [];
  const checked = workloads.filter((w) => typeof w === 'object' && w !== null && (w as { healthCheck?: unknown }).healthCheck !== undefined);
  if (checked.length > 0 && plan.healthProbe === undefined) {
    return [{ path: ['healthProbe'], message: `a health probe network ({"subnetIds": […], "securityGroupIds": […]}) because ${checked.length} workload(s) declare a health check`, input: undefined }];
  }
  return [];
}
