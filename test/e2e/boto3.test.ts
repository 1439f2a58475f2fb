import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalLifeboat } from '../../cli/local/session.js';
import { ROLES, TAG_KEYS } from '../../schemas/tags.js';
import { backedUpLifeboat, independentClientEnv } from './helpers.js';

const run = promisify(execFile);

/** True when `python3` can import boto3 (this machine kind has it; CI installs python3-boto3 otherwise). */
async function hasBoto3(): Promise<boolean> {
  try {
    await run('python3', ['-c', 'import boto3'], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

const isAvailable = await hasBoto3();
if (!isAvailable) console.warn('e2e: boto3: skipped, python3 cannot import boto3');

// An independent client: boto3 reads the sandbox's recovery points and executions.
const SCRIPT = `
import json, sys, boto3
endpoint, recovery, primary, backup_arn = sys.argv[1:5]
kw = dict(endpoint_url=endpoint, aws_access_key_id='sandbox', aws_secret_access_key='sandbox')
ec2 = boto3.client('ec2', region_name=recovery, **kw)
images = ec2.describe_images(Owners=['self'], Filters=[{'Name': 'tag:${TAG_KEYS.role}', 'Values': ['${ROLES.recoveryPoint}']}])['Images']
sfn = boto3.client('stepfunctions', region_name=primary, **kw)
execution = sfn.describe_execution(executionArn=backup_arn)
print(json.dumps({'images': sorted(i['ImageId'] for i in images), 'encrypted': [m['Ebs']['Encrypted'] for i in images for m in i['BlockDeviceMappings']], 'status': execution['status']}))
`;

describe.skipIf(!isAvailable)('e2e: boto3 sees the sandbox', () => {
  let env: LocalLifeboat;
  let backupArn: string;
  beforeAll(async () => {
    ({ env, backupArn } = await backedUpLifeboat());
  });
  afterAll(() => env?.stop());

  test('describe_images lists the encrypted recovery points and describe_execution the backup run', async () => {
    const { stdout } = await run('python3', ['-c', SCRIPT, env.sandbox.endpoint, env.plan.recoveryRegion, env.plan.primaryRegion, backupArn], {
      timeout: 60_000,
      env: independentClientEnv(),
    });
    const out = JSON.parse(stdout) as { images: string[]; encrypted: boolean[]; status: string };
    const expected = env.sandbox.ec2.region(env.plan.recoveryRegion).images().filter((i) => i.tags[TAG_KEYS.role] === ROLES.recoveryPoint);
    expect(out.images).toEqual(expected.map((i) => i.imageId).sort());
    expect(out.images).toHaveLength(4);
    expect(out.encrypted.length).toBeGreaterThan(0);
    expect(out.encrypted.every(Boolean)).toBe(true);
    expect(out.status).toBe('SUCCEEDED');
  });
});
