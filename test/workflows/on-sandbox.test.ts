import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Sandbox } from '../../sandbox/index.js';
import { startSandbox } from '../../sandbox/index.js';
import type { AslDefinition } from '../../schemas/asl.js';
import { TASK_IDS } from '../../schemas/tasks/index.js';
import { backupBudget } from '../../workflows/budget.js';
import { renderBackup, renderFailover } from '../../workflows/render.js';
import type { FakeWorldOptions } from './helpers/fake-tasks.js';
import { fakeWorld } from './helpers/fake-tasks.js';
import { examplePlan } from './helpers/plans.js';

/*
 * The rendered definitions on the sandbox's own Step Functions engine (through the real SDK
 * client, on 127.0.0.1, virtual clock), with the fake task Lambdas: a second, independent
 * interpreter of the same JSON, including redrive. The full product with the real tasks and
 * simulated EC2 is tested end to end in test/e2e.
 */

const REGION = 'us-west-2';
const arn = (id: string) => `arn:aws:lambda:${REGION}:123456789012:function:lifeboat-${id}`;
let sandbox: Sandbox;
let sfn: SFNClient;
let counter = 0;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 7, region: REGION });
  sfn = new SFNClient({ endpoint: sandbox.endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});

afterAll(async () => {
  sfn?.destroy();
  await sandbox?.stop();
});

/** Deploys `definition` with fresh fake tasks, starts it with `input` and waits until it closes. */
async function run(definition: AslDefinition, world: FakeWorldOptions, input = '{}') {
  const fakes = fakeWorld(world);
  for (const id of TASK_IDS) {
    sandbox.lambdas.unregister(arn(id));
    sandbox.lambdas.register(arn(id), async (event) => fakes.lambda(arn(id), event as never));
  }
  counter += 1;
  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({ name: `lifeboat-test-${counter}`, definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::123456789012:role/sfn' }),
  );
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input }));
  await sandbox.sfn.getExecution(executionArn!)!.whenClosed();
  return { fakes, executionArn: executionArn! };
}

async function describeRun(executionArn: string) {
  return sfn.send(new DescribeExecutionCommand({ executionArn }));
}

async function historyTypes(executionArn: string) {
  const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return (events ?? []).map((e) => `${e.type}${e.stateEnteredEventDetails ? `:${e.stateEnteredEventDetails.name}` : ''}`);
}

describe('workflow: on the sandbox engine', () => {
  test('a backup succeeds with exactly the history events the budget model predicts', async () => {
    const plan = examplePlan('three-tier');
    const { fakes, executionArn } = await run(renderBackup(plan, { taskArn: arn }), { passesToComplete: 3 });
    const d = await describeRun(executionArn);
    expect(fakes.violations).toEqual([]);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toMatchObject({ targetCount: 4, verifiedCount: 4 });
    expect(await historyTypes(executionArn)).toHaveLength(backupBudget(plan, 4, { imagePasses: 3, copyPasses: 3, verifyPasses: 1, prunePasses: 1 }).total);
  });

  test('a failover started with {} succeeds', async () => {
    const { fakes, executionArn } = await run(renderFailover(examplePlan('three-tier'), 'failover', { taskArn: arn }), {});
    expect(fakes.violations).toEqual([]);
    expect((await describeRun(executionArn)).status).toBe('SUCCEEDED');
  });

  test("each wave's first launch pass is marked a first attempt; its retry and the later passes are not", async () => {
    const plan = examplePlan('three-tier');
    const { executionArn } = await run(renderFailover(plan, 'failover', { taskArn: arn }), {
      passes: { 'launch-in-region': 2 },
      failures: { 'launch-in-region': { calls: [1], error: 'Lifeboat.Throttled' } },
    });
    expect((await describeRun(executionArn)).status).toBe('SUCCEEDED');
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    const launches = (events ?? [])
      .filter((e) => e.type === 'TaskScheduled' && e.taskScheduledEventDetails!.parameters!.includes('"launch-in-region"'))
      .map((e) => (JSON.parse(e.taskScheduledEventDetails!.parameters!) as { Payload: { input: { isFirstAttempt?: boolean; instances?: unknown } } }).Payload.input);
    const marks = launches.map((i) => `${i.isFirstAttempt === true ? 'first' : '-'}/${i.instances === undefined ? 'new' : 'known'}`);
    const waves = new Set(plan.workloads.map((w) => w.wave)).size;
    // wave 1: the first attempt (throttled), its retry (same input, no mark), the second pass; then each later wave
    expect(marks).toEqual(['first/new', '-/new', '-/known', ...Array.from({ length: waves - 1 }, () => ['first/new', '-/known']).flat()]);
  });

  test('a drill whose launch fails tears down and fails naming the step', async () => {
    const { executionArn } = await run(renderFailover(examplePlan('three-tier'), 'drill', { taskArn: arn }), {
      failures: { 'launch-in-region': { calls: [1], error: 'Lifeboat.LaunchFailed' } },
    });
    const d = await describeRun(executionArn);
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('Lifeboat.StepFailed');
    expect(d.cause).toMatch(/^step "Launch waves" failed with Lifeboat\.StepFailed: wave 1: step "Launch instances" failed with Lifeboat\.LaunchFailed/);
    // the cause quotes the task's message, not the Lambda runtime's JSON with its stack trace
    expect(d.cause).toMatch(/failed with Lifeboat\.LaunchFailed: injected/);
    expect(d.cause).not.toMatch(/errorType|errorMessage|"trace"/);
    // the teardown loop: one pass terminates, the next confirms, then the run fails
    const expected = [
      'MapStateFailed',
      'MapStateExited',
      'PassStateEntered:Start teardown after failure',
      'PassStateExited',
      'TaskStateEntered:Tear down after failure',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered:Torn down after failure?',
      'ChoiceStateExited',
      'WaitStateEntered:Wait to tear down again',
      'WaitStateExited',
      'TaskStateEntered:Tear down after failure',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered:Torn down after failure?',
      'ChoiceStateExited',
      'FailStateEntered:Recovery failed',
      'ExecutionFailed',
    ];
    expect((await historyTypes(executionArn)).slice(-expected.length)).toEqual(expected);
  });

  test('a redriven backup resumes inside the failed batch at the failed step and succeeds', async () => {
    const { fakes, executionArn } = await run(renderBackup(examplePlan('three-tier'), { taskArn: arn }), {
      failures: { copy: { calls: [2], error: 'Lifeboat.ImageFailed' } },
    });
    expect((await describeRun(executionArn)).status).toBe('FAILED');
    const before = (await historyTypes(executionArn)).length;

    await sfn.send(new RedriveExecutionCommand({ executionArn }));
    await sandbox.sfn.getExecution(executionArn)!.whenClosed();

    expect((await describeRun(executionArn)).status).toBe('SUCCEEDED');
    const after = (await historyTypes(executionArn)).slice(before);
    expect(after.slice(0, 5)).toEqual(['ExecutionRedriven', 'MapStateEntered:Back up batches', 'MapStateStarted', 'MapIterationStarted', 'TaskStateEntered:Record batch failure']);
    expect(after.filter((e) => e.startsWith('TaskStateEntered:')).slice(0, 3)).toEqual([
      'TaskStateEntered:Record batch failure',
      'TaskStateEntered:Copy images',
      'TaskStateEntered:Copy images',
    ]);
    expect(fakes.calls.get('image')).toBe(3);
    expect(fakes.calls.get('resolve-workloads')).toBe(1);
  });
});
