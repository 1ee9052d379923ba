import { parse } from 'csv-parse/sync';
import type { FramedRecord } from './csv-framer.js';

export type ParsedRecord = { line: number; cells: string[] } | { line: number; problem: string; message: string };

const PROBLEM_MESSAGES: Record<string, string> = {
  row_too_large: 'row is larger than the allowed size',
  unclosed_quote: 'a quoted cell is never closed',
};

/**
 * Splits framed records into cells with csv-parse. A batch is parsed in one call (a call per
 * record costs about eight times as much); if the batch fails, each record is parsed alone so
 * the error lands on the right line and the others still import.
 */
export function parseRecords(records: FramedRecord[], delimiter: string): ParsedRecord[] {
  const rows = records.filter((r): r is { line: number; raw: string } => 'raw' in r);
  const batch = rows.length > 0 ? tryParse(rows.map((r) => r.raw).join('\n'), delimiter) : [];
  const batchFits = batch !== null && batch.length === rows.length;
  let rowIndex = 0;
  return records.map((record): ParsedRecord => {
    if (!('raw' in record)) {
      return {
        line: record.line,
        problem: record.problem,
        message: PROBLEM_MESSAGES[record.problem] ?? record.problem,
      };
    }
    const cells = batchFits ? (batch as string[][])[rowIndex++] : tryParseOne(record.raw, delimiter);
    if (cells === null || cells === undefined) {
      return { line: record.line, problem: 'malformed_row', message: describeFailure(record.raw, delimiter) };
    }
    return { line: record.line, cells };
  });
}

const OPTIONS = {
  record_delimiter: '\n',
  relax_column_count: true,
  skip_empty_lines: false,
  bom: false,
} as const;

function tryParse(text: string, delimiter: string): string[][] | null {
  try {
    return parse(text, { ...OPTIONS, delimiter }) as string[][];
  } catch {
    return null;
  }
}

function tryParseOne(raw: string, delimiter: string): string[] | null {
  const parsed = tryParse(raw, delimiter);
  return parsed !== null && parsed.length === 1 ? (parsed[0] as string[]) : null;
}

function describeFailure(raw: string, delimiter: string): string {
  try {
    parse(raw, { ...OPTIONS, delimiter });
    return 'row is not valid CSV';
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'CSV_INVALID_CLOSING_QUOTE') return 'a quoted cell has text after its closing quote';
    if (code === 'INVALID_OPENING_QUOTE' || code === 'CSV_INVALID_OPENING_QUOTE')
      return 'a quote appears inside an unquoted cell';
    if (code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted cell is never closed';
    return `row is not valid CSV (${typeof code === 'string' ? code : 'parse error'})`;
  }
}
