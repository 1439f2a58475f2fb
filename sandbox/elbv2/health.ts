/**
 * Target health on the sandbox clock: a pure function of the target's registration time, the
 * target group's health-check settings and what the target answered at each check time.
 *
 * A load balancer checks every `HealthCheckIntervalSeconds`. A newly registered target is
 * `initial` until `HealthyThresholdCount` consecutive checks pass (then `healthy`) or
 * `UnhealthyThresholdCount` consecutive checks fail (then `unhealthy`); afterwards it changes
 * state only after the same numbers of consecutive opposite results.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 */

/** What one health check found. */
export type ProbeAnswer =
  | { readonly kind: 'answered'; readonly statusCode: number }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'refused' };

/** The health-check settings of a target group. */
export interface HealthCheckSettings {
  readonly protocol: string;
  /** A port number, or `traffic-port` (the target's port). */
  readonly port: string;
  readonly path?: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  /** HTTP codes that pass: `200`, `200,202`, `200-299`. */
  readonly matcher: string;
}

/** The result as DescribeTargetHealth renders it. */
export interface TargetHealthView {
  readonly state: 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';
  readonly reason?: string;
  readonly description?: string;
}

/** The most checks walked per read; older history than this does not change the state shown. */
const MAX_CHECKS = 2_000;

/** True when `code` is one of the matcher's codes (`200`, `200,202`, `200-299`). */
export function matches(matcher: string, code: number): boolean {
  return matcher.split(',').some((part) => {
    const [lo, hi] = part.trim().split('-').map(Number);
    return hi === undefined ? code === lo : code >= lo! && code <= hi;
  });
}

/**
 * The health of a registered target at `nowMs`.
 *
 * @param probe what the target answered a check made at the given time
 */
export function healthAt(registeredAtMs: number, nowMs: number, check: HealthCheckSettings, probe: (atMs: number) => ProbeAnswer): TargetHealthView {
  const intervalMs = check.intervalSeconds * 1000;
  const checks = Math.floor((nowMs - registeredAtMs) / intervalMs);
  if (checks < 1) return { state: 'initial', reason: 'Elb.RegistrationInProgress', description: 'Target registration is in progress' };
  let state: 'initial' | 'healthy' | 'unhealthy' = 'initial';
  let passes = 0;
  let failures = 0;
  let last: ProbeAnswer = { kind: 'refused' };
  for (let k = Math.max(1, checks - MAX_CHECKS + 1); k <= checks; k++) {
    last = probe(registeredAtMs + k * intervalMs);
    const isPass = last.kind === 'answered' && (check.protocol === 'TCP' || matches(check.matcher, last.statusCode));
    if (isPass) {
      passes++;
      failures = 0;
      if (passes >= check.healthyThreshold) state = 'healthy';
    } else {
      failures++;
      passes = 0;
      if (failures >= check.unhealthyThreshold) state = 'unhealthy';
    }
  }
  if (state === 'healthy') return { state };
  if (state === 'initial') return { state, reason: 'Elb.InitialHealthChecking', description: 'Initial health checks in progress' };
  if (last.kind === 'timeout') return { state, reason: 'Target.Timeout', description: 'Request timed out' };
  if (last.kind === 'answered' && check.protocol !== 'TCP') return { state, reason: 'Target.ResponseCodeMismatch', description: `Health checks failed with these codes: [${last.statusCode}]` };
  return { state, reason: 'Target.FailedHealthChecks', description: 'Health checks failed' };
}
