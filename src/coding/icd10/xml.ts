/**
 * A small, strict-enough XML reader for the CMS/CDC ICD-10-CM release files (tabular list and index tables).
 * Those files use elements, attributes, text and the five predefined entities only; no DTDs, namespaces or
 * CDATA are needed, so a tokenizer over tags is enough and keeps the release importer dependency-free.
 */

export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
}

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Child elements and text runs in document order. */
  readonly content: ReadonlyArray<XmlElement | string>;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return entities[name] ?? whole;
  });
}

function parseAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of source.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attributes[match[1]!] = decodeEntities(match[2] ?? match[3] ?? '');
  }
  return attributes;
}

interface OpenElement {
  name: string;
  attributes: Record<string, string>;
  content: Array<XmlElement | string>;
}

/** Parses a whole document and returns its root element; throws on unbalanced tags. */
export function parseXml(source: string): XmlElement {
  const tagPattern = /<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/g;
  const root: OpenElement = { name: '#document', attributes: {}, content: [] };
  const stack: OpenElement[] = [root];
  let last = 0;
  for (const match of source.matchAll(tagPattern)) {
    const top = stack[stack.length - 1]!;
    const text = source.slice(last, match.index);
    if (text.trim() !== '') top.content.push(decodeEntities(text));
    last = match.index + match[0].length;
    const name = match[2];
    if (name === undefined) continue; // declaration, comment or doctype
    if (match[1] === '/') {
      if (top.name !== name) throw new XmlSyntaxError(`XML: </${name}> closes <${top.name}> at offset ${match.index}`);
      stack.pop();
      stack[stack.length - 1]!.content.push(top);
      continue;
    }
    const element: OpenElement = { name, attributes: parseAttributes(match[3] ?? ''), content: [] };
    if (match[4] === '/') top.content.push(element);
    else stack.push(element);
  }
  if (stack.length !== 1) throw new XmlSyntaxError(`XML: <${stack[stack.length - 1]!.name}> is never closed`);
  const documentElement = root.content.find((c): c is XmlElement => typeof c !== 'string');
  if (!documentElement) throw new XmlSyntaxError('XML: no root element');
  return documentElement;
}

export function childElements(element: XmlElement, name?: string): XmlElement[] {
  return element.content.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || c.name === name));
}

export function firstChild(element: XmlElement, name: string): XmlElement | undefined {
  return element.content.find((c): c is XmlElement => typeof c !== 'string' && c.name === name);
}

/** The element's text with whitespace collapsed; `skip` names child elements whose text is left out. */
export function textOf(element: XmlElement, skip: ReadonlySet<string> = new Set()): string {
  const parts: string[] = [];
  const walk = (e: XmlElement) => {
    for (const c of e.content) {
      if (typeof c === 'string') parts.push(c);
      else if (!skip.has(c.name)) walk(c);
    }
  };
  walk(element);
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}
