/**
 * Distributed Map and the Map Run APIs through boto3 and the AWS CLI, unchanged, pointed at the
 * sandbox: items from S3, results to S3, ListMapRuns / DescribeMapRun / ListExecutions by Map Run.
 * Skipped, with a message, when the tool is not installed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../../sandbox/index.js';
import { hasAws, hasBoto3, runAws, runPython } from '../../aws-tools.js';

if (!hasBoto3) console.warn('sandbox: distributed map › boto3 test skipped: `python3 -c "import boto3"` failed (pip install boto3 to run it)');
if (!hasAws) console.warn('sandbox: distributed map › AWS CLI test skipped: no working `aws` on PATH (install AWS CLI v1 or v2 to run it)');

const REGION = { defaultRegion: 'us-east-1' };

describe('sandbox: Distributed Map through boto3 and the AWS CLI', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => {} });
  });
  afterAll(async () => sandbox.stop());

  test.skipIf(!hasBoto3)('boto3 runs a Distributed Map reading from and writing to S3, and reads its Map Run', async () => {
    const script = `
import boto3, json, sys, time
ep = sys.argv[1]
s3 = boto3.client('s3', endpoint_url=ep, region_name='us-east-1')
sfn = boto3.client('stepfunctions', endpoint_url=ep, region_name='us-east-1')
s3.create_bucket(Bucket='boto-dmap')
s3.put_object(Bucket='boto-dmap', Key='items.csv', Body=b'id,size\\n1,10\\n2,20\\n3,30\\n')
definition = {
  'StartAt': 'Each',
  'States': {'Each': {
    'Type': 'Map', 'Label': 'Rows', 'MaxConcurrency': 2, 'ToleratedFailurePercentage': 10,
    'ItemReader': {'Resource': 'arn:aws:states:::s3:getObject', 'ReaderConfig': {'InputType': 'CSV', 'CSVHeaderLocation': 'FIRST_ROW'}, 'Parameters': {'Bucket': 'boto-dmap', 'Key': 'items.csv'}},
    'ItemProcessor': {'ProcessorConfig': {'Mode': 'DISTRIBUTED', 'ExecutionType': 'STANDARD'}, 'StartAt': 'P', 'States': {'P': {'Type': 'Pass', 'Parameters': {'row.$': '$.id'}, 'End': True}}},
    'ResultWriter': {'Resource': 'arn:aws:states:::s3:putObject', 'Parameters': {'Bucket': 'boto-dmap', 'Prefix': 'out'}},
    'End': True}}}
sm = sfn.create_state_machine(name='boto-dmap', definition=json.dumps(definition), roleArn='arn:aws:iam::123456789012:role/r')['stateMachineArn']
ex = sfn.start_execution(stateMachineArn=sm, input='{}')['executionArn']
for _ in range(500):
    d = sfn.describe_execution(executionArn=ex)
    if d['status'] != 'RUNNING': break
    time.sleep(0.01)
out = json.loads(d['output'])
runs = sfn.list_map_runs(executionArn=ex)['mapRuns']
mr = sfn.describe_map_run(mapRunArn=runs[0]['mapRunArn'])
kids = sfn.list_executions(mapRunArn=runs[0]['mapRunArn'])['executions']
child = sfn.describe_execution(executionArn=kids[0]['executionArn'])
manifest = json.loads(s3.get_object(Bucket='boto-dmap', Key=out['ResultWriterDetails']['Key'])['Body'].read())
rows = json.loads(s3.get_object(Bucket='boto-dmap', Key=manifest['ResultFiles']['SUCCEEDED'][0]['Key'])['Body'].read())
print(json.dumps({
  'status': d['status'], 'same_arn': out['MapRunArn'] == runs[0]['mapRunArn'], 'label_in_arn': '/Rows:' in runs[0]['mapRunArn'],
  'mr': [mr['status'], mr['maxConcurrency'], mr['toleratedFailurePercentage'], mr['itemCounts']['succeeded'], mr['executionCounts']['total']],
  'kids': sorted(k['status'] for k in kids), 'child_map_run': child['mapRunArn'] == runs[0]['mapRunArn'],
  'rows': sorted(json.loads(r['Output'])['row'] for r in rows),
}))
`;
    const stdout = await runPython(script, [sandbox.endpoint], REGION);
    expect(JSON.parse(stdout)).toEqual({
      status: 'SUCCEEDED', same_arn: true, label_in_arn: true,
      mr: ['SUCCEEDED', 2, 10, 3, 3],
      kids: ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED'], child_map_run: true,
      rows: ['1', '2', '3'],
    });
  });

  test.skipIf(!hasAws)('`aws stepfunctions list-map-runs` and `describe-map-run` read a finished Map Run', async () => {
    const { SFNClient, CreateStateMachineCommand, StartExecutionCommand } = await import('@aws-sdk/client-sfn');
    const sfn = new SFNClient({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    const definition = { StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } } };
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'cli-dmap', definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::123456789012:role/r' }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '[1,2]' }));
    await sandbox.sfn.getExecution(executionArn!)!.whenClosed();
    const cli = async (...args: string[]) => JSON.parse(await runAws(sandbox.endpoint, ['stepfunctions', ...args, '--output', 'json'], REGION)) as Record<string, any>;
    const runs = await cli('list-map-runs', '--execution-arn', executionArn!);
    const d = await cli('describe-map-run', '--map-run-arn', runs.mapRuns[0].mapRunArn);
    expect([d.status, d.itemCounts.succeeded, d.executionCounts.total]).toEqual(['SUCCEEDED', 2, 2]);
    const kids = await cli('list-executions', '--map-run-arn', runs.mapRuns[0].mapRunArn);
    expect(kids.executions.map((e: { status: string }) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    sfn.destroy();
  });
});
