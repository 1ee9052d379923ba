import { EntryCap, RenderWarnings, resolveCap } from './entry-view.js';
import type { PhonebookFile, PhonebookRenderOptions, PhonebookRenderResult } from './phonebook.types.js';

/**
 * The cap a renderer enforces: the caller's `cap` when given, else the vendor's own limit, else
 * none. The warning names which of the two cut the book.
 */
export function capFor(
  options: PhonebookRenderOptions,
  vendor: { limit: number; reason: string } | undefined,
  unit = 'entries',
): EntryCap {
  if (options.cap !== undefined) return new EntryCap(resolveCap(options.cap, 0), unit, 'configured cap');
  if (vendor) return new EntryCap(vendor.limit, unit, vendor.reason);
  return new EntryCap(Number.POSITIVE_INFINITY, unit, 'no cap');
}

export function result(files: PhonebookFile[], warnings: RenderWarnings, entryCount: number): PhonebookRenderResult {
  return { files, warnings: warnings.list(), entryCount };
}
