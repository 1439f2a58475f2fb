/**
 * The sandbox's persistence: JSON documents in collections under a data directory, one file per
 * document, reached through a write-ahead journal.
 *
 * Every change (a document written or deleted, a collection cleared) is first appended as one line
 * to `<dataDir>/store.journal`, synchronously, before the call returns; the document files are
 * brought up to date later, all at once (compaction: when the journal passes `compactBytes`, when
 * the store is closed, and when a store opens a data directory whose journal holds lines). So a
 * change costs one append, not a file written and renamed, and a document changed many times
 * between compactions reaches its file once. Reads see the journal's changes first.
 *
 * What survives: every call that returned, across a kill of the process (SIGKILL included): the
 * appended bytes are in the operating system's cache. There is no fsync, so a crash of the machine
 * itself (power loss) can lose recent changes, as before the journal. A kill during an append can
 * leave a last line cut short: the next open drops it with a warning (the change it was writing had
 * not returned) and never fails over it. A kill during compaction leaves the journal in place, and
 * the next open writes the same files again.
 *
 * Without a data directory the store keeps nothing (every read misses), and the sandbox runs in
 * memory only.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Options of {@link Store}. */
export interface StoreOptions {
  /**
   * The folder to keep documents in; created when missing.
   * @default undefined (in memory: nothing persists)
   */
  readonly dataDir?: string;
  /** Told about a document or journal line that could not be read back (it is skipped, never fatal). */
  readonly onWarning?: (message: string) => void;
  /**
   * Once the journal holds this many bytes, the documents it changed are written to their files and
   * it starts again empty.
   * @default 16 MiB
   */
  readonly compactBytes?: number;
  /**
   * Once this many documents wait in the journal for their files, they are written out too: the
   * store keeps each one's text in memory until then, and a bound on their number keeps memory flat
   * over many small documents (executions).
   * @default 256
   */
  readonly compactDocuments?: number;
}

/** A document as stored: its key, its value and, for a {@link JournaledDocument}'s base, its journal generation. */
export interface Envelope {
  readonly key: string;
  readonly value: unknown;
  /** The journal generation a {@link JournaledDocument}'s base starts (absent for plain documents). */
  readonly generation?: number;
}

/**
 * One line of the store's journal: a header (JSON array), then for a write a tab and the document's
 * text. JSON text holds no raw tab or newline, so neither can be confused with the separators.
 */
type JournalHeader = ['put', string, string] | ['delete', string, string] | ['clear', string];

const COLLECTION_RE = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/;

/** The journal's file name under the data directory. */
export const STORE_JOURNAL = 'store.journal';

/**
 * A keyed document store, one JSON file per document, written through a journal.
 *
 * @example
 * const store = new Store({ dataDir: 'sandbox-data' });
 * store.write('sfn/executions', arn, snapshot);
 * store.list('sfn/executions'); // [{ key: arn, value: snapshot }]
 * store.close();                // documents in their files, journal empty
 */
export class Store {
  /** The absolute data directory, or undefined when the store keeps nothing. */
  readonly dataDir?: string;
  private readonly onWarning: (message: string) => void;
  private readonly compactBytes: number;
  private readonly compactDocuments: number;
  /** How many documents {@link pending} holds. */
  private pendingCount = 0;
  /** Folders this store has created (or found), so a write does not ask for them again each time. */
  private readonly folders = new Set<string>();
  /** Changes in the journal not yet in their files: folder → file name → text (null: deleted). */
  private readonly pending = new Map<string, Map<string, string | null>>();
  private journalFd: number | undefined;
  private journalBytes = 0;

  constructor(options: StoreOptions = {}) {
    this.dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
    this.onWarning = options.onWarning ?? (() => {});
    this.compactBytes = options.compactBytes ?? 16 * 1024 * 1024;
    if (!(this.compactBytes >= 0)) throw new RangeError(`store: compactBytes: expected a number of bytes ≥ 0, found ${JSON.stringify(options.compactBytes)}`);
    this.compactDocuments = options.compactDocuments ?? 256;
    if (!(this.compactDocuments >= 1)) throw new RangeError(`store: compactDocuments: expected a number ≥ 1, found ${JSON.stringify(options.compactDocuments)}`);
    if (this.dataDir) {
      mkdirSync(this.dataDir, { recursive: true });
      this.recover();
    }
  }

  /** True when documents persist on disk. */
  get isPersistent(): boolean {
    return this.dataDir !== undefined;
  }

  /** Writes (or replaces) one document (`generation`: a {@link JournaledDocument}'s base). */
  write(collection: string, key: string, value: unknown, generation?: number): void {
    const dir = this.folder(collection);
    if (!dir) return;
    // The folder exists as soon as a document is written, as it did when files were written at once.
    // One that went away behind the store's back took its documents with it: forget them too.
    if (mkdirSync(dir, { recursive: true }) !== undefined) {
      for (const known of [...this.pending.keys()]) if (known === dir || known.startsWith(`${dir}/`)) this.pending.delete(known);
      this.countPending();
    }
    this.folders.add(dir);
    const name = fileName(key);
    const text = JSON.stringify((generation === undefined ? { key, value } : { key, generation, value }) satisfies Envelope);
    this.append(['put', collection, name], text);
    this.note(dir, name, text);
  }

  /** Reads one document, or undefined when it is absent or unreadable. */
  read<T>(collection: string, key: string): T | undefined {
    const envelope = this.readEnvelope(collection, key);
    return envelope && envelope.key === key ? (envelope.value as T) : undefined;
  }

  /** One document's envelope (key, value, generation), or undefined when absent or unreadable. */
  readEnvelope(collection: string, key: string): Envelope | undefined {
    const dir = this.folder(collection);
    if (!dir) return undefined;
    const name = fileName(key);
    const pending = this.pending.get(dir)?.get(name);
    if (pending === null) return undefined;
    const file = join(dir, name);
    return pending !== undefined ? this.parse(pending, file) : this.readFile(file);
  }

  /** The folder of a collection, or undefined without a data directory. */
  folderOf(collection: string): string | undefined {
    return this.folder(collection);
  }

  /** Every readable document of a collection, in file-name order (callers sort as they need). */
  list<T>(collection: string): Array<{ key: string; value: T }> {
    const dir = this.folder(collection);
    if (!dir) return [];
    const names = new Set<string>();
    try {
      for (const name of readdirSync(dir)) names.add(name);
    } catch {
      // no folder: only what the journal holds
    }
    const pending = this.pending.get(dir);
    for (const name of pending?.keys() ?? []) names.add(name);
    const out: Array<{ key: string; value: T }> = [];
    for (const name of [...names].sort()) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const text = pending?.get(name);
      if (text === null) continue;
      const file = join(dir, name);
      const envelope = text !== undefined ? this.parse(text, file) : this.readFile(file);
      if (envelope) out.push({ key: envelope.key, value: envelope.value as T });
    }
    return out;
  }

  /** Deletes one document; a no-op when absent. */
  delete(collection: string, key: string): void {
    const dir = this.folder(collection);
    if (!dir) return;
    const name = fileName(key);
    this.append(['delete', collection, name]);
    this.note(dir, name, null);
  }

  /** Deletes a whole collection (at once: its folder is removed now). */
  clear(collection: string): void {
    const dir = this.folder(collection);
    if (!dir) return;
    this.append(['clear', collection]);
    this.dropFolder(dir);
  }

  /** Writes every change the journal holds to its file now, and empties the journal. */
  compact(): void {
    if (!this.dataDir) return;
    this.writeOut(this.pending);
    this.pendingCount = 0;
    if (this.journalFd !== undefined) ftruncateSync(this.journalFd, 0);
    else truncateJournal(join(this.dataDir, STORE_JOURNAL));
    this.journalBytes = 0;
  }

  /** Compacts, and lets go of the journal file. Later writes open it again. */
  close(): void {
    if (!this.dataDir) return;
    this.compact();
    if (this.journalFd !== undefined) closeSync(this.journalFd);
    this.journalFd = undefined;
  }

  private folder(collection: string): string | undefined {
    if (!COLLECTION_RE.test(collection)) {
      throw new RangeError(`store: collection name ${JSON.stringify(collection)}: expected kebab-case segments separated by '/'`);
    }
    return this.dataDir ? join(this.dataDir, collection) : undefined;
  }

  private ensureFolder(dir: string): void {
    if (this.folders.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.folders.add(dir);
  }

  private dropFolder(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
    for (const known of [...this.folders]) if (known === dir || known.startsWith(`${dir}/`)) this.folders.delete(known);
    for (const known of [...this.pending.keys()]) if (known === dir || known.startsWith(`${dir}/`)) this.pending.delete(known);
    this.countPending();
  }

  private countPending(): void {
    this.pendingCount = 0;
    for (const inDir of this.pending.values()) this.pendingCount += inDir.size;
  }

  private note(dir: string, name: string, text: string | null): void {
    let inDir = this.pending.get(dir);
    if (!inDir) {
      inDir = new Map();
      this.pending.set(dir, inDir);
    }
    if (!inDir.has(name)) this.pendingCount++;
    inDir.set(name, text);
    if (this.journalBytes >= this.compactBytes || this.pendingCount >= this.compactDocuments) this.compact();
  }

  /** Appends one line to the journal, whole, before returning. */
  private append(header: JournalHeader, text?: string): void {
    const line = text === undefined ? `${JSON.stringify(header)}\n` : `${JSON.stringify(header)}\t${text}\n`;
    if (this.journalFd === undefined) this.journalFd = openSync(join(this.dataDir!, STORE_JOURNAL), 'a');
    this.journalBytes += appendWhole(this.journalFd, line);
  }

  /** Reads the journal a previous store left (a kill, or a store never closed) and writes it out. */
  private recover(): void {
    const journal = join(this.dataDir!, STORE_JOURNAL);
    let bytes: Buffer;
    try {
      bytes = readFileSync(journal);
    } catch {
      return;
    }
    if (bytes.length === 0) return;
    const changes = new Map<string, Map<string, string | null>>();
    let start = 0;
    let lineNo = 0;
    while (start < bytes.length) {
      lineNo++;
      const end = bytes.indexOf(0x0a, start);
      try {
        if (end < 0) throw new Error('no end of line: the write was cut short');
        const line = decode(bytes.subarray(start, end));
        const tab = line.indexOf('\t');
        const header = JSON.parse(tab < 0 ? line : line.slice(0, tab)) as JournalHeader;
        const dir = Array.isArray(header) && typeof header[1] === 'string' ? this.folder(header[1])! : undefined;
        if (header[0] === 'put' && dir && typeof header[2] === 'string' && tab >= 0) {
          const text = line.slice(tab + 1);
          JSON.parse(text);
          let inDir = changes.get(dir);
          if (!inDir) changes.set(dir, (inDir = new Map()));
          inDir.set(header[2], text);
        } else if (header[0] === 'delete' && dir && typeof header[2] === 'string') {
          let inDir = changes.get(dir);
          if (!inDir) changes.set(dir, (inDir = new Map()));
          inDir.set(header[2], null);
        } else if (header[0] === 'clear' && dir) {
          rmSync(dir, { recursive: true, force: true });
          for (const known of [...changes.keys()]) if (known === dir || known.startsWith(`${dir}/`)) changes.delete(known);
        } else {
          throw new Error(`expected ["put", collection, file] + tab + document, ["delete", collection, file] or ["clear", collection], found ${line.slice(0, 80)}`);
        }
      } catch (err) {
        this.onWarning(`store: ${journal}: line ${lineNo} (byte ${start}): unreadable (${(err as Error).message}); it and any line after it are dropped, the documents are as of the line before`);
        break;
      }
      start = end + 1;
    }
    this.writeOut(changes);
    truncateJournal(journal);
  }

  /** Writes changes to their files (straight over them: the journal still holds them until emptied). */
  private writeOut(changes: Map<string, Map<string, string | null>>): void {
    for (const [dir, inDir] of changes) {
      for (const [name, text] of inDir) {
        const file = join(dir, name);
        if (text === null) {
          rmSync(file, { force: true });
          continue;
        }
        this.ensureFolder(dir);
        try {
          writeFileSync(file, text);
        } catch (err) {
          // The folder went away behind the store's back: make it again, once.
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
          this.folders.delete(dir);
          this.ensureFolder(dir);
          writeFileSync(file, text);
        }
      }
    }
    changes.clear();
  }

  private readFile(file: string): Envelope | undefined {
    let text: string;
    try {
      text = decode(readFileSync(file));
    } catch {
      return undefined;
    }
    return this.parse(text, file);
  }

  private parse(text: string, file: string): Envelope | undefined {
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

/** Empties a journal file in place (never unlinks it: another store in this process may hold it open). */
function truncateJournal(file: string): void {
  try {
    truncateSync(file, 0);
  } catch {
    // no journal
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

/** An option that must be a number ≥ 0 (`fallback` when absent); anything else is a RangeError naming it. */
function nonNegative(value: number | undefined, fallback: number, where: string): number {
  const n = value ?? fallback;
  if (!(n >= 0)) throw new RangeError(`store: ${where}: expected a number ≥ 0, found ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`);
  return n;
}

/**
 * One document whose content is produced on demand (a service's whole state), written to a
 * {@link Store} at most every `delayMs` after changes, and at once on {@link flush}. Writes are
 * whole lines of the store's journal, so a kill leaves the previous or the next version.
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
    this.delayMs = nonNegative(options.delayMs, 250, `${collection}/${key} › delayMs`);
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
 * Appends text to a file, whole, before returning (a short write is continued), and returns its
 * length in bytes. The string is handed to the write as is, without a Buffer copy of its own.
 */
function appendWhole(fd: number, text: string): number {
  const written = writeSync(fd, text);
  const total = written === text.length ? written : Buffer.byteLength(text, 'utf8');
  if (written < total) {
    const bytes = Buffer.from(text, 'utf8');
    let done = written;
    while (done < total) done += writeSync(fd, bytes, done, total - done);
  }
  return total;
}

/**
 * One service's whole state written as a base document plus an append-only journal of the changes
 * made since, so a service whose state grows (metrics through a week) does not rewrite all of it at
 * every change. On disk, under the store's collection folder:
 *
 * - `<name>.json`: the base document (through the store's journal, in its envelope), carrying the number of its
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
  /** The last entry written for each `appendLatest` slot, so an unchanged one is not written again. */
  private readonly lastOfSlot = new Map<string, string>();
  private journalFd: number | undefined;
  private journalFdFile: string | undefined;
  /** The journal file of a generation, worked out once (its name hashes the key). */
  private journalPath: { readonly generation: number; readonly file: string } | undefined;
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
    this.delayMs = nonNegative(options.delayMs, 250, `${collection}/${key} › delayMs`);
    this.compactBytes = nonNegative(options.compactBytes, 4 * 1024 * 1024, `${collection}/${key} › compactBytes`);
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
    this.closeJournal();
  }

  private closeJournal(): void {
    if (this.journalFd !== undefined) closeSync(this.journalFd);
    this.journalFd = undefined;
    this.journalFdFile = undefined;
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
        this.lastOfSlot.clear();
        this.closeJournal();
        rmSync(old, { force: true });
        return;
      }
      let text = '';
      for (const p of this.pending) {
        if ('line' in p) {
          text += p.line;
          continue;
        }
        const line = `${JSON.stringify(p.produce())}\n`;
        if (this.lastOfSlot.get(p.slot) === line) continue;
        this.lastOfSlot.set(p.slot, line);
        text += line;
      }
      this.pending = [];
      if (text === '') return;
      const file = this.journalFile(this.generation);
      if (this.journalFdFile !== file) {
        this.closeJournal();
        mkdirSync(dirname(file), { recursive: true });
        this.journalFd = openSync(file, 'a');
        this.journalFdFile = file;
      }
      this.journalBytes += appendWhole(this.journalFd!, text);
    } catch (err) {
      this.onError(`store: ${this.collection}/${this.key}: cannot be written (${(err as Error).message}); will retry on the next change`);
    }
  }

  private journalFile(generation: number): string {
    if (this.journalPath?.generation !== generation) {
      const dir = this.store.folderOf(this.collection)!;
      this.journalPath = { generation, file: join(dir, `${fileName(this.key).slice(0, -'.json'.length)}.${generation}.journal`) };
    }
    return this.journalPath.file;
  }
}
