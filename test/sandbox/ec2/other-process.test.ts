import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateImageCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';

const run = promisify(execFile);
const CLIENT = fileURLToPath(new URL('./other-process-client.mjs', import.meta.url));
let sandbox: Sandbox | undefined;

afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

describe('sandbox: EC2 transient states seen from another process (default virtual clock)', () => {
  test('a client in another process sees pending after CreateImage and CopyImage, pending then running after RunInstances, and initializing before ok', async () => {
    // GIVEN a sandbox on the default clock with one running instance and Amazon's base images
    sandbox = await startSandbox({ log: () => {} });
    const [instanceId] = sandbox.ec2.seedInstances('us-east-1', [{ instanceType: 'm5.large' }]);
    const baseImage = sandbox.ec2.region('us-east-1').images({ includePublic: true })[0]!.imageId;
    const startedAt = sandbox.clock.now();

    // WHEN a plain SDK client in its own process creates an image, copies it to another region and launches an instance, polling each
    const { stdout } = await run(process.execPath, [CLIENT, sandbox.endpoint, instanceId!, baseImage], { timeout: 120_000 });
    const seen = JSON.parse(stdout) as { image: string[]; copy: string[]; instance: string[]; status: string[] };

    // THEN it saw each transient state before the final one, as on AWS
    expect(seen.image).toEqual(['pending', 'available']);
    expect(seen.copy).toEqual(['pending', 'available']);
    expect(seen.instance).toEqual(['pending', 'running']);
    expect(seen.status).toEqual(['initializing', 'ok']);
    // and the virtual clock still skipped the minutes those take
    expect(sandbox.clock.now() - startedAt).toBeGreaterThan(3 * 60_000);
  }, 150_000);

  test('a client in the sandbox\'s own process (an in-process Lambda, a test) is not held: the image is available at its next call', async () => {
    sandbox = await startSandbox({ log: () => {} });
    const [instanceId] = sandbox.ec2.seedInstances('us-east-1', [{ instanceType: 'm5.large' }]);
    const ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const created = await ec2.send(new CreateImageCommand({ InstanceId: instanceId!, Name: 'in-process' }));
    await new Promise((r) => setTimeout(r, 50));
    const described = await ec2.send(new DescribeImagesCommand({ ImageIds: [created.ImageId!] }));
    expect(described.Images![0]!.State).toBe('available');
  });
});
