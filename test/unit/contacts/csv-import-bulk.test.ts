import { describe, expect, it } from 'vitest';
import { importCsv } from '#src/modules/contacts/io/csv-import.js';
import { byteStream, collect } from './io-fixtures.js';

interface Expected {
  ok: Map<number, string>;
  errors: Map<number, string>;
  text: string;
}

/**
 * 10,000 data rows with problems mixed in at fixed strides, some valid rows spanning several
 * physical lines, blank lines and non-ASCII names; the expectation is built alongside.
 */
function buildFile(rows: number): Expected {
  const ok = new Map<number, string>();
  const errors = new Map<number, string>();
  const lines: string[] = ['\uFEFFVorname;Nachname;Firma;Telefon geschäftlich;Mobiltelefon;Notizen'];
  let line = 2;
  for (let i = 0; i < rows; i++) {
    const subscriber = String(10_000_000 + i);
    let row: string;
    let expectation: ['ok' | 'error', string];
    if (i % 997 === 13) {
      row = `Huge${i};${'x'.repeat(70_000)};;+4930${subscriber};;`;
      expectation = ['error', 'row_too_large'];
    } else if (i % 101 === 7) {
      row = `Few${i};Cells`;
      expectation = ['error', 'column_count'];
    } else if (i % 103 === 11) {
      row = `Bad${i};"quo"te;ACME;+4930${subscriber};;`;
      expectation = ['error', 'malformed_row'];
    } else if (i % 107 === 17) {
      row = `Invalid${i};Number;ACME;+49 30 12ab;;`;
      expectation = ['error', 'invalid_number'];
    } else if (i % 109 === 19) {
      row = `;;;+4930${subscriber};;`;
      expectation = ['error', 'name_required'];
    } else if (i % 50 === 0) {
      row = `"Multi\r\nLine ${i}";"Ø ${i}";"ACME; ""Quoted""";+4930${subscriber};;"note\r\nspanning\r\nlines"`;
      expectation = ['ok', `Multi Line ${i}`];
    } else {
      row = `Name ${i};Müller-山田 ${i};ACME;+4930${subscriber};${i % 3 === 0 ? `'+49170${subscriber.slice(1)}` : ''};`;
      expectation = ['ok', `Name ${i}`];
    }
    (expectation[0] === 'ok' ? ok : errors).set(line, expectation[1]);
    lines.push(row);
    line += row.split('\r\n').length;
    if (i % 1000 === 999) {
      lines.push('');
      line++;
    }
  }
  return { ok, errors, text: `${lines.join('\r\n')}\r\n` };
}

describe('importCsv with 10,000 rows', () => {
  it('imports every valid row and reports every bad one at its line', async () => {
    const expected = buildFile(10_000);
    const results = await collect(importCsv(byteStream(expected.text, 16 * 1024)));

    const header = results.filter((r) => r.line === 1);
    expect(header).toEqual([
      { line: 1, ok: false, errors: [expect.objectContaining({ field: 'Notizen', code: 'unknown_column' })] },
    ]);
    const rows = results.filter((r) => r.line !== 1);
    expect(rows).toHaveLength(10_000);

    const okByLine = new Map(rows.flatMap((r) => (r.ok ? [[r.line, r.contact.firstName] as const] : [])));
    const errorByLine = new Map(
      rows.flatMap((r) => (r.ok ? [] : [[r.line, r.errors.map((e) => e.code).join(',')] as const])),
    );
    expect(okByLine).toEqual(expected.ok);
    expect(errorByLine).toEqual(expected.errors);
    expect(errorByLine.size).toBeGreaterThan(300);

    const multi = rows.find((r) => r.ok && r.contact.firstName === 'Multi Line 50');
    expect(multi).toMatchObject({ contact: { lastName: 'Ø 50', company: 'ACME; "Quoted"' } });
    const withMobile = rows.find((r) => r.ok && r.contact.firstName === 'Name 3');
    expect(withMobile).toMatchObject({
      contact: {
        numbers: [
          { type: 'work', number: '+493010000003' },
          { type: 'mobile', number: '+491700000003' },
        ],
      },
    });
  });
});
