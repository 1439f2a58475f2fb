/**
 * A region's records of one kind (images, snapshots) by id, with an index of exact values, so
 * that a Describe call whose filters name an exact value (`tag:<key>`, `state`, `name`, ...)
 * starts from the records that have it rather than from every record of the region.
 *
 * The index only narrows where a call starts: the call still applies every filter to what it gets
 * (`applyFilters`), sorts by id and paginates, exactly as over the whole region. So the index must
 * never miss a record that has a value (it is a superset); a record that no longer has it (a tag
 * deleted or changed, a state moved on, a record deleted) is dropped from that value's list when a
 * lookup meets it, or when the record is deleted.
 *
 * Values are posted when a record is stored (`set`: created, copied, restored from disk), and
 * {@link IndexedRecords.note} brings them up to date after anything that changes an existing
 * record's indexed values in place: CreateTags, DeleteTags, a state transition. A posting that is
 * stale all the same is dropped when a lookup meets it. Postings must be exact, not merely a
 * superset, for the call to start from the smallest one: a tag every record once had
 * (`copy=queued`) would otherwise keep a posting the size of the region.
 */
import type { Filter } from './query.js';
import type { Tags } from './model.js';

/** How to read an indexed field's value from a record (the same reading its Describe filter uses). */
export type IndexedFields<T> = Readonly<Record<string, (record: T) => string | undefined>>;

const SEPARATOR = '\u0000';

/** True when a filter value is matched only by itself (no `*` or `?` wildcard). */
function isExact(value: string): boolean {
  return !value.includes('*') && !value.includes('?');
}

/** The records posted under one key. */
interface Posting {
  readonly key: string;
  readonly ids: Set<string>;
}

export class IndexedRecords<T extends { readonly tags: Tags }> extends Map<string, T> {
  /**
   * `<filter name>\0<value>` → ids of records that have (or had, until a lookup meets them) that
   * value, with the key itself: every record posted under it refers to this one string (a tag all
   * of a run's records carry is kept once, not once per record).
   */
  private readonly postings = new Map<string, Posting>();
  /** id → the postings it is in, so that deleting a record leaves nothing behind. */
  private readonly postedUnder = new Map<string, Set<string>>();

  /**
   * @param fields the indexed filter names besides `tag:<key>` (which every record has), each
   *   with the same reading of the record as its Describe filter.
   */
  constructor(private readonly fields: IndexedFields<T>) {
    super();
  }

  override set(id: string, record: T): this {
    super.set(id, record);
    // A Map's constructor calls set() before the fields of a subclass exist; this one starts empty.
    if (this.postings !== undefined) this.note(id);
    return this;
  }

  override delete(id: string): boolean {
    this.unpostAll(id);
    return super.delete(id);
  }

  override clear(): void {
    this.postings.clear();
    this.postedUnder.clear();
    super.clear();
  }

  /**
   * Brings record `id`'s postings up to date after a change in place (a tag given or deleted, a
   * state moved on): posts its current values and drops those it no longer has.
   */
  note(id: string): void {
    const record = this.get(id);
    if (record === undefined) return;
    const current = new Set<string>();
    for (const [name, read] of Object.entries(this.fields)) {
      const value = read(record);
      if (value !== undefined) current.add(`${name}${SEPARATOR}${value}`);
    }
    for (const [key, value] of record.tags) current.add(`tag:${key}${SEPARATOR}${value}`);
    for (const key of [...(this.postedUnder.get(id) ?? [])]) if (!current.has(key)) this.unpost(key, id);
    for (const key of current) this.post(key, id);
  }

  /** Whether `name` is a filter this index can answer (`tag:<key>` or an indexed field). */
  isIndexed(name: string): boolean {
    return name.startsWith('tag:') || Object.hasOwn(this.fields, name);
  }

  /** The records whose current value for filter `name` is exactly one of `values` (in no particular order). */
  matching(name: string, values: readonly string[]): T[] {
    const out: T[] = [];
    const seen = new Set<string>();
    for (const value of values) {
      const key = `${name}${SEPARATOR}${value}`;
      const ids = this.postings.get(key)?.ids;
      if (ids === undefined) continue;
      for (const id of ids) {
        const record = this.get(id);
        if (record === undefined || this.currentValue(record, name) !== value) {
          this.unpost(key, id);
          continue;
        }
        if (!seen.has(id)) {
          seen.add(id);
          out.push(record);
        }
      }
    }
    return out;
  }

  /**
   * The records a Describe call with `filters` can start from: those of its indexed filter of
   * exact values (no wildcard) with the fewest postings, or undefined when no filter is indexed.
   * Every record that passes all `filters` is among them (filters are AND-ed, so passing all means
   * passing that one); the caller still applies every filter.
   */
  candidates(filters: readonly Filter[]): T[] | undefined {
    let best: Filter | undefined;
    let bestSize = Infinity;
    for (const f of filters) {
      if (!this.isIndexed(f.name) || !f.values.every(isExact)) continue;
      const size = f.values.reduce((sum, v) => sum + (this.postings.get(`${f.name}${SEPARATOR}${v}`)?.ids.size ?? 0), 0);
      if (size < bestSize) {
        best = f;
        bestSize = size;
      }
    }
    return best === undefined ? undefined : this.matching(best.name, best.values);
  }

  /** How many postings the index holds (for tests: deleted records leave none). */
  get postingCount(): number {
    let n = 0;
    for (const posting of this.postings.values()) n += posting.ids.size;
    return n;
  }

  private currentValue(record: T, name: string): string | undefined {
    if (name.startsWith('tag:')) return record.tags.get(name.slice(4));
    return this.fields[name]!(record);
  }

  private post(key: string, id: string): void {
    let posting = this.postings.get(key);
    if (posting === undefined) this.postings.set(key, (posting = { key, ids: new Set() }));
    posting.ids.add(id);
    let keys = this.postedUnder.get(id);
    if (keys === undefined) this.postedUnder.set(id, (keys = new Set()));
    keys.add(posting.key);
  }

  private unpost(key: string, id: string): void {
    const ids = this.postings.get(key)?.ids;
    ids?.delete(id);
    if (ids?.size === 0) this.postings.delete(key);
    const keys = this.postedUnder.get(id);
    keys?.delete(key);
    if (keys?.size === 0) this.postedUnder.delete(id);
  }

  private unpostAll(id: string): void {
    for (const key of this.postedUnder.get(id) ?? []) {
      const ids = this.postings.get(key)?.ids;
      ids?.delete(id);
      if (ids?.size === 0) this.postings.delete(key);
    }
    this.postedUnder.delete(id);
  }
}
