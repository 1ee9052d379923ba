import { leaf, XmlDocument, type XmlElement } from '../render/phonebook/xml-sink.js';
import type { AppLink, AppPage, FamilyLimits } from './app-pages.types.js';

/*
 * Yealink XML Browser objects (Yealink "XML Browser Developer's Guide"): YealinkIPPhoneTextMenu
 * (Title, MenuItem/Prompt/URI), YealinkIPPhoneDirectory (Title, DirectoryEntry/Name/Telephone:
 * the phone dials the selected entry), YealinkIPPhoneInputScreen (Title, URL,
 * InputField/Prompt/Parameter/Selection/Default; the phone appends `?param=value&…` to URL),
 * YealinkIPPhoneTextScreen (Title, Text), each with SoftKey index="1..6"/Label/URI.
 * `SoftKey:Exit`, `SoftKey:Dial`, `SoftKey:Submit` are the phone's own actions.
 */

export const YEALINK_APP_LIMITS: FamilyLimits = { pageRows: 30, textMax: 64, urlMax: 1024 };
export const YEALINK_PAGE_ELEMENTS = [
  'YealinkIPPhoneTextMenu',
  'YealinkIPPhoneDirectory',
  'YealinkIPPhoneInputScreen',
  'YealinkIPPhoneTextScreen',
  'Title',
  'Prompt',
  'URI',
  'URL',
  'MenuItem',
  'DirectoryEntry',
  'Name',
  'Telephone',
  'InputField',
  'Parameter',
  'Selection',
  'Default',
  'Text',
  'SoftKey',
  'Label',
] as const;

const COMMON = { Beep: 'no', Timeout: '60', LockIn: 'no', destroyOnExit: 'yes' };

function softKeys(keys: readonly AppLink[]): XmlElement[] {
  return keys.map((key, index) => ({
    name: 'SoftKey',
    attributes: { index: String(index + 1) },
    children: [leaf('Label', key.label), leaf('URI', key.url)],
  }));
}

const EXIT: AppLink = { label: 'Exit', url: 'SoftKey:Exit' };

export function yealinkPage(page: AppPage): Buffer {
  const doc = new XmlDocument();
  switch (page.type) {
    case 'menu':
      doc.open('YealinkIPPhoneTextMenu', { style: 'numbered', ...COMMON }, [leaf('Title', page.title)]);
      for (const item of page.items)
        doc.add({ name: 'MenuItem', children: [leaf('Prompt', item.label), leaf('URI', item.url)] });
      for (const key of softKeys([
        { label: 'OK', url: 'SoftKey:Select' },
        ...(page.back ? [{ label: 'Back', url: page.back }] : []),
        EXIT,
      ]))
        doc.add(key);
      break;
    case 'directory': {
      doc.open('YealinkIPPhoneDirectory', COMMON, [leaf('Title', `${page.title} (${page.prompt})`)]);
      for (const row of page.rows)
        doc.add({ name: 'DirectoryEntry', children: [leaf('Name', row.name), leaf('Telephone', row.number)] });
      const keys: AppLink[] = page.rows.length > 0 ? [{ label: 'Dial', url: 'SoftKey:Dial' }] : [];
      if (page.previous) keys.push({ label: 'Prev', url: page.previous });
      if (page.next) keys.push({ label: 'Next', url: page.next });
      keys.push({ label: 'Back', url: page.back }, EXIT);
      for (const key of softKeys(keys)) doc.add(key);
      break;
    }
    case 'input':
      doc.open('YealinkIPPhoneInputScreen', { type: 'string', ...COMMON }, [
        leaf('Title', page.title),
        leaf('URL', page.url),
      ]);
      page.fields.forEach((field, index) =>
        doc.add({
          name: 'InputField',
          attributes: { type: field.kind === 'number' ? 'number' : 'string', password: 'no', editable: 'yes' },
          children: [
            leaf('Prompt', field.label),
            leaf('Parameter', field.param),
            leaf('Selection', String(index + 1)),
            leaf('Default', field.value),
          ],
        }),
      );
      for (const key of softKeys([
        { label: 'Save', url: 'SoftKey:Submit' },
        { label: 'Del', url: 'SoftKey:BackSpace' },
        { label: 'Back', url: page.back },
        EXIT,
      ]))
        doc.add(key);
      break;
    case 'text':
      doc.open('YealinkIPPhoneTextScreen', COMMON, [leaf('Title', page.title), leaf('Text', page.text)]);
      for (const key of softKeys([...(page.action ? [page.action] : []), { label: 'Back', url: page.back }, EXIT]))
        doc.add(key);
      break;
  }
  return doc.finish('yealink-app.xml').body;
}
