import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  escapeAttribute,
  escapeText,
  serializeOpening,
  serializeRecord,
  serializeWithDom,
  type XmlElement,
} from '#src/modules/render/phonebook/xml-template.js';

// Text that is legal XML (what cleanText leaves) but full of markup, entity look-alikes, astral
// characters and marks; the private-use characters are the ones the templates use as slot markers.
const unit = fc.constantFrom(
  '<',
  '>',
  '&',
  '"',
  "'",
  ';',
  '#',
  ']]>',
  '&lt;',
  '&amp;',
  '&#1;',
  '&x;',
  '&#x1F600;',
  '\t',
  '\n',
  '\r',
  '\uE000',
  '\uE001',
  '\uE0000\uE001',
  'é',
  'e\u0301',
  '山',
  '😀',
  '👩‍💻',
  '\u200F',
  ' ',
  'a',
  'Z',
  '0',
);
const value = fc.oneof(fc.constant(''), fc.string({ unit, maxLength: 12 }));
const name = fc.constantFrom('Name', 'Telephone', 'fn', 'item', 'Unit', 'Phone');

const elementArbitrary: fc.Arbitrary<XmlElement> = fc.letrec<{ element: XmlElement }>((tie) => ({
  element: fc
    .record(
      {
        name,
        attributes: fc.dictionary(fc.constantFrom('a', 'type', 'Phone1', 'Name'), value, { maxKeys: 3 }),
        text: value,
        children: fc.array(tie('element'), { maxLength: 3 }),
      },
      { requiredKeys: ['name'] },
    )
    .map((element) => {
      // An element has text or children, never both (as every phonebook format writes them).
      if (element.text !== undefined && element.children !== undefined) delete element.children;
      return element;
    }),
})).element;

describe('record templates', () => {
  it('write exactly what xmlbuilder2 serializes for the same tree, at any depth', () => {
    fc.assert(
      fc.property(
        fc.array(elementArbitrary, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 3 }),
        (elements, depth) => {
          // Every tree twice: the second time from the cached template, with other values.
          for (const element of [...elements, ...elements]) {
            expect(serializeRecord(element, depth)).toBe(serializeWithDom(element, depth));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keep a cached shape apart from one with an empty value (xmlbuilder2 writes <a/> for empty text)', () => {
    expect(serializeRecord({ name: 'a', text: 'x' }, 1)).toBe('  <a>x</a>\n');
    expect(serializeRecord({ name: 'a', text: '' }, 1)).toBe('  <a/>\n');
    expect(serializeRecord({ name: 'a', attributes: { p: '' } }, 0)).toBe('<a p=""/>\n');
  });

  it('open an element with its header values and the declaration at depth 0', () => {
    const { head, tail } = serializeOpening(
      { name: 'Book', attributes: { t: 'A&"B"' }, children: [{ name: 'Title', text: '<T>' }] },
      0,
    );
    expect(head).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Book t="A&amp;&quot;B&quot;">\n  <Title>&lt;T&gt;</Title>\n',
    );
    expect(tail).toBe('</Book>\n');
    const again = serializeOpening(
      { name: 'Book', attributes: { t: 'other' }, children: [{ name: 'Title', text: 'x' }] },
      0,
    );
    expect(again.head).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<Book t="other">\n  <Title>x</Title>\n');
  });
});

describe('escaping', () => {
  it('escapes every & once, and < > (and " in attributes)', () => {
    expect(escapeText('a&b<c>d"e\'')).toBe('a&amp;b&lt;c&gt;d"e\'');
    expect(escapeText('&amp;')).toBe('&amp;amp;');
    expect(escapeAttribute('a&b<c>d"e\'')).toBe("a&amp;b&lt;c&gt;d&quot;e'");
  });

  it('refuses what XML 1.0 cannot carry, as xmlbuilder2 does with wellFormed', () => {
    for (const bad of ['\u0000', '\u0007', 'a\uD800', '\uDFFFb', '\uFFFE', '\uFFFF']) {
      expect(() => escapeText(bad)).toThrow(/invalid characters/);
      expect(() => escapeAttribute(bad)).toThrow(/invalid characters/i);
      expect(() => serializeWithDom({ name: 'a', text: bad }, 0)).toThrow();
    }
    expect(escapeText('😀\t\n\r')).toBe('😀\t\n\r');
  });
});
