import { cleanEntries, type CleanEntry, RenderWarnings } from '../entry-view.js';
import type { PhonebookInput, PhonebookRenderOptions, PhonebookRenderResult } from '../phonebook.types.js';
import { capFor, result } from '../render-result.js';
import { gigasetListDocument } from './gigaset-list.js';

// N870 central phonebook: at most 2000 entries (and 2 MB, which 2000 entries stay far below).
const GIGASET_CAP = { limit: 2000, reason: 'gigaset central book cap' };

/**
 * Gigaset central phonebook as one static list. The root carries `total`/`last`, so the (at most
 * 2000, small) entries are gathered before writing.
 */
export async function renderGigaset(
  input: PhonebookInput,
  options: PhonebookRenderOptions,
): Promise<PhonebookRenderResult> {
  const warnings = new RenderWarnings();
  const cap = capFor(options, GIGASET_CAP);
  const kept: CleanEntry[] = [];
  for await (const entry of cleanEntries(input, warnings)) {
    if (cap.take()) kept.push(entry);
  }
  cap.report(warnings);
  const doc = gigasetListDocument({ total: kept.length, first: 1, entries: kept }, warnings);
  return result([doc.finish('gigaset.xml')], warnings, kept.length);
}
