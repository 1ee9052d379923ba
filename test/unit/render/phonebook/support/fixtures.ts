import type { PhonebookEntry } from '#src/modules/render/phonebook/index.js';

export const BASE_URL = 'https://prov.example.com/pb/Tok3n-abc';

/**
 * Names that have broken phonebooks before: XML metacharacters, CDATA terminators, text that looks
 * like entity references, control characters, a lone surrogate, accents (composed and combining),
 * CJK, emoji (ZWJ sequence, flag), right-to-left text with direction marks, and names longer than
 * Poly's 40 bytes and Cisco's 32 characters. Sorted by (lastName, firstName, id) like real input.
 */
export const HAZARD_ENTRIES: PhonebookEntry[] = [
  {
    id: 'c-01',
    firstName: 'Tom & "Jerry"',
    lastName: "<O'Brien>",
    company: 'AT&T; <Labs> & Sons',
    numbers: [{ type: 'work', number: '+1 212 555 0100' }],
    group: 'Sales & <Support>',
  },
  {
    id: 'c-02',
    firstName: 'Zoë',
    lastName: 'Bäcker-Müller',
    numbers: [
      { type: 'work', number: '+49 30 1234567' },
      { type: 'mobile', number: '+49 170 7654321' },
      { type: 'home', number: '+49 30 7777777' },
      { type: 'fax', number: '+49 30 1234568' },
      { type: 'extension', number: '2001' },
      { type: 'work', number: '+49 30 1234567' },
    ],
    group: 'Engineering',
  },
  {
    id: 'c-03',
    firstName: 'Bell\u0007Ringer\u0000',
    lastName: 'Data ]]> Section\u001b',
    numbers: [{ type: 'other', number: '1003\u0008' }],
  },
  {
    id: 'c-04',
    firstName: 'Entity',
    lastName: 'Literal &lt; &amp; &#1; &x;',
    numbers: [{ type: 'work', number: '1004' }],
    group: 'Engineering',
  },
  {
    id: 'c-05',
    firstName: 'Maximilian-Alexander Friedrich',
    lastName: 'Grünwald-Schönhausen von Überlingen-Öhringen',
    company: 'Überlänge GmbH',
    numbers: [
      { type: 'mobile', number: '+49 171 1111111' },
      { type: 'work', number: '+49 89 2222222' },
    ],
  },
  {
    id: 'c-06',
    firstName: 'Jose\u0301',
    lastName: 'Nun\u0303ez\uD800',
    numbers: [{ type: 'home', number: '+34 91 555 0106' }],
  },
  {
    id: 'c-07',
    company: 'Pizza 🍕 Place 👩‍💻 🇩🇪',
    numbers: [{ type: 'work', number: '+49 40 555 0107' }],
    group: 'Vendors',
  },
  {
    id: 'c-08',
    firstName: '\u200Fשלום\u200E',
    lastName: 'محمد\u200F',
    numbers: [{ type: 'mobile', number: '+972 50 555 0108' }],
  },
  {
    id: 'c-09',
    firstName: 'Nobody',
    lastName: 'Nonumber',
    numbers: [{ type: 'work', number: '  \u0007 ' }],
  },
  {
    id: 'c-10',
    firstName: 'Line\tbreak\nand\r\nspaces',
    lastName: 'Whitespace   Person',
    numbers: [{ type: 'extension', number: '1010' }],
  },
  {
    id: 'c-11',
    firstName: '太郎',
    lastName: '山田',
    company: '株式会社テスト',
    numbers: [
      { type: 'work', number: '+81 3 5555 0111' },
      { type: 'mobile', number: '+81 90 5555 0111' },
    ],
    group: 'Tokyo 東京',
  },
];

export function numberedEntry(index: number, numbersPerEntry = 1): PhonebookEntry {
  const id = String(index).padStart(6, '0');
  return {
    id: `n-${id}`,
    firstName: `First${id}`,
    lastName: `Last${id}`,
    numbers: Array.from({ length: numbersPerEntry }, (_unused, slot) => ({
      type: slot === 0 ? ('work' as const) : ('mobile' as const),
      number: `+49${slot + 1}${id}`,
    })),
  };
}

export function numberedEntries(count: number, numbersPerEntry = 1): PhonebookEntry[] {
  return Array.from({ length: count }, (_unused, index) => numberedEntry(index, numbersPerEntry));
}

/** Streams entries like a database cursor would: one at a time, asynchronously. */
export async function* streamed(count: number, numbersPerEntry = 1): AsyncGenerator<PhonebookEntry> {
  for (let index = 0; index < count; index++) yield numberedEntry(index, numbersPerEntry);
}
