/**
 * A minimal Amazon SNS (Query protocol, API version 2010-03-31, signing name `sns`): topics,
 * subscriptions that are recorded (nothing is delivered over the network) and published messages
 * that are kept, so tests and tools can read what would have been sent
 * (`POST /_sandbox/sns.messages`).
 *
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Operations.html
 */
import type { Clock } from '../clock.js';
import { QueryError, queryService, xmlText as xml, type QueryDialect, type QueryOperation } from '../query-protocol.js';
import type { SeededRandom } from '../random.js';
import { checkedSnapshot } from '../snapshot.js';
import type { SandboxService } from '../service.js';

/** Options of {@link createSnsService}. */
export interface SnsServiceOptions {
  readonly clock: Clock;
  readonly random: SeededRandom;
  readonly accountId: string;
  /** Told (synchronously) after topics, subscriptions or messages change. */
  readonly onChange?: () => void;
  /**
   * How many published messages are kept (oldest dropped first).
   * @default 10000
   */
  readonly maxMessages?: number;
}

/** A published message as kept by the sandbox. */
export interface PublishedMessage {
  readonly messageId: string;
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: string;
  readonly messageStructure?: string;
  readonly messageAttributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  /** ISO-8601, sandbox clock. */
  readonly timestamp: string;
  /** The subscriptions it would have been delivered to: `protocol:endpoint`. */
  readonly deliveredTo: string[];
}

interface Topic {
  arn: string;
  name: string;
  region: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
}

interface Subscription {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  owner: string;
  /** E-mail and HTTP subscriptions wait for a confirmation that never comes in the sandbox. */
  isPending: boolean;
  attributes: Record<string, string>;
}

/** The version of {@link SnsSnapshot} this code writes and reads. */
export const SNS_SNAPSHOT_VERSION = 1;

/** Every topic, subscription and kept message as plain JSON. */
export interface SnsSnapshot {
  readonly version: typeof SNS_SNAPSHOT_VERSION;
  readonly takenAtMs: number;
  readonly topics: Topic[];
  readonly subscriptions: Subscription[];
  readonly messages: PublishedMessage[];
}

/** The SNS service: HTTP side, in-process publishing, admin, persistence. */
export interface SnsSandbox {
  readonly service: SandboxService;
  /**
   * Publishes as another service would (a CloudWatch alarm action).
   *
   * @throws SnsError `NotFound` when the topic does not exist
   */
  publish(topicArn: string, message: string, subject?: string): PublishedMessage;
  /** Kept messages, oldest first (optionally of one topic). */
  messages(topicArn?: string): PublishedMessage[];
  /** Admin actions: `messages` (`{topicArn?, clear?}`), `state`. */
  admin(action: string, body: Record<string, unknown>): unknown;
  reset(): void;
  snapshot(): SnsSnapshot;
  /** @throws TypeError when `snapshot` is not an {@link SnsSnapshot} (the message names the member). */
  restore(snapshot: unknown): void;
}

/** An SNS error: its code and HTTP status (the sender is at fault). */
export class SnsError extends QueryError {
  override name = 'SnsError';
}

const DIALECT: QueryDialect = {
  signingName: 'sns',
  version: '2010-03-31',
  namespace: 'http://sns.amazonaws.com/doc/2010-03-31/',
  layout: 'compact',
  readsUrlQuery: false,
  invalidAction: (action) => `The action ${action} is not valid for this web service.`,
};
const TOPIC_NAME_RE = /^[A-Za-z0-9_-]{1,256}$/;
const PROTOCOLS = new Set(['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose']);
const MAX_MESSAGE_BYTES = 262_144;

const invalid = (message: string) => new SnsError('InvalidParameter', message);
const notFound = (message: string) => new SnsError('NotFound', message, 404);

/** `Attributes.entry.N.key/value` (or `.member.N.`) maps, as the Query protocol flattens them. */
function readMap(params: Map<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) {
    const m = new RegExp(`^${prefix}\\.(entry|member)\\.(\\d+)\\.(key|Name)$`).exec(k);
    if (m) out[v] = params.get(`${prefix}.${m[1]}.${m[2]}.${m[3] === 'key' ? 'value' : 'Value'}`) ?? '';
  }
  return out;
}

/**
 * Creates the SNS service.
 *
 * @example
 * const sns = createSnsService({ clock, random, accountId });
 * server.mount(sns.service);
 * sns.messages('arn:aws:sns:us-east-1:123456789012:alarms');
 */
export function createSnsService(options: SnsServiceOptions): SnsSandbox {
  const { clock, accountId } = options;
  const ids = options.random.fork('sns');
  const onChange = options.onChange ?? (() => {});
  const maxMessages = options.maxMessages ?? 10_000;
  const topics = new Map<string, Topic>();
  const subscriptions = new Map<string, Subscription>();
  let messages: PublishedMessage[] = [];

  const topicArnOf = (region: string, name: string) => `arn:aws:sns:${region}:${accountId}:${name}`;

  function requireTopic(arn: string | undefined, param = 'TopicArn'): Topic {
    if (arn === undefined || arn === '') throw invalid(`Invalid parameter: ${param}`);
    if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$/.test(arn)) throw invalid(`Invalid parameter: ${param} Reason: An ARN must have a valid format: ${arn}`);
    const t = topics.get(arn);
    if (!t) throw notFound('Topic does not exist');
    return t;
  }

  function record(topic: Topic, message: string, subject: string | undefined, attributes: PublishedMessage['messageAttributes'], structure?: string): PublishedMessage {
    const published: PublishedMessage = {
      messageId: ids.uuid(),
      topicArn: topic.arn,
      ...(subject !== undefined ? { subject } : {}),
      message,
      ...(structure !== undefined ? { messageStructure: structure } : {}),
      messageAttributes: attributes,
      timestamp: new Date(clock.now()).toISOString(),
      deliveredTo: [...subscriptions.values()].filter((s) => s.topicArn === topic.arn && !s.isPending).map((s) => `${s.protocol}:${s.endpoint}`),
    };
    messages.push(published);
    if (messages.length > maxMessages) messages = messages.slice(messages.length - maxMessages);
    onChange();
    return published;
  }

  function checkSubject(subject: string | undefined): void {
    if (subject === undefined) return;
    // Subjects: ASCII, no line breaks or control characters, at most 100 characters.
    if (subject.length === 0 || subject.length > 100 || !/^[\x20-\x7e]+$/.test(subject)) throw invalid('Invalid parameter: Subject');
  }

  const ops: Record<string, QueryOperation> = {
    CreateTopic(p, { region }) {
      const name = p.get('Name');
      if (name === undefined) throw invalid('Invalid parameter: Name');
      const attributes = readMap(p, 'Attributes');
      const isFifo = attributes.FifoTopic === 'true';
      const base = isFifo ? name.replace(/\.fifo$/, '') : name;
      if (!TOPIC_NAME_RE.test(base) || (isFifo !== name.endsWith('.fifo'))) {
        throw invalid('Invalid parameter: Topic Name');
      }
      const arn = topicArnOf(region, name);
      const existing = topics.get(arn);
      if (existing) {
        // CreateTopic is idempotent, unless it is asked for different attributes.
        for (const [k, v] of Object.entries(attributes)) {
          if (existing.attributes[k] !== undefined && existing.attributes[k] !== v) throw invalid('Invalid parameter: Attributes Reason: Topic already exists with different attributes');
        }
        return `<TopicArn>${xml(arn)}</TopicArn>`;
      }
      const tags = readMap(p, 'Tags');
      topics.set(arn, { arn, name, region, attributes, tags });
      onChange();
      return `<TopicArn>${xml(arn)}</TopicArn>`;
    },
    DeleteTopic(p) {
      const arn = p.get('TopicArn');
      if (arn === undefined) throw invalid('Invalid parameter: TopicArn');
      // Deleting a topic that does not exist is not an error.
      if (topics.delete(arn)) {
        for (const [k, s] of subscriptions) if (s.topicArn === arn) subscriptions.delete(k);
        onChange();
      }
      return '';
    },
    ListTopics(p, { region }) {
      const all = [...topics.values()].filter((t) => t.region === region).sort((a, b) => (a.arn < b.arn ? -1 : 1));
      const offset = readToken(p.get('NextToken'));
      const page = all.slice(offset, offset + 100);
      const next = offset + 100 < all.length ? `<NextToken>${Buffer.from(String(offset + 100)).toString('base64url')}</NextToken>` : '';
      return `<Topics>${page.map((t) => `<member><TopicArn>${xml(t.arn)}</TopicArn></member>`).join('')}</Topics>${next}`;
    },
    GetTopicAttributes(p) {
      const t = requireTopic(p.get('TopicArn'));
      const subs = [...subscriptions.values()].filter((s) => s.topicArn === t.arn);
      const attributes: Record<string, string> = {
        TopicArn: t.arn,
        Owner: accountId,
        DisplayName: '',
        SubscriptionsConfirmed: String(subs.filter((s) => !s.isPending).length),
        SubscriptionsPending: String(subs.filter((s) => s.isPending).length),
        SubscriptionsDeleted: '0',
        Policy: JSON.stringify({ Version: '2008-10-17', Id: '__default_policy_ID', Statement: [{ Sid: '__default_statement_ID', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['SNS:Publish', 'SNS:Subscribe', 'SNS:GetTopicAttributes'], Resource: t.arn, Condition: { StringEquals: { 'AWS:SourceOwner': accountId } } }] }),
        ...t.attributes,
      };
      return `<Attributes>${Object.entries(attributes).map(([k, v]) => `<entry><key>${xml(k)}</key><value>${xml(v)}</value></entry>`).join('')}</Attributes>`;
    },
    Subscribe(p) {
      const t = requireTopic(p.get('TopicArn'));
      const protocol = p.get('Protocol');
      if (protocol === undefined || !PROTOCOLS.has(protocol)) throw invalid(`Invalid parameter: Protocol`);
      const endpoint = p.get('Endpoint') ?? '';
      if ((protocol === 'email' || protocol === 'email-json') && !/^[^@\s]+@[^@\s]+$/.test(endpoint)) throw invalid('Invalid parameter: Email address');
      if ((protocol === 'http' || protocol === 'https') && !endpoint.startsWith(`${protocol}://`)) throw invalid(`Invalid parameter: Endpoint must match the specified protocol`);
      if (['sqs', 'lambda', 'firehose', 'application'].includes(protocol) && !endpoint.startsWith('arn:')) throw invalid('Invalid parameter: Endpoint Reason: An ARN must have a valid format');
      const existing = [...subscriptions.values()].find((s) => s.topicArn === t.arn && s.protocol === protocol && s.endpoint === endpoint);
      const sub = existing ?? {
        arn: `${t.arn}:${ids.uuid()}`, topicArn: t.arn, protocol, endpoint, owner: accountId,
        isPending: ['email', 'email-json', 'http', 'https'].includes(protocol),
        attributes: readMap(p, 'Attributes'),
      };
      if (!existing) {
        subscriptions.set(sub.arn, sub);
        onChange();
      }
      const returnArn = p.get('ReturnSubscriptionArn') === 'true';
      return `<SubscriptionArn>${xml(sub.isPending && !returnArn ? 'pending confirmation' : sub.arn)}</SubscriptionArn>`;
    },
    Unsubscribe(p) {
      const arn = p.get('SubscriptionArn');
      if (arn === undefined) throw invalid('Invalid parameter: SubscriptionArn');
      if (!subscriptions.has(arn)) throw notFound('Subscription does not exist');
      subscriptions.delete(arn);
      onChange();
      return '';
    },
    ListSubscriptionsByTopic(p) {
      const t = requireTopic(p.get('TopicArn'));
      const all = [...subscriptions.values()].filter((s) => s.topicArn === t.arn);
      const offset = readToken(p.get('NextToken'));
      const page = all.slice(offset, offset + 100);
      const next = offset + 100 < all.length ? `<NextToken>${Buffer.from(String(offset + 100)).toString('base64url')}</NextToken>` : '';
      return `<Subscriptions>${page
        .map((s) => `<member><Owner>${accountId}</Owner><Endpoint>${xml(s.endpoint)}</Endpoint><Protocol>${xml(s.protocol)}</Protocol><SubscriptionArn>${xml(s.isPending ? 'PendingConfirmation' : s.arn)}</SubscriptionArn><TopicArn>${xml(s.topicArn)}</TopicArn></member>`)
        .join('')}</Subscriptions>${next}`;
    },
    Publish(p) {
      const arn = p.get('TopicArn') ?? p.get('TargetArn');
      if (arn === undefined) throw invalid(p.has('PhoneNumber') ? 'Invalid parameter: PhoneNumber Reason: the sandbox does not send SMS' : 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
      const t = requireTopic(arn, p.has('TopicArn') ? 'TopicArn' : 'TargetArn');
      const message = p.get('Message');
      if (message === undefined || message === '') throw invalid('Invalid parameter: Empty message');
      if (Buffer.byteLength(message, 'utf8') > MAX_MESSAGE_BYTES) throw invalid('Invalid parameter: Message too long');
      const subject = p.get('Subject');
      checkSubject(subject);
      const structure = p.get('MessageStructure');
      if (structure !== undefined) {
        if (structure !== 'json') throw invalid('Invalid parameter: MessageStructure');
        let parsed: unknown;
        try {
          parsed = JSON.parse(message);
        } catch {
          throw invalid('Invalid parameter: Message Structure - JSON message body failed to parse');
        }
        if (typeof parsed !== 'object' || parsed === null || typeof (parsed as Record<string, unknown>).default !== 'string') {
          throw invalid('Invalid parameter: Message Structure - No default entry in JSON message body');
        }
      }
      const attributes: PublishedMessage['messageAttributes'] = {};
      for (const [k, name] of p) {
        const m = /^MessageAttributes\.entry\.(\d+)\.Name$/.exec(k);
        if (!m) continue;
        const base = `MessageAttributes.entry.${m[1]}.Value`;
        const dataType = p.get(`${base}.DataType`);
        if (dataType === undefined || !/^(String|Number|Binary|String\.Array)(\..+)?$/.test(dataType)) {
          throw invalid(`Invalid parameter: MessageAttributes Reason: The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
        }
        const stringValue = p.get(`${base}.StringValue`);
        const binaryValue = p.get(`${base}.BinaryValue`);
        if (stringValue === undefined && binaryValue === undefined) throw invalid(`Invalid parameter: MessageAttributes Reason: The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`);
        if (dataType.startsWith('Number') && !Number.isFinite(Number(stringValue))) throw invalid(`Invalid parameter: MessageAttributes Reason: Could not cast message attribute '${name}' value to number.`);
        attributes[name] = { DataType: dataType, ...(stringValue !== undefined ? { StringValue: stringValue } : {}), ...(binaryValue !== undefined ? { BinaryValue: binaryValue } : {}) };
      }
      const published = record(t, message, subject, attributes, structure);
      return `<MessageId>${published.messageId}</MessageId>`;
    },
  };

  function readToken(token: string | undefined): number {
    if (token === undefined) return 0;
    const n = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(n) || n < 0) throw invalid('Invalid parameter: NextToken');
    return n;
  }

  const service: SandboxService = queryService(DIALECT, ops, () => ids.uuid());

  const messagesOf = (topicArn?: string) => messages.filter((m) => topicArn === undefined || m.topicArn === topicArn);

  return {
    service,
    publish(topicArn, message, subject) {
      return record(requireTopic(topicArn), message, subject, {});
    },
    messages: messagesOf,
    admin(action, body) {
      if (body.topicArn !== undefined && typeof body.topicArn !== 'string') throw new TypeError(`sns admin '${action}' › topicArn: expected a topic ARN string, found ${JSON.stringify(body.topicArn)}`);
      const topicArn = body.topicArn as string | undefined;
      if (action === 'messages') {
        const out = messagesOf(topicArn);
        if (body.clear === true) {
          messages = messages.filter((m) => !out.includes(m));
          onChange();
        }
        return { messages: out };
      }
      if (action === 'state') {
        return { topics: [...topics.values()], subscriptions: [...subscriptions.values()], messageCount: messages.length };
      }
      throw new TypeError(`sns admin '${action}': unknown action; expected one of messages, state`);
    },
    reset() {
      topics.clear();
      subscriptions.clear();
      messages = [];
      onChange();
    },
    snapshot: () => ({
      version: SNS_SNAPSHOT_VERSION,
      takenAtMs: clock.now(),
      topics: [...topics.values()],
      subscriptions: [...subscriptions.values()],
      messages: [...messages],
    }),
    restore(value) {
      const where = 'sns snapshot';
      const v = checkedSnapshot<SnsSnapshot>(value, where, SNS_SNAPSHOT_VERSION, ['topics', 'subscriptions', 'messages']);
      v.topics!.forEach((t, i) => {
        if (typeof t?.arn !== 'string' || typeof t.region !== 'string') throw new TypeError(`${where} › topics[${i}]: expected {arn, name, region, attributes, tags}, found ${JSON.stringify(t)?.slice(0, 100)}`);
      });
      topics.clear();
      subscriptions.clear();
      for (const t of v.topics!) topics.set(t.arn, t);
      for (const s of v.subscriptions!) subscriptions.set(s.arn, s);
      messages = [...v.messages!];
    },
  };
}
