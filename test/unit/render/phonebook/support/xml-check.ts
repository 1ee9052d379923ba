import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { memoryPages, validateXML, type XMLValidationResult } from 'xmllint-wasm';

/** The Cisco IP Phone services schema, shipped with the tests (test/fixtures/schemas/README.md names its source). */
export const CISCO_XSD_PATH = fileURLToPath(new URL('../../../../fixtures/schemas/CiscoIPPhone.xsd', import.meta.url));

let ciscoXsd: string | undefined;
function ciscoSchema(): string {
  ciscoXsd ??= readFileSync(CISCO_XSD_PATH, 'utf8');
  return ciscoXsd;
}

export interface XmlFile {
  name: string;
  body: Buffer | string;
}

// Big books (tens of MB of XML) need more than xmllint's default 16 MiB; small ones start faster
// with the default.
function memoryFor(files: readonly XmlFile[]) {
  const total = files.reduce((sum, file) => sum + file.body.length, 0);
  const initialMemoryPages =
    total > 1_000_000 ? Math.ceil((16 * total) / (64 * 1024)) + memoryPages.defaultInitialMemoryPages : undefined;
  return { ...(initialMemoryPages ? { initialMemoryPages } : {}), maxMemoryPages: 2 * memoryPages.GiB };
}

function asInput(files: readonly XmlFile[]) {
  return files.map(({ name, body }) => ({
    fileName: name,
    contents: typeof body === 'string' ? body : new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
  }));
}

function failIfInvalid(result: XMLValidationResult, what: string): void {
  if (!result.valid) {
    const errors = result.errors
      .slice(0, 10)
      .map((error) => error.rawMessage)
      .join('\n');
    throw new Error(`${what} failed:\n${errors}`);
  }
}

/**
 * Parses every file with libxml2 (strict XML 1.0, no recovery) and returns the canonical (C14N)
 * form of all of them, concatenated in order.
 */
export async function parseStrict(files: readonly XmlFile[]): Promise<string> {
  const result = await validateXML({ xml: asInput(files), normalization: 'c14n', ...memoryFor(files) });
  failIfInvalid(result, 'strict XML parse');
  return result.normalized;
}

/** Validates every file against CiscoIPPhone.xsd. */
export async function validateCisco(files: readonly XmlFile[]): Promise<void> {
  const result = await validateXML({ xml: asInput(files), schema: [ciscoSchema()], ...memoryFor(files) });
  failIfInvalid(result, 'CiscoIPPhone.xsd validation');
}

/** Start tags in canonical XML: there `<` only ever starts markup (text and attributes escape it). */
export function countElements(canonical: string): number {
  return canonical.match(/<[A-Za-z_]/g)?.length ?? 0;
}

const LEAKS = ['undefined', 'null', '[object'];

/** Words that only appear when a missing value or an object was printed. */
export function leakedWords(body: Buffer | string): string[] {
  const text = body.toString();
  return LEAKS.filter((word) => text.includes(word));
}

export function countOccurrences(body: Buffer, needle: string): number {
  const pattern = Buffer.from(needle);
  let count = 0;
  for (let at = body.indexOf(pattern); at !== -1; at = body.indexOf(pattern, at + pattern.length)) count++;
  return count;
}
