import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasAws as aws, runAws } from '../aws-tools.js';
import { ec2Env, type Ec2Env } from './setup.js';

if (!aws) console.warn('sandbox: ec2 › AWS CLI smoke test skipped: no working `aws` on PATH (install AWS CLI v1 or v2 to run it)');

describe.skipIf(!aws)('sandbox: ec2 with the AWS CLI', () => {
  let env: Ec2Env;
  beforeAll(async () => {
    env = await ec2Env();
  });
  afterAll(async () => env.close());

  const cli = async (...args: string[]) => {
    const stdout = await runAws(env.harness.endpoint, [...args, '--output', 'json']);
    return JSON.parse(stdout) as Record<string, unknown>;
  };

  test('`aws ec2 describe-images --owners amazon` lists the base images of the region', async () => {
    const out = (await cli('ec2', 'describe-images', '--region', 'us-east-1', '--owners', 'amazon')) as { Images: { ImageId: string; Name: string; State: string }[] };
    const expected = env.ec2.region('us-east-1').images({ includePublic: true }).map((i) => i.imageId).sort();
    expect(out.Images.map((i) => i.ImageId).sort()).toEqual(expected);
    expect(out.Images.every((i) => i.State === 'available')).toBe(true);
  });

  test('`aws ec2 describe-images --owners self --filters` sees a copy made in another region with its tags', async () => {
    const [id] = env.ec2.seedInstances('us-east-1', [{ instanceType: 'm5.large' }]);
    const { CreateImageCommand, CopyImageCommand } = await import('@aws-sdk/client-ec2');
    const src = await env.hold(env.client('us-east-1').send(new CreateImageCommand({ InstanceId: id!, Name: 'cli-src' })));
    await env.advanceTo(3600);
    const copy = await env.hold(
      env.client('us-west-2').send(new CopyImageCommand({ SourceImageId: src.ImageId!, SourceRegion: 'us-east-1', Name: 'cli-copy', TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'role', Value: 'recovery-point' }] }] })),
    );
    const out = (await cli('ec2', 'describe-images', '--region', 'us-west-2', '--owners', 'self', '--filters', 'Name=tag:role,Values=recovery-point')) as {
      Images: { ImageId: string; SourceImageId: string; Tags: { Key: string; Value: string }[] }[];
    };
    expect(out.Images.map((i) => [i.ImageId, i.SourceImageId, i.Tags])).toEqual([[copy.ImageId, src.ImageId, [{ Key: 'role', Value: 'recovery-point' }]]]);
  });

  test('the CLI reports EC2 error codes as on AWS', async () => {
    const e = await cli('ec2', 'describe-images', '--region', 'us-east-1', '--image-ids', 'ami-0123456789abcdef0').catch((err: Error & { stderr?: string }) => err);
    expect((e as { stderr?: string }).stderr).toMatch(/InvalidAMIID\.NotFound/);
  });
});
