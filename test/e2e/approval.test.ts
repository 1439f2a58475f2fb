import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { GetExecutionHistoryCommand, ListExecutionsCommand, SendTaskSuccessCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { approvalStanding } from '../../cli/approval.js';
import { approve, reject } from '../../cli/commands/approve.js';
import { start } from '../../cli/commands/start.js';
import { OperationError } from '../../cli/errors.js';
import { createBufferIo } from '../../cli/io.js';
import type { LocalLifeboat } from '../../cli/local/session.js';
import { parsePlan, type Plan, type PlanInput } from '../../schemas/plan.js';
import { examplePlan, failure, localLifeboat, statesEntered } from './helpers.js';

/*
 * "Await approval" end to end on the sandbox: the real request-approval task publishing to the
 * sandbox's SNS, `lifeboat failover` / `approve` / `reject` (the CLI's own code, in process) with
 * their identity from the sandbox's STS, which maps each access key to a principal.
 */

const ACCOUNT = '123456789012';
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`;
const CAROL = `arn:aws:sts::${ACCOUNT}:assumed-role/oncall-lead/carol`;
const KEYS = { alice: 'AKIAALICE0000000001', bob: 'AKIABOB000000000001', carol: 'AKIACAROL0000000001' } as const;

const dir = mkdtempSync(join(tmpdir(), 'lifeboat-approval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let env: LocalLifeboat | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

/** The three-tier plan with an approval block, parsed, and written to a file for the CLI. */
function approvalPlan(approval: NonNullable<PlanInput['approval']>): { plan: Plan; file: string } {
  const base = examplePlan('three-tier');
  const json = { ...structuredClone(base), approval } as PlanInput;
  const plan = parsePlan(json, 'approval plan');
  const file = join(dir, `plan-${Math.random().toString(16).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(json));
  return { plan, file };
}

/** A backed-up sandbox for the plan, with alice, bob and carol mapped to their access keys. */
async function ready(plan: Plan): Promise<LocalLifeboat> {
  env = await localLifeboat({ plan });
  const backup = await env.runToEnd('backup');
  expect(backup.status).toBe('SUCCEEDED');
  env.sandbox.sts.setPrincipal(KEYS.alice, ALICE);
  env.sandbox.sts.setPrincipal(KEYS.bob, BOB);
  env.sandbox.sts.setPrincipal(KEYS.carol, CAROL);
  return env;
}

/** The CLI's dependencies for a sandbox already running in this process, signing as `who`. */
function as(lifeboat: LocalLifeboat, who: keyof typeof KEYS) {
  return {
    resolveLocalEndpoint: async () => ({ endpoint: lifeboat.sandbox.endpoint, region: lifeboat.plan.recoveryRegion, close: async () => {} }),
    deployPlanLocally: async () => undefined,
    env: { LIFEBOAT_LOCAL_ACCESS_KEY_ID: KEYS[who] },
  };
}

async function history(lifeboat: LocalLifeboat, executionArn: string): Promise<HistoryEvent[]> {
  const out = await lifeboat.sfn(lifeboat.plan.recoveryRegion).send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, includeExecutionData: true }));
  return out.events ?? [];
}

/** Waits (wall time, a few ms at a time) until the run asks for approval round `round`. */
async function waitForRound(lifeboat: LocalLifeboat, executionArn: string, round: number): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const standing = approvalStanding(await history(lifeboat, executionArn));
    if (standing.kind === 'waiting' && standing.open.request.round === round) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`the run never asked for approval round ${round}`);
}

/** `lifeboat failover --local --plan FILE` as alice; returns the execution ARN. */
async function startFailover(lifeboat: LocalLifeboat, file: string): Promise<string> {
  const io = createBufferIo();
  await start({ kind: 'failover', plan: file, isLocal: true, recoveryPoints: [], follow: false, json: true }, io, as(lifeboat, 'alice'));
  return (JSON.parse(io.stdout()) as { executionArn: string }).executionArn;
}

async function cliApprove(lifeboat: LocalLifeboat, executionArn: string, who: keyof typeof KEYS) {
  const io = createBufferIo();
  const code = await approve({ execution: executionArn, isLocal: true, json: true }, io, as(lifeboat, who));
  return { code, out: JSON.parse(io.stdout()) as { approvals: number; principal: { arn: string } } };
}

async function launchedInstances(lifeboat: LocalLifeboat, executionArn: string): Promise<number> {
  const out = await lifeboat.ec2(lifeboat.plan.recoveryRegion).send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:lifeboat:execution-arn', Values: [executionArn] }] }));
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).length;
}

describe('e2e: a failover waits at "Await approval"', () => {
  test('waits for two distinct principals, refuses the same one twice and the starter, and publishes each request to the plan topic', { timeout: 120_000 }, async () => {
    // GIVEN a plan that needs two approvers, the starter excluded; alice starts the failover
    const { plan, file } = approvalPlan({ requiredApprovers: 2, starterMayApprove: false, timeoutMinutes: 240 });
    const lifeboat = await ready(plan);
    const arn = await startFailover(lifeboat, file);
    await waitForRound(lifeboat, arn, 1);

    // WHEN alice (the starter) tries to approve: the CLI refuses before sending anything
    const refused = await cliApprove(lifeboat, arn, 'alice').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OperationError);
    expect((refused as OperationError).message).toBe(`lifeboat approve: ${ALICE} started ${arn.split(':').at(-1)}, and the plan's approval.starterMayApprove is false`);
    // AND bob approves
    expect((await cliApprove(lifeboat, arn, 'bob')).out).toMatchObject({ approvals: 1, principal: { arn: BOB } });
    await waitForRound(lifeboat, arn, 2);
    // THEN bob again is refused by the CLI
    await expect(cliApprove(lifeboat, arn, 'bob')).rejects.toThrow(/has already approved .*the plan needs 2 distinct principals \(1 so far\)/);

    // AND a client that skips the CLI's checks is refused by the run itself: bob twice, then alice
    const sfn = lifeboat.sfn(plan.recoveryRegion);
    const tokenOf = async () => {
      const standing = approvalStanding(await history(lifeboat, arn));
      if (standing.kind !== 'waiting') throw new Error('not waiting');
      return standing.open.taskToken;
    };
    await sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenOf(), output: JSON.stringify({ decision: 'approve', principal: { arn: BOB } }) }));
    await waitForRound(lifeboat, arn, 3);
    await sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenOf(), output: JSON.stringify({ decision: 'approve', principal: { arn: ALICE } }) }));
    await waitForRound(lifeboat, arn, 4);
    const standing = approvalStanding(await history(lifeboat, arn));
    expect(standing.kind === 'waiting' && standing.open.request.refusals).toEqual([
      { principalArn: BOB, reason: 'this principal has already approved this run; another principal must approve' },
      { principalArn: ALICE, reason: "this principal started the run, and the plan's approval.starterMayApprove is false" },
    ]);
    expect(standing.kind === 'waiting' && standing.open.request.approvals.map((a) => a.principal.arn)).toEqual([BOB]);
    expect(await launchedInstances(lifeboat, arn)).toBe(0);

    // WHEN carol (an assumed-role session) approves: the second distinct principal
    expect((await cliApprove(lifeboat, arn, 'carol')).out).toMatchObject({ approvals: 2, principal: { arn: CAROL } });
    const run = await lifeboat.result(arn);

    // THEN the failover goes on and succeeds; both approvals are TaskSucceeded events of the history
    expect(run.status).toBe('SUCCEEDED');
    const entered = statesEntered(run.events);
    expect(entered.indexOf('Resolve recovery points')).toBeGreaterThan(entered.lastIndexOf('Await approval'));
    expect(entered.filter((n) => n === 'Await approval')).toHaveLength(4);
    const answers = run.events.filter((e) => e.type === 'TaskSucceeded' && e.taskSucceededEventDetails?.resource === 'invoke.waitForTaskToken').map((e) => JSON.parse(e.taskSucceededEventDetails!.output!).principal.arn);
    expect(answers).toEqual([BOB, BOB, ALICE, CAROL]);
    expect(run.events.find((e) => e.type === 'ExecutionStarted')!.executionStartedEventDetails!.input).toContain(ALICE);
    expect(await launchedInstances(lifeboat, arn)).toBeGreaterThan(0);

    // AND every round published a request to the plan's topic, with what an approver needs and never the token
    const messages = lifeboat.sandbox.sns.messages(plan.notifications.snsTopicArn);
    expect(messages).toHaveLength(4);
    expect(messages[0]!.subject).toBe('Lifeboat: approve FAILOVER of shop in us-west-2? (0 of 2 approvals)');
    expect(messages[3]!.subject).toBe('Lifeboat: approve FAILOVER of shop in us-west-2? (1 of 2 approvals)');
    const first = messages[0]!.message;
    expect(first).toContain(`Execution:   ${arn}`);
    expect(first).toContain(`Started by:  ${ALICE}`);
    expect(first).toContain('Approvals:   0 of 2 (distinct principals; the principal who started the run may not approve)');
    // the pre-flight result of this run: no blocking finding, a predicted RTO, each workload's recovery set and age
    expect(first).toMatch(/\nPre-flight: {2}0 blocking, \d+ warnings \(checked /);
    expect(first).toMatch(/\nPredicted RTO: \d+ min\n/);
    for (const w of plan.workloads) expect(first).toMatch(new RegExp(`\\n {2}- ${w.name}: \\d{4}-\\d{2}-\\d{2}T[^,]+, \\d+ min old`));
    expect(first).toContain(`  lifeboat approve ${arn} --local`);
    expect(first).toContain(`  lifeboat reject ${arn} --local --reason "<why>"`);
    expect(messages[3]!.message).toContain(`             - ${BOB} at `);
    expect(messages[3]!.message).toContain(`             - ${ALICE}: this principal started the run`);
    expect(messages[0]!.messageAttributes['lifeboat.execution-arn']).toEqual({ DataType: 'String', StringValue: arn });
    const tokens = run.events.filter((e) => e.type === 'TaskScheduled').map((e) => JSON.parse(e.taskScheduledEventDetails!.parameters!).Payload.context.taskToken).filter(Boolean);
    expect(tokens).toHaveLength(4);
    for (const m of messages) for (const t of tokens) expect(m.message).not.toContain(t);
  });

  test('a rejection ends the run FAILED at "Await approval" with the principal and the reason, having launched nothing', { timeout: 120_000 }, async () => {
    const { plan, file } = approvalPlan({ requiredApprovers: 2 });
    const lifeboat = await ready(plan);
    // GIVEN alice starts the failover and follows it (as 'lifeboat failover --follow' does)
    const followIo = { ...createBufferIo(), sleep: () => new Promise<void>((r) => setTimeout(r, 20)) };
    const following = start({ kind: 'failover', plan: file, isLocal: true, recoveryPoints: [], follow: true, json: true }, followIo, as(lifeboat, 'alice'));
    let arn = '';
    for (let i = 0; i < 2000 && arn === ''; i++) {
      await new Promise((r) => setTimeout(r, 5));
      const listed = await lifeboat.sfn(plan.recoveryRegion).send(new ListExecutionsCommand({ stateMachineArn: lifeboat.machines.failover }));
      arn = listed.executions?.[0]?.executionArn ?? '';
    }
    await waitForRound(lifeboat, arn, 1);
    // WHEN bob rejects
    const io = createBufferIo();
    await reject({ execution: arn, isLocal: true, json: false, text: 'primary region is back' }, io, as(lifeboat, 'bob'));
    const run = await lifeboat.result(arn);
    await following;
    // the follower said where the run waited and how to answer it
    expect(followIo.stderr()).toContain('waiting at "Await approval": 0 of 2 approval(s), until ');
    expect(followIo.stderr()).toContain(`approve: lifeboat approve ${arn} --local   reject: lifeboat reject ${arn} --local --reason "<why>"`);
    // THEN
    expect(run.status).toBe('FAILED');
    expect(failure(run.events)).toEqual({
      error: 'Lifeboat.ApprovalRejected',
      cause: `Await approval: rejected by ${BOB}: primary region is back. Nothing was launched (approved before: nobody).`,
    });
    expect(statesEntered(run.events)).not.toContain('Resolve recovery points');
    expect(await launchedInstances(lifeboat, arn)).toBe(0);
    // AND answering a closed run says so
    await expect(cliApprove(lifeboat, arn, 'carol')).rejects.toThrow(/is FAILED, not waiting for approval \(it ended with Lifeboat.ApprovalRejected\)/);
  });

  test('no answer within the timeout ends the run FAILED at "Await approval" with a clear cause, having launched nothing', { timeout: 120_000 }, async () => {
    const { plan, file } = approvalPlan({ requiredApprovers: 2, timeoutMinutes: 60 });
    const lifeboat = await ready(plan);
    const arn = await startFailover(lifeboat, file);
    await waitForRound(lifeboat, arn, 1);
    await cliApprove(lifeboat, arn, 'bob');
    // WHEN nobody else answers: the virtual clock skips to the deadline
    const run = await lifeboat.result(arn);
    // THEN
    expect(run.status).toBe('FAILED');
    const f = failure(run.events)!;
    expect(f.error).toBe('Lifeboat.ApprovalTimedOut');
    expect(f.cause).toMatch(
      new RegExp(`^Await approval: 1 of 2 approval\\(s\\) missing at the deadline \\S+ \\(the plan's approval.timeoutMinutes is 60\\); approved by ${BOB.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\. Nothing was launched: start the run again to ask again\\.$`),
    );
    expect(run.events.some((e) => e.type === 'TaskTimedOut')).toBe(true);
    // the deadline is an hour after the request, on the sandbox's clock
    expect(run.stopDate!.getTime() - run.startDate.getTime()).toBeGreaterThanOrEqual(60 * 60_000);
    expect(run.stopDate!.getTime() - run.startDate.getTime()).toBeLessThan(61 * 60_000);
    expect(statesEntered(run.events)).not.toContain('Resolve recovery points');
    expect(await launchedInstances(lifeboat, arn)).toBe(0);
  });
});

describe('e2e: a drill that waits for approval', () => {
  test('a rejected drill still goes through its teardown after failure, and ends FAILED naming the step and the reason', { timeout: 120_000 }, async () => {
    const { plan } = approvalPlan({ failover: false, drill: true });
    const lifeboat = await ready(plan);
    const arn = await lifeboat.start('drill', {});
    await waitForRound(lifeboat, arn, 1);
    await reject({ execution: arn, isLocal: true, json: true, text: 'game day moved' }, createBufferIo(), as(lifeboat, 'carol'));
    const run = await lifeboat.result(arn);
    expect(run.status).toBe('FAILED');
    expect(failure(run.events)).toEqual({
      error: 'Lifeboat.StepFailed',
      cause: `step "Await approval" failed with Lifeboat.ApprovalRejected: Await approval: rejected by ${CAROL}: game day moved. Nothing was launched (approved before: nobody).`,
    });
    const entered = statesEntered(run.events);
    expect(entered).toContain('Tear down after failure');
    expect(entered).not.toContain('Resolve recovery points');
    // started without lifeboat (no startedBy): the request says the starter is not known
    expect(lifeboat.sandbox.sns.messages(plan.notifications.snsTopicArn)[0]!.message).toContain('Started by:  not known to the run');
  });
});
