import { describe, expect, test } from 'vitest';
import type { AslDefinition, AslMap, AslTask } from '../../schemas/asl.js';
import { lintWorkflow, nearest } from '../../workflows/lint.js';
import { renderBackup, renderFailover } from '../../workflows/render.js';
import { TEST_ARNS } from './helpers/fake-tasks.js';
import { examplePlan } from './helpers/plans.js';

const backup = () => structuredClone(renderBackup(examplePlan('three-tier'), TEST_ARNS));
const drill = () => structuredClone(renderFailover(examplePlan('three-tier'), 'drill', TEST_ARNS));
const batchStates = (d: AslDefinition) => (d.States['Back up batches'] as AslMap).ItemProcessor.States;
const copyTask = (d: AslDefinition) => batchStates(d)['Copy images'] as AslTask;
const lintBackup = (d: AslDefinition) => lintWorkflow(d, { name: 'backup' });
const lintDrill = (d: AslDefinition) => lintWorkflow(d, { name: 'drill', mode: 'drill' });

describe('workflow: lint', () => {
  test('finds nothing wrong with the rendered workflows', () => {
    expect(lintBackup(backup())).toEqual([]);
    expect(lintDrill(drill())).toEqual([]);
  });

  test('rejects a misspelt error name with a "did you mean" hint', () => {
    const d = backup();
    copyTask(d).Retry![0]!.ErrorEquals = ['Lifeboat.Throtled'];
    expect(lintBackup(d)).toEqual([
      "workflow 'backup' › state 'Copy images' › Retry[0]: 'Lifeboat.Throtled' is not a Lifeboat error name (schemas/errors.ts); did you mean 'Lifeboat.Throttled'?",
      "workflow 'backup' › state 'Copy images' › Retry: does not retry 'Lifeboat.Throttled'",
    ]);
  });

  test('rejects error names of unknown families and near misses of States.* and Lambda.* names', () => {
    const d = backup();
    const t = copyTask(d);
    t.Retry![2]!.ErrorEquals = ['Lifeboat.Capacity', 'Ec2.Throttled', 'States.Timout', 'Lambda.ServiceExeption'];
    expect(lintBackup(d)).toEqual([
      "workflow 'backup' › state 'Copy images' › Retry[2]: 'Ec2.Throttled' is not a Lifeboat, States.* or Lambda.* error name",
      "workflow 'backup' › state 'Copy images' › Retry[2]: 'States.Timout' is not a States.* error name Step Functions defines; did you mean 'States.Timeout'?",
      "workflow 'backup' › state 'Copy images' › Retry[2]: 'Lambda.ServiceExeption' is not a Lambda.* error name a Lambda task can raise; did you mean 'Lambda.ServiceException'?",
    ]);
  });

  test('rejects a retrier without full jitter, without a max delay, or without backoff', () => {
    const d = backup();
    const r = copyTask(d).Retry![1]!;
    delete r.JitterStrategy;
    delete r.MaxDelaySeconds;
    r.BackoffRate = 1;
    expect(lintBackup(d)).toEqual([
      "workflow 'backup' › state 'Copy images' › Retry[1]: expected a BackoffRate above 1 (exponential backoff), found 1",
      "workflow 'backup' › state 'Copy images' › Retry[1]: expected MaxDelaySeconds (a cap on the backoff), found undefined",
      'workflow \'backup\' › state \'Copy images\' › Retry[1]: expected JitterStrategy "FULL", found undefined',
    ]);
  });

  test('rejects a Task that does not retry the Lambda service errors, or has no Retry at all', () => {
    const d = backup();
    copyTask(d).Retry![1]!.ErrorEquals = ['Lifeboat.Transient'];
    delete (d.States['Prune recovery points'] as AslTask).Retry;
    expect(lintBackup(d)).toEqual([
      "workflow 'backup' › state 'Prune recovery points' › Retry: missing; every Task retries 'Lifeboat.Throttled', 'Lifeboat.Transient', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException', 'Lambda.ClientExecutionTimeoutException', 'Sandbox.Timedout', 'Runtime.ExitError', 'Lambda.Unknown'",
      "workflow 'backup' › state 'Copy images' › Retry: does not retry 'Lambda.ServiceException'",
      "workflow 'backup' › state 'Copy images' › Retry: does not retry 'Lambda.AWSLambdaException'",
      "workflow 'backup' › state 'Copy images' › Retry: does not retry 'Lambda.SdkClientException'",
      "workflow 'backup' › state 'Copy images' › Retry: does not retry 'Lambda.TooManyRequestsException'",
      "workflow 'backup' › state 'Copy images' › Retry: does not retry 'Lambda.ClientExecutionTimeoutException'",
      "workflow 'backup' › state 'Copy images' › Retry: does not retry 'Sandbox.Timedout'",
      "workflow 'backup' › state 'Copy images' › Retry: does not retry 'Runtime.ExitError'",
      "workflow 'backup' › state 'Copy images' › Retry: does not retry 'Lambda.Unknown'",
    ]);
  });

  test('rejects retrying States.ALL', () => {
    const d = backup();
    copyTask(d).Retry!.push({ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2, MaxDelaySeconds: 5, JitterStrategy: 'FULL' });
    expect(lintBackup(d)).toEqual([
      "workflow 'backup' › state 'Copy images' › Retry[3]: retries 'States.ALL', so permanent errors such as 'Lifeboat.InvalidInput' would be retried too; list the retryable errors instead",
    ]);
  });

  test('rejects a Task without a catch-all', () => {
    const d = backup();
    delete (d.States['Prune recovery points'] as AslTask).Catch;
    expect(lintBackup(d)).toEqual([
      "workflow 'backup' › state 'Prune recovery points' › Catch: does not catch 'States.ALL'; an error left after Retry would end the run without recording the failure",
    ]);
  });

  test('rejects a failure recorder without a Catch, or one that catches the Lifeboat.StepFailed it raises on purpose', () => {
    const d = backup();
    delete (d.States['Record failure'] as AslTask).Catch;
    const inner = (d.States['Back up batches'] as { ItemProcessor: { States: Record<string, AslTask> } }).ItemProcessor.States['Record batch failure']!;
    inner.Catch![0]!.ErrorEquals = [...inner.Catch![0]!.ErrorEquals, 'Lifeboat.StepFailed'];
    expect(lintBackup(d)).toEqual([
      "workflow 'backup' › state 'Record failure' › Catch: missing; the failure recorder must catch every error but 'Lifeboat.StepFailed' into a Fail state",
      "workflow 'backup' › state 'Record batch failure' › Catch[0]: catches 'Lifeboat.StepFailed': the run would end at a Fail state and a redrive could not resume",
    ]);
  });

  test('rejects a catch-all that bypasses Record failure and ends the run successfully', () => {
    const d = backup();
    (d.States['Prune recovery points'] as AslTask).Catch![0]!.Next = 'Backup succeeded';
    expect(lintBackup(d)).toEqual([
      "workflow 'backup' › state 'Prune recovery points' › Catch[0]: the catch-all goes to 'Backup succeeded', which never reaches a 'record-failure' task (Record failure)",
      "workflow 'backup' › state 'Prune recovery points' › Catch[0]: the catch-all goes to 'Backup succeeded', from where no Fail state is reachable: the run would not end FAILED naming the step",
    ]);
  });

  test('rejects States.ALL that is not alone or not last', () => {
    const d = backup();
    const t = d.States['Prune recovery points'] as AslTask;
    t.Catch = [{ ErrorEquals: ['States.ALL', 'Lifeboat.NotFound'], Next: 'Record failure' }, { ErrorEquals: ['Lifeboat.Unexpected'], Next: 'Record failure' }];
    expect(lintBackup(d)).toEqual([
      "workflow 'backup' › state 'Prune recovery points' › Catch[0]: 'States.ALL' must appear alone in ErrorEquals",
      "workflow 'backup' › state 'Prune recovery points' › Catch[0]: 'States.ALL' must be in the last retrier or catcher",
    ]);
  });

  test('rejects a transition to a state that does not exist, with a hint', () => {
    const d = backup();
    batchStates(d)['Copies available?'] = { ...batchStates(d)['Copies available?']!, Choices: [{ Condition: '{% $states.input.isComplete = true %}', Next: 'Verify copy' }] } as AslDefinition['States'][string];
    expect(lintBackup(d)).toEqual([
      "workflow 'backup' › state 'Copies available?' › Choices[0].Next: no state named 'Verify copy' in this scope; did you mean 'Verify copies'?",
    ]);
  });

  test('rejects an unreachable state and a Choice without Default', () => {
    const d = backup();
    d.States['Say hello'] = { Type: 'Pass', Next: 'Backup succeeded' };
    d.States['Is it Monday?'] = { Type: 'Choice', Choices: [{ Condition: '{% true %}', Next: 'Backup succeeded' }] };
    expect(lintBackup(d)).toEqual([
      "workflow 'backup' › state 'Is it Monday?': a Choice without \"Default\" fails the run with States.NoChoiceMatched, bypassing the failure path",
      "workflow 'backup' › state 'Say hello': unreachable: no path from StartAt 'Check previous backup' leads here",
      "workflow 'backup' › state 'Is it Monday?': unreachable: no path from StartAt 'Check previous backup' leads here",
    ]);
  });

  test('rejects a state name over 80 characters and a name used twice across scopes', () => {
    const d = backup();
    const long = `Wait ${'a'.repeat(80)}`;
    d.States[long] = { Type: 'Pass', End: true };
    batchStates(d)['Record failure'] = { Type: 'Pass', End: true };
    const problems = lintBackup(d);
    expect(problems).toContain(`workflow 'backup' › state '${long}': the name is 85 characters; Step Functions allows at most 80`);
    expect(problems).toContain(
      "workflow 'backup' › state 'Record failure': the name is used twice (also in state 'Back up batches' › ItemProcessor); state names must be unique in the whole definition",
    );
  });

  test('rejects a definition of 1 MB or more', () => {
    const d = backup();
    d.Comment = 'x'.repeat(1_048_576);
    expect(lintBackup(d)[0]).toMatch(/^workflow 'backup': the definition is 10\d{5} bytes; Step Functions accepts at most 1048576 \(1 MB\)$/);
  });

  test('reports JSONPath fields and other schema problems with their state path', () => {
    const d = backup();
    (copyTask(d) as unknown as Record<string, unknown>).ResultPath = '$.copy';
    (d.States['Start backup'] as unknown as Record<string, unknown>).End = true;
    expect(lintBackup(d)).toEqual([
      'workflow \'backup\' › state \'Start backup\': expected exactly one of "Next" and "End: true" (ASL schema)',
      'workflow \'backup\' › state \'Back up batches\' › state \'Copy images\': Unrecognized key: "ResultPath" (ASL schema)',
    ]);
  });

  test('rejects a variable that is never assigned, with a hint, but not "$" inside string literals', () => {
    const d = backup();
    const check = d.States['Check previous backup'] as AslTask;
    (check.Arguments as { Payload: { input: Record<string, unknown> } }).Payload.input.keepImageIds = '{% [$verifed.imageId] %}';
    (check.Arguments as { Payload: { input: Record<string, unknown> } }).Payload.input.note = '{% "costs $5" & \'$x\' %}';
    expect(lintBackup(d)).toEqual([
      "workflow 'backup' › state 'Check previous backup' › Arguments.Payload.input.keepImageIds: '$verifed' is never assigned in this scope or an enclosing one; did you mean '$verified'?",
    ]);
  });

  test("accepts an expression's own bindings ($x := …) but still rejects an unassigned variable beside them", () => {
    const d = backup();
    const check = d.States['Check previous backup'] as AslTask;
    (check.Arguments as { Payload: { input: Record<string, unknown> } }).Payload.input.keepImageIds = '{% ($ids := $verified.imageId; [$ids, $verifed]) %}';
    expect(lintBackup(d)).toEqual([
      "workflow 'backup' › state 'Check previous backup' › Arguments.Payload.input.keepImageIds: '$verifed' is never assigned in this scope or an enclosing one; did you mean '$verified'?",
    ]);
  });

  test('rejects a Map iteration that assigns a variable of its enclosing scope', () => {
    const d = backup();
    const start = batchStates(d)['Start batch'] as { Assign: Record<string, unknown> };
    start.Assign.targetCount = 0;
    expect(lintBackup(d)).toEqual([
      "workflow 'backup' › state 'Back up batches' › ItemProcessor: assigns '$targetCount', which an enclosing scope assigns too; give the inner variable its own name",
    ]);
  });

  test('rejects something that is not a definition', () => {
    expect(lintWorkflow('nope', { name: 'backup' })).toEqual(["workflow 'backup': expected a definition object, found \"nope\""]);
  });

  describe('drill mode', () => {
    test('rejects a Map whose failure would end the drill without teardown', () => {
      const d = drill();
      delete (d.States['Launch waves'] as AslMap).Catch;
      expect(lintDrill(d)).toEqual([
        "workflow 'drill' › state 'Launch waves': drill mode: a failure of this Map ends the run without tearing down ('Start recovery' → 'Pre-flight checks' → 'Pre-flight passed?' → 'Resolve recovery points' → 'Launch waves'); catch 'States.ALL' into the teardown path",
      ]);
    });

    test('rejects a success path that skips the teardown', () => {
      const d = drill();
      (d.States['Launch waves'] as AslMap).Next = 'Record recovery metrics';
      expect(lintDrill(d)).toEqual([
        "workflow 'drill' › state 'Hold drill instances': unreachable: no path from StartAt 'Start recovery' leads here",
        "workflow 'drill' › state 'Start teardown': unreachable: no path from StartAt 'Start recovery' leads here",
        "workflow 'drill' › state 'Tear down drill': unreachable: no path from StartAt 'Start recovery' leads here",
        "workflow 'drill' › state 'Drill torn down?': unreachable: no path from StartAt 'Start recovery' leads here",
        "workflow 'drill' › state 'Wait for teardown': unreachable: no path from StartAt 'Start recovery' leads here",
        "workflow 'drill' › state 'Recovery succeeded': drill mode: the run can end here without tearing down ('Start recovery' → 'Pre-flight checks' → 'Pre-flight passed?' → 'Resolve recovery points' → 'Launch waves' → 'Record recovery metrics' → 'Recovery succeeded')",
      ]);
    });

    test('rejects a failure recorder whose own failure would skip the teardown', () => {
      const d = drill();
      delete (d.States['Record failure'] as AslTask).Catch;
      expect(lintDrill(d)).toEqual([
        "workflow 'drill' › state 'Record failure' › Catch: missing; the failure recorder must catch every error but 'Lifeboat.StepFailed' into a Fail state",
        "workflow 'drill' › state 'Record failure': drill mode: a failure of this Task ends the run without tearing down ('Start recovery' → 'Pre-flight checks' → 'Record failure'); catch 'States.ALL' into the teardown path",
      ]);
    });

    test('rejects a failure path that goes straight to Fail', () => {
      const d = drill();
      (d.States['Record failure'] as AslTask).Next = 'Recovery failed';
      expect(lintDrill(d)).toEqual([
        "workflow 'drill' › state 'Recovery failed': drill mode: the run can end here without tearing down ('Start recovery' → 'Pre-flight checks' → 'Record failure' → 'Recovery failed')",
      ]);
    });

    test('rejects a drill with no teardown at all', () => {
      const d = renderFailover(examplePlan('small'), 'failover', TEST_ARNS);
      expect(lintDrill(d)).toEqual([
        "workflow 'drill': drill mode: no 'teardown' task at the top level; drill instances would never be terminated",
      ]);
    });
  });

  test('suggests only plausible near misses', () => {
    expect(nearest('Lifeboat.Throtled', ['Lifeboat.Throttled', 'Lifeboat.Transient'])).toBe('Lifeboat.Throttled');
    expect(nearest('Totally.Different', ['Lifeboat.Throttled'])).toBeUndefined();
  });
});
