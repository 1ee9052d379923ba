import { describe, expect, it } from 'vitest';

import { type PhonebookEntry, renderPhonebook } from '#src/modules/render/phonebook/index.js';
import { numberedEntries } from './support/fixtures.js';
import { countOccurrences, parseStrict } from './support/xml-check.js';

const ADA: PhonebookEntry = {
  id: 'a',
  firstName: 'Ada',
  lastName: 'Lovelace',
  numbers: [
    { type: 'work', number: '+44 20 7946 0000' },
    { type: 'mobile', number: '+44 7700 900000' },
  ],
};

describe('snom-directory (minibrowser SnomIPPhoneDirectory)', () => {
  it('writes one DirectoryEntry per number, tagged with the number type, under the book title', async () => {
    const { files, entryCount } = await renderPhonebook('snom-directory', { title: 'Staff', entries: [ADA] });
    expect(files.map((file) => file.name)).toEqual(['snom-directory.xml']);
    expect(entryCount).toBe(1);
    await parseStrict(files);
    expect(files[0]!.body.toString('utf8')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<SnomIPPhoneDirectory>\n  <Title>Staff</Title>\n' +
        '  <DirectoryEntry>\n    <Name>Ada Lovelace (Work)</Name>\n    <Telephone>+442079460000</Telephone>\n  </DirectoryEntry>\n' +
        '  <DirectoryEntry>\n    <Name>Ada Lovelace (Mobile)</Name>\n    <Telephone>+447700900000</Telephone>\n  </DirectoryEntry>\n' +
        '</SnomIPPhoneDirectory>\n',
    );
  });

  it('is not the tbook settings format, and has no storage cap of its own', async () => {
    const { files, warnings } = await renderPhonebook('snom-directory', {
      title: 'Big',
      entries: numberedEntries(600),
    });
    const body = files[0]!.body;
    expect(body.toString()).not.toContain('<tbook');
    expect(countOccurrences(body, '<DirectoryEntry>')).toBe(600);
    expect(warnings).toEqual([]);
  });

  it('honours a configured cap and says so', async () => {
    const { files, warnings, entryCount } = await renderPhonebook(
      'snom-directory',
      { title: 'Big', entries: numberedEntries(5) },
      { cap: 3 },
    );
    expect(entryCount).toBe(3);
    expect(countOccurrences(files[0]!.body, '<DirectoryEntry>')).toBe(3);
    expect(warnings).toEqual(['truncated to 3 entries (configured cap); 2 more left out']);
  });

  it('gives an untitled book a title', async () => {
    const { files } = await renderPhonebook('snom-directory', { title: ' \u0000 ', entries: [] });
    expect(files[0]!.body.toString()).toContain('<Title>Directory</Title>');
  });
});
