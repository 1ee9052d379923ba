import { NUMBER_TYPES, type NumberType } from '../../../model/contacts/contact-number.entity.js';

export type TextField = 'firstName' | 'lastName' | 'company' | 'title' | 'email';
/** What a CSV column can feed: a text field, one number type, or nothing. */
export type CsvField = TextField | NumberType | 'ignore';

export const CSV_FIELDS: readonly CsvField[] = [
  'firstName',
  'lastName',
  'company',
  'title',
  'email',
  ...NUMBER_TYPES,
  'ignore',
];

/**
 * Header aliases of common exports (Outlook, Google, Apple, German Outlook, our own export),
 * compared after normaliseHeader. Within one text field the earlier alias wins when both
 * columns have a value: Outlook's "Title" is the salutation (Mr./Ms.) and its "Job Title" the
 * job, so "Job Title" is listed first.
 */
const ALIASES: Record<Exclude<CsvField, 'ignore'>, string[]> = {
  firstName: ['first_name', 'first name', 'firstname', 'given name', 'givenname', 'vorname', 'prénom', 'forename'],
  lastName: ['last_name', 'last name', 'lastname', 'surname', 'family name', 'nachname', 'nom'],
  company: [
    'company',
    'organization',
    'organisation',
    'organization name',
    'company name',
    'org',
    'firma',
    'unternehmen',
  ],
  title: ['job title', 'jobtitle', 'organization title', 'position', 'funktion', 'title'],
  email: [
    'email',
    'e-mail',
    'email address',
    'e-mail address',
    'e-mail 1 - value',
    'email 1',
    'e-mail-adresse',
    'mail',
  ],
  work: [
    'work',
    'phone',
    'telephone',
    'telefon',
    'work phone',
    'business phone',
    'business phone 2',
    'company main phone',
    'telefon geschäftlich',
    'telefon geschäftlich 2',
    'office phone',
  ],
  mobile: ['mobile', 'mobile phone', 'cell', 'cell phone', 'cellphone', 'handy', 'mobiltelefon', 'mobil'],
  home: ['home', 'home phone', 'home phone 2', 'private phone', 'telefon privat', 'telefon privat 2'],
  fax: ['fax', 'business fax', 'home fax', 'other fax', 'fax number', 'fax geschäftlich', 'fax privat'],
  other: [
    'other',
    'other phone',
    'primary phone',
    "assistant's phone",
    'car phone',
    'pager',
    'weiteres telefon',
    // Google writes numbers as "Phone N - Value" with the kind in a separate column; without
    // reading that column the honest type is "other".
    'phone 1 - value',
    'phone 2 - value',
    'phone 3 - value',
    'phone 4 - value',
  ],
};

/** Case, accents, spaces and punctuation do not matter: "E-Mail" = "email", "First_Name" = "first name". */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

const DEFAULT_LOOKUP = new Map<string, { field: CsvField; rank: number }>();
for (const [field, aliases] of Object.entries(ALIASES) as [CsvField, string[]][]) {
  aliases.forEach((alias, rank) => {
    const key = normaliseHeader(alias);
    if (!DEFAULT_LOOKUP.has(key)) DEFAULT_LOOKUP.set(key, { field, rank });
  });
}

export interface ColumnMapping {
  /** Column index → field; ignored columns are absent. */
  columns: { index: number; field: Exclude<CsvField, 'ignore'>; rank: number }[];
  unknownHeaders: { index: number; header: string }[];
}

/**
 * Maps header cells to fields. An explicit mapping ({ csvHeader: field }) overrides the
 * aliases for the headers it names; its keys are compared like aliases.
 */
export function mapHeader(headers: string[], explicit: Record<string, CsvField> = {}): ColumnMapping {
  const explicitLookup = new Map(Object.entries(explicit).map(([header, field]) => [normaliseHeader(header), field]));
  const columns: ColumnMapping['columns'] = [];
  const unknownHeaders: ColumnMapping['unknownHeaders'] = [];
  headers.forEach((header, index) => {
    const key = normaliseHeader(header);
    const chosen = explicitLookup.get(key);
    if (chosen !== undefined) {
      // Explicit choices outrank every alias.
      if (chosen !== 'ignore') columns.push({ index, field: chosen, rank: -1 });
      return;
    }
    const alias = DEFAULT_LOOKUP.get(key);
    if (alias !== undefined && alias.field !== 'ignore') columns.push({ index, field: alias.field, rank: alias.rank });
    else if (key.length > 0) unknownHeaders.push({ index, header });
  });
  return { columns, unknownHeaders };
}

export function isValidCsvField(value: string): value is CsvField {
  return (CSV_FIELDS as readonly string[]).includes(value);
}

/** Picks `,` or `;` by which one occurs more often outside quotes in the header line. */
export function detectDelimiter(headerLine: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let inQuotes = false;
  for (const char of headerLine) {
    if (char === '"') inQuotes = !inQuotes;
    else if (!inQuotes && char === ',') commas++;
    else if (!inQuotes && char === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}
