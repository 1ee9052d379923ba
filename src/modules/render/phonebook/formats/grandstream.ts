import { cleanEntries, RenderWarnings } from '../entry-view.js';
import type {
  PhonebookInput,
  PhonebookNumberType,
  PhonebookRenderOptions,
  PhonebookRenderResult,
} from '../phonebook.types.js';
import { capFor, result } from '../render-result.js';
import { leaf, XmlDocument, type XmlElement } from '../xml-sink.js';

// GXP/GRP phones hold about 1000 downloaded contacts; more makes the download fail as a whole.
const GRANDSTREAM_CAP = { limit: 1000, reason: 'grandstream cap' };

// `<Phone type>` knows Work, Home, Mobile, Fax and Other only.
const PHONE_TYPE: Record<PhonebookNumberType, string> = {
  work: 'Work',
  extension: 'Work',
  mobile: 'Mobile',
  home: 'Home',
  fax: 'Fax',
  other: 'Other',
};

/**
 * Grandstream XML phonebook (`AddressBook`, fetched per P330/P331). The phone rejects a contact
 * with neither FirstName nor LastName, so a contact known only by company or number gets that as
 * its FirstName. `accountindex` 0 dials from the first account.
 */
export async function renderGrandstream(
  input: PhonebookInput,
  options: PhonebookRenderOptions,
): Promise<PhonebookRenderResult> {
  const warnings = new RenderWarnings();
  const cap = capFor(options, GRANDSTREAM_CAP);
  const doc = new XmlDocument();
  doc.open('AddressBook');
  let entryCount = 0;
  for await (const entry of cleanEntries(input, warnings)) {
    if (!cap.take()) continue;
    const personal = entry.firstName !== '' || entry.lastName !== '';
    const children: XmlElement[] = [];
    if (!personal) children.push(leaf('FirstName', entry.displayName));
    if (entry.firstName) children.push(leaf('FirstName', entry.firstName));
    if (entry.lastName) children.push(leaf('LastName', entry.lastName));
    for (const number of entry.numbers) {
      children.push({
        name: 'Phone',
        attributes: { type: PHONE_TYPE[number.type] },
        children: [leaf('phonenumber', number.number), leaf('accountindex', '0')],
      });
    }
    doc.add({ name: 'Contact', children });
    entryCount++;
  }
  cap.report(warnings);
  return result([doc.finish('grandstream.xml')], warnings, entryCount);
}
