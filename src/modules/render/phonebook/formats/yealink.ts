import { cleanEntries, type CleanEntry, RenderWarnings } from '../entry-view.js';
import type { PhonebookInput, PhonebookRenderOptions, PhonebookRenderResult } from '../phonebook.types.js';
import { capFor, result } from '../render-result.js';
import { leaf, XmlDocument, type XmlElement } from '../xml-sink.js';

/** One `<DirectoryEntry>`: the phone lists every `<Telephone>` of an entry under its name. */
export function yealinkEntry(entry: CleanEntry): XmlElement {
  const children = [leaf('Name', entry.displayName)];
  for (const { number } of entry.numbers) children.push(leaf('Telephone', number));
  return { name: 'DirectoryEntry', children };
}

/** Yealink remote phonebook (`remote_phonebook.data.X.url`), flat `YealinkIPPhoneDirectory` form. */
export async function renderYealink(
  input: PhonebookInput,
  options: PhonebookRenderOptions,
): Promise<PhonebookRenderResult> {
  const warnings = new RenderWarnings();
  const cap = capFor(options, undefined);
  const doc = new XmlDocument();
  doc.open('YealinkIPPhoneDirectory');
  let entryCount = 0;
  for await (const entry of cleanEntries(input, warnings)) {
    if (!cap.take()) continue;
    doc.add(yealinkEntry(entry));
    entryCount++;
  }
  cap.report(warnings);
  return result([doc.finish('yealink.xml')], warnings, entryCount);
}
