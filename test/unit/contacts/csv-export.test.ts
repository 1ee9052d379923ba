import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalisedContact } from '#src/modules/contacts/io/contact-draft.js';
import { neutraliseCell, restoreCell } from '#src/modules/contacts/io/csv-cells.js';
import { contactRow, exportCsv } from '#src/modules/contacts/io/csv-export.js';
import { importCsv } from '#src/modules/contacts/io/csv-import.js';
import { byteStream, collect, contactArbitrary, HOSTILE_TEXT, readAll } from './io-fixtures.js';

const DANGEROUS = ['=', '+', '-', '@', '\t', '\r'];

const jane: NormalisedContact = {
  firstName: 'Jane',
  lastName: '=HYPERLINK("http://evil.example")',
  company: 'ACME, "Quoted" & Sons',
  title: '@boss',
  email: 'jane@acme.example',
  numbers: [
    { type: 'work', number: '+493012345678' },
    { type: 'work', number: '21' },
    { type: 'mobile', number: '+491701234567' },
  ],
};

describe('exportCsv', () => {
  it('writes a BOM, our fixed header, CRLF rows, quoting, joined numbers and neutralised cells', async () => {
    const csv = await readAll(exportCsv([jane]));
    expect(csv).toBe(
      '\uFEFFfirst_name,last_name,company,title,email,work,mobile,home,fax,other\r\n' +
        `Jane,"'=HYPERLINK(""http://evil.example"")","ACME, ""Quoted"" & Sons",'@boss,jane@acme.example,'+493012345678 | 21,'+491701234567,,,\r\n`,
    );
  });

  it('can leave out the BOM and streams from an async source', async () => {
    async function* source() {
      yield jane;
      yield { ...jane, firstName: 'Second' };
    }
    const csv = await readAll(exportCsv(source(), { bom: false }));
    expect(csv.startsWith('first_name,')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(4);
  });

  it('passes a failing source on as a stream error', async () => {
    async function* source() {
      yield jane;
      throw new Error('database went away');
    }
    await expect(readAll(exportCsv(source()))).rejects.toThrow('database went away');
  });
});

describe('formula neutralisation', () => {
  it('neutralises every cell that starts with a dangerous character, reversibly', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DANGEROUS), fc.string({ unit: 'binary' }), (first, rest) => {
        const cell = first + rest;
        const safe = neutraliseCell(cell);
        expect(safe.startsWith("'")).toBe(true);
        expect(restoreCell(safe)).toBe(cell);
      }),
    );
  });

  it('is inverted by restoreCell for any text, including text that already starts with apostrophes', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc
        .tuple(fc.stringMatching(/^'{0,3}$/), fc.constantFrom(...DANGEROUS, 'a', "'"), fc.string())
        .map((p) => p.join('')),
    );
    fc.assert(
      fc.property(text, (cell) => {
        expect(restoreCell(neutraliseCell(cell))).toBe(cell);
      }),
    );
  });

  it('leaves no exported cell starting with a dangerous character', () => {
    fc.assert(
      fc.property(contactArbitrary, (contact) => {
        for (const cell of contactRow(contact)) expect(DANGEROUS).not.toContain(cell.charAt(0));
      }),
      { numRuns: 300 },
    );
  });
});

describe('CSV round trip', () => {
  async function roundTrip(contacts: NormalisedContact[], chunkSize: number): Promise<unknown[]> {
    const csv = await readAll(exportCsv(Readable.from(contacts)));
    return collect(importCsv(byteStream(csv, chunkSize)));
  }

  it('reads back exactly the contacts it exported', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(contactArbitrary, { maxLength: 20 }),
        fc.integer({ min: 1, max: 4096 }),
        async (contacts, chunkSize) => {
          const results = await roundTrip(contacts, chunkSize);
          expect(results).toEqual(contacts.map((contact, i) => ({ line: i + 2, ok: true, contact })));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps hostile and multilingual text intact', async () => {
    const contacts = HOSTILE_TEXT.map((text, i): NormalisedContact => ({
      firstName: text.trim(),
      lastName: null,
      company: text.trim(),
      title: text.trim(),
      email: null,
      numbers: [{ type: 'other', number: String(100 + i) }],
    }));
    const results = await roundTrip(contacts, 3);
    expect(results).toEqual(contacts.map((contact, i) => ({ line: i + 2, ok: true, contact })));
  });
});
