/**
 * The exact-value index of a region's images and snapshots (sandbox/ec2/record-index.ts): where a
 * Describe call starts must not change its answer. After every kind of change (a record stored,
 * a tag given, changed or deleted, a state moved on, a record deleted) the records the index
 * gives, filtered, equal every record filtered. EC2 filters: values of one filter OR-ed, filters
 * AND-ed, `tag:<key>` matches the key's value exactly, `*`/`?` are wildcards
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html#Filtering).
 */
import { describe, expect, test } from 'vitest';
import { applyFilters, describedRecords } from '../../../sandbox/ec2/filters.js';
import type { Filter } from '../../../sandbox/ec2/query.js';
import { IndexedRecords } from '../../../sandbox/ec2/record-index.js';
import { SeededRandom } from '../../../sandbox/random.js';

interface Rec {
  readonly id: string;
  readonly name: string;
  state: string;
  readonly tags: Map<string, string>;
}

const getters = { name: (r: Rec) => r.name, state: (r: Rec) => r.state, 'image-id': (r: Rec) => r.id };
const ids = (rs: readonly Rec[]) => rs.map((r) => r.id).sort();
const scan = (table: ReadonlyMap<string, Rec>, filters: readonly Filter[]) => ids(applyFilters([...table.values()], filters, getters, (r) => r.tags));
const indexed = (table: IndexedRecords<Rec>, filters: readonly Filter[]) => ids(applyFilters(describedRecords(table, [], filters, 'image-id'), filters, getters, (r) => r.tags));

function table(): IndexedRecords<Rec> {
  return new IndexedRecords<Rec>({ state: (r) => r.state, name: (r) => r.name });
}

function record(id: string, tags: Record<string, string> = {}, state = 'pending'): Rec {
  return { id, name: `n-${id}`, state, tags: new Map(Object.entries(tags)) };
}

describe('sandbox ec2: the exact-value index of images and snapshots', () => {
  test('an exact tag filter starts from the records that have the value, and answers as the scan does', () => {
    const t = table();
    t.set('a', record('a', { run: 'r1', copy: 'queued' }));
    t.set('b', record('b', { run: 'r1' }));
    t.set('c', record('c', { run: 'r2', copy: 'queued' }));
    t.set('d', record('d', { run: 'r1', copy: 'started' }));
    const filters = [
      { name: 'tag:run', values: ['r1'] },
      { name: 'tag:copy', values: ['queued'] },
    ];
    // the smaller posting (copy=queued: a, c) is where the call starts
    expect(ids(t.candidates(filters)!)).toEqual(['a', 'c']);
    expect(indexed(t, filters)).toEqual(['a']);
    expect(indexed(t, filters)).toEqual(scan(t, filters));
  });

  test('a tag deleted or changed in place leaves the answer as the scan gives it, and the stale posting is dropped', () => {
    const t = table();
    t.set('a', record('a', { copy: 'queued' }));
    t.set('b', record('b', { copy: 'queued' }));
    const queued = [{ name: 'tag:copy', values: ['queued'] }];
    t.get('a')!.tags.delete('copy'); // DeleteTags changes the map in place, with no note
    expect(indexed(t, queued)).toEqual(['b']);
    t.get('b')!.tags.set('copy', 'started'); // a value changed: posted under the new value once noted
    t.note('b');
    expect(indexed(t, queued)).toEqual([]);
    expect(indexed(t, [{ name: 'tag:copy', values: ['started'] }])).toEqual(['b']);
    // a then b left `queued`: only b's `started` posting and the state/name ones remain
    expect(t.postingCount).toBe(2 * 2 + 1);
  });

  test('a tag deleted and noted (DeleteTags notes it) leaves its posting at once, so the call starts from the smaller one', () => {
    const t = table();
    for (const id of ['a', 'b', 'c', 'd', 'e']) t.set(id, record(id, { run: 'r1', copy: 'queued' }));
    for (const id of ['a', 'b', 'c', 'd']) {
      t.get(id)!.tags.delete('copy');
      t.note(id);
    }
    // with no lookup of copy=queued in between, its posting is already down to one record
    expect(ids(t.candidates([{ name: 'tag:run', values: ['r1'] }, { name: 'tag:copy', values: ['queued'] }])!)).toEqual(['e']);
    expect(t.postingCount).toBe(5 * 3 + 1);
  });

  test('a tag given back after being deleted is found again once noted (CreateTags notes it)', () => {
    const t = table();
    t.set('a', record('a', { copy: 'queued' }));
    const queued = [{ name: 'tag:copy', values: ['queued'] }];
    t.get('a')!.tags.delete('copy');
    expect(indexed(t, queued)).toEqual([]);
    t.get('a')!.tags.set('copy', 'queued');
    t.note('a');
    expect(indexed(t, queued)).toEqual(['a']);
  });

  test('a state moved on is found under its new state, not its old one', () => {
    const t = table();
    t.set('a', record('a', {}, 'pending'));
    t.set('b', record('b', {}, 'pending'));
    t.get('a')!.state = 'available';
    t.note('a');
    expect(indexed(t, [{ name: 'state', values: ['pending'] }])).toEqual(['b']);
    expect(indexed(t, [{ name: 'state', values: ['available'] }])).toEqual(['a']);
    expect(indexed(t, [{ name: 'state', values: ['available', 'pending'] }])).toEqual(['a', 'b']);
  });

  test('deleting a record removes every posting of it; clear() empties the index', () => {
    const t = table();
    t.set('a', record('a', { x: '1', y: '2' }));
    t.set('b', record('b', { x: '1' }));
    expect(t.postingCount).toBe(2 + 2 + 2 + 1);
    t.delete('a');
    expect(t.postingCount).toBe(2 + 1);
    expect(indexed(t, [{ name: 'tag:x', values: ['1'] }])).toEqual(['b']);
    t.clear();
    expect(t.postingCount).toBe(0);
    expect(t.candidates([{ name: 'tag:x', values: ['1'] }])).toEqual([]);
  });

  test('wildcards, tag-key, tag-value and unindexed filters start from every record', () => {
    const t = table();
    t.set('a', record('a', { x: '1' }));
    t.set('b', record('b', { x: '12' }));
    expect(t.candidates([{ name: 'tag:x', values: ['1*'] }])).toBeUndefined();
    expect(t.candidates([{ name: 'tag-key', values: ['x'] }])).toBeUndefined();
    expect(t.candidates([{ name: 'image-id', values: ['a'] }])).toBeUndefined();
    expect(indexed(t, [{ name: 'tag:x', values: ['1*'] }])).toEqual(['a', 'b']);
    // one indexed exact filter is enough, whatever else the call filters on
    expect(indexed(t, [{ name: 'tag:x', values: ['1?'] }, { name: 'name', values: ['n-b'] }])).toEqual(['b']);
  });

  test('the name lookup (CreateImage/CopyImage name check) finds exactly the records of that name', () => {
    const t = table();
    t.set('a', record('a'));
    t.set('b', record('b'));
    expect(ids(t.matching('name', ['n-b']))).toEqual(['b']);
    t.delete('b');
    expect(t.matching('name', ['n-b'])).toEqual([]);
  });

  test('random changes: every filter answers as the scan does, at every step', () => {
    const random = new SeededRandom(3);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random.float() * xs.length)]!;
    const keys = ['run', 'copy', 'role', 'plan'];
    const values = ['v1', 'v2', 'queued', ''];
    const states = ['pending', 'available', 'failed'];
    const t = table();
    let next = 0;
    for (let step = 0; step < 600; step++) {
      const existing = [...t.keys()];
      const op = existing.length === 0 ? 0 : Math.floor(random.float() * 6);
      if (op === 0) {
        const tags = Object.fromEntries(keys.filter(() => random.float() < 0.6).map((k) => [k, pick(values)]));
        const id = `r${next++}`;
        t.set(id, record(id, tags, pick(states)));
      } else if (op === 1) {
        const id = pick(existing);
        t.get(id)!.tags.set(pick(keys), pick(values));
        t.note(id);
      } else if (op === 2) {
        const id = pick(existing);
        t.get(id)!.tags.delete(pick(keys));
        if (random.float() < 0.5) t.note(id);
      } else if (op === 3) {
        const id = pick(existing);
        t.get(id)!.state = pick(states);
        t.note(id);
      } else if (op === 4) {
        t.delete(pick(existing));
      } else {
        const id = pick(existing);
        t.get(id)!.tags.clear(); // DeleteTags without tags: every user tag
      }
      const filters: Filter[] = [{ name: `tag:${pick(keys)}`, values: [pick(values)] }];
      if (random.float() < 0.5) filters.push({ name: 'state', values: random.float() < 0.5 ? [pick(states)] : [pick(states), pick(states)] });
      if (random.float() < 0.3) filters.push({ name: `tag:${pick(keys)}`, values: [pick(values), pick(values)] });
      expect(indexed(t, filters), `step ${step}: ${JSON.stringify(filters)}`).toEqual(scan(t, filters));
    }
    // once every record is noted, the postings are exact: name, state and each tag of each record
    for (const id of t.keys()) t.note(id);
    expect(t.postingCount).toBe([...t.values()].reduce((sum, r) => sum + 2 + r.tags.size, 0));
    // nothing is left behind by the records deleted along the way
    for (const id of [...t.keys()]) t.delete(id);
    expect(t.postingCount).toBe(0);
  });
});
