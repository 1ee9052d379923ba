import { validateXML } from 'xmllint-wasm';
import type { RenderedFile } from '../../../../src/modules/render/device/index.js';

export const isXml = (file: RenderedFile): boolean => file.contentType.startsWith('text/xml');

/**
 * Parses XML files with libxml2 (strict XML 1.0, no recovery) and returns each file's canonical
 * (C14N) form. Throws with the parser's messages when a file is not well-formed.
 */
export async function parseStrict(files: readonly RenderedFile[]): Promise<string[]> {
  const out: string[] = [];
  for (const file of files) {
    const result = await validateXML({
      xml: [{ fileName: file.name, contents: new Uint8Array(file.body.buffer, file.body.byteOffset, file.body.byteLength) }],
      normalization: 'c14n',
    });
    if (!result.valid) {
      throw new Error(`${file.name} is not well-formed:\n${result.errors.slice(0, 5).map((e) => e.rawMessage).join('\n')}`);
    }
    out.push(result.normalized);
  }
  return out;
}

/**
 * The markup of a canonical document with every text node and attribute value blanked: two
 * documents with the same skeleton have the same elements and attributes in the same places,
 * so a value cannot have added markup. (In C14N text, `<` and `"` inside values are escaped.)
 */
export function skeleton(canonical: string): string {
  // Attribute values first: C14N escapes `"` and `<` in them but not `>`.
  return canonical.replace(/="[^"]*"/g, '=""').replace(/>[^<]*</g, '><');
}

/** Yealink `key = value` lines → keys, in order; the version header is checked separately. */
export function yealinkKeys(body: Buffer): string[] {
  const lines = body.toString('utf8').split('\n');
  return lines
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => {
      const at = line.indexOf(' = ');
      return at < 0 ? `(no separator) ${line}` : line.slice(0, at);
    });
}

const LEAKS = ['undefined', 'null', '[object'];

export function leakedWords(body: Buffer): string[] {
  const text = body.toString('utf8');
  return LEAKS.filter((word) => text.includes(word));
}
