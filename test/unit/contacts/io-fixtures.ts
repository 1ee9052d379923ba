import { Readable } from 'node:stream';
import fc from 'fast-check';
import { validateDraft, type ContactDraft, type NormalisedContact } from '#src/modules/contacts/io/contact-draft.js';
import type { ImportRowResult } from '#src/modules/contacts/io/import-result.js';

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** The text as a byte stream in small chunks, so chunk edges cut lines, CRLFs and UTF-8 characters. */
export function byteStream(text: string, chunkSize = 7): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks).toString('utf8');
}

export function okContacts(results: ImportRowResult[]): NormalisedContact[] {
  return results.flatMap((r) => (r.ok ? [r.contact] : []));
}

export function errorCodes(results: ImportRowResult[]): { line: number; codes: string[] }[] {
  return results.flatMap((r) => (r.ok ? [] : [{ line: r.line, codes: r.errors.map((e) => e.code) }]));
}

export const HOSTILE_TEXT = [
  '=SUM(A1:A9)',
  '+cmd|" /C calc"!A0',
  '-2+3',
  '@SUM(1)',
  "'=already quoted",
  "''+two quotes",
  `& < > " '`,
  ']]>',
  'Zoë Ångström-Müller',
  '山田 太郎',
  '🎉 Party 👩‍👩‍👧',
  'שלום עליכם\u200F',
  'مرحبا',
  'a,b;c\\d|e',
  '"quoted"',
  'END:VCARD',
  ' padded ',
];

const text = fc.option(
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.string({ maxLength: 30 }),
    fc.constantFrom(...HOSTILE_TEXT),
  ),
  { nil: undefined },
);

// Berlin numbers with eight subscriber digits are all valid, plus internal extensions.
const number = fc.oneof(
  fc.integer({ min: 10_000_000, max: 99_999_999 }).map((n) => `+4930${n}`),
  fc.integer({ min: 1_000_000, max: 99_999_999 }).map((n) => `+49170${n}`.slice(0, 14)),
  fc.stringMatching(/^[0-9]{2,6}$/),
);

export const draftArbitrary: fc.Arbitrary<ContactDraft> = fc.record({
  firstName: text,
  lastName: text,
  company: text,
  title: text,
  email: fc.option(fc.emailAddress(), { nil: undefined }),
  numbers: fc.array(fc.record({ type: fc.constantFrom('work', 'mobile', 'home', 'fax', 'other' as const), number }), {
    minLength: 1,
    maxLength: 5,
  }),
});

/** Random contacts that pass validation, i.e. what the database will hold. */
export const contactArbitrary: fc.Arbitrary<NormalisedContact> = draftArbitrary
  .map((draft) => validateDraft(draft))
  .filter((result) => result.ok)
  .map((result) => (result as { ok: true; contact: NormalisedContact }).contact);
