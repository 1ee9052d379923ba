import { cleanEntries, RenderWarnings, rowName } from '../entry-view.js';
import type { PhonebookInput, PhonebookRenderOptions, PhonebookRenderResult } from '../phonebook.types.js';
import { capFor, result } from '../render-result.js';
import { leaf, XmlDocument } from '../xml-sink.js';

// `index` is 0-based and bounded by the model's directory size: 250 on snom370/D7xx-class phones,
// 100 on the older snom300/320/360 (those need `cap: 100`).
const SNOM_CAP = { limit: 250, reason: 'snom cap' };

/**
 * Snom directory settings file (`<tbook complete="true">`). `complete="true"` tells the phone this is
 * the whole book, so entries removed here are removed on the phone. One item per number; a contact
 * with several numbers gets the number type in its item name.
 */
export async function renderSnom(
  input: PhonebookInput,
  options: PhonebookRenderOptions,
): Promise<PhonebookRenderResult> {
  const warnings = new RenderWarnings();
  const cap = capFor(options, SNOM_CAP, 'items');
  const doc = new XmlDocument();
  doc.open('tbook', { complete: 'true' });
  let index = 0;
  let entryCount = 0;
  for await (const entry of cleanEntries(input, warnings)) {
    let wroteItem = false;
    for (const number of entry.numbers) {
      if (!cap.take()) continue;
      const attributes = { context: 'active', type: 'none', index: String(index++) };
      doc.add({
        name: 'item',
        attributes,
        children: [leaf('name', rowName(entry, number)), leaf('number', number.number)],
      });
      wroteItem = true;
    }
    if (wroteItem) entryCount++;
  }
  cap.report(warnings);
  return result([doc.finish('snom.xml')], warnings, entryCount);
}
