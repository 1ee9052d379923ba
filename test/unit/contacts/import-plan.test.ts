import { describe, expect, it } from 'vitest';
import { planBatch, type ExistingContact, type ImportRow } from '#src/modules/contacts/import/import-plan.js';
import { searchTerms, searchTextFor, storedDedupeKey } from '#src/modules/contacts/contact-search.js';
import type { NormalisedContact } from '#src/modules/contacts/io/contact-draft.js';

function contact(fields: Partial<NormalisedContact>): NormalisedContact {
  return {
    firstName: null,
    lastName: null,
    company: null,
    title: null,
    email: null,
    numbers: [{ type: 'work', number: '+4930123456' }],
    ...fields,
  };
}

function row(line: number, fields: Partial<NormalisedContact>): ImportRow {
  const value = contact(fields);
  return { line, key: storedDedupeKey(value), contact: value };
}

describe('planBatch', () => {
  const rows = [
    row(2, { firstName: 'José', lastName: 'Núñez' }),
    row(3, { firstName: 'JOSE', lastName: 'nunez', company: 'Acme' }),
    row(4, { firstName: 'Ana', lastName: 'Núñez' }),
  ];

  it('merge: one insert per key, later rows only fill gaps', () => {
    const plan = planBatch(rows, 'merge', new Map(), new Map(), false);
    expect(plan.inserts.map((i) => [i.line, i.contact.firstName, i.contact.company])).toEqual([
      [2, 'José', 'Acme'],
      [4, 'Ana', null],
    ]);
    expect(plan).toMatchObject({ created: 2, merged: 1, duplicates: 0, errors: [], updates: [] });
  });

  it('merge into an existing contact: update only when something changes', () => {
    const existing = new Map<string, ExistingContact>([
      [rows[0]!.key, { id: 'c1', contact: contact({ firstName: 'José', lastName: 'Núñez', title: 'CEO' }) }],
    ]);
    const plan = planBatch(rows, 'merge', new Map(), existing, false);
    expect(plan.updates).toEqual([
      { id: 'c1', contact: contact({ firstName: 'José', lastName: 'Núñez', title: 'CEO', company: 'Acme' }) },
    ]);
    expect(plan.mergedInto).toEqual(['c1']);
    expect(plan).toMatchObject({ created: 1, merged: 2 });
    const unchanged = planBatch([rows[0]!], 'merge', new Map(), existing, false);
    expect(unchanged.updates).toEqual([]);
    expect(unchanged.mergedInto).toEqual(['c1']);
  });

  it('report: later rows and rows matching earlier batches or existing contacts are duplicates', () => {
    const plan = planBatch(rows, 'report', new Map(), new Map(), false);
    expect(plan.errors).toEqual([
      { line: 3, field: 'row', code: 'duplicate', message: 'same name and numbers as line 2' },
    ]);
    expect(plan).toMatchObject({ created: 2, duplicates: 1 });
    const seen = planBatch(
      rows,
      'report',
      new Map([[rows[2]!.key, 1]]),
      new Map([[rows[0]!.key, { id: 'c9', contact: rows[0]!.contact }]]),
      false,
    );
    expect(seen.errors.map((e) => [e.line, e.message])).toEqual([
      [2, 'same name and numbers as existing contact c9'],
      [3, 'same name and numbers as existing contact c9'],
      [4, 'same name and numbers as line 1'],
    ]);
    expect(seen.inserts).toEqual([]);
  });

  it('dry run: a key an earlier batch would have created counts as merged', () => {
    const plan = planBatch([rows[2]!], 'merge', new Map([[rows[2]!.key, 1]]), new Map(), true);
    expect(plan).toMatchObject({ inserts: [], created: 0, merged: 1 });
  });
});

describe('contact search', () => {
  it('folds names and keeps number digits', () => {
    expect(
      searchTextFor(
        contact({
          firstName: 'Zoë',
          lastName: 'ÅNGSTRÖM',
          numbers: [
            { type: 'work', number: '+4930123456' },
            { type: 'other', number: '4711' },
          ],
        }),
      ),
    ).toBe('zoe angstrom 4930123456 4711');
  });

  it('reads a phone-like query as one number term, with its E.164 form under the default country', () => {
    expect(searchTerms('030 123456', 'DE')).toEqual([['030123456', '4930123456']]);
    expect(searchTerms('+49 (30) 123-456')).toEqual([['4930123456']]);
    expect(searchTerms('  Zoë  Müller ')).toEqual([['zoe'], ['muller']]);
    expect(searchTerms('12')).toEqual([['12']]);
    expect(searchTerms('   ')).toEqual([]);
  });
});
