/**
 * A tiny XML writer for EC2 Query responses. Values are escaped; `undefined` members are left
 * out; sets are always written (an empty `<xxxSet/>` rather than nothing, because SDK waiters
 * spread the lists).
 */
export type XmlValue = string | number | boolean | undefined | null | XmlNode | XmlNode[];

/** A pre-rendered fragment. */
export interface XmlNode {
  readonly xml: string;
  /** Set when the fragment already is the element `ownName` (a set renders its own wrapper). */
  readonly ownName?: string;
}

/** Escapes text for element content. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** `<name>value</name>`, or nothing when `value` is undefined/null. */
export function el(name: string, value: XmlValue): XmlNode {
  if (value === undefined || value === null) return { xml: '' };
  if (Array.isArray(value)) return { xml: `<${name}>${value.map((v) => v.xml).join('')}</${name}>` };
  if (typeof value === 'object') return value.ownName === name ? value : { xml: `<${name}>${value.xml}</${name}>` };
  return { xml: `<${name}>${escapeXml(String(value))}</${name}>` };
}

/** A structure: the members in order. */
export function struct(members: Record<string, XmlValue>): XmlNode {
  return { xml: Object.entries(members).map(([k, v]) => el(k, v).xml).join('') };
}

/** `<name><item>…</item>…</name>`, or `<name/>` when empty. */
export function set<T>(name: string, items: readonly T[], render: (item: T) => XmlNode): XmlNode {
  if (items.length === 0) return { xml: `<${name}/>`, ownName: name };
  return { xml: `<${name}>${items.map((i) => `<item>${render(i).xml}</item>`).join('')}</${name}>`, ownName: name };
}

/** Joins fragments. */
export function frag(...nodes: XmlNode[]): XmlNode {
  return { xml: nodes.map((n) => n.xml).join('') };
}

/** The response document of an operation. */
export function responseDocument(action: string, requestId: string, body: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${requestId}</requestId>${body.xml}</${action}Response>`;
}

/** The error document AWS sends (note `RequestID`, not `requestId`). */
export function errorDocument(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}
