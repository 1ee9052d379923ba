import { createHash, type Hash } from 'node:crypto';
import { create, fragment } from 'xmlbuilder2';

import type { PhonebookFile } from './phonebook.types.js';

export type XmlNode = ReturnType<typeof fragment>;

// Records (one phonebook entry each) are built as xmlbuilder2 fragments of this many siblings and
// serialized together: per-record fragments and xmlbuilder2's callback builder both cost several
// times more per node, and a whole-book DOM would hold the book twice.
const RECORDS_PER_BATCH = 256;
// Serialized text is turned into Buffers of about this size as it is produced.
const FLUSH_AT_CHARS = 64 * 1024;
const SERIALIZE = { prettyPrint: true, indent: '  ', newline: '\n', wellFormed: true } as const;
// Stand-in child that marks where streamed records go when an element's tags are serialized.
// User text can never produce it: xmlbuilder2 escapes `<` in every text and attribute value.
const BODY_MARKER = 'phonebook-body-marker';

/**
 * One XML document written in pieces, every piece serialized (and escaped) by xmlbuilder2: an
 * element is opened by serializing it with a marker child and keeping the text around the marker
 * as its head and tail; records added under it are serialized in batches. The bytes are hashed as
 * they are produced.
 */
export class XmlDocument {
  private readonly tails: string[] = [];
  private batch: XmlNode | undefined;
  private batchRecords = 0;
  private readonly chunks: Buffer[] = [];
  private pending: string[] = [];
  private pendingChars = 0;
  private readonly hash: Hash = createHash('sha256');

  /** Opens an element; `header` adds its leading children (a title, a prompt) before the records. */
  open(name: string, attributes?: Record<string, string>, header?: (element: XmlNode) => void): this {
    this.flushBatch();
    const depth = this.tails.length;
    const opened = element(depth === 0 ? create({ version: '1.0', encoding: 'UTF-8' }) : fragment(), name, attributes);
    header?.(opened);
    opened.ele(BODY_MARKER);
    const text = opened.end({ ...SERIALIZE, offset: depth });
    const marker = text.indexOf(`<${BODY_MARKER}/>`);
    const lineStart = text.lastIndexOf('\n', marker) + 1;
    this.write(text.slice(0, lineStart));
    this.tails.push(`${text.slice(text.indexOf('\n', marker) + 1)}\n`);
    return this;
  }

  /** Adds one record under the innermost open element. */
  add(build: (parent: XmlNode) => void): this {
    this.batch ??= fragment();
    build(this.batch);
    this.batchRecords++;
    if (this.batchRecords >= RECORDS_PER_BATCH) this.flushBatch();
    return this;
  }

  close(): this {
    this.flushBatch();
    const tail = this.tails.pop();
    if (tail !== undefined) this.write(tail);
    return this;
  }

  /** Closes every open element and returns the finished file. */
  finish(name: string): PhonebookFile {
    while (this.tails.length > 0) this.close();
    this.flushText();
    const body = Buffer.concat(this.chunks);
    this.chunks.length = 0;
    return { name, contentType: 'text/xml; charset=utf-8', body, sha256: this.hash.digest('hex') };
  }

  private flushBatch(): void {
    if (!this.batch) return;
    this.write(`${this.batch.end({ ...SERIALIZE, offset: this.tails.length })}\n`);
    this.batch = undefined;
    this.batchRecords = 0;
  }

  private write(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= FLUSH_AT_CHARS) this.flushText();
  }

  private flushText(): void {
    if (this.pending.length === 0) return;
    const buffer = Buffer.from(this.pending.join(''), 'utf8');
    this.hash.update(buffer);
    this.chunks.push(buffer);
    this.pending = [];
    this.pendingChars = 0;
  }
}

/**
 * xmlbuilder2 leaves `&` untouched when it starts something shaped like a reference (`&x;`, `&#1;`),
 * so user text "Smith&Sons;" would come out as an undefined entity and "&lt;" would display as "<".
 * Handing it `&amp;` for every `&` makes its serializer emit exactly one `&amp;` per `&`.
 */
function protectAmpersands(text: string): string {
  return text.includes('&') ? text.replace(/&/g, '&amp;') : text;
}

/** Child element with attribute values passed through xmlbuilder2's escaping. */
export function element(parent: XmlNode, name: string, attributes?: Record<string, string>): XmlNode {
  if (!attributes) return parent.ele(name);
  const safe: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) safe[key] = protectAmpersands(value);
  return parent.ele(name, safe);
}

/** `<name>text</name>` under `parent`; text must already be cleaned. */
export function leaf(parent: XmlNode, name: string, text: string): void {
  parent.ele(name).txt(protectAmpersands(text));
}
