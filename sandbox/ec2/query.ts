import { Ec2Error } from './errors.js';

/**
 * The decoded parameters of one EC2 Query request (`Action=…&Version=…&…`).
 *
 * Keys are the wire names (`ImageId.1`, `Filter.2.Value.1`, `TagSpecification.1.Tag.1.Key`).
 * Lists are flattened and 1-based; an empty list is simply absent.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html
 */
export class QueryParams {
  private readonly map: Map<string, string>;

  constructor(entries: Iterable<[string, string]>) {
    this.map = new Map(entries);
  }

  /** Decodes an `application/x-www-form-urlencoded` body; `+` is read as a space too. */
  static parse(body: string): QueryParams {
    const entries: [string, string][] = [];
    for (const part of body.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const rawKey = eq < 0 ? part : part.slice(0, eq);
      const rawValue = eq < 0 ? '' : part.slice(eq + 1);
      entries.push([decode(rawKey), decode(rawValue)]);
    }
    return new QueryParams(entries);
  }

  /** Every key/value pair, in request order. */
  entries(): [string, string][] {
    return [...this.map.entries()];
  }

  get(name: string): string | undefined {
    return this.map.get(name);
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  /** A required scalar; absent → `MissingParameter`. */
  required(name: string): string {
    const v = this.map.get(name);
    if (v === undefined) {
      throw new Ec2Error('MissingParameter', `The request must contain the parameter ${name}`);
    }
    return v;
  }

  /** A boolean (`true`/`false`); anything else → `InvalidParameterValue`. */
  bool(name: string, fallback = false): boolean {
    const v = this.map.get(name);
    if (v === undefined) return fallback;
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw new Ec2Error('InvalidParameterValue', `Value (${v}) for parameter ${name} is invalid. Expected: 'true' or 'false'.`);
  }

  /** An optional integer; malformed → `InvalidParameterValue`. */
  int(name: string): number | undefined {
    const v = this.map.get(name);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) {
      throw new Ec2Error('InvalidParameterValue', `Value (${v}) for parameter ${name} is invalid. Expected an integer.`);
    }
    return Number(v);
  }

  /** The values of a flattened list `Prefix.1`, `Prefix.2`, … in index order. */
  list(prefix: string): string[] {
    return this.indices(prefix).map((i) => this.map.get(`${prefix}.${i}`)).filter((v): v is string => v !== undefined);
  }

  /** The 1-based indices present under `Prefix.N` (scalar or structure), sorted. */
  indices(prefix: string): number[] {
    const seen = new Set<number>();
    const head = `${prefix}.`;
    for (const key of this.map.keys()) {
      if (!key.startsWith(head)) continue;
      const n = Number(key.slice(head.length).split('.')[0]);
      if (Number.isInteger(n) && n > 0) seen.add(n);
    }
    return [...seen].sort((a, b) => a - b);
  }

  /** The sub-structure of `Prefix` as its own parameter set (`Prefix.Key` → `Key`). */
  sub(prefix: string): QueryParams {
    const head = `${prefix}.`;
    const out: [string, string][] = [];
    for (const [k, v] of this.map) if (k.startsWith(head)) out.push([k.slice(head.length), v]);
    return new QueryParams(out);
  }

  /** Each element of the structure list `Prefix.N.*`. */
  structs(prefix: string): QueryParams[] {
    return this.indices(prefix).map((i) => this.sub(`${prefix}.${i}`));
  }

  get size(): number {
    return this.map.size;
  }
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw new Ec2Error('InvalidParameterValue', `request body: expected percent-encoded form data, found ${JSON.stringify(s)}`);
  }
}

/** An EC2 filter (`Filter.N.Name` with `Filter.N.Value.M`). */
export interface Filter {
  readonly name: string;
  readonly values: readonly string[];
}

/** Reads `Filter.N`. */
export function readFilters(p: QueryParams): Filter[] {
  return p.structs('Filter').map((f) => ({ name: f.get('Name') ?? '', values: f.list('Value') }));
}

/** A tag as EC2 stores it. */
export interface Tag {
  readonly key: string;
  readonly value: string;
}

/** Reads `Tag.N.Key`/`Tag.N.Value` of a parameter set. */
export function readTags(p: QueryParams, prefix = 'Tag'): Tag[] {
  return p.structs(prefix).map((t, i) => {
    const key = t.get('Key');
    if (key === undefined) throw new Ec2Error('MissingParameter', `The request must contain the parameter ${prefix}.${i + 1}.Key`);
    return { key, value: t.get('Value') ?? '' };
  });
}

/** One `TagSpecification.N`: the resource type and its tags. */
export interface TagSpecification {
  readonly resourceType: string;
  readonly tags: Tag[];
}

/**
 * Reads `TagSpecification.N`, rejecting resource types the operation does not accept.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TagSpecification.html
 */
export function readTagSpecifications(p: QueryParams, allowed: readonly string[]): TagSpecification[] {
  return p.structs('TagSpecification').map((s) => {
    const resourceType = s.get('ResourceType');
    if (resourceType === undefined) {
      throw new Ec2Error('MissingParameter', 'The request must contain the parameter TagSpecification.ResourceType');
    }
    if (!allowed.includes(resourceType)) {
      throw new Ec2Error(
        'InvalidParameterValue',
        `'${resourceType}' is not a valid taggable resource type for this operation. Expected one of: ${allowed.join(', ')}.`,
      );
    }
    return { resourceType, tags: readTags(s) };
  });
}
