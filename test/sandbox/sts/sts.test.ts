/**
 * STS GetCallerIdentity: the identity follows the access key the request is signed with.
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { hasAws, hasBoto3, runAws, runPython } from '../aws-tools.js';
import { signedCall } from '../signed-request.js';

const REGION = 'eu-west-1';
if (!hasAws) console.warn('sandbox: sts › AWS CLI tests skipped: no working `aws` on PATH (install AWS CLI v1 or v2 to run them)');
if (!hasBoto3) console.warn('sandbox: sts › boto3 tests skipped: python3 with boto3 is not installed (pip install boto3 to run them)');

async function admin(sandbox: Sandbox, action: string, body: unknown = {}): Promise<any> {
  const res = await fetch(`${sandbox.endpoint}/_sandbox/${action}`, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, ...((await res.json()) as Record<string, unknown>) };
}

const whoAmI = (sandbox: Sandbox, accessKeyId: string) =>
  signedCall({ endpoint: sandbox.endpoint, region: REGION, service: 'sts', accessKeyId, body: 'Action=GetCallerIdentity&Version=2011-06-15' });

const field = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

describe('sandbox: sts GetCallerIdentity (SigV4 as the JS SDK signs)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ region: REGION, log: () => {} });
  });
  afterAll(async () => sandbox.stop());

  test('a mapped IAM user key answers the user ARN, an AIDA unique id and the account, in the GetCallerIdentityResult envelope', async () => {
    sandbox.sts.setPrincipal('AKIAALICE', 'arn:aws:iam::123456789012:user/ops/alice');
    const res = await whoAmI(sandbox, 'AKIAALICE');
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/^<GetCallerIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/">\s*<GetCallerIdentityResult>/);
    expect(field(res.body, 'Arn')).toBe('arn:aws:iam::123456789012:user/ops/alice');
    expect(field(res.body, 'Account')).toBe('123456789012');
    expect(field(res.body, 'UserId')).toMatch(/^AIDA[A-Z2-7]{17}$/);
    // Stable: the same principal has the same unique id on every call.
    expect(field((await whoAmI(sandbox, 'AKIAALICE')).body, 'UserId')).toBe(field(res.body, 'UserId'));
  });

  test('an assumed-role key answers AROA…:<session>; two keys give two identities; a forgotten key falls back to the default', async () => {
    const set = await admin(sandbox, 'sts.principals', { accessKeyId: 'ASIABOB', arn: 'arn:aws:sts::210987654321:assumed-role/Approver/bob' });
    expect(set).toMatchObject({ status: 200, Account: '210987654321', Arn: 'arn:aws:sts::210987654321:assumed-role/Approver/bob' });
    const bob = await whoAmI(sandbox, 'ASIABOB');
    expect(field(bob.body, 'UserId')).toMatch(/^AROA[A-Z2-7]{17}:bob$/);
    expect(field(bob.body, 'Account')).toBe('210987654321');
    const listed = await admin(sandbox, 'sts.principals');
    expect(listed.principals.map((p: any) => p.accessKeyId).sort()).toEqual(['AKIAALICE', 'ASIABOB']);
    await admin(sandbox, 'sts.principals', { accessKeyId: 'ASIABOB', arn: null });
    expect(field((await whoAmI(sandbox, 'ASIABOB')).body, 'Arn')).toBe('arn:aws:iam::123456789012:user/ASIABOB');
  });

  test('an unmapped key is the IAM user named after it (documented divergence: AWS answers InvalidClientTokenId)', async () => {
    const res = await whoAmI(sandbox, 'AKIAUNMAPPED');
    expect(field(res.body, 'Arn')).toBe('arn:aws:iam::123456789012:user/AKIAUNMAPPED');
    expect(sandbox.sts.identityOf('AKIAUNMAPPED').UserId).toBe(field(res.body, 'UserId'));
  });

  test('an unsigned call is refused as AWS refuses it (MissingAuthenticationToken, 403)', async () => {
    const res = await fetch(sandbox.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/<Type>Sender<\/Type>\s*<Code>MissingAuthenticationToken<\/Code>\s*<Message>Request is missing Authentication Token<\/Message>/);
  });

  test('a malformed principal ARN is refused by the admin API, naming what was expected', async () => {
    const res = await admin(sandbox, 'sts.principals', { accessKeyId: 'AKIAX', arn: 'alice' });
    expect(res.status).toBe(400);
    expect(res.error).toMatch(/expected an IAM user .*assumed role/);
  });

  test('the mapping survives a restart on the same data directory', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dataDir = mkdtempSync(join(tmpdir(), 'sts-'));
    const first = await startSandbox({ dataDir, log: () => {} });
    first.sts.setPrincipal('AKIACAROL', 'arn:aws:iam::123456789012:user/carol');
    await first.stop();
    const second = await startSandbox({ dataDir, log: () => {} });
    try {
      expect(second.sts.principalArnOf('AKIACAROL')).toBe('arn:aws:iam::123456789012:user/carol');
    } finally {
      await second.stop();
    }
  });
});

describe.skipIf(!hasAws)('sandbox: sts with the AWS CLI', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => {} });
    sandbox.sts.setPrincipal('AKIADAVE', 'arn:aws:iam::123456789012:user/dave');
  });
  afterAll(async () => sandbox.stop());

  test('`aws sts get-caller-identity` answers the principal of the key it signs with', async () => {
    const dave = JSON.parse(await runAws(sandbox.endpoint, ['sts', 'get-caller-identity', '--region', REGION, '--output', 'json'], { accessKeyId: 'AKIADAVE' }));
    expect(dave).toEqual({ UserId: expect.stringMatching(/^AIDA/), Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/dave' });
    const other = JSON.parse(await runAws(sandbox.endpoint, ['sts', 'get-caller-identity', '--region', REGION, '--output', 'json']));
    expect(other.Arn).toBe('arn:aws:iam::123456789012:user/test');
  });
});

describe.skipIf(!hasBoto3)('sandbox: sts with boto3', () => {
  test('get_caller_identity follows the access key of each client', async () => {
    const sandbox = await startSandbox({ log: () => {} });
    try {
      sandbox.sts.setPrincipal('ASIAERIN', 'arn:aws:sts::123456789012:assumed-role/Approver/erin');
      const script = String.raw`
import json, sys, boto3
out = {}
for key in ['ASIAERIN', 'AKIAFRANK']:
    sts = boto3.client('sts', endpoint_url=sys.argv[1], region_name='eu-west-1', aws_access_key_id=key, aws_secret_access_key='x')
    r = sts.get_caller_identity()
    out[key] = {k: r[k] for k in ('UserId', 'Account', 'Arn')}
print(json.dumps(out))
`;
      const out = JSON.parse(await runPython(script, [sandbox.endpoint]));
      expect(out.ASIAERIN).toEqual({ UserId: expect.stringMatching(/^AROA[A-Z2-7]{17}:erin$/), Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/Approver/erin' });
      expect(out.AKIAFRANK.Arn).toBe('arn:aws:iam::123456789012:user/AKIAFRANK');
    } finally {
      await sandbox.stop();
    }
  }, 60_000);
});
