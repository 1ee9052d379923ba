import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import {
  PHONEBOOK_FORMATS,
  type PhonebookFormat,
  type PhonebookRenderResult,
  renderPhonebook,
} from '#src/modules/render/phonebook/index.js';
import { BASE_URL, HAZARD_ENTRIES } from './support/fixtures.js';
import { matchGolden } from './support/golden.js';
import { leakedWords, parseStrict, validateCisco } from './support/xml-check.js';

function render(format: PhonebookFormat): Promise<PhonebookRenderResult> {
  return renderPhonebook(format, { title: 'Company & <Friends>', entries: HAZARD_ENTRIES }, { baseUrl: BASE_URL });
}

describe.each(PHONEBOOK_FORMATS)('%s phonebook with hazardous names', (format) => {
  it('matches the golden files byte for byte', async () => {
    const { files } = await render(format);
    for (const file of files) {
      const { expected, actual } = matchGolden(file.name, file.body);
      expect(actual, file.name).toBe(expected);
    }
  });

  it('renders identical bytes and hashes twice, from an array or a stream', async () => {
    async function* stream() {
      for (const entry of HAZARD_ENTRIES) yield entry;
    }
    const first = await render(format);
    const second = await render(format);
    const streamedResult = await renderPhonebook(
      format,
      { title: 'Company & <Friends>', entries: stream() },
      { baseUrl: BASE_URL },
    );
    expect(second).toEqual(first);
    expect(streamedResult).toEqual(first);
    for (const file of first.files) {
      expect(file.sha256).toBe(createHash('sha256').update(file.body).digest('hex'));
    }
  });

  it('produces strictly well-formed UTF-8 XML with the standard declaration and no leaked values', async () => {
    const { files } = await render(format);
    await parseStrict(files);
    for (const file of files) {
      const text = file.body.toString('utf8');
      expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
      expect(Buffer.from(text, 'utf8').equals(file.body)).toBe(true);
      expect(leakedWords(file.body)).toEqual([]);
      expect(file.contentType).toBe('text/xml; charset=utf-8');
      expect(file.name).toMatch(/^[A-Za-z0-9._-]+$/);
    }
  });

  it('keeps what people typed: entity-like text, RTL marks, emoji and CJK survive; control characters do not', async () => {
    const canonical = await parseStrict((await render(format)).files);
    // Cisco cuts the name at 32 characters, so only its start is common to every format.
    expect(canonical).toContain('&amp;lt; &amp;amp; &amp;#1;');
    expect(canonical).toContain('山田');
    expect(canonical).toContain('\u200F');
    expect(canonical).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(canonical).not.toContain('Nonumber');
  });
});

describe('golden warnings and counts', () => {
  it('match the committed summary', async () => {
    const summary: Record<string, { entryCount: number; files: string[]; warnings: string[] }> = {};
    for (const format of PHONEBOOK_FORMATS) {
      const { entryCount, files, warnings } = await render(format);
      summary[format] = { entryCount, files: files.map((file) => file.name), warnings };
    }
    const { expected, actual } = matchGolden('summary.json', `${JSON.stringify(summary, null, 2)}\n`);
    expect(actual).toBe(expected);
    expect(summary.cisco?.files).toEqual(['cisco.xml', 'cisco-1.xml']);
  });

  it('Cisco pages validate against CiscoIPPhone.xsd', async () => {
    await validateCisco((await render('cisco')).files);
  });
});
