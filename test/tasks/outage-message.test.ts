import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { handler } from '../../tasks/resolve-workloads/handler.js';
import { captureLogs, EXECUTION_ARN, ec2Error, envelope, rejectionOf } from './helpers.js';

/*
 * The operator's message when an AWS (or sandbox) endpoint does not answer (issue 8): it used to
 * read `Lifeboat.Transient: task 'resolve-workloads': TimeoutError: socket hang up`. It now names
 * the step, the service, region and endpoint, what was expected, what was found, and what to do.
 */

const ec2 = mockClient(EC2Client);
const input = {
  planName: 'shop',
  region: 'us-east-1',
  batchSize: 2,
  workloads: [{ name: 'db', isCritical: true, instanceIds: ['i-0a1b2c3d4e5f60001'] }],
};
/** What the SDK's HTTP handler throws when the connection is dropped without an answer. */
const hangUp = () => Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' });
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });

describe('an unreachable endpoint is reported for the operator', () => {
  const saved = { url: process.env.AWS_ENDPOINT_URL, ec2: process.env.AWS_ENDPOINT_URL_EC2 };
  beforeEach(() => {
    captureLogs();
    ec2.reset();
    delete process.env.AWS_ENDPOINT_URL_EC2;
  });
  afterEach(() => {
    vi.restoreAllMocks();
    if (saved.url === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = saved.url;
    if (saved.ec2 !== undefined) process.env.AWS_ENDPOINT_URL_EC2 = saved.ec2;
  });

  test('a socket hang-up names the step, EC2 in the region at its endpoint, what was expected and found, the retry and the redrive', async () => {
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:4566';
    ec2.on(DescribeInstancesCommand).rejects(hangUp());
    const error = await rejectionOf(handler(envelope('resolve-workloads', input, { stateName: 'Resolve workloads' })));
    expect(error.name).toBe('Lifeboat.Transient');
    const name = EXECUTION_ARN.split(':').at(-1);
    expect(error.message).toBe(
      'step "Resolve workloads" (task resolve-workloads): EC2 in us-east-1 is unreachable at http://127.0.0.1:4566: ' +
        'expected an answer to DescribeInstances within 30 s, found no answer (TimeoutError ECONNRESET: socket hang up). ' +
        `Step Functions retries the step (Lifeboat.Transient). If the run failed, redrive it once the region answers: lifeboat redrive ${name} --plan <plan file> ` +
        '(docs/runbooks/failover.md, "An AWS endpoint does not answer").',
    );
    expect(error.message).not.toMatch(/\n\s+at /);
  });

  test("on AWS (no endpoint configured) the region's own EC2 endpoint is named", async () => {
    delete process.env.AWS_ENDPOINT_URL;
    ec2.on(DescribeInstancesCommand).rejects(refused());
    const error = await rejectionOf(handler(envelope('resolve-workloads', input, { stateName: 'Resolve workloads' })));
    expect(error.name).toBe('Lifeboat.Transient');
    expect(error.message).toContain('EC2 in us-east-1 is unreachable at https://ec2.us-east-1.amazonaws.com');
    expect(error.message).toContain('found no answer (Error ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4566)');
  });

  test('an answer, even a 503, is not an unreachable endpoint: the message stays the service error', async () => {
    ec2.on(DescribeInstancesCommand).rejects(ec2Error('Unavailable', 503));
    const error = await rejectionOf(handler(envelope('resolve-workloads', input, { stateName: 'Resolve workloads' })));
    expect(error.name).toBe('Lifeboat.Transient');
    expect(error.message).not.toContain('unreachable');
    expect(error.message).toContain('Unavailable');
  });
});
