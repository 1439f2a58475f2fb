/**
 * A sandbox with Step Functions and S3 clients, for the Distributed Map tests: everything goes
 * through @aws-sdk/client-sfn and @aws-sdk/client-s3, as a program would use AWS.
 */
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand,
  type DescribeExecutionCommandOutput, type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../../sandbox/index.js';
import { fullHistory } from '../../sfn-history.js';

export const ROLE = 'arn:aws:iam::123456789012:role/dmap-test';
export const REGION = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface Env {
  readonly sandbox: Sandbox;
  readonly sfn: SFNClient;
  readonly s3: S3Client;
  /** Creates a state machine and runs it to its end; answers its description and history. */
  run(definition: unknown, input?: unknown, name?: string): Promise<Run>;
  /** Starts an execution of a new state machine (without waiting). */
  start(definition: unknown, input?: unknown): Promise<{ executionArn: string; stateMachineArn: string }>;
  /** Waits until an execution is no longer RUNNING. */
  finish(executionArn: string): Promise<Run>;
  history(executionArn: string): Promise<HistoryEvent[]>;
  putJson(bucket: string, key: string, value: unknown): Promise<void>;
  putText(bucket: string, key: string, text: string): Promise<void>;
  getJson(bucket: string, key: string): Promise<unknown>;
  bucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface Run {
  readonly describe: DescribeExecutionCommandOutput;
  readonly history: HistoryEvent[];
  readonly output: unknown;
}

let counter = 0;

export async function dmapEnv(options: SandboxOptions = {}): Promise<Env> {
  const sandbox = await startSandbox({ startMs: Date.UTC(2024, 0, 1), log: () => {}, ...options });
  const sfn = new SFNClient({ endpoint: sandbox.endpoint, region: REGION, credentials, maxAttempts: 1 });
  const s3 = new S3Client({ endpoint: sandbox.endpoint, region: REGION, credentials, maxAttempts: 1 });
  const history = (executionArn: string): Promise<HistoryEvent[]> => fullHistory(sfn, executionArn);
  const finish = async (executionArn: string): Promise<Run> => {
    for (let i = 0; i < 5000; i++) {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (d.status !== 'RUNNING') return { describe: d, history: await history(executionArn), output: d.output === undefined ? undefined : JSON.parse(d.output) };
      await new Promise((r) => setImmediate(r));
    }
    throw new Error(`${executionArn} still RUNNING after 5000 polls`);
  };
  const start = async (definition: unknown, input: unknown = {}): Promise<{ executionArn: string; stateMachineArn: string }> => {
    counter++;
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: `dmap-${counter}`, definition: JSON.stringify(definition), roleArn: ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: `run-${counter}`, input: JSON.stringify(input) }));
    return { executionArn: executionArn!, stateMachineArn: stateMachineArn! };
  };
  return {
    sandbox, sfn, s3, start, finish, history,
    async run(definition, input) {
      const { executionArn } = await start(definition, input);
      return finish(executionArn);
    },
    async putJson(bucket, key, value) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(value), ContentType: 'application/json' }));
    },
    async putText(bucket, key, text) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text }));
    },
    async getJson(bucket, key) {
      const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return JSON.parse(await r.Body!.transformToString());
    },
    async bucket(name) {
      await s3.send(new CreateBucketCommand({ Bucket: name }));
    },
    async stop() {
      sfn.destroy();
      s3.destroy();
      await sandbox.stop();
    },
  };
}

/** A Distributed Map state around an ItemProcessor graph. */
export function distributedMap(states: Record<string, unknown>, startAt: string, fields: Record<string, unknown> = {}, executionType = 'STANDARD'): Record<string, unknown> {
  return {
    Type: 'Map',
    ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: executionType }, StartAt: startAt, States: states },
    End: true,
    ...fields,
  };
}

/** Event types of a history, in order. */
export function types(history: readonly HistoryEvent[]): string[] {
  return history.map((e) => e.type!);
}
