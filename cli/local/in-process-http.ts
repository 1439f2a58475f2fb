/**
 * An AWS SDK request handler that hands each request to the sandbox in this very process
 * (`SandboxServer.dispatch`) instead of over a loopback socket. The SDK does everything else as
 * against AWS (serialising, signing, parsing the answer, errors, retries); only the TCP
 * connection and HTTP/1.1 framing are skipped. The local session installs it for the task
 * Lambdas it runs in process (`bind.ts`), whose SDK calls are most of a scheduled week's work.
 *
 * A request for another host goes over the network as usual.
 */
import { Readable } from 'node:stream';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions, HttpRequest, HttpResponse } from '@smithy/types';
import { ConnectionDropped, type InProcessRequest, type InProcessResponse } from '../../sandbox/server.js';

/** What the handler needs of the sandbox: its in-process entry and the address its endpoint names. */
export interface InProcessTarget {
  dispatch(request: InProcessRequest): Promise<InProcessResponse>;
  readonly port: number;
}

/** The Node.js error a socket closed unanswered raises, as the SDK's Node.js handler passes it on. */
function socketHangUp(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

/** The query string the SDK's Node.js handler writes for `query` (keys and values escaped as SigV4 signed them). */
export function queryString(query: HttpRequest['query']): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    const k = escape(key);
    if (Array.isArray(value)) for (const v of value) parts.push(`${k}=${escape(v)}`);
    else if (value === null || value === undefined) parts.push(k);
    else parts.push(`${k}=${escape(value)}`);
  }
  return parts.join('&');
}

function escape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  throw new TypeError(`in-process request handler: request body: expected a string, bytes or a stream, found ${typeof body}`);
}

/**
 * The handler. `fallback` serves requests for any other host (the SDK's Node.js handler with the
 * same options the clients would have used).
 */
export class InProcessHttpHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  private fallback: NodeHttpHandler | undefined;

  constructor(
    private readonly target: InProcessTarget,
    private readonly options: { requestTimeout?: number; connectionTimeout?: number } = {},
  ) {}

  async handle(request: HttpRequest, handlerOptions: HttpHandlerOptions = {}): Promise<{ response: HttpResponse }> {
    const isSandbox = (request.hostname === '127.0.0.1' || request.hostname === 'localhost') && Number(request.port) === this.target.port;
    if (!isSandbox) {
      this.fallback ??= new NodeHttpHandler(this.options);
      return this.fallback.handle(request as Parameters<NodeHttpHandler['handle']>[0], handlerOptions);
    }
    const signal = handlerOptions.abortSignal as AbortSignal | undefined;
    if (signal?.aborted) throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    const query = queryString(request.query);
    const target = `${request.path || '/'}${query ? `?${query}` : ''}${request.fragment ? `#${request.fragment}` : ''}`;
    let answer: InProcessResponse;
    try {
      answer = await this.target.dispatch({ method: request.method, target, headers: request.headers, body: await bodyBytes(request.body) });
    } catch (err) {
      if (err instanceof ConnectionDropped) throw socketHangUp();
      throw err;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(answer.headers)) headers[name.toLowerCase()] = value;
    // A stream, as from a socket: operations with a streaming body (S3 GetObject) read it as one.
    const response = { statusCode: answer.status, reason: undefined, headers, body: Readable.from([answer.body]) } as unknown as HttpResponse;
    return { response };
  }

  updateHttpClientConfig(key: 'requestTimeout' | 'connectionTimeout', value: number): void {
    this.options[key] = value;
    this.fallback?.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): { requestTimeout?: number; connectionTimeout?: number } {
    return { ...this.options };
  }

  destroy(): void {
    this.fallback?.destroy();
    this.fallback = undefined;
  }
}
