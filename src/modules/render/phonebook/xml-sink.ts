import { createHash, type Hash } from 'node:crypto';

import type { PhonebookFile } from './phonebook.types.js';
import { serializeOpening, serializeRecord, type XmlElement } from './xml-template.js';

export { leaf, type XmlElement } from './xml-template.js';

// Serialized text is turned into Buffers of about this size as it is produced.
const FLUSH_AT_CHARS = 64 * 1024;

/**
 * One XML document written in pieces. Every piece is markup laid out by xmlbuilder2: each distinct
 * record shape is serialized by it once, and records of that shape reuse the markup with their own
 * escaped values (xml-template.ts). Building every record as xmlbuilder2 nodes cost several times
 * the rest of the render for a 50,000-entry book, and a whole-book DOM would hold the book twice.
 * The bytes are hashed as they are produced.
 */
export class XmlDocument {
  private readonly tails: string[] = [];
  private readonly chunks: Buffer[] = [];
  private pending = '';
  private readonly hash: Hash = createHash('sha256');

  /** Opens an element; `header` holds its leading children (a title, a prompt) before the records. */
  open(name: string, attributes?: Record<string, string>, header?: readonly XmlElement[]): this {
    const element: XmlElement = { name };
    if (attributes) element.attributes = attributes;
    if (header) element.children = header;
    const { head, tail } = serializeOpening(element, this.tails.length);
    this.write(head);
    this.tails.push(tail);
    return this;
  }

  /** Adds one record under the innermost open element. */
  add(record: XmlElement): this {
    this.write(serializeRecord(record, this.tails.length));
    return this;
  }

  close(): this {
    const tail = this.tails.pop();
    if (tail !== undefined) this.write(tail);
    return this;
  }

  /** Closes every open element and returns the finished file. */
  finish(name: string): PhonebookFile {
    while (this.tails.length > 0) this.close();
    this.flushText();
    const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks.length = 0;
    return { name, contentType: 'text/xml; charset=utf-8', body, sha256: this.hash.digest('hex') };
  }

  private write(text: string): void {
    this.pending += text;
    if (this.pending.length >= FLUSH_AT_CHARS) this.flushText();
  }

  private flushText(): void {
    if (this.pending.length === 0) return;
    const buffer = Buffer.from(this.pending, 'utf8');
    this.hash.update(buffer);
    this.chunks.push(buffer);
    this.pending = '';
  }
}
