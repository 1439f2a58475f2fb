/**
 * The sandbox's one HTTP server, on 127.0.0.1 only. It reads each request (gunzipping a gzip
 * body), takes the region from the SigV4 credential scope, and hands it to the first mounted
 * service whose `matches` accepts it; `/_sandbox/<action>` goes to the admin API. Every response
 * carries `x-amzn-RequestId` and a wall-clock `Date` (the SDK corrects its signing clock from
 * `Date`, so a virtual time there would skew it). A service that throws gets a 500 in AWS's
 * shape and the server keeps serving.
 *
 * Before any service (or the admin API) sees a request, the server refuses, for every service
 * mounted now or later: a caller that is a web page or comes through a foreign host name (an
 * `Origin` or `Host` other than the sandbox's own loopback address, a cross-site `Sec-Fetch-Site`),
 * a body over {@link MAX_BODY_BYTES} before or after gunzipping (inflation stops at the limit),
 * a gzip body that does not inflate, and a JSON body nested deeper than AWS's parser reads
 * (`MAX_JSON_DEPTH`, 1,000 levels). The refusal is worded by the service's `reject` in its own protocol.
 *
 * The server is also a forward proxy to the simulated network (`setForwardProxy`): a request in
 * absolute form (`GET http://10.0.1.5:80/health`, as a client sends to a proxy) and `CONNECT
 * 10.0.1.5:5432` are answered from the proxy function, which computes an answer and never opens
 * a connection anywhere. Web pages are refused there too (`Origin`, `Sec-Fetch-Site`); the `Host`
 * of such a request names the destination, so it is not checked against the sandbox's own.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { promisify } from 'node:util';
import { gunzip, type InputType, type ZlibOptions } from 'node:zlib';
import { AdminError, AdminRegistry } from './admin.js';
import { VirtualClock, type Clock } from './clock.js';
import type { SeededRandom } from './random.js';
import { depthMessage, jsonDepthBeyond } from './json-depth.js';
import { isLocalConnection, watchLocalSockets } from './local-sockets.js';
import type { FrontEndProblem, SandboxService, ServiceRequest, ServiceResponse } from './service.js';

/** The host the server binds to; never anything else. */
export const SANDBOX_HOST = '127.0.0.1';

/**
 * A response header by which a service asks the server to drop the connection without answering
 * (an unreachable endpoint). Same value as `sandbox/ec2`'s `UNREACHABLE_HEADER`.
 */
export const UNREACHABLE_HEADER = 'x-sandbox-unreachable';

/**
 * Largest request body accepted, before and after gunzipping (AWS caps API requests at 1 MB;
 * EC2 query bodies stay far below).
 */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** How much of a body beyond {@link MAX_BODY_BYTES} is read and thrown away before the connection is dropped. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

const gunzipAsync = promisify(gunzip) as (input: InputType, options: ZlibOptions) => Promise<Buffer>;

/** A request a client sent to the sandbox as its proxy: which address and port, over what. */
export interface ProxyRequest {
  /** `tcp` for `CONNECT`. */
  readonly scheme: 'http' | 'https' | 'tcp';
  readonly host: string;
  readonly port: number;
  /** Path and query (`/` for CONNECT). */
  readonly path: string;
  readonly method: string;
}

/**
 * What the proxy answers: the destination's response, an open tunnel (`CONNECT`), or a proxy error
 * named as RFC 9209 names them (sent as `502`/`504` with a `Proxy-Status` header).
 */
export type ProxyAnswer =
  | { readonly kind: 'response'; readonly status: number; readonly body: string }
  | { readonly kind: 'open' }
  | { readonly kind: 'error'; readonly error: 'connection_refused' | 'connection_timeout' | 'dns_error' | 'destination_ip_unroutable'; readonly details: string };

/** Answers proxied requests (see {@link SandboxServer.setForwardProxy}). */
export type ForwardProxy = (request: ProxyRequest) => ProxyAnswer;

/** The proxy's name in `Proxy-Status` and `Via`. */
export const PROXY_NAME = 'sandbox';

/** Options of {@link SandboxServer}. */
export interface SandboxServerOptions {
  readonly clock: Clock;
  /** Request ids come from a fork of it. */
  readonly random: SeededRandom;
  /** The region of unsigned requests. */
  readonly defaultRegion: string;
  /**
   * True for the regions the sandbox serves. A request signed for any other region is dropped
   * unanswered, as a request to an endpoint that does not exist fails (a network error).
   * @default every region
   */
  readonly isServedRegion?: (region: string) => boolean;
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

/** The access key id read from `Authorization: AWS4-HMAC-SHA256 Credential=<key>/…`, if signed. */
export function credentialAccessKey(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const m = /Credential=([^/,\s]+)\//.exec(authorization);
  return m ? m[1] : undefined;
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
  private proxy: ForwardProxy | undefined;

  constructor(private readonly options: SandboxServerOptions) {
    this.requestIds = options.random.fork('request-ids');
    watchLocalSockets();
    this.log = options.log ?? ((m) => process.stderr.write(`${m}\n`));
    this.http = createServer((req, res) => {
      this.serve(req, res).catch((err: unknown) => {
        // Only reachable if writing the response itself failed; the socket is gone.
        this.log(`sandbox server: could not answer ${req.method} ${req.url}: ${(err as Error)?.stack ?? String(err)}`);
      });
    });
    // Keep idle connections well past any client's pause: with Node's 5 s default, a client that
    // reuses a keep-alive socket just as the server closes it gets ECONNRESET (seen under load, with
    // clients that do not retry). Node's own headersTimeout (60 s) still bounds a slow request.
    this.http.keepAliveTimeout = 65_000;
    this.http.on('connect', (req: IncomingMessage, socket: Duplex) => this.connect(req, socket));
    this.admin.register('clock', (body) => this.clockAction(body));
    this.admin.register('health', () => ({
      ok: true,
      pid: process.pid,
      endpoint: this.port === undefined ? null : this.endpoint,
      dataDir: options.dataDir ?? null,
      actions: this.admin.list(),
    }));
  }

  /**
   * Makes the server a forward proxy: requests in absolute form and `CONNECT` go to `proxy`.
   * Without one they are answered `502` (`Proxy-Status: …; error=destination_ip_unroutable`).
   */
  setForwardProxy(proxy: ForwardProxy): void {
    this.proxy = proxy;
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
      if (err instanceof DropConnection) {
        req.socket.destroy();
        return;
      }
      response = this.failure(err, req.method, req.url, req.headers['x-amz-target']);
    }
    if (isUnreachable(response)) {
      // A service simulating an endpoint that does not answer (a region outage): drop the
      // connection unanswered, so clients see a network error as they would on AWS.
      req.socket.destroy();
      return;
    }
    const { headers, body } = finalHeaders(response, requestId);
    // A request refused before its body was read (or read to the end): do not keep the
    // connection, whose unread bytes would be taken for the next request.
    if (!req.complete) headers.Connection = 'close';
    res.writeHead(response.status, headers);
    res.end(body);
  }

  /**
   * Serves a request made in this very process without a socket (an in-process Lambda handler's
   * SDK client, see `InProcessRequest`): the same front end as a request over HTTP (served
   * regions, Host/Origin checks, body limits and gunzip, JSON depth, service routing, tracking
   * on the clock) and the same answer, headers included. Rejects with {@link ConnectionDropped}
   * where a socket would have been closed unanswered.
   */
  async dispatch(request: InProcessRequest): Promise<InProcessResponse> {
    const requestId = this.requestIds.uuid();
    const target = request.target;
    if (/^https?:\/\//i.test(target)) throw new RangeError(`sandbox server › in-process request ${JSON.stringify(target.slice(0, 200))}: expected a path such as "/"; a proxied request needs a connection`);
    let response: ServiceResponse;
    try {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
      response = await this.routeRead(request.method, target, headers, (isGzip) => readBuffer(request.body, isGzip), false);
    } catch (err) {
      if (err instanceof DropConnection) throw new ConnectionDropped(`${request.method} ${target}`);
      response = this.failure(err, request.method, target, request.headers['x-amz-target']);
    }
    if (isUnreachable(response)) throw new ConnectionDropped(`${request.method} ${target}`);
    const { headers, body } = finalHeaders(response, requestId);
    return { status: response.status, headers, body };
  }

  private async route(req: IncomingMessage): Promise<ServiceResponse> {
    // The path as sent, without the query string (`new URL` refuses some, e.g. `//`).
    const target = req.url ?? '/';
    if (/^https?:\/\//i.test(target)) return this.proxied(req, target);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return this.routeRead(req.method ?? 'GET', target, headers, (isGzip) => readBody(req, isGzip), !isLocalConnection(req.socket));
  }

  /** Routes a request whose body `read` reads (bounded, gunzipped), over HTTP or in process. */
  private async routeRead(method: string, target: string, headers: Record<string, string>, read: (isGzip: boolean) => Promise<BodyRead>, isFromOtherProcess: boolean): Promise<ServiceResponse> {
    const queryAt = target.indexOf('?');
    const url = queryAt >= 0 ? { pathname: target.slice(0, queryAt), search: target.slice(queryAt) } : { pathname: target, search: '' };
    const isAdmin = url.pathname.startsWith('/_sandbox/');
    const scope = credentialScope(headers['authorization']);
    // No such regional endpoint: nothing answers (the client sees a network error).
    if (!isAdmin && scope && this.options.isServedRegion && !this.options.isServedRegion(scope.region)) throw new DropConnection();
    const forbidden = this.foreignCaller(headers);
    // Read (bounded) even when refused, so the refusal can be worded in the right service's protocol.
    const body: BodyRead = await read((headers['content-encoding'] ?? '').toLowerCase().includes('gzip'));
    const problem: FrontEndProblem | undefined = forbidden ? { kind: 'forbidden', message: forbidden } : body.problem ?? depthProblem(body.body, headers, isAdmin);
    if (isAdmin) {
      if (problem) return adminJson(PROBLEM_STATUS[problem.kind], { error: `sandbox admin › ${url.pathname.slice('/_sandbox/'.length)}: ${problem.message}` });
      return this.adminRoute(url.pathname.slice('/_sandbox/'.length), body.body);
    }

    const request: ServiceRequest = {
      method,
      path: url.pathname,
      query: url.search.slice(1),
      headers,
      body: body.body,
      region: scope?.region ?? this.options.defaultRegion,
      signingService: scope?.service,
      accessKeyId: credentialAccessKey(headers['authorization']),
      isFromOtherProcess,
    };
    const service = this.services.find((s) => s.matches(request));
    if (problem) return service?.reject ? service.reject(request, problem) : jsonProblem(problem);
    if (!service) {
      const target = headers['x-amz-target'];
      return jsonError(400, 'UnknownOperationException', `sandbox: no service answers ${request.method} ${request.path}` +
        `${target ? ` with X-Amz-Target ${JSON.stringify(target.slice(0, 200))}` : ' without X-Amz-Target'}` +
        `${scope ? ` signed for ${JSON.stringify(scope.service)}` : ''}; expected a Step Functions, EC2, CloudWatch or S3 request, or POST /_sandbox/<action>`);
    }
    return this.options.clock.track(service.handle(request));
  }

  /**
   * Why a request must not be served, if it comes from a web page or through a foreign host name:
   * an `Origin` other than the sandbox's own (a page in a local browser: even a `text/plain` POST,
   * which needs no CORS preflight, carries one), a `Sec-Fetch-Site` saying another site sent it,
   * or a `Host` other than the loopback address and port the sandbox listens on (a DNS-rebound
   * name). Requests without these headers (SDKs, the AWS CLI, curl) pass.
   */
  private foreignCaller(headers: Readonly<Record<string, string>>): string | undefined {
    const port = this.port ?? 0;
    const host = headers['host'];
    if (host !== undefined && !isOwnHost(host, port)) {
      return `request header 'Host: ${host.slice(0, 200)}': expected the sandbox's own address, 127.0.0.1:${port} or localhost:${port}; the sandbox answers loopback clients only`;
    }
    const origin = headers['origin'];
    if (origin !== undefined && origin !== `http://${SANDBOX_HOST}:${port}` && origin !== `http://localhost:${port}`) {
      return `request header 'Origin: ${origin.slice(0, 200)}': web pages may not call the sandbox; expected no Origin (an SDK or CLI) or http://${SANDBOX_HOST}:${port}`;
    }
    const site = headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return `request header 'Sec-Fetch-Site: ${site.slice(0, 50)}': web pages may not call the sandbox`;
    }
    return undefined;
  }

  /** A request in absolute form: answered by the forward proxy. */
  private async proxied(req: IncomingMessage, target: string): Promise<ServiceResponse> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    await readBody(req, false);
    const forbidden = this.foreignPage(headers);
    if (forbidden) return proxyResponse({ kind: 'error', error: 'destination_ip_unroutable', details: forbidden }, 403);
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return proxyResponse({ kind: 'error', error: 'dns_error', details: `request target ${JSON.stringify(target.slice(0, 200))}: expected an absolute http(s) URL` });
    }
    const scheme = url.protocol === 'https:' ? 'https' : 'http';
    const port = url.port !== '' ? Number(url.port) : scheme === 'https' ? 443 : 80;
    return proxyResponse(this.askProxy({ scheme, host: url.hostname, port, path: `${url.pathname}${url.search}`, method: req.method ?? 'GET' }));
  }

  /** `CONNECT host:port`: the tunnel is opened (and closed at once: nothing speaks behind it) or refused as the proxy says. */
  private connect(req: IncomingMessage, socket: Duplex): void {
    socket.on('error', () => socket.destroy());
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    const forbidden = this.foreignPage(headers);
    const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(req.url ?? '');
    const answer: ProxyAnswer = forbidden
      ? { kind: 'error', error: 'destination_ip_unroutable', details: forbidden }
      : !m || Number(m[2]) < 1 || Number(m[2]) > 65535
        ? { kind: 'error', error: 'dns_error', details: `CONNECT target ${JSON.stringify((req.url ?? '').slice(0, 200))}: expected host:port` }
        : this.askProxy({ scheme: 'tcp', host: m[1]!, port: Number(m[2]), path: '/', method: 'CONNECT' });
    if (answer.kind === 'open') {
      socket.end(`HTTP/1.1 200 Connection Established\r\nVia: 1.1 ${PROXY_NAME}\r\n\r\n`);
      return;
    }
    const response = proxyResponse(answer, forbidden ? 403 : undefined);
    const body = String(response.body);
    const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`, ...Object.entries(response.headers ?? {}).map(([k, v]) => `${k}: ${v}`), `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', '', body];
    socket.end(lines.join('\r\n'));
  }

  private askProxy(request: ProxyRequest): ProxyAnswer {
    if (!this.proxy) return { kind: 'error', error: 'destination_ip_unroutable', details: 'this sandbox has no network behind its proxy' };
    try {
      return this.proxy(request);
    } catch (err) {
      this.log(`sandbox proxy: ${request.method} ${request.scheme}://${request.host}:${request.port}${request.path} failed: ${(err as Error)?.stack ?? String(err)}`);
      return { kind: 'error', error: 'destination_ip_unroutable', details: `the sandbox failed to route the request: ${(err as Error)?.message ?? String(err)}` };
    }
  }

  /** Why a proxied request must not be served: it comes from a web page (`Origin`, cross-site `Sec-Fetch-Site`). */
  private foreignPage(headers: Readonly<Record<string, string>>): string | undefined {
    const origin = headers['origin'];
    if (origin !== undefined) return `request header 'Origin: ${origin.slice(0, 200)}': web pages may not use the sandbox as a proxy`;
    const site = headers['sec-fetch-site'];
    if (site !== undefined && site !== 'none') return `request header 'Sec-Fetch-Site: ${site.slice(0, 50)}': web pages may not use the sandbox as a proxy`;
    return undefined;
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
      // Past this a time has no ISO-8601 form (AWS timestamps have four-digit years): a clock moved
      // there would fail every later call that reads it, so the move is refused before it happens.
      if (target > LATEST_CLOCK_MS) {
        throw new AdminError(`sandbox admin › clock: ${body.to !== undefined ? 'to' : 'advanceMs/advanceSeconds'}: expected a time no later than ${new Date(LATEST_CLOCK_MS).toISOString()}, found ${JSON.stringify(body.to ?? body.advanceMs ?? body.advanceSeconds)} (now ${new Date(clock.now()).toISOString()})`);
      }
      if (kind !== 'virtual') throw new AdminError('sandbox admin › clock: the sandbox runs on the real clock, which cannot be moved; start it with --clock virtual', 409);
      // Asked for explicitly: holds placed for clients in other processes do not stop it.
      (clock as VirtualClock).overrideHolds(target);
      // A virtual clock jumps to its earliest timer when idle: a timer at the target makes it
      // fire every earlier timer in order and stop there.
      await new Promise<void>((resolve) => clock.setTimer(target!, resolve));
    }
    const now = clock.now();
    return { kind, nowMs: now, now: new Date(now).toISOString() };
  }

  private failure(err: unknown, method: string | undefined, target: string | undefined, amzTarget: string | string[] | undefined): ServiceResponse {
    this.log(`sandbox server: ${method} ${target} (${amzTarget ?? 'no X-Amz-Target'}) failed: ${(err as Error)?.stack ?? String(err)}`);
    return jsonError(500, 'InternalFailure', `sandbox: the request failed inside the sandbox: ${(err as Error)?.message ?? String(err)}`);
  }
}

/** The latest time the admin API moves the clock to: 9999-12-31T23:59:59.999Z. */
const LATEST_CLOCK_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Thrown while reading a body far beyond any limit: the connection is dropped unanswered. */
class DropConnection extends Error {}

/** A request handed to {@link SandboxServer.dispatch} from this process, without a socket. */
export interface InProcessRequest {
  readonly method: string;
  /** The request target: the path as sent, with its query string (`/?Action=…`, `/schedules/x?groupName=g`). */
  readonly target: string;
  /** Header names in any case (they are compared in lower case, as over HTTP). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as sent (gzip when `content-encoding` says so). */
  readonly body: Buffer;
}

/** The answer to an {@link InProcessRequest}: what would have gone over the wire. */
export interface InProcessResponse {
  readonly status: number;
  /** Every header a client over HTTP receives (`x-amzn-RequestId`, `Date`, `Content-Length`, the service's own). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/**
 * Where a request over HTTP would have had its connection closed unanswered (a region the sandbox
 * does not serve, an endpoint made unreachable, a body far beyond any limit): an in-process
 * caller should report it as the network error a socket hang-up is (`ECONNRESET`).
 */
export class ConnectionDropped extends Error {
  readonly code = 'ECONNRESET';
  constructor(request: string) {
    super(`socket hang up (the sandbox closed the connection of ${request.slice(0, 200)} unanswered)`);
    this.name = 'ConnectionDropped';
  }
}

/** True when a service asked for the connection to be dropped unanswered. */
function isUnreachable(response: ServiceResponse): boolean {
  return Object.keys(response.headers ?? {}).some((h) => h.toLowerCase() === UNREACHABLE_HEADER);
}

/** The headers and bytes of an answer, as written to the wire. */
function finalHeaders(response: ServiceResponse, requestId: string): { headers: Record<string, string>; body: Buffer } {
  const headers: Record<string, string> = {
    'x-amzn-RequestId': requestId,
    Date: new Date().toUTCString(),
    ...(response.headers ?? {}),
  };
  const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
  headers['Content-Length'] = String(response.contentLength ?? body.length);
  return { headers, body };
}

/** The status of each kind of front-end problem. */
export const PROBLEM_STATUS: Readonly<Record<FrontEndProblem['kind'], number>> = {
  'too-large': 413,
  'bad-encoding': 400,
  'too-deep': 400,
  forbidden: 403,
};

/** The AWS JSON error name of each kind of front-end problem. */
const PROBLEM_CODE: Readonly<Record<FrontEndProblem['kind'], string>> = {
  'too-large': 'RequestEntityTooLargeException',
  'bad-encoding': 'SerializationException',
  'too-deep': 'SerializationException',
  forbidden: 'AccessDeniedException',
};

/** A front-end problem in the AWS JSON 1.0 shape (services without their own `reject`). */
export function jsonProblem(problem: FrontEndProblem): ServiceResponse {
  return jsonError(PROBLEM_STATUS[problem.kind], PROBLEM_CODE[problem.kind], problem.message);
}

/** True for `127.0.0.1:<port>`, `localhost:<port>` and `<name>.localhost:<port>` (S3's virtual-hosted style), any case. */
function isOwnHost(host: string, port: number): boolean {
  const h = host.toLowerCase();
  const names = port === 80 ? [`:${port}`, ''] : [`:${port}`];
  return names.some((suffix) => h === `${SANDBOX_HOST}${suffix}` || h === `localhost${suffix}` || (h.endsWith(`.localhost${suffix}`) && /^[a-z0-9.-]+$/.test(h.slice(0, h.length - suffix.length))));
}

interface BodyRead {
  /** The body (gunzipped), or what was read of it when it was too large. */
  readonly body: Buffer;
  readonly problem?: FrontEndProblem;
}

/**
 * Reads a request body of at most {@link MAX_BODY_BYTES}, and gunzips it when it is gzip with the
 * same limit on what it inflates to, checked while inflating (a small body that inflates to
 * gigabytes is stopped at the limit). A body beyond the limit is read on and thrown away, up to
 * {@link DRAIN_LIMIT_BYTES}, so that the client can read the answer; beyond that the connection
 * is dropped.
 */
async function readBody(req: IncomingMessage, isGzip: boolean): Promise<BodyRead> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > DRAIN_LIMIT_BYTES) throw new DropConnection();
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return checkBody(Buffer.concat(chunks), size, isGzip);
}

/** {@link readBody} for a body handed over in process: the same limits and gunzip. */
async function readBuffer(body: Buffer, isGzip: boolean): Promise<BodyRead> {
  if (body.length > DRAIN_LIMIT_BYTES) throw new DropConnection();
  return checkBody(body.length > MAX_BODY_BYTES ? body.subarray(0, MAX_BODY_BYTES) : body, body.length, isGzip);
}

/** A body read in full (`raw`, at most {@link MAX_BODY_BYTES} of `size` bytes): size-checked, then gunzipped with the same limit. */
async function checkBody(raw: Buffer, size: number, isGzip: boolean): Promise<BodyRead> {
  if (size > MAX_BODY_BYTES) {
    return { body: raw, problem: { kind: 'too-large', message: `request body: expected at most ${MAX_BODY_BYTES} bytes, found ${size}` } };
  }
  if (!isGzip || raw.length === 0) return { body: raw };
  try {
    return { body: await gunzipAsync(raw, { maxOutputLength: MAX_BODY_BYTES }) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      return { body: Buffer.alloc(0), problem: { kind: 'too-large', message: `request body: header 'Content-Encoding: gzip': expected a body that inflates to at most ${MAX_BODY_BYTES} bytes, found more` } };
    }
    return { body: raw, problem: { kind: 'bad-encoding', message: `request body: header 'Content-Encoding: gzip' was sent but the body is not gzip data (${(err as Error).message})` } };
  }
}

/** A JSON body (a JSON protocol's, or the admin API's) nested deeper than AWS's parser accepts. */
function depthProblem(body: Buffer, headers: Readonly<Record<string, string>>, isAdmin: boolean): FrontEndProblem | undefined {
  const isJson = isAdmin || headers['x-amz-target'] !== undefined || (headers['content-type'] ?? '').toLowerCase().includes('json');
  if (!isJson) return undefined;
  const depth = jsonDepthBeyond(body);
  return depth === undefined ? undefined : { kind: 'too-deep', message: `request body: ${depthMessage(depth)}` };
}

function jsonError(status: number, code: string, message: string): ServiceResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-ErrorType': code },
    body: JSON.stringify({ __type: `com.amazon.coral.service#${code}`, message }),
  };
}

/** A proxy answer as an HTTP response: the destination's, or `502`/`504` with `Proxy-Status` (RFC 9209). */
function proxyResponse(answer: ProxyAnswer, status?: number): ServiceResponse {
  const text = { 'Content-Type': 'text/plain; charset=utf-8', Via: `1.1 ${PROXY_NAME}` };
  if (answer.kind === 'response') return { status: answer.status, headers: text, body: `${answer.body}\n` };
  if (answer.kind === 'open') return { status: 200, headers: text, body: '' };
  // A Structured Field string holds printable ASCII only, with `\` and `"` escaped.
  const details = answer.details.replace(/[^\x20-\x7e]/g, '?').replace(/[\\"]/g, (c) => `\\${c}`);
  return {
    status: status ?? (answer.error === 'connection_timeout' ? 504 : 502),
    headers: { ...text, 'Proxy-Status': `${PROXY_NAME}; error=${answer.error}; details="${details}"` },
    body: `${answer.error}: ${answer.details}\n`,
  };
}

function adminJson(status: number, value: unknown): ServiceResponse {
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value) };
}
