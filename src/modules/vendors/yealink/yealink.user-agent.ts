import type { UserAgentMatcher } from '../family.types.js';
import { findMac, versionFrom } from '../user-agent.tokens.js';

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
