/**
 * Nesting depth of JSON text, measured without parsing it (no recursion, no allocation), so that
 * a body nested thousands deep is refused before any code that recurses (a validator, an error
 * message quoting the value, `JSON.stringify`) sees it.
 */

/**
 * The deepest nesting of objects and arrays AWS's JSON front end accepts. Jackson, which AWS's
 * services parse JSON with, refuses documents nested deeper than 1,000 by default
 * (`StreamReadConstraints.DEFAULT_MAX_DEPTH`).
 *
 * @see https://javadoc.io/doc/com.fasterxml.jackson.core/jackson-core/latest/com/fasterxml/jackson/core/StreamReadConstraints.html
 */
export const MAX_JSON_DEPTH = 1000;

/**
 * The first depth beyond `max` reached by `text`, or `undefined` when it stays within `max`.
 * Brackets inside strings are not counted; text that is not JSON is measured all the same (the
 * parser reports it afterwards).
 *
 * @example
 * jsonDepthBeyond('[[1]]', 1);   // 2
 * jsonDepthBeyond('["[["]', 1);  // undefined
 */
export function jsonDepthBeyond(text: string | Uint8Array, max = MAX_JSON_DEPTH): number | undefined {
  let depth = 0;
  let inString = false;
  const isBytes = typeof text !== 'string';
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = isBytes ? (text as Uint8Array)[i]! : (text as string).charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) return depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}

/** Jackson's wording for a document nested too deep, as AWS's JSON front ends report it. */
export function depthMessage(depth: number, max = MAX_JSON_DEPTH): string {
  return `Document nesting depth (${depth}) exceeds the maximum allowed (${max}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`;
}
