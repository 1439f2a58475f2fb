import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import type { RequestApprovalInput } from '../../schemas/tasks/request-approval.js';
import { resetClients } from '../../tasks/_shared/clients.js';
import { handler } from '../../tasks/request-approval/handler.js';
import { approvalMessage, resetSnsClients } from '../../tasks/request-approval/request-approval.js';
import { captureLogs, envelope } from './helpers.js';

/*
 * request-approval against the sandbox's SNS, reached as a deployed Lambda reaches SNS (its SDK
 * client, at AWS_ENDPOINT_URL): what it publishes, what it never logs or publishes, how it fails.
 */

const EXECUTION = 'arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-failover:failover-20261125T103000Z-3fa1';
const TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAT0pSECRETTOKENVALUE';
let sandbox: Sandbox;
let topicArn: string;
const saved = { ...process.env };

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 3, region: 'us-west-2', startMs: Date.parse('2026-11-25T10:30:00.000Z') });
  Object.assign(process.env, { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox' });
  resetClients();
  resetSnsClients();
  const res = await fetch(sandbox.endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'AWS4-HMAC-SHA256 Credential=sandbox/20261125/us-west-2/sns/aws4_request, SignedHeaders=host, Signature=x' },
    body: 'Action=CreateTopic&Name=shop-lifeboat&Version=2010-03-31',
  });
  topicArn = /<TopicArn>([^<]+)</.exec(await res.text())![1]!;
});
afterAll(async () => {
  process.env = saved;
  resetClients();
  resetSnsClients();
  await sandbox.stop();
});


function input(overrides: Partial<RequestApprovalInput> = {}): RequestApprovalInput {
  return {
    planName: 'shop',
    mode: 'failover',
    region: 'us-west-2',
    topicArn,
    round: 2,
    requiredApprovers: 2,
    starterMayApprove: false,
    deadline: '2026-11-25T14:31:00.000Z',
    objectives: { rpoMinutes: 240, rtoMinutes: 60 },
    startedBy: { arn: 'arn:aws:iam::123456789012:user/alice' },
    approvals: [{ principal: { arn: 'arn:aws:iam::123456789012:user/bob' }, approvedAt: '2026-11-25T10:40:00.000Z' }],
    refusals: [],
    preflight: {
      blocking: 0,
      warnings: 1,
      findings: [{ workload: 'web', check: 'instance-type-offered', severity: 'warning', expected: 'm6i.large offered in us-west-2a', found: 'not offered', fix: 'keep m5.large on the ladder' }],
      recoverySets: [
        { workload: 'db', recoveryPointTime: '2026-11-25T08:30:00.000Z', ageSeconds: 7200, rpoObjectiveSeconds: 14400 },
        { workload: 'web', recoveryPointTime: '2026-11-25T04:00:00.000Z', ageSeconds: 23400, rpoObjectiveSeconds: 14400 },
      ],
      predictedRtoSeconds: 1500,
      checkedAt: '2026-11-25T10:30:30.000Z',
    },
    ...overrides,
  };
}

const withToken = (i: RequestApprovalInput, enteredAt = '2026-11-25T10:41:00.000Z') => {
  const e = envelope('request-approval', i, { executionArn: EXECUTION, stateName: 'Await approval', stateEnteredTime: enteredAt });
  return { ...e, context: { ...e.context, taskToken: TOKEN } };
};

describe('task: request-approval', () => {
  test('publishes what an approver needs to the plan topic, and neither publishes nor logs the task token', async () => {
    const logs = captureLogs();
    const out = await handler(withToken(input()));
    const message = sandbox.sns.messages(topicArn).find((m) => m.messageId === out.messageId)!;
    expect(out).toEqual({ messageId: message.messageId, topicArn, round: 2 });
    expect(message.subject).toBe('Lifeboat: approve FAILOVER of shop in us-west-2? (1 of 2 approvals)');
    expect(message.message.split('\n')).toEqual(
      expect.arrayContaining([
        `Execution:   ${EXECUTION}`,
        'Started by:  arn:aws:iam::123456789012:user/alice',
        '             - arn:aws:iam::123456789012:user/bob at 2026-11-25T10:40:00.000Z',
        'Pre-flight:  0 blocking, 1 warnings (checked 2026-11-25T10:30:30.000Z)',
        'Predicted RTO: 25 min',
        '  - db: 2026-11-25T08:30:00.000Z, 2 h 0 min old',
        '  - web: 2026-11-25T04:00:00.000Z, 6 h 30 min old (over the RPO objective of 4 h 0 min)',
        '  - [warning] web › instance-type-offered: expected m6i.large offered in us-west-2a, found not offered; fix: keep m5.large on the ladder',
        `  lifeboat approve ${EXECUTION}`,
        `  lifeboat reject ${EXECUTION} --reason "<why>"`,
      ]),
    );
    expect(message.messageAttributes['lifeboat.round']).toEqual({ DataType: 'String', StringValue: '2' });
    expect(JSON.stringify(message)).not.toContain(TOKEN);
    expect(logs.join('\n')).not.toContain(TOKEN);
    expect(JSON.parse(logs.at(-1)!)).toMatchObject({ task: 'request-approval', outcome: 'ok', stateName: 'Await approval' });
  });

  test('says so when no pre-flight ran, and adds the flags the commands need', () => {
    const { text } = approvalMessage({ ...input({ preflight: null, startedBy: null }), cliFlags: '--local' }, EXECUTION);
    expect(text).toContain('Pre-flight: not run for this execution (no findings, recovery sets or predicted RTO to show).');
    expect(text).toContain('Started by:  not known to the run (started from the console or a schedule');
    expect(text).toContain(`  lifeboat approve ${EXECUTION} --local`);
  });

  test('fails with Lifeboat.ApprovalTimedOut when asked after the deadline, publishing nothing', async () => {
    captureLogs();
    const before = sandbox.sns.messages(topicArn).length;
    await expect(handler(withToken(input(), '2026-11-25T14:31:00.001Z'))).rejects.toMatchObject({
      name: 'Lifeboat.ApprovalTimedOut',
      message: expect.stringContaining('the approval deadline 2026-11-25T14:31:00.000Z passed before round 2 (1 of 2 approvals)'),
    });
    expect(sandbox.sns.messages(topicArn)).toHaveLength(before);
  });

  test('fails with Lifeboat.NotFound naming the topic and the fix when the topic does not exist', async () => {
    captureLogs();
    const missing = 'arn:aws:sns:us-west-2:123456789012:no-such-topic';
    await expect(handler(withToken(input({ topicArn: missing })))).rejects.toMatchObject({
      name: 'Lifeboat.NotFound',
      message: expect.stringContaining(`expected the plan's notifications topic ${missing}, found none`),
    });
  });

  test('rejects an input without a topic as Lifeboat.InvalidInput, naming the path', async () => {
    captureLogs();
    const { topicArn: _, ...rest } = input();
    await expect(handler(withToken(rest as RequestApprovalInput))).rejects.toMatchObject({ name: 'Lifeboat.InvalidInput', message: expect.stringContaining('input.topicArn') });
  });
});
