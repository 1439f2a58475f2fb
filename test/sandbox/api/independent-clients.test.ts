/**
 * The sandbox driven by clients that share no code with it or with the JavaScript SDK: the AWS CLI
 * and boto3 (botocore). Each test skips, saying why, when its tool is not installed.
 */
import { execFile, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Sandbox } from '../../../sandbox/index.js';
import { ROLE, passChain, sandboxWithClient } from './harness.js';

const hasAws = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
const hasBoto3 = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' }).status === 0;

/** The environment of a client: dummy credentials, no shared config, nothing from the caller's AWS_* variables. */
function clientEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent/lifeboat-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/lifeboat-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
}

/** Runs a command without blocking the event loop (the sandbox answers from this process). */
function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: clientEnv(), encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let sandbox: Sandbox;
let smArn: string;
let executionArn: string;

beforeAll(async () => {
  const made = await sandboxWithClient({ engine: undefined });
  sandbox = made.sandbox;
  made.sfn.destroy();
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('sandbox: independent clients', () => {
  test.skipIf(!hasAws)(`the AWS CLI creates, starts, describes, pages and gets AWS error names${hasAws ? '' : ' (skipped: `aws` is not installed)'}`, async () => {
    const aws = (...args: string[]) => run('aws', ['stepfunctions', ...args, '--endpoint-url', sandbox.endpoint, '--output', 'json']);
    const created = await aws('create-state-machine', '--name', 'cli-machine', '--definition', passChain(3), '--role-arn', ROLE);
    expect(created.code, created.stderr).toBe(0);
    smArn = (JSON.parse(created.stdout) as { stateMachineArn: string }).stateMachineArn;
    expect(smArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:cli-machine');

    const started = await aws('start-execution', '--state-machine-arn', smArn, '--name', 'from-cli', '--input', '{"via":"cli"}');
    expect(started.code, started.stderr).toBe(0);
    executionArn = (JSON.parse(started.stdout) as { executionArn: string }).executionArn;
    await sandbox.sfn.getExecution(executionArn)!.whenClosed();

    const described = await aws('describe-execution', '--execution-arn', executionArn);
    expect(described.code, described.stderr).toBe(0);
    expect(JSON.parse(described.stdout)).toMatchObject({ status: 'SUCCEEDED', output: '{"via":"cli"}', name: 'from-cli', redriveStatus: 'NOT_REDRIVABLE' });

    // The CLI follows nextToken itself with a small page size: every page must chain.
    const history = await aws('get-execution-history', '--execution-arn', executionArn, '--page-size', '3');
    expect(history.code, history.stderr).toBe(0);
    const events = (JSON.parse(history.stdout) as { events: Array<{ id: number; type: string }> }).events;
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(events.at(-1)!.type).toBe('ExecutionSucceeded');

    const missing = await aws('describe-execution', '--execution-arn', 'arn:aws:states:us-east-1:123456789012:execution:cli-machine:nope');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('ExecutionDoesNotExist');
  }, 180_000); // the AWS CLI takes seconds to start on a busy machine

  test.skipIf(!hasBoto3)(`boto3 lists and describes what the sandbox holds${hasBoto3 ? '' : ' (skipped: python3 with boto3 is not installed)'}`, async () => {
    const script = `
import json, sys, boto3
c = boto3.client('stepfunctions', endpoint_url=sys.argv[1], region_name='us-east-1')
sm = c.create_state_machine(name='boto-machine', definition=sys.argv[2], roleArn=sys.argv[3])['stateMachineArn']
ex = c.start_execution(stateMachineArn=sm, name='from-boto', input='{"via":"boto3"}')
names = [m['name'] for m in c.list_state_machines()['stateMachines']]
d = c.describe_execution(executionArn=ex['executionArn'])
try:
    c.start_execution(stateMachineArn=sm, name='bad name')
    err = None
except c.exceptions.InvalidName as e:
    err = e.response['Error']['Code']
print(json.dumps({'names': names, 'name': d['name'], 'startYear': d['startDate'].year, 'error': err, 'arn': ex['executionArn']}))
`;
    const out = await run('python3', ['-c', script, sandbox.endpoint, passChain(1), ROLE]);
    expect(out.code, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout) as { names: string[]; name: string; startYear: number; error: string; arn: string };
    expect(result.names).toContain('boto-machine');
    expect(result.name).toBe('from-boto');
    expect(result.startYear).toBe(new Date(sandbox.clock.now()).getUTCFullYear());
    expect(result.error).toBe('InvalidName');
    await sandbox.sfn.getExecution(result.arn)!.whenClosed();
    expect(sandbox.sfn.getExecution(result.arn)!.output).toBe('{"via":"boto3"}');
  }, 120_000);
});
