/**
 * The sandbox's one HTTP server, on 127.0.0.1 only. It reads each request (gunzipping a gzip
 * body), takes the region from the SigV4 credential scope, and hands it to the first mounted
 * service whose `matches` accepts it; `/_sandbox/<action>` goes to the admin API. Every response
 * carries `x-amzn-RequestId` and a wall-clock `Date` (the SDK corrects its signing clock from
 * `Date`, so a virtual time there would skew it). A service that throws gets a 500 in AWS's
 * shape and the server keeps serving.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { AdminError, AdminRegistry } from './admin.js';
import { VirtualClock, type Clock } from './clock.js';
import type { SeededRandom } from './random.js';
import type { SandboxService, ServiceRequest, ServiceResponse } from './service.js';

/** The host the server binds to; never anything else. */
export const SANDBOX_HOST = '127.0.0.1';

/**
 * A response header by which a service asks the server to drop the connection without answering
 * (an unreachable endpoint). Same value as `sandbox/ec2`'s `UNREACHABLE_HEADER`.
 */
export const UNREACHABLE_HEADER = 'x-sandbox-unreachable';

/** Largest request body accepted (AWS caps API requests at 1 MB; EC2 query bodies stay far below). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Options of {@link SandboxServer}. */
export interface SandboxServerOptions {
  readonly clock: Clock;
  /** Request ids come from a fork of it. */
  readonly random: SeededRandom;
  /** The region of unsigned requests. */
  readonly defaultRegion: string;
  /** Reported by the `health` admin action. */
  readonly dataDir?: string;
  /** Where unexpected errors are reported. @default writes to stderr */
  readonly log?: (message: string) => void;
}

/** The region and signing service read from `Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, …`. */
export function credentialScope(authorization: string | undefined): { region: string; service: string } | undefined {
  if (!authorization) return undefined;
  const m = /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/.exec(authorization);
  return m ? { region: m[1]!, service: m[2]! } : undefined;
}

/**
 * The sandbox HTTP server.
 *
 * @example
 * const server = new SandboxServer({ clock, random, defaultRegion: 'us-east-1' });
 * server.mount(sfnService);
 * await server.listen(0);
 * server.endpoint; // 'http://127.0.0.1:49152'
 */
export class SandboxServer {
  /** The admin API's registry: add actions with `server.admin.register(name, handler)`. */
  readonly admin = new AdminRegistry();
  private readonly services: SandboxService[] = [];
  private readonly http: Server;
  private readonly requestIds: SeededRandom;
  private readonly log: (message: string) => void;
  private port: number | undefined;

  constructor(private readonly options: SandboxServerOptions) {
    this.requestIds = options.random.fork('request-ids');
    this.log = options.log ?? ((m) => process.stderr.write(`${m}\n`));
    this.http = createServer((req, res) => {
      this.serve(req, res).catch((err: unknown) => {
        // Only reachable if writing the response itself failed; the socket is gone.
        this.log(`sandbox server: could not answer ${req.method} ${req.url}: ${(err as Error)?.stack ?? String(err)}`);
      });
    });
    this.http.keepAliveTimeout = 5_000;
    this.admin.register('clock', (body) => this.clockAction(body));
    this.admin.register('health', () => ({
      ok: true,
      pid: process.pid,
      endpoint: this.port === undefined ? null : this.endpoint,
      dataDir: options.dataDir ?? null,
      actions: this.admin.list(),
    }));
  }

  /** Adds a service; requests go to the first mounted service that matches. */
  mount(service: SandboxService): void {
    this.services.push(service);
  }

  /** Starts listening on 127.0.0.1 (`port` 0 picks a free one). */
  async listen(port = 0): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(new Error(`sandbox server: cannot listen on ${SANDBOX_HOST}:${port}: ${err.message}`, { cause: err }));
      this.http.once('error', onError);
      this.http.listen(port, SANDBOX_HOST, () => {
        this.http.off('error', onError);
        resolve();
      });
    });
    this.port = (this.http.address() as AddressInfo).port;
  }

  /** `http://127.0.0.1:<port>`; only after {@link listen}. */
  get endpoint(): string {
    if (this.port === undefined) throw new Error('sandbox server: no endpoint yet; call listen() first');
    return `http://${SANDBOX_HOST}:${this.port}`;
  }

  /** Stops accepting requests and closes open connections. */
  async close(): Promise<void> {
    if (!this.http.listening) return;
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeIdleConnections();
      setImmediate(() => this.http.closeAllConnections());
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = this.requestIds.uuid();
    let response: ServiceResponse;
    try {
      response = await this.route(req);
    } catch (err) {
      response = this.failure(err, req);
    }
    if (Object.keys(response.headers ?? {}).some((h) => h.toLowerCase() === UNREACHABLE_HEADER)) {
      // A service simulating an endpoint that does not answer (a region outage): drop the
      // connection unanswered, so clients see a network error as they would on AWS.
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string> = {
      'x-amzn-RequestId': requestId,
      Date: new Date().toUTCString(),
      ...(response.headers ?? {}),
    };
    const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
    headers['Content-Length'] = String(response.contentLength ?? body.length);
    res.writeHead(response.status, headers);
    res.end(body);
  }

  private async route(req: IncomingMessage): Promise<ServiceResponse> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const raw = await readBody(req);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    let body = raw;
    if ((headers['content-encoding'] ?? '').toLowerCase().includes('gzip') && raw.length > 0) {
      try {
        body = gunzipSync(raw);
      } catch (err) {
        return jsonError(400, 'SerializationException', `request body: header 'Content-Encoding: gzip' was sent but the body is not gzip data (${(err as Error).message})`);
      }
    }
    if (url.pathname.startsWith('/_sandbox/')) return this.adminRoute(url.pathname.slice('/_sandbox/'.length), body);

    const scope = credentialScope(headers['authorization']);
    const request: ServiceRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search.slice(1),
      headers,
      body,
      region: scope?.region ?? this.options.defaultRegion,
      signingService: scope?.service,
    };
    const service = this.services.find((s) => s.matches(request));
    if (!service) {
      const target = headers['x-amz-target'];
      return jsonError(400, 'UnknownOperationException', `sandbox: no service answers ${request.method} ${request.path}` +
        `${target ? ` with X-Amz-Target ${JSON.stringify(target)}` : ' without X-Amz-Target'}` +
        `${scope ? ` signed for ${JSON.stringify(scope.service)}` : ''}; expected a Step Functions, EC2, CloudWatch or S3 request, or POST /_sandbox/<action>`);
    }
    return this.options.clock.track(service.handle(request));
  }

  private async adminRoute(action: string, body: Buffer): Promise<ServiceResponse> {
    let parsed: Record<string, unknown> = {};
    const text = body.toString('utf8').trim();
    if (text !== '') {
      try {
        const value: unknown = JSON.parse(text);
        if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`found ${JSON.stringify(value).slice(0, 60)}`);
        parsed = value as Record<string, unknown>;
      } catch (err) {
        return adminJson(400, { error: `sandbox admin › ${action}: expected a JSON object body, ${(err as Error).message}` });
      }
    }
    try {
      const result = await this.admin.call(action, parsed);
      return adminJson(200, result ?? { ok: true });
    } catch (err) {
      if (err instanceof AdminError) return adminJson(err.status, { error: err.message });
      if (err instanceof RangeError || err instanceof TypeError) return adminJson(400, { error: err.message });
      this.log(`sandbox admin › ${action}: ${(err as Error)?.stack ?? String(err)}`);
      return adminJson(500, { error: `sandbox admin › ${action}: ${(err as Error)?.message ?? String(err)}` });
    }
  }

  private async clockAction(body: Record<string, unknown>): Promise<unknown> {
    const clock = this.options.clock;
    const kind = clock instanceof VirtualClock ? 'virtual' : 'real';
    let target: number | undefined;
    if (body.advanceMs !== undefined || body.advanceSeconds !== undefined) {
      const ms = body.advanceMs !== undefined ? body.advanceMs : typeof body.advanceSeconds === 'number' ? body.advanceSeconds * 1000 : body.advanceSeconds;
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
        throw new AdminError(`sandbox admin › clock: advanceMs/advanceSeconds: expected a number of at least 0, found ${JSON.stringify(body.advanceMs ?? body.advanceSeconds)}`);
      }
      target = clock.now() + ms;
    } else if (body.to !== undefined) {
      const to = typeof body.to === 'string' ? Date.parse(body.to) : body.to;
      if (typeof to !== 'number' || !Number.isFinite(to)) {
        throw new AdminError(`sandbox admin › clock: to: expected an ISO-8601 time or epoch milliseconds, found ${JSON.stringify(body.to)}`);
      }
      if (to < clock.now()) throw new AdminError(`sandbox admin › clock: to: ${new Date(to).toISOString()} is in the past (now ${new Date(clock.now()).toISOString()}); the clock only moves forward`);
      target = to;
    }
    if (target !== undefined) {
      if (kind !== 'virtual') throw new AdminError('sandbox admin › clock: the sandbox runs on the real clock, which cannot be moved; start it with --clock virtual', 409);
      // A virtual clock jumps to its earliest timer when idle: a timer at the target makes it
      // fire every earlier timer in order and stop there.
      await new Promise<void>((resolve) => clock.setTimer(target!, resolve));
    }
    const now = clock.now();
    return { kind, nowMs: now, now: new Date(now).toISOString() };
  }

  private failure(err: unknown, req: IncomingMessage): ServiceResponse {
    if (err instanceof BodyTooLarge) return jsonError(413, 'ValidationException', err.message);
    this.log(`sandbox server: ${req.method} ${req.url} (${req.headers['x-amz-target'] ?? 'no X-Amz-Target'}) failed: ${(err as Error)?.stack ?? String(err)}`);
    return jsonError(500, 'InternalFailure', `sandbox: the request failed inside the sandbox: ${(err as Error)?.message ?? String(err)}`);
  }
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge(`request body: expected at most ${MAX_BODY_BYTES} bytes, found more`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function jsonError(status: number, code: string, message: string): ServiceResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-ErrorType': code },
    body: JSON.stringify({ __type: `com.amazon.coral.service#${code}`, message }),
  };
}

function adminJson(status: number, value: unknown): ServiceResponse {
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value) };
}
