import type { UserAgentMatcher } from '../family.types.js';
import { findMac, versionFrom } from '../user-agent.tokens.js';

/** Fanvil: `Fanvil X4U 2.12.1 0c383eaabbcc`, `Fanvil X5U-V2 2.12.1 0c3800000000)`. */
export const matchFanvil: UserAgentMatcher = (_ua, tokens) => {
  if (tokens[0]!.toLowerCase() !== 'fanvil') return undefined;
  return { vendor: 'fanvil', model: tokens[1], firmware: versionFrom(tokens[2]), mac: findMac(tokens, 2) };
};
