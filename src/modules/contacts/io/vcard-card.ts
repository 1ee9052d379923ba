import ICAL from 'ical.js';
import { type ContactDraft } from './contact-draft.js';
import { cleanText } from './contact-text.js';
import type { NumberType } from '../../../model/contacts/contact-number.entity.js';

type JCardValue = string | (string | string[])[];
type JCardProperty = [name: string, params: Record<string, string | string[]>, type: string, ...values: JCardValue[]];

/**
 * Reads one card's content lines (from VcardSplitter) into a draft. ical.js parses vCard 3.0
 * and 4.0 (unescaping, structured N/ORG, both TYPE forms). What it gets wrong is handled
 * around it:
 * - vCard 2.1 bare parameters (TEL;WORK;VOICE) are rejected: rewritten to TYPE=… first;
 * - quoted-printable values are left encoded: decoded afterwards;
 * - `\;` in single-valued text such as TITLE (vCard 3.0 writers escape it) keeps its backslash:
 *   unescaped first;
 * - an escaped backslash before a separator (`N:a\\;b`) is taken for an escaped separator: each
 *   `\\` pair is swapped for NUL before parsing and back after (raw NULs, control characters
 *   the importer strips anyway, are removed first).
 */
export function cardToDraft(lines: string[]): { ok: true; draft: ContactDraft } | { ok: false; message: string } {
  let properties: JCardProperty[];
  try {
    const text = ['BEGIN:VCARD', ...lines.map(prepareLine), 'END:VCARD'].join('\r\n');
    const parsed = ICAL.parse(text) as unknown;
    const card = (Array.isArray(parsed) && parsed[0] === 'vcard' ? parsed : (parsed as unknown[])[0]) as [
      string,
      JCardProperty[],
    ];
    properties = card[1];
  } catch (error) {
    return { ok: false, message: `the card cannot be read: ${(error as Error).message}` };
  }

  const values = (name: string): { params: JCardProperty[1]; value: JCardValue }[] =>
    properties
      .filter((p) => p[0] === name)
      .map((p) => ({ params: p[1], value: decodeIfQuotedPrintable(p[1], mapStrings(p[3] ?? '', restoreBackslashes)) }));

  const n = values('n')[0]?.value;
  const nParts = Array.isArray(n) ? n : typeof n === 'string' ? n.split(';') : [];
  const draft: ContactDraft = {
    lastName: joinComponent(nParts[0], ' '),
    firstName: joinComponent(nParts[1], ' '),
    company: joinOrg(values('org')[0]?.value),
    title: asText(values('title')[0]?.value),
    email: asText(preferred(values('email'))?.value),
    numbers: values('tel').map(({ params, value }) => ({
      type: numberType(params.type),
      number: (asText(value) ?? '').replace(/^tel:/i, ''),
    })),
  };
  // FN is the only name some cards carry (N is optional in 4.0). When it just repeats the
  // organisation, the card is a company entry and has no person name.
  const fn = cleanText(asText(values('fn')[0]?.value));
  if (
    cleanText(draft.firstName) === null &&
    cleanText(draft.lastName) === null &&
    fn !== null &&
    fn !== cleanText(draft.company)
  ) {
    draft.firstName = fn;
  }
  return { ok: true, draft };
}

const ENCODINGS = new Set(['QUOTED-PRINTABLE', 'BASE64', '8BIT', '7BIT', 'B']);

const STRUCTURED = new Set(['N', 'ORG']);
const ESCAPED_BACKSLASH = '\0';

function prepareLine(line: string): string {
  const colon = indexOutsideQuotes(line, ':');
  if (colon < 0) return line;
  const parts = splitOutsideQuotes(line.slice(0, colon), ';');
  const name = (parts[0] ?? '').replace(/^.*\./, '').toUpperCase();
  const structured = STRUCTURED.has(name);
  const value = line
    .slice(colon + 1)
    // A raw NUL in a TEL value stays a control character (SOH) so the number is refused, not repaired.
    .replace(/\0/g, name === 'TEL' ? '\u0001' : '')
    .replace(/\\(.)/gsu, (escape, char: string) =>
      char === '\\' ? ESCAPED_BACKSLASH : char === ';' && !structured ? ';' : escape,
    );
  return `${[parts[0], ...parts.slice(1).map(namedParameter)].join(';')}:${value}`;
}

/** vCard 2.1 `TEL;WORK;VOICE:` → `TEL;TYPE=WORK;TYPE=VOICE:` (and bare encodings → ENCODING=). */
function namedParameter(param: string): string {
  if (param.includes('=')) return param;
  return ENCODINGS.has(param.toUpperCase()) ? `ENCODING=${param}` : `TYPE=${param}`;
}

function indexOutsideQuotes(text: string, char: string): number {
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') inQuotes = !inQuotes;
    else if (!inQuotes && text[i] === char) return i;
  }
  return -1;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let rest = text;
  for (let at = indexOutsideQuotes(rest, separator); at >= 0; at = indexOutsideQuotes(rest, separator)) {
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  parts.push(rest);
  return parts;
}

function restoreBackslashes(text: string): string {
  return text.replaceAll(ESCAPED_BACKSLASH, '\\');
}

function mapStrings(value: JCardValue, map: (text: string) => string): JCardValue {
  if (typeof value === 'string') return map(value);
  return value.map((part) => (Array.isArray(part) ? part.map(map) : map(part)));
}

function decodeIfQuotedPrintable(params: JCardProperty[1], value: JCardValue): JCardValue {
  const encoding = params.encoding;
  if (typeof encoding !== 'string' || encoding.toUpperCase() !== 'QUOTED-PRINTABLE') return value;
  const charset = typeof params.charset === 'string' ? params.charset : 'utf-8';
  return mapStrings(value, (text) => decodeQuotedPrintable(text, charset));
}

export function decodeQuotedPrintable(text: string, charset: string): string {
  const bytes: number[] = [];
  for (const [token, hex] of text.replace(/=\r?\n/g, '').matchAll(/=([0-9A-Fa-f]{2})|[^=]+|=/g)) {
    if (hex !== undefined) bytes.push(parseInt(hex, 16));
    else for (const byte of Buffer.from(token, 'utf8')) bytes.push(byte);
  }
  try {
    return new TextDecoder(charset).decode(Uint8Array.from(bytes));
  } catch {
    // An unknown CHARSET label: UTF-8 is the only sensible guess for text we already read as UTF-8.
    return new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
  }
}

function asText(value: JCardValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : joinComponent(value[0], ' ');
}

function joinComponent(component: string | string[] | undefined, separator: string): string | undefined {
  if (component === undefined) return undefined;
  return typeof component === 'string' ? component : component.filter((part) => part.length > 0).join(separator);
}

/** ORG is "organisation;unit;…"; units are kept after the organisation, comma-separated. */
function joinOrg(value: JCardValue | undefined): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return value
    .map((part) => joinComponent(part, ', ') ?? '')
    .filter((part) => part.length > 0)
    .join(', ');
}

function preferred<T extends { params: JCardProperty[1] }>(items: T[]): T | undefined {
  const rank = (item: T): number => {
    const pref = Number(item.params.pref);
    if (Number.isInteger(pref)) return pref;
    return typeList(item.params.type).includes('pref') ? 1 : 101;
  };
  return [...items].sort((a, b) => rank(a) - rank(b))[0];
}

function typeList(type: string | string[] | undefined): string[] {
  if (type === undefined) return [];
  return (Array.isArray(type) ? type : [type]).flatMap((t) => t.split(',')).map((t) => t.trim().toLowerCase());
}

/** Fax wins over cell, cell over work/home: a "work,fax" line is a fax, a "work,cell" a mobile. */
function numberType(type: string | string[] | undefined): NumberType {
  const types = typeList(type);
  if (types.includes('fax')) return 'fax';
  if (types.some((t) => t === 'cell' || t === 'mobile' || t === 'iphone')) return 'mobile';
  if (types.includes('work')) return 'work';
  if (types.includes('home')) return 'home';
  return 'other';
}
