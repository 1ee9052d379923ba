import { describe, expect, it } from 'vitest';

import { BadRequestError } from '#src/errors/errors.js';
import {
  PHONEBOOK_FORMATS,
  type PhonebookEntry,
  type PhonebookFormat,
  renderPhonebook,
} from '#src/modules/render/phonebook/index.js';
import { BASE_URL, numberedEntries } from './support/fixtures.js';
import { countOccurrences, parseStrict, validateCisco } from './support/xml-check.js';

const book = (entries: PhonebookEntry[]) => ({ title: 'Staff', entries });

function texts(body: Buffer, element: string): string[] {
  const pattern = new RegExp(`<${element}>([^<]*)</${element}>`, 'g');
  return [...body.toString('utf8').matchAll(pattern)].map((match) => unescapeXml(match[1]!));
}

function unescapeXml(text: string): string {
  return text.replace(
    /&(lt|gt|quot|apos|amp);/g,
    (_entity, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name]!,
  );
}

async function expectBadRequest(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BadRequestError);
  expect((error as BadRequestError).code).toBe(code);
}

describe('vendor caps', () => {
  it('Grandstream keeps 1000 contacts and says so', async () => {
    const { files, warnings, entryCount } = await renderPhonebook('grandstream', book(numberedEntries(1001)));
    expect(countOccurrences(files[0]!.body, '<Contact>')).toBe(1000);
    expect(entryCount).toBe(1000);
    expect(warnings).toEqual(['truncated to 1000 entries (grandstream cap); 1 more left out']);
  });

  it('Snom keeps 250 items with unique 0-based indexes by default, and the cap is configurable', async () => {
    const { files, warnings, entryCount } = await renderPhonebook('snom', book(numberedEntries(200, 2)));
    const indexes = [...files[0]!.body.toString().matchAll(/index="(\d+)"/g)].map((match) => Number(match[1]));
    expect(indexes).toEqual(Array.from({ length: 250 }, (_unused, index) => index));
    expect(entryCount).toBe(125);
    expect(warnings).toEqual(['truncated to 250 items (snom cap); 150 more left out']);

    const older = await renderPhonebook('snom', book(numberedEntries(200)), { cap: 100 });
    expect(countOccurrences(older.files[0]!.body, '<item ')).toBe(100);
    expect(older.warnings).toEqual(['truncated to 100 items (configured cap); 100 more left out']);
  });

  it('Gigaset keeps 2000 entries in the central book and reports the list bounds', async () => {
    const { files, warnings } = await renderPhonebook('gigaset', book(numberedEntries(2001)));
    const body = files[0]!.body;
    expect(body.toString()).toContain('<list response="get_list" type="pr" total="2000" first="1" last="2000">');
    expect(countOccurrences(body, '<entry>')).toBe(2000);
    expect(warnings).toEqual(['truncated to 2000 entries (gigaset central book cap); 1 more left out']);
  });

  it('a configured cap applies to formats without a vendor cap', async () => {
    const { files, warnings, entryCount } = await renderPhonebook('yealink', book(numberedEntries(12)), { cap: 5 });
    expect(countOccurrences(files[0]!.body, '<DirectoryEntry>')).toBe(5);
    expect(entryCount).toBe(5);
    expect(warnings).toEqual(['truncated to 5 entries (configured cap); 7 more left out']);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects cap %s', async (cap) => {
    await expectBadRequest(renderPhonebook('yealink', book([]), { cap }), 'invalid_phonebook_cap');
  });

  it('rejects an unknown format', async () => {
    await expectBadRequest(renderPhonebook('nokia' as PhonebookFormat, book([])), 'unknown_phonebook_format');
  });
});

describe('Poly directory', () => {
  it('gives speed-dial indexes 1..9999 only and warns for the rest', async () => {
    const { files, warnings } = await renderPhonebook('poly', book(numberedEntries(5000, 2)));
    const body = files[0]!.body;
    expect(countOccurrences(body, '<item>')).toBe(10000);
    expect(texts(body, 'sd')).toEqual(Array.from({ length: 9999 }, (_unused, index) => String(index + 1)));
    expect(warnings).toEqual(['speed-dial index (sd) set for the first 9999 items only (poly limit)']);
  });

  it('keeps ct unique across the whole book', async () => {
    const shared: PhonebookEntry[] = [
      { id: 'a', firstName: 'Reception', numbers: [{ type: 'work', number: '100' }] },
      {
        id: 'b',
        firstName: 'Front desk',
        numbers: [
          { type: 'work', number: '100' },
          { type: 'mobile', number: '101' },
        ],
      },
    ];
    const { files, warnings, entryCount } = await renderPhonebook('poly', book(shared));
    expect(texts(files[0]!.body, 'ct')).toEqual(['100', '101']);
    expect(entryCount).toBe(2);
    expect(warnings).toEqual(['duplicate numbers skipped (poly ct must be unique): 1']);
  });

  it('cuts fn and ln to 40 UTF-8 bytes on character boundaries, keeping the row tag', async () => {
    const long: PhonebookEntry = {
      id: 'x',
      firstName: 'Ææææææææææææææææææææææææææææææ',
      lastName: 'Ünterwäldnerin-😀😀😀😀😀😀😀😀😀😀',
      numbers: [
        { type: 'work', number: '1' },
        { type: 'mobile', number: '2' },
      ],
    };
    const { files } = await renderPhonebook('poly', book([long]));
    const names = [...texts(files[0]!.body, 'fn'), ...texts(files[0]!.body, 'ln')];
    for (const name of names) {
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(40);
      expect(Buffer.from(name).toString()).toBe(name);
    }
    expect(texts(files[0]!.body, 'ln')[1]).toMatch(/😀 \(Mobile\)$/);
  });
});

describe('Cisco paging', () => {
  it('splits 70 rows into pages of 32 linked by Prev/Next, page 1 also as cisco.xml', async () => {
    const { files, entryCount } = await renderPhonebook('cisco', book(numberedEntries(70)), {
      baseUrl: `${BASE_URL}/`,
    });
    expect(files.map((file) => file.name)).toEqual(['cisco.xml', 'cisco-1.xml', 'cisco-2.xml', 'cisco-3.xml']);
    expect(files[0]!.body.equals(files[1]!.body)).toBe(true);
    expect(entryCount).toBe(70);
    const [, first, second, third] = files.map((file) => file.body);
    expect([first, second, third].map((body) => countOccurrences(body!, '<DirectoryEntry>'))).toEqual([32, 32, 6]);
    const search = `${BASE_URL}/cisco-search.xml`;
    expect(texts(first!, 'URL')).toEqual(['SoftKey:Dial', `${BASE_URL}/cisco-2.xml`, search, 'SoftKey:Exit']);
    expect(texts(second!, 'URL')).toEqual([
      'SoftKey:Dial',
      `${BASE_URL}/cisco-1.xml`,
      `${BASE_URL}/cisco-3.xml`,
      search,
      'SoftKey:Exit',
    ]);
    expect(texts(third!, 'Name').slice(0, 4)).toEqual(['Dial', 'Prev', 'Search', 'Exit']);
    expect(texts(second!, 'Position').slice(0, 5)).toEqual(['1', '2', '3', '4', '5']);
    await validateCisco(files);
  });

  it('puts exactly 32 rows on one page without a Next key', async () => {
    const { files } = await renderPhonebook('cisco', book(numberedEntries(32)), { baseUrl: BASE_URL });
    expect(files).toHaveLength(2);
    expect(texts(files[1]!.body, 'Name')).not.toContain('Next');
  });

  it('cuts names to 32 characters, keeps the number-type tag, and skips numbers too long to dial', async () => {
    const entry: PhonebookEntry = {
      id: 'x',
      firstName: 'Bartholomew-Maximilian',
      lastName: 'Featherstonehaugh',
      numbers: [
        { type: 'mobile', number: '+49 170 1234567' },
        { type: 'work', number: `sip:${'a'.repeat(40)}@example.com` },
      ],
    };
    const { files, warnings } = await renderPhonebook('cisco', book([entry]), { baseUrl: BASE_URL });
    const names = texts(files[1]!.body, 'Name').filter((name) => !['Dial', 'Search', 'Exit'].includes(name));
    expect(names).toEqual(['Bartholomew-Maximilian (Mobile)']);
    expect([...names[0]!].length).toBeLessThanOrEqual(32);
    expect(warnings).toEqual([
      'names cut to 32 characters (cisco limit): 1',
      'numbers longer than 32 characters skipped (cisco limit): 1',
    ]);
    await validateCisco(files);
  });

  it('needs a usable base URL', async () => {
    await expectBadRequest(renderPhonebook('cisco', book([])), 'phonebook_base_url_required');
    await expectBadRequest(
      renderPhonebook('cisco', book([]), { baseUrl: 'ftp://example.com/pb' }),
      'invalid_phonebook_base_url',
    );
    await expectBadRequest(renderPhonebook('cisco', book([]), { baseUrl: 'not a url' }), 'invalid_phonebook_base_url');
    await expectBadRequest(
      renderPhonebook('cisco', book([]), { baseUrl: `https://example.com/${'x'.repeat(240)}` }),
      'invalid_phonebook_base_url',
    );
  });
});

describe('edge shapes', () => {
  it.each(PHONEBOOK_FORMATS)('%s renders an empty book as a well-formed document', async (format) => {
    const { files, entryCount, warnings } = await renderPhonebook(format, book([]), { baseUrl: BASE_URL });
    expect(entryCount).toBe(0);
    expect(warnings).toEqual([]);
    await parseStrict(files);
    if (format === 'cisco') await validateCisco(files);
  });

  it('Yealink grouped units hold three numbers and say what was dropped', async () => {
    const [entry] = numberedEntries(1);
    entry!.numbers = ['1', '2', '3', '4', '5'].map((number) => ({ type: 'work' as const, number }));
    const { files, warnings } = await renderPhonebook('yealink-grouped', book([entry!]));
    expect(files[0]!.body.toString()).toContain('Phone1="1" Phone2="2" Phone3="3"');
    expect(warnings).toEqual(['numbers beyond Phone3 dropped (yealink-grouped unit holds 3): 2']);
  });

  it('Grandstream gives a contact known only by company that company as FirstName', async () => {
    const { files } = await renderPhonebook(
      'grandstream',
      book([{ id: 'c', company: 'ACME', numbers: [{ type: 'fax', number: '9' }] }]),
    );
    const body = files[0]!.body.toString();
    expect(body).toContain('<FirstName>ACME</FirstName>');
    expect(body).not.toContain('<LastName>');
    expect(body).toContain('<Phone type="Fax">');
  });
});
