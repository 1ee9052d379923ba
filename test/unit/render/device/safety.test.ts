import { describe, expect, it } from 'vitest';
import {
  renderCommonFiles,
  renderDeviceFiles,
  RenderError,
  VENDOR_FAMILIES,
  type DeviceRenderInput,
  type VendorFamily,
} from '#src/modules/render/device/index.js';
import { createHash } from 'node:crypto';
import { goldenInput, MODELS } from './fixtures.js';
import { isXml, leakedWords, parseStrict, skeleton, yealinkKeys } from './support.js';

const COMMON_SETTINGS = {
  provisioningUrl: 'https://prov.example.net/p/',
  firmwareUrl: 'https://fw.example.net/fw.bin',
};

/** Markup and line breaks that would add elements, attributes or key lines if not escaped. */
const XML_INJECTION = `</DisplayName><Password>x</Password>"/><evil a="1"/><![CDATA[x]]><!--c-->&amp;`;
const LINE_INJECTION = 'Bob\naccount.1.password = hacked\r\nstatic.security.user_password = admin:x\u2028x';

function withNames(vendor: VendorFamily, displayName: string, label: string): DeviceRenderInput {
  const input = goldenInput(vendor);
  input.lines = input.lines.map((line) => ({ ...line, displayName, label }));
  input.phonebooks = input.phonebooks.map((book) => ({ ...book, name: label }));
  return input;
}

describe.each(VENDOR_FAMILIES)('%s output safety', (vendor) => {
  const input = goldenInput(vendor);

  it('every XML file is well-formed under a strict parser', async () => {
    const files = [...renderDeviceFiles(input).files, ...renderCommonFiles(vendor, MODELS[vendor], COMMON_SETTINGS)];
    const xml = files.filter(isXml);
    expect(xml.length + files.filter((f) => !isXml(f)).length).toBe(files.length);
    await expect(parseStrict(xml)).resolves.toHaveLength(xml.length);
  });

  it('never prints undefined, null or [object', () => {
    const files = [...renderDeviceFiles(input).files, ...renderCommonFiles(vendor, MODELS[vendor], COMMON_SETTINGS)];
    for (const file of files) expect(leakedWords(file.body), file.name).toEqual([]);
  });

  it('renders identical bytes twice, with the hash of those bytes', () => {
    const first = renderDeviceFiles(goldenInput(vendor));
    const second = renderDeviceFiles(goldenInput(vendor));
    expect(second.files.map((f) => f.body.toString('base64'))).toEqual(
      first.files.map((f) => f.body.toString('base64')),
    );
    for (const file of first.files) expect(file.sha256).toBe(createHash('sha256').update(file.body).digest('hex'));
  });

  it('flags the files that carry credentials', () => {
    const { files } = renderDeviceFiles(input);
    for (const file of files) {
      const holds = file.body.toString('utf8').includes('p1&') || file.body.toString('utf8').includes('p1&amp;');
      expect(file.carriesSecrets, file.name).toBe(holds);
    }
    for (const file of renderCommonFiles(vendor, MODELS[vendor], COMMON_SETTINGS))
      expect(file.carriesSecrets).toBe(false);
  });

  it('a display name or label cannot add an element, an attribute or a key line', async () => {
    const plain = renderDeviceFiles(withNames(vendor, 'Plain Name', 'Plain')).files;
    const hostile = renderDeviceFiles(
      withNames(vendor, `${XML_INJECTION} ${LINE_INJECTION}`, `${LINE_INJECTION}${XML_INJECTION}`),
    ).files;
    expect(hostile.map((f) => f.name)).toEqual(plain.map((f) => f.name));
    for (const [i, file] of hostile.entries()) {
      if (isXml(file)) {
        const [a, b] = [await parseStrict([plain[i]!]), await parseStrict([file])];
        const same = skeleton(b[0]!) === skeleton(a[0]!);
        expect(same, `${file.name}: markup differs from the plain render`).toBe(true);
      } else {
        expect(yealinkKeys(file.body)).toEqual(yealinkKeys(plain[i]!.body));
      }
    }
  });

  it('refuses a password that would change on the phone instead of altering it', () => {
    const bad = goldenInput(vendor);
    bad.lines[1] = { ...bad.lines[1]!, password: 'secret\nnext' };
    expect(() => renderDeviceFiles(bad)).toThrow(RenderError);
    expect(() => renderDeviceFiles(bad)).toThrow(/line 2 password/);
    try {
      renderDeviceFiles(bad);
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
    }
  });
});

describe('yealink line format', () => {
  it('starts with exactly the version line and writes %NULL% for empty values', () => {
    const [file] = renderDeviceFiles(goldenInput('yealink')).files;
    const text = file!.body.toString('utf8');
    expect(text.startsWith('#!version:1.0.0.1\n')).toBe(true);
    expect(text).toContain('account.3.password = %NULL%\n');
    expect(text).not.toMatch(/ = \n/);
    expect(text).not.toContain('\r');
  });

  it('keeps the key set when names carry line breaks', () => {
    const plain = renderDeviceFiles(withNames('yealink', 'A', 'B')).files[0]!;
    const hostile = renderDeviceFiles(withNames('yealink', LINE_INJECTION, LINE_INJECTION)).files[0]!;
    expect(yealinkKeys(hostile.body)).toEqual(yealinkKeys(plain.body));
    expect(hostile.body.toString('utf8')).not.toContain('\naccount.1.password = hacked');
  });

  it('refuses a raw key value with a line break', () => {
    const input = goldenInput('yealink');
    input.rawKeys = { 'features.dnd.enable': '1\nstatic.security.user_password = admin:x' };
    expect(() => renderDeviceFiles(input)).toThrow(RenderError);
  });
});
