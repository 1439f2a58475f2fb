import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { hasAws, hasBoto3, runAws, runPython } from '../aws-tools.js';

const REGION = 'eu-west-1';

const aws = hasAws;
if (!aws) console.warn('sandbox: sns › AWS CLI tests skipped: no working `aws` on PATH (install AWS CLI v1 or v2 to run them); the unsigned-request test still runs');

/** A Query-protocol call without a signature (the sandbox then uses its default region). */
async function query(sandbox: Sandbox, params: Record<string, string>): Promise<{ status: number; body: string }> {
  const res = await fetch(sandbox.endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...params, Version: '2010-03-31' }).toString(),
  });
  return { status: res.status, body: await res.text() };
}

async function admin(sandbox: Sandbox, action: string, body: unknown = {}): Promise<any> {
  const res = await fetch(`${sandbox.endpoint}/_sandbox/${action}`, { method: 'POST', body: JSON.stringify(body) });
  return res.json();
}

describe('sandbox: sns (Query protocol)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ region: REGION, log: () => {} });
  });
  afterAll(async () => sandbox.stop());

  test('publishes to a topic and keeps the message, readable through the admin API', async () => {
    const created = await query(sandbox, { Action: 'CreateTopic', Name: 'raw' });
    expect(created.status).toBe(200);
    expect(created.body).toContain(`<TopicArn>arn:aws:sns:${REGION}:123456789012:raw</TopicArn>`);
    const published = await query(sandbox, { Action: 'Publish', TopicArn: `arn:aws:sns:${REGION}:123456789012:raw`, Message: 'hello & <bye>', Subject: 'greeting' });
    const id = /<MessageId>([^<]+)<\/MessageId>/.exec(published.body)?.[1];
    expect(id).toBeDefined();
    const { messages } = await admin(sandbox, 'sns.messages', { topicArn: `arn:aws:sns:${REGION}:123456789012:raw` });
    expect(messages).toMatchObject([{ messageId: id, subject: 'greeting', message: 'hello & <bye>' }]);
  });

  test('answers AWS error codes in the Query error envelope', async () => {
    const missing = await query(sandbox, { Action: 'Publish', TopicArn: `arn:aws:sns:${REGION}:123456789012:nope`, Message: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatch(/<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>NotFound<\/Code><Message>Topic does not exist<\/Message>/);
    const bad = await query(sandbox, { Action: 'CreateTopic', Name: 'no spaces allowed' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('<Code>InvalidParameter</Code>');
    const unknown = await query(sandbox, { Action: 'toString' });
    expect(unknown.body).toContain('<Code>InvalidAction</Code>');
  });
});

describe.skipIf(!aws)('sandbox: sns with the AWS CLI', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => {} });
  });
  afterAll(async () => sandbox.stop());

  const cli = async (...args: string[]): Promise<any> => {
    const stdout = await runAws(sandbox.endpoint, ['sns', ...args, '--region', REGION, '--output', 'json']);
    return stdout.trim() === '' ? {} : JSON.parse(stdout);
  };

  test('`aws sns create-topic` and `aws sns publish` reach the sandbox; the message is read back through the admin API', async () => {
    const topic = (await cli('create-topic', '--name', 'cli')).TopicArn as string;
    expect(topic).toBe(`arn:aws:sns:${REGION}:123456789012:cli`);
    const out = await cli('publish', '--topic-arn', topic, '--subject', 'Drill failed', '--message', '{"plan":"shop"}',
      '--message-attributes', '{"severity":{"DataType":"String","StringValue":"high"}}');
    const { messages } = await admin(sandbox, 'sns.messages', { topicArn: topic });
    expect(messages).toEqual([expect.objectContaining({ messageId: out.MessageId, subject: 'Drill failed', message: '{"plan":"shop"}', messageAttributes: { severity: { DataType: 'String', StringValue: 'high' } } })]);
    const e = await cli('publish', '--topic-arn', `arn:aws:sns:${REGION}:123456789012:missing`, '--message', 'x').catch((err: { stderr?: string }) => err);
    expect((e as { stderr?: string }).stderr).toMatch(/NotFound.*Topic does not exist/);
  });
});

const boto3 = hasBoto3;
if (!boto3) console.warn('sandbox: sns › boto3 tests skipped: python3 with boto3 is not installed (pip install boto3 to run them)');

/** One Python process runs every call (an interpreter per call would take seconds each) and prints one JSON document. */
const SCRIPT = String.raw`
import json, sys, boto3, botocore
sns = boto3.client('sns', endpoint_url=sys.argv[1], region_name=sys.argv[2], aws_access_key_id='test', aws_secret_access_key='test')
out = {}
def err(fn):
    try:
        fn()
        return None
    except botocore.exceptions.ClientError as e:
        return [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
a = sns.create_topic(Name='alarms')['TopicArn']
out['idempotent'] = [a, sns.create_topic(Name='alarms')['TopicArn']]
out['topics'] = sns.list_topics()['Topics']
out['attrsEmpty'] = sns.get_topic_attributes(TopicArn=a)['Attributes']
out['email'] = sns.subscribe(TopicArn=a, Protocol='email', Endpoint='oncall@example.com')['SubscriptionArn']
out['sqs'] = sns.subscribe(TopicArn=a, Protocol='sqs', Endpoint='arn:aws:sqs:eu-west-1:123456789012:inbox')['SubscriptionArn']
out['subs'] = sns.list_subscriptions_by_topic(TopicArn=a)['Subscriptions']
out['attrs'] = sns.get_topic_attributes(TopicArn=a)['Attributes']
out['published'] = sns.publish(TopicArn=a, Subject='Drill failed', Message='{"plan":"shop"}', MessageAttributes={'severity': {'DataType': 'String', 'StringValue': 'high'}, 'count': {'DataType': 'Number', 'StringValue': '3'}})['MessageId']
out['errors'] = {
  'missingTopic': err(lambda: sns.publish(TopicArn='arn:aws:sns:eu-west-1:123456789012:missing', Message='x')),
  'badName': err(lambda: sns.create_topic(Name='bad name!')),
  'badSubject': err(lambda: sns.publish(TopicArn=a, Message='x', Subject='line\nbreak')),
  'badProtocol': err(lambda: sns.subscribe(TopicArn=a, Protocol='carrier-pigeon', Endpoint='x')),
  'badStructure': err(lambda: sns.publish(TopicArn=a, Message='{"email":"x"}', MessageStructure='json')),
  'badNumber': err(lambda: sns.publish(TopicArn=a, Message='x', MessageAttributes={'n': {'DataType': 'Number', 'StringValue': 'many'}})),
}
t = sns.create_topic(Name='temp')['TopicArn']
sns.subscribe(TopicArn=t, Protocol='sqs', Endpoint='arn:aws:sqs:eu-west-1:123456789012:q')
sns.delete_topic(TopicArn=t)
sns.delete_topic(TopicArn=t)
out['afterDelete'] = [x['TopicArn'] for x in sns.list_topics()['Topics']]
out['deletedSubs'] = err(lambda: sns.list_subscriptions_by_topic(TopicArn=t))
print(json.dumps(out))
`;

describe.skipIf(!boto3)('sandbox: sns with boto3', () => {
  let sandbox: Sandbox;
  let out: any;
  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => {} });
    const stdout = await runPython(SCRIPT, [sandbox.endpoint, REGION], { timeoutMs: 120_000 });
    out = JSON.parse(stdout);
  }, 120_000);
  afterAll(async () => sandbox.stop());
  const arn = (name: string) => `arn:aws:sns:${REGION}:123456789012:${name}`;

  test('create_topic is idempotent; list_topics and get_topic_attributes see it', () => {
    expect(out.idempotent).toEqual([arn('alarms'), arn('alarms')]);
    expect(out.topics).toEqual([{ TopicArn: arn('alarms') }]);
    expect(out.attrsEmpty).toMatchObject({ TopicArn: arn('alarms'), Owner: '123456789012', SubscriptionsConfirmed: '0', SubscriptionsPending: '0' });
  });

  test('subscriptions are recorded: e-mail waits for a confirmation, an SQS queue is confirmed; a message records who would receive it', async () => {
    expect(out.email).toBe('pending confirmation');
    expect(out.sqs).toMatch(new RegExp(`^${arn('alarms')}:[0-9a-f-]{36}$`));
    expect(out.subs.map((s: any) => [s.Protocol, s.Endpoint, s.SubscriptionArn])).toEqual([
      ['email', 'oncall@example.com', 'PendingConfirmation'],
      ['sqs', `arn:aws:sqs:${REGION}:123456789012:inbox`, out.sqs],
    ]);
    expect(out.attrs).toMatchObject({ SubscriptionsConfirmed: '1', SubscriptionsPending: '1' });
    const { messages } = await admin(sandbox, 'sns.messages', { topicArn: arn('alarms') });
    expect(messages).toEqual([
      expect.objectContaining({
        messageId: out.published, topicArn: arn('alarms'), subject: 'Drill failed', message: '{"plan":"shop"}',
        messageAttributes: { severity: { DataType: 'String', StringValue: 'high' }, count: { DataType: 'Number', StringValue: '3' } },
        deliveredTo: [`sqs:arn:aws:sqs:${REGION}:123456789012:inbox`],
      }),
    ]);
  });

  test('errors carry AWS codes and statuses: NotFound for a missing topic, InvalidParameter for bad input', () => {
    expect(out.errors.missingTopic).toEqual(['NotFound', 'Topic does not exist', 404]);
    expect(out.errors.badName).toEqual(['InvalidParameter', 'Invalid parameter: Topic Name', 400]);
    expect(out.errors.badSubject).toEqual(['InvalidParameter', 'Invalid parameter: Subject', 400]);
    expect(out.errors.badProtocol).toEqual(['InvalidParameter', 'Invalid parameter: Protocol', 400]);
    expect(out.errors.badStructure).toEqual(['InvalidParameter', 'Invalid parameter: Message Structure - No default entry in JSON message body', 400]);
    expect(out.errors.badNumber?.[0]).toBe('InvalidParameter');
  });

  test('delete_topic removes the topic and its subscriptions; deleting it again is not an error', () => {
    expect(out.afterDelete).toEqual([arn('alarms')]);
    expect(out.deletedSubs?.[0]).toBe('NotFound');
  });
});
