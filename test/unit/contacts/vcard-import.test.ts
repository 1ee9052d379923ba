import { describe, expect, it } from 'vitest';
import { importVcard } from '#src/modules/contacts/io/vcard-import.js';
import { byteStream, collect, errorCodes, okContacts } from './io-fixtures.js';

const run = (text: string, chunkSize = 5) =>
  collect(importVcard(byteStream(text, chunkSize), { defaultCountry: 'DE' }));

const VCARD_3 = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:Müller\\, Jr.;Jürgen;;Dr.;',
  'FN:Dr. Jürgen Müller\\, Jr.',
  'ORG:ACME\\; Söhne;Vertrieb',
  'TITLE:Head of Sales\\; EMEA\\, \\\\ops',
  'EMAIL;TYPE=INTERNET,WORK:juergen@acme.example',
  'EMAIL;TYPE=INTERNET,HOME,PREF:home@juergen.example',
  'TEL;TYPE=WORK,VOICE:+49 30 1234',
  ' 5678',
  'TEL;TYPE=CELL:+49 170 1234567',
  'TEL;TYPE=HOME:030 87654321',
  'TEL;TYPE=WORK,FAX:+49 30 11111111',
  'TEL:4711',
  'item1.TEL;type=pref:+44 20 7946 0958',
  'item1.X-ABLabel:_$!<Other>!$_',
  'PHOTO;ENCODING=b;TYPE=JPEG:' + 'QUJD'.repeat(5000),
  'NOTE:Mentions TEL:+49 30 99999999 in prose',
  'END:VCARD',
].join('\r\n');

const VCARD_4 = [
  'BEGIN:VCARD',
  'VERSION:4.0',
  'FN:山田 太郎 🎉',
  'N:山田;太郎;;;',
  'ORG:株式会社 & < > " \'',
  'EMAIL;PREF=1:taro@example.jp',
  'TEL;VALUE=uri;TYPE="work,voice":tel:+81-3-1234-5678',
  'TEL;VALUE=uri;TYPE=cell:tel:+81 90 1234 5678',
  'TEL;VALUE=text;TYPE="home,voice":1234',
  'TEL;TYPE=fax:+81312345679',
  'END:VCARD',
].join('\n');

describe('importVcard', () => {
  it('reads a vCard 3.0 card: folding, escapes, TYPE lists, groups, preferred email, photo skipped', async () => {
    const results = await run(`${VCARD_3}\r\n`);
    expect(results).toEqual([
      {
        line: 1,
        ok: true,
        contact: {
          firstName: 'Jürgen',
          lastName: 'Müller, Jr.',
          company: 'ACME; Söhne, Vertrieb',
          title: 'Head of Sales; EMEA, \\ops',
          email: 'home@juergen.example',
          numbers: [
            { type: 'work', number: '+493012345678' },
            { type: 'mobile', number: '+491701234567' },
            { type: 'home', number: '+493087654321' },
            { type: 'fax', number: '+493011111111' },
            { type: 'other', number: '4711' },
            { type: 'other', number: '+442079460958' },
          ],
        },
      },
    ]);
  });

  it('reads a vCard 4.0 card: quoted TYPE lists, tel: URIs, text-valued extensions, CJK and emoji', async () => {
    const [contact] = okContacts(await run(VCARD_4));
    expect(contact).toEqual({
      firstName: '太郎',
      lastName: '山田',
      company: '株式会社 & < > " \'',
      title: null,
      email: 'taro@example.jp',
      numbers: [
        { type: 'work', number: '+81312345678' },
        { type: 'mobile', number: '+819012345678' },
        { type: 'home', number: '1234' },
        { type: 'fax', number: '+81312345679' },
      ],
    });
  });

  it('reads vCard 2.1 bare parameters and quoted-printable values with soft line breaks', async () => {
    const card = [
      'BEGIN:VCARD',
      'VERSION:2.1',
      'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BC=',
      'rgen;;;',
      'FN;QUOTED-PRINTABLE;CHARSET=ISO-8859-1:J=FCrgen M=FCller',
      'ORG;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:B=E4ckerei',
      'NOTE;ENCODING=QUOTED-PRINTABLE:first=0D=0A=',
      'TEL;CELL:+49 170 1',
      'TEL;WORK;VOICE:+49 30 12345678',
      'TEL;CELL:+49 170 1234567',
      'END:VCARD',
    ].join('\r\n');
    const [contact] = okContacts(await run(card));
    expect(contact).toEqual({
      firstName: 'Jürgen',
      lastName: 'Müller',
      company: 'Bäckerei',
      title: null,
      email: null,
      numbers: [
        { type: 'work', number: '+493012345678' },
        { type: 'mobile', number: '+491701234567' },
      ],
    });
  });

  it('uses FN as the name when N is missing, unless FN only repeats the company', async () => {
    const cards = [
      'BEGIN:VCARD\nVERSION:4.0\nFN:Reception Desk\nTEL;VALUE=text:100\nEND:VCARD',
      'BEGIN:VCARD\nVERSION:4.0\nFN:ACME Corp\nORG:ACME Corp\nTEL;VALUE=text:101\nEND:VCARD',
    ].join('\n');
    expect(okContacts(await run(cards)).map((c) => [c.firstName, c.lastName, c.company])).toEqual([
      ['Reception Desk', null, null],
      [null, null, 'ACME Corp'],
    ]);
  });

  it('reports broken cards by the line of their BEGIN and goes on', async () => {
    const text = [
      'BEGIN:VCARD', // 1
      'VERSION:3.0',
      'FN:No Number',
      'END:VCARD',
      'BEGIN:VCARD', // 5
      'VERSION:4.0',
      'FN:Bad Quote',
      'TEL;TYPE="work:1234',
      'END:VCARD',
      '',
      'BEGIN:VCARD', // 11
      'FN:Missing End',
      'TEL:1234',
      'BEGIN:VCARD', // 14
      'VERSION:3.0',
      'N:Good;Card',
      'TEL:+49 30 12345678',
      'END:VCARD',
      'BEGIN:VCARD', // 19
      `FN:${'x'.repeat(70_000)}`,
      'TEL:1234',
      'END:VCARD',
      'BEGIN:VCARD', // 23
      'FN:Truncated file',
    ].join('\r\n');
    const results = await run(text, 1000);
    expect(errorCodes(results)).toEqual([
      { line: 1, codes: ['number_required'] },
      { line: 5, codes: ['malformed_card'] },
      { line: 11, codes: ['unterminated_card'] },
      { line: 19, codes: ['card_too_large'] },
      { line: 23, codes: ['unterminated_card'] },
    ]);
    expect(results.filter((r) => r.ok).map((r) => r.line)).toEqual([14]);
  });

  it('reports a file without cards', async () => {
    expect(errorCodes(await run('hello\r\n'))).toEqual([{ line: 1, codes: ['empty_file'] }]);
  });

  it('gives the same results whatever the chunk size', async () => {
    const text = `\uFEFF${VCARD_3}\r\n${VCARD_4}\n`;
    const reference = await run(text, 1_000_000);
    expect(reference.map((r) => [r.line, r.ok])).toEqual([
      [1, true],
      [20, true],
    ]);
    for (const chunkSize of [1, 2, 3, 64]) expect(await run(text, chunkSize)).toEqual(reference);
  });
});
