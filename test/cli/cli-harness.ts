/**
 * Runs `main(argv)` in process with an in-memory Io and a mocked SFNClient, and normalises output
 * for snapshots (execution names, times, EC2 ids).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import { main } from '../../cli/main.js';
import { type BufferIoOptions, createBufferIo } from '../../cli/io.js';

/** What a CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The durations the run slept (polling). */
  readonly sleeps: readonly number[];
}

/** Runs `lifeboat <argv>` in process. */
export async function runCli(argv: readonly string[], options: BufferIoOptions = {}): Promise<CliRun> {
  const io = createBufferIo(options);
  const code = await main(argv, io);
  return { code, stdout: io.stdout(), stderr: io.stderr(), sleeps: io.sleeps };
}

/** Replaces what changes from run to run or is noise in a snapshot: execution names' stamps, times, EC2 ids. */
export function normalise(text: string): string {
  return text
    .replace(/\b(backup|failover|drill)-\d{8}T\d{6}Z-[0-9a-f]{4}\b/g, '$1-<stamp>-<hex>')
    .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{3})?Z/g, '<time>')
    .replace(/(?<![\d:])\d{2}:\d{2}:\d{2}(?![\d:])/g, '<clock>')
    .replace(/\b(ami|snap|i)-[0-9a-f]{8,17}\b/g, '$1-<id>');
}

/** The account id used in test ARNs. */
export const ACCOUNT = '123456789012';

/** A state machine ARN in a region. */
export function machineArn(region: string, name: string): string {
  return `arn:aws:states:${region}:${ACCOUNT}:stateMachine:${name}`;
}

/** An execution ARN. */
export function executionArn(region: string, machine: string, name: string): string {
  return `arn:aws:states:${region}:${ACCOUNT}:execution:${machine}:${name}`;
}

/** The test plan "shop": us-east-1 → us-west-2, workloads web and db. */
export const SHOP_PLAN = {
  name: 'shop',
  primaryRegion: 'us-east-1',
  recoveryRegion: 'us-west-2',
  objectives: { rpoMinutes: 240, rtoMinutes: 60 },
  workloads: [
    { name: 'db', instanceIds: ['i-0a1b2c3d4e5f60001'], launch: { subnetIds: ['subnet-0aa11bb22cc330001'], instanceTypes: ['r6i.large'] } },
    { name: 'web', tagSelector: { app: 'shop' }, critical: false, wave: 2, launch: { subnetIds: ['subnet-0aa11bb22cc330001'], instanceTypes: ['m6i.large', 'm5.large'] } },
  ],
  drill: { isolatedSubnetIds: ['subnet-0aa11bb22cc339999'] },
};

/** Writes files into a fresh temporary directory; returns their paths by name. */
export function tempFiles(files: Record<string, string | object>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-cli-'));
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    paths[name] = join(dir, name);
    writeFileSync(paths[name], typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return paths;
}

/** The shop plan's three machines, deployed in their regions. */
export const SHOP_MACHINES = [
  { region: 'us-east-1', name: 'lifeboat-shop-backup' },
  { region: 'us-west-2', name: 'lifeboat-shop-failover' },
  { region: 'us-west-2', name: 'lifeboat-shop-drill' },
];

/** Mocks SFNClient; ListStateMachines answers per the client's region, two machines per page. */
export function mockSfn(machines = SHOP_MACHINES): AwsStub<any, any, any> {
  const sfn = mockClient(SFNClient);
  sfn.on(ListStateMachinesCommand).callsFake(async (input: { nextToken?: string }, getClient) => {
    const region = await getClient().config.region();
    const here = [
      { name: 'unrelated-machine', region },
      ...machines.filter((m) => m.region === region),
    ].map((m) => ({ name: m.name, stateMachineArn: machineArn(region, m.name), type: 'STANDARD', creationDate: new Date(0) }));
    const from = Number(input.nextToken ?? 0);
    return { stateMachines: here.slice(from, from + 2), ...(from + 2 < here.length ? { nextToken: String(from + 2) } : {}) };
  });
  return sfn;
}
