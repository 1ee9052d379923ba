/**
 * Cuts streamed vCard text into cards (BEGIN:VCARD … END:VCARD) of unfolded content lines,
 * keeping only the properties contacts use. Photos, logos and sounds (often hundreds of KB of
 * base64, unfolded in vCard 2.1 exports) are dropped as they stream past, so memory stays at
 * one physical line prefix plus one small card.
 */
export type SplitCard =
  { line: number; lines: string[] } | { line: number; problem: 'card_too_large' | 'unterminated_card' };

const KEPT_PROPERTIES = new Set(['VERSION', 'N', 'FN', 'ORG', 'TITLE', 'EMAIL', 'TEL']);
// Enough to read any property name and its parameters from an over-long line.
const LINE_PREFIX_CHARS = 4096;

interface CardState {
  line: number;
  lines: string[];
  size: number;
  tooLarge: boolean;
  /** The logical line being unfolded; null while skipping a property we do not keep. */
  current: string | null;
  currentIsQuotedPrintable: boolean;
  /** A dropped quoted-printable property whose value continues on the next line. */
  skippedValueContinues: boolean;
}

export class VcardSplitter {
  private physicalLine = 0;
  private partial = '';
  private partialOverflow = false;
  private card: CardState | null = null;

  constructor(private readonly maxCardChars: number) {}

  push(chunk: string): SplitCard[] {
    const out: SplitCard[] = [];
    // Still inside an over-long line whose beginning is already kept: nothing to look at.
    if (this.partialOverflow && !/[\r\n]/.test(chunk)) return out;
    let text = this.partial + chunk;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      // A CR as the last character may be the first half of a CRLF split across chunks.
      if (c === 13 && i === text.length - 1) break;
      this.onLine(text.slice(start, i), out);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
    text = text.slice(start);
    if (text.length > LINE_PREFIX_CHARS && !text.endsWith('\r')) {
      // An over-long line: keep its beginning (property name and parameters) only.
      this.partialOverflow = true;
      text = text.slice(0, LINE_PREFIX_CHARS);
    }
    this.partial = text;
    return out;
  }

  end(): SplitCard[] {
    const out: SplitCard[] = [];
    if (this.partial.length > 0) this.onLine(this.partial.replace(/\r$/, ''), out);
    this.partial = '';
    if (this.card !== null) out.push({ line: this.card.line, problem: 'unterminated_card' });
    this.card = null;
    return out;
  }

  private onLine(text: string, out: SplitCard[]): void {
    this.physicalLine++;
    const truncated = this.partialOverflow;
    this.partialOverflow = false;
    const card = this.card;
    if (card === null) {
      if (/^\s*BEGIN:VCARD\s*$/i.test(text)) this.card = newCard(this.physicalLine);
      return;
    }
    if (card.skippedValueContinues) {
      card.skippedValueContinues = text.endsWith('=');
      return;
    }
    if (card.currentIsQuotedPrintable && card.current !== null && card.current.endsWith('=')) {
      // Quoted-printable soft line break (vCard 2.1/3.0): the value goes on, unindented.
      this.extend(card, card.current.slice(0, -1), text, truncated);
      return;
    }
    if (text.startsWith(' ') || text.startsWith('\t')) {
      if (card.current !== null) this.extend(card, card.current, text.slice(1), truncated);
      return;
    }
    this.finishLogicalLine(card);
    if (/^\s*END:VCARD\s*$/i.test(text)) {
      out.push(card.tooLarge ? { line: card.line, problem: 'card_too_large' } : { line: card.line, lines: card.lines });
      this.card = null;
      return;
    }
    if (/^\s*BEGIN:VCARD\s*$/i.test(text)) {
      out.push({ line: card.line, problem: 'unterminated_card' });
      this.card = newCard(this.physicalLine);
      return;
    }
    const quotedPrintable = /;[^:]*QUOTED-PRINTABLE/i.test(text.slice(0, text.indexOf(':') + 1 || text.length));
    if (!KEPT_PROPERTIES.has(propertyName(text))) {
      card.skippedValueContinues = quotedPrintable && text.endsWith('=');
      return;
    }
    card.currentIsQuotedPrintable = quotedPrintable;
    this.extend(card, '', text, truncated);
  }

  private extend(card: CardState, before: string, addition: string, truncated: boolean): void {
    card.current = before + addition;
    if (truncated || card.size + card.current.length > this.maxCardChars) {
      card.tooLarge = true;
      card.current = null;
    }
  }

  private finishLogicalLine(card: CardState): void {
    if (card.current !== null && !card.tooLarge) {
      card.lines.push(card.current);
      card.size += card.current.length;
    }
    card.current = null;
    card.currentIsQuotedPrintable = false;
  }
}

function newCard(line: number): CardState {
  return {
    line,
    lines: [],
    size: 0,
    tooLarge: false,
    current: null,
    currentIsQuotedPrintable: false,
    skippedValueContinues: false,
  };
}

/** "item1.TEL;TYPE=cell:+1…" → "TEL" (Apple prefixes properties with a group name). */
function propertyName(line: string): string {
  const match = /^\s*(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)/.exec(line);
  return match === null ? '' : (match[1] as string).toUpperCase();
}
