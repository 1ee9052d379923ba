// Text clean-up shared by contact validation and the importers.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Line breaks and tabs inside a name become a space so "Jane\nDoe" stays two words.
const BREAKING_CONTROLS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
// Other C0/C1 controls are stripped. Bidi marks (U+200E/F, U+202A-E, U+2066-9) are format
// characters, not controls, and are kept: RTL names depend on them.
const OTHER_CONTROLS = /[\u0000-\u001F\u007F-\u009F]/g;

/** Trimmed, NFC-normalised text without control characters; null when nothing is left. */
export function cleanText(input: string | undefined | null): string | null {
  if (input === undefined || input === null) return null;
  const cleaned = input
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(BREAKING_CONTROLS, ' ')
    .replace(OTHER_CONTROLS, '')
    .normalize('NFC')
    .trim();
  return cleaned.length === 0 ? null : cleaned;
}

/** Length in Unicode code points, which is what a person counts as characters. */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Case- and accent-insensitive form used for duplicate detection. */
export function foldForComparison(text: string | null): string {
  if (text === null) return '';
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

// Controls that are not line breaks or tabs: no name holds them, and Postgres refuses NUL in text.
const NON_BREAKING_CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F]/;

/** "U+0000" for the first control character (other than a line break or tab) in the text, else null. */
export function controlCharacterIn(text: string | undefined | null): string | null {
  if (!text) return null;
  const found = NON_BREAKING_CONTROL.exec(text);
  return found ? `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : null;
}

/**
 * Text from a file as Postgres can store it in an error list (jsonb): NUL written out as
 * "\u0000", lone surrogates as U+FFFD. Row data never needs it (such rows are refused); error
 * messages may quote what was refused.
 */
export function storableText(text: string): string {
  return text.replace(/\u0000/g, '\\u0000').replace(LONE_SURROGATE, '\uFFFD');
}
