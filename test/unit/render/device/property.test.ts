import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  renderDeviceFiles,
  RenderError,
  VENDOR_FAMILIES,
  type RenderedFile,
  type VendorFamily,
} from '#src/modules/render/device/index.js';
import { goldenInput } from './fixtures.js';
import { batchSkeleton, isXml, parseStrict, skeleton, yealinkKeys } from './support.js';

/*
 * Arbitrary Unicode in names, labels and passwords: XML output stays well-formed with exactly
 * the markup of a plain render, and the Yealink file keeps exactly its key set. Passwords are
 * never altered: one the phone could not store byte for byte is refused with a RenderError.
 *
 * fast-check drives the renders; the strict XML parse of every generated file then runs as one
 * libxml2 batch per property (a libxml2 start costs far more than a render). On a batch failure
 * the files are parsed one by one to name the offending input.
 */

const RUNS = 150;
const HAZARDS = [
  '&',
  '<',
  '>',
  '"',
  "'",
  ']]>',
  '<!--',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u0008',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u200f',
  '\ufffe',
  '%NULL%',
  ' = ',
  '😀',
  '中',
  'é',
];

const unicodeText = fc.string({
  maxLength: 40,
  unit: fc.oneof(
    fc.constantFrom(...HAZARDS),
    fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
    // Lone surrogates: not valid UTF-16 text, must still never break the output.
    fc.integer({ min: 0xd800, max: 0xdfff }).map((cu) => String.fromCharCode(cu)),
  ),
});

const UNSAFE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF\t\n\r\u0085\u2028\u2029]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

function render(vendor: VendorFamily, names: { display: string; label: string; password?: string }) {
  const input = goldenInput(vendor);
  input.lines = input.lines.map((line) => ({
    ...line,
    displayName: names.display,
    label: names.label,
    password: names.password ?? line.password,
  }));
  input.phonebooks = input.phonebooks.map((book) => ({ ...book, name: names.label }));
  return renderDeviceFiles(input);
}

/** Checks every collected run's XML against the plain render's markup, in one parser run. */
async function expectSameMarkup(vendor: VendorFamily, runs: RenderedFile[][]): Promise<void> {
  const plain = render(vendor, { display: 'Name', label: 'Label' }).files.filter(isXml);
  const expected = (await parseStrict(plain)).map(skeleton).join('');
  const xmlRuns = runs.map((files) => files.filter(isXml));
  try {
    expect(await batchSkeleton(xmlRuns.flat())).toBe(expected.repeat(xmlRuns.length));
  } catch (error) {
    for (const files of xmlRuns) {
      const shape = (await parseStrict(files)).map(skeleton).join('');
      expect(shape, `markup changed in ${files.map((f) => f.name).join(', ')}`).toBe(expected);
    }
    throw error;
  }
}

describe.each(VENDOR_FAMILIES)('%s with arbitrary Unicode', (vendor) => {
  const plainKeys = render(vendor, { display: 'Name', label: 'Label' })
    .files.filter((f) => !isXml(f))
    .map((f) => yealinkKeys(f.body));

  it('names and labels never change the markup or the key set', async () => {
    const runs: RenderedFile[][] = [];
    fc.assert(
      fc.property(unicodeText, unicodeText, (display, label) => {
        const first = render(vendor, { display, label });
        const again = render(vendor, { display, label });
        expect(again.files.map((f) => f.sha256)).toEqual(first.files.map((f) => f.sha256));
        expect(first.files.filter((f) => !isXml(f)).map((f) => yealinkKeys(f.body))).toEqual(plainKeys);
        runs.push(first.files);
      }),
      { numRuns: RUNS },
    );
    await expectSameMarkup(vendor, runs);
  });

  it('passwords are provisioned exactly or refused', async () => {
    const runs: RenderedFile[][] = [];
    fc.assert(
      fc.property(unicodeText, (password) => {
        if (UNSAFE.test(password)) {
          expect(() => render(vendor, { display: 'Name', label: 'Label', password })).toThrow(RenderError);
          return;
        }
        const { files } = render(vendor, { display: 'Name', label: 'Label', password });
        expect(files.filter((f) => !isXml(f)).map((f) => yealinkKeys(f.body))).toEqual(plainKeys);
        runs.push(files);
      }),
      { numRuns: RUNS },
    );
    await expectSameMarkup(vendor, runs);
  });
});
