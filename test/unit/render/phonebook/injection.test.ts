import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  PHONEBOOK_FORMATS,
  type PhonebookEntry,
  type PhonebookFormat,
  renderPhonebook,
} from '#src/modules/render/phonebook/index.js';
import { BASE_URL } from './support/fixtures.js';
import { countElements, leakedWords, parseStrict, validateCisco, type XmlFile } from './support/xml-check.js';

/**
 * Elements each format must contain for `n` entries with one work number each and non-empty first
 * and last names (ungrouped, at most 32 so Cisco stays on one page). Anything else means a name
 * turned into markup.
 */
const EXPECTED_ELEMENTS: Record<PhonebookFormat, (n: number) => number> = {
  yealink: (n) => 1 + 3 * n, // root; DirectoryEntry, Name, Telephone
  'yealink-grouped': (n) => 2 + (n > 0 ? 1 : 0) + n, // root, Title; one Menu; Unit
  poly: (n) => 2 + 5 * n, // directory, item_list; item, fn, ln, ct, sd
  cisco: (n) => 3 + 3 * 4 + 3 * n, // root, Title, Prompt; Dial, Search and Exit softkeys; DirectoryEntry, Name, Telephone
  grandstream: (n) => 1 + 6 * n, // root; Contact, FirstName, LastName, Phone, phonenumber, accountindex
  snom: (n) => 1 + 3 * n, // root; item, name, number
  'snom-directory': (n) => 2 + 3 * n, // root, Title; DirectoryEntry, Name, Telephone
  fanvil: (n) => 1 + 3 * n, // root; DirectoryEntry, Name, Telephone
  gigaset: (n) => 1 + 4 * n, // root; entry, ln, fn, nb
};

// Markup fragments, entity look-alikes, XML-illegal code points, and ordinary international text.
const hostileUnit = fc.constantFrom(
  '<',
  '>',
  '&',
  '"',
  "'",
  ']]>',
  '<![CDATA[',
  '<!--',
  '-->',
  '</Name>',
  '<ln>',
  '<?xml',
  '&lt;',
  '&amp;',
  '&#0;',
  '&#x1F600;',
  '&x;',
  '\u0000',
  '\u0007',
  '\u001B',
  '\u007F',
  '\u0085',
  '\uD800',
  '\uDFFF',
  '\uFFFE',
  '\uFFFF',
  '\u202E',
  '\u200F',
  'é',
  'e\u0301',
  '山',
  '😀',
  '👩‍💻',
  ' ',
  '\t',
  '\n',
  'a',
);
const hostileText = fc.oneof(
  fc.string({ unit: hostileUnit, maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

const entriesArbitrary = fc.array(
  fc.record({ first: hostileText, last: hostileText, company: hostileText, title: hostileText }),
  { maxLength: 6 },
);

function toEntries(rows: { first: string; last: string; company: string; title: string }[]): PhonebookEntry[] {
  return rows.map((row, index) => ({
    id: `id-${index}`,
    // The leading letters keep both names non-empty after cleaning, which fixes the element count.
    firstName: `F${row.first}`,
    lastName: `L${row.last}`,
    company: row.company,
    title: row.title,
    numbers: [{ type: 'work', number: `+4930${index}` }],
  }));
}

describe('arbitrary text in names never becomes markup', () => {
  it('every format parses strictly with exactly the expected elements', async () => {
    const ciscoPages: XmlFile[] = [];
    await fc.assert(
      fc.asyncProperty(entriesArbitrary, hostileText, async (rows, title) => {
        const entries = toEntries(rows);
        const rendered = await Promise.all(
          PHONEBOOK_FORMATS.map(async (format) => {
            const { files } = await renderPhonebook(format, { title, entries }, { baseUrl: BASE_URL });
            // cisco.xml duplicates cisco-1.xml; check each document once.
            return { format, file: files[files.length - 1]! };
          }),
        );
        for (const { file } of rendered) expect(leakedWords(file.body)).toEqual([]);
        const canonical = await parseStrict(
          rendered.map(({ format, file }) => ({ name: `${format}.xml`, body: file.body })),
        );
        const expected = PHONEBOOK_FORMATS.reduce((sum, format) => sum + EXPECTED_ELEMENTS[format](entries.length), 0);
        expect(countElements(canonical)).toBe(expected);
        for (const { format, file } of rendered) {
          if (format === 'cisco') ciscoPages.push({ name: `cisco-${ciscoPages.length}.xml`, body: file.body });
        }
      }),
      { numRuns: 100 },
    );
    // One schema run for every page the property produced (xmllint start-up dominates small files).
    await validateCisco(ciscoPages);
  }, 120_000);

  it('the element arithmetic itself is right (a name that did inject would be caught)', async () => {
    const entries = toEntries([{ first: 'x', last: 'y', company: 'z', title: 't' }]);
    for (const format of PHONEBOOK_FORMATS) {
      const { files } = await renderPhonebook(format, { title: 'T', entries }, { baseUrl: BASE_URL });
      const canonical = await parseStrict([files[files.length - 1]!]);
      expect(countElements(canonical), format).toBe(EXPECTED_ELEMENTS[format](1));
      // One injected element changes the count.
      expect(countElements(`${canonical}<Injected/>`)).toBe(EXPECTED_ELEMENTS[format](1) + 1);
    }
  });
});
