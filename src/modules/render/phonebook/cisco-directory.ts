import { BadRequestError } from '../../../errors/errors.js';
import { type CleanEntry, NUMBER_LABEL, type RenderWarnings } from './entry-view.js';
import { leaf, XmlDocument, type XmlElement } from './xml-sink.js';
import { countCodePoints, cutCodePointCount } from './xml-text.js';

// CiscoIPPhone.xsd: ≤ 32 DirectoryEntry per object; Title, Prompt, Name, Telephone ≤ 32 characters;
// URLs ≤ 256 characters; softkey positions 1..8.
export const CISCO_PAGE_SIZE = 32;
export const CISCO_TEXT_MAX = 32;
export const CISCO_URL_MAX = 256;

export interface CiscoRow {
  name: string;
  telephone: string;
}

export interface CiscoSoftKey {
  name: string;
  url: string;
}

export const DIAL_KEY: CiscoSoftKey = { name: 'Dial', url: 'SoftKey:Dial' };
export const EXIT_KEY: CiscoSoftKey = { name: 'Exit', url: 'SoftKey:Exit' };

export function ciscoText(text: string): string {
  return cutCodePointCount(text, CISCO_TEXT_MAX);
}

/**
 * One directory row per number. Names are cut to 32 characters with the number-type tag kept whole;
 * a number longer than 32 characters cannot be shown or dialled from the directory and is skipped.
 */
export function ciscoRows(entry: CleanEntry, warnings?: RenderWarnings): CiscoRow[] {
  const rows: CiscoRow[] = [];
  for (const number of entry.numbers) {
    if (countCodePoints(number.number) > CISCO_TEXT_MAX) {
      warnings?.count('numbers longer than 32 characters skipped (cisco limit)');
      continue;
    }
    const tag = entry.numbers.length > 1 ? ` (${NUMBER_LABEL[number.type]})` : '';
    const base = cutCodePointCount(entry.displayName, CISCO_TEXT_MAX - countCodePoints(tag));
    if (base !== entry.displayName) warnings?.count('names cut to 32 characters (cisco limit)');
    rows.push({ name: (base + tag).trim(), telephone: number.number });
  }
  return rows;
}

/** Validates an absolute http(s) URL; `reserve` is room for what gets appended to it. */
export function checkCiscoBaseUrl(baseUrl: string | undefined, reserve: number): string {
  if (!baseUrl) throw new BadRequestError('phonebook_base_url_required', 'Cisco phonebooks need a base URL for paging');
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new BadRequestError('invalid_phonebook_base_url', 'phonebook base URL is not an absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new BadRequestError('invalid_phonebook_base_url', 'phonebook base URL must use http or https');
  }
  if (baseUrl.length + reserve > CISCO_URL_MAX || /[\s<>"]/.test(baseUrl)) {
    throw new BadRequestError('invalid_phonebook_base_url', 'phonebook base URL is too long or not URL-encoded');
  }
  return baseUrl;
}

function softKeyItems(softKeys: readonly CiscoSoftKey[]): XmlElement[] {
  return softKeys.map((key, index) => ({
    name: 'SoftKeyItem',
    children: [leaf('Name', key.name), leaf('Position', String(index + 1)), leaf('URL', key.url)],
  }));
}

/**
 * `CiscoIPPhoneDirectory`. The XSD extends the displayable type, so its sequence is Title, Prompt,
 * SoftKeyItem*, then DirectoryEntry* — softkeys must come before the entries to validate.
 */
export function ciscoDirectoryDocument(page: {
  title: string;
  prompt: string;
  softKeys: readonly CiscoSoftKey[];
  rows: readonly CiscoRow[];
}): XmlDocument {
  const doc = new XmlDocument();
  doc.open('CiscoIPPhoneDirectory', {}, [
    leaf('Title', ciscoText(page.title)),
    leaf('Prompt', ciscoText(page.prompt)),
    ...softKeyItems(page.softKeys),
  ]);
  for (const row of page.rows) {
    doc.add({ name: 'DirectoryEntry', children: [leaf('Name', row.name), leaf('Telephone', row.telephone)] });
  }
  return doc;
}

/** `CiscoIPPhoneInput` asking for one search term; the phone appends `?<param>=<text>` to `url`. */
export function ciscoInputDocument(input: {
  title: string;
  prompt: string;
  url: string;
  label: string;
  param: string;
}): XmlDocument {
  return new XmlDocument().open('CiscoIPPhoneInput', {}, [
    leaf('Title', ciscoText(input.title)),
    leaf('Prompt', ciscoText(input.prompt)),
    leaf('URL', input.url),
    {
      name: 'InputItem',
      children: [
        leaf('DisplayName', ciscoText(input.label)),
        leaf('QueryStringParam', input.param),
        // `A`: plain text input (letters and digits), which a name-or-number search needs.
        leaf('InputFlags', 'A'),
        leaf('DefaultValue', ''),
      ],
    },
  ]);
}
