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
const post = (contentType: string | undefined, body: string) =>
  send(sandbox.port, {
    kind: 'x',
    method: 'POST',
    path: '/some-bucket',
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

  test('a form without a key field: 400 InvalidArgument; a well-formed upload form: the documented 501', async () => {
    const form = (name: string) => `--abc\r\nContent-Disposition: form-data; name="${name}"\r\n\r\nv\r\n--abc--\r\n`;
    const noKey = await post('multipart/form-data; boundary=abc', form('acl'));
    expect(noKey.status).toBe(400);
    expect(codeOf(noKey.body)).toBe('InvalidArgument');
    const upload = await post('multipart/form-data; boundary=abc', form('key'));
    expect(upload.status).toBe(501);
    expect(codeOf(upload.body)).toBe('NotImplemented');
  });
});
