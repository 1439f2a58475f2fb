import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { EC2Client } from '@aws-sdk/client-ec2';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Clock } from '../../../sandbox/clock.js';
import type { SandboxService, ServiceRequest } from '../../../sandbox/service.js';
import { UNREACHABLE_HEADER } from '../../../sandbox/ec2/index.js';

/** A loopback HTTP server in front of sandbox services, standing in for `sandbox/server.ts`. */
export interface Harness {
  readonly endpoint: string;
  readonly port: number;
  ec2(region: string): EC2Client;
  cloudwatch(region: string): CloudWatchClient;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Reads the region and service from `Credential=<key>/<date>/<region>/<service>/aws4_request`. */
export function credentialScope(authorization: string | undefined): { region?: string; service?: string } {
  const m = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return m ? { region: m[1], service: m[2] } : {};
}

/** Starts the harness on 127.0.0.1, port 0. */
export async function startHarness(services: readonly SandboxService[], options: { clock?: Clock; defaultRegion?: string } = {}): Promise<Harness> {
  const server: Server = createServer((req, res) => {
    const work = (async () => {
      let body = await readBody(req);
      if ((req.headers['content-encoding'] ?? '').includes('gzip')) body = gunzipSync(body);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
      const scope = credentialScope(headers.authorization);
      const sreq: ServiceRequest = {
        method: req.method ?? 'POST',
        path: (req.url ?? '/').split('?')[0]!,
        headers,
        body,
        region: scope.region ?? options.defaultRegion ?? 'us-east-1',
        signingService: scope.service,
      };
      const svc = services.find((s) => s.matches(sreq));
      if (!svc) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('no service matches');
        return;
      }
      const out = await svc.handle(sreq);
      if (out.headers?.[UNREACHABLE_HEADER]) {
        req.socket.destroy();
        return;
      }
      res.writeHead(out.status, { ...out.headers, date: new Date().toUTCString() });
      res.end(out.body);
    })();
    (options.clock ? options.clock.track(work) : work).catch((e: unknown) => {
      res.writeHead(500).end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  const clients: { destroy(): void }[] = [];
  return {
    endpoint,
    port,
    ec2(region) {
      const c = new EC2Client({ region, endpoint, credentials, maxAttempts: 1 });
      clients.push(c);
      return c;
    },
    cloudwatch(region) {
      const c = new CloudWatchClient({ region, endpoint, credentials, maxAttempts: 1 });
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) c.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Resolves when the clock reaches `atMs` (a virtual clock jumps there once idle). */
export function until(clock: Clock, atMs: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(atMs, resolve));
}
