/**
 * The sandbox's persistence: JSON documents in collections under a data directory, one file per
 * document, each written atomically (a temporary file in the same folder, then a rename), so a
 * crash leaves either the old document or the new one, never half of one.
 *
 * Without a data directory the store keeps nothing (every read misses), and the sandbox runs in
 * memory only.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Options of {@link Store}. */
export interface StoreOptions {
  /**
   * The folder to keep documents in; created when missing.
   * @default undefined (in memory: nothing persists)
   */
  readonly dataDir?: string;
  /** Told about a document that could not be read back (it is skipped, never fatal). */
  readonly onWarning?: (message: string) => void;
}

export interface Envelope {
  readonly key: string;
  readonly value: unknown;
  /** The journal generation a {@link JournaledDocument}'s base starts (absent for plain documents). */
  readonly generation?: number;
}

const COLLECTION_RE = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/;

let tempCounter = 0;

/**
 * A keyed document store, one JSON file per document.
 *
 * @example
 * const store = new Store({ dataDir: 'sandbox-data' });
 * store.write('sfn/executions', arn, snapshot);
 * store.list('sfn/executions'); // [{ key: arn, value: snapshot }]
 */
export class Store {
  /** The absolute data directory, or undefined when the store keeps nothing. */
  readonly dataDir?: string;
  private readonly onWarning: (message: string) => void;
  /** Folders this store has created (or found), so a write does not ask for them again each time. */
  private readonly folders = new Set<string>();

  constructor(options: StoreOptions = {}) {
    this.dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
    this.onWarning = options.onWarning ?? (() => {});
    if (this.dataDir) mkdirSync(this.dataDir, { recursive: true });
  }

  /** True when documents persist on disk. */
  get isPersistent(): boolean {
    return this.dataDir !== undefined;
  }

  /** Writes (or replaces) one document, atomically (`generation`: a {@link JournaledDocument}'s base). */
  write(collection: string, key: string, value: unknown, generation?: number): void {
    const dir = this.folder(collection);
    if (!dir) return;
    if (!this.folders.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.folders.add(dir);
    }
    const name = fileName(key);
    const temp = join(dir, `.${name}.${process.pid}.${++tempCounter}.tmp`);
    const text = JSON.stringify((generation === undefined ? { key, value } : { key, generation, value }) satisfies Envelope);
    try {
      writeFileSync(temp, text);
    } catch (err) {
      // The folder went away behind the store's back: make it again, once.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      mkdirSync(dir, { recursive: true });
      writeFileSync(temp, text);
    }
    renameSync(temp, join(dir, name));
  }

  /** Reads one document, or undefined when it is absent or unreadable. */
  read<T>(collection: string, key: string): T | undefined {
    const dir = this.folder(collection);
    if (!dir) return undefined;
    const envelope = this.readFile(join(dir, fileName(key)));
    return envelope && envelope.key === key ? (envelope.value as T) : undefined;
  }

  /** One document's envelope (key, value, generation), or undefined when absent or unreadable. */
  readEnvelope(collection: string, key: string): Envelope | undefined {
    const dir = this.folder(collection);
    return dir ? this.readFile(join(dir, fileName(key))) : undefined;
  }

  /** The folder of a collection, or undefined without a data directory. */
  folderOf(collection: string): string | undefined {
    return this.folder(collection);
  }

  /** Every readable document of a collection, in file-name order (callers sort as they need). */
  list<T>(collection: string): Array<{ key: string; value: T }> {
    const dir = this.folder(collection);
    if (!dir) return [];
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    const out: Array<{ key: string; value: T }> = [];
    for (const name of names.sort()) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const envelope = this.readFile(join(dir, name));
      if (envelope) out.push({ key: envelope.key, value: envelope.value as T });
    }
    return out;
  }

  /** Deletes one document; a no-op when absent. */
  delete(collection: string, key: string): void {
    const dir = this.folder(collection);
    if (!dir) return;
    rmSync(join(dir, fileName(key)), { force: true });
  }

  /** Deletes a whole collection. */
  clear(collection: string): void {
    const dir = this.folder(collection);
    if (!dir) return;
    rmSync(dir, { recursive: true, force: true });
    for (const known of [...this.folders]) if (known === dir || known.startsWith(`${dir}/`)) this.folders.delete(known);
  }

  private folder(collection: string): string | undefined {
    if (!COLLECTION_RE.test(collection)) {
      throw new RangeError(`store: collection name ${JSON.stringify(collection)}: expected kebab-case segments separated by '/'`);
    }
    return this.dataDir ? join(this.dataDir, collection) : undefined;
  }

  private readFile(file: string): Envelope | undefined {
    let text: string;
    try {
      text = decode(readFileSync(file));
    } catch {
      return undefined;
    }
    try {
      const parsed = JSON.parse(text) as Envelope;
      if (typeof parsed?.key !== 'string') throw new Error('no "key" member');
      return parsed;
    } catch (err) {
      this.onWarning(`store: ${file}: expected a JSON document {"key", "value"}, found unreadable content (${(err as Error).message}); skipped`);
      return undefined;
    }
  }
}

/**
 * A document's text. JSON.stringify writes ASCII unless a value holds other characters, and ASCII
 * bytes read as Latin-1 are the same string, made without UTF-8 decoding: an execution's document
 * of 25,000 history events (~5 MB) reads in a few ms instead of tens.
 */
function decode(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** A file name for a key: a readable prefix (for people looking at the folder) plus a hash (for uniqueness). */
function fileName(key: string): string {
  const tail = key.split(/[:/]/).pop() ?? '';
  const readable = tail.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60);
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return `${readable}-${hash}.json`;
}

/** Options of {@link DebouncedDocument}. */
export interface DebouncedDocumentOptions {
  /**
   * How long after the first change a write happens (wall-clock ms; changes in between share it).
   * @default 250
   */
  readonly delayMs?: number;
  /** Told about a write that failed (the document stays marked as changed). @default ignore */
  readonly onError?: (message: string) => void;
}

/**
 * One document whose content is produced on demand (a service's whole state), written to a
 * {@link Store} at most every `delayMs` after changes, and at once on {@link flush}. Writes are
 * atomic (the store's), so a crash leaves the previous or the next version.
 *
 * @example
 * const doc = new DebouncedDocument(store, 'ec2', 'state', () => ec2.snapshot());
 * ec2 = createEc2Service({ …, onChange: () => doc.changed() });
 * await server.close(); doc.flush(); doc.close();
 */
export class DebouncedDocument {
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private closed = false;
  private readonly delayMs: number;
  private readonly onError: (message: string) => void;

  constructor(
    private readonly store: Store,
    readonly collection: string,
    readonly key: string,
    private readonly produce: () => unknown,
    options: DebouncedDocumentOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 250;
    if (!(this.delayMs >= 0)) throw new RangeError(`store: ${collection}/${key} › delayMs: expected a number ≥ 0, found ${JSON.stringify(options.delayMs)}`);
    this.onError = options.onError ?? (() => {});
  }

  /** Notes a change; the document is written `delayMs` later (a no-op without a data directory or once closed). */
  changed(): void {
    if (!this.store.isPersistent || this.closed) return;
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.delayMs);
    this.timer.unref();
  }

  /** Writes now if anything changed since the last write. */
  flush(): void {
    if (this.dirty) this.write();
  }

  /** Writes now, changed or not (a no-op without a data directory or once closed). */
  write(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.store.isPersistent || this.closed) return;
    try {
      this.store.write(this.collection, this.key, this.produce());
      this.dirty = false;
    } catch (err) {
      this.onError(`store: ${this.collection}/${this.key}: cannot be written (${(err as Error).message}); will retry on the next change`);
    }
  }

  /** Cancels a pending write; later changes are ignored. Call {@link flush} first to keep them. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.closed = true;
  }
}

/** Options of {@link JournaledDocument}. */
export interface JournaledDocumentOptions extends DebouncedDocumentOptions {
  /**
   * Once the journal holds this many bytes, the next write is a whole document (compaction) and the
   * journal starts again empty.
   * @default 4 MiB
   */
  readonly compactBytes?: number;
  /** Told about a journal line that could not be read back (a torn last line after a kill). @default ignore */
  readonly onWarning?: (message: string) => void;
}

/** What {@link JournaledDocument.load} found on disk. */
export interface JournaledContent {
  /** The last whole document written, or undefined when there is none. */
  readonly base: unknown;
  /** The changes appended after it, oldest first (each as given to `append`). */
  readonly changes: readonly unknown[];
}

/** A pending change: serialised when appended, or (a coalesced slot) produced when written. */
type PendingChange = { readonly line: string } | { readonly slot: string; readonly produce: () => unknown };

/**
 * One service's whole state written as a base document plus an append-only journal of the changes
 * made since, so a service whose state grows (metrics through a week) does not rewrite all of it at
 * every change. On disk, under the store's collection folder:
 *
 * - `<name>.json`: the base document (atomic, the store's envelope), carrying the number of its
 *   journal generation;
 * - `<name>.<generation>.journal`: one JSON line per change appended since that base.
 *
 * A write appends the pending changes to the journal in one `appendFile` (no rename, no fsync: it
 * survives a kill of the process, not a crash of the machine). When the journal passes
 * `compactBytes`, or after {@link changed} (a change that is not a journal entry), the write is a
 * whole document of the next generation instead; only after it is renamed into place is the old
 * journal deleted, so a kill in between leaves a base that already holds every change and a stale
 * journal that {@link load} ignores (and removes). A last line cut short by a kill is dropped with a
 * warning, and cut off the file, so the next append starts on a line of its own.
 *
 * @example
 * const doc = new JournaledDocument(store, 'cloudwatch', 'state', () => cw.snapshot());
 * const { base, changes } = doc.load();   // restore base, then replay changes in order
 * doc.append({ put: … });                 // written within delayMs, or at flush()
 */
export class JournaledDocument {
  private timer: NodeJS.Timeout | undefined;
  private whole = false;
  private closed = false;
  private pending: PendingChange[] = [];
  private generation = 0;
  private journalBytes = 0;
  private readonly delayMs: number;
  private readonly compactBytes: number;
  private readonly onError: (message: string) => void;
  private readonly onWarning: (message: string) => void;

  constructor(
    private readonly store: Store,
    readonly collection: string,
    readonly key: string,
    private readonly produce: () => unknown,
    options: JournaledDocumentOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 250;
    this.compactBytes = options.compactBytes ?? 4 * 1024 * 1024;
    if (!(this.delayMs >= 0)) throw new RangeError(`store: ${collection}/${key} › delayMs: expected a number ≥ 0, found ${JSON.stringify(options.delayMs)}`);
    if (!(this.compactBytes >= 0)) throw new RangeError(`store: ${collection}/${key} › compactBytes: expected a number ≥ 0, found ${JSON.stringify(options.compactBytes)}`);
    this.onError = options.onError ?? (() => {});
    this.onWarning = options.onWarning ?? (() => {});
  }

  /**
   * Reads the base document and the journal after it. Call once, before any change: it also
   * removes journals of other generations and cuts a torn last line off the journal.
   */
  load(): JournaledContent {
    const dir = this.store.folderOf(this.collection);
    if (!dir) return { base: undefined, changes: [] };
    const envelope = this.store.readEnvelope(this.collection, this.key);
    const base = envelope && envelope.key === this.key ? envelope : undefined;
    this.generation = base && Number.isSafeInteger(base.generation) ? base.generation! : 0;
    const journal = this.journalFile(this.generation);
    const stem = fileName(this.key).slice(0, -'.json'.length);
    try {
      for (const name of readdirSync(dir)) {
        if (name.startsWith(`${stem}.`) && name.endsWith('.journal') && join(dir, name) !== journal) rmSync(join(dir, name), { force: true });
      }
    } catch {
      // no folder yet: nothing written
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(journal);
    } catch {
      return { base: base?.value, changes: [] };
    }
    const changes: unknown[] = [];
    let start = 0;
    let good = 0;
    while (start < bytes.length) {
      const end = bytes.indexOf(0x0a, start);
      const lineEnd = end < 0 ? bytes.length : end;
      const text = decode(bytes.subarray(start, lineEnd));
      let change: unknown;
      try {
        if (end < 0) throw new Error('no end of line (the write was cut short)');
        change = JSON.parse(text);
      } catch (err) {
        this.onWarning(`store: ${journal}: line ${changes.length + 1} at byte ${start}: expected one JSON change per line, found ${lineEnd - start} unreadable bytes (${(err as Error).message}); it and anything after it are dropped (the state is as of the line before)`);
        break;
      }
      changes.push(change);
      start = lineEnd + 1;
      good = start;
    }
    if (good < bytes.length) truncateSync(journal, good);
    this.journalBytes = good;
    return { base: base?.value, changes };
  }

  /** Notes a change to be appended to the journal `delayMs` later (serialised now). */
  append(change: unknown): void {
    if (!this.store.isPersistent || this.closed) return;
    this.pending.push({ line: `${JSON.stringify(change)}\n` });
    this.schedule();
  }

  /**
   * Notes a change whose entry is produced when written; a later call for the same `slot` before
   * then replaces it (a part of the state rewritten whole, such as every alarm).
   */
  appendLatest(slot: string, produce: () => unknown): void {
    if (!this.store.isPersistent || this.closed) return;
    const at = this.pending.findIndex((p) => 'slot' in p && p.slot === slot);
    if (at >= 0) this.pending.splice(at, 1);
    this.pending.push({ slot, produce });
    this.schedule();
  }

  /** Notes a change that is no journal entry: the next write is a whole document. */
  changed(): void {
    if (!this.store.isPersistent || this.closed) return;
    this.whole = true;
    this.schedule();
  }

  /** Writes now whatever is pending. */
  flush(): void {
    if (this.whole || this.pending.length > 0) this.writeNow(false);
  }

  /** Writes a whole document now, changed or not. */
  write(): void {
    this.writeNow(true);
  }

  /** Cancels a pending write; later changes are ignored. Call {@link flush} first to keep them. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.closed = true;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.delayMs);
    this.timer.unref();
  }

  private writeNow(whole: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.store.isPersistent || this.closed) return;
    try {
      if (whole || this.whole || this.journalBytes >= this.compactBytes) {
        const old = this.journalFile(this.generation);
        this.store.write(this.collection, this.key, this.produce(), this.generation + 1);
        this.generation++;
        this.journalBytes = 0;
        this.pending = [];
        this.whole = false;
        rmSync(old, { force: true });
        return;
      }
      const text = this.pending.map((p) => ('line' in p ? p.line : `${JSON.stringify(p.produce())}\n`)).join('');
      const file = this.journalFile(this.generation);
      try {
        appendFileSync(file, text);
      } catch (err) {
        // The folder went away behind the store's back (or was never made): a whole document makes it.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        this.whole = true;
        this.writeNow(true);
        return;
      }
      this.journalBytes += Buffer.byteLength(text);
      this.pending = [];
    } catch (err) {
      this.onError(`store: ${this.collection}/${this.key}: cannot be written (${(err as Error).message}); will retry on the next change`);
    }
  }

  private journalFile(generation: number): string {
    const dir = this.store.folderOf(this.collection)!;
    return join(dir, `${fileName(this.key).slice(0, -'.json'.length)}.${generation}.journal`);
  }
}
