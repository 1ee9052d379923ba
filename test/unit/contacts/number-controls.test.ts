import { describe, expect, it } from 'vitest';
import { validateDraft } from '#src/modules/contacts/io/contact-draft.js';
import { importCsv } from '#src/modules/contacts/io/csv-import.js';
import { importVcard } from '#src/modules/contacts/io/vcard-import.js';
import { byteStream, collect, errorCodes, okContacts } from './io-fixtures.js';

// A control character inside a number is a broken value, never repaired by dropping it.
const BROKEN = ['030 123\n4567', '030 123\u00004567', '030 123\u00074567', '\r030 1234567', '\r12', '12\u0000', '\n'];

describe('control characters in contact numbers', () => {
  it('make the number invalid (validateDraft)', () => {
    for (const number of BROKEN) {
      const result = validateDraft({ lastName: 'Doe', numbers: [{ type: 'work', number }] }, { defaultCountry: 'DE' });
      expect(result.ok, JSON.stringify(number)).toBe(false);
      if (!result.ok) expect(result.errors.map((e) => e.code)).toEqual(['invalid_number']);
    }
    const fine = validateDraft(
      {
        lastName: 'Doe',
        numbers: [
          { type: 'work', number: ' \t030 123 4567\u00a0' },
          { type: 'other', number: ' 12 ' },
        ],
      },
      { defaultCountry: 'DE' },
    );
    expect(fine.ok && fine.contact.numbers).toEqual([
      { type: 'work', number: '+49301234567' },
      { type: 'other', number: '12' },
    ]);
  });

  it('are a per-row error in a CSV import', async () => {
    const text = [
      'last_name,work',
      'Ok,030 1234567',
      '"Broken","030 123\n4567"',
      'Nul,030 123\u00004567',
      'Bell,030 123\u00074567',
      'Fine,12',
    ].join('\r\n');
    const results = await collect(importCsv(byteStream(text), { defaultCountry: 'DE' }));
    expect(errorCodes(results)).toEqual([
      { line: 3, codes: ['invalid_number'] },
      { line: 5, codes: ['invalid_number'] },
      { line: 6, codes: ['invalid_number'] },
    ]);
    expect(okContacts(results).map((c) => c.lastName)).toEqual(['Ok', 'Fine']);
  });

  it('are a per-card error in a vCard import', async () => {
    const card = (name: string, tel: string) =>
      ['BEGIN:VCARD', 'VERSION:3.0', `N:${name};;;;`, `TEL;TYPE=WORK:${tel}`, 'END:VCARD'].join('\r\n');
    const text = [card('Ok', '030 1234567'), card('Nul', '030 123\u00004567'), card('Bell', '030 123\u00074567')].join(
      '\r\n',
    );
    const results = await collect(importVcard(byteStream(text), { defaultCountry: 'DE' }));
    expect(okContacts(results).map((c) => c.lastName)).toEqual(['Ok']);
    expect(errorCodes(results).map((r) => r.codes)).toEqual([['invalid_number'], ['invalid_number']]);
  });
});
