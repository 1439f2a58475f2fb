/**
 * The events of one execution's history, kept compactly once the execution has closed.
 *
 * A running execution appends plain event objects. A closed one only answers reads (and a redrive,
 * which appends again), so its events are packed into one compressed buffer outside the JavaScript
 * heap: a large run leaves thousands of closed child executions, each with hundreds of events
 * carrying payload texts, and holding them as live objects made every full garbage collection walk
 * them again for the rest of the run. Reading a packed history unpacks it (and keeps the unpacked
 * events only while something still uses them); a redrive unpacks it for good. Readers see exactly
 * the events that were appended, in order, with the same fields and values.
 */
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { deserialize, serialize } from 'node:v8';
import type { HistoryEvent } from './types.js';

/** Histories shorter than this stay as they are: packing them would save little. */
const PACK_FROM_EVENTS = 64;

/** Quality 1 of Brotli: about as fast as the serialization itself and 15-30x smaller on histories. */
const BROTLI_OPTIONS = { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } };

export class History {
  /** The events while they are open to appends (running, or unpacked for a redrive). */
  private open: HistoryEvent[] | undefined = [];
  /** The closed history, packed (v8 serialization, Brotli). */
  private packed?: Buffer;
  /** The packed history's events as last unpacked (or as they were when packed), while still in use elsewhere. */
  private unpacked?: WeakRef<HistoryEvent[]>;
  private count = 0;

  /**
   * @param options.keepWhenPacked keep the events just packed while something still uses them
   *   (default true; false makes every read after packing unpack, as after a garbage collection).
   */
  constructor(private readonly options: { readonly keepWhenPacked?: boolean } = {}) {}

  get length(): number {
    return this.count;
  }

  /** Every event, in order. The array must not be changed: append with {@link push}. */
  all(): readonly HistoryEvent[] {
    if (this.open !== undefined) return this.open;
    const kept = this.unpacked?.deref();
    if (kept !== undefined) return kept;
    const events = deserialize(brotliDecompressSync(this.packed!)) as HistoryEvent[];
    this.unpacked = new WeakRef(events);
    return events;
  }

  push(event: HistoryEvent): void {
    if (this.open === undefined) {
      // A redrive: the history grows again, so it stays unpacked until it closes again.
      this.open = this.all() as HistoryEvent[];
      this.packed = undefined;
      this.unpacked = undefined;
    }
    this.open.push(event);
    this.count = this.open.length;
  }

  /** Packs the history (the execution has closed); appending later unpacks it again. */
  pack(): void {
    if (this.open === undefined || this.open.length < PACK_FROM_EVENTS) return;
    this.packed = brotliCompressSync(serialize(this.open), BROTLI_OPTIONS);
    // Whoever just read the events (the close's own write, a waiting reader) keeps them until done.
    if (this.options.keepWhenPacked !== false) this.unpacked = new WeakRef(this.open);
    this.open = undefined;
  }
}
