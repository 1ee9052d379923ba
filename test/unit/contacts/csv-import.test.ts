import { describe, expect, it } from 'vitest';
import { importCsv, type CsvImportOptions } from '#src/modules/contacts/io/csv-import.js';
import { isHeaderNotice } from '#src/modules/contacts/io/import-result.js';
import { byteStream, collect, errorCodes, okContacts } from './io-fixtures.js';

const run = (text: string, options: CsvImportOptions = {}, chunkSize = 7) =>
  collect(importCsv(byteStream(text, chunkSize), options));

describe('importCsv header mapping', () => {
  it('recognises the aliases of common exports', async () => {
    const outlook = [
      'Title,First Name,Last Name,Company,Job Title,E-mail Address,Business Phone,Mobile Phone,Home Phone,Business Fax,Other Phone',
      'Dr.,Jane,Doe,ACME,CTO,jane@acme.example,+49 30 12345678,+49 170 1234567,+49 30 87654321,+49 30 11111111,4711',
    ].join('\r\n');
    const [result] = await run(outlook);
    expect(result).toEqual({
      line: 2,
      ok: true,
      contact: {
        firstName: 'Jane',
        lastName: 'Doe',
        company: 'ACME',
        title: 'CTO',
        email: 'jane@acme.example',
        numbers: [
          { type: 'work', number: '+493012345678' },
          { type: 'mobile', number: '+491701234567' },
          { type: 'home', number: '+493087654321' },
          { type: 'fax', number: '+493011111111' },
          { type: 'other', number: '4711' },
        ],
      },
    });
  });

  it('maps German, Apple-style and generic headers', async () => {
    const text =
      'Vorname,Surname,Organization,Title,Email,Phone,Cell,Fax\nJürgen,Müller,Firma,Chef,j@m.example,030 1234567,0170 1234567,\n';
    const contacts = okContacts(await run(text, { defaultCountry: 'DE' }));
    expect(contacts).toEqual([
      {
        firstName: 'Jürgen',
        lastName: 'Müller',
        company: 'Firma',
        title: 'Chef',
        email: 'j@m.example',
        numbers: [
          { type: 'work', number: '+49301234567' },
          { type: 'mobile', number: '+491701234567' },
        ],
      },
    ]);
  });

  it('applies an explicit mapping over the aliases and reports unknown columns once', async () => {
    const text = 'Name,Durchwahl,Phone,Notes\nAda,21,+49 30 12345678,hello\nBob,22,,world\n';
    const results = await run(text, { mapping: { Name: 'lastName', durchwahl: 'work', phone: 'ignore' } });
    expect(results[0]).toMatchObject({ line: 1, ok: false, errors: [{ field: 'Notes', code: 'unknown_column' }] });
    expect(isHeaderNotice(results[0]!)).toBe(true);
    expect(results.filter(isHeaderNotice)).toHaveLength(1);
    expect(okContacts(results).map((c) => [c.lastName, c.numbers])).toEqual([
      ['Ada', [{ type: 'work', number: '21' }]],
      ['Bob', [{ type: 'work', number: '22' }]],
    ]);
  });

  it('stops at a header without a name or number column', async () => {
    const results = await run('Foo,Bar\n1,2\n');
    expect(errorCodes(results)).toEqual([
      { line: 1, codes: ['unknown_column', 'unknown_column'] },
      { line: 1, codes: ['no_usable_columns'] },
    ]);
  });

  it('reports an empty file', async () => {
    expect(errorCodes(await run(''))).toEqual([{ line: 1, codes: ['empty_file'] }]);
    expect(errorCodes(await run('\uFEFF\r\n\r\n'))).toEqual([{ line: 1, codes: ['empty_file'] }]);
  });
});

describe('importCsv file formats', () => {
  it('reads a BOM, CRLF and ; separated file with ; and , inside cells', async () => {
    const text =
      '\uFEFFFirst Name;Last Name;Company;Work Phone\r\n"Anna";"Smith; Jones";"ACME, Inc.";+49 30 12345678\r\nBen;Berg;;1234\r\n';
    for (const chunkSize of [1, 3, 64, 100_000]) {
      const results = await run(text, {}, chunkSize);
      expect(results.map((r) => r.line)).toEqual([2, 3]);
      expect(okContacts(results).map((c) => [c.firstName, c.lastName, c.company])).toEqual([
        ['Anna', 'Smith; Jones', 'ACME, Inc.'],
        ['Ben', 'Berg', null],
      ]);
    }
  });

  it('counts physical lines through quoted multi-line cells, blank lines and lone LF/CR', async () => {
    const text = 'first_name,last_name,work\r\n"Multi\r\nLine\r\nName",X,12\r\n\r\n\r\nA,"B\nC",13\nD,E,14\rF,G,15';
    const results = await run(text);
    expect(results.map((r) => [r.line, r.ok])).toEqual([
      [2, true],
      [7, true],
      [9, true],
      [10, true],
    ]);
    expect(okContacts(results)[0]!.firstName).toBe('Multi Line Name');
  });

  it('reports malformed rows with their line and goes on', async () => {
    const text = [
      'first_name,last_name,work',
      'Ok,One,11',
      'Too,Few',
      'Too,Many,12,extra',
      'Bad,"quo"te,13',
      'Stray,quo"te,14',
      'No,Number,',
      ',,15',
      'Ok,Two,16',
      'Trailing,Empty,17,,',
      '"Never,closed,18',
      'Swallowed,Row,19',
    ].join('\n');
    const results = await run(text);
    expect(errorCodes(results)).toEqual([
      { line: 3, codes: ['column_count'] },
      { line: 4, codes: ['column_count'] },
      { line: 5, codes: ['malformed_row'] },
      { line: 6, codes: ['malformed_row'] },
      { line: 7, codes: ['number_required'] },
      { line: 8, codes: ['name_required'] },
      { line: 11, codes: ['unclosed_quote'] },
    ]);
    expect(okContacts(results).map((c) => c.lastName)).toEqual(['One', 'Two', 'Empty']);
  });

  it('rejects oversized rows without holding them, then carries on', async () => {
    const huge = 'x'.repeat(5000);
    const text = `first_name,work\nA,11\n${huge},12\n"${huge}\n${huge}",13\nB,14\n`;
    const results = await run(text, { maxRowChars: 1000 }, 256);
    expect(results.map((r) => [r.line, r.ok ? 'ok' : r.errors[0]!.code])).toEqual([
      [2, 'ok'],
      [3, 'row_too_large'],
      [4, 'row_too_large'],
      [6, 'ok'],
    ]);
  });

  it('strips the formula-neutralising apostrophe where our export put one', async () => {
    const text = "first_name,last_name,mobile\n'=SUM(A1),'''-x,'+49 170 1234567 | +49 30 12345678\n";
    const [contact] = okContacts(await run(text));
    expect(contact).toMatchObject({
      firstName: '=SUM(A1)',
      lastName: "''-x",
      numbers: [
        { type: 'mobile', number: '+491701234567' },
        { type: 'mobile', number: '+493012345678' },
      ],
    });
  });

  it('reads rows lazily: the first results arrive before the source is drained', async () => {
    let pulled = 0;
    async function* source() {
      yield 'first_name,work\n';
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield `Name${i},${100 + (i % 900)}\n`;
      }
    }
    const iterator = importCsv(source())[Symbol.asyncIterator]();
    for (let i = 0; i < 5; i++) expect((await iterator.next()).done).toBe(false);
    expect(pulled).toBeLessThan(20);
    await iterator.return(undefined);
  });
});
