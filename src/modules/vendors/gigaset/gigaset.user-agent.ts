import type { UserAgentMatcher } from '../family.types.js';
import { macFromToken, versionFrom } from '../user-agent.tokens.js';

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
