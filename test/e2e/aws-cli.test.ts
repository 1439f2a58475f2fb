import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalLifeboat } from '../../cli/local/session.js';
import { TAG_KEYS, ROLES } from '../../schemas/tags.js';
import { backedUpLifeboat, independentClientEnv } from './helpers.js';

const run = promisify(execFile);

/** The AWS CLI, if installed (CI installs Debian's awscli; this machine kind has v1 via pyenv). */
async function awsCli(): Promise<string | undefined> {
  try {
    await run('aws', ['--version'], { timeout: 20_000 });
    return 'aws';
  } catch {
    return undefined;
  }
}

const cli = await awsCli();
if (!cli) console.warn('e2e: aws-cli: skipped, the AWS CLI (`aws`) is not installed');

describe.skipIf(!cli)('e2e: the AWS CLI sees the sandbox', () => {
  let env: LocalLifeboat;
  let backupArn: string;
  const aws = async (region: string, ...args: string[]) => {
    const out = await run(cli!, [...args, '--endpoint-url', env.sandbox.endpoint, '--region', region, '--output', 'json'], {
      timeout: 60_000,
      env: independentClientEnv(),
    });
    return JSON.parse(out.stdout);
  };

  beforeAll(async () => {
    ({ env, backupArn } = await backedUpLifeboat());
  });
  afterAll(() => env?.stop());

  test('aws ec2 describe-images lists the verified copies by their tags', async () => {
    const out = await aws(env.plan.recoveryRegion, 'ec2', 'describe-images', '--owners', 'self',
      '--filters', `Name=tag:${TAG_KEYS.role},Values=${ROLES.recoveryPoint}`, `Name=tag:${TAG_KEYS.verified},Values=true`);
    const expected = env.sandbox.ec2.region(env.plan.recoveryRegion).images().filter((i) => i.tags[TAG_KEYS.role] === ROLES.recoveryPoint);
    expect(out.Images.map((i: { ImageId: string }) => i.ImageId).sort()).toEqual(expected.map((i) => i.imageId).sort());
    expect(out.Images.length).toBe(4);
  });

  test('aws stepfunctions describe-execution and get-execution-history read the backup run', async () => {
    const described = await aws(env.plan.primaryRegion, 'stepfunctions', 'describe-execution', '--execution-arn', backupArn);
    expect(described.status).toBe('SUCCEEDED');
    const history = await aws(env.plan.primaryRegion, 'stepfunctions', 'get-execution-history', '--execution-arn', backupArn, '--max-items', '5');
    expect(history.events[0].type).toBe('ExecutionStarted');
  });
});
