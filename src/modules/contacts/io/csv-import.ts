import { validateDraft, type ContactDraft } from './contact-draft.js';
import { controlCharacterIn } from './contact-text.js';
import { restoreCell, splitNumberCell } from './csv-cells.js';
import { parseRecords, type ParsedRecord } from './csv-fields.js';
import { CsvFramer } from './csv-framer.js';
import { detectDelimiter, mapHeader, type ColumnMapping, type CsvField, type TextField } from './csv-header.js';
import { decodeUtf8, rowError, type ImportRowResult } from './import-result.js';
import type { NumberType } from '../../../model/contacts/contact-number.entity.js';

export interface CsvImportOptions {
  /** ISO 3166 alpha-2 country for numbers written without a country code. */
  defaultCountry?: string;
  /** { csvHeader: field } overriding the built-in header aliases for the headers it names. */
  mapping?: Record<string, CsvField>;
  /** Rows (including quoted multi-line cells) longer than this many characters are rejected. */
  maxRowChars?: number;
  /** Skips detection from the header line. */
  delimiter?: ',' | ';';
}

export const DEFAULT_MAX_ROW_CHARS = 64 * 1024;

/**
 * Streams contacts out of a CSV file: one result per data row, in file order, with the row's
 * 1-based starting line. Only the current chunk and one row are held in memory. A bad row is
 * reported and the import goes on; only an unusable header line stops it.
 */
export async function* importCsv(
  input: AsyncIterable<Buffer | Uint8Array | string>,
  options: CsvImportOptions = {},
): AsyncGenerator<ImportRowResult> {
  const maxRowChars = options.maxRowChars ?? DEFAULT_MAX_ROW_CHARS;
  const rows = new RowReader(options);
  let framer: CsvFramer | null = null;
  let delimiter: ',' | ';' = options.delimiter ?? ',';
  let beforeFirstLine = '';

  const consume = function* (parsed: ParsedRecord[]): Generator<ImportRowResult> {
    for (const record of parsed) {
      yield* rows.accept(record);
      if (rows.stopped) return;
    }
  };

  for await (let text of decodeUtf8(input)) {
    if (framer === null) {
      // The delimiter is chosen from the first line, so hold text until that line is complete.
      beforeFirstLine += text;
      if (!hasCompleteFirstLine(beforeFirstLine) && beforeFirstLine.length <= maxRowChars) continue;
      delimiter = options.delimiter ?? detectDelimiter(firstLine(beforeFirstLine));
      framer = new CsvFramer(delimiter, maxRowChars);
      text = beforeFirstLine;
      beforeFirstLine = '';
    }
    yield* consume(parseRecords(framer.push(text), delimiter));
    if (rows.stopped) return;
  }
  if (framer === null) {
    delimiter = options.delimiter ?? detectDelimiter(firstLine(beforeFirstLine));
    framer = new CsvFramer(delimiter, maxRowChars);
    yield* consume(parseRecords(framer.push(beforeFirstLine), delimiter));
    if (rows.stopped) return;
  }
  yield* consume(parseRecords(framer.end(), delimiter));
  if (!rows.sawHeader) yield rowError(1, 'file', 'empty_file', 'the file has no header line');
}

function hasCompleteFirstLine(text: string): boolean {
  return /\S[^\r\n]*[\r\n]/.test(text);
}

function firstLine(text: string): string {
  const match = /\S[^\r\n]*/.exec(text);
  return match === null ? '' : match[0];
}

/** Turns parsed records into results: the first record is the header, the rest are contacts. */
class RowReader {
  sawHeader = false;
  stopped = false;
  private headerWidth = 0;
  private textColumns: ColumnMapping['columns'] = [];
  private numberColumns: ColumnMapping['columns'] = [];

  constructor(private readonly options: CsvImportOptions) {}

  accept(record: ParsedRecord): ImportRowResult[] {
    if (!this.sawHeader) return this.acceptHeader(record);
    if ('problem' in record) return [rowError(record.line, 'row', record.problem, record.message)];
    const { line, cells } = record;
    if (cells.every((cell) => cell.trim().length === 0)) return [];
    // The decoder turns bytes that are not UTF-8 into U+FFFD; such a row would store a guess.
    if (cells.some((cell) => cell.includes(REPLACEMENT))) return [rowError(line, 'row', 'invalid_encoding', NOT_UTF8)];
    if (cells.length < this.headerWidth || cells.slice(this.headerWidth).some((cell) => cell.trim().length > 0)) {
      return [rowError(line, 'row', 'column_count', `expected ${this.headerWidth} cells, found ${cells.length}`)];
    }
    const result = validateDraft(this.draftFrom(cells), { defaultCountry: this.options.defaultCountry });
    return [result.ok ? { line, ok: true, contact: result.contact } : { line, ok: false, errors: result.errors }];
  }

  private acceptHeader(record: ParsedRecord): ImportRowResult[] {
    this.sawHeader = true;
    if ('problem' in record) {
      this.stopped = true;
      return [rowError(record.line, 'header', 'invalid_header', `the header line cannot be read: ${record.message}`)];
    }
    const unreadable = headerProblem(record.cells);
    if (unreadable !== null) {
      this.stopped = true;
      return [rowError(record.line, 'header', 'invalid_header', unreadable)];
    }
    const mapping = mapHeader(record.cells, this.options.mapping);
    this.headerWidth = record.cells.length;
    this.textColumns = mapping.columns
      .filter((c) => isTextField(c.field))
      .sort((a, b) => a.rank - b.rank || a.index - b.index);
    this.numberColumns = mapping.columns.filter((c) => !isTextField(c.field));
    const results: ImportRowResult[] = [];
    if (mapping.unknownHeaders.length > 0) {
      results.push({
        line: record.line,
        ok: false,
        errors: mapping.unknownHeaders.map(({ header }) => ({
          field: header,
          code: 'unknown_column',
          message: `column "${header}" matches no contact field and is not imported`,
        })),
      });
    }
    const hasName = this.textColumns.some(
      (c) => c.field === 'firstName' || c.field === 'lastName' || c.field === 'company',
    );
    if (!hasName || this.numberColumns.length === 0) {
      this.stopped = true;
      results.push(
        rowError(
          record.line,
          'header',
          'no_usable_columns',
          'the header needs at least one name column and one phone number column',
        ),
      );
    }
    return results;
  }

  private draftFrom(cells: string[]): ContactDraft {
    const draft: ContactDraft = { numbers: [] };
    for (const column of this.textColumns) {
      const field = column.field as TextField;
      const value = restoreCell(cells[column.index] ?? '');
      if (draft[field] === undefined && value.trim().length > 0) draft[field] = value;
    }
    for (const column of this.numberColumns) {
      for (const number of splitNumberCell(cells[column.index] ?? '')) {
        draft.numbers.push({ type: column.field as NumberType, number });
      }
    }
    return draft;
  }
}

const REPLACEMENT = '\uFFFD';
const NOT_UTF8 = 'the row holds bytes that are not UTF-8 (save the file as UTF-8)';

/** Why a header cannot name columns (a control character or bytes that are not UTF-8 in a cell), or null. */
function headerProblem(cells: string[]): string | null {
  for (const [index, cell] of cells.entries()) {
    const control = controlCharacterIn(cell);
    if (control !== null) return `header cell ${index + 1} holds a control character (${control})`;
    if (cell.includes(REPLACEMENT))
      return `header cell ${index + 1} holds bytes that are not UTF-8 (save the file as UTF-8)`;
  }
  return null;
}

function isTextField(field: string): field is TextField {
  return field === 'firstName' || field === 'lastName' || field === 'company' || field === 'title' || field === 'email';
}
