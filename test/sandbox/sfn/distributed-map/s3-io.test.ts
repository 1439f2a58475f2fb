/**
 * Distributed Map reading its items from S3 (ItemReader) and writing its results to S3
 * (ResultWriter), through the sandbox's S3.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { distributedMap, dmapEnv, types, type Env } from './harness.js';

const echo = { Echo: { Type: 'Pass', End: true } };
const getObject = 'arn:aws:states:::s3:getObject';

describe('sandbox: Distributed Map ItemReader and ResultWriter on S3', () => {
  let env: Env;
  beforeAll(async () => {
    env = await dmapEnv();
    await env.bucket('items-bucket');
    await env.bucket('results-bucket');
  });
  afterAll(async () => env.stop());

  test('reads a JSON array (input-output-itemreader.html, InputType JSON) and honours MaxItems', async () => {
    await env.putJson('items-bucket', 'in/list.json', [{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    const reader = { Resource: getObject, ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'items-bucket', 'Key.$': '$.key' } };
    const all = await env.run({ StartAt: 'M', States: { M: distributedMap(echo, 'Echo', { ItemReader: reader }) } }, { key: 'in/list.json' });
    expect(all.output).toEqual([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    expect(all.history.find((e) => e.type === 'MapStateStarted')!.mapStateStartedEventDetails).toEqual({ length: 3 });
    const two = await env.run({ StartAt: 'M', States: { M: distributedMap(echo, 'Echo', { ItemReader: { ...reader, ReaderConfig: { InputType: 'JSON', MaxItems: 2 } } }) } }, { key: 'in/list.json' });
    expect(two.output).toEqual([{ id: 'a' }, { id: 'b' }]);
  });

  test('reads CSV with the header in the first row or given (every value a string, quotes as RFC 4180)', async () => {
    await env.putText('items-bucket', 'in/rows.csv', 'name,count,note\r\nalpha,1,"a, b"\r\nbeta,2,"say ""hi"""\r\n');
    const first = await env.run({ StartAt: 'M', States: { M: distributedMap(echo, 'Echo', { ItemReader: { Resource: getObject, ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, Parameters: { Bucket: 'items-bucket', Key: 'in/rows.csv' } } }) } });
    expect(first.output).toEqual([{ name: 'alpha', count: '1', note: 'a, b' }, { name: 'beta', count: '2', note: 'say "hi"' }]);
    await env.putText('items-bucket', 'in/bare.csv', 'x|1\ny|2\n');
    const given = await env.run({ StartAt: 'M', States: { M: distributedMap(echo, 'Echo', { ItemReader: { Resource: getObject, ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'GIVEN', CSVHeaders: ['k', 'v'], CSVDelimiter: 'PIPE' }, Parameters: { Bucket: 'items-bucket', Key: 'in/bare.csv' } } }) } });
    expect(given.output).toEqual([{ k: 'x', v: '1' }, { k: 'y', v: '2' }]);
  });

  test('lists objects with s3:listObjectsV2 (items Etag, Key, LastModified, Size, StorageClass)', async () => {
    for (const k of ['pics/1.jpg', 'pics/2.jpg', 'other/3.jpg']) await env.putText('items-bucket', k, `data-${k}`);
    const run = await env.run({
      QueryLanguage: 'JSONata',
      StartAt: 'M',
      States: { M: distributedMap(echo, 'Echo', { ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Arguments: { Bucket: 'items-bucket', Prefix: '{% $states.input.prefix %}' } } }) },
    }, { prefix: 'pics/' });
    const items = run.output as Array<Record<string, unknown>>;
    expect(items.map((i) => [i.Key, i.Size, i.StorageClass])).toEqual([['pics/1.jpg', 15, 'STANDARD'], ['pics/2.jpg', 15, 'STANDARD']]);
    expect(items[0]!.Etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(typeof items[0]!.LastModified).toBe('number');
  });

  test('fails with States.ItemReaderFailed when the object is missing or is not an array', async () => {
    const missing = await env.run({ StartAt: 'M', States: { M: distributedMap(echo, 'Echo', { ItemReader: { Resource: getObject, ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'items-bucket', Key: 'no/such.json' } } }) } });
    expect([missing.describe.status, missing.describe.error]).toEqual(['FAILED', 'States.ItemReaderFailed']);
    expect(missing.describe.cause).toMatch(/NoSuchKey/);
    expect(types(missing.history)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunFailed', 'MapStateFailed', 'ExecutionFailed']);
    // Once the object exists, a redrive starts the Map Run that never started (redrive-map-run.html).
    await env.putJson('items-bucket', 'no/such.json', [7, 8]);
    const { RedriveExecutionCommand } = await import('@aws-sdk/client-sfn');
    await env.sfn.send(new RedriveExecutionCommand({ executionArn: missing.describe.executionArn }));
    const redriven = await env.finish(missing.describe.executionArn!);
    expect([redriven.describe.status, redriven.output]).toEqual(['SUCCEEDED', [7, 8]]);
    const started = redriven.history.filter((e) => e.type === 'MapRunStarted').map((e) => e.mapRunStartedEventDetails!.mapRunArn);
    expect(new Set(started).size).toBe(2);
    await env.putJson('items-bucket', 'in/object.json', { not: 'an array' });
    const notArray = await env.run({ StartAt: 'M', States: { M: distributedMap(echo, 'Echo', { ItemReader: { Resource: getObject, ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'items-bucket', Key: 'in/object.json' } } }) } });
    expect([notArray.describe.error, notArray.describe.cause]).toEqual(['States.ItemReaderFailed', 's3://items-bucket/in/object.json: expected a JSON array of items, found an object']);
  });

  test('batches items with ItemBatcher: {"BatchInput", "Items"} per child', async () => {
    const sum = { Sum: { Type: 'Pass', Parameters: { 'n.$': 'States.ArrayLength($.Items)', 'tag.$': '$.BatchInput.tag' }, End: true } };
    const run = await env.run({ StartAt: 'M', States: { M: distributedMap(sum, 'Sum', { ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { 'tag.$': '$.tag' } }, ItemsPath: '$.items' }) } }, { tag: 't', items: [1, 2, 3, 4, 5] });
    expect(run.output).toEqual([{ n: 2, tag: 't' }, { n: 2, tag: 't' }, { n: 1, tag: 't' }]);
  });

  test('writes SUCCEEDED_0.json, FAILED_0.json and manifest.json under <Prefix>/<map run id>/ and answers the manifest location', async () => {
    const processor = {
      Check: { Type: 'Choice', Choices: [{ Variable: '$.id', StringEquals: 'bad', Next: 'Bad' }], Default: 'Good' },
      Bad: { Type: 'Fail', Error: 'Item.Bad', Cause: 'bad item' },
      Good: { Type: 'Pass', Parameters: { 'done.$': '$.id' }, End: true },
    };
    const def = {
      StartAt: 'M',
      States: {
        M: distributedMap(processor, 'Check', {
          ToleratedFailureCount: 1,
          ItemsPath: '$.items',
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results-bucket', Prefix: 'runs/out' } },
        }),
      },
    };
    const run = await env.run(def, { items: [{ id: 'x' }, { id: 'bad' }, { id: 'y' }] });
    expect(run.describe.status).toBe('SUCCEEDED');
    const mapRunArn = run.history.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails!.mapRunArn!;
    const id = mapRunArn.slice(mapRunArn.lastIndexOf(':') + 1);
    expect(run.output).toEqual({ MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: 'results-bucket', Key: `runs/out/${id}/manifest.json` } });
    const manifest = (await env.getJson('results-bucket', `runs/out/${id}/manifest.json`)) as { ResultFiles: Record<string, Array<{ Key: string; Size: number }>> };
    expect(manifest).toEqual({
      DestinationBucket: 'results-bucket',
      MapRunArn: mapRunArn,
      ResultFiles: {
        FAILED: [{ Key: `runs/out/${id}/FAILED_0.json`, Size: expect.any(Number) }],
        PENDING: [],
        SUCCEEDED: [{ Key: `runs/out/${id}/SUCCEEDED_0.json`, Size: expect.any(Number) }],
      },
    });
    const succeeded = (await env.getJson('results-bucket', `runs/out/${id}/SUCCEEDED_0.json`)) as Array<Record<string, unknown>>;
    expect(succeeded.map((e) => [JSON.parse(e.Input as string), JSON.parse(e.Output as string), e.Status])).toEqual([[{ id: 'x' }, { done: 'x' }, 'SUCCEEDED'], [{ id: 'y' }, { done: 'y' }, 'SUCCEEDED']]);
    expect(Object.keys(succeeded[0]!)).toEqual([
      'ExecutionArn', 'Input', 'InputDetails', 'Name', 'Output', 'OutputDetails', 'RedriveCount', 'RedriveStatus', 'RedriveStatusReason', 'StartDate', 'StateMachineArn', 'Status', 'StopDate',
    ]);
    const failed = (await env.getJson('results-bucket', `runs/out/${id}/FAILED_0.json`)) as Array<Record<string, unknown>>;
    expect(failed.map((e) => [e.Status, e.Error, e.Cause, e.RedriveStatus])).toEqual([['FAILED', 'Item.Bad', 'bad item', 'REDRIVABLE']]);
    const listed = await env.s3.send(new ListObjectsV2Command({ Bucket: 'results-bucket', Prefix: `runs/out/${id}/` }));
    expect(listed.Contents!.map((c) => c.Key)).toEqual([`runs/out/${id}/FAILED_0.json`, `runs/out/${id}/SUCCEEDED_0.json`, `runs/out/${id}/manifest.json`]);
  });

  test('a ResultWriter with only WriterConfig shapes the state output (FLATTEN) and writes nothing', async () => {
    const pair = { Pair: { Type: 'Pass', Parameters: { 'a.$': 'States.Array($, $)' }, OutputPath: '$.a', End: true } };
    const run = await env.run({ StartAt: 'M', States: { M: distributedMap(pair, 'Pair', { ResultWriter: { WriterConfig: { Transformation: 'FLATTEN', OutputType: 'JSON' } } }) } }, [1, 2]);
    expect(run.output).toEqual([1, 1, 2, 2]);
  });

  test('JSONata: ItemReader Arguments and MaxItems expressions, ResultWriter Arguments with JSONL output', async () => {
    await env.putText('items-bucket', 'in/lines.jsonl', '{"n":1}\n{"n":2}\n{"n":3}\n');
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'M',
      States: {
        M: distributedMap({ Twice: { Type: 'Pass', Output: '{% $states.input.n * 2 %}', End: true } }, 'Twice', {
          ItemReader: { Resource: getObject, ReaderConfig: { InputType: 'JSONL', MaxItems: '{% $states.input.max %}' }, Arguments: { Bucket: 'items-bucket', Key: '{% $states.input.key %}' } },
          ResultWriter: {
            Resource: 'arn:aws:states:::s3:putObject',
            Arguments: { Bucket: 'results-bucket', Prefix: '{% "jsonata/" & $states.input.tag %}' },
            WriterConfig: { Transformation: 'COMPACT', OutputType: 'JSONL' },
          },
          Output: '{% $states.result.ResultWriterDetails %}',
        }),
      },
    };
    const run = await env.run(def, { key: 'in/lines.jsonl', max: 2, tag: 't1' });
    const details = run.output as { Bucket: string; Key: string };
    expect(details.Key).toMatch(/^jsonata\/t1\/[0-9a-f-]{36}\/manifest\.json$/);
    const manifest = (await env.getJson('results-bucket', details.Key)) as { ResultFiles: { SUCCEEDED: Array<{ Key: string }> } };
    const file = manifest.ResultFiles.SUCCEEDED[0]!.Key;
    expect(file).toMatch(/SUCCEEDED_0\.jsonl$/);
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const text = await (await env.s3.send(new GetObjectCommand({ Bucket: 'results-bucket', Key: file }))).Body!.transformToString();
    expect(text.split('\n').map((l) => JSON.parse(l))).toEqual([2, 4]);
  });

  test('fails with States.ResultWriterFailed when the bucket does not exist', async () => {
    const run = await env.run({ StartAt: 'M', States: { M: distributedMap(echo, 'Echo', { ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'no-such-results', Prefix: 'p' } } }) } }, [1]);
    expect([run.describe.status, run.describe.error]).toEqual(['FAILED', 'States.ResultWriterFailed']);
    expect(run.describe.cause).toMatch(/NoSuchBucket/);
  });
});
