/**
 * Cell encoding shared by the CSV exporter and importer, so an export reads back unchanged.
 *
 * Formula injection: a spreadsheet treats a cell starting with = + - @ (and tab or CR, which
 * some strip before looking) as a formula. Such cells get a leading apostrophe, which
 * spreadsheets show as text. To stay lossless, a cell that already starts with apostrophes
 * followed by a dangerous character gets one more; the importer removes exactly one from any
 * cell of the form '+[dangerous]… . The two rules are inverse: restoreCell(neutraliseCell(s)) = s
 * for every s.
 *
 * Numbers: several numbers of one type share a cell, joined by " | ". E.164 numbers start with
 * "+", so exported number cells usually start with an apostrophe too; the importer strips a
 * leading apostrophe from number cells (a number never contains one), which also accepts the
 * '0049… that spreadsheet users type to keep a leading zero.
 */
const DANGEROUS_START = /^'*[=+\-@\t\r]/;
const NEUTRALISED_START = /^'+[=+\-@\t\r]/;

export const NUMBER_SEPARATOR = ' | ';

export function neutraliseCell(value: string): string {
  return DANGEROUS_START.test(value) ? `'${value}` : value;
}

export function restoreCell(value: string): string {
  return NEUTRALISED_START.test(value) ? value.slice(1) : value;
}

export function joinNumbers(numbers: string[]): string {
  return numbers.join(NUMBER_SEPARATOR);
}

/**
 * Splits a number cell. `|`, `;` and `,` can never be part of a phone number, so splitting on
 * them cannot cut a valid number in two. A line break is not a separator: "030 123\n4567" is a
 * broken number (refused as invalid_number), not the two numbers "030 123" and "4567".
 */
export function splitNumberCell(cell: string): string[] {
  return cell
    .replace(/^\s*'+/, '')
    .split(/[|;,]+/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
