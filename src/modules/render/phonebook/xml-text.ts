/**
 * Text hygiene for values that go into phonebook XML: drop what XML 1.0 forbids, keep everything a
 * person could have typed (accents, CJK, emoji, RTL marks), and cut to vendor limits without breaking
 * a character a phone would then render as garbage.
 */

// C0/C1 control characters (XML 1.0 forbids most C0 ones; none means anything in a name) separate
// words like whitespace does.
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;
// Outside the XML 1.0 Char production. With the `u` flag a lone surrogate is its own code point and
// falls outside every allowed range.
const NOT_XML_CHAR = /[^\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const SPACE_RUN = / {2,}/g;
// No control character, no surrogate (so no astral character either) and no U+FFFE/U+FFFF.
const ORDINARY_TEXT = /^[\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD]*$/;

/** One-line display text: controls as spaces, other non-XML characters removed, spaces collapsed, trimmed. */
export function cleanText(value: string | undefined): string {
  if (value === undefined || value === null) return '';
  // Nearly every name has nothing to replace: then only the trim can change it.
  if (typeof value === 'string' && ORDINARY_TEXT.test(value) && !value.includes('  ')) return value.trim();
  return String(value).replace(CONTROL, ' ').replace(NOT_XML_CHAR, '').replace(SPACE_RUN, ' ').trim();
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

function stringUtf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point; a lone surrogate counts as one.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

/**
 * Longest prefix whose `measure` stays within `limit`, cut between grapheme clusters (so a base
 * letter keeps its accents and an emoji ZWJ sequence stays whole). A single cluster longer than the
 * limit on its own falls back to whole code points — still never half a surrogate pair — without
 * leaving dangling marks or a joiner at the end.
 */
function cutWith(text: string, limit: number, measure: (piece: string) => number): string {
  if (limit <= 0) return '';
  if (measure(text) <= limit) return text;
  // Printable ASCII is one byte, one code point and one grapheme per character, and none of it
  // joins the character before it: when the first limit + 1 characters are all printable ASCII,
  // the cluster walk below would stop exactly at `limit` (Intl.Segmenter costs most of a 50,000
  // entry Cisco render otherwise).
  if (PRINTABLE_ASCII.test(text.slice(0, limit + 1))) return text.slice(0, limit).trimEnd();
  let used = 0;
  let end = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    const size = measure(segment);
    if (used + size > limit) {
      if (end === 0) return cutCodePoints(segment, limit, measure);
      break;
    }
    used += size;
    end = index + segment.length;
  }
  return text.slice(0, end).trimEnd();
}

const PRINTABLE_ASCII = /^[\u0020-\u007E]*$/;
const DANGLING_END = /[\p{M}\u200D]+$/u;

function cutCodePoints(text: string, limit: number, measure: (piece: string) => number): string {
  let used = 0;
  let result = '';
  for (const char of text) {
    const size = measure(char);
    if (used + size > limit) break;
    used += size;
    result += char;
  }
  return result.replace(DANGLING_END, '');
}

/** Cut to at most `maxBytes` UTF-8 bytes on a character boundary (Poly `fn`/`ln`). */
export function cutUtf8Bytes(text: string, maxBytes: number): string {
  return cutWith(text, maxBytes, stringUtf8Length);
}

/** Cut to at most `maxChars` characters as XML Schema counts them (code points; Cisco 32). */
export function cutCodePointCount(text: string, maxChars: number): string {
  return cutWith(text, maxChars, codePointLength);
}

export function countCodePoints(text: string): number {
  return codePointLength(text);
}

// Letters that carry no combining mark under NFKD but that people type without the stroke.
const FOLD_EXTRA: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const COMBINING_MARKS = /\p{M}/gu;
const FOLD_EXTRA_PATTERN = new RegExp(`[${Object.keys(FOLD_EXTRA).join('')}]`, 'g');

/** Case- and accent-insensitive search key ("Müller" → "muller", "Ærø" → "aero"). */
export function foldForSearch(value: string | undefined): string {
  if (!value) return '';
  return value
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(FOLD_EXTRA_PATTERN, (letter) => FOLD_EXTRA[letter] ?? letter);
}

export function digitsOnly(value: string): string {
  return value.replace(/\D/g, '');
}
