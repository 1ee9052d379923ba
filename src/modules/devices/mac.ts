/**
 * MAC addresses: every separator and case form maps to one canonical form, 12 lowercase hex
 * digits. Group (multicast) addresses, all-zero and broadcast are never a phone.
 */
export type MacProblem = 'mac_invalid' | 'mac_multicast' | 'mac_zero' | 'mac_broadcast';

export type MacResult = { ok: true; mac: string } | { ok: false; problem: MacProblem };

const SEPARATED = /^[0-9a-f]{2}([:\-. ]?)[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i;
const CISCO_DOTTED = /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i;

export function parseMac(input: string): MacResult {
  const trimmed = input.trim();
  if (trimmed.length > 17 || !(SEPARATED.test(trimmed) || CISCO_DOTTED.test(trimmed)))
    return { ok: false, problem: 'mac_invalid' };
  const mac = trimmed.replace(/[:\-. ]/g, '').toLowerCase();
  if (mac === '000000000000') return { ok: false, problem: 'mac_zero' };
  if (mac === 'ffffffffffff') return { ok: false, problem: 'mac_broadcast' };
  // Bit 0 of the first octet set = group address (IEEE 802).
  if (parseInt(mac.slice(0, 2), 16) & 1) return { ok: false, problem: 'mac_multicast' };
  return { ok: true, mac };
}

/** Canonical MAC or undefined; for callers that only need a yes/no. */
export function canonicalMac(input: string): string | undefined {
  const result = parseMac(input);
  return result.ok ? result.mac : undefined;
}

export function macUpper(mac: string): string {
  return mac.toUpperCase();
}

export function macColons(mac: string): string {
  return mac.match(/../g)!.join(':');
}
