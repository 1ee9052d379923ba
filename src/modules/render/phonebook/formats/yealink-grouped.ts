import { cleanEntries, RenderWarnings } from '../entry-view.js';
import type { PhonebookInput, PhonebookRenderOptions, PhonebookRenderResult } from '../phonebook.types.js';
import { capFor, result } from '../render-result.js';
import { leaf, XmlDocument } from '../xml-sink.js';
import { cleanText, foldForSearch } from '../xml-text.js';

// `<Unit>` carries exactly Phone1..Phone3.
const PHONES_PER_UNIT = 3;

interface Unit {
  name: string;
  phones: string[];
}

function byMenuName(a: [string, Unit[]], b: [string, Unit[]]): number {
  const keyA = foldForSearch(a[0]);
  const keyB = foldForSearch(b[0]);
  if (keyA !== keyB) return keyA < keyB ? -1 : 1;
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/**
 * Yealink grouped remote phonebook (`YealinkIPPhoneBook`, one `<Menu>` folder per group). A group's
 * units must sit under one menu, so units are gathered per group first; only the small unit records
 * are held, the XML itself is still written in one pass. Entries without a group go to a menu named
 * after the phonebook.
 */
export async function renderYealinkGrouped(
  input: PhonebookInput,
  options: PhonebookRenderOptions,
): Promise<PhonebookRenderResult> {
  const warnings = new RenderWarnings();
  const cap = capFor(options, undefined);
  const title = cleanText(input.title) || 'Contacts';
  const menus = new Map<string, Unit[]>();
  let entryCount = 0;
  for await (const entry of cleanEntries(input, warnings)) {
    if (!cap.take()) continue;
    const phones = entry.numbers.slice(0, PHONES_PER_UNIT).map(({ number }) => number);
    if (entry.numbers.length > PHONES_PER_UNIT) {
      warnings.count(
        'numbers beyond Phone3 dropped (yealink-grouped unit holds 3)',
        entry.numbers.length - PHONES_PER_UNIT,
      );
    }
    const menuName = entry.group || title;
    let units = menus.get(menuName);
    if (!units) menus.set(menuName, (units = []));
    units.push({ name: entry.displayName, phones });
    entryCount++;
  }
  cap.report(warnings);

  const doc = new XmlDocument();
  doc.open('YealinkIPPhoneBook', {}, [leaf('Title', title)]);
  for (const [menuName, units] of [...menus].sort(byMenuName)) {
    doc.open('Menu', { Name: menuName });
    for (const unit of units) {
      doc.add({
        name: 'Unit',
        attributes: {
          Name: unit.name,
          Phone1: unit.phones[0] ?? '',
          Phone2: unit.phones[1] ?? '',
          Phone3: unit.phones[2] ?? '',
          // What Yealink's own export writes: the phone's built-in default picture.
          default_photo: 'Resource:',
        },
      });
    }
    doc.close();
  }
  return result([doc.finish('yealink-grouped.xml')], warnings, entryCount);
}
