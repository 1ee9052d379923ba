import { VENDOR_FAMILIES, type VendorFamily } from '../../model/directory/vendor-family.js';
import type { UserAgentMatcher } from '../vendors/family.types.js';
import { VENDOR_REGISTRY } from '../vendors/registry.js';
import { normaliseUserAgent, safeValue } from '../vendors/user-agent.tokens.js';

/**
 * What a phone says about itself in its User-Agent. Every field is optional: firmware
 * generations differ, and a UA is a claim, not an identity — the path MAC decides the device
 * and a contradicting UA MAC must never unlock another device's credentials.
 */
export interface UserAgentInfo {
  vendor?: VendorFamily;
  /** Vendor model name without marketing prefixes: `T46S`, `VVX450`, `CP-8841`, `SPA508G`, `D785`, `N870 IP PRO`. */
  model?: string;
  firmware?: string;
  /** Canonical lowercase MAC (see devices/mac.ts). */
  mac?: string;
}

/**
 * Real phone UAs are well under 300 characters. Anything longer is not a phone we know, and the
 * cap bounds the work a hostile header can cause before any parsing starts.
 */
export const MAX_USER_AGENT_LENGTH = 512;

/**
 * Every family's User-Agent rule (its definition's `userAgent`), in registry order, except that
 * rules which scan the whole UA go after the ones anchored at its start.
 */
export const USER_AGENT_MATCHERS: readonly UserAgentMatcher[] = [
  ...VENDOR_FAMILIES.filter((family) => !VENDOR_REGISTRY[family].userAgent.anywhere),
  ...VENDOR_FAMILIES.filter((family) => VENDOR_REGISTRY[family].userAgent.anywhere),
].map((family) => VENDOR_REGISTRY[family].userAgent.match);

/** Never throws; returns `{}` for anything it does not recognise. */
export function parseUserAgent(ua: unknown): UserAgentInfo {
  if (typeof ua !== 'string' || ua.length === 0 || ua.length > MAX_USER_AGENT_LENGTH) return {};
  try {
    return parseNormalised(normaliseUserAgent(ua));
  } catch {
    return {};
  }
}

function parseNormalised(ua: string): UserAgentInfo {
  if (ua.length === 0) return {};
  const tokens = ua.split(' ');
  for (const match of USER_AGENT_MATCHERS) {
    const fields = match(ua, tokens);
    if (!fields) continue;
    const info: UserAgentInfo = { vendor: fields.vendor };
    const model = safeValue(fields.model);
    const firmware = safeValue(fields.firmware);
    if (model) info.model = model;
    if (firmware) info.firmware = firmware;
    if (fields.mac) info.mac = fields.mac;
    return info;
  }
  return {};
}
