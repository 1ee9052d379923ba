import { matchCisco } from '../cisco-mpp/cisco-mpp.user-agent.js';
import type { UserAgentMatcher } from '../family.types.js';

/**
 * Cisco enterprise firmware: `Cisco-CP8841/12.6.1`, no MAC. The grammar is shared with Cisco MPP
 * (cisco-mpp.user-agent.ts parses both); this family takes the answers without a 3PCC/MPP suffix.
 */
export const matchCiscoEnterprise: UserAgentMatcher = (ua, tokens) => {
  const fields = matchCisco(ua, tokens);
  return fields?.vendor === 'cisco-enterprise' ? fields : undefined;
};
