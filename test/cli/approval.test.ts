import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, test } from 'vitest';
import { approvalStanding } from '../../cli/approval.js';

/*
 * Where the CLI finds the open approval request and its token: the TaskScheduled event of the newest
 * "Await approval" attempt that has not ended (pure, from the history alone).
 */

const request = (round: number) => ({
  planName: 'shop',
  mode: 'failover',
  region: 'us-west-2',
  topicArn: 'arn:aws:sns:us-west-2:123456789012:shop-lifeboat',
  round,
  requiredApprovers: 2,
  starterMayApprove: false,
  deadline: '2026-11-25T14:30:00.000Z',
  objectives: { rpoMinutes: 240, rtoMinutes: 60 },
  startedBy: null,
  approvals: [],
  refusals: [],
  preflight: null,
});
const entered = (name: string): HistoryEvent => ({ type: 'TaskStateEntered', stateEnteredEventDetails: { name } }) as HistoryEvent;
const exited = (name: string): HistoryEvent => ({ type: 'TaskStateExited', stateExitedEventDetails: { name } }) as HistoryEvent;
const scheduled = (token: string, round: number): HistoryEvent =>
  ({
    type: 'TaskScheduled',
    taskScheduledEventDetails: {
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      region: 'us-west-2',
      parameters: JSON.stringify({ FunctionName: 'arn:aws:lambda:us-west-2:123456789012:function:lifeboat-request-approval', Payload: { task: 'request-approval', context: { taskToken: token }, input: request(round) } }),
    },
  }) as HistoryEvent;
const ev = (type: string): HistoryEvent => ({ type }) as HistoryEvent;

describe('cli: approval standing', () => {
  test('finds the open request and its token while the run waits', () => {
    const standing = approvalStanding([ev('ExecutionStarted'), entered('Await approval'), scheduled('t1', 1), ev('TaskStarted'), ev('TaskSubmitted')]);
    expect(standing).toMatchObject({ kind: 'waiting', open: { taskToken: 't1', request: { round: 1, requiredApprovers: 2 } } });
  });

  test('takes the newest attempt after a retried request', () => {
    const standing = approvalStanding([entered('Await approval'), scheduled('t1', 1), ev('TaskStarted'), ev('TaskFailed'), scheduled('t2', 1), ev('TaskStarted')]);
    expect(standing).toMatchObject({ kind: 'waiting', open: { taskToken: 't2' } });
  });

  test('is not waiting once the request was answered, naming where the run is', () => {
    const events = [entered('Await approval'), scheduled('t1', 1), ev('TaskSubmitted'), ev('TaskSucceeded'), exited('Await approval'), entered('Resolve recovery points')];
    expect(approvalStanding(events)).toEqual({ kind: 'not-waiting', currentState: 'Resolve recovery points', hasApprovalStep: true });
  });

  test('is not waiting in a run without an approval step', () => {
    expect(approvalStanding([ev('ExecutionStarted'), entered('Resolve recovery points')])).toEqual({ kind: 'not-waiting', currentState: 'Resolve recovery points', hasApprovalStep: false });
  });

  test('ignores a TaskScheduled whose parameters carry no request-approval token', () => {
    const odd = { type: 'TaskScheduled', taskScheduledEventDetails: { parameters: '{"FunctionName":"x","Payload":{"task":"copy"}}' } } as HistoryEvent;
    expect(approvalStanding([entered('Await approval'), odd]).kind).toBe('not-waiting');
  });
});
