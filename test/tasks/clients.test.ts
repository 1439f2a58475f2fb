import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cloudWatchClient, ec2Client, resetClients, useRequestHandler } from '../../tasks/_shared/clients.js';

describe('tasks: clients', () => {
  let server: Server | undefined;
  afterEach(async () => {
    useRequestHandler(undefined);
    vi.unstubAllEnvs();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  test('caches one client per region and service', () => {
    expect(ec2Client('us-east-1')).toBe(ec2Client('us-east-1'));
    expect(ec2Client('us-east-1')).not.toBe(ec2Client('us-west-2'));
    expect(cloudWatchClient('us-west-2')).toBe(cloudWatchClient('us-west-2'));
  });

  test('a request handler the host installs carries every request of the clients created after it; cached ones are dropped', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'sandbox');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'sandbox');
    vi.stubEnv('AWS_ENDPOINT_URL', '');
    const before = ec2Client('us-east-1');
    const targets: string[] = [];
    const handler = {
      metadata: { handlerProtocol: 'http/1.1' },
      async handle(request: { hostname: string; body?: string }) {
        targets.push(`${request.hostname} ${String(request.body)}`);
        const body = '<DescribeImagesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><imagesSet/></DescribeImagesResponse>';
        return { response: { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: new TextEncoder().encode(body) } };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
      destroy() {},
    };
    useRequestHandler(handler);
    expect(ec2Client('us-east-1')).not.toBe(before);
    const out = await ec2Client('us-east-1').send(new DescribeImagesCommand({ Owners: ['self'] }));
    expect(out.Images).toEqual([]);
    expect(targets).toEqual([expect.stringMatching(/^ec2\.us-east-1\.amazonaws\.com Action=DescribeImages&Version=2016-11-15&Owner\.1=self$/)]);
    useRequestHandler(undefined);
    expect(ec2Client('us-east-1').config.requestHandler).not.toBe(handler);
  });

  test('makes one SDK attempt by default: retries belong to the workflow (docs/decisions/0001)', async () => {
    vi.stubEnv('AWS_MAX_ATTEMPTS', '');
    expect(await ec2Client('us-east-1').config.maxAttempts()).toBe(1);
  });

  test('follows AWS_MAX_ATTEMPTS from the standard configuration', async () => {
    vi.stubEnv('AWS_MAX_ATTEMPTS', '3');
    expect(await ec2Client('us-east-1').config.maxAttempts()).toBe(3);
  });

  test('sends to AWS_ENDPOINT_URL, signed for the requested region, without retrying a throttle', async () => {
    // GIVEN a loopback endpoint that throttles every call, as the sandbox can
    const requests: Array<{ body: string; authorization: string }> = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        requests.push({ body, authorization: String(req.headers.authorization) });
        res.writeHead(503, { 'content-type': 'text/xml', 'x-amzn-requestid': 'r-1' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r-1</RequestID></Response>');
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    vi.stubEnv('AWS_MAX_ATTEMPTS', '');
    vi.stubEnv('AWS_ENDPOINT_URL', `http://127.0.0.1:${port}`);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    // WHEN
    const error = await ec2Client('us-west-2').send(new DescribeImagesCommand({ Owners: ['self'] })).catch((e: Error) => e);
    // THEN one request reached the endpoint, and the error surfaces at once
    expect((error as Error).name).toBe('RequestLimitExceeded');
    expect(requests).toHaveLength(1);
    expect(requests[0].body).toContain('Action=DescribeImages');
    expect(requests[0].authorization).toContain('/us-west-2/ec2/aws4_request');
  });
});
