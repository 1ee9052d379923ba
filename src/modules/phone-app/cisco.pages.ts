import { CISCO_PAGE_SIZE, CISCO_TEXT_MAX, CISCO_URL_MAX, ciscoText } from '../render/phonebook/cisco-directory.js';
import { leaf, XmlDocument, type XmlElement } from '../render/phonebook/xml-sink.js';
import type { AppLink, AppPage, FamilyLimits } from './app-pages.types.js';

/*
 * Cisco IP Phone Services XML objects, validated in tests against CiscoIPPhone.xsd (3.3.4, kept
 * in test/fixtures/schemas): CiscoIPPhoneMenu (MenuItem/Name/URL), CiscoIPPhoneDirectory
 * (DirectoryEntry/Name/Telephone; SoftKey:Dial dials the selection), CiscoIPPhoneInput
 * (URL + up to 5 InputItem/DisplayName/QueryStringParam/DefaultValue/InputFlags; the phone
 * appends `?param=value&…`), CiscoIPPhoneText. In every displayable object the sequence is Title,
 * Prompt, SoftKeyItem (CiscoIPPhoneDisplayableType), then the object's own items (schema order).
 */

export const CISCO_APP_LIMITS: FamilyLimits = {
  pageRows: CISCO_PAGE_SIZE,
  textMax: CISCO_TEXT_MAX,
  urlMax: CISCO_URL_MAX,
};
const MAX_MENU_ITEMS = 100;

function softKeyItems(keys: readonly AppLink[]): XmlElement[] {
  return keys.map((key, index) => ({
    name: 'SoftKeyItem',
    children: [leaf('Name', ciscoText(key.label)), leaf('Position', String(index + 1)), leaf('URL', key.url)],
  }));
}

const EXIT: AppLink = { label: 'Exit', url: 'SoftKey:Exit' };

export function ciscoPage(page: AppPage): Buffer {
  const doc = new XmlDocument();
  switch (page.type) {
    case 'menu': {
      const keys: AppLink[] = [{ label: 'Select', url: 'SoftKey:Select' }];
      if (page.back) keys.push({ label: 'Back', url: page.back });
      keys.push(EXIT);
      doc.open('CiscoIPPhoneMenu', {}, [
        leaf('Title', ciscoText(page.title)),
        leaf('Prompt', 'Select'),
        ...softKeyItems(keys),
      ]);
      for (const item of page.items.slice(0, MAX_MENU_ITEMS))
        doc.add({ name: 'MenuItem', children: [leaf('Name', ciscoText(item.label)), leaf('URL', item.url)] });
      break;
    }
    case 'directory': {
      const keys: AppLink[] = page.rows.length > 0 ? [{ label: 'Dial', url: 'SoftKey:Dial' }] : [];
      if (page.previous) keys.push({ label: 'Prev', url: page.previous });
      if (page.next) keys.push({ label: 'Next', url: page.next });
      keys.push({ label: 'Back', url: page.back }, EXIT);
      doc.open('CiscoIPPhoneDirectory', {}, [
        leaf('Title', ciscoText(page.title)),
        leaf('Prompt', ciscoText(page.prompt)),
        ...softKeyItems(keys),
      ]);
      for (const row of page.rows.slice(0, CISCO_PAGE_SIZE))
        doc.add({
          name: 'DirectoryEntry',
          children: [leaf('Name', ciscoText(row.name)), leaf('Telephone', ciscoText(row.number))],
        });
      break;
    }
    case 'input':
      doc.open('CiscoIPPhoneInput', {}, [
        leaf('Title', ciscoText(page.title)),
        leaf('Prompt', ciscoText(page.prompt)),
        ...softKeyItems([
          { label: 'Save', url: 'SoftKey:Submit' },
          { label: 'Del', url: 'SoftKey:<<' },
          { label: 'Back', url: page.back },
          EXIT,
        ]),
        leaf('URL', page.url),
      ]);
      for (const field of page.fields.slice(0, 5))
        doc.add({
          name: 'InputItem',
          children: [
            leaf('DisplayName', ciscoText(field.label)),
            leaf('QueryStringParam', field.param),
            // A: plain ASCII text; T: a telephone number (DTMF digits, * and # only: no +, so an
            // international number is typed with 00, which createContact reads as +).
            leaf('InputFlags', field.kind === 'number' ? 'T' : 'A'),
            leaf('DefaultValue', ciscoText(field.value)),
          ],
        });
      break;
    case 'text':
      doc.open('CiscoIPPhoneText', {}, [
        leaf('Title', ciscoText(page.title)),
        leaf('Prompt', ciscoText(page.title)),
        ...softKeyItems([...(page.action ? [page.action] : []), { label: 'Back', url: page.back }, EXIT]),
        leaf('Text', page.text.slice(0, 4000)),
      ]);
      break;
  }
  return doc.finish('cisco-app.xml').body;
}
