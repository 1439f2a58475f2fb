/**
 * Route 53's REST-XML protocol: a small reader for the request documents clients send
 * (`CreateHostedZoneRequest`, `ChangeResourceRecordSetsRequest`, …) and writers for the response
 * documents, all in the namespace `https://route53.amazonaws.com/doc/2013-04-01/`.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_Operations_Amazon_Route_53.html
 */
import { Route53Error } from './errors.js';

/** The namespace of every Route 53 request and response document. */
export const ROUTE53_XMLNS = 'https://route53.amazonaws.com/doc/2013-04-01/';

/** One element of a request document: its local name (prefix dropped), text and child elements. */
export interface XmlNode {
  readonly name: string;
  readonly children: XmlNode[];
  text: string;
}

/** The first child named `name`, if any. */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name);
}

/** Every child named `name`. */
export function childrenNamed(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? node.children.filter((c) => c.name === name) : [];
}

/** The trimmed text of the child named `name`, or undefined when there is no such child. */
export function textOf(node: XmlNode | undefined, name: string): string | undefined {
  const c = child(node, name);
  return c === undefined ? undefined : c.text.trim();
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The character a reference names, or undefined when it names none (XML 1.0 allows up to U+10FFFF). */
function referencedChar(e: string): string | undefined {
  const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : e.startsWith('#') ? Number(e.slice(1)) : NaN;
  if (Number.isNaN(code)) return ENTITIES[e];
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

function decodeEntities(s: string, malformed: (what: string) => Route53Error): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (whole, e: string) => {
    const c = referencedChar(e);
    if (c === undefined) throw malformed(`the character reference ${whole} names no character`);
    return c;
  });
}

/**
 * Parses a request body into its root element. Comments, processing instructions and CDATA are
 * understood; attributes (namespaces) are ignored.
 *
 * @throws Route53Error `InvalidInput` (400) naming where the document is malformed.
 */
export function parseXml(body: string): XmlNode {
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  let at = 0;
  const malformed = (what: string): Route53Error => new Route53Error('InvalidInput', `Invalid XML ; ${what} (at character ${at} of the request body)`, 400);
  while (at < body.length) {
    const lt = body.indexOf('<', at);
    if (lt < 0) {
      if (stack.length > 0) stack[stack.length - 1]!.text += decodeEntities(body.slice(at), malformed);
      else if (body.slice(at).trim() !== '') throw malformed('content is not allowed after the root element');
      break;
    }
    if (lt > at && stack.length > 0) stack[stack.length - 1]!.text += decodeEntities(body.slice(at, lt), malformed);
    else if (lt > at && body.slice(at, lt).trim() !== '') throw malformed('content is not allowed outside the root element');
    at = lt;
    if (body.startsWith('<?', at)) {
      const end = body.indexOf('?>', at);
      if (end < 0) throw malformed('unterminated processing instruction');
      at = end + 2;
    } else if (body.startsWith('<!--', at)) {
      const end = body.indexOf('-->', at);
      if (end < 0) throw malformed('unterminated comment');
      at = end + 3;
    } else if (body.startsWith('<![CDATA[', at)) {
      const end = body.indexOf(']]>', at);
      if (end < 0 || stack.length === 0) throw malformed('misplaced or unterminated CDATA section');
      stack[stack.length - 1]!.text += body.slice(at + 9, end);
      at = end + 3;
    } else if (body.startsWith('<!', at)) {
      throw malformed('document type declarations are not allowed');
    } else if (body.startsWith('</', at)) {
      const end = body.indexOf('>', at);
      if (end < 0) throw malformed('unterminated end tag');
      const name = localName(body.slice(at + 2, end).trim());
      const open = stack.pop();
      if (!open || open.name !== name) throw malformed(`the end tag </${name}> does not match the open element ${open ? `<${open.name}>` : '(none)'}`);
      at = end + 1;
    } else {
      const end = body.indexOf('>', at);
      if (end < 0) throw malformed('unterminated start tag');
      const raw = body.slice(at + 1, end);
      const selfClosing = raw.endsWith('/');
      const m = /^\s*([A-Za-z_][\w.:-]*)/.exec(selfClosing ? raw.slice(0, -1) : raw);
      if (!m) throw malformed('a start tag has no element name');
      const node: XmlNode = { name: localName(m[1]!), children: [], text: '' };
      if (stack.length > 0) stack[stack.length - 1]!.children.push(node);
      else if (root) throw malformed('the document has more than one root element');
      else root = node;
      if (!selfClosing) stack.push(node);
      at = end + 1;
    }
  }
  if (stack.length > 0) throw malformed(`XML document structures must start and end within the same entity (element <${stack[stack.length - 1]!.name}> is not closed)`);
  if (!root) throw malformed('premature end of file: the request has no XML document');
  return root;
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon >= 0 ? qname.slice(colon + 1) : qname;
}

/** Escapes text for an XML element. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `<name>value</name>`, or '' when the value is undefined. Inner XML is passed as `raw`. */
export function el(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** `<name>inner</name>` with `inner` already XML. */
export function wrap(name: string, inner: string): string {
  return `<${name}>${inner}</${name}>`;
}

/** A response document: the XML declaration and a root element in Route 53's namespace. */
export function document(root: string, inner: string): string {
  return `<?xml version="1.0"?>\n<${root} xmlns="${ROUTE53_XMLNS}">${inner}</${root}>`;
}
