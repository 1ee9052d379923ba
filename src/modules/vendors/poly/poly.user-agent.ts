import type { UserAgentMatcher } from '../family.types.js';
import { macFromToken, stripWrapping, versionFrom } from '../user-agent.tokens.js';

const POLY_TOKEN = /^(?:Polycom|Poly)([A-Za-z]{0,40})-([A-Za-z0-9_]{1,40})-UA\/(.{1,64})$/;

/**
 * Poly UC Software: `FileTransport PolycomVVX-VVX_450-UA/6.4.6.2578 Type/Application`, also
 * SoundPoint/SoundStation/Trio/Edge/CCX names, optionally `(SN:<mac>)` (the serial is the MAC).
 */
export const matchPoly: UserAgentMatcher = (_ua, tokens) => {
  const start = tokens[0] === 'FileTransport' ? 1 : 0;
  const match = POLY_TOKEN.exec(tokens[start] ?? '');
  if (!match) return undefined;
  let mac: string | undefined;
  for (let i = start + 1; i < tokens.length && !mac; i++) {
    const bare = stripWrapping(tokens[i]!);
    if (/^SN:/i.test(bare)) mac = macFromToken(bare.slice(3));
  }
  return { vendor: 'poly', model: polyModel(match[2]!), firmware: versionFrom(match[3]), mac };
};

/** `VVX_450` → `VVX450`, `SSIP_5000` → `SSIP5000`, `Edge_E450` → `E450` (the part after `_` names it). */
function polyModel(raw: string): string {
  const cut = raw.lastIndexOf('_');
  if (cut < 0) return raw;
  const suffix = raw.slice(cut + 1);
  return /^\d/.test(suffix) ? raw.slice(0, cut) + suffix : suffix;
}
