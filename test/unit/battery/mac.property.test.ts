import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalMac, parseMac } from '#src/modules/devices/mac.js';

/*
 * MAC canonicalisation (quality bar, input hazards): every separator and case form of one
 * address maps to one canonical form; group (multicast), all-zero and broadcast addresses are
 * refused in every form; anything else is refused rather than guessed.
 */

const octets = fc.uint8Array({ minLength: 6, maxLength: 6 });
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const isUnicast = (bytes: Uint8Array) => (bytes[0]! & 1) === 0;
const isZero = (bytes: Uint8Array) => bytes.every((b) => b === 0);
const isBroadcast = (bytes: Uint8Array) => bytes.every((b) => b === 0xff);

/** The spellings people and phones use: separators, Cisco dots, any case, stray outer spaces. */
function spellings(canonical: string, caseMask: boolean[]): string[] {
  const mixed = [...canonical].map((c, i) => (caseMask[i % caseMask.length] ? c.toUpperCase() : c)).join('');
  const pairs = mixed.match(/../g)!;
  return [
    mixed,
    pairs.join(':'),
    pairs.join('-'),
    pairs.join('.'),
    pairs.join(' '),
    mixed.match(/..../g)!.join('.'),
    ` ${pairs.join(':')}\t`,
    canonical.toUpperCase(),
  ];
}

describe('MAC canonicalisation (property)', () => {
  it('maps every form of a unicast address to the same 12 lowercase hex digits', () => {
    fc.assert(
      fc.property(octets, fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }), (bytes, caseMask) => {
        fc.pre(isUnicast(bytes) && !isZero(bytes));
        const canonical = hex(bytes);
        for (const form of spellings(canonical, caseMask))
          expect(parseMac(form), form).toEqual({ ok: true, mac: canonical });
        expect(canonicalMac(canonical)).toBe(canonical);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses group (multicast) addresses in every form', () => {
    fc.assert(
      fc.property(octets, (bytes) => {
        bytes[0] = bytes[0]! | 1;
        const expected = isBroadcast(bytes) ? 'mac_broadcast' : 'mac_multicast';
        for (const form of spellings(hex(bytes), [true, false]))
          expect(parseMac(form), form).toEqual({ ok: false, problem: expected });
      }),
      { numRuns: 300 },
    );
  });

  it('refuses the zero and the broadcast address in every form', () => {
    for (const form of spellings('000000000000', [true]))
      expect(parseMac(form)).toEqual({ ok: false, problem: 'mac_zero' });
    for (const form of spellings('ffffffffffff', [true, false]))
      expect(parseMac(form)).toEqual({ ok: false, problem: 'mac_broadcast' });
  });

  it('accepts nothing else: whatever it accepts is exactly the hex digits of the input', () => {
    const macLike = fc.stringMatching(/^[0-9a-fA-F:.\- g]{0,20}$/);
    fc.assert(
      fc.property(
        fc.oneof(macLike, fc.string({ maxLength: 24 }), fc.string({ unit: 'binary', maxLength: 24 })),
        (input) => {
          const result = parseMac(input);
          if (!result.ok) return;
          expect(result.mac).toMatch(/^[0-9a-f]{12}$/);
          expect(
            input
              .trim()
              .replace(/[:\-. ]/g, '')
              .toLowerCase(),
          ).toBe(result.mac);
          expect(parseMac(result.mac)).toEqual(result);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses mixed separators, wrong grouping, short, long and non-hex input', () => {
    for (const input of [
      '00:15:65-aa:bb:cc',
      '0015.65aa.bbcc.dd',
      '001565aabbc',
      '001565aabbccd',
      '00156g aabbcc',
      '00:15:65:aa:bb',
      '0:15:65:aa:bb:cc',
      '00::15:65:aa:bb:cc',
      '',
      ' ',
      '001565aabbcc\u0000',
      '００1565aabbcc',
    ]) {
      expect(parseMac(input).ok, JSON.stringify(input)).toBe(false);
    }
  });
});
