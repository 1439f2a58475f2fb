/**
 * An EC2 API error: rendered as `<Response><Errors><Error><Code>…` with the HTTP status AWS uses,
 * so @aws-sdk/client-ec2 raises an `EC2ServiceException` whose `name` is the code.
 * @see https://docs.aws.amazon.com/ec2/latest/devguide/errors-overview.html
 */
export class Ec2Error extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status?: number) {
    super(message);
    this.name = 'Ec2Error';
    this.code = code;
    this.status = status ?? defaultStatus(code);
  }
}

/**
 * The status AWS sends with a code: 412 for DryRunOperation, 503 for throttling and Unavailable,
 * 500 for server faults and insufficient capacity, 403 for authorization, 400 otherwise.
 */
export function defaultStatus(code: string): number {
  switch (code) {
    case 'DryRunOperation':
      return 412;
    case 'RequestLimitExceeded':
    case 'Unavailable':
    case 'ServiceUnavailable':
      return 503;
    case 'InternalError':
    case 'InsufficientInstanceCapacity':
      return 500;
    case 'UnauthorizedOperation':
      return 403;
    case 'AuthFailure':
      return 401;
    default:
      return 400;
  }
}

/** The error AWS answers to `DryRun=true` when the call would have succeeded. */
export function dryRunError(): Ec2Error {
  return new Ec2Error('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
}

/**
 * Thrown (or returned as a marker) when the region is unreachable: the endpoint behaves like a
 * host that drops the connection. See `sandbox/ec2/README.md` for how the server renders it.
 */
export class RegionUnreachableError extends Error {
  readonly region: string;
  constructor(region: string) {
    super(`ec2 region ${JSON.stringify(region)} is unreachable (outage injected)`);
    this.name = 'RegionUnreachableError';
    this.region = region;
  }
}
