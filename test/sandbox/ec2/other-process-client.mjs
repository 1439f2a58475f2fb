// A plain SDK client in its own process, polling the sandbox as a user's script would
// (used by other-process.test.ts). Prints one JSON line: the states it saw, in order.
import { CopyImageCommand, CreateImageCommand, DescribeImagesCommand, DescribeInstanceStatusCommand, DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';

const [endpoint, instanceId, imageId] = process.argv.slice(2);
const ec2 = new EC2Client({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
const west = new EC2Client({ endpoint, region: 'us-west-2', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
const pause = () => new Promise((r) => setTimeout(r, 100));

/** Calls `read` until it gives `final` (at most 300 times), recording each distinct value in order. */
async function pollUntil(read, final) {
  const seen = [];
  for (let i = 0; i < 300; i++) {
    const value = await read();
    if (seen.at(-1) !== value) seen.push(value);
    if (value === final) return seen;
    await pause();
  }
  return [...seen, 'gave up'];
}

const created = await ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: `outside-${Date.now()}` }));
const image = await pollUntil(async () => (await ec2.send(new DescribeImagesCommand({ ImageIds: [created.ImageId] }))).Images[0].State, 'available');

// A copy to another region, called in the destination region as on AWS.
const copied = await west.send(new CopyImageCommand({ SourceImageId: created.ImageId, SourceRegion: 'us-east-1', Name: `outside-copy-${Date.now()}` }));
const copy = await pollUntil(async () => (await west.send(new DescribeImagesCommand({ ImageIds: [copied.ImageId] }))).Images[0].State, 'available');

const run = await ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
const launched = run.Instances[0].InstanceId;
const instance = await pollUntil(async () => (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [launched] }))).Reservations[0].Instances[0].State.Name, 'running');
const status = await pollUntil(async () => (await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [launched] }))).InstanceStatuses[0]?.InstanceStatus?.Status ?? 'none', 'ok');

process.stdout.write(`${JSON.stringify({ image, copy, instance, status })}\n`);
