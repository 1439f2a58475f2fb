import { describe, expect, test } from 'vitest';
import { TASK_SCHEMAS } from '../../schemas/tasks/catalog.js';
import { TaskEnvelopeSchema } from '../../schemas/tasks/envelope.js';
import { TASK_IDS } from '../../schemas/tasks/index.js';
import { CopyInputSchema } from '../../schemas/tasks/copy.js';
import { ResolveRecoveryPointsInputSchema } from '../../schemas/tasks/resolve-recovery-points.js';

const context = {
  executionArn: 'arn:aws:states:us-east-1:123456789012:execution:lifeboat-shop-backup:backup-20261125T103000Z-3fa1',
  stateName: 'Copy image',
  stateEnteredTime: '2026-11-25T10:31:02.123Z',
  redriveCount: 0,
};

describe('schema: task envelope', () => {
  test('accepts the payload the workflows send', () => {
    expect(TaskEnvelopeSchema.parse({ task: 'copy', context, input: { a: 1 } })).toEqual({ task: 'copy', context, input: { a: 1 } });
  });

  test('accepts a redrive count given as a digit string', () => {
    expect(TaskEnvelopeSchema.safeParse({ task: 'copy', context: { ...context, redriveCount: '2' }, input: {} }).success).toBe(true);
  });

  test('rejects an unknown task id, a bad execution ARN and an extra key', () => {
    const result = TaskEnvelopeSchema.safeParse({
      task: 'kopy',
      context: { ...context, executionArn: 'exec-1' },
      input: {},
      extra: true,
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['', 'context.executionArn', 'task']);
  });
});

describe('schema: task inputs and outputs', () => {
  test('every task id has an input and an output schema', () => {
    expect(Object.keys(TASK_SCHEMAS).sort()).toEqual([...TASK_IDS].sort());
  });

  test('copy input parses to exactly the JSON it was given (no defaults, no transforms)', () => {
    const input = {
      planName: 'shop',
      sourceRegion: 'us-east-1',
      targetRegion: 'us-west-2',
      recoveryPointTime: '2026-11-25T10:30:00.000Z',
      copyTags: true,
      deadline: '2026-11-25T16:30:00.000Z',
      images: [{ workload: 'web', instanceId: 'i-0123456789abcdef0', name: 'lifeboat-shop-web-i-0123456789abcdef0-20261125T103000Z', imageId: 'ami-0123456789abcdef0', state: 'available' }],
    };
    expect(CopyInputSchema.parse(input)).toStrictEqual(input);
  });

  test('rejects a pin that is neither an AMI id nor an ISO time', () => {
    const result = ResolveRecoveryPointsInputSchema.safeParse({
      planName: 'shop',
      region: 'us-west-2',
      workloads: [{ name: 'web', isCritical: true, wave: 1, launch: { subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: [], instanceTypes: ['m5.large'] } }],
      pins: { web: 'yesterday' },
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].path).toEqual(['pins', 'web']);
  });

  test('rejects a prune retention with neither count nor age', () => {
    const result = TASK_SCHEMAS.prune.input.safeParse({
      planName: 'shop', primaryRegion: 'us-east-1', recoveryRegion: 'us-west-2', retention: {}, keepImageIds: [],
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].path).toEqual(['retention']);
  });
});
