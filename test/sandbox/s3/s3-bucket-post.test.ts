import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { send } from '../server/fuzz-requests.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 3, log: () => {} });
});

afterAll(async () => {
  await sandbox?.stop();
});

/** A bucket-level POST signed for S3, with `contentType` and `body`. */
const post = (contentType: string | undefined, body: string, bucket = 'some-bucket') =>
  send(sandbox.port, {
    kind: 'x',
    method: 'POST',
    path: `/${bucket}`,
    headers: {
      host: `127.0.0.1:${sandbox.port}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00',
      ...(contentType !== undefined ? { 'content-type': contentType } : {}),
    },
    body: Buffer.from(body),
  });
const codeOf = (body: Buffer | undefined) => /<Code>([^<]+)<\/Code>/.exec(body?.toString('utf8') ?? '')?.[1];

// Bucket POST is S3's browser form upload: https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
describe('sandbox: S3 bucket-level POST answers as S3 does', () => {
  test('a body that is not multipart/form-data: 412 PreconditionFailed naming the condition', async () => {
    for (const type of [undefined, 'text/plain', 'application/xml']) {
      const r = await post(type, 'hello');
      expect(r.status).toBe(412);
      expect(codeOf(r.body)).toBe('PreconditionFailed');
      expect(r.body!.toString('utf8')).toContain('<Condition>Bucket POST must be of the enclosure-type multipart/form-data</Condition>');
    }
  });

  test('multipart/form-data that does not parse: 400 MalformedPOSTRequest', async () => {
    for (const [type, body] of [
      ['multipart/form-data', '--x\r\n'],
      ['multipart/form-data; boundary=abc', 'no boundary here'],
      ['multipart/form-data; boundary=abc', '--abc\r\nnot a header\r\n\r\nv\r\n--abc--\r\n'],
    ] as const) {
      const r = await post(type, body);
      expect(r.status).toBe(400);
      expect(codeOf(r.body)).toBe('MalformedPOSTRequest');
    }
  });

  test('a form without a key field: 400 InvalidArgument; a form for a missing bucket: NoSuchBucket', async () => {
    const form = (name: string) => `--abc\r\nContent-Disposition: form-data; name="${name}"\r\n\r\nv\r\n--abc--\r\n`;
    const noKey = await post('multipart/form-data; boundary=abc', form('acl'));
    expect(noKey.status).toBe(400);
    expect(codeOf(noKey.body)).toBe('InvalidArgument');
    const upload = await post('multipart/form-data; boundary=abc', form('key'));
    expect([upload.status, codeOf(upload.body)]).toEqual([404, 'NoSuchBucket']);
  });

  test('a well-formed upload form stores the file under the key (${filename} replaced), 204 or 201 with a PostResponse', async () => {
    sandbox.s3.model.createBucket('form-bucket', 'us-east-1');
    const field = (name: string, value: string, extra = '') => `--abc\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n\r\n${value}\r\n`;
    const body = field('key', 'uploads/${filename}') + field('x-amz-meta-who', 'form') + field('success_action_status', '201') +
      field('file', 'file body', '; filename="a.txt"\r\nContent-Type: text/plain') + '--abc--\r\n';
    const r = await post('multipart/form-data; boundary=abc', body, 'form-bucket');
    expect(r.status).toBe(201);
    expect(r.body!.toString('utf8')).toContain('<Key>uploads/a.txt</Key>');
    const obj = sandbox.s3.model.getObject('form-bucket', 'uploads/a.txt');
    expect([obj.body.toString('utf8'), obj.contentType, obj.metadata.who]).toEqual(['file body', 'text/plain', 'form']);
    const noStatus = await post('multipart/form-data; boundary=abc', field('key', 'k2') + field('file', 'x') + '--abc--\r\n', 'form-bucket');
    expect(noStatus.status).toBe(204);
  });
});
