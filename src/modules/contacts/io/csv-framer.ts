/**
 * Splits streamed CSV text into records before any field parsing, so that every record knows
 * the physical line it starts on and a broken record cannot swallow its neighbours: csv-parse's
 * own recovery (skip_records_with_error) loses the rows after a bad quote and loops on
 * max_record_size, and its info.lines drifts after blank lines. Field parsing stays with
 * csv-parse (see csv-fields.ts); this only finds record boundaries, with RFC 4180 quoting:
 * a quote opens a quoted cell only at the start of a cell, `""` inside one is a literal quote.
 */
export type FramedRecord =
  { line: number; raw: string } | { line: number; problem: 'row_too_large' | 'unclosed_quote' };

const QUOTE = 34;
const CR = 13;
const LF = 10;

export class CsvFramer {
  private line = 1;
  private lastWasCR = false;
  private recordLine: number | null = null;
  private carry = '';
  private discarding = false;
  private inQuotes = false;
  private quotePending = false;
  private fieldStart = true;
  private readonly delimiter: number;

  constructor(
    delimiter: string,
    private readonly maxRecordChars: number,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  push(chunk: string): FramedRecord[] {
    const out: FramedRecord[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      const isBreak = c === CR || c === LF;
      if (isBreak) this.countLineBreak(c);
      else this.lastWasCR = false;

      if (this.recordLine === null) {
        if (isBreak) continue;
        this.beginRecord();
        start = i;
      }

      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === QUOTE) continue;
          this.inQuotes = false;
        } else {
          if (c === QUOTE) this.quotePending = true;
          continue;
        }
      }

      if (c === QUOTE && this.fieldStart) {
        this.inQuotes = true;
        this.fieldStart = false;
      } else if (c === this.delimiter) {
        this.fieldStart = true;
      } else if (isBreak) {
        this.endRecord(chunk.slice(start, i), out);
      } else {
        this.fieldStart = false;
      }
    }
    if (this.recordLine !== null) this.keepPartial(chunk.slice(start), out);
    return out;
  }

  end(): FramedRecord[] {
    const out: FramedRecord[] = [];
    if (this.recordLine === null) return out;
    if (this.inQuotes && !this.quotePending) {
      if (!this.discarding) out.push({ line: this.recordLine, problem: 'unclosed_quote' });
      this.recordLine = null;
      return out;
    }
    this.endRecord('', out);
    return out;
  }

  private countLineBreak(c: number): void {
    // CRLF is one line break; a lone CR or LF is one too.
    if (c === LF && this.lastWasCR) {
      this.lastWasCR = false;
      return;
    }
    this.line++;
    this.lastWasCR = c === CR;
  }

  private beginRecord(): void {
    // The break that brought us here has already been counted, so `line` is this record's line.
    this.recordLine = this.line;
    this.carry = '';
    this.discarding = false;
    this.inQuotes = false;
    this.quotePending = false;
    this.fieldStart = true;
  }

  private endRecord(tail: string, out: FramedRecord[]): void {
    const line = this.recordLine as number;
    if (!this.discarding) {
      const raw = this.carry + tail;
      if (raw.length > this.maxRecordChars) out.push({ line, problem: 'row_too_large' });
      else out.push({ line, raw });
    }
    this.recordLine = null;
    this.carry = '';
  }

  private keepPartial(part: string, out: FramedRecord[]): void {
    if (this.discarding) return;
    this.carry += part;
    if (this.carry.length > this.maxRecordChars) {
      out.push({ line: this.recordLine as number, problem: 'row_too_large' });
      this.discarding = true;
      this.carry = '';
    }
  }
}
