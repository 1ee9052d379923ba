import type { FieldError, NormalisedContact } from './contact-draft.js';

/**
 * One result per imported row (CSV) or card (vCard). `line` is the 1-based physical line
 * where the row or card starts in the uploaded file.
 *
 * Header notices (an unknown CSV column, for example) arrive as `ok: false` on line 1 with
 * codes listed in HEADER_NOTICE_CODES; they describe the file, not a rejected row.
 */
export type ImportRowResult =
  | { line: number; ok: true; contact: NormalisedContact; mergedLines?: number[] }
  | { line: number; ok: false; errors: FieldError[] };

export const HEADER_NOTICE_CODES = ['unknown_column'] as const;

export function rowError(line: number, field: string, code: string, message: string): ImportRowResult {
  return { line, ok: false, errors: [{ field, code, message }] };
}

export function isHeaderNotice(result: ImportRowResult): boolean {
  return !result.ok && result.errors.every((e) => (HEADER_NOTICE_CODES as readonly string[]).includes(e.code));
}

/**
 * Reads any byte or text stream (a Node Readable is one) chunk by chunk as UTF-8 text, without
 * a leading byte order mark. Invalid UTF-8 becomes U+FFFD rather than failing the import.
 */
export async function* decodeUtf8(input: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let atStart = true;
  const emit = (text: string): string => {
    if (atStart && text.length > 0) {
      atStart = false;
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    }
    return text;
  };
  for await (const chunk of input) {
    const text = emit(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (text.length > 0) yield text;
  }
  const rest = emit(decoder.decode());
  if (rest.length > 0) yield rest;
}
