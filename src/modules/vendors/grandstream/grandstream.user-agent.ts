import type { UserAgentMatcher } from '../family.types.js';
import { macFromToken, stripWrapping, versionFrom } from '../user-agent.tokens.js';

/**
 * Grandstream: `Grandstream Model HW GXP2170 V1.2A SW 1.0.11.79 DevId 000b82aabbcc` (DevId may
 * carry colons and upper case); older `Grandstream GXP2000 (gxp2000e.bin:1.2.5.3/…) DevId …`
 * and SIP-style `Grandstream GXP1400 1.0.4.13`.
 */
export const matchGrandstream: UserAgentMatcher = (_ua, tokens) => {
  if (tokens[0]!.toLowerCase() !== 'grandstream') return undefined;
  const lower = tokens.map((token) => stripWrapping(token).toLowerCase());
  const devId = lower.indexOf('devid');
  const mac = devId >= 0 ? macFromToken(tokens[devId + 1] ?? '') : undefined;
  if (lower[1] === 'model' && lower[2] === 'hw') {
    const sw = lower.indexOf('sw', 3);
    return { vendor: 'grandstream', model: tokens[3], firmware: sw > 0 ? versionFrom(tokens[sw + 1]) : undefined, mac };
  }
  const detail = tokens[2] ?? '';
  const firmware = detail.startsWith('(')
    ? versionFrom(detail.slice(detail.indexOf(':') + 1).split('/')[0])
    : versionFrom(detail);
  return { vendor: 'grandstream', model: tokens[1], firmware, mac };
};
