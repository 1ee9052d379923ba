import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

const SEPARATORS_AT_EDGES = /^[ \t\u00a0]+|[ \t\u00a0]+$/g;

export type PhoneNumberResult = { ok: true; e164: string } | { ok: false; reason: string };

/**
 * Normalises a public phone number to E.164 with libphonenumber's full metadata. Numbers
 * without a leading + need the tenant's default country; anything not a valid number is
 * rejected, never guessed.
 */
export function normaliseE164(input: string, defaultCountry?: string): PhoneNumberResult {
  // Spaces, tabs and no-break spaces separate digit groups; a line break or another control
  // character is not part of a number, even at its edges (String.trim would have dropped it).
  const cleaned = input.replace(SEPARATORS_AT_EDGES, '');
  if (cleaned.length === 0 || cleaned.length > 40) return { ok: false, reason: 'empty or too long' };
  if (/[^0-9+()\-./ \t\u00a0]/.test(cleaned.replace(/^00/, '+')))
    return { ok: false, reason: 'contains characters that are not part of a phone number' };
  const international = cleaned.replace(/^00/, '+');
  const parsed = parsePhoneNumberFromString(international, defaultCountry as CountryCode | undefined);
  if (!parsed)
    return {
      ok: false,
      reason: international.startsWith('+') ? 'not a phone number' : 'no country code and no default country',
    };
  if (!parsed.isValid()) return { ok: false, reason: 'not a valid number for its country' };
  return { ok: true, e164: parsed.number };
}

/**
 * Internal extensions (short digit strings) are kept as digits, not E.164. Only separators are
 * allowed around them: "\r12" is not extension 12 (String.trim would have dropped the CR).
 */
export function isExtension(input: string): boolean {
  return /^\d{2,8}$/.test(withoutEdgeSeparators(input));
}

/** The text without the spaces, tabs and no-break spaces at its edges (nothing else removed). */
export function withoutEdgeSeparators(input: string): string {
  return input.replace(SEPARATORS_AT_EDGES, '');
}
