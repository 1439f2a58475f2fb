/**
 * Helpers for the Step Functions API tests: a started sandbox and an SDK client pointed at it.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox/index.js';
import { fakeEngine } from './fake-engine.js';

export const ROLE = 'arn:aws:iam::123456789012:role/sandbox-test';

/** A started sandbox (the fake engine unless `engine` is given) and a client for `region`. */
export async function sandboxWithClient(options: SandboxOptions & { clientRegion?: string } = {}): Promise<{ sandbox: Sandbox; sfn: SFNClient }> {
  const sandbox = await startSandbox({ engine: fakeEngine, log: () => {}, ...options });
  sandbox.lambdas.register(HOLD_FUNCTION, async () => ({ held: true }));
  const sfn = new SFNClient({
    endpoint: sandbox.endpoint,
    region: options.clientRegion ?? 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return { sandbox, sfn };
}

/** A Pass chain of `n` states. */
export function passChain(n: number): string {
  const states: Record<string, unknown> = {};
  for (let i = 1; i <= n; i++) states[`P${i}`] = i === n ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `P${i + 1}` };
  return JSON.stringify({ StartAt: 'P1', States: states });
}

/** A machine that waits for a task token, then succeeds. */
export const WAIT_FOR_TOKEN = JSON.stringify({
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:hold', Payload: { 'token.$': '$$.Task.Token' } },
      End: true,
    },
  },
});

/** The function WAIT_FOR_TOKEN calls: it returns at once; the task waits for its token. */
export const HOLD_FUNCTION = 'arn:aws:lambda:us-east-1:123456789012:function:hold';

/** A machine that fails. */
export const FAILS = JSON.stringify({ StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Custom.Boom', Cause: 'it broke' } } });

/** Lets queued work (promise chains, immediates, virtual-clock jumps) settle, without wall-clock sleeps. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

export { failure } from '../sdk-failure.js';
