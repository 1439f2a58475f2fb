import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import * as z from 'zod';
import { TASK_IDS } from '../../schemas/tasks/index.js';
import { ec2Client } from '../../tasks/_shared/clients.js';
import { defineTask, type TaskContext } from '../../tasks/_shared/define-task.js';
import { NotFoundError } from '../../tasks/_shared/errors.js';
import { TASK_HANDLERS } from '../../tasks/index.js';
import { captureLogs, EXECUTION_ARN, ec2Error, envelope, rejectionOf } from './helpers.js';

const ec2 = mockClient(EC2Client);
const Input = z.strictObject({ region: z.string(), count: z.number().int() });
const Output = z.strictObject({ seen: z.number() });

describe('tasks: defineTask', () => {
  let lines: string[];
  beforeEach(() => {
    lines = captureLogs();
    ec2.reset();
  });
  afterEach(() => vi.restoreAllMocks());

  test('builds the context from the envelope: now is the state entered time, not the wall clock', async () => {
    let seen: TaskContext | undefined;
    const handler = defineTask({ id: 'teardown', input: Input, output: Output, run: async (_input, context) => ((seen = context), { seen: 1 }), clients: { ec2: ec2Client } });
    await handler(envelope('teardown', { region: 'us-west-2', count: 1 }, { stateEnteredTime: '2030-01-02T03:04:05.678Z', redriveCount: '2' as unknown as number, stateName: 'Tear down' }));
    expect(seen!.now.toISOString()).toBe('2030-01-02T03:04:05.678Z');
    expect(seen!.redriveCount).toBe(2);
    expect(seen!.stateName).toBe('Tear down');
    expect(seen!.executionArn).toBe(EXECUTION_ARN);
    // the cached client itself (its send notes which call failed, for the outage message)
    expect(seen!.ec2('us-west-2').config).toBe(ec2Client('us-west-2').config);
    expect(seen!.ec2('us-west-2')).toBe(seen!.ec2('us-west-2'));
  });

  test('fails with Lifeboat.InvalidInput naming every bad path, before running', async () => {
    const run = vi.fn();
    const handler = defineTask({ id: 'teardown', input: Input, output: Output, run });
    const error = await rejectionOf(handler(envelope('teardown', { region: 7, count: 1.5 })));
    expect(error.name).toBe('Lifeboat.InvalidInput');
    expect(error.message.split('\n')).toEqual([
      "task 'teardown' › input.region: expected a string, found 7",
      "task 'teardown' › input.count: expected a whole number, found 1.5",
    ]);
    expect(run).not.toHaveBeenCalled();
  });

  test('fails with Lifeboat.InvalidInput on a malformed envelope', async () => {
    const handler = defineTask({ id: 'teardown', input: Input, output: Output, run: vi.fn() });
    const error = await rejectionOf(handler({ task: 'teardown', input: {} }));
    expect(error.name).toBe('Lifeboat.InvalidInput');
    expect(error.message).toContain("task 'teardown' › context: expected an object, found nothing");
  });

  test('fails with Lifeboat.InvalidInput when the payload names another task', async () => {
    const handler = defineTask({ id: 'teardown', input: Input, output: Output, run: vi.fn() });
    const error = await rejectionOf(handler(envelope('copy', { region: 'us-west-2', count: 1 })));
    expect(error.name).toBe('Lifeboat.InvalidInput');
    expect(error.message).toContain('found "copy"');
  });

  test('maps an SDK error through the table and logs one line', async () => {
    ec2.on(DescribeImagesCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    const handler = defineTask({
      id: 'verify',
      input: Input,
      output: Output,
      run: async (input, context) => {
        await context.ec2(input.region).send(new DescribeImagesCommand({}));
        return { seen: 1 };
      },
      clients: { ec2: ec2Client },
    });
    const error = await rejectionOf(handler(envelope('verify', { region: 'us-west-2', count: 1 })));
    expect(error.name).toBe('Lifeboat.Throttled');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'ERROR', task: 'verify', outcome: 'error', error: 'Lifeboat.Throttled', sourceError: 'RequestLimitExceeded', executionArn: EXECUTION_ARN });
  });

  test('a thrown error carries no stack to the execution; the stack of a bug goes to the log line only', async () => {
    // GIVEN a task whose logic has a bug (a TypeError, not an error thrown on purpose)
    const handler = defineTask({
      id: 'verify',
      input: Input,
      output: Output,
      run: async () => {
        const missing = undefined as unknown as { count: number };
        return { seen: missing.count };
      },
    });
    const error = await rejectionOf(handler(envelope('verify', { region: 'us-west-2', count: 1 })));
    // THEN Lambda's `trace` (the error's stack) is the error's name alone: no code paths
    expect(error.name).toBe('Lifeboat.Unexpected');
    expect(error.stack).toBe('Lifeboat.Unexpected');
    // and the task's log line keeps the bug's own stack for whoever debugs it
    const line = JSON.parse(lines[0]) as { stack?: string; sourceError?: string };
    expect(line.sourceError).toBe('TypeError');
    expect(line.stack).toMatch(/^TypeError: .*\n\s+at /);
  });

  test('fails with Lifeboat.Unexpected naming the client when the logic reaches one its handler did not name', async () => {
    // GIVEN a task whose handler names only the EC2 client (its bundle carries no other)
    const handler = defineTask({
      id: 'verify',
      input: Input,
      output: Output,
      run: async (input, context) => {
        context.cloudwatch(input.region);
        return { seen: 1 };
      },
      clients: { ec2: ec2Client },
    });
    // WHEN its logic asks for CloudWatch
    const error = await rejectionOf(handler(envelope('verify', { region: 'us-west-2', count: 1 })));
    // THEN the invocation fails with where and what, and no call was made
    expect(error.name).toBe('Lifeboat.Unexpected');
    expect(error.message).toBe("task 'verify' › context.cloudwatch: expected the handler to name the cloudwatch client (defineTask({ clients: { cloudwatch: … } }) from tasks/_shared/clients/), found none");
    expect(ec2.calls()).toHaveLength(0);
  });

  test('fails with Lifeboat.Unexpected when the logic returns an invalid output', async () => {
    const handler = defineTask({ id: 'verify', input: Input, output: Output, run: async () => ({ seen: 'x' }) as never });
    const error = await rejectionOf(handler(envelope('verify', { region: 'us-west-2', count: 1 })));
    expect(error.name).toBe('Lifeboat.Unexpected');
    expect(error.message).toBe("task 'verify' returned an invalid output: output › seen: expected a number, found \"x\"");
  });

  test('writes one structured line with the notes and a summary, never the whole payload', async () => {
    const handler = defineTask({
      id: 'verify',
      input: Input,
      output: z.strictObject({ items: z.array(z.string()), isComplete: z.boolean() }),
      run: async (_input, context) => {
        context.log('did a thing', { n: 2 });
        return { items: ['a', 'b', 'c'], isComplete: true };
      },
    });
    await handler(envelope('verify', { region: 'us-west-2', count: 1 }));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ level: 'INFO', outcome: 'ok', summary: { itemsCount: 3, isComplete: true }, notes: [{ message: 'did a thing', n: 2 }] });
    expect(JSON.stringify(line)).not.toContain('"items":');
  });

  test('passes a Lifeboat error from the logic through with its name', async () => {
    const handler = defineTask({ id: 'verify', input: Input, output: Output, run: async () => { throw new NotFoundError('no such image'); } });
    const error = await rejectionOf(handler(envelope('verify', { region: 'us-west-2', count: 1 })));
    expect(error.name).toBe('Lifeboat.NotFound');
    expect(error.message).toBe('no such image');
  });
});

describe('tasks: the clients each handler names', () => {
  // A handler names the SDK clients its logic reaches (its bundle carries no other, docs/decisions/0017);
  // preflight and switch-traffic are tested without their handlers, so the sources are compared here.
  test.each([...TASK_IDS])('%s names exactly the clients its logic reaches through the context', (id) => {
    const dir = new URL(`../../tasks/${id}/`, import.meta.url);
    const logic = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f !== 'handler.ts')
      .map((f) => readFileSync(new URL(f, dir), 'utf8'))
      .join('\n');
    const reached = [...new Set([...logic.matchAll(/context\.(ec2|cloudwatch|sfn)\(/g)].map((m) => m[1]))].sort();
    const handler = readFileSync(new URL('handler.ts', dir), 'utf8');
    const named = [...(/clients: \{([^}]*)\}/.exec(handler)?.[1] ?? '').matchAll(/(ec2|cloudwatch|sfn):/g)].map((m) => m[1]).sort();
    expect(named).toEqual(reached);
  });
});

describe('tasks: TASK_HANDLERS', () => {
  test('binds every task id to a handler that checks it was sent the right task', async () => {
    captureLogs();
    expect(Object.keys(TASK_HANDLERS).sort()).toEqual([...TASK_IDS].sort());
    for (const id of TASK_IDS) {
      const other = id === 'copy' ? 'image' : 'copy';
      const error = await rejectionOf(TASK_HANDLERS[id](envelope(other, {})));
      expect(error.name).toBe('Lifeboat.InvalidInput');
      expect(error.message).toContain(`task '${id}' › task`);
    }
    vi.restoreAllMocks();
  });
});
