/**
 * cli/follow.ts getHistoryPage: GetExecutionHistory with the page body read by JSON.parse inside
 * the SDK's deserializer (issue 8, "Fast to start"). Over HTTP against a stub of the Step
 * Functions JSON protocol, it must give exactly what the SDK's own deserializer gives, and leave
 * error responses to the SDK.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html
 */
import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getHistoryPage, readAllEvents } from '../../cli/follow.js';

const ARN = 'arn:aws:states:us-east-1:123456789012:execution:lifeboat-shop-backup:backup-20261125T103000Z-3fa1';

/** Two pages as Step Functions sends them: awsJson1_0, timestamps in epoch seconds with milliseconds. */
const PAGES: Record<string, unknown> = {
  first: {
    events: [
      { timestamp: 1764066600.123, type: 'ExecutionStarted', id: 1, previousEventId: 0, executionStartedEventDetails: { input: '{"plan":"shop"}', inputDetails: { truncated: false }, roleArn: 'arn:aws:iam::123456789012:role/sfn' } },
      { timestamp: 1764066600.2, type: 'TaskStateEntered', id: 2, previousEventId: 1, stateEnteredEventDetails: { name: 'Image', input: '{}', inputDetails: { truncated: false } } },
      { timestamp: 1764066600.25, type: 'TaskScheduled', id: 3, previousEventId: 2, taskScheduledEventDetails: { resourceType: 'lambda', resource: 'invoke', region: 'us-east-1', parameters: '{"Payload":{"task":"image"}}', timeoutInSeconds: 900 } },
    ],
    nextToken: 'page-2',
  },
  'page-2': {
    events: [
      { timestamp: 1764066661, type: 'TaskFailed', id: 4, previousEventId: 3, taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: 'Lifeboat.Throttled', cause: 'Request limit exceeded — Zeitüberschreitung, 時間切れ.' } },
      { timestamp: 1764066662.999, type: 'ExecutionFailed', id: 5, previousEventId: 4, executionFailedEventDetails: { error: 'Lifeboat.Throttled', cause: 'Request limit exceeded — Zeitüberschreitung, 時間切れ.' } },
    ],
  },
};

describe('cli: getHistoryPage (GetExecutionHistory read with JSON.parse)', () => {
  let server: Server;
  let sfn: SFNClient;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const input = JSON.parse(body) as { executionArn: string; nextToken?: string };
        if (input.executionArn !== ARN) {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ __type: 'com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist', message: `Execution Does Not Exist: '${input.executionArn}'` }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(PAGES[input.nextToken ?? 'first']));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sfn = new SFNClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });

  afterAll(async () => {
    sfn.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test("gives the events and the next token exactly as the SDK's deserializer does, timestamps as Dates", async () => {
    for (const nextToken of [undefined, 'page-2']) {
      // GIVEN the same page read both ways
      const input = { executionArn: ARN, maxResults: 1000, includeExecutionData: true, ...(nextToken === undefined ? {} : { nextToken }) };
      const fast = await getHistoryPage(sfn, input);
      const sdk = await sfn.send(new GetExecutionHistoryCommand(input));
      // THEN
      expect(fast.events).toEqual(sdk.events);
      expect(fast.nextToken).toBe(sdk.nextToken);
      expect(fast.$metadata.httpStatusCode).toBe(200);
    }
    const first = await getHistoryPage(sfn, { executionArn: ARN });
    expect(first.events?.[0]?.timestamp).toEqual(new Date('2025-11-25T10:30:00.123Z'));
    expect(first.nextToken).toBe('page-2');
  });

  test('readAllEvents follows every page through it', async () => {
    const events = await readAllEvents(sfn, ARN, { command: 'lifeboat history', region: 'us-east-1' });
    expect(events.map((e) => [e.id, e.type])).toEqual([
      [1, 'ExecutionStarted'],
      [2, 'TaskStateEntered'],
      [3, 'TaskScheduled'],
      [4, 'TaskFailed'],
      [5, 'ExecutionFailed'],
    ]);
    expect(events[3]?.taskFailedEventDetails).toEqual({ resourceType: 'lambda', resource: 'invoke', error: 'Lifeboat.Throttled', cause: 'Request limit exceeded — Zeitüberschreitung, 時間切れ.' });
  });

  test("leaves an error response to the SDK: the service's error name and message", async () => {
    const missing = ARN.replace('3fa1', 'ffff');
    await expect(getHistoryPage(sfn, { executionArn: missing })).rejects.toMatchObject({ name: 'ExecutionDoesNotExist', message: expect.stringContaining('Execution Does Not Exist') });
  });
});
