/*
 * The largest static Task Arguments and the definition sizes of a distributed plan of N workloads
 * with distinct 32-character names and one distinct instance id each (docs/decisions/0021), and
 * the stored workload tables. No sandbox, a few seconds:
 *
 *   node --import tsx bench/task-arguments.ts [--sizes 1000,5000,10000]
 */
import { createHash } from 'node:crypto';
import { parsePlan } from '../schemas/plan.js';
import { largestArguments } from '../workflows/payload.js';
import { planObjects, renderBackup, renderFailover, renderPublishRpo } from '../workflows/render.js';

const digest = (s: string) => createHash('sha256').update(s).digest('hex');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const flag = process.argv.indexOf('--sizes');
const sizes = (flag >= 0 ? process.argv[flag + 1]! : '1000,5000,10000').split(',').map(Number);
const launch = { subnetIds: ['subnet-0aa11bb22cc330001'], instanceTypes: ['m6i.large'] };
const options = { taskArn: (id: string) => `arn:aws:lambda:us-east-1:123456789012:function:lifeboat-${id}`, runBucket: 'lifeboat-runs-placeholder' };

for (const n of sizes) {
  const plan = parsePlan(
    {
      name: 'fleet',
      primaryRegion: 'us-east-1',
      recoveryRegion: 'us-west-2',
      objectives: { rpoMinutes: 1440, rtoMinutes: 240 },
      workloads: Array.from({ length: n }, (_, i) => ({ name: `w${digest(`name${i}`).slice(0, 31)}`, instanceIds: [`i-${digest(`one${i}`).slice(0, 17)}`], wave: 1 + (i % 100), launch })),
      drill: { isolatedSubnetIds: ['subnet-0dd44ee55ff660001'] },
    },
    `${n} workloads`,
  );
  const largest = largestArguments(plan).map((a) => `${a.workflow} ${kib(a.bytes)} ("${a.state}")`);
  const definitions = { backup: renderBackup(plan, options), drill: renderFailover(plan, 'drill', options), 'publish-rpo': renderPublishRpo(plan, options) };
  const defSizes = Object.entries(definitions).map(([k, d]) => `${k} ${kib(Buffer.byteLength(JSON.stringify(d)))}`);
  const tables = planObjects(plan).map((o) => `${o.region} ${kib(Buffer.byteLength(o.body))}`);
  console.log(`${n.toLocaleString('en-US')} workloads`);
  console.log(`  largest task Arguments  ${largest.join(', ')}`);
  console.log(`  definitions             ${defSizes.join(', ')}`);
  console.log(`  stored tables           ${tables.length === 0 ? 'none (inline)' : tables.join(', ')}`);
}
