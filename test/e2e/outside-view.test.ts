/**
 * Issue 12 checked from outside, as a new user would: `lifeboat sandbox` in a process of its own
 * (default virtual clock), driven only by the AWS CLI, boto3 and raw HTTP, with no code shared
 * with the sandbox or the JavaScript SDK. Each test skips, saying why, when its tool is missing.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasAws, hasBoto3, runAws, runPython } from '../sandbox/aws-tools.js';
import { sandboxProcess as startSandboxProcess } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const children = new Set<ChildProcess>();
const dirs: string[] = [];

if (!hasAws) console.warn('e2e: outside view: the AWS CLI tests are skipped, `aws` is not installed');
if (!hasBoto3) console.warn('e2e: outside view: the boto3 tests are skipped, python3 cannot import boto3');

/** {@link startSandboxProcess}, its process killed after the tests. */
async function sandboxProcess(data: string, extra: string[] = []): Promise<{ child: ChildProcess; endpoint: string }> {
  const box = await startSandboxProcess(data, extra);
  children.add(box.child);
  box.child.once('exit', () => children.delete(box.child));
  return box;
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

const admin = async (endpoint: string, action: string, body: unknown = {}): Promise<Record<string, unknown>> =>
  (await (await fetch(`${endpoint}/_sandbox/${action}`, { method: 'POST', body: JSON.stringify(body) })).json()) as Record<string, unknown>;

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lifeboat-outside-'));
  dirs.push(d);
  return d;
}

let main: { child: ChildProcess; endpoint: string };
let mainData: string;

beforeAll(async () => {
  mainData = tempDir();
  main = await sandboxProcess(mainData);
}, 120_000);

afterAll(async () => {
  for (const c of [...children]) await kill(c, 'SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// boto3 polls as AWS's own waiters do, and records each state the first time it sees it.
const TRANSIENTS = `
import json, sys, boto3
endpoint = sys.argv[1]
ec2 = boto3.client('ec2', endpoint_url=endpoint, region_name='eu-west-1')
west = boto3.client('ec2', endpoint_url=endpoint, region_name='eu-central-1')
def poll(read, final, seen=None):
    seen = list(seen or [])
    for _ in range(2000):
        s = read()
        if not seen or seen[-1] != s: seen.append(s)
        if s == final: return seen
    return seen
base = [i for i in ec2.describe_images(Owners=['amazon'])['Images'] if i['Architecture'] == 'x86_64'][0]['ImageId']
launched = ec2.run_instances(ImageId=base, InstanceType='m5.large', MinCount=1, MaxCount=1)['Instances'][0]
iid = launched['InstanceId']
instance = poll(lambda: ec2.describe_instances(InstanceIds=[iid])['Reservations'][0]['Instances'][0]['State']['Name'], 'running', [launched['State']['Name']])
status = poll(lambda: (ec2.describe_instance_status(InstanceIds=[iid])['InstanceStatuses'] or [{'InstanceStatus': {'Status': 'none'}}])[0]['InstanceStatus']['Status'], 'ok')
image = ec2.create_image(InstanceId=iid, Name='outside-view')['ImageId']
image_states = poll(lambda: ec2.describe_images(ImageIds=[image])['Images'][0]['State'], 'available')
copy = west.copy_image(SourceImageId=image, SourceRegion='eu-west-1', Name='outside-view-copy')['ImageId']
copy_states = poll(lambda: west.describe_images(ImageIds=[copy])['Images'][0]['State'], 'available')
print(json.dumps({'instance': instance, 'status': status, 'image': image_states, 'copy': copy_states}))
`;

describe('e2e: a standalone `lifeboat sandbox` as the AWS CLI and boto3 see it (default clock)', () => {
  test.skipIf(!hasBoto3)('boto3 in another process sees pending then running, initializing before ok, and pending before available for CreateImage and CopyImage', async () => {
    const before = (await admin(main.endpoint, 'clock')).nowMs as number;
    const seen = JSON.parse(await runPython(TRANSIENTS, [main.endpoint], { timeoutMs: 180_000 })) as Record<string, string[]>;
    expect(seen).toEqual({ instance: ['pending', 'running'], status: ['initializing', 'ok'], image: ['pending', 'available'], copy: ['pending', 'available'] });
    // … and the virtual clock still skipped the minutes those take on AWS
    expect((await admin(main.endpoint, 'clock')).nowMs as number).toBeGreaterThan(before + 3 * 60_000);
  }, 200_000);

  test.skipIf(!hasAws)('`aws ec2 describe-regions` lists the 34 commercial regions; a region that does not exist is an unreachable endpoint', async () => {
    const regions = JSON.parse(await runAws(main.endpoint, ['ec2', 'describe-regions', '--output', 'json'], { defaultRegion: 'us-east-1' })) as { Regions: { RegionName: string; OptInStatus: string; Endpoint: string }[] };
    expect(regions.Regions).toHaveLength(34);
    expect(regions.Regions.filter((r) => r.OptInStatus === 'opt-in-not-required')).toHaveLength(17);
    expect(regions.Regions.filter((r) => r.OptInStatus === 'opted-in')).toHaveLength(17);
    expect(regions.Regions.find((r) => r.RegionName === 'ap-southeast-7')).toEqual({ RegionName: 'ap-southeast-7', OptInStatus: 'opted-in', Endpoint: 'ec2.ap-southeast-7.amazonaws.com' });
    // a request signed for a region that does not exist gets no answer: the CLI reports a closed connection
    const failed = await runAws(main.endpoint, ['ec2', 'describe-regions', '--region', 'xx-nowhere-1', '--cli-read-timeout', '20'], { timeoutMs: 60_000 }).then(() => '', (e: { stderr?: string }) => e.stderr ?? String(e));
    expect(failed).toMatch(/Connection was closed before we received a valid response from endpoint URL/);
  }, 120_000);

  test.skipIf(!hasAws)('`lifeboat sandbox --config` with {"regions": [...]} serves only those regions', async () => {
    const data = tempDir();
    const config = join(data, 'config.json');
    writeFileSync(config, JSON.stringify({ regions: ['us-east-1', 'eu-west-1'] }));
    const restricted = await sandboxProcess(data, ['--config', config]);
    try {
      const names = await runAws(restricted.endpoint, ['ec2', 'describe-regions', '--query', 'Regions[].RegionName', '--output', 'text'], { defaultRegion: 'eu-west-1' });
      expect(names.trim().split(/\s+/).sort()).toEqual(['eu-west-1', 'us-east-1']);
      const failed = await runAws(restricted.endpoint, ['sts', 'get-caller-identity', '--region', 'eu-central-1', '--cli-read-timeout', '20'], { timeoutMs: 60_000 }).then(() => '', (e: { stderr?: string }) => e.stderr ?? String(e));
      expect(failed).toMatch(/Connection was closed before we received a valid response from endpoint URL/);
    } finally {
      await kill(restricted.child, 'SIGTERM');
    }
  }, 120_000);

  test.skipIf(!hasAws)('a Wait in flight when the sandbox is killed (SIGKILL) resumes after the restart with only its remaining time', async () => {
    const data = tempDir();
    let box = await sandboxProcess(data);
    const cli = (endpoint: string, args: string[]) => runAws(endpoint, [...args, '--output', 'json'], { defaultRegion: 'eu-west-1' }).then((s) => JSON.parse(s) as Record<string, unknown>);
    const definition = JSON.stringify({ StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 3600, Next: 'Done' }, Done: { Type: 'Pass', End: true } } });
    const { stateMachineArn } = await cli(box.endpoint, ['stepfunctions', 'create-state-machine', '--name', 'hold', '--role-arn', 'arn:aws:iam::123456789012:role/r', '--definition', definition]);
    const { executionArn } = await cli(box.endpoint, ['stepfunctions', 'start-execution', '--state-machine-arn', String(stateMachineArn), '--name', 'hold-1']);
    // 1,000 of the Wait's 3,600 s pass, then the process dies without a chance to write anything
    const moved = await admin(box.endpoint, 'clock', { advanceSeconds: 1000 });
    expect(moved.error).toBeUndefined();
    await new Promise((r) => setTimeout(r, 600)); // past the debounced write of the execution
    await kill(box.child, 'SIGKILL');
    box = await sandboxProcess(data);
    let status = 'RUNNING';
    for (let i = 0; i < 60 && status === 'RUNNING'; i++) {
      status = String((await cli(box.endpoint, ['stepfunctions', 'describe-execution', '--execution-arn', String(executionArn)])).status);
      if (status === 'RUNNING') await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toBe('SUCCEEDED');
    const { events } = (await cli(box.endpoint, ['stepfunctions', 'get-execution-history', '--execution-arn', String(executionArn)])) as { events: { type: string; timestamp: number }[] };
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    const at = (type: string) => events.find((e) => e.type === type)!.timestamp;
    // the Wait lasted its 3,600 s of simulated time across the crash, not 3,600 s more after it
    expect(at('WaitStateExited') - at('WaitStateEntered')).toBeCloseTo(3600, 0);
    await kill(box.child, 'SIGTERM');
  }, 180_000);

  test.skipIf(!hasBoto3)('hostile input gets AWS errors, never a 5xx, and the sandbox keeps serving', async () => {
    const out = JSON.parse(await runPython(HOSTILE, [main.endpoint], { timeoutMs: 120_000 })) as HostileReport;
    // operation names that are JavaScript object keys, on every Query service (CloudWatch speaks both) and every JSON target
    for (const r of out.query) expect(r, JSON.stringify(r)).toMatchObject({ status: 400, code: 'InvalidAction' });
    for (const r of out.json) expect(r, JSON.stringify(r)).toMatchObject({ status: 400, type: expect.stringMatching(/UnknownOperationException$/) });
    expect(out.query.length).toBe(6 * 3);
    expect(out.json.length).toBe(4 * 3);
    // nesting, decompressed size and request size are bounded before any work
    for (const r of out.deep) expect(r, JSON.stringify(r)).toMatchObject({ status: 400, type: expect.stringMatching(/SerializationException$/) });
    expect(out.bomb).toMatchObject({ status: 413 });
    expect(out.bomb.seconds).toBeLessThan(5);
    expect(out.oversizedEc2).toMatchObject({ status: 413, xml: true, code: 'RequestEntityTooLarge' });
    // a web page or a foreign host name cannot reset the sandbox
    expect(out.reset).toEqual([403, 403, 403]);
    expect(out.machinesAfter).toBe(1);
    // JSONata: a singleton sequence is unwrapped, as on AWS
    expect(out.range).toEqual({ status: 'SUCCEEDED', output: '1' });
  }, 150_000);
});

interface HostileReport {
  query: { service: string; action: string; status: number; code?: string }[];
  json: { service: string; action: string; status: number; type?: string }[];
  deep: { service: string; status: number; type?: string }[];
  bomb: { status: number; seconds: number };
  oversizedEc2: { status: number; xml: boolean; code?: string };
  reset: number[];
  machinesAfter: number;
  range: { status: string; output?: string };
}

const HOSTILE = `
import gzip, http.client, io, json, re, sys, time, boto3
endpoint = sys.argv[1]
host, port = endpoint.split('//')[1].split(':'); port = int(port)
def send(body, headers, service=None, path='/', host_header=None, method='POST'):
    h = {'Host': host_header or f'127.0.0.1:{port}'}
    if service:
        h['Authorization'] = f'AWS4-HMAC-SHA256 Credential=test/20261205/us-east-1/{service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0'
        h['X-Amz-Date'] = '20261205T000000Z'
    h.update(headers)
    c = http.client.HTTPConnection(host, port, timeout=60)
    c.request(method, path, body=body, headers=h)
    r = c.getresponse(); b = r.read(); c.close()
    return r.status, b.decode('utf-8', 'replace')
def xml_code(b):
    m = re.search(r'<Code>([^<]*)</Code>', b); return m.group(1) if m else None
def json_type(b):
    try: return json.loads(b).get('__type')
    except Exception: return None
names = ['__proto__', 'toString', 'constructor']
form = {'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8'}
report = {'query': [], 'json': [], 'deep': []}
for service, version in [('ec2', '2016-11-15'), ('sns', '2010-03-31'), ('sts', '2011-06-15'), ('iam', '2010-05-08'), ('elasticloadbalancing', '2015-12-01'), ('monitoring', '2010-08-01')]:
    for a in names:
        s, b = send(f'Action={a}&Version={version}'.encode(), form, service)
        report['query'].append({'service': service, 'action': a, 'status': s, 'code': xml_code(b)})
json_services = [('states', 'AWSStepFunctions', 'application/x-amz-json-1.0'), ('monitoring', 'GraniteServiceVersion20100801', 'application/x-amz-json-1.0'),
                 ('kms', 'TrentService', 'application/x-amz-json-1.1'), ('servicequotas', 'ServiceQuotasV20190624', 'application/x-amz-json-1.1')]
for service, prefix, ct in json_services:
    for a in names:
        s, b = send(b'{}', {'Content-Type': ct, 'X-Amz-Target': f'{prefix}.{a}'}, service)
        report['json'].append({'service': service, 'action': a, 'status': s, 'type': json_type(b)})
deep = b'{"a":' + b'[' * 5000 + b']' * 5000 + b'}'
for service, prefix, ct in json_services:
    op = {'states': 'ListStateMachines', 'monitoring': 'DescribeAlarms', 'kms': 'ListKeys', 'servicequotas': 'ListServices'}[service]
    s, b = send(deep, {'Content-Type': ct, 'X-Amz-Target': f'{prefix}.{op}'}, service)
    report['deep'].append({'service': service, 'status': s, 'type': json_type(b)})
buf = io.BytesIO()
with gzip.GzipFile(fileobj=buf, mode='wb', compresslevel=1) as g:
    zeros = b'0' * (1 << 20)
    for _ in range(64): g.write(zeros)
t = time.time()
s, b = send(buf.getvalue(), {'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'GraniteServiceVersion20100801.PutMetricData', 'Content-Encoding': 'gzip'}, 'monitoring')
report['bomb'] = {'status': s, 'seconds': time.time() - t}
s, b = send(b'Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=tag:x&Filter.1.Value.1=' + b'a' * (9 << 20), form, 'ec2')
report['oversizedEc2'] = {'status': s, 'xml': b.lstrip().startswith('<'), 'code': xml_code(b)}
sfn = boto3.client('stepfunctions', endpoint_url=endpoint, region_name='us-east-1')
definition = {'QueryLanguage': 'JSONata', 'StartAt': 'R', 'States': {'R': {'Type': 'Pass', 'Output': '{% $range(1, 9, 9) %}', 'End': True}}}
arn = sfn.create_state_machine(name='range', roleArn='arn:aws:iam::123456789012:role/r', definition=json.dumps(definition))['stateMachineArn']
report['reset'] = [
    send(b'', {'Origin': 'http://attacker.example', 'Content-Type': 'text/plain'}, path='/_sandbox/reset')[0],
    send(b'', {'Origin': 'null', 'Content-Type': 'text/plain'}, path='/_sandbox/reset')[0],
    send(b'', {}, path='/_sandbox/reset', host_header=f'attacker.example:{port}')[0],
]
report['machinesAfter'] = len(sfn.list_state_machines()['stateMachines'])
execution = sfn.start_execution(stateMachineArn=arn, input='{}')['executionArn']
for _ in range(200):
    d = sfn.describe_execution(executionArn=execution)
    if d['status'] != 'RUNNING': break
    time.sleep(0.05)
report['range'] = {'status': d['status'], 'output': d.get('output')}
print(json.dumps(report))
`;
