import { Readable } from 'node:stream';
import type { ContactNumber, NormalisedContact } from './contact-draft.js';

const CRLF = '\r\n';
const MAX_LINE_OCTETS = 75;

/**
 * Streams contacts as vCard 4.0 (RFC 6350), one card per contact, CRLF line ends, lines
 * folded at 75 octets. Byte-stable: the same contacts always give the same bytes.
 */
export function exportVcard(contacts: AsyncIterable<NormalisedContact> | Iterable<NormalisedContact>): Readable {
  return Readable.from(cards(contacts), { objectMode: false });
}

async function* cards(
  contacts: AsyncIterable<NormalisedContact> | Iterable<NormalisedContact>,
): AsyncGenerator<Buffer> {
  for await (const contact of contacts) yield Buffer.from(contactCard(contact), 'utf8');
}

export function contactCard(contact: NormalisedContact): string {
  const person = [contact.firstName, contact.lastName].filter((part): part is string => part !== null).join(' ');
  const lines = [
    'BEGIN:VCARD',
    'VERSION:4.0',
    `FN:${escapeText(person.length > 0 ? person : (contact.company ?? ''))}`,
  ];
  if (contact.firstName !== null || contact.lastName !== null) {
    lines.push(`N:${escapeComponent(contact.lastName ?? '')};${escapeComponent(contact.firstName ?? '')};;;`);
  }
  if (contact.company !== null) lines.push(`ORG:${escapeComponent(contact.company)}`);
  if (contact.title !== null) lines.push(`TITLE:${escapeText(contact.title)}`);
  if (contact.email !== null) lines.push(`EMAIL:${escapeText(contact.email)}`);
  for (const number of contact.numbers) lines.push(telLine(number));
  lines.push('END:VCARD');
  return lines.map(foldLine).join(CRLF) + CRLF;
}

// RFC 6350 has no "other" telephone type; a plain voice line is what readers show as "other".
const TEL_TYPES: Record<ContactNumber['type'], string> = {
  work: '"work,voice"',
  mobile: 'cell',
  home: '"home,voice"',
  fax: 'fax',
  other: 'voice',
};

function telLine({ type, number }: ContactNumber): string {
  // Internal extensions have no global form, and a tel: URI without one is invalid, so they
  // are written as text.
  if (number.startsWith('+')) return `TEL;VALUE=uri;TYPE=${TEL_TYPES[type]}:tel:${number}`;
  return `TEL;VALUE=text;TYPE=${TEL_TYPES[type]}:${escapeText(number)}`;
}

/** RFC 6350 §3.4 text escaping. */
export function escapeText(value: string): string {
  return value.replace(/[\\,\n]/g, (char) => (char === '\n' ? '\\n' : `\\${char}`));
}

/**
 * A component of a structured value (N, ORG) also escapes ';'. Single-valued text does not:
 * RFC 6350 does not ask for it there, and ical.js would keep the backslash.
 */
export function escapeComponent(value: string): string {
  return escapeText(value).replace(/;/g, '\\;');
}

/**
 * Folds a content line so no physical line exceeds 75 octets (continuations start with a
 * space, which counts). Splits only between code points, so a multi-byte UTF-8 character or a
 * surrogate pair is never cut.
 */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= MAX_LINE_OCTETS) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = MAX_LINE_OCTETS;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = MAX_LINE_OCTETS - 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}
