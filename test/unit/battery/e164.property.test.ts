import fc from 'fast-check';
import { getCountries, getExampleNumber, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/examples.mobile.json';
import { describe, expect, it } from 'vitest';
import { normaliseE164 } from '#src/modules/numbers/e164.js';

/*
 * E.164 normalisation (quality bar, input hazards): normalised with the real numbering metadata,
 * idempotent, the same number in any notation gives the same result, invalid input is refused
 * and a country is never guessed.
 */

const countries = getCountries().filter((country) => getExampleNumber(country, examples));
const country = fc.constantFrom(...countries);

/** Notations of one number a person might type: national, international, 00-prefixed, odd separators. */
function notations(e164: string, home: CountryCode, separator: string): string[] {
  const parsed = parsePhoneNumberFromString(e164)!;
  const spaced = (text: string) => text.replace(/ /g, separator);
  return [
    e164,
    spaced(parsed.formatInternational()),
    `00${e164.slice(1)}`,
    ` ${parsed.formatInternational()} `,
    ...(parsed.country === home ? [spaced(parsed.formatNational())] : []),
  ];
}

describe('E.164 normalisation (property)', () => {
  it('gives one result for every notation of a valid number, and is idempotent', () => {
    fc.assert(
      fc.property(country, fc.constantFrom(' ', '-', '.', ''), (home, separator) => {
        const e164 = getExampleNumber(home, examples)!.number;
        for (const text of notations(e164, home, separator)) {
          const result = normaliseE164(text, home);
          expect(result, `${home} ${text}`).toEqual({ ok: true, e164 });
        }
        expect(normaliseE164(e164)).toEqual({ ok: true, e164 });
      }),
      { numRuns: 400 },
    );
  });

  it('is idempotent on everything it accepts, and only accepts numbers valid for their country', () => {
    const digits = fc.stringMatching(/^\+?[0-9 ()\-./]{1,20}$/);
    fc.assert(
      fc.property(digits, fc.option(country, { nil: undefined }), (input, home) => {
        const result = normaliseE164(input, home);
        if (!result.ok) return;
        expect(result.e164).toMatch(/^\+[1-9][0-9]{1,14}$/);
        expect(parsePhoneNumberFromString(result.e164)?.isValid()).toBe(true);
        expect(normaliseE164(result.e164)).toEqual(result);
        expect(normaliseE164(result.e164, home)).toEqual(result);
      }),
      { numRuns: 3000 },
    );
  });

  it('never guesses a country: without + or 00 and without a default country nothing is accepted', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9][0-9 ]{3,16}$/), (input) => {
        expect(normaliseE164(input).ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses letters, control characters, markup and anything too long', () => {
    const junk = fc.tuple(
      fc.stringMatching(/^[0-9+ ]{0,10}$/),
      fc.constantFrom('a', 'Z', '<', '&', ';', '\u0000', '\n', '=', '*', '#', 'é', '٣', '😀'),
      fc.stringMatching(/^[0-9 ]{0,10}$/),
    );
    fc.assert(
      fc.property(junk, country, ([before, bad, after], home) => {
        expect(normaliseE164(`${before}${bad}${after}`, home).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
    expect(normaliseE164('+49 30 1234567'.padEnd(41, '0'), 'DE').ok).toBe(false);
    expect(normaliseE164('', 'DE').ok).toBe(false);
    expect(normaliseE164('   ', 'DE').ok).toBe(false);
    // Found by this property (seed 1441033218): a line break at the edge used to be trimmed away.
    expect(normaliseE164('\n12000000', 'SI').ok).toBe(false);
    expect(normaliseE164('12000000\r', 'SI').ok).toBe(false);
    expect(normaliseE164('\u00a0+386 1 200 0000\t', 'SI')).toEqual({ ok: true, e164: '+38612000000' });
  });
});
