import type { UserAgentMatcher } from '../family.types.js';
import { macFromToken, versionFrom } from '../user-agent.tokens.js';

/**
 * Both Cisco families (their User-Agents share one grammar, so one parser answers for both and
 * each family keeps its own vendor's answers). Cisco: MPP `Cisco-CP-8841-3PCC/12.0.7 (00562baabbcc)`; SPA `Cisco/SPA508G-7.4.8a
 * (0002FDAABBCC)(CBT1414XXXX)` (MAC then serial, or the serial alone); enterprise firmware
 * `Cisco-CP8841/12.6.1` carries no MAC.
 */
export const matchCisco: UserAgentMatcher = (ua, tokens) => {
  const first = tokens[0]!;
  const slash = first.indexOf('/');
  if (slash < 0) return undefined;
  const brand = first.slice(0, slash).toLowerCase();
  const rest = first.slice(slash + 1);
  const mac = firstBracketedMac(ua.slice(first.length));
  if (brand === 'cisco' || brand === 'linksys') {
    // SPA: `<model>-<firmware>`; the model itself may contain a dash (`SPA-942-6.1.5(a)`).
    const parts = rest.split('-');
    const fwAt = parts.findIndex((part) => versionFrom(part) !== undefined);
    if (fwAt <= 0) return { vendor: 'cisco-mpp', model: parts[0] || undefined, mac };
    return {
      vendor: 'cisco-mpp',
      model: parts.slice(0, fwAt).join('-'),
      firmware: versionFrom(parts.slice(fwAt).join('-')),
      mac,
    };
  }
  if (!brand.startsWith('cisco-')) return undefined;
  const product = brand.slice('cisco-'.length).toUpperCase();
  const thirdParty = /-(?:3PCC|MPP)$/.test(product);
  const bare = product.replace(/-(?:3PCC|MPP)$/, '');
  // Gateways and servers also say `Cisco-…/…` (e.g. `Cisco-SIPGateway/IOS-16`); only phones and ATAs provision here.
  if (!CISCO_DEVICE.test(bare)) return undefined;
  const model = bare.replace(/^CP-?(?=\d)/, 'CP-');
  return { vendor: thirdParty ? 'cisco-mpp' : 'cisco-enterprise', model, firmware: versionFrom(rest), mac };
};

const CISCO_DEVICE = /^(?:CP-?\d{4}[A-Z0-9]{0,4}|ATA\d{3}[A-Z0-9]{0,4})$/;

function firstBracketedMac(text: string): string | undefined {
  const groups = text.match(/\([^()]{0,40}\)/g) ?? [];
  for (const group of groups) {
    const mac = macFromToken(group);
    if (mac) return mac;
  }
  return undefined;
}

/** Cisco MPP / SPA (third-party call control firmware). */
export const matchCiscoMpp: UserAgentMatcher = (ua, tokens) => {
  const fields = matchCisco(ua, tokens);
  return fields?.vendor === 'cisco-mpp' ? fields : undefined;
};
