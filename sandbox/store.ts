/**
 * The sandbox's persistence: JSON documents in collections under a data directory, one file per
 * document, each written atomically (a temporary file in the same folder, then a rename), so a
 * crash leaves either the old document or the new one, never half of one.
 *
 * Without a data directory the store keeps nothing (every read misses), and the sandbox runs in
 * memory only.
 */
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
    mkdirSync(dir, { recursive: true });
    const file = join(dir, fileName(key));
    const temp = join(dir, `.${fileName(key)}.${process.pid}.${++tempCounter}.tmp`);
    const envelope: Envelope = { key, value };
    writeFileSync(temp, JSON.stringify(envelope));
    renameSync(temp, file);
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
      text = readFileSync(file, 'utf8');
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

/** A file name for a key: a readable prefix (for people looking at the folder) plus a hash (for uniqueness). */
function fileName(key: string): string {
  const tail = key.split(/[:/]/).pop() ?? '';
  const readable = tail.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60);
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return `${readable}-${hash}.json`;
}
