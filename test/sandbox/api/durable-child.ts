/**
 * A sandbox in its own process, for durable.test.ts: `node --import tsx durable-child.ts <dataDir> <log>`.
 * Registers `work`, which appends its event to <log> (one JSON line per invocation) and, while the
 * file <log>.block exists, never answers for an event with `block: true`. Prints the endpoint.
 */
import { appendFileSync, existsSync } from 'node:fs';
import { startSandbox } from '../../../sandbox/index.js';

const [dataDir, log] = process.argv.slice(2);
const sandbox = await startSandbox({ dataDir, log: () => {}, resumeRunning: false });
sandbox.lambdas.register('work', async (event: unknown) => {
  appendFileSync(log!, `${JSON.stringify(event)}\n`);
  if ((event as { block?: boolean }).block && existsSync(`${log}.block`)) await new Promise(() => {});
  return { done: event };
});
sandbox.resumeRunning();
process.stdout.write(`${sandbox.endpoint}\n`);
