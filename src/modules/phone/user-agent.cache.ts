import { parseUserAgent, type UserAgentInfo } from './user-agent.js';

/**
 * parseUserAgent remembered per exact User-Agent string. A fleet sends few distinct strings (one
 * per model and firmware), so the matchers run once per string instead of once per request. The
 * bound keeps a client sending random strings from growing the heap: past it, start over.
 */
export class UserAgentCache {
  private readonly parsed = new Map<string, UserAgentInfo>();

  constructor(private readonly maxEntries = 10_000) {}

  parse(userAgent: string | undefined): UserAgentInfo {
    if (userAgent === undefined) return EMPTY;
    const known = this.parsed.get(userAgent);
    if (known) return known;
    const info = Object.freeze(parseUserAgent(userAgent));
    if (this.parsed.size >= this.maxEntries) this.parsed.clear();
    this.parsed.set(userAgent, info);
    return info;
  }
}

const EMPTY: UserAgentInfo = Object.freeze({});
