/**
 * The local console: a web page served at `/` (and its script and style under `/console/`) that
 * shows what the sandbox's Step Functions holds, the way the Step Functions console does: state
 * machines by region, executions, the graph of a run coloured by status, its event history, a
 * step's input, output, error and cause, and Start, Stop and Redrive. The page calls the same
 * public API as any SDK (`POST /` with `X-Amz-Target: AWSStepFunctions.*`, the region in the
 * credential scope); the server's same-origin rule keeps other web pages out.
 *
 * Other parts of a program that embeds the sandbox can add pages of their own (`addPage`): each
 * is a link in the console's navigation and is rendered on request by the function given.
 */
import { readFileSync } from 'node:fs';
import type { SandboxService, ServiceRequest, ServiceResponse } from '../service.js';

/** A page another part adds to the console: `/console/pages/<id>`, rendered on request. */
export interface ConsolePage {
  /** `[a-z0-9-]+`: the page's address is `/console/pages/<id>` (and `/console/pages/<id>/<rest>`). */
  readonly id: string;
  /** The link's text in the navigation. */
  readonly title: string;
  /**
   * Renders the page (a whole HTML document) for `rest` (the path after `/console/pages/<id>/`,
   * '' for the page itself) and the query string. Undefined answers 404.
   */
  readonly render: (rest: string, query: URLSearchParams) => Promise<string | undefined> | string | undefined;
}

/** The console service and how to add pages to it. */
export interface ConsoleSandbox {
  readonly service: SandboxService;
  /** Adds (or replaces, by id) a page. */
  addPage(page: ConsolePage): void;
}

/** Options of {@link createConsole}. */
export interface ConsoleOptions {
  /** The regions the sandbox serves: the console lists state machines of each. */
  readonly regions: readonly string[];
  /** The region shown first. */
  readonly defaultRegion: string;
}

const ASSETS = new URL('./assets/', import.meta.url);

/** Served with every console answer: nothing loads from elsewhere, no framing, no sniffing. */
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/** The policy of added pages: as the console's, but their own inline styles may apply. */
const PAGE_CSP = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const PAGE_ID = /^[a-z0-9-]{1,64}$/;

/** Builds the console service. */
export function createConsole(options: ConsoleOptions): ConsoleSandbox {
  const pages = new Map<string, ConsolePage>();
  const asset = (name: string) => readFileSync(new URL(name, ASSETS), 'utf8');
  const files: Record<string, { type: string; body: () => string }> = {
    '/console/console.js': { type: 'text/javascript; charset=utf-8', body: () => asset('console.js') },
    '/console/console.css': { type: 'text/css; charset=utf-8', body: () => asset('console.css') },
  };

  const indexPage = (): string => {
    const config = { regions: options.regions, defaultRegion: options.defaultRegion, pages: [...pages.values()].map((p) => ({ id: p.id, title: p.title })) };
    // JSON inside a non-executed script element: `<` escaped so no value can close the element.
    return asset('console.html').replace('{{CONFIG}}', JSON.stringify(config).replace(/</g, '\\u003c'));
  };

  const service: SandboxService = {
    matches: (req: ServiceRequest) =>
      (req.method === 'GET' || req.method === 'HEAD') &&
      req.headers['authorization'] === undefined &&
      req.headers['x-amz-target'] === undefined &&
      (req.path === '/' || req.path === '/console' || req.path.startsWith('/console/')),
    async handle(req: ServiceRequest): Promise<ServiceResponse> {
      if (req.path === '/' || req.path === '/console' || req.path === '/console/') return html(200, indexPage(), req);
      const file = files[req.path];
      if (file) return answer(200, file.type, file.body(), req);
      const m = /^\/console\/pages\/([^/]+)(?:\/(.*))?$/.exec(req.path);
      if (m && PAGE_ID.test(m[1]!)) {
        const page = pages.get(m[1]!);
        if (page) {
          const body = await page.render(decodeURIComponent(m[2] ?? ''), new URLSearchParams(req.query ?? ''));
          // Added pages may be self-contained documents with their own <style> (no script).
          if (body !== undefined) return { ...html(200, body, req), headers: { ...html(200, '', req).headers, 'Content-Security-Policy': PAGE_CSP } };
        }
      }
      return html(404, `<!doctype html><meta charset="utf-8"><title>Not found</title><p>No console page at ${escapeHtml(req.path)}. <a href="/">Back to the console</a></p>`, req);
    },
  };
  return {
    service,
    addPage(page: ConsolePage) {
      if (!PAGE_ID.test(page.id)) throw new RangeError(`sandbox console › addPage: id: expected [a-z0-9-]{1,64}, found ${JSON.stringify(page.id)}`);
      pages.set(page.id, page);
    },
  };
}

function html(status: number, body: string, req: ServiceRequest): ServiceResponse {
  return answer(status, 'text/html; charset=utf-8', body, req);
}

function answer(status: number, type: string, body: string, req: ServiceRequest): ServiceResponse {
  const bytes = Buffer.from(body, 'utf8');
  return {
    status,
    headers: { 'Content-Type': type, ...SECURITY_HEADERS },
    body: req.method === 'HEAD' ? Buffer.alloc(0) : bytes,
    contentLength: bytes.length,
  };
}

/** Text made safe to place in HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
