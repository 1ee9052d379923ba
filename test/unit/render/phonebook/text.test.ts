import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  cleanText,
  countCodePoints,
  cutCodePointCount,
  cutUtf8Bytes,
  foldForSearch,
} from '#src/modules/render/phonebook/xml-text.js';

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

function graphemeBoundaries(text: string): Set<number> {
  const ends = new Set<number>([0]);
  for (const { index, segment } of graphemes.segment(text)) ends.add(index + segment.length);
  return ends;
}

function firstGrapheme(text: string): string {
  for (const { segment } of graphemes.segment(text)) return segment;
  return '';
}

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

// Names as people (and attackers) type them: combining marks, ZWJ emoji, flags, CJK, RTL marks,
// plus arbitrary code points.
const hazardUnit = fc.constantFrom(
  'a',
  'Z',
  ' ',
  'é',
  'e\u0301',
  'n\u0303',
  'ß',
  '山',
  '田',
  '😀',
  '👩‍💻',
  '🇩🇪',
  '\u200F',
  'ש',
  'م',
  'a\u0301\u0302\u0303\u0304',
  '&',
  '<',
  '"',
);
const names = fc.oneof(
  fc.string({ unit: hazardUnit, maxLength: 40 }),
  fc.string({ unit: 'grapheme-composite', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

describe('cutUtf8Bytes (Poly 40-byte names)', () => {
  it('never exceeds the budget, never splits a character, and cuts between graphemes when it can', () => {
    fc.assert(
      fc.property(names, fc.integer({ min: 1, max: 60 }), (raw, limit) => {
        const text = cleanText(raw);
        const cut = cutUtf8Bytes(text, limit);
        expect(bytes(cut)).toBeLessThanOrEqual(limit);
        expect(text.startsWith(cut)).toBe(true);
        // A split surrogate pair would not survive a UTF-8 round trip.
        expect(Buffer.from(cut, 'utf8').toString('utf8')).toBe(cut);
        if (bytes(text) <= limit) expect(cut).toBe(text);
        if (bytes(firstGrapheme(text)) <= limit) expect(graphemeBoundaries(text).has(cut.length)).toBe(true);
        else expect(cut).not.toMatch(/[\p{M}\u200D]$/u);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a base letter together with its combining accents', () => {
    // "Jose" + combining acute is 6 bytes; a 5-byte budget must drop the whole "é", not just the accent.
    expect(cutUtf8Bytes('Jose\u0301', 5)).toBe('Jos');
    expect(cutUtf8Bytes('ab😀', 5)).toBe('ab');
    expect(cutUtf8Bytes('👩‍💻x', 11)).toBe('👩‍💻');
    // A cluster longer than the budget on its own is cut by code points, without a dangling joiner.
    expect(cutUtf8Bytes('👩‍💻x', 10)).toBe('👩');
    expect(cutUtf8Bytes('a\u0301\u0302\u0303', 4)).toBe('a');
  });
});

describe('cutCodePointCount (Cisco 32 characters)', () => {
  it('never exceeds the count and never splits a surrogate pair', () => {
    fc.assert(
      fc.property(names, fc.integer({ min: 1, max: 40 }), (raw, limit) => {
        const text = cleanText(raw);
        const cut = cutCodePointCount(text, limit);
        expect(countCodePoints(cut)).toBeLessThanOrEqual(limit);
        expect(text.startsWith(cut)).toBe(true);
        expect(Buffer.from(cut, 'utf8').toString('utf8')).toBe(cut);
        if (countCodePoints(firstGrapheme(text)) <= limit) expect(graphemeBoundaries(text).has(cut.length)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('cleanText', () => {
  it('leaves only XML 1.0 characters, no controls, single spaces, trimmed, and is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary-ascii' }), fc.string()), (raw) => {
        const clean = cleanText(raw);
        expect(clean).not.toMatch(/[\u0000-\u001F\u007F-\u009F\uFFFE\uFFFF]/);
        expect(clean).not.toMatch(/\p{Cs}/u);
        expect(clean).not.toMatch(/ {2}/);
        expect(clean).toBe(clean.trim());
        expect(cleanText(clean)).toBe(clean);
      }),
      { numRuns: 2000 },
    );
  });

  it('turns line breaks and control characters into single spaces and drops lone surrogates', () => {
    expect(cleanText('Line\tbreak\r\nhere\u0007now\uD800!')).toBe('Line break here now!');
    expect(cleanText(undefined)).toBe('');
  });
});

describe('foldForSearch', () => {
  it('ignores case and accents, including letters without a combining form', () => {
    expect(foldForSearch('MÜLLER')).toBe('muller');
    expect(foldForSearch('Jose\u0301')).toBe('jose');
    expect(foldForSearch('Straße')).toBe('strasse');
    expect(foldForSearch('Ærø Łódź')).toBe('aero lodz');
  });
});

describe('cutting mostly-ASCII names (the fast path)', () => {
  // The cut as a plain walk over grapheme clusters, for comparison with the shortcut taken when
  // the text starts with printable ASCII.
  function referenceCut(text: string, limit: number, measure: (piece: string) => number): string {
    if (limit <= 0) return '';
    if (measure(text) <= limit) return text;
    let used = 0;
    let end = 0;
    for (const { segment, index } of graphemes.segment(text)) {
      const size = measure(segment);
      if (used + size > limit) {
        if (end === 0) return cutWholeCodePoints(segment, limit, measure);
        break;
      }
      used += size;
      end = index + segment.length;
    }
    return text.slice(0, end).trimEnd();
  }

  // A first cluster longer than the limit on its own is cut by code points, without a dangling mark.
  function cutWholeCodePoints(cluster: string, limit: number, measure: (piece: string) => number): string {
    let used = 0;
    let kept = '';
    for (const char of cluster) {
      if (used + measure(char) > limit) break;
      used += measure(char);
      kept += char;
    }
    return kept.replace(/[\p{M}\u200D]+$/u, '');
  }

  const asciiHeavy = fc
    .tuple(
      fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '-', '&', '<', '.', '9'), minLength: 0, maxLength: 45 }),
      fc.string({ unit: fc.constantFrom('', '\u0301', '\u200D', '\u200F', 'é', '😀', '👩‍💻', 'a', ' '), maxLength: 4 }),
      fc.string({ unit: fc.constantFrom('a', ' ', 'x'), maxLength: 10 }),
    )
    .map(([head, middle, tail]) => head + middle + tail);

  it('gives the cut a grapheme walk gives, for every limit', () => {
    fc.assert(
      fc.property(asciiHeavy, fc.integer({ min: 0, max: 60 }), (text, limit) => {
        expect(cutCodePointCount(text, limit)).toBe(referenceCut(text, limit, countCodePoints));
        expect(cutUtf8Bytes(text, limit)).toBe(referenceCut(text, limit, bytes));
      }),
      { numRuns: 3000 },
    );
  });

  it('never separates a letter from the combining mark after the limit', () => {
    expect(cutCodePointCount('abcde\u0301f', 5)).toBe('abcd');
    expect(cutUtf8Bytes('abcde\u0301f', 5)).toBe('abcd');
    expect(cutCodePointCount('abcd  efg', 5)).toBe('abcd');
  });
});

describe('cleanText on ordinary names (the fast path)', () => {
  function referenceClean(value: string): string {
    return value
      .replace(/[\u0000-\u001F\u007F-\u009F]/g, ' ')
      .replace(/[^\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
      .replace(/ {2,}/g, ' ')
      .trim();
  }

  it('gives what the full replace chain gives', () => {
    const unit = fc.constantFrom(
      'a',
      ' ',
      '  ',
      '\u00A0',
      '\u3000',
      '\uFEFF',
      '\u2009',
      'é',
      '山',
      '😀',
      '\t',
      '\u0085',
      '\u007F',
      '\uD800',
      '\uFFFE',
      '-',
    );
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit, maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 })), (raw) => {
        expect(cleanText(raw)).toBe(referenceClean(raw));
      }),
      { numRuns: 3000 },
    );
  });
});
