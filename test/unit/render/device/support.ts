import { validateXML } from 'xmllint-wasm';
import type { RenderedFile } from '#src/modules/render/device/index.js';

export const isXml = (file: RenderedFile): boolean => file.contentType.startsWith('text/xml');

/**
 * Parses XML files with libxml2 (strict XML 1.0, no recovery) and returns each file's canonical
 * (C14N) form. Throws with the parser's messages when a file is not well-formed.
 */
export async function parseStrict(files: readonly RenderedFile[]): Promise<string[]> {
  const out: string[] = [];
  for (const file of files) {
    const result = await validateXML({
      xml: [
        { fileName: file.name, contents: new Uint8Array(file.body.buffer, file.body.byteOffset, file.body.byteLength) },
      ],
      normalization: 'c14n',
    });
    if (!result.valid) {
      throw new Error(
        `${file.name} is not well-formed:\n${result.errors
          .slice(0, 5)
          .map((e) => e.rawMessage)
          .join('\n')}`,
      );
    }
    out.push(result.normalized);
  }
  return out;
}

/**
 * The markup of a canonical document with every text node and attribute value blanked: two
 * documents with the same skeleton have the same elements and attributes in the same places,
 * so a value cannot have added markup. In C14N, text escapes `<` and `>`, and attribute values
 * escape `<` and `"`, so a tag is `<`, then unquoted non-angle characters or quoted values, `>`.
 */
export function skeleton(canonical: string): string {
  const tags = canonical.match(/<(?:[^"<>]|"[^"]*")*>/g) ?? [];
  return tags.map((tag) => tag.replace(/"[^"]*"/g, '""')).join('');
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

/**
 * One libxml2 run over many files (each run has a fixed start-up cost, so property tests batch):
 * returns the skeleton of all canonical forms concatenated in order.
 */
export async function batchSkeleton(files: readonly RenderedFile[]): Promise<string> {
  if (files.length === 0) return '';
  const result = await validateXML({
    xml: files.map((file, i) => ({ fileName: `${i}-${file.name}`, contents: file.body.toString('utf8') })),
    normalization: 'c14n',
    maxMemoryPages: 16384,
  });
  if (!result.valid)
    throw new Error(
      `not well-formed:\n${result.errors
        .slice(0, 5)
        .map((e) => e.rawMessage)
        .join('\n')}`,
    );
  return skeleton(result.normalized);
}
