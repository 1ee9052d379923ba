import { parse } from 'csv-parse/sync';
import { BadRequestError, PayloadTooLargeError } from '../../../errors/errors.js';

export const MAX_IMPORT_ROWS = 10_000;
export const MAX_IMPORT_LINE_INDEX = 64;

/** One data row: cells by (lowercased) column name, and the file line the row starts on. */
export interface CsvDeviceRow {
  line: number;
  cells: Record<string, string>;
}

const FIXED_COLUMNS = new Set(['mac', 'vendor', 'model', 'profile', 'status']);
const LINE_COLUMN = /^line([1-9][0-9]?)_(account|phonemap|label)$/;

function checkHeader(header: string[]): string[] {
  const names = header.map((name) => name.trim().toLowerCase());
  const seen = new Set<string>();
  for (const name of names) {
    const lineColumn = LINE_COLUMN.exec(name);
    const known = FIXED_COLUMNS.has(name) || (lineColumn !== null && Number(lineColumn[1]) <= MAX_IMPORT_LINE_INDEX);
    if (!known)
      throw new BadRequestError('csv_unknown_column', `unknown column "${name.slice(0, 40)}"`, {
        column: name.slice(0, 40),
        line: 1,
      });
    if (seen.has(name))
      throw new BadRequestError('csv_duplicate_column', `column "${name}" appears twice`, { column: name, line: 1 });
    seen.add(name);
  }
  for (const required of ['mac', 'vendor']) {
    if (!seen.has(required))
      throw new BadRequestError('csv_missing_column', `the header needs a "${required}" column`, {
        column: required,
        line: 1,
      });
  }
  return names;
}

/**
 * Parses a device CSV: header row first (columns mac, vendor, model, profile, status and lineN_account,
 * lineN_phonemap, lineN_label), `,` or `;` separated, optional BOM, CRLF or LF. A malformed file
 * (unclosed quote) is refused as a whole; a row with the wrong number of cells becomes that row's error
 * later (its cells are kept as far as they go). Line numbers count from 1 = the header.
 */
export function parseDeviceCsv(text: string): { rows: CsvDeviceRow[]; widthErrors: Map<number, string> } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      delimiter: [',', ';'],
      info: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    throw new BadRequestError('csv_invalid', `the CSV cannot be read: ${(error as Error).message.split(':')[0]}`, {
      line: typeof line === 'number' ? line : null,
    });
  }
  if (records.length === 0) throw new BadRequestError('csv_empty', 'the CSV has no header row');
  if (records.length - 1 > MAX_IMPORT_ROWS)
    throw new PayloadTooLargeError('import_too_large', `at most ${MAX_IMPORT_ROWS} rows per import`, {
      rows: records.length - 1,
    });
  const names = checkHeader(records[0]!.record);
  const widthErrors = new Map<number, string>();
  const rows = records.slice(1).map(({ record, info }) => {
    const line = info.lines - record.reduce((sum, cell) => sum + (cell.match(/\n/g)?.length ?? 0), 0);
    if (record.length !== names.length)
      widthErrors.set(line, `the row has ${record.length} cells, the header ${names.length}`);
    const cells: Record<string, string> = {};
    names.forEach((name, column) => {
      if (record[column] !== undefined && record[column] !== '') cells[name] = record[column]!;
    });
    return { line, cells };
  });
  return { rows, widthErrors };
}
