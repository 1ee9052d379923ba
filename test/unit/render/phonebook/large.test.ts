import { describe, expect, it } from 'vitest';

import { type PhonebookFormat, renderPhonebook } from '#src/modules/render/phonebook/index.js';
import { BASE_URL, streamed } from './support/fixtures.js';
import { countOccurrences, leakedWords, parseStrict, validateCisco } from './support/xml-check.js';

const BOOK_SIZE = 50_000;
// Per format: the start tag that appears once per rendered entry.
const ENTRY_TAG: Record<PhonebookFormat, string> = {
  yealink: '<DirectoryEntry>',
  'yealink-grouped': '<Unit ',
  poly: '<item>',
  cisco: '<DirectoryEntry>',
  grandstream: '<Contact>',
  snom: '<item ',
  'snom-directory': '<DirectoryEntry>',
  fanvil: '<DirectoryEntry>',
  gigaset: '<entry>',
};

// Entries stream in from an async generator, as from a database cursor. Counts and well-formedness
// are asserted, never time (the benchmark measures speed).
describe('a 50,000-entry book', () => {
  it.each(['yealink', 'yealink-grouped', 'poly', 'snom-directory', 'fanvil'] as const)(
    '%s renders every entry',
    async (format) => {
      const { files, entryCount, warnings } = await renderPhonebook(format, {
        title: 'Everyone',
        entries: streamed(BOOK_SIZE),
      });
      expect(entryCount).toBe(BOOK_SIZE);
      expect(files).toHaveLength(1);
      expect(countOccurrences(files[0]!.body, ENTRY_TAG[format])).toBe(BOOK_SIZE);
      expect(leakedWords(files[0]!.body)).toEqual([]);
      expect(warnings).toEqual(
        format === 'poly' ? ['speed-dial index (sd) set for the first 9999 items only (poly limit)'] : [],
      );
      await parseStrict(files);
    },
    180_000,
  );

  it.each([
    ['grandstream', 1000],
    ['snom', 250],
    ['gigaset', 2000],
  ] as const)(
    '%s stops at its vendor cap of %i and says how much was left out',
    async (format, cap) => {
      const { files, entryCount, warnings } = await renderPhonebook(format, {
        title: 'Everyone',
        entries: streamed(BOOK_SIZE),
      });
      expect(entryCount).toBe(cap);
      expect(countOccurrences(files[0]!.body, ENTRY_TAG[format])).toBe(cap);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`; ${BOOK_SIZE - cap} more left out`);
      await parseStrict(files);
    },
    180_000,
  );

  it.each(['grandstream', 'snom', 'gigaset'] as const)(
    '%s renders the whole book when the cap is raised',
    async (format) => {
      const { files, entryCount, warnings } = await renderPhonebook(
        format,
        { title: 'Everyone', entries: streamed(BOOK_SIZE) },
        { cap: BOOK_SIZE },
      );
      expect(entryCount).toBe(BOOK_SIZE);
      expect(countOccurrences(files[0]!.body, ENTRY_TAG[format])).toBe(BOOK_SIZE);
      expect(warnings).toEqual([]);
      await parseStrict(files);
    },
    180_000,
  );

  it('cisco splits into 1563 schema-valid pages holding every entry', async () => {
    const { files, entryCount, warnings } = await renderPhonebook(
      'cisco',
      { title: 'Everyone', entries: streamed(BOOK_SIZE) },
      { baseUrl: BASE_URL },
    );
    const pages = files.slice(1);
    expect(entryCount).toBe(BOOK_SIZE);
    expect(warnings).toEqual([]);
    expect(pages).toHaveLength(Math.ceil(BOOK_SIZE / 32));
    expect(pages.at(-1)!.name).toBe('cisco-1563.xml');
    expect(pages.reduce((sum, page) => sum + countOccurrences(page.body, ENTRY_TAG.cisco), 0)).toBe(BOOK_SIZE);
    expect(new Set(files.map((file) => file.sha256)).size).toBe(pages.length);
    await validateCisco(pages);
  }, 180_000);
});
