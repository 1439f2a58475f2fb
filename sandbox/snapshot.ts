/**
 * The check every service's snapshot document gets before it is restored (`restore(value)`): a
 * JSON object of the service's snapshot version, whose list members are arrays. What the members
 * hold is each service's own check.
 */

/**
 * `value` as a snapshot document of `version` whose `arrays` members are arrays.
 *
 * @throws TypeError naming `where` and the member, with what was expected and what was found
 * @example const v = checkedSnapshot<SnsSnapshot>(value, 'sns snapshot', SNS_SNAPSHOT_VERSION, ['topics', 'messages']);
 */
export function checkedSnapshot<T extends { readonly version: number }>(value: unknown, where: string, version: T['version'], arrays: readonly (keyof T & string)[] = []): Partial<T> {
  const v = value as Partial<T> | null;
  if (typeof v !== 'object' || v === null) throw new TypeError(`${where}: expected a JSON object, found ${JSON.stringify(value)?.slice(0, 100)}`);
  if (v.version !== version) throw new TypeError(`${where} › version: expected ${version}, found ${JSON.stringify(v.version)}`);
  for (const member of arrays) {
    if (!Array.isArray(v[member])) throw new TypeError(`${where} › ${member}: expected an array, found ${JSON.stringify(v[member])?.slice(0, 100)}`);
  }
  return v;
}
