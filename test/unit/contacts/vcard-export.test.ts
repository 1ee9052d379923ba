import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalisedContact } from '#src/modules/contacts/io/contact-draft.js';
import { contactCard, escapeText, exportVcard, foldLine } from '#src/modules/contacts/io/vcard-export.js';
import { importVcard } from '#src/modules/contacts/io/vcard-import.js';
import { byteStream, collect, contactArbitrary, HOSTILE_TEXT, readAll } from './io-fixtures.js';

describe('vCard 4.0 export', () => {
  it('writes one escaped card per contact with typed TEL lines', () => {
    const card = contactCard({
      firstName: 'Jürgen',
      lastName: 'Müller; Jr.',
      company: 'ACME, Inc.',
      title: 'Back\\slash',
      email: 'j@acme.example',
      numbers: [
        { type: 'work', number: '+493012345678' },
        { type: 'work', number: '21' },
        { type: 'mobile', number: '+491701234567' },
        { type: 'home', number: '+493087654321' },
        { type: 'fax', number: '+493011111111' },
        { type: 'other', number: '99' },
      ],
    });
    expect(card).toBe(
      [
        'BEGIN:VCARD',
        'VERSION:4.0',
        'FN:Jürgen Müller; Jr.',
        'N:Müller\\; Jr.;Jürgen;;;',
        'ORG:ACME\\, Inc.',
        'TITLE:Back\\\\slash',
        'EMAIL:j@acme.example',
        'TEL;VALUE=uri;TYPE="work,voice":tel:+493012345678',
        'TEL;VALUE=text;TYPE="work,voice":21',
        'TEL;VALUE=uri;TYPE=cell:tel:+491701234567',
        'TEL;VALUE=uri;TYPE="home,voice":tel:+493087654321',
        'TEL;VALUE=uri;TYPE=fax:tel:+493011111111',
        'TEL;VALUE=text;TYPE=voice:99',
        'END:VCARD',
        '',
      ].join('\r\n'),
    );
  });

  it('names a company-only contact by its company and writes no N', () => {
    const card = contactCard({
      firstName: null,
      lastName: null,
      company: 'ACME',
      title: null,
      email: null,
      numbers: [{ type: 'work', number: '10' }],
    });
    expect(card).toContain('\r\nFN:ACME\r\n');
    expect(card).not.toContain('\r\nN:');
  });

  it('folds at 75 octets without splitting a UTF-8 character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const line = `FN:${escapeText(text)}`;
        const folded = foldLine(line);
        const physical = folded.split('\r\n');
        for (const [i, part] of physical.entries()) {
          expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
          if (i > 0) expect(part.startsWith(' ')).toBe(true);
          // A cut surrogate pair would leave a lone surrogate at a part's edge.
          expect(part).not.toMatch(/^ ?[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
        }
        expect(physical.map((part, i) => (i === 0 ? part : part.slice(1))).join('')).toBe(line);
      }),
    );
  });

  it('folds multi-byte names at character boundaries', () => {
    const folded = foldLine(`FN:${'日本語'.repeat(20)}`);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    expect(Buffer.byteLength(parts[0]!, 'utf8')).toBe(75);
    for (const part of parts) expect(Buffer.from(part, 'utf8').toString('utf8')).toBe(part);
  });

  it('streams from an async source', async () => {
    async function* source(): AsyncGenerator<NormalisedContact> {
      for (let i = 0; i < 3; i++)
        yield {
          firstName: `N${i}`,
          lastName: null,
          company: null,
          title: null,
          email: null,
          numbers: [{ type: 'other', number: `1${i}` }],
        };
    }
    const text = await readAll(exportVcard(source()));
    expect(text.match(/BEGIN:VCARD/g)).toHaveLength(3);
  });
});

describe('vCard round trip', () => {
  async function roundTrip(contacts: NormalisedContact[], chunkSize: number): Promise<unknown[]> {
    const vcf = await readAll(exportVcard(Readable.from(contacts)));
    return collect(importVcard(byteStream(vcf, chunkSize)));
  }

  const expectedLines = (contacts: NormalisedContact[]): number[] => {
    let line = 1;
    return contacts.map((contact) => {
      const start = line;
      line += contactCard(contact).split('\r\n').length - 1;
      return start;
    });
  };

  it('reads back exactly the contacts it exported', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(contactArbitrary, { maxLength: 15 }),
        fc.integer({ min: 1, max: 2048 }),
        async (contacts, chunkSize) => {
          const results = await roundTrip(contacts, chunkSize);
          const lines = expectedLines(contacts);
          expect(results).toEqual(
            contacts.length === 0
              ? [expect.objectContaining({ ok: false })]
              : contacts.map((contact, i) => ({ line: lines[i], ok: true, contact })),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps hostile and multilingual text intact', async () => {
    const contacts = HOSTILE_TEXT.map((text, i): NormalisedContact => ({
      firstName: text.trim(),
      lastName: `${text.trim()} ${'Ü'.repeat(40)}`,
      company: text.trim(),
      title: text.trim(),
      email: null,
      numbers: [{ type: 'other', number: String(100 + i) }],
    }));
    const results = await roundTrip(contacts, 5);
    expect(results.map((r) => (r as { contact?: unknown }).contact)).toEqual(contacts);
  });
});
