import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { CHUNK_DIR, bundleTask, literalSchemaKeys, pureDeclarations, staticallyLoaded } from '../../bin/bundle-task.js';
import { resetClients } from '../../tasks/_shared/clients.js';
import { roundTrip } from '../fixtures/bundle/ec2-round-trip.js';
import { PROJECT_ROOT } from './support.js';

const IMAGES_XML = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeImagesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>11111111-2222-4333-8444-555555555555</requestId>
  <imagesSet>
    <item>
      <imageId>ami-0123456789abcdef0</imageId>
      <imageState>available</imageState>
      <name>lifeboat-shop-web</name>
      <creationDate>2026-11-25T10:41:12.000Z</creationDate>
      <blockDeviceMapping>
        <item><deviceName>/dev/xvda</deviceName><ebs><snapshotId>snap-0d0d0d0d0d0d0d0d1</snapshotId><volumeSize>8</volumeSize><deleteOnTermination>true</deleteOnTermination><volumeType>gp3</volumeType><encrypted>true</encrypted></ebs></item>
      </blockDeviceMapping>
      <tagSet><item><key>lifeboat:plan</key><value>shop</value></item></tagSet>
    </item>
  </imagesSet>
</DescribeImagesResponse>`;
const CREATE_XML = `<?xml version="1.0" encoding="UTF-8"?>
<CreateImageResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-2</requestId><imageId>ami-0fedcba9876543210</imageId></CreateImageResponse>`;

/** Every file of a bundle directory: its entry and its chunks. */
function bundleFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.mjs'))
    .map((e) => join(e.parentPath, e.name));
}

describe('bin/bundle-task.js: literalSchemaKeys', () => {
  test('writes computed keys naming a string constant of the module as plain keys, and nothing else', () => {
    const source = ['const _xN = "xmlName";', 'const _n = 3;', 'export var A$ = [3, n0, _A, 0, [_B], [[() => B$, { [_xN]: _bC, [_n]: 1 }]]];', 'var t = x ? [_xN]: y;'].join('\n');
    const { contents, rewritten } = literalSchemaKeys(source);
    expect(rewritten).toBe(1);
    expect(contents).toContain('{ "xmlName": _bC, [_n]: 1 }'); // _n is not a string constant: kept
    expect(contents).toContain('var t = x ? [_xN]: y;'); // not a key
  });

  test('leaves no computed key in the schema modules of the clients the tasks use', () => {
    for (const client of ['client-ec2', 'client-cloudwatch', 'client-sfn', 'client-s3']) {
      const file = join(PROJECT_ROOT, 'node_modules', '@aws-sdk', client, 'dist-es', 'schemas', 'schemas_0.js');
      const { contents, rewritten } = literalSchemaKeys(readFileSync(file, 'utf8'));
      expect(rewritten, client).toBeGreaterThan(0);
      expect(contents.match(/[{,]\s*\[_\w+\]:/g) ?? [], client).toEqual([]);
    }
  });
});

describe('bin/bundle-task.js: pureDeclarations', () => {
  test('marks each top-level initializer that computes something as a pure call of itself, in place', () => {
    const source = [
      "import * as z from 'zod';",
      "export const A = z.strictObject({ a: z.string() }).describe('x');",
      'const B = { ...A.shape }, C = 3;',
      "const D = () => z.number(), E = 'e';",
      'const F = await load();',
      'function g() { const local = z.string(); return local; }',
    ].join('\n');
    const { contents, wrapped } = pureDeclarations(source, 'schemas/x.ts');
    expect(wrapped).toBe(2);
    expect(contents).toContain("export const A = /* @__PURE__ */ (() => (z.strictObject({ a: z.string() }).describe('x')))();");
    expect(contents).toContain('const B = /* @__PURE__ */ (() => ({ ...A.shape }))(), C = 3;');
    expect(contents).toContain("const D = () => z.number(), E = 'e';"); // already pure
    expect(contents).toContain('const F = await load();'); // an await cannot move into a function
    expect(contents).toContain('const local = z.string();'); // not top-level
  });
});

describe('bin/bundle-task.js: a bundled task', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-bundle-task-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('carries its own schemas only, no credential source but those of Lambda, and still checks its input', async () => {
    // GIVEN the copy task bundled as infra bundles it (its entry file and its chunks)
    const outfile = join(dir, 'copy', 'index.mjs');
    await bundleTask({ entry: join(PROJECT_ROOT, 'tasks/copy/handler.ts'), outfile, target: 'node20' });
    const text = bundleFiles(join(dir, 'copy')).map((file) => readFileSync(file, 'utf8')).join('\n');
    // THEN the plan's own schemas, the nested clients of the default credential chain and the ES module imports of built-ins are gone
    expect(text).not.toContain('healthyThreshold'); // a key of the plan's health probe schema
    expect(text).not.toContain('AssumeRoleWithWebIdentity');
    expect(text).not.toContain('CreateToken'); // SSO OIDC
    expect(text).not.toMatch(/from\s*"node:/);
    expect(statSync(outfile).size).toBeLessThan(360 * 1024);
    // AND WHEN its handler gets an input without its images, in a fresh process as in Lambda
    const event = { task: 'copy', context: { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:lifeboat-shop-backup:b-1', stateName: 'Copy', stateEnteredTime: '2026-11-25T10:30:00.000Z', redriveCount: 0 }, input: { planName: 'shop', sourceRegion: 'us-east-1', targetRegion: 'us-west-2', recoveryPointTime: '2026-11-25T10:30:00.000Z', copyTags: true, deadline: '2026-11-25T12:30:00.000Z' } };
    const script = `const m = await import(${JSON.stringify(pathToFileURL(outfile).href)}); try { await m.handler(${JSON.stringify(event)}); process.stdout.write('no error'); } catch (e) { process.stdout.write(JSON.stringify({ name: e.name, message: e.message })); }`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, AWS_LAMBDA_FUNCTION_NAME: '' } }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout))),
    );
    // THEN it fails as the unbundled task does: Lifeboat.InvalidInput naming the field
    expect(JSON.parse(out)).toMatchObject({ name: 'Lifeboat.InvalidInput', message: expect.stringContaining('images') });
  }, 120_000);
});

describe('bin/bundle-task.js: chunks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-bundle-chunks-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the S3 client of a distributed run is a chunk that the entry loads only when reached, and every chunk loads', async () => {
    // GIVEN pre-flight bundled as infra bundles it: its report goes to S3 only on a distributed run
    const outfile = join(dir, 'index.mjs');
    const { metafile } = await bundleTask({ entry: join(PROJECT_ROOT, 'tasks/preflight/handler.ts'), outfile, target: 'node20', metafile: true });
    const outputs = metafile!.outputs;
    const entry = Object.keys(outputs).find((file) => outputs[file]!.entryPoint !== undefined)!;
    const loaded = staticallyLoaded(metafile!);
    const textOf = (files: Iterable<string>) => [...files].map((file) => readFileSync(resolve(file), 'utf8')).join('\n');
    // THEN what its import() loads has no S3 client, and the bundle's chunks under chunks/ do
    expect(textOf(loaded)).not.toContain('PutObject');
    expect(textOf(Object.keys(outputs).filter((file) => !loaded.has(file)))).toContain('PutObject');
    expect(Object.keys(outputs).filter((file) => file !== entry).every((file) => file.includes(`/${CHUNK_DIR}/`))).toBe(true);
    // AND every chunk imports in a fresh process (a chunk that failed would fail a distributed run only)
    const files = bundleFiles(dir);
    expect(files.length).toBeGreaterThan(2);
    const script = `for (const f of ${JSON.stringify(files.map((file) => pathToFileURL(file).href))}) await import(f); process.stdout.write('loaded');`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--input-type=module', '-e', script], (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout))),
    );
    expect(out).toBe('loaded');
  }, 120_000);
});

describe('bin/bundle-task.js: a bundle with the SDK inside', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-bundle-test-'));
  const outfile = join(dir, 'index.mjs');
  let server: Server;
  let endpoint: string;
  const bodies: string[] = [];
  const authorizations: string[] = [];
  const CONTAINER_CREDENTIALS = { AccessKeyId: 'ASIACONTAINERKEY0001', SecretAccessKey: 'container-secret', Token: 'container-token', Expiration: '2099-01-01T00:00:00Z' };

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/credentials') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(CONTAINER_CREDENTIALS));
        return;
      }
      authorizations.push(String(req.headers.authorization));
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(body.includes('Action=DescribeImages') ? IMAGES_XML : CREATE_XML);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    resetClients();
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('sends and reads what the unbundled SDK does, and drops the unused EC2 shapes', async () => {
    // GIVEN the same two calls, bundled as a task is, and straight from the sources
    await bundleTask({ entry: join(PROJECT_ROOT, 'test/fixtures/bundle/ec2-round-trip.ts'), outfile, target: 'node20' });
    const env = { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_MAX_ATTEMPTS: '' };
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    // WHEN each runs against the same endpoint (the bundle in a fresh Node.js process, as in Lambda)
    const unbundled = await roundTrip();
    const sentUnbundled = bodies.splice(0);
    const bundled = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(outfile).href)}); process.stdout.write(await m.roundTrip());`],
        { env: { ...process.env, ...env } },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    const sentBundled = bodies.splice(0);
    // THEN the requests and the parsed responses are the same, names from the traits included
    expect(sentBundled).toEqual(sentUnbundled);
    expect(sentBundled[0]).toContain('ImageId.1=ami-0123456789abcdef0');
    expect(sentBundled[0]).toContain('Filter.1.Value.2=wiki');
    expect(sentBundled[1]).toContain('TagSpecification.1.Tag.1.Key=lifeboat%3Aplan');
    expect(sentBundled[1]).toContain('BlockDeviceMapping.1.Ebs.VolumeSize=5');
    expect(JSON.parse(bundled)).toEqual(JSON.parse(unbundled));
    expect(JSON.parse(bundled)).toMatchObject({
      imageId: 'ami-0fedcba9876543210',
      images: [{ ImageId: 'ami-0123456789abcdef0', State: 'available', Tags: [{ Key: 'lifeboat:plan', Value: 'shop' }], BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-0d0d0d0d0d0d0d0d1', VolumeSize: 8, Encrypted: true } }] }],
    });
    // AND the bundle holds a small part of the EC2 model (the whole schema module is ~550 KB minified)
    const files = bundleFiles(dir);
    expect(files.reduce((bytes, file) => bytes + statSync(file).size, 0)).toBeLessThan(400 * 1024);
    expect(files.map((file) => readFileSync(file, 'utf8')).join('\n')).not.toContain('WithdrawByoipCidr');
    // AND the requests were signed with the environment's credentials, as Lambda provides them
    expect(authorizations.splice(0).every((a) => a.includes('Credential=test/'))).toBe(true);
  }, 120_000);

  test('takes credentials from a container endpoint when the environment has none', async () => {
    // GIVEN the bundle of the previous test, no keys in the environment, a container-credentials endpoint
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_CONTAINER_CREDENTIALS_FULL_URI: `${endpoint}/credentials`, AWS_MAX_ATTEMPTS: '' };
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    delete env.AWS_PROFILE;
    // WHEN it runs
    await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(outfile).href)}); process.stdout.write(await m.roundTrip());`],
        { env },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    bodies.splice(0);
    // THEN its requests are signed with the endpoint's credentials
    const signed = authorizations.splice(0);
    expect(signed).toHaveLength(2);
    for (const authorization of signed) expect(authorization).toContain(`Credential=${CONTAINER_CREDENTIALS.AccessKeyId}/`);
  }, 120_000);
});
