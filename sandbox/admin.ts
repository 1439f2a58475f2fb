/**
 * The sandbox's admin API: `POST /_sandbox/<action>` with a JSON body, answered in JSON. Not an
 * AWS API: it is how tests and tools read or move the clock, seed state, inject faults and reset.
 *
 * Core actions (always present):
 * - `clock`: `{}` reads the time; `{ "advanceMs": n }` / `{ "advanceSeconds": n }` / `{ "to": iso-or-ms }`
 *   moves a virtual clock forward (firing due timers in order); answers `{ nowMs, now, kind }`.
 * - `seed`: `{ "<section>": data, … }` hands each section to the seeder a service registered under
 *   that name (e.g. `ec2`); an unknown section is refused with the list of known ones.
 * - `reset`: calls every registered reset hook (each service forgets its state).
 * - `health`: `{ ok, pid, dataDir, endpoint, actions }`, used to find a running sandbox.
 *
 * Services add their own actions with {@link AdminRegistry.register} (e.g. `ec2.faults`).
 */

/** The context an admin handler runs with. */
export interface AdminContext {
  /** The action name as called. */
  readonly action: string;
}

/** Handles one admin action: receives the parsed JSON body (`{}` when empty), returns a JSON-able answer. */
export type AdminHandler = (body: Record<string, unknown>, context: AdminContext) => unknown | Promise<unknown>;

/** An admin call that the caller got wrong (answered with status 400 and the message). */
export class AdminError extends Error {
  constructor(message: string, readonly status = 400) {
    super(message);
    this.name = 'AdminError';
  }
}

const ACTION_RE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/;

/**
 * The registry behind `/_sandbox/<action>`.
 *
 * @example
 * sandbox.admin.register('ec2.faults', (body) => faults.configure(body));
 * sandbox.admin.registerSeed('ec2', (body) => ec2.seed(body));
 * sandbox.admin.registerReset(() => ec2.reset());
 */
export class AdminRegistry {
  private readonly actions = new Map<string, AdminHandler>();
  private readonly namespaces = new Map<string, (action: string, body: Record<string, unknown>) => unknown>();
  private readonly seeders = new Map<string, AdminHandler>();
  private readonly resets: Array<() => void | Promise<void>> = [];

  constructor() {
    this.actions.set('seed', (body) => this.seed(body));
    this.actions.set('reset', async () => {
      for (const reset of this.resets) await reset();
      return { ok: true };
    });
  }

  /**
   * Adds an action. Names are lower-case, dotted by service (`ec2.faults`).
   *
   * @throws RangeError when the name is malformed or already taken.
   */
  register(action: string, handler: AdminHandler): void {
    if (!ACTION_RE.test(action)) {
      throw new RangeError(`admin: action name ${JSON.stringify(action)}: expected lower-case words separated by '.', e.g. "ec2.faults"`);
    }
    if (this.actions.has(action)) throw new RangeError(`admin: action ${JSON.stringify(action)} is already registered`);
    this.actions.set(action, handler);
  }

  /**
   * Routes every action `<prefix>.<rest>` to one handler, called with `<rest>` (for a service
   * with its own admin dispatcher). Exact registrations win over a namespace.
   *
   * @example sandbox.admin.registerNamespace('ec2', (action, body) => ec2.admin(action, body)); // POST /_sandbox/ec2.faults.set
   */
  registerNamespace(prefix: string, handler: (action: string, body: Record<string, unknown>) => unknown): void {
    if (!ACTION_RE.test(prefix)) {
      throw new RangeError(`admin: namespace ${JSON.stringify(prefix)}: expected lower-case words separated by '.', e.g. "ec2"`);
    }
    if (this.namespaces.has(prefix)) throw new RangeError(`admin: namespace ${JSON.stringify(prefix)} is already registered`);
    this.namespaces.set(prefix, handler);
  }

  /** Adds a section to the core `seed` action. */
  registerSeed(section: string, handler: AdminHandler): void {
    if (this.seeders.has(section)) throw new RangeError(`admin: seed section ${JSON.stringify(section)} is already registered`);
    this.seeders.set(section, handler);
  }

  /** Adds a hook to the core `reset` action (run in registration order). */
  registerReset(hook: () => void | Promise<void>): void {
    this.resets.push(hook);
  }

  /** The names of every action (a namespace as `<prefix>.*`), sorted. */
  list(): string[] {
    return [...this.actions.keys(), ...[...this.namespaces.keys()].map((p) => `${p}.*`)].sort();
  }

  /** True when the action exists. */
  has(action: string): boolean {
    return this.actions.has(action) || this.namespaceOf(action) !== undefined;
  }

  /**
   * Runs an action.
   *
   * @throws AdminError (404) for an unknown action, or whatever the handler throws.
   */
  async call(action: string, body: Record<string, unknown>): Promise<unknown> {
    const handler = this.actions.get(action);
    if (!handler) {
      const ns = this.namespaceOf(action);
      if (ns) return ns.handler(action.slice(ns.prefix.length + 1), body);
      throw new AdminError(`sandbox admin: no action ${JSON.stringify(action)}; known actions: ${this.list().join(', ')}`, 404);
    }
    return handler(body, { action });
  }

  private namespaceOf(action: string): { prefix: string; handler: (action: string, body: Record<string, unknown>) => unknown } | undefined {
    let best: { prefix: string; handler: (action: string, body: Record<string, unknown>) => unknown } | undefined;
    for (const [prefix, handler] of this.namespaces) {
      if (action.startsWith(`${prefix}.`) && action.length > prefix.length + 1 && (!best || prefix.length > best.prefix.length)) best = { prefix, handler };
    }
    return best;
  }

  private async seed(body: Record<string, unknown>): Promise<unknown> {
    const unknown = Object.keys(body).filter((k) => !this.seeders.has(k));
    if (unknown.length > 0) {
      const known = [...this.seeders.keys()].sort();
      throw new AdminError(`sandbox admin › seed: unknown section${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; expected one of: ${known.length ? known.join(', ') : '(none registered)'}`);
    }
    const out: Record<string, unknown> = {};
    for (const [section, data] of Object.entries(body)) {
      const seeder = this.seeders.get(section)!;
      out[section] = await seeder((data ?? {}) as Record<string, unknown>, { action: `seed.${section}` });
    }
    return out;
  }
}
