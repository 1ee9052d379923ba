import { validateDraft } from './contact-draft.js';
import { decodeUtf8, rowError, type ImportRowResult } from './import-result.js';
import { cardToDraft } from './vcard-card.js';
import { VcardSplitter, type SplitCard } from './vcard-lines.js';

export interface VcardImportOptions {
  /** ISO 3166 alpha-2 country for numbers written without a country code. */
  defaultCountry?: string;
  /** A card's kept properties (names, org, title, email, numbers) may total this many characters. */
  maxCardChars?: number;
}

export const DEFAULT_MAX_CARD_CHARS = 64 * 1024;

const TEL_LINE = /^(?:[^:;]*\.)?TEL[;:]/i;

const PROBLEM_MESSAGES = {
  card_too_large: 'the card is larger than the allowed size',
  unterminated_card: 'the card has no END:VCARD line',
} as const;

/**
 * Streams contacts out of a vCard file (2.1, 3.0 or 4.0, any number of cards): one result per
 * card, in file order, with the line of its BEGIN:VCARD. Each card is parsed on its own, so a
 * broken card is reported and the rest still import.
 */
export async function* importVcard(
  input: AsyncIterable<Buffer | Uint8Array | string>,
  options: VcardImportOptions = {},
): AsyncGenerator<ImportRowResult> {
  const splitter = new VcardSplitter(options.maxCardChars ?? DEFAULT_MAX_CARD_CHARS);
  let cards = 0;
  for await (const text of decodeUtf8(input)) {
    for (const card of splitter.push(text)) {
      cards++;
      yield toResult(card, options);
    }
  }
  for (const card of splitter.end()) {
    cards++;
    yield toResult(card, options);
  }
  if (cards === 0) yield rowError(1, 'file', 'empty_file', 'the file contains no BEGIN:VCARD');
}

function toResult(card: SplitCard, options: VcardImportOptions): ImportRowResult {
  if ('problem' in card) return rowError(card.line, 'card', card.problem, PROBLEM_MESSAGES[card.problem]);
  // The decoder turns bytes that are not UTF-8 into U+FFFD; such a card would store a guess.
  if (card.lines.some((line) => line.includes('\uFFFD'))) {
    return rowError(
      card.line,
      'card',
      'invalid_encoding',
      'the card holds bytes that are not UTF-8 (save the file as UTF-8)',
    );
  }
  // Refused before parsing: the parser's escaping would drop a raw NUL (see cardToDraft). A NUL
  // in a TEL value is kept for validation to refuse as invalid_number, like any control there.
  if (card.lines.some((line) => line.includes('\u0000') && !TEL_LINE.test(line))) {
    return rowError(card.line, 'card', 'invalid_text', 'the card holds a control character (U+0000)');
  }
  const read = cardToDraft(card.lines);
  if (!read.ok) return rowError(card.line, 'card', 'malformed_card', read.message);
  const validated = validateDraft(read.draft, { defaultCountry: options.defaultCountry });
  return validated.ok
    ? { line: card.line, ok: true, contact: validated.contact }
    : { line: card.line, ok: false, errors: validated.errors };
}
