import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dedupeKey, type NormalisedContact } from '#src/modules/contacts/io/contact-draft.js';
import { importCsv } from '#src/modules/contacts/io/csv-import.js';
import { dedupeResults } from '#src/modules/contacts/io/dedupe.js';
import type { ImportRowResult } from '#src/modules/contacts/io/import-result.js';
import { byteStream, collect, contactArbitrary } from './io-fixtures.js';

const CSV = [
  'first_name,last_name,company,title,email,work,mobile,fax',
  'Jürgen,Müller,,,,+49 30 12345678,,', // 2
  'Anna,Berg,ACME,CEO,,21,,', // 3
  'JURGEN,muller,ACME,,j@acme.example,,+49 30 12345678,', // 4: duplicate of 2 (number now a mobile)
  'Broken,Row', // 5
  'Jurgen,Muller,Other Co,Boss,x@other.example,+49 30 12345678,,+49 30 12345678', // 6: duplicate of 2
  'Jürgen,Müller,,,,+49 30 12345678,+49 170 1234567,', // 7: more numbers, not a duplicate
  'Anna,Berg,,,,21,,', // 8: duplicate of 3
].join('\n');

const importRows = () => importCsv(byteStream(CSV));

async function* fromArray(results: ImportRowResult[]): AsyncGenerator<ImportRowResult> {
  yield* results;
}

describe('dedupeResults', () => {
  it("'report' keeps the first of each key and reports later ones against its line", async () => {
    const results = await collect(dedupeResults(importRows(), 'report'));
    expect(results.map((r) => [r.line, r.ok ? 'ok' : r.errors.map((e) => `${e.code}: ${e.message}`).join()])).toEqual([
      [2, 'ok'],
      [3, 'ok'],
      [4, 'duplicate: same name and numbers as line 2'],
      [5, 'column_count: expected 8 cells, found 2'],
      [6, 'duplicate: same name and numbers as line 2'],
      [7, 'ok'],
      [8, 'duplicate: same name and numbers as line 3'],
    ]);
  });

  it("'merge' fills gaps from later duplicates in input order and unions their numbers", async () => {
    const results = await collect(dedupeResults(importRows(), 'merge'));
    expect(results).toEqual([
      { line: 5, ok: false, errors: [expect.objectContaining({ code: 'column_count' })] },
      {
        line: 2,
        ok: true,
        mergedLines: [4, 6],
        contact: {
          firstName: 'Jürgen',
          lastName: 'Müller',
          company: 'ACME',
          title: 'Boss',
          email: 'j@acme.example',
          numbers: [
            { type: 'work', number: '+493012345678' },
            { type: 'mobile', number: '+493012345678' },
            { type: 'fax', number: '+493012345678' },
          ],
        },
      },
      {
        line: 3,
        ok: true,
        mergedLines: [8],
        contact: {
          firstName: 'Anna',
          lastName: 'Berg',
          company: 'ACME',
          title: 'CEO',
          email: null,
          numbers: [{ type: 'work', number: '21' }],
        },
      },
      {
        line: 7,
        ok: true,
        contact: expect.objectContaining({
          firstName: 'Jürgen',
          numbers: [expect.anything(), { type: 'mobile', number: '+491701234567' }],
        }),
      },
    ]);
  });

  it('is deterministic and leaves distinct keys alone (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(contactArbitrary, { maxLength: 30 }), async (contacts) => {
        const input = contacts.map((contact, i): ImportRowResult => ({ line: i + 2, ok: true, contact }));
        const distinct = new Set(contacts.map(dedupeKey)).size;

        const reported = await collect(dedupeResults(fromArray(input), 'report'));
        expect(reported.filter((r) => r.ok)).toHaveLength(distinct);
        expect(reported.map((r) => r.line)).toEqual(input.map((r) => r.line));

        const merged = await collect(dedupeResults(fromArray(input), 'merge'));
        expect(merged).toHaveLength(distinct);
        expect(await collect(dedupeResults(fromArray(input), 'merge'))).toEqual(merged);
        const keys = merged.map((r) => dedupeKey((r as { contact: NormalisedContact }).contact));
        expect(new Set(keys).size).toBe(distinct);
      }),
      { numRuns: 200 },
    );
  });

  it("'report' handles 100,000 rows, keeping only keys", async () => {
    async function* rows(): AsyncGenerator<ImportRowResult> {
      for (let i = 0; i < 100_000; i++) {
        const n = i % 60_000;
        yield {
          line: i + 2,
          ok: true,
          contact: {
            firstName: `Name ${n}`,
            lastName: null,
            company: null,
            title: null,
            email: null,
            numbers: [{ type: 'work', number: `${10_000 + n}` }],
          },
        };
      }
    }
    let ok = 0;
    let duplicates = 0;
    for await (const result of dedupeResults(rows(), 'report')) {
      if (result.ok) ok++;
      else if (
        result.errors[0]!.code === 'duplicate' &&
        result.errors[0]!.message.endsWith(`line ${result.line - 60_000}`)
      )
        duplicates++;
    }
    expect([ok, duplicates]).toEqual([60_000, 40_000]);
  });
});
