/**
 * Server-side phonebook browsing for phones that search on the server instead of downloading the
 * whole book. Pure: entries (or a prepared search index) and request values in, response bytes out.
 */
import {
  CISCO_PAGE_SIZE,
  CISCO_TEXT_MAX,
  CISCO_URL_MAX,
  checkCiscoBaseUrl,
  ciscoDirectoryDocument,
  ciscoInputDocument,
  ciscoRows,
  type CiscoSoftKey,
  DIAL_KEY,
  EXIT_KEY,
} from './cisco-directory.js';
import { gigasetListDocument } from './formats/gigaset-list.js';
import { yealinkEntry } from './formats/yealink.js';
import type { PhonebookEntry } from './phonebook.types.js';
import { dialableEntries, PhonebookSearchIndex, searchClean } from './search.js';
import { XmlDocument } from './xml-sink.js';
import { cleanText, cutCodePointCount, foldForSearch } from './xml-text.js';

export { PhonebookSearchIndex, searchEntries } from './search.js';

type Entries = Iterable<PhonebookEntry> | PhonebookSearchIndex;

/** The search query parameter in Cisco search URLs. */
export const CISCO_QUERY_PARAM = 'q';
const DEFAULT_YEALINK_LIMIT = 200;
const GIGASET_MAX_COUNT = 2000;

/**
 * Answer for a Yealink remote phonebook URL containing `#SEARCH` (the phone substitutes the typed
 * text): a `YealinkIPPhoneDirectory` of the matches, at most `limit` of them.
 */
export function yealinkSearchResult(entries: Entries, query: string, options: { limit?: number } = {}): Buffer {
  const requested = Math.floor(options.limit ?? DEFAULT_YEALINK_LIMIT);
  const limit = Number.isFinite(requested) ? Math.max(1, requested) : DEFAULT_YEALINK_LIMIT;
  const doc = new XmlDocument().open('YealinkIPPhoneDirectory');
  for (const entry of searchClean(entries, query).slice(0, limit)) doc.add(yealinkEntry(entry));
  return doc.finish('yealink-search.xml').body;
}

function withQuery(baseUrl: string, params: string): string {
  return `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}${params}`;
}

/** Page URL with the query shortened (whole characters) until the URL fits Cisco's 256 limit. */
function ciscoPageUrl(baseUrl: string, query: string, page: number): string {
  let term = query;
  for (;;) {
    const url = withQuery(baseUrl, `${CISCO_QUERY_PARAM}=${encodeURIComponent(term)}&page=${page}`);
    if (url.length <= CISCO_URL_MAX || term === '') return url;
    term = cutCodePointCount(term, Math.max(0, [...term].length - 1));
  }
}

/**
 * The Cisco search prompt. URL convention for the phone server: `GET <baseUrl>` answers this
 * input object; the phone then requests `<baseUrl>?q=<text>`, answered by `ciscoSearchPage`.
 */
export function ciscoSearchInput(baseUrl: string, options: { title?: string } = {}): Buffer {
  const url = checkCiscoBaseUrl(baseUrl, 0);
  return ciscoInputDocument({
    title: cleanText(options.title) || 'Directory',
    prompt: 'Enter name or number',
    url,
    label: 'Name or number',
    param: CISCO_QUERY_PARAM,
  }).finish('cisco-search-input.xml').body;
}

/**
 * One page (1-based, clamped to the pages that exist) of Cisco search results with Dial, Prev,
 * Next, Search and Exit softkeys; Prev/Next carry the query and page in the URL.
 */
export function ciscoSearchPage(entries: Entries, query: string, page: number, baseUrl: string): Buffer {
  const url = checkCiscoBaseUrl(baseUrl, `?${CISCO_QUERY_PARAM}=&page=99999`.length);
  const term = cutCodePointCount(cleanText(query), CISCO_TEXT_MAX);
  const rows = searchClean(entries, term).flatMap((entry) => ciscoRows(entry));
  const pageCount = Math.max(1, Math.ceil(rows.length / CISCO_PAGE_SIZE));
  const current = Math.min(pageCount, Math.max(1, Number.isFinite(page) ? Math.floor(page) : 1));
  const softKeys: CiscoSoftKey[] = rows.length > 0 ? [DIAL_KEY] : [];
  if (current > 1) softKeys.push({ name: 'Prev', url: ciscoPageUrl(url, term, current - 1) });
  if (current < pageCount) softKeys.push({ name: 'Next', url: ciscoPageUrl(url, term, current + 1) });
  softKeys.push({ name: 'Search', url }, EXIT_KEY);
  return ciscoDirectoryDocument({
    title: term === '' ? 'Directory' : `Search: ${term}`,
    prompt: rows.length === 0 ? 'No match' : `Page ${current} of ${pageCount}`,
    softKeys,
    rows: rows.slice((current - 1) * CISCO_PAGE_SIZE, current * CISCO_PAGE_SIZE),
  }).finish('cisco-search.xml').body;
}

export interface GigasetListRequest {
  /** 1-based position of the first entry wanted. */
  first: number;
  /** How many entries the phone wants (it asks for a screenful at a time). */
  count: number;
  /** Jump: start at the first entry whose last name begins with these letters. */
  setFirst?: string;
}

function lastNameKey(entry: { lastName: string; displayName: string }): string {
  return foldForSearch(entry.lastName || entry.displayName);
}

/**
 * Start position for `set_first`: the first entry whose folded last name starts with the letters,
 * else the first that sorts after them (entries are in last-name order), else the last page.
 */
function setFirstPosition(keys: readonly string[], letters: string, count: number): number {
  const prefix = foldForSearch(cleanText(letters));
  const starts = keys.findIndex((key) => key.startsWith(prefix));
  if (starts >= 0) return starts + 1;
  const after = keys.findIndex((key) => key > prefix);
  if (after >= 0) return after + 1;
  return Math.max(1, keys.length - count + 1);
}

/** A Gigaset `get_list` answer: `count` entries from `first` (or from the `set_first` jump). */
export function gigasetList(entries: Entries, request: GigasetListRequest): Buffer {
  const all = dialableEntries(entries);
  const count = Math.min(GIGASET_MAX_COUNT, Math.max(1, Math.floor(request.count) || 1));
  let first = Math.max(1, Math.floor(request.first) || 1);
  if (request.setFirst !== undefined && cleanText(request.setFirst) !== '') {
    first = setFirstPosition(all.map(lastNameKey), request.setFirst, count);
  }
  const window = all.slice(first - 1, first - 1 + count);
  return gigasetListDocument({ total: all.length, first, entries: window }).finish('gigaset-list.xml').body;
}
