import { createHash, type Hash } from 'node:crypto';
import { createCB } from 'xmlbuilder2';

import type { PhonebookFile } from './phonebook.types.js';

// Serialized chunks are joined into Buffers of about this size, so a large book lives in memory as
// a list of mid-sized Buffers (never as one giant string) until the final concatenation.
const FLUSH_AT_CHARS = 64 * 1024;

export type XmlWriter = ReturnType<typeof createCB>;

/**
 * One XML document written through xmlbuilder2's callback builder. Escaping and well-formedness
 * checks are xmlbuilder2's; this class only collects the bytes and hashes them as they arrive.
 */
export class XmlDocument {
  readonly xml: XmlWriter;
  private readonly chunks: Buffer[] = [];
  private pending: string[] = [];
  private pendingChars = 0;
  private readonly hash: Hash = createHash('sha256');
  private failure: Error | undefined;

  constructor() {
    this.xml = createCB({
      data: (chunk: string) => this.push(chunk),
      end: () => undefined,
      error: (error: Error) => {
        this.failure ??= error;
      },
      prettyPrint: true,
      indent: '  ',
      newline: '\n',
      wellFormed: true,
    });
    this.xml.dec({ version: '1.0', encoding: 'UTF-8' });
  }

  private push(chunk: string): void {
    this.pending.push(chunk);
    this.pendingChars += chunk.length;
    if (this.pendingChars >= FLUSH_AT_CHARS) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const buffer = Buffer.from(this.pending.join(''), 'utf8');
    this.hash.update(buffer);
    this.chunks.push(buffer);
    this.pending = [];
    this.pendingChars = 0;
  }

  /** Closes every open element and returns the finished file. */
  finish(name: string): PhonebookFile {
    this.xml.end();
    this.push('\n');
    this.flush();
    if (this.failure) throw this.failure;
    const body = Buffer.concat(this.chunks);
    this.chunks.length = 0;
    return { name, contentType: 'text/xml; charset=utf-8', body, sha256: this.hash.digest('hex') };
  }
}

/** `<name>text</name>` — text must already be cleaned. */
export function leaf(xml: XmlWriter, name: string, text: string): void {
  xml.ele(name).txt(text).up();
}
