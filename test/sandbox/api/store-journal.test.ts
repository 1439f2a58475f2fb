import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, test } from 'vitest';
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { JournaledDocument, Store, STORE_JOURNAL } from '../../../sandbox/store.js';
import { blockedDataDir, cleanUp, startChild } from './sandbox-child.js';

const dirs: string[] = [];

afterEach(() => {
  cleanUp();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-journal-'));
  dirs.push(dir);
  return dir;
}

const journalSize = (dataDir: string): number => (existsSync(join(dataDir, STORE_JOURNAL)) ? statSync(join(dataDir, STORE_JOURNAL)).size : 0);

describe('store: changes go to a journal first and reach their files at compaction', () => {
  test('a store never closed (as after a kill) leaves its changes in the journal; the next store writes them out in order, deletes and clears included', () => {
    // GIVEN writes, a delete and a clear, and no close (nothing written to the document files yet)
    const dataDir = tempDir();
    const first = new Store({ dataDir });
    first.write('things', 'a', { v: 1 });
    first.write('things', 'a', { v: 2 });
    first.write('things', 'b', { v: 3 });
    first.delete('things', 'b');
    first.write('gone/sub', 'x', 1);
    first.clear('gone');
    first.write('gone/sub', 'y', 2);
    expect(readdirSync(join(dataDir, 'things'))).toEqual([]);
    expect(journalSize(dataDir)).toBeGreaterThan(0);

    // WHEN another store opens the data directory
    const second = new Store({ dataDir });

    // THEN the files hold the last state the journal says, and the journal is empty
    expect(second.list('things')).toEqual([{ key: 'a', value: { v: 2 } }]);
    expect(second.list('gone/sub')).toEqual([{ key: 'y', value: 2 }]);
    expect(readdirSync(join(dataDir, 'things'))).toHaveLength(1);
    expect(journalSize(dataDir)).toBe(0);
  });

  test('a last line cut short by a kill is dropped with a warning naming the journal and line; the lines before it count and later writes start a line of their own', () => {
    // GIVEN a journal whose last line was cut mid-write
    const dataDir = tempDir();
    const first = new Store({ dataDir });
    first.write('things', 'kept', 1);
    appendFileSync(join(dataDir, STORE_JOURNAL), '["put","things","torn-0123.json"]\t{"key":"torn","val');

    // WHEN a store opens it
    const warnings: string[] = [];
    const second = new Store({ dataDir, onWarning: (m) => warnings.push(m) });

    // THEN the complete line counts, the torn one is reported and dropped, nothing throws
    expect(second.list('things')).toEqual([{ key: 'kept', value: 1 }]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(STORE_JOURNAL);
    expect(warnings[0]).toContain('line 2');
    expect(warnings[0]).toContain('cut short');
    second.write('things', 'after', 2);
    expect(new Store({ dataDir }).list('things').map((d) => d.key)).toEqual(['after', 'kept']);
  });

  test('a kill during compaction (a document file half written) is repaired from the journal on the next open', () => {
    // GIVEN a journal holding a document, and its file cut short as a kill during compaction leaves it
    const dataDir = tempDir();
    const first = new Store({ dataDir });
    first.write('things', 'doc', { big: 'x'.repeat(1000) });
    first.compact();
    first.write('things', 'doc', { big: 'y'.repeat(1000) });
    const file = join(dataDir, 'things', readdirSync(join(dataDir, 'things'))[0]!);
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 100));

    // WHEN a store opens the data directory
    const second = new Store({ dataDir });

    // THEN the document is the journal's, whole
    expect(second.read('things', 'doc')).toEqual({ big: 'y'.repeat(1000) });
  });

  test('the journal is written out once it passes compactBytes, and reads see every change in between', () => {
    const dataDir = tempDir();
    const store = new Store({ dataDir, compactBytes: 2_000 });
    for (let i = 0; i < 40; i++) store.write('things', `k${i % 5}`, { i, pad: 'p'.repeat(100) });
    expect(journalSize(dataDir)).toBeLessThan(2_000 + 200);
    expect(readdirSync(join(dataDir, 'things'))).toHaveLength(5);
    expect(store.list<{ i: number }>('things').map((d) => d.value.i).sort((a, b) => a - b)).toEqual([35, 36, 37, 38, 39]);
  });

  test('the journal is written out once compactDocuments documents wait in it (memory stays bounded by a number of documents too)', () => {
    const dataDir = tempDir();
    const store = new Store({ dataDir, compactDocuments: 3 });
    store.write('things', 'a', 1);
    store.write('things', 'a', 2);
    store.write('things', 'b', 3);
    expect(readdirSync(join(dataDir, 'things'))).toEqual([]);
    store.write('things', 'c', 4);
    expect(readdirSync(join(dataDir, 'things'))).toHaveLength(3);
    expect(journalSize(dataDir)).toBe(0);
    expect(store.list('things').map((d) => d.value)).toEqual([2, 3, 4]);
  });
});

describe('store: a journaled document (base + journal of changes)', () => {
  test('changes replay on the base; a kill between a new base and the removal of the old journal does not replay the old journal twice', () => {
    // GIVEN a document with a base and changes after it
    const dataDir = tempDir();
    const store = new Store({ dataDir });
    let state: number[] = [];
    const doc = new JournaledDocument(store, 'counter', 'state', () => state, { delayMs: 10_000 });
    expect(doc.load()).toEqual({ base: undefined, changes: [] });
    state = [1];
    doc.append({ add: 1 });
    doc.flush();
    doc.write(); // base generation 1 holds [1]; the generation-0 journal is removed
    state = [1, 2];
    doc.append({ add: 2 });
    doc.flush();
    // a stale journal of generation 0, as a kill between the base's write and its removal leaves it
    const dir = join(dataDir, 'counter');
    const gen1 = readdirSync(dir).find((n) => n.endsWith('.1.journal'))!;
    writeFileSync(join(dir, gen1.replace('.1.journal', '.0.journal')), '{"add":1}\n');
    doc.close();

    // WHEN it is loaded again
    const again = new JournaledDocument(new Store({ dataDir }), 'counter', 'state', () => [], {});
    const loaded = again.load();

    // THEN the base and the changes after it only; the stale journal is gone
    expect(loaded).toEqual({ base: [1], changes: [{ add: 2 }] });
    expect(readdirSync(dir).filter((n) => n.endsWith('.journal'))).toEqual([gen1]);
  });

  test('a torn last change is dropped with a warning and cut off, so the next change is read back', () => {
    const dataDir = tempDir();
    const store = new Store({ dataDir });
    const doc = new JournaledDocument(store, 'counter', 'state', () => [], { delayMs: 10_000 });
    doc.load();
    doc.append({ add: 1 });
    doc.flush();
    doc.close();
    const dir = join(dataDir, 'counter');
    const journal = join(dir, readdirSync(dir).find((n) => n.endsWith('.journal'))!);
    appendFileSync(journal, '{"add":');

    const warnings: string[] = [];
    const again = new JournaledDocument(new Store({ dataDir }), 'counter', 'state', () => [], { delayMs: 10_000, onWarning: (m) => warnings.push(m) });
    expect(again.load().changes).toEqual([{ add: 1 }]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(journal);
    expect(warnings[0]).toContain('cut short');
    again.append({ add: 3 });
    again.flush();
    again.close();
    expect(new JournaledDocument(new Store({ dataDir }), 'counter', 'state', () => []).load().changes).toEqual([{ add: 1 }, { add: 3 }]);
  });

  test('a slot appended again before a write keeps only its latest entry, and an entry the same as the last written is not written again', () => {
    const dataDir = tempDir();
    const doc = new JournaledDocument(new Store({ dataDir }), 'alarms', 'state', () => [], { delayMs: 10_000 });
    doc.load();
    let alarms = ['a'];
    doc.appendLatest('alarms', () => ({ alarms }));
    alarms = ['a', 'b'];
    doc.appendLatest('alarms', () => ({ alarms }));
    doc.flush();
    doc.appendLatest('alarms', () => ({ alarms }));
    doc.flush();
    doc.close();
    expect(new JournaledDocument(new Store({ dataDir }), 'alarms', 'state', () => []).load().changes).toEqual([{ alarms: ['a', 'b'] }]);
  });
});

describe('sandbox: CloudWatch data points come back from its journal once each', () => {
  const sandboxes: Sandbox[] = [];
  afterEach(async () => {
    for (const s of sandboxes.splice(0).reverse()) await s.stop();
  });

  test('points put before a clean stop and after it, then a crash (no stop), sum once each in a third sandbox', async () => {
    const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);
    const dims = [{ Name: 'Service', Value: 'shop' }];
    const dataDir = tempDir();
    const start = async () => {
      const sandbox = await startSandbox({ dataDir, startMs: T0 + 3_600_000, log: () => {} });
      sandboxes.push(sandbox);
      return { sandbox, cw: new CloudWatchClient({ endpoint: sandbox.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 }) };
    };
    const put = (cw: CloudWatchClient, value: number) =>
      cw.send(new PutMetricDataCommand({ Namespace: 'Shop', MetricData: [{ MetricName: 'Orders', Dimensions: dims, Timestamp: new Date(T0 + 60_000), Value: value, Unit: 'Count' }] }));
    const sum = async (cw: CloudWatchClient) => {
      const res = await cw.send(new GetMetricDataCommand({
        StartTime: new Date(T0), EndTime: new Date(T0 + 3_600_000),
        MetricDataQueries: [{ Id: 'm1', MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Orders', Dimensions: dims }, Period: 60, Stat: 'Sum' } }],
      }));
      return res.MetricDataResults![0]!.Values;
    };
    // GIVEN 3 put, a clean stop; 4 put in a second sandbox, left running past the 250 ms write delay (a crash: never stopped)
    const first = await start();
    await put(first.cw, 3);
    await first.sandbox.stop();
    sandboxes.splice(sandboxes.indexOf(first.sandbox), 1);
    const second = await start();
    expect(await sum(second.cw)).toEqual([3]);
    await put(second.cw, 4);
    await new Promise((r) => setTimeout(r, 600));

    // WHEN a third sandbox opens the data directory
    const third = await start();

    // THEN the minute sums 7: the base and each journal line counted once
    expect(await sum(third.cw)).toEqual([7]);
  });
});

describe('store: document options', () => {
  test('a negative or non-numeric delay or compaction size is refused naming the document and the option', () => {
    const store = new Store({ dataDir: tempDir() });
    expect(() => new JournaledDocument(store, 'cloudwatch', 'state', () => ({}), { compactBytes: -1 })).toThrow('store: cloudwatch/state › compactBytes: expected a number ≥ 0, found -1');
    expect(() => new JournaledDocument(store, 'cloudwatch', 'state', () => ({}), { delayMs: Number.NaN })).toThrow('store: cloudwatch/state › delayMs: expected a number ≥ 0, found NaN');
    store.close();
  });
});

describe('sandbox: what a client was told survives a SIGKILL with the journal', () => {
  test('every execution whose StartExecution was answered is there after a kill right after the last answer', async () => {
    // GIVEN a sandbox process and 30 executions started, each answered
    const { dataDir, log } = blockedDataDir('lifeboat-journal-');
    const { child, sfn } = await startChild(dataDir, log);
    const definition = { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', Parameters: { block: true }, End: true } } };
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'journal', roleArn: 'arn:aws:iam::123456789012:role/r', definition: JSON.stringify(definition) }));
    const arns: string[] = [];
    for (let i = 0; i < 30; i++) arns.push((await sfn.send(new StartExecutionCommand({ stateMachineArn, name: `run-${i}` }))).executionArn!);

    // WHEN the process is killed at once (no debounce elapses, no compaction, no stop)
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(journalSize(dataDir)).toBeGreaterThan(0);

    // THEN a new sandbox on the data directory knows every one of them
    const { sfn: again } = await startChild(dataDir, log);
    const statuses = await Promise.all(arns.map(async (executionArn) => (await again.send(new DescribeExecutionCommand({ executionArn }))).status));
    expect(statuses).toEqual(arns.map(() => 'RUNNING'));
  }, 120_000);
});
