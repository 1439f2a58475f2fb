import { afterEach, describe, expect, test, vi } from 'vitest';
import { relayInvoke, regionOfFunction, type Fetcher } from '../../tasks/probe-health/relay.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:lifeboat-shop-failback-probe-health';
const ENV = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', AWS_SESSION_TOKEN: 'session-token' };
const EVENT = { task: 'probe-health', context: { executionArn: 'arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-failback:x' }, input: { planName: 'shop', region: 'us-east-1' } };

/** A fetch that records the request and answers with `status`, `headers` and `body`. */
function fake(status: number, body: string, headers: Record<string, string> = {}) {
  const calls: { url: string; init: { method: string; headers: Record<string, string>; body: string } }[] = [];
  const fetcher: Fetcher = async (url, init) => {
    calls.push({ url, init });
    return { status, headers: { get: (n: string) => headers[n.toLowerCase()] ?? null }, text: async () => body };
  };
  return { calls, fetcher };
}

// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html (POST /2015-03-31/functions/FunctionName/invocations)
describe('task: probe-health relay to the failback probe in the primary region (Lambda Invoke)', () => {
  test('posts the envelope unchanged to Lambda Invoke in the function\'s region, signed for lambda there with the session token, and returns the answer', async () => {
    const answer = { health: [], isComplete: true, pendingCount: 0, healthyCount: 0 };
    const { calls, fetcher } = fake(200, JSON.stringify(answer));
    const out = await relayInvoke(ARN, EVENT, { env: ENV, fetcher, now: () => new Date('2026-11-25T10:30:00Z') });
    expect(out).toEqual(answer);
    expect(calls).toHaveLength(1);
    const [{ url, init }] = calls;
    expect(url).toBe(`https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/${encodeURIComponent(ARN)}/invocations`);
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body)).toEqual(EVENT);
    expect(init.headers['x-amz-invocation-type']).toBe('RequestResponse');
    expect(init.headers['x-amz-date']).toBe('20261125T103000Z');
    expect(init.headers['x-amz-security-token']).toBe('session-token');
    expect(init.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261125\/us-east-1\/lambda\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*x-amz-date[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
    // the signature depends on the body: another event signs differently
    const other = fake(200, '{}');
    await relayInvoke(ARN, { ...EVENT, input: { planName: 'other' } }, { env: ENV, fetcher: other.fetcher, now: () => new Date('2026-11-25T10:30:00Z') });
    expect(other.calls[0]!.init.headers.authorization).not.toBe(init.headers.authorization);
  });

  test('throws the probe\'s own error (name and message) when the function failed', async () => {
    const { fetcher } = fake(200, JSON.stringify({ errorType: 'Lifeboat.HealthCheckFailed', errorMessage: 'application health in us-east-1: 1 instance(s) not healthy' }), { 'x-amz-function-error': 'Unhandled' });
    const error = await relayInvoke(ARN, EVENT, { env: ENV, fetcher }).then(() => new Error("resolved"), (e: unknown) => e as Error);
    expect(error).toMatchObject({ name: 'Lifeboat.HealthCheckFailed', message: 'application health in us-east-1: 1 instance(s) not healthy' });
  });

  test('a throttled or failing Lambda is Lifeboat.Transient (retried); a refused Invoke is Lifeboat.InvalidInput naming the fix', async () => {
    const throttled = await relayInvoke(ARN, EVENT, { env: ENV, fetcher: fake(429, '{"message":"Rate exceeded"}').fetcher }).then(() => new Error("resolved"), (e: unknown) => e as Error);
    expect(throttled.name).toBe('Lifeboat.Transient');
    const refused = await relayInvoke(ARN, EVENT, { env: ENV, fetcher: fake(403, '{"Message":"not authorized"}', { 'x-amzn-errortype': 'AccessDeniedException:http://internal' }).fetcher }).then(() => new Error("resolved"), (e: unknown) => e as Error);
    expect(refused.name).toBe('Lifeboat.InvalidInput');
    expect(refused.message).toContain('refused with AccessDeniedException');
    expect(refused.message).toContain('Deploy the backup stack');
    const down = await relayInvoke(ARN, EVENT, { env: ENV, fetcher: async () => { throw new Error('ECONNRESET'); } }).then(() => new Error("resolved"), (e: unknown) => e as Error);
    expect(down.name).toBe('Lifeboat.Transient');
  });

  test('refuses a bad function ARN and missing credentials with what it expected', async () => {
    expect(regionOfFunction(ARN)).toBe('us-east-1');
    expect(() => regionOfFunction('lifeboat-shop-failback-probe-health')).toThrow(/expected a Lambda function ARN such as/);
    await expect(relayInvoke(ARN, EVENT, { env: {}, fetcher: fake(200, '{}').fetcher })).rejects.toThrow(/expected the function's credentials in AWS_ACCESS_KEY_ID/);
  });
});

describe('task: probe-health handler with LIFEBOAT_PROBE_RELAY (the failback stack\'s function)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  test('forwards the envelope to the relay target instead of probing, and returns its answer', async () => {
    vi.stubEnv('LIFEBOAT_PROBE_RELAY', ARN);
    for (const [k, v] of Object.entries(ENV)) vi.stubEnv(k, v);
    const answer = { health: [], isComplete: true, pendingCount: 0, healthyCount: 0 };
    const calls: { url: string; body: string }[] = [];
    vi.stubGlobal('fetch', async (url: string, init: { body: string }) => {
      calls.push({ url, body: init.body });
      return { status: 200, headers: { get: () => null }, text: async () => JSON.stringify(answer) };
    });
    vi.resetModules();
    const { handler } = await import('../../tasks/probe-health/handler.js');
    expect(await handler(EVENT)).toEqual(answer);
    expect(calls).toEqual([{ url: `https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/${encodeURIComponent(ARN)}/invocations`, body: JSON.stringify(EVENT) }]);
  });
});
