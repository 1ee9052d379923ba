import {
  CISCO_PAGE_SIZE,
  checkCiscoBaseUrl,
  ciscoDirectoryDocument,
  type CiscoRow,
  ciscoRows,
  type CiscoSoftKey,
  DIAL_KEY,
  EXIT_KEY,
} from '../cisco-directory.js';
import { cleanEntries, RenderWarnings } from '../entry-view.js';
import type {
  PhonebookFile,
  PhonebookInput,
  PhonebookRenderOptions,
  PhonebookRenderResult,
} from '../phonebook.types.js';
import { capFor, result } from '../render-result.js';
import { cleanText } from '../xml-text.js';

// Room for the longest page file name appended to the base URL ("/cisco-" + up to 9 digits + ".xml");
// the search prompt's name ("/cisco-search.xml") is shorter.
const PAGE_NAME_RESERVE = '/cisco-999999999.xml'.length;
/** The search prompt (CiscoIPPhoneInput) the phone server answers next to the pages. */
export const CISCO_SEARCH_PAGE = 'cisco-search.xml';

export function ciscoPageName(page: number): string {
  return `cisco-${page}.xml`;
}

/**
 * Cisco directory as static pages of 32 rows, linked by Prev/Next softkeys (`cisco-<n>.xml`, page 1
 * also as `cisco.xml`). Every page also has a Search softkey to `cisco-search.xml`, the input
 * prompt the phone server answers with server-side search over the same book, so a book too big
 * to page through is still usable. A page is written as soon as the row after it shows that a
 * next page exists, so only one page of rows is held at a time.
 */
export async function renderCisco(
  input: PhonebookInput,
  options: PhonebookRenderOptions,
): Promise<PhonebookRenderResult> {
  const baseUrl = checkCiscoBaseUrl(options.baseUrl, PAGE_NAME_RESERVE).replace(/\/+$/, '');
  const warnings = new RenderWarnings();
  const cap = capFor(options, undefined);
  const title = cleanText(input.title) || 'Directory';
  const files: PhonebookFile[] = [];
  let rows: CiscoRow[] = [];
  let page = 1;

  const writePage = (hasNext: boolean): void => {
    const softKeys: CiscoSoftKey[] = [DIAL_KEY];
    if (page > 1) softKeys.push({ name: 'Prev', url: `${baseUrl}/${ciscoPageName(page - 1)}` });
    if (hasNext) softKeys.push({ name: 'Next', url: `${baseUrl}/${ciscoPageName(page + 1)}` });
    softKeys.push({ name: 'Search', url: `${baseUrl}/${CISCO_SEARCH_PAGE}` }, EXIT_KEY);
    const file = ciscoDirectoryDocument({ title, prompt: `Page ${page}`, softKeys, rows }).finish(ciscoPageName(page));
    if (page === 1) files.push({ ...file, name: 'cisco.xml' });
    files.push(file);
    rows = [];
    page++;
  };

  let entryCount = 0;
  for await (const entry of cleanEntries(input, warnings)) {
    if (!cap.take()) continue;
    const entryRows = ciscoRows(entry, warnings);
    if (entryRows.length > 0) entryCount++;
    for (const row of entryRows) {
      if (rows.length === CISCO_PAGE_SIZE) writePage(true);
      rows.push(row);
    }
  }
  writePage(false);
  cap.report(warnings);
  return result(files, warnings, entryCount);
}
