/**
 * What every SDK client of the tasks shares: the attempts per call, the request timeouts and one
 * cache per service and region. Imports no SDK package: each client lives in its own module
 * (`ec2.ts`, `cloudwatch.ts`, `sfn.ts`) so a task's bundle carries only the clients its handler
 * declares (issue 8, "Fast to start").
 */

/**
 * SDK attempts per call when the environment does not say otherwise (`AWS_MAX_ATTEMPTS`).
 *
 * One attempt: retries belong to the workflow's Retry fields, where they are recorded in the
 * execution history and run on the sandbox's virtual clock (docs/decisions/0001).
 */
export const DEFAULT_MAX_ATTEMPTS = 1;

/** Request timeouts, so a hung connection fails fast as `Lifeboat.Transient` instead of eating the Lambda's time. */
export const REQUEST_HANDLER = { connectionTimeout: 3_000, requestTimeout: 30_000 } as const;

/**
 * An SDK request handler the host process installed with {@link useRequestHandler}. Never set in
 * Lambda; the sandbox's local session sets one that hands requests to the sandbox in process.
 */
let installedHandler: Readonly<Record<string, unknown>> | undefined;

/**
 * Makes every task client created from now on send its requests through `handler` (an SDK
 * `HttpHandler`), or through the SDK's own Node.js handler again with `undefined`. Cached clients
 * are dropped, so the next call creates them with it. Nothing else of a client changes: it
 * serialises, signs and parses as before.
 */
export function useRequestHandler(handler: Readonly<Record<string, unknown>> | undefined): void {
  installedHandler = handler;
  resetClients();
}

/** The options every client is created with: the region, our attempts default and the timeouts (or the installed handler). */
export function clientOptions(region: string): { region: string; maxAttempts: number | undefined; requestHandler: Readonly<Record<string, unknown>> } {
  // The SDK reads AWS_MAX_ATTEMPTS itself; only set our default when the environment is silent.
  return { region, maxAttempts: process.env.AWS_MAX_ATTEMPTS ? undefined : DEFAULT_MAX_ATTEMPTS, requestHandler: installedHandler ?? REQUEST_HANDLER };
}

interface Destroyable {
  destroy(): void;
}

const caches: Array<Map<string, Destroyable>> = [];

/**
 * A per-region factory: `create(region)` on first use, then the cached client for the Lambda's
 * lifetime. Its cache is emptied by {@link resetClients}.
 */
export function cachedPerRegion<C extends Destroyable>(create: (region: string) => C): (region: string) => C {
  const cache = new Map<string, C>();
  caches.push(cache);
  return (region) => {
    let client = cache.get(region);
    if (!client) {
      client = create(region);
      cache.set(region, client);
    }
    return client;
  };
}

/** Drops every cached client of the modules loaded so far (for tests and the sandbox binding, after the environment changes). */
export function resetClients(): void {
  for (const cache of caches) {
    for (const client of cache.values()) client.destroy();
    cache.clear();
  }
}
