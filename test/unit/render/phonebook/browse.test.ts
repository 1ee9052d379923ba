import { describe, expect, it } from 'vitest';

import { BadRequestError } from '#src/errors/errors.js';
import {
  ciscoSearchInput,
  ciscoSearchPage,
  gigasetList,
  PhonebookSearchIndex,
  searchEntries,
  yealinkSearchResult,
} from '#src/modules/render/phonebook/browse.js';
import type { PhonebookEntry } from '#src/modules/render/phonebook/index.js';
import { HAZARD_ENTRIES, numberedEntries } from './support/fixtures.js';
import { matchGolden } from './support/golden.js';
import { countOccurrences, leakedWords, parseStrict, validateCisco } from './support/xml-check.js';

const SEARCH_URL = 'https://prov.example.com/pb/Tok3n-abc/cisco-search';

const PEOPLE: PhonebookEntry[] = [
  {
    id: '1',
    firstName: 'Anna',
    lastName: 'Bäcker',
    company: 'Bakery',
    numbers: [{ type: 'work', number: '+49 30 1234567' }],
  },
  { id: '2', firstName: 'Jürgen', lastName: 'Müller', numbers: [{ type: 'mobile', number: '+49 170 5550001' }] },
  {
    id: '3',
    firstName: 'Bob',
    lastName: 'Muller',
    company: 'Müller & Söhne',
    numbers: [{ type: 'work', number: '2002' }],
  },
  { id: '4', firstName: 'Zoë', lastName: 'Øster', numbers: [{ type: 'home', number: '(030) 99-88' }] },
  { id: '5', firstName: 'No', lastName: 'Number', numbers: [] },
];

const ids = (entries: PhonebookEntry[]) => entries.map((entry) => entry.id);

function texts(body: Buffer, element: string): string[] {
  return [...body.toString().matchAll(new RegExp(`<${element}>([^<]*)</${element}>`, 'g'))].map((match) =>
    match[1]!.replace(/&amp;/g, '&'),
  );
}

describe('searchEntries', () => {
  it('matches names and company ignoring case and accents, in input order', () => {
    expect(ids(searchEntries(PEOPLE, 'muller'))).toEqual(['2', '3']);
    expect(ids(searchEntries(PEOPLE, 'MÜLLER'))).toEqual(['2', '3']);
    expect(ids(searchEntries(PEOPLE, 'backer'))).toEqual(['1']);
    expect(ids(searchEntries(PEOPLE, 'ZOE oster'))).toEqual(['4']);
    expect(ids(searchEntries(PEOPLE, 'sohne'))).toEqual(['3']);
  });

  it('requires every word to match', () => {
    expect(ids(searchEntries(PEOPLE, 'jurgen muller'))).toEqual(['2']);
    expect(ids(searchEntries(PEOPLE, 'anna muller'))).toEqual([]);
  });

  it('matches numbers by digits only, whatever the punctuation', () => {
    expect(ids(searchEntries(PEOPLE, '+49 (30) 123'))).toEqual(['1']);
    expect(ids(searchEntries(PEOPLE, '3099'))).toEqual(['4']);
    expect(ids(searchEntries(PEOPLE, '030-9988'))).toEqual(['4']);
    expect(ids(searchEntries(PEOPLE, 'bob 2002'))).toEqual(['3']);
  });

  it('returns every dialable entry for an empty query and accepts a prepared index', () => {
    const index = new PhonebookSearchIndex(PEOPLE);
    expect(ids(searchEntries(index, '  '))).toEqual(['1', '2', '3', '4']);
    expect(ids(searchEntries(index, 'muller'))).toEqual(['2', '3']);
  });
});

describe('Yealink #SEARCH results', () => {
  it('lists the matches as a YealinkIPPhoneDirectory, limited in size', async () => {
    const body = yealinkSearchResult(PEOPLE, 'müller');
    expect(texts(body, 'Name')).toEqual(['Jürgen Müller', 'Bob Muller']);
    expect(countOccurrences(yealinkSearchResult(numberedEntries(50), '', { limit: 20 }), '<DirectoryEntry>')).toBe(20);
    await parseStrict([{ name: 'yealink-search.xml', body }]);
    const golden = matchGolden('browse/yealink-search.xml', yealinkSearchResult(HAZARD_ENTRIES, 'e'));
    expect(golden.actual).toBe(golden.expected);
  });
});

describe('Cisco search', () => {
  it('offers a schema-valid input prompt that submits to the search URL', async () => {
    const body = ciscoSearchInput(SEARCH_URL);
    expect(texts(body, 'URL')).toEqual([SEARCH_URL]);
    expect(texts(body, 'QueryStringParam')).toEqual(['q']);
    await validateCisco([{ name: 'input.xml', body }]);
    const golden = matchGolden('browse/cisco-search-input.xml', body);
    expect(golden.actual).toBe(golden.expected);
  });

  it('pages results by 32 with Prev/Next carrying the query, and clamps the page', async () => {
    const entries = numberedEntries(70);
    const first = ciscoSearchPage(entries, 'first', 1, SEARCH_URL);
    const second = ciscoSearchPage(entries, 'first', 2, SEARCH_URL);
    const beyond = ciscoSearchPage(entries, 'first', 99, SEARCH_URL);
    expect(countOccurrences(first, '<DirectoryEntry>')).toBe(32);
    expect(texts(first, 'Prompt')).toEqual(['Page 1 of 3']);
    expect(texts(second, 'URL')).toEqual([
      'SoftKey:Dial',
      `${SEARCH_URL}?q=first&page=1`,
      `${SEARCH_URL}?q=first&page=3`,
      SEARCH_URL,
      'SoftKey:Exit',
    ]);
    expect(texts(beyond, 'Prompt')).toEqual(['Page 3 of 3']);
    expect(countOccurrences(beyond, '<DirectoryEntry>')).toBe(6);
    await validateCisco([first, second, beyond].map((body, index) => ({ name: `page-${index}.xml`, body })));
  });

  it('says so when nothing matches, without a Dial key', async () => {
    const body = ciscoSearchPage(PEOPLE, 'nobody here', 1, SEARCH_URL);
    expect(texts(body, 'Prompt')).toEqual(['No match']);
    expect(texts(body, 'Name')).toEqual(['Search', 'Exit']);
    await validateCisco([{ name: 'none.xml', body }]);
  });

  it('encodes hostile queries into URLs that stay within 256 characters', async () => {
    const query = '&<>"\' 😀 山田 ]]> '.repeat(6);
    const body = ciscoSearchPage(
      numberedEntries(40).map((entry) => ({ ...entry, company: query })),
      query,
      1,
      SEARCH_URL,
    );
    const next = texts(body, 'URL').find((url) => url.includes('page=2'))!;
    expect(next.length).toBeLessThanOrEqual(256);
    expect(next.startsWith(`${SEARCH_URL}?q=%26%3C%3E%22'%20`)).toBe(true);
    expect(leakedWords(body)).toEqual([]);
    await validateCisco([{ name: 'hostile.xml', body }]);
    const golden = matchGolden('browse/cisco-search-page.xml', ciscoSearchPage(HAZARD_ENTRIES, 'e', 1, SEARCH_URL));
    expect(golden.actual).toBe(golden.expected);
  });

  it('rejects a base URL a phone could not use', () => {
    expect(() => ciscoSearchInput('javascript:alert(1)')).toThrow(BadRequestError);
    expect(() => ciscoSearchPage(PEOPLE, 'a', 1, '')).toThrow(BadRequestError);
  });
});

describe('Gigaset list browsing', () => {
  const book = numberedEntries(30);

  it('answers first/count windows with total, first and last', async () => {
    const body = gigasetList(book, { first: 11, count: 5 });
    expect(body.toString()).toContain('<list response="get_list" type="pr" total="30" first="11" last="15">');
    expect(texts(body, 'ln')).toEqual(['Last000010', 'Last000011', 'Last000012', 'Last000013', 'Last000014']);
    await parseStrict([{ name: 'window.xml', body }]);
  });

  it('jumps to the first last name starting with set_first, accent- and case-insensitively', () => {
    const names: PhonebookEntry[] = ['Adams', 'Böhm', 'Bower', 'Carter', 'Davis'].map((lastName, index) => ({
      id: String(index),
      lastName,
      numbers: [{ type: 'work', number: String(100 + index) }],
    }));
    expect(texts(gigasetList(names, { first: 1, count: 2, setFirst: 'BO' }), 'ln')).toEqual(['Böhm', 'Bower']);
    expect(texts(gigasetList(names, { first: 1, count: 2, setFirst: 'bow' }), 'ln')).toEqual(['Bower', 'Carter']);
    // No name starts with "Ca" + "z": start at the next name in order.
    expect(texts(gigasetList(names, { first: 1, count: 1, setFirst: 'caz' }), 'ln')).toEqual(['Davis']);
    // Past the end: show the last page.
    expect(texts(gigasetList(names, { first: 1, count: 2, setFirst: 'zz' }), 'ln')).toEqual(['Carter', 'Davis']);
  });

  it('answers an empty window past the end and skips entries without numbers', async () => {
    const body = gigasetList([...book, { id: 'x', lastName: 'Zero', numbers: [] }], { first: 40, count: 10 });
    expect(body.toString()).toContain('total="30" first="1" last="0"');
    expect(countOccurrences(body, '<entry>')).toBe(0);
    await parseStrict([{ name: 'empty.xml', body }]);
    const golden = matchGolden('browse/gigaset-list.xml', gigasetList(HAZARD_ENTRIES, { first: 2, count: 4 }));
    expect(golden.actual).toBe(golden.expected);
  });
});
