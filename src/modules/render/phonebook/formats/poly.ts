import { cleanEntries, NUMBER_LABEL, RenderWarnings } from '../entry-view.js';
import type { PhonebookInput, PhonebookRenderOptions, PhonebookRenderResult } from '../phonebook.types.js';
import { capFor, result } from '../render-result.js';
import { leaf, XmlDocument } from '../xml-sink.js';
import { cutUtf8Bytes } from '../xml-text.js';

// UC Software directory: `fn`/`ln` hold at most 40 bytes of UTF-8, speed-dial `sd` runs 1..9999.
const NAME_MAX_BYTES = 40;
const SPEED_DIAL_MAX = 9999;

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Cuts a name to the byte budget, keeping a row tag like " (Mobile)" whole at the end. */
function fitName(name: string, tag: string, warnings: RenderWarnings): string {
  const budget = NAME_MAX_BYTES - byteLength(tag);
  const cut = cutUtf8Bytes(name, budget);
  if (cut !== name) warnings.count('names cut to 40 bytes (poly fn/ln limit)');
  return cut + tag;
}

/**
 * Poly/Polycom contact directory (`<mac>-directory.xml` / `000000000000-directory.xml` format).
 * `ct` is the key of an item and must be unique, so a contact with several numbers becomes several
 * items (tagged with the number type in `ln`), and a number already used by an earlier item is
 * skipped.
 */
export async function renderPoly(
  input: PhonebookInput,
  options: PhonebookRenderOptions,
): Promise<PhonebookRenderResult> {
  const warnings = new RenderWarnings();
  const cap = capFor(options, undefined);
  const usedContacts = new Set<string>();
  const doc = new XmlDocument();
  doc.open('directory').open('item_list');
  let itemCount = 0;
  let entryCount = 0;
  for await (const entry of cleanEntries(input, warnings)) {
    if (!cap.take()) continue;
    let wroteItem = false;
    for (const number of entry.numbers) {
      if (usedContacts.has(number.number)) {
        warnings.count('duplicate numbers skipped (poly ct must be unique)');
        continue;
      }
      usedContacts.add(number.number);
      itemCount++;
      const tag = entry.numbers.length > 1 ? ` (${NUMBER_LABEL[number.type]})` : '';
      const personal = entry.firstName !== '' || entry.lastName !== '';
      const fn = fitName(entry.firstName, '', warnings);
      const ln = fitName(personal ? entry.lastName : entry.displayName, tag, warnings).trim();
      const speedDial = itemCount <= SPEED_DIAL_MAX ? String(itemCount) : undefined;
      const children = [leaf('fn', fn), leaf('ln', ln), leaf('ct', number.number)];
      if (speedDial !== undefined) children.push(leaf('sd', speedDial));
      doc.add({ name: 'item', children });
      wroteItem = true;
    }
    if (wroteItem) entryCount++;
  }
  if (itemCount > SPEED_DIAL_MAX) {
    warnings.note(`speed-dial index (sd) set for the first ${SPEED_DIAL_MAX} items only (poly limit)`);
  }
  cap.report(warnings);
  return result([doc.finish('poly.xml')], warnings, entryCount);
}
