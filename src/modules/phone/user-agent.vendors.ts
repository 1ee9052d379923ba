import type { VendorFamily } from '../../model/directory/vendor-family.js';
import { findMac, macFromToken, stripWrapping, versionFrom } from './user-agent.tokens.js';

/** What one vendor's rules could read from a (normalised) User-Agent. */
export interface UserAgentFields {
  vendor: VendorFamily;
  model?: string;
  firmware?: string;
  mac?: string;
}

/** A matcher answers only for its own vendor's UA shapes; `tokens` is the UA split on spaces. */
export type UserAgentMatcher = (ua: string, tokens: readonly string[]) => UserAgentFields | undefined;

/**
 * Yealink: `Yealink SIP-T46S 66.86.0.15 00:15:65:aa:bb:cc`; older `yealink SIP-T28P …`,
 * `Yealink SIP VP-T49G …`, `Yealink W60B …`, T5x without MAC separators, DECT/video units that
 * omit the vendor word (`W52P 25.30.0.2 …`, `VP530P …`) and `Yealink-T46G 28.71.0.81 <hw version>`.
 */
export const matchYealink: UserAgentMatcher = (_ua, tokens) => {
  const first = tokens[0]!.toLowerCase();
  let index: number;
  let model: string | undefined;
  if (first === 'yealink') {
    index = 1;
    if (tokens[index]?.toUpperCase() === 'SIP') index++;
    model = tokens[index]?.replace(/^SIP-/i, '');
    index++;
  } else if (first.startsWith('yealink-')) {
    model = tokens[0]!.slice('yealink-'.length);
    index = 1;
  } else if (/^(?:w52p|vp530p?)$/.test(first)) {
    model = tokens[0];
    index = 1;
  } else {
    return undefined;
  }
  const firmware = versionFrom(tokens[index]);
  return { vendor: 'yealink', model, firmware, mac: findMac(tokens, firmware ? index + 1 : index) };
};

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

/**
 * Cisco: MPP `Cisco-CP-8841-3PCC/12.0.7 (00562baabbcc)`; SPA `Cisco/SPA508G-7.4.8a
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

/** Fanvil: `Fanvil X4U 2.12.1 0c383eaabbcc`, `Fanvil X5U-V2 2.12.1 0c3800000000)`. */
export const matchFanvil: UserAgentMatcher = (_ua, tokens) => {
  if (tokens[0]!.toLowerCase() !== 'fanvil') return undefined;
  return { vendor: 'fanvil', model: tokens[1], firmware: versionFrom(tokens[2]), mac: findMac(tokens, 2) };
};

const GIGASET_MODEL = /^N\d{3}[A-Z]?(?:[ -][A-Z]{1,4}){0,3}$/i;

/**
 * Gigaset: `Gigaset N870 IP PRO/83.V2.65.0+build.xxxx;7C2F80AABBCC` (quoted on some firmware,
 * optional `;Handset=N`), older `N510 IP PRO/42.245.00.000.000;7C2F804DF9A9`, `N720-DM-PRO/…`.
 */
export const matchGigaset: UserAgentMatcher = (ua) => {
  const slash = ua.indexOf('/');
  if (slash < 0) return undefined;
  const left = ua.slice(0, slash);
  const branded = /^gigaset /i.test(left);
  const model = (branded ? left.slice('gigaset '.length) : left).trim();
  if (!branded && !GIGASET_MODEL.test(model)) return undefined;
  const [version, macPart] = ua.slice(slash + 1).split(';');
  return {
    vendor: 'gigaset',
    model: GIGASET_MODEL.test(model) ? model.replace(/-/g, ' ') : model,
    firmware: versionFrom(version),
    mac: macPart === undefined ? undefined : macFromToken(macPart),
  };
};

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

/** Order matters only where shapes could overlap; Snom scans the whole UA, so it goes last. */
export const USER_AGENT_MATCHERS: readonly UserAgentMatcher[] = [
  matchYealink,
  matchPoly,
  matchCisco,
  matchGrandstream,
  matchFanvil,
  matchGigaset,
  matchSnom,
];
