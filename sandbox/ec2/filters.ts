import { Ec2Error } from './errors.js';
import { wildcard } from './faults.js';
import type { Filter } from './query.js';
import type { Tags } from './model.js';

/** How to read one filter's candidate values from a record. */
export type FilterGetters<T> = Readonly<Record<string, (item: T) => readonly (string | undefined)[] | string | undefined>>;

/**
 * Applies EC2 filters: values of one filter are OR-ed, filters are AND-ed, `*` and `?` are
 * wildcards, `tag:<key>` and `tag-key` work on every taggable record. An unknown filter name is
 * `InvalidParameterValue`, as on AWS.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html#Filtering
 */
export function applyFilters<T>(items: readonly T[], filters: readonly Filter[], getters: FilterGetters<T>, tagsOf?: (item: T) => Tags): T[] {
  const compiled = filters.map((f) => {
    if (f.name.startsWith('tag:') && tagsOf) {
      const key = f.name.slice(4);
      const matches = valueMatcher(f.values);
      return (item: T) => {
        const v = tagsOf(item).get(key);
        return v !== undefined && matches(v);
      };
    }
    if (f.name === 'tag-key' && tagsOf) {
      const matches = valueMatcher(f.values);
      return (item: T) => [...tagsOf(item).keys()].some(matches);
    }
    if (f.name === 'tag-value' && tagsOf) {
      const matches = valueMatcher(f.values);
      return (item: T) => [...tagsOf(item).values()].some(matches);
    }
    // Only the table's own keys: a filter named `constructor` or `__proto__` is unknown.
    const get = Object.hasOwn(getters, f.name) ? getters[f.name] : undefined;
    if (!get) throw new Ec2Error('InvalidParameterValue', `The filter '${f.name}' is invalid`);
    const matches = valueMatcher(f.values);
    return (item: T) => {
      const raw = get(item);
      const vals = Array.isArray(raw) ? raw : [raw];
      return vals.some((v) => v !== undefined && matches(v));
    };
  });
  return items.filter((item) => compiled.every((m) => m(item)));
}

/**
 * Whether a string matches any of a filter's values. Values without `*` or `?` match only
 * themselves, so they are looked up in a set: a filter of 200 ids over thousands of records costs
 * one lookup per record, not 200 pattern tests.
 */
function valueMatcher(values: readonly string[]): (v: string) => boolean {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const value of values) {
    if (value.includes('*') || value.includes('?')) patterns.push(wildcard(value));
    else exact.add(value);
  }
  return (v) => exact.has(v) || patterns.some((r) => r.test(v));
}

/**
 * One page of `items` (already in a stable order) after the item whose key is in `nextToken`.
 * `MaxResults` must be 5–1000 where AWS says so; the token is opaque base64.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html#api-pagination
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  maxResults: number | undefined,
  nextToken: string | undefined,
  range: { min: number; max: number } = { min: 5, max: 1000 },
): { page: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined && nextToken !== '') {
    let after: string;
    try {
      const parsed = JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8')) as { after?: unknown };
      if (typeof parsed.after !== 'string') throw new Error('no key');
      after = parsed.after;
    } catch {
      throw new Ec2Error('InvalidParameterValue', `The parameter NextToken is not valid: ${JSON.stringify(nextToken)}`);
    }
    start = items.findIndex((i) => keyOf(i) > after);
    if (start < 0) start = items.length;
  }
  if (maxResults === undefined) return { page: items.slice(start) };
  if (maxResults < range.min || maxResults > range.max) {
    throw new Ec2Error('InvalidParameterValue', `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between ${range.min} and ${range.max}.`);
  }
  const page = items.slice(start, start + maxResults);
  const hasMore = start + maxResults < items.length;
  return {
    page,
    nextToken: hasMore ? Buffer.from(JSON.stringify({ after: keyOf(page[page.length - 1]!) }), 'utf8').toString('base64url') : undefined,
  };
}

/**
 * The records a Describe call starts from: the ones named by ids (`ids`, all known to exist), or
 * those an exact filter on the id (`idFilterName`, values without wildcards) names, read by key;
 * else, when `all` is indexed (record-index.ts), those of its indexed exact filter with the fewest
 * records (`tag:<key>`, `state`, ...); otherwise every record. The same answer as scanning every
 * record once the caller has applied all the filters, but a call that names its resources, or
 * filters on a value few records have, does work in proportion to them, not to the region (a large
 * run polls by id and by tag).
 */
export function describedRecords<T>(all: ReadonlyMap<string, T> & { readonly candidates?: (filters: readonly Filter[]) => T[] | undefined }, ids: readonly string[], filters: readonly Filter[], idFilterName: string): T[] {
  const named = ids.length > 0 ? ids : filters.find((f) => f.name === idFilterName && f.values.every((v) => !v.includes('*') && !v.includes('?')))?.values;
  if (named === undefined) {
    return all.candidates?.(filters) ?? [...all.values()];
  }
  return [...new Set(named)].flatMap((id) => {
    const record = all.get(id);
    return record === undefined ? [] : [record];
  });
}

/** Sorts by a string key (ids), giving the stable order pagination relies on. */
export function byKey<T>(items: Iterable<T>, keyOf: (item: T) => string): T[] {
  return [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}
