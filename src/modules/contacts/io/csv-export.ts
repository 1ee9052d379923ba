import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import { type NormalisedContact } from './contact-draft.js';
import { joinNumbers, neutraliseCell } from './csv-cells.js';
import { NUMBER_TYPES } from '../../../model/contacts/contact-number.entity.js';

/** Our own column names; the importer's header aliases include every one of them. */
export const CSV_EXPORT_HEADER = ['first_name', 'last_name', 'company', 'title', 'email', ...NUMBER_TYPES] as const;

export interface CsvExportOptions {
  /**
   * Starts the file with a UTF-8 byte order mark (default true): without it Excel reads the
   * file as the local ANSI code page and mangles every non-ASCII name. Our importer skips it.
   */
  bom?: boolean;
}

/**
 * Streams contacts as CSV (RFC 4180: comma, CRLF, quotes where needed). One column per number
 * type; several numbers of one type share the cell, joined by " | ". Every cell is passed
 * through neutraliseCell against formula injection; see csv-cells.ts for why that round-trips.
 */
export function exportCsv(
  contacts: AsyncIterable<NormalisedContact> | Iterable<NormalisedContact>,
  options: CsvExportOptions = {},
): Readable {
  const stringifier = stringify({
    header: true,
    columns: [...CSV_EXPORT_HEADER],
    record_delimiter: 'windows',
    bom: options.bom ?? true,
  });
  const rows = Readable.from(toRows(contacts), { objectMode: true });
  // pipeline() destroys the stringifier with a failing source's error, so the consumer sees it;
  // the callback has nothing left to do.
  pipeline(rows, stringifier, () => {});
  return stringifier;
}

async function* toRows(
  contacts: AsyncIterable<NormalisedContact> | Iterable<NormalisedContact>,
): AsyncGenerator<string[]> {
  for await (const contact of contacts) yield contactRow(contact);
}

export function contactRow(contact: NormalisedContact): string[] {
  const text = [contact.firstName, contact.lastName, contact.company, contact.title, contact.email].map((value) =>
    neutraliseCell(value ?? ''),
  );
  const numbers = NUMBER_TYPES.map((type) =>
    neutraliseCell(joinNumbers(contact.numbers.filter((n) => n.type === type).map((n) => n.number))),
  );
  return [...text, ...numbers];
}
