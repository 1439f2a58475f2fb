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
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

interface Envelope {
  readonly key: string;
  readonly value: unknown;
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

  /** Writes (or replaces) one document, atomically. */
  write(collection: string, key: string, value: unknown): void {
    const dir = this.folder(collection);
    if (!dir) return;
    if (!this.folders.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.folders.add(dir);
    }
    const name = fileName(key);
    const temp = join(dir, `.${name}.${process.pid}.${++tempCounter}.tmp`);
    const text = JSON.stringify({ key, value } satisfies Envelope);
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
