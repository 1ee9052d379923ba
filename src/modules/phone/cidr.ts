import { BlockList, isIP } from 'node:net';
import { BadRequestError } from '../../errors/errors.js';
import { ipFamily, normaliseIp } from './client-ip.js';

export interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a single host). Undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 64) return undefined;
  const slash = trimmed.indexOf('/');
  const rawAddress = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const address = normaliseIp(rawAddress);
  // A bracketed or port-suffixed form is an endpoint, not a network.
  if (!address || isIP(rawAddress) === 0) return undefined;
  const family = ipFamily(address)!;
  const max = family === 'ipv4' ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const rawPrefix = trimmed.slice(slash + 1);
    if (!/^\d{1,3}$/.test(rawPrefix)) return undefined;
    prefix = Number(rawPrefix);
    // `::ffff:10.0.0.0/104` names IPv4 space: keep it as the IPv4 network it means.
    if (family === 'ipv4' && isIP(rawAddress) === 6) prefix -= 96;
    if (prefix < 0 || prefix > max) return undefined;
  }
  return { address, prefix, family };
}

const MAX_REMEMBERED_ANSWERS = 10_000;

/**
 * A set of networks (IPv4 and IPv6) for per-tenant allow-lists and ban whitelists. IPv4-mapped
 * IPv6 clients match IPv4 networks. Built once when the owning settings change; `contains` is
 * a cheap lookup on the request path.
 */
export class CidrSet {
  private readonly list = new BlockList();
  private readonly answers = new Map<string, boolean>();
  readonly cidrs: readonly Cidr[];

  private constructor(cidrs: Cidr[]) {
    this.cidrs = cidrs;
    for (const cidr of cidrs) this.list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }

  /** Throws BadRequestError(`invalid_cidr`) naming the first malformed entry. */
  static parse(entries: readonly string[]): CidrSet {
    const cidrs: Cidr[] = [];
    for (const [index, entry] of entries.entries()) {
      const cidr = typeof entry === 'string' ? parseCidr(entry) : undefined;
      if (!cidr)
        throw new BadRequestError('invalid_cidr', 'not a valid IPv4/IPv6 network (e.g. 10.0.0.0/8)', {
          index,
          value: String(entry).slice(0, 64),
        });
      cidrs.push(cidr);
    }
    return new CidrSet(cidrs);
  }

  static empty(): CidrSet {
    return new CidrSet([]);
  }

  get size(): number {
    return this.cidrs.length;
  }

  contains(ip: string | undefined): boolean {
    if (this.cidrs.length === 0 || ip === undefined) return false;
    // The set never changes and phones keep their addresses: remember answers per spelling.
    const known = this.answers.get(ip);
    if (known !== undefined) return known;
    const address = normaliseIp(ip);
    const answer = address !== undefined && this.list.check(address, ipFamily(address)!);
    if (this.answers.size >= MAX_REMEMBERED_ANSWERS) this.answers.clear();
    this.answers.set(ip, answer);
    return answer;
  }

  /** Allow-list semantics: an empty list restricts nothing (allow-lists are opt-in per tenant). */
  allows(ip: string | undefined): boolean {
    return this.cidrs.length === 0 || this.contains(ip);
  }
}
