import { describe, expect, test } from 'vitest';
import { renderUndo, switchOutputOf } from '../../cli/commands/traffic-undo.js';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { runCli } from './cli-harness.js';

const SWITCHED = {
  isComplete: true, phase: 'done', mode: 'failover', isVerified: true, targetGroups: [], changes: [],
  records: [{ hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'shop.example.com.', type: 'A', before: { name: 'shop.example.com.', type: 'A', ttl: 60, values: ['192.0.2.10'] }, after: { name: 'shop.example.com.', type: 'A', ttl: 60, values: ['198.51.100.7'] }, status: 'changed' }],
};

describe('cli: traffic undo', () => {
  test('rejects a call without --plan, exit 2, naming the flag', async () => {
    const run = await runCli(['traffic', 'undo', 'failover-20261125T103000Z-3fa1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('lifeboat traffic undo: --plan FILE is required');
  });

  test("takes the switch from the run's output, else from the last successful 'Switch traffic' pass in the history", async () => {
    expect(await switchOutputOf(JSON.stringify({ traffic: SWITCHED }), async () => { throw new Error('history not needed'); })).toMatchObject({ records: [{ status: 'changed' }] });
    const journal = { ...SWITCHED, isComplete: false, phase: 'submit', isVerified: false };
    const events: HistoryEvent[] = [
      { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Switch traffic' } },
      { type: 'TaskSucceeded', taskSucceededEventDetails: { resourceType: 'lambda', resource: 'invoke', output: JSON.stringify({ Payload: journal, StatusCode: 200 }) } },
      { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Record failure' } },
      { type: 'TaskSucceeded', taskSucceededEventDetails: { resourceType: 'lambda', resource: 'invoke', output: JSON.stringify({ Payload: { resume: false } }) } },
    ] as HistoryEvent[];
    expect(await switchOutputOf(undefined, async () => events)).toMatchObject({ phase: 'submit', records: [{ before: { values: ['192.0.2.10'] } }] });
    expect(await switchOutputOf(undefined, async () => [])).toBeUndefined();
  });

  test('renders each record with what it goes back to, and the targets deregistered', () => {
    const text = renderUndo({
      plan: 'shop',
      execution: 'arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-failover:failover-1',
      restore: {
        action: 'restore', isComplete: true, phase: 'done', mode: 'drill', isDryRun: false, isVerified: true,
        records: [
          { hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'api.example.com.', type: 'CNAME', setIdentifier: 'primary', from: null, to: { name: 'api.example.com.', type: 'CNAME', setIdentifier: 'primary', weight: 100, ttl: 60, values: ['api-primary.example.com'] }, status: 'restored' },
          { hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'drill-shop.example.com.', type: 'A', from: null, to: null, status: 'restored' },
        ],
        targetGroups: [{ targetGroupArn: 'arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/web/0123456789abcdef', instanceIds: ['i-0aaaaaaaaaaaaaaa1'], isDeregistered: true, health: [{ id: 'i-0aaaaaaaaaaaaaaa1', state: 'draining' }] }],
        changes: [{ hostedZoneId: 'Z0123456789ABCDEFGHIJ', changeId: 'C1', status: 'INSYNC', submittedAt: '2026-11-25T10:40:00.000Z' }],
      },
    });
    expect(text.split('\n')).toEqual([
      'Traffic switch of failover-1 (plan shop): undone and verified',
      '  put back  CNAME api.example.com. (primary)  →  api-primary.example.com (weight 100)',
      '  put back  A drill-shop.example.com.  →  deleted (it did not exist before)',
      '  change C1 in hosted zone Z0123456789ABCDEFGHIJ: INSYNC',
      '  target group arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/web/0123456789abcdef: deregistered i-0aaaaaaaaaaaaaaa1 (i-0aaaaaaaaaaaaaaa1 draining)',
    ]);
  });
});
