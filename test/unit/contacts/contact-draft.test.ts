import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dedupeKey,
  validateDraft,
  type ContactDraft,
  type NormalisedContact,
} from '#src/modules/contacts/io/contact-draft.js';
import { draftArbitrary } from './io-fixtures.js';

function valid(draft: ContactDraft, defaultCountry?: string): NormalisedContact {
  const result = validateDraft(draft, { defaultCountry });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.contact;
}

function codes(draft: ContactDraft, defaultCountry?: string): string[] {
  const result = validateDraft(draft, { defaultCountry });
  return result.ok ? [] : result.errors.map((e) => e.code);
}

describe('validateDraft', () => {
  it('normalises public numbers to E.164 and keeps extensions as digits', () => {
    const contact = valid(
      {
        firstName: '  Jane ',
        lastName: 'Doe',
        numbers: [
          { type: 'mobile', number: '0170 123 4567' },
          { type: 'work', number: ' 1234 ' },
          { type: 'fax', number: '+44 20 7946 0958' },
        ],
      },
      'DE',
    );
    expect(contact).toEqual({
      firstName: 'Jane',
      lastName: 'Doe',
      company: null,
      title: null,
      email: null,
      numbers: [
        { type: 'work', number: '1234' },
        { type: 'mobile', number: '+491701234567' },
        { type: 'fax', number: '+442079460958' },
      ],
    });
  });

  it('requires a name and a number', () => {
    expect(codes({ numbers: [{ type: 'work', number: '1234' }] })).toEqual(['name_required']);
    expect(codes({ company: 'ACME', numbers: [] })).toEqual(['number_required']);
    expect(codes({ company: '   ', numbers: [{ type: 'work', number: '  ' }] })).toEqual([
      'name_required',
      'number_required',
    ]);
  });

  it('rejects invalid numbers instead of guessing', () => {
    expect(codes({ company: 'ACME', numbers: [{ type: 'work', number: '030 1234567' }] })).toEqual(['invalid_number']);
    expect(codes({ company: 'ACME', numbers: [{ type: 'work', number: '+49 30 12ab' }] })).toEqual(['invalid_number']);
    expect(codes({ company: 'ACME', numbers: [{ type: 'pager' as 'work', number: '1234' }] })).toEqual([
      'invalid_number_type',
    ]);
  });

  it('enforces length limits in characters, not bytes', () => {
    expect(codes({ firstName: '日'.repeat(100), numbers: [{ type: 'work', number: '12' }] })).toEqual([]);
    expect(codes({ firstName: '日'.repeat(101), numbers: [{ type: 'work', number: '12' }] })).toEqual(['too_long']);
    expect(codes({ firstName: '🎉'.repeat(100), numbers: [{ type: 'work', number: '12' }] })).toEqual([]);
    const longestEmail = `${'a'.repeat(60)}@${'b'.repeat(190)}.de`;
    expect(codes({ company: 'x', email: longestEmail, numbers: [{ type: 'work', number: '12' }] })).toEqual([]);
    const longEmail = `${'a'.repeat(60)}@${'b'.repeat(191)}.de`;
    expect(codes({ company: 'x', email: longEmail, numbers: [{ type: 'work', number: '12' }] })).toEqual(['too_long']);
  });

  it('checks the shape of email addresses', () => {
    for (const email of ['plain', 'a@b', 'a b@c.de', 'a@@b.de', '@b.de']) {
      expect(codes({ company: 'x', email, numbers: [{ type: 'work', number: '12' }] }), email).toEqual([
        'invalid_email',
      ]);
    }
    expect(valid({ company: 'x', email: ' jürgen@müller.de ', numbers: [{ type: 'work', number: '12' }] }).email).toBe(
      'jürgen@müller.de',
    );
  });

  it('turns line breaks and tabs into spaces, keeps Unicode and bidi marks, and NFC-normalises', () => {
    const contact = valid({
      firstName: 'Zoe\u0308',
      lastName: 'Line\r\nbreak\ttab',
      company: 'שלום\u200F',
      title: '山田 🎉 & < > " \'',
      numbers: [{ type: 'work', number: '12' }],
    });
    expect(contact.firstName).toBe('Zoë');
    expect(contact.firstName).toHaveLength(3);
    expect(contact.lastName).toBe('Line break tab');
    expect(contact.company).toBe('שלום\u200F');
    expect(contact.title).toBe('山田 🎉 & < > " \'');
  });

  it('refuses other control characters (NUL, BEL, DEL, C1) in any text field as invalid_text, naming the character', () => {
    const result = validateDraft({
      firstName: 'Zoe\u0000',
      lastName: 'Bell\u0007',
      company: 'A\u007F',
      title: 'B\u0090',
      email: 'a\u0000@example.com',
      numbers: [{ type: 'work', number: '12' }],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.field, e.code, e.message])).toEqual([
      ['firstName', 'invalid_text', 'firstName holds a control character (U+0000)'],
      ['lastName', 'invalid_text', 'lastName holds a control character (U+0007)'],
      ['company', 'invalid_text', 'company holds a control character (U+007F)'],
      ['title', 'invalid_text', 'title holds a control character (U+0090)'],
      ['email', 'invalid_text', 'email holds a control character (U+0000)'],
    ]);
  });

  it('drops repeated numbers of the same type and orders numbers by type', () => {
    const contact = valid({
      company: 'x',
      numbers: [
        { type: 'other', number: '99' },
        { type: 'home', number: '+49 30 12345678' },
        { type: 'home', number: '+493012345678' },
        { type: 'work', number: '+49 30 12345678' },
      ],
    });
    expect(contact.numbers).toEqual([
      { type: 'work', number: '+493012345678' },
      { type: 'home', number: '+493012345678' },
      { type: 'other', number: '99' },
    ]);
  });

  it('is idempotent: a validated contact validates to itself', () => {
    fc.assert(
      fc.property(draftArbitrary, (draft) => {
        const first = validateDraft(draft);
        if (!first.ok) return;
        const { firstName, lastName, company, title, email, numbers } = first.contact;
        const again = validateDraft({
          firstName: firstName ?? undefined,
          lastName: lastName ?? undefined,
          company: company ?? undefined,
          title: title ?? undefined,
          email: email ?? undefined,
          numbers,
        });
        expect(again).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });
});

describe('dedupeKey', () => {
  const base = valid({
    firstName: 'Jürgen',
    lastName: 'Müller',
    numbers: [
      { type: 'work', number: '12' },
      { type: 'mobile', number: '34' },
    ],
  });

  it('ignores case, accents, number order and number types', () => {
    const other = valid({
      firstName: 'JURGEN',
      lastName: 'muller',
      company: 'ACME',
      numbers: [
        { type: 'home', number: '34' },
        { type: 'fax', number: '12' },
      ],
    });
    expect(dedupeKey(other)).toBe(dedupeKey(base));
  });

  it('differs when the name or the numbers differ', () => {
    expect(dedupeKey(valid({ firstName: 'Jürgen', lastName: 'Maier', numbers: base.numbers }))).not.toBe(
      dedupeKey(base),
    );
    expect(
      dedupeKey(valid({ firstName: 'Jürgen', lastName: 'Müller', numbers: [{ type: 'work', number: '12' }] })),
    ).not.toBe(dedupeKey(base));
  });

  it('uses the company when there is no person name', () => {
    const a = valid({ company: 'ACME GmbH', numbers: [{ type: 'work', number: '12' }] });
    const b = valid({ company: 'acme gmbh', numbers: [{ type: 'other', number: '12' }] });
    expect(dedupeKey(a)).toBe(dedupeKey(b));
  });
});

describe('validateDraft number cache', () => {
  it('answers a repeated number from the cache exactly as the first time, per default country', () => {
    const draft: ContactDraft = { lastName: 'Switchboard', numbers: [{ type: 'work', number: '030 1234567' }] };
    const germany = valid(draft, 'DE');
    expect(germany.numbers).toEqual([{ type: 'work', number: '+49301234567' }]);
    expect(codes(draft)).toEqual(['invalid_number']);
    expect(valid(draft, 'DE')).toEqual(germany);
    expect(codes(draft, 'AT')).toEqual(['invalid_number']);
    expect(valid(draft, 'DE')).toEqual(germany);
    expect(codes(draft)).toEqual(['invalid_number']);
  });

  it('is deterministic across repeated validation of the same drafts', () => {
    fc.assert(
      fc.property(draftArbitrary, (draft) => {
        expect(validateDraft(draft, { defaultCountry: 'DE' })).toEqual(validateDraft(draft, { defaultCountry: 'DE' }));
      }),
    );
  });
});
