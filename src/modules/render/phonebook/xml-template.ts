import { create, fragment } from 'xmlbuilder2';

/**
 * A small element tree (one phonebook record, or an element's opening with its header children).
 * Values are raw text: escaping happens when it is written.
 */
export interface XmlElement {
  name: string;
  /** Written in the order given. */
  attributes?: Readonly<Record<string, string>>;
  /** Text content (the element then has no children). */
  text?: string;
  children?: readonly XmlElement[];
}

export function leaf(name: string, text: string): XmlElement {
  return { name, text };
}

const SERIALIZE = { prettyPrint: true, indent: '  ', newline: '\n', wellFormed: true } as const;
// Stand-in child that marks where streamed records go when an element's tags are serialized.
// User text can never produce it: every value is escaped, so no value contains `<`.
const BODY_MARKER = 'phonebook-body-marker';
// Values are replaced by `\uE000<n>\uE001` while xmlbuilder2 lays the shape out. Private-use
// characters are legal XML text that xmlbuilder2 passes through untouched, and the template's own
// markup (element and attribute names) never contains them.
const SLOT = /\uE000(\d+)\uE001/g;
// Shapes are few per format (a contact has 0..n numbers), but a hostile book could make many.
const MAX_CACHED_SHAPES = 2000;

/**
 * Serialized markup with holes for the values, in the order `collectValues` yields them. Built by
 * xmlbuilder2 once per shape (element names, attribute names, which values are empty, depth).
 */
class Template {
  private readonly pieces: string[] = [];
  private readonly slots: number[] = [];

  constructor(serialized: string) {
    let last = 0;
    for (const match of serialized.matchAll(SLOT)) {
      this.pieces.push(serialized.slice(last, match.index));
      this.slots.push(Number(match[1]));
      last = match.index + match[0].length;
    }
    this.pieces.push(serialized.slice(last));
  }

  fill(values: readonly string[]): string {
    let out = this.pieces[0]!;
    for (let i = 0; i < this.slots.length; i++) out += values[this.slots[i]!]! + this.pieces[i + 1]!;
    return out;
  }
}

/*
 * Escaping, byte for byte as xmlbuilder2 serializes a value that was handed to it with every `&`
 * already written as `&amp;` (see `protectAmpersands` below): `&`, `<`, `>` (and `"` in attribute
 * values) become references, and a character outside the XML 1.0 Char production throws, as
 * xmlbuilder2's `wellFormed` check does. The fast path is a value with none of them.
 */
const PLAIN_TEXT = /^[\t\n\r\u0020-\u0025\u0027-\u003B\u003D\u003F-\uD7FF\uE000-\uFFFD]*$/;
const PLAIN_ATTRIBUTE = /^[\t\n\r\u0020\u0021\u0023-\u0025\u0027-\u003B\u003D\u003F-\uD7FF\uE000-\uFFFD]*$/;
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function escapeText(value: string): string {
  if (PLAIN_TEXT.test(value)) return value;
  if (NOT_XML_CHAR.test(value)) throw new Error('Text data contains invalid characters (well-formed required).');
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttribute(value: string): string {
  if (PLAIN_ATTRIBUTE.test(value)) return value;
  if (NOT_XML_CHAR.test(value)) throw new Error('Invalid characters in attribute value.');
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * xmlbuilder2 leaves `&` untouched when it starts something shaped like a reference (`&x;`, `&#1;`),
 * so user text "Smith&Sons;" would come out as an undefined entity and "&lt;" would display as "<".
 * Handing it `&amp;` for every `&` makes its serializer emit exactly one `&amp;` per `&`.
 */
function protectAmpersands(text: string): string {
  return text.includes('&') ? text.replace(/&/g, '&amp;') : text;
}

/** The shape of a tree: everything that decides its markup except the non-empty values themselves. */
function shapeKey(element: XmlElement): string {
  let key = element.name;
  if (element.attributes) {
    key += '[';
    for (const name in element.attributes) key += element.attributes[name] === '' ? `${name}=,` : `${name},`;
    key += ']';
  }
  if (element.text !== undefined) key += element.text === '' ? '=' : '=t';
  if (element.children) {
    key += '(';
    for (const child of element.children) key += `${shapeKey(child)};`;
    key += ')';
  }
  return key;
}

/** Non-empty values in document order (attributes before content), escaped. */
function collectValues(element: XmlElement, into: string[]): void {
  if (element.attributes) {
    for (const name in element.attributes) {
      const value = element.attributes[name]!;
      if (value !== '') into.push(escapeAttribute(value));
    }
  }
  if (element.text !== undefined && element.text !== '') into.push(escapeText(element.text));
  if (element.children) for (const child of element.children) collectValues(child, into);
}

type BuilderNode = ReturnType<typeof fragment>;

/** Adds `element` under `parent` with xmlbuilder2, its non-empty values replaced by slot markers. */
function buildShape(parent: BuilderNode, element: XmlElement, counter: { next: number }): BuilderNode {
  let attributes: Record<string, string> | undefined;
  if (element.attributes) {
    attributes = {};
    for (const name in element.attributes) {
      const value = element.attributes[name]!;
      attributes[name] = value === '' ? '' : `\uE000${counter.next++}\uE001`;
    }
  }
  const node = attributes ? parent.ele(element.name, attributes) : parent.ele(element.name);
  if (element.text !== undefined) node.txt(element.text === '' ? '' : `\uE000${counter.next++}\uE001`);
  if (element.children) for (const child of element.children) buildShape(node, child, counter);
  return node;
}

const recordTemplates = new Map<string, Template>();
const openTemplates = new Map<string, { head: Template; tail: string }>();

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= MAX_CACHED_SHAPES) cache.clear();
  cache.set(key, value);
  return value;
}

/** One record (or several sibling records) serialized at `depth`, each line ending in a newline. */
export function serializeRecord(element: XmlElement, depth: number): string {
  const key = `${depth}|${shapeKey(element)}`;
  let template = recordTemplates.get(key);
  if (!template) {
    const shape = fragment();
    buildShape(shape, element, { next: 0 });
    template = remember(recordTemplates, key, new Template(`${shape.end({ ...SERIALIZE, offset: depth })}\n`));
  }
  const values: string[] = [];
  collectValues(element, values);
  return template.fill(values);
}

/**
 * The opening of `element` at `depth` (with the XML declaration at depth 0) up to where its
 * records go, and its closing. `element.children` are header children written before the records.
 */
export function serializeOpening(element: XmlElement, depth: number): { head: string; tail: string } {
  const key = `${depth}|${shapeKey(element)}`;
  let template = openTemplates.get(key);
  if (!template) {
    const counter = { next: 0 };
    const root = depth === 0 ? create({ version: '1.0', encoding: 'UTF-8' }) : fragment();
    const opened = buildShape(root, element, counter);
    opened.ele(BODY_MARKER);
    const text = opened.end({ ...SERIALIZE, offset: depth });
    const marker = text.indexOf(`<${BODY_MARKER}/>`);
    const lineStart = text.lastIndexOf('\n', marker) + 1;
    template = remember(openTemplates, key, {
      head: new Template(text.slice(0, lineStart)),
      tail: `${text.slice(text.indexOf('\n', marker) + 1)}\n`,
    });
  }
  const values: string[] = [];
  collectValues(element, values);
  return { head: template.head.fill(values), tail: template.tail };
}

/** The same tree through xmlbuilder2's own DOM and serializer: the reference the templates must match. */
export function serializeWithDom(element: XmlElement, depth: number): string {
  const build = (parent: BuilderNode, node: XmlElement): void => {
    let attributes: Record<string, string> | undefined;
    if (node.attributes) {
      attributes = {};
      for (const name in node.attributes) attributes[name] = protectAmpersands(node.attributes[name]!);
    }
    const child = attributes ? parent.ele(node.name, attributes) : parent.ele(node.name);
    if (node.text !== undefined) child.txt(protectAmpersands(node.text));
    if (node.children) for (const grandchild of node.children) build(child, grandchild);
  };
  const shape = fragment();
  build(shape, element);
  return `${shape.end({ ...SERIALIZE, offset: depth })}\n`;
}
