import type { UserAgentMatcher } from '../family.types.js';
import { findMac, stripWrapping, versionFrom } from '../user-agent.tokens.js';

const SNOM_JOINED = /^snom([A-Za-z0-9]{1,8})(?:-SIP|\/(.{1,64}))?$/i;
const SNOM_MODEL = /^[A-Z]{0,2}\d{1,4}[A-Z]{0,2}$/i;

/**
 * Snom: `Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 <build> (<date>) 000413AABBCC …)`,
 * older `snom320-SIP 8.4.35 1.1.3-n` without MAC, DECT `Snom M900 05.20.0001 000413b60680`,
 * SIP-style `snomD785/10.1.140.18`, and `snom lid 3605` (vendor only).
 */
export const matchSnom: UserAgentMatcher = (_ua, tokens) => {
  const bare = tokens.map(stripWrapping);
  for (let i = 0; i < bare.length; i++) {
    const joined = SNOM_JOINED.exec(bare[i]!);
    if (joined && SNOM_MODEL.test(joined[1]!)) {
      const firmware = joined[2] !== undefined ? versionFrom(joined[2]) : versionFrom(tokens[i + 1]);
      return { vendor: 'snom', model: joined[1], firmware, mac: findMac(tokens, i + 1) };
    }
    if (bare[i]!.toLowerCase() === 'snom') {
      const model = bare[i + 1] && SNOM_MODEL.test(bare[i + 1]!) ? bare[i + 1] : undefined;
      const firmware = model ? versionFrom(tokens[i + 2]) : undefined;
      return { vendor: 'snom', model, firmware, mac: findMac(tokens, i + 1) };
    }
  }
  return undefined;
};
