import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, test } from 'vitest';
import type { LocalLifeboat } from '../../cli/local/session.js';
import { ROLES, TAG_KEYS } from '../../schemas/tags.js';
import { localLifeboat, statesEntered } from './helpers.js';

let env: LocalLifeboat | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

describe('e2e: failback on the sandbox', () => {
  test('backup → failover → failback ends with the instances back in the primary region and nothing running in the recovery region', async () => {
    env = await localLifeboat();
    const backup = await env.runToEnd('backup');
    expect(backup.status, backup.cause).toBe('SUCCEEDED');
    const failover = await env.runToEnd('failover', {});
    expect(failover.status, failover.cause).toBe('SUCCEEDED');

    const failback = await env.runToEnd('failback', {});
    expect(failback.status, `${failback.error}: ${failback.cause}`).toBe('SUCCEEDED');
    console.log(statesEntered(failback.events).join(' > '));
    console.log(JSON.stringify(failback.output, null, 1).slice(0, 3000));
  });
});
