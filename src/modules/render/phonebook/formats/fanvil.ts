import { assignSlots, cleanEntries, type NumberSlot, RenderWarnings } from '../entry-view.js';
import type { PhonebookInput, PhonebookRenderOptions, PhonebookRenderResult } from '../phonebook.types.js';
import { capFor, result } from '../render-result.js';
import { leaf, XmlDocument } from '../xml-sink.js';

type FanvilField = 'Telephone' | 'Mobile' | 'Other';

// A Fanvil directory entry has exactly these three number fields.
const FANVIL_FIELDS: readonly NumberSlot<FanvilField>[] = [
  { slot: 'Telephone', accepts: ['work', 'extension'] },
  { slot: 'Mobile', accepts: ['mobile'] },
  { slot: 'Other', accepts: ['home', 'fax', 'other'] },
];
// A second office number reads better under Other than under Mobile.
const FANVIL_OVERFLOW: readonly FanvilField[] = ['Other', 'Telephone', 'Mobile'];

/**
 * Fanvil remote phonebook. Root `FanvilIPPhoneDirectory` with `DirectoryEntry` children holding
 * `Name`, `Telephone`, `Mobile`, `Other` — the form Fanvil's XML phonebook guide and the public
 * FreePBX/3CX generators use (Fanvil firmware accepts any `…IPPhoneDirectory` root).
 */
export async function renderFanvil(
  input: PhonebookInput,
  options: PhonebookRenderOptions,
): Promise<PhonebookRenderResult> {
  const warnings = new RenderWarnings();
  const cap = capFor(options, undefined);
  const doc = new XmlDocument();
  doc.open('FanvilIPPhoneDirectory');
  let entryCount = 0;
  for await (const entry of cleanEntries(input, warnings)) {
    if (!cap.take()) continue;
    const { filled, dropped } = assignSlots(entry.numbers, FANVIL_FIELDS, FANVIL_OVERFLOW);
    if (dropped > 0) warnings.count('numbers dropped (fanvil entry holds Telephone, Mobile and Other only)', dropped);
    const children = [leaf('Name', entry.displayName)];
    for (const { slot, number } of filled) children.push(leaf(slot, number));
    doc.add({ name: 'DirectoryEntry', children });
    entryCount++;
  }
  cap.report(warnings);
  return result([doc.finish('fanvil.xml')], warnings, entryCount);
}
