import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { ProbeAnswer } from '../../schemas/tasks/probe-health.js';

/**
 * The environment variable naming an HTTP forward proxy that probes go through (an URL such as
 * `http://127.0.0.1:4566`). Unset on AWS, where the probe function sits in the recovery VPC and
 * connects to each private address itself; the local run sets it to the sandbox, whose server
 * is a proxy to its instances' addresses (docs/decisions/0011).
 */
export const PROBE_PROXY_ENV = 'LIFEBOAT_PROBE_PROXY';

/** One probe: where, over what, and how long to wait. */
export interface ProbeTarget {
  readonly address: string;
  readonly protocol: 'http' | 'https' | 'tcp';
  readonly port: number;
  /** HTTP(S) path; ignored for TCP. */
  readonly path: string | null;
  readonly timeoutMs: number;
}

/** Probes one endpoint. Never throws: every network outcome is an answer. */
export type Prober = (target: ProbeTarget) => Promise<ProbeAnswer>;

/** `http://10.0.1.5:80/health`, `tcp://10.0.1.5:5432`. */
export function endpointOf(t: Pick<ProbeTarget, 'address' | 'protocol' | 'port' | 'path'>): string {
  return t.protocol === 'tcp' ? `tcp://${t.address}:${t.port}` : `${t.protocol}://${t.address}:${t.port}${t.path ?? '/'}`;
}

/**
 * The prober that uses the network: direct connections, or through the proxy `proxyUrl` when
 * given (absolute-form GET for HTTP(S), CONNECT for TCP; a proxy's `Proxy-Status` error
 * `connection_refused` / `connection_timeout` (RFC 9209) reads as the instance refusing or not
 * answering). HTTPS certificates are not verified, as load balancers' health checks do not.
 *
 * @example const probe = networkProber(process.env[PROBE_PROXY_ENV]); await probe({ address: '10.0.1.5', protocol: 'http', port: 80, path: '/health', timeoutMs: 5000 });
 */
export function networkProber(proxyUrl?: string): Prober {
  const proxy = proxyUrl !== undefined && proxyUrl !== '' ? new URL(proxyUrl) : undefined;
  if (proxy && proxy.protocol !== 'http:') throw new TypeError(`${PROBE_PROXY_ENV}: expected an http:// proxy URL, found ${JSON.stringify(proxyUrl)}`);
  return (target) => (proxy ? viaProxy(proxy, target) : direct(target));
}

function short(text: string): string {
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/** The answer for a socket error: refused, timed out, or another error named by its code. */
function fromError(error: NodeJS.ErrnoException, target: ProbeTarget): ProbeAnswer {
  const where = endpointOf(target);
  if (error.code === 'ECONNREFUSED') return { outcome: 'refused', detail: short(`${where}: connection refused`) };
  if (error.code === 'ETIMEDOUT' || error.code === 'PROBE_TIMEOUT') return { outcome: 'timeout', detail: short(`${where}: no answer within ${target.timeoutMs / 1000} s`) };
  return { outcome: 'error', detail: short(`${where}: ${error.code ?? error.name}: ${error.message}`) };
}

function timeoutError(): NodeJS.ErrnoException {
  return Object.assign(new Error('probe timed out'), { code: 'PROBE_TIMEOUT' });
}

/** Reads (and drops) a response body, so the socket is released. */
function drain(res: IncomingMessage): void {
  res.resume();
}

function direct(target: ProbeTarget): Promise<ProbeAnswer> {
  return new Promise((resolve) => {
    const where = endpointOf(target);
    if (target.protocol === 'tcp') {
      const socket = connect({ host: target.address, port: target.port });
      socket.setTimeout(target.timeoutMs, () => socket.destroy(timeoutError()));
      socket.once('connect', () => {
        socket.destroy();
        resolve({ outcome: 'open', detail: `${where}: connection accepted` });
      });
      socket.once('error', (e) => resolve(fromError(e, target)));
      return;
    }
    const send = target.protocol === 'https' ? httpsRequest : httpRequest;
    const req = send({ host: target.address, port: target.port, path: target.path ?? '/', method: 'GET', agent: false, rejectUnauthorized: false, timeout: target.timeoutMs, headers: { 'User-Agent': 'lifeboat-health-probe' } });
    req.once('timeout', () => req.destroy(timeoutError()));
    req.once('response', (res) => {
      drain(res);
      resolve({ outcome: 'status', status: res.statusCode!, detail: short(`${where}: HTTP ${res.statusCode}`) });
    });
    req.once('error', (e) => resolve(fromError(e, target)));
    req.end();
  });
}

/** `error=<type>` of a `Proxy-Status` header, if any. */
function proxyError(res: IncomingMessage): { type: string; details?: string } | undefined {
  const header = res.headers['proxy-status'];
  const value = Array.isArray(header) ? header.join(', ') : header;
  const m = value ? /;\s*error=([a-z_]+)/.exec(value) : null;
  if (!m) return undefined;
  const details = /;\s*details="((?:[^"\\]|\\.)*)"/.exec(value!)?.[1]?.replace(/\\(.)/g, '$1');
  return { type: m[1]!, ...(details !== undefined ? { details } : {}) };
}

function fromProxyError(err: { type: string; details?: string }, target: ProbeTarget): ProbeAnswer {
  const where = endpointOf(target);
  const why = err.details ? ` (${err.details})` : '';
  if (err.type === 'connection_refused') return { outcome: 'refused', detail: short(`${where}: connection refused${why}`) };
  if (err.type === 'connection_timeout') return { outcome: 'timeout', detail: short(`${where}: no answer within ${target.timeoutMs / 1000} s${why}`) };
  return { outcome: 'error', detail: short(`${where}: proxy error ${err.type}${why}`) };
}

function viaProxy(proxy: URL, target: ProbeTarget): Promise<ProbeAnswer> {
  return new Promise((resolve) => {
    const where = endpointOf(target);
    const hostPort = `${target.address}:${target.port}`;
    const common = { host: proxy.hostname, port: Number(proxy.port || 80), agent: false as const, timeout: target.timeoutMs };
    const auth = proxy.username !== '' ? { 'Proxy-Authorization': `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}` } : {};
    const req =
      target.protocol === 'tcp'
        ? httpRequest({ ...common, method: 'CONNECT', path: hostPort, headers: { Host: hostPort, ...auth } })
        : httpRequest({ ...common, method: 'GET', path: `${target.protocol}://${hostPort}${target.path ?? '/'}`, headers: { Host: hostPort, 'User-Agent': 'lifeboat-health-probe', ...auth } });
    req.once('timeout', () => req.destroy(timeoutError()));
    req.once('connect', (res, socket) => {
      socket.destroy();
      const err = proxyError(res);
      if (res.statusCode === 200) resolve({ outcome: 'open', detail: `${where}: connection accepted` });
      else resolve(err ? fromProxyError(err, target) : { outcome: 'error', detail: short(`${where}: proxy answered CONNECT with HTTP ${res.statusCode}`) });
    });
    req.once('response', (res) => {
      drain(res);
      const err = proxyError(res);
      resolve(err ? fromProxyError(err, target) : { outcome: 'status', status: res.statusCode!, detail: short(`${where}: HTTP ${res.statusCode}`) });
    });
    req.once('error', (e) => resolve(fromError(e, target)));
    req.end();
  });
}
