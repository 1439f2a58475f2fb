/**
 * A small, strict XML reader for the request bodies S3 takes (configurations, tag sets,
 * CompleteMultipartUpload): elements, text, character references, comments and CDATA. A body
 * that is not well-formed, declares a DOCTYPE (entities are never expanded), or nests deeper
 * than S3's documents ever do is S3's `MalformedXML`.
 */
import { malformedXml } from './errors.js';
import { escapeXml } from './rest.js';

/** One element: its local name (namespace prefix dropped), its child elements and its text. */
export interface XmlNode {
  readonly name: string;
  readonly children: XmlNode[];
  /** The element's own text (character data between its children), unescaped and trimmed. */
  text: string;
}

/** No S3 request document nests deeper than this (lifecycle filters are the deepest, at 6). */
const MAX_DEPTH = 32;

/**
 * Parses `text` into its root element.
 * @throws S3Error MalformedXML when the document is not well-formed.
 */
export function parseXml(text: string): XmlNode {
  let at = 0;
  const fail = (): never => { throw malformedXml(); };
  const skipMisc = (): void => {
    for (;;) {
      while (at < text.length && /\s/.test(text[at]!)) at++;
      if (text.startsWith('<?', at)) {
        const end = text.indexOf('?>', at + 2);
        if (end < 0) fail();
        at = end + 2;
      } else if (text.startsWith('<!--', at)) {
        const end = text.indexOf('-->', at + 4);
        if (end < 0) fail();
        at = end + 3;
      } else return;
    }
  };
  if (text.charCodeAt(0) === 0xfeff) at = 1;
  skipMisc();
  if (text.startsWith('<!', at)) fail(); // DOCTYPE: refused, never expanded
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  const nameRe = /[A-Za-z_][\w.:-]*/y;
  while (root === undefined) {
    if (at >= text.length) fail();
    const top = stack[stack.length - 1];
    if (text[at] !== '<') {
      const next = text.indexOf('<', at);
      if (next < 0 || top === undefined) fail();
      top!.text += unescapeXmlText(text.slice(at, next));
      at = next;
      continue;
    }
    if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      if (end < 0) fail();
      at = end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', at)) {
      const end = text.indexOf(']]>', at + 9);
      if (end < 0 || top === undefined) fail();
      top!.text += text.slice(at + 9, end);
      at = end + 3;
      continue;
    }
    if (text[at + 1] === '/') {
      nameRe.lastIndex = at + 2;
      const m = nameRe.exec(text);
      if (!m || top === undefined || localName(m[0]) !== top.name) fail();
      at = nameRe.lastIndex;
      while (at < text.length && /\s/.test(text[at]!)) at++;
      if (text[at] !== '>') fail();
      at++;
      stack.pop();
      top!.text = top!.text.trim();
      if (stack.length === 0) root = top;
      continue;
    }
    nameRe.lastIndex = at + 1;
    const m = nameRe.exec(text);
    if (!m) fail();
    at = nameRe.lastIndex;
    // Attributes (namespace declarations, xsi:type on ACL grantees) are read past, not kept.
    const attrs = /\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*')/y;
    for (;;) {
      attrs.lastIndex = at;
      if (!attrs.exec(text)) break;
      at = attrs.lastIndex;
    }
    while (at < text.length && /\s/.test(text[at]!)) at++;
    const node: XmlNode = { name: localName(m![0]), children: [], text: '' };
    if (top) top.children.push(node);
    if (text.startsWith('/>', at)) {
      at += 2;
      if (!top) root = node;
      continue;
    }
    if (text[at] !== '>') fail();
    at++;
    stack.push(node);
    if (stack.length > MAX_DEPTH) fail();
  }
  skipMisc();
  if (at !== text.length) fail();
  return root;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** Text of an XML document with its entity and character references replaced; a bad one is `MalformedXML`. */
export function unescapeXmlText(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&([^;&\s]{0,10});?/g, (whole, e: string) => {
    if (!whole.endsWith(';')) throw malformedXml();
    switch (e) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
    }
    const code = /^#x[0-9a-fA-F]{1,6}$/.test(e) ? parseInt(e.slice(2), 16) : /^#\d{1,7}$/.test(e) ? parseInt(e.slice(1), 10) : NaN;
    if (!Number.isFinite(code) || code > 0x10ffff) throw malformedXml();
    return String.fromCodePoint(code);
  });
}

/** The children of `node` named `name`. */
export function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}

/** The first child of `node` named `name`. */
export function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}

/** The text of the first child named `name`. */
export function childText(node: XmlNode, name: string): string | undefined {
  return child(node, name)?.text;
}

/** The content of `node` (its children, or its text) as canonical XML, to be stored and sent back. */
export function innerXml(node: XmlNode): string {
  if (node.children.length === 0) return escapeXml(node.text);
  return node.children.map((c) => `<${c.name}>${innerXml(c)}</${c.name}>`).join('');
}
