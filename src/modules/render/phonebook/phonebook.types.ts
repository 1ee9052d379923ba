/**
 * Input and output shapes of the phonebook renderers. Renderers are pure: they read the entries once,
 * in the order given, and return bytes.
 */

export type PhonebookNumberType = 'work' | 'mobile' | 'home' | 'fax' | 'other' | 'extension';

export interface PhonebookNumber {
  type: PhonebookNumberType;
  number: string;
}

export interface PhonebookEntry {
  /** Stable id of the contact (or directory member); never shown on a phone. */
  id: string;
  firstName?: string;
  lastName?: string;
  company?: string;
  title?: string;
  numbers: PhonebookNumber[];
  /** Group (department, team) for formats that show folders (yealink-grouped). */
  group?: string;
}

/**
 * The caller delivers entries already sorted by (lastName, firstName, id) — the renderers keep that
 * order byte for byte, and Gigaset `set_first` jumps assume it. An async iterable lets the caller
 * stream rows from a database cursor so a 50,000-entry book is never loaded twice.
 */
export interface PhonebookInput {
  title: string;
  entries: Iterable<PhonebookEntry> | AsyncIterable<PhonebookEntry>;
}

export interface PhonebookRenderOptions {
  /** Absolute URL of the folder the phonebook files are served from (`…/pb/<token>`); Cisco paging needs it. */
  baseUrl?: string;
  /** Overrides the format's entry cap (or sets one where the format has none). */
  cap?: number;
}

export interface PhonebookFile {
  name: string;
  contentType: 'text/xml; charset=utf-8';
  body: Buffer;
  sha256: string;
}

export interface PhonebookRenderResult {
  files: PhonebookFile[];
  /** Human-readable notes about caps, cuts and skipped data; stable order, no duplicates. */
  warnings: string[];
  /** Input entries that appear in the output (with at least one number). */
  entryCount: number;
}
