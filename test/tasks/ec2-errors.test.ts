import { describe, expect, test } from 'vitest';
import { LIFEBOAT_ERROR_NAMES } from '../../schemas/errors.js';
import { EC2_ERROR_TABLE, lifeboatErrorNameOf, toLifeboatError } from '../../tasks/_shared/ec2-errors.js';
import {
  CapacityError,
  ImageFailedError,
  InvalidInputError,
  HealthCheckFailedError,
  LaunchFailedError,
  NotFoundError,
  StepFailedError,
  ThrottledError,
  TimeoutError,
  TransientError,
  UnexpectedError,
  VerificationFailedError,
} from '../../tasks/_shared/errors.js';
import { ec2Error } from './helpers.js';

/** A Node.js socket error as the SDK's HTTP handler surfaces it. */
function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:4566`), { code, name: 'Error' });
}

// One row per entry of docs/contracts.md "Errors"; codes from
// https://docs.aws.amazon.com/ec2/latest/devguide/errors-overview.html
describe('tasks: ec2 error table', () => {
  test.each([
    ['RequestLimitExceeded', 503, 'Lifeboat.Throttled'],
    ['Throttling', 400, 'Lifeboat.Throttled'],
    ['ThrottlingException', 400, 'Lifeboat.Throttled'],
    ['InternalError', 500, 'Lifeboat.Transient'],
    ['Unavailable', 503, 'Lifeboat.Transient'],
    ['ServiceUnavailable', 503, 'Lifeboat.Transient'],
    ['SomethingNew', 502, 'Lifeboat.Transient'],
    ['TimeoutError', 0, 'Lifeboat.Transient'],
    ['InsufficientInstanceCapacity', 500, 'Lifeboat.Capacity'],
    ['InsufficientCapacity', 500, 'Lifeboat.Capacity'],
    ['InstanceLimitExceeded', 400, 'Lifeboat.Capacity'],
    ['ResourceLimitExceeded', 400, 'Lifeboat.Capacity'],
    ['InvalidAMIID.NotFound', 400, 'Lifeboat.NotFound'],
    ['InvalidInstanceID.NotFound', 400, 'Lifeboat.NotFound'],
    ['InvalidSnapshot.NotFound', 400, 'Lifeboat.NotFound'],
    ['InvalidAMIID.Malformed', 400, 'Lifeboat.InvalidInput'],
    ['InvalidParameterValue', 400, 'Lifeboat.InvalidInput'],
    ['InvalidParameterCombination', 400, 'Lifeboat.InvalidInput'],
    ['MissingParameter', 400, 'Lifeboat.InvalidInput'],
    ['UnauthorizedOperation', 403, 'Lifeboat.InvalidInput'],
    ['IdempotentParameterMismatch', 400, 'Lifeboat.InvalidInput'],
    ['InvalidSnapshot.InUse', 400, 'Lifeboat.Unexpected'],
    ['AuthFailure', 401, 'Lifeboat.Unexpected'],
  ])('maps EC2 %s (HTTP %i) to %s', (code, status, name) => {
    const error = ec2Error(code, status || 400);
    if (status === 0) Object.assign(error, { $metadata: {} });
    expect(lifeboatErrorNameOf(error)).toBe(name);
  });

  test.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'])('maps the socket error %s to Lifeboat.Transient', (code) => {
    expect(lifeboatErrorNameOf(socketError(code))).toBe('Lifeboat.Transient');
  });

  test('maps a non-error value to Lifeboat.Unexpected', () => {
    expect(lifeboatErrorNameOf('boom')).toBe('Lifeboat.Unexpected');
    expect(lifeboatErrorNameOf(new TypeError('x is undefined'))).toBe('Lifeboat.Unexpected');
  });

  test('every row yields a declared Lifeboat error name', () => {
    for (const row of EC2_ERROR_TABLE) expect(LIFEBOAT_ERROR_NAMES).toContain(row.name);
  });

  test('wraps with where, code and message, keeping the original as cause', () => {
    const original = ec2Error('RequestLimitExceeded', 503, 'Request limit exceeded.');
    const mapped = toLifeboatError(original, 'CopyImage ami-0123456789abcdef0');
    expect(mapped).toBeInstanceOf(ThrottledError);
    expect(mapped.message).toBe('CopyImage ami-0123456789abcdef0: RequestLimitExceeded: Request limit exceeded.');
    expect(mapped.cause).toBe(original);
  });

  test('passes a Lifeboat error through unchanged', () => {
    const error = new NotFoundError('gone');
    expect(toLifeboatError(error, 'where')).toBe(error);
  });

  test('every error class sets its Lifeboat name explicitly', () => {
    const classes = [ThrottledError, TransientError, CapacityError, NotFoundError, InvalidInputError, ImageFailedError, VerificationFailedError, LaunchFailedError, HealthCheckFailedError, TimeoutError, StepFailedError, UnexpectedError];
    expect(classes.map((C) => new C('m').name)).toEqual(LIFEBOAT_ERROR_NAMES);
  });
});
