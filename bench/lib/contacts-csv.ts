/**
 * Outlook-style contact CSV (14 columns, five numbers per contact, ~500 bytes a row), as the
 * contacts import benchmark first wrote it: realistic width, all rows distinct.
 */
export const CONTACTS_CSV_HEADER =
  'First Name,Last Name,Company,Job Title,E-mail Address,Business Phone,Mobile Phone,Home Phone,Business Fax,Other Phone,Business Street,Business City,Business Postal Code,Notes';

const NOTES = 'Met at the trade fair; prefers calls in the morning; speaks German, English and French. '.repeat(3);

export function contactsCsvRow(i: number, seed = 0): string {
  const n = String(1_000_000 + i + seed * 10_000_000).slice(-7);
  const prefix = seed ? String((seed % 9) + 1) : '';
  return [
    `Given${i}`,
    `Family${i % 20_000}`,
    `"Company ${i % 3000}, Holding & Partners GmbH"`,
    'Head of Procurement and Logistics',
    `given${i}.family@company${i % 3000}.example.com`,
    `+4930${prefix}${n}`,
    `+49171${prefix}${n}`,
    `+4940${prefix}${n}`,
    `+4989${prefix}${n}`,
    String(100 + (i % 9000)),
    `"Musterstraße ${i % 200}"`,
    'Berlin',
    '10115',
    `"${NOTES}"`,
  ].join(',');
}

export function contactsCsv(rows: number, seed = 0): string {
  const lines = [CONTACTS_CSV_HEADER];
  for (let i = 0; i < rows; i++) lines.push(contactsCsvRow(i, seed));
  return lines.join('\r\n') + '\r\n';
}
