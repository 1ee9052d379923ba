import { type CleanEntry, cleanEntry } from './entry-view.js';
import type { PhonebookEntry } from './phonebook.types.js';
import { cleanText, digitsOnly, foldForSearch } from './xml-text.js';

interface IndexedEntry {
  entry: PhonebookEntry;
  clean: CleanEntry;
  /** Folded "first last company" text. */
  text: string;
  /** Digits of each number. */
  digits: string[];
}

/**
 * Entries prepared once for repeated searches (folding accents for 50,000 entries on every keypress
 * would be wasted work). Entries without a dialable number are left out: a phone cannot use them.
 */
export class PhonebookSearchIndex {
  readonly items: readonly IndexedEntry[];

  constructor(entries: Iterable<PhonebookEntry>) {
    const items: IndexedEntry[] = [];
    for (const entry of entries) {
      const clean = cleanEntry(entry);
      if (clean.numbers.length === 0) continue;
      items.push({
        entry,
        clean,
        text: foldForSearch([clean.firstName, clean.lastName, clean.company].join(' ')),
        digits: clean.numbers.map(({ number }) => digitsOnly(number)),
      });
    }
    this.items = items;
  }
}

// A query made only of phone-number characters is one number, whatever its spacing ("+49 30 123").
const NUMBER_QUERY = /^[\d\s+()\-./]+$/;

type Matcher = (item: IndexedEntry) => boolean;

function matcherFor(query: string): Matcher {
  const cleaned = cleanText(query);
  if (cleaned === '') return () => true;
  if (NUMBER_QUERY.test(cleaned) && /\d/.test(cleaned)) {
    const wanted = digitsOnly(cleaned);
    return (item) => item.digits.some((digits) => digits.includes(wanted));
  }
  const tokens = foldForSearch(cleaned)
    .split(' ')
    .filter((token) => token !== '');
  return (item) =>
    tokens.every((token) => {
      if (item.text.includes(token)) return true;
      const tokenDigits = digitsOnly(token);
      return tokenDigits !== '' && item.digits.some((digits) => digits.includes(tokenDigits));
    });
}

function asIndex(entries: Iterable<PhonebookEntry> | PhonebookSearchIndex): PhonebookSearchIndex {
  return entries instanceof PhonebookSearchIndex ? entries : new PhonebookSearchIndex(entries);
}

/** Matching entries, cleaned for rendering, in input order. */
export function searchClean(entries: Iterable<PhonebookEntry> | PhonebookSearchIndex, query: string): CleanEntry[] {
  const matches = matcherFor(query);
  return asIndex(entries)
    .items.filter(matches)
    .map((item) => item.clean);
}

/**
 * Entries whose names or company contain every word of the query (case- and accent-insensitive),
 * or whose numbers contain the query's digits. An empty query matches everything. Input order kept.
 */
export function searchEntries(
  entries: Iterable<PhonebookEntry> | PhonebookSearchIndex,
  query: string,
): PhonebookEntry[] {
  const matches = matcherFor(query);
  return asIndex(entries)
    .items.filter(matches)
    .map((item) => item.entry);
}

/** Every dialable entry, cleaned, in input order. */
export function dialableEntries(entries: Iterable<PhonebookEntry> | PhonebookSearchIndex): CleanEntry[] {
  return asIndex(entries).items.map((item) => item.clean);
}
