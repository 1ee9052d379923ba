import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  renderDeviceFiles,
  VENDOR_FAMILIES,
  type RenderedFile,
  type VendorFamily,
} from '#src/modules/render/device/index.js';
import { PHONEBOOK_FORMATS, renderPhonebook, type PhonebookEntry } from '#src/modules/render/phonebook/index.js';
import { goldenInput } from '../render/device/fixtures.js';
import { memoryPages, validateXML } from 'xmllint-wasm';
import { isXml, skeleton, yealinkKeys } from '../render/device/support.js';
import { BASE_URL } from '../render/phonebook/support/fixtures.js';
import { countElements } from '../render/phonebook/support/xml-check.js';

/*
 * 1 MB names (input hazards): an account display name, a line label and contact names of a
 * megabyte of hostile text — markup, entity look-alikes, control characters, bidi marks, emoji
 * and combining marks, in a pattern fast-check picks — through every vendor's device files and
 * every phonebook format. Each output still parses strictly and holds exactly the markup (or,
 * for line formats, exactly the keys) of the same render with plain names.
 */

const MB = 1 << 20;

/**
 * Strict parse (no recovery) to canonical XML, one document at a time. `--huge` lifts libxml2's
 * 10 MB text-node safety cap (a megabyte of `<` is four as `&lt;`): the property is
 * well-formedness, not the size limits of one parser.
 */
async function parseStrict(files: { name: string; body: Buffer }[]): Promise<string[]> {
  const out: string[] = [];
  for (const file of files) {
    const result = await validateXML({
      xml: [
        { fileName: file.name, contents: new Uint8Array(file.body.buffer, file.body.byteOffset, file.body.byteLength) },
      ],
      normalization: 'c14n',
      initialMemoryPages: Math.ceil((24 * file.body.length) / (64 * 1024)) + memoryPages.defaultInitialMemoryPages,
      maxMemoryPages: 2 * memoryPages.GiB,
      modifyArguments: (args) => ['--huge', ...args],
    });
    if (!result.valid)
      throw new Error(
        `${file.name} (${file.body.length} bytes) is not well-formed: ${result.errors
          .slice(0, 3)
          .map((e) => e.message.slice(0, 200))
          .join('; ')}`,
      );
    out.push(result.normalized);
  }
  return out;
}
const unit = fc.constantFrom(
  '<',
  '>',
  '&',
  '"',
  "'",
  ']]>',
  '</Name>',
  '<evil a="1"/>',
  '&amp;',
  '&#0;',
  '\u0000',
  '\u0007',
  '\u001B',
  '\n',
  '\r',
  '\t',
  '\u202E',
  '\u200F',
  '\u2028',
  'é',
  'e\u0301',
  '山',
  '😀',
  '👩‍💻',
  'a',
  ' ',
);
const megabyte = fc.array(unit, { minLength: 1, maxLength: 12 }).map((units) => {
  const pattern = units.join('');
  return pattern.repeat(Math.ceil(MB / pattern.length)).slice(0, MB);
});

/** A failing run names the pattern, not a megabyte of it. */
function brief(run: fc.RunDetails<[string]>): void {
  if (!run.failed) return;
  const sample = run.counterexample?.[0] ?? '';
  throw new Error(
    `failed for a ${sample.length}-character name starting ${JSON.stringify(sample.slice(0, 40))}: ${String(run.errorInstance).slice(0, 600)}`,
  );
}

function deviceFiles(vendor: VendorFamily, name: string, label: string): RenderedFile[] {
  const input = goldenInput(vendor);
  input.lines = input.lines.map((line) => ({ ...line, displayName: name, label }));
  input.phonebooks = input.phonebooks.map((book) => ({ ...book, name: label }));
  return renderDeviceFiles(input).files;
}

async function shape(files: RenderedFile[]): Promise<string[]> {
  const xml = files.filter(isXml);
  const canonical = await parseStrict(xml);
  return [
    ...canonical.map(skeleton),
    ...files.filter((file) => !isXml(file)).map((file) => yealinkKeys(file.body).join('\n')),
  ];
}

describe('1 MB hostile names', () => {
  it.each(VENDOR_FAMILIES)(
    '%s device files keep their markup and keys',
    async (vendor) => {
      const plain = await shape(deviceFiles(vendor, 'Name', 'Label'));
      await fc.assert(
        fc.asyncProperty(megabyte, async (huge) => {
          const files = deviceFiles(vendor, huge, huge);
          expect(await shape(files)).toEqual(plain);
        }),
        { numRuns: 1, reporter: brief },
      );
    },
    120_000,
  );

  it('every phonebook format parses with exactly the elements of a plain book', async () => {
    const entries = (first: string, last: string, company: string): PhonebookEntry[] =>
      [0, 1].map((i) => ({
        id: `id-${i}`,
        firstName: `F${first}`,
        lastName: `L${last}`,
        company: i ? company : 'Plain',
        title: 'Plain',
        numbers: [{ type: 'work', number: `+4930${i}` }],
      }));
    const count = async (book: PhonebookEntry[], title: string) => {
      const sizes: number[] = [];
      for (const format of PHONEBOOK_FORMATS) {
        const { files } = await renderPhonebook(format, { title, entries: book }, { baseUrl: BASE_URL });
        sizes.push(
          countElements(
            (await parseStrict(files.map((file) => ({ name: `${format}-${file.name}`, body: file.body })))).join(''),
          ),
        );
      }
      return sizes;
    };
    const plain = await count(entries('a', 'b', 'c'), 'Book');
    await fc.assert(
      fc.asyncProperty(megabyte, async (huge) => {
        expect(await count(entries(huge, huge, huge), 'Book')).toEqual(plain);
      }),
      { numRuns: 1, reporter: brief },
    );
  }, 180_000);
});
