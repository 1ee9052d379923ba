import { cleanEntries, RenderWarnings, rowName } from '../entry-view.js';
import type { PhonebookInput, PhonebookRenderOptions, PhonebookRenderResult } from '../phonebook.types.js';
import { capFor, result } from '../render-result.js';
import { cleanText } from '../xml-text.js';
import { leaf, XmlDocument } from '../xml-sink.js';

/**
 * Snom minibrowser directory (`<SnomIPPhoneDirectory>`): what a Snom phone opens for
 * `dkey_directory = url <URL>`. The minibrowser shows a list of `<DirectoryEntry>` rows, each a
 * `<Name>` and the `<Telephone>` dialled when the row is picked, so a contact with several
 * numbers becomes one row per number with the number type in its name (like the `tbook` items).
 * Unlike `tbook` (a settings document imported into the phone's local directory, 100–250
 * entries), it is fetched each time the key is pressed, so there is no index and no storage cap.
 */
export async function renderSnomDirectory(
  input: PhonebookInput,
  options: PhonebookRenderOptions,
): Promise<PhonebookRenderResult> {
  const warnings = new RenderWarnings();
  const cap = capFor(options, undefined);
  const doc = new XmlDocument();
  doc.open('SnomIPPhoneDirectory', {}, [leaf('Title', cleanText(input.title) || 'Directory')]);
  let entryCount = 0;
  for await (const entry of cleanEntries(input, warnings)) {
    if (!cap.take()) continue;
    for (const number of entry.numbers) {
      doc.add({
        name: 'DirectoryEntry',
        children: [leaf('Name', rowName(entry, number)), leaf('Telephone', number.number)],
      });
    }
    entryCount++;
  }
  cap.report(warnings);
  return result([doc.finish('snom-directory.xml')], warnings, entryCount);
}
