import { isIP } from 'node:net';

/**
 * The address the phone connected from, which is what rate limits, bans and allow-lists key on.
 * Behind `trustedProxyCount` reverse proxies the socket peer is the nearest proxy and each proxy
 * appended the address it saw to X-Forwarded-For, so the client is the n-th entry from the right.
 * Entries further left are whatever the client claimed and are never trusted.
 */
export function resolveClientIp(
  socketAddress: string | undefined,
  forwardedFor: string | readonly string[] | undefined,
  trustedProxyCount: number,
): string | undefined {
  const socketIp = normaliseSocketIp(socketAddress);
  if (trustedProxyCount <= 0 || forwardedFor === undefined) return socketIp;
  const header = typeof forwardedFor === 'string' ? forwardedFor : forwardedFor.join(',');
  const entries = lastEntries(header, trustedProxyCount);
  if (entries.length === 0) return socketIp;
  // Fewer entries than proxies: the request skipped an outer proxy; the leftmost entry was still
  // written by a trusted proxy, so it is the client.
  const chosen = entries[Math.min(trustedProxyCount, entries.length) - 1]!;
  // A trusted proxy wrote garbage: that is misconfiguration, not a client claim; key on the peer.
  return normaliseIp(chosen) ?? socketIp;
}

/** The socket peer is asked on every request and keeps its spelling: normalised once per spelling. */
const socketIps = new Map<string, string | null>();

function normaliseSocketIp(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  const known = socketIps.get(address);
  if (known !== undefined) return known ?? undefined;
  const ip = normaliseIp(address);
  if (socketIps.size >= 10_000) socketIps.clear();
  socketIps.set(address, ip ?? null);
  return ip;
}

/** Up to `count` comma-separated entries from the right, nearest first; never splits the whole header. */
function lastEntries(header: string, count: number): string[] {
  const entries: string[] = [];
  let end = header.length;
  while (entries.length < count && end > 0) {
    const comma = header.lastIndexOf(',', end - 1);
    const entry = header.slice(comma + 1, end).trim();
    if (entry.length > 0) entries.push(entry);
    end = comma < 0 ? 0 : comma;
  }
  return entries;
}

/**
 * One spelling per address, so a ban on `1.2.3.4` also holds for `::ffff:1.2.3.4`: IPv4-mapped
 * IPv6 becomes IPv4; brackets, ports and IPv6 zone ids are dropped; IPv6 is lower-cased.
 * Undefined for anything that is not an IP address.
 */
export function normaliseIp(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let text = raw.trim();
  if (text.length === 0 || text.length > 64) return undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return undefined;
    text = text.slice(1, close);
  } else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}$/.test(text)) {
    text = text.slice(0, text.lastIndexOf(':'));
  }
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const family = isIP(text);
  if (family === 4) return text;
  if (family !== 6) return undefined;
  const lower = text.toLowerCase();
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower);
  if (mapped && isIP(mapped[1]!) === 4) return mapped[1];
  return lower;
}

export function ipFamily(ip: string): 'ipv4' | 'ipv6' | undefined {
  const family = isIP(ip);
  return family === 4 ? 'ipv4' : family === 6 ? 'ipv6' : undefined;
}

/**
 * The IPv6 network an address belongs to, e.g. `2001:db8:1:2:a:b:c:d` at 64 bits →
 * `2001:db8:1:2::/64`. One subscriber usually holds a whole /64 and can rotate addresses inside
 * it freely, so counting and banning per /64 is what stops enumeration over IPv6.
 */
export function ipv6Network(ip: string, bits: number): string | undefined {
  const groups = ipv6Groups(ip);
  if (!groups || bits < 0 || bits > 128) return undefined;
  const masked = groups.map((group, index) => {
    const keep = Math.min(16, Math.max(0, bits - index * 16));
    return keep === 0 ? 0 : group & (0xffff << (16 - keep)) & 0xffff;
  });
  const shown = Math.ceil(bits / 16);
  const head = masked
    .slice(0, shown)
    .map((group) => group.toString(16))
    .join(':');
  return shown >= 8 ? `${head}/${bits}` : `${head}::/${bits}`;
}

function ipv6Groups(ip: string): number[] | undefined {
  if (isIP(ip) !== 6) return undefined;
  let text = ip.toLowerCase();
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const octets = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((octets[0]! << 8) | octets[1]!).toString(16)}:${((octets[2]! << 8) | octets[3]!).toString(16)}`;
  }
  const [left, right] = text.split('::') as [string, string | undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const head = parse(left);
  const rest = parse(right);
  const zeros = right === undefined ? 0 : 8 - head.length - rest.length;
  const groups = [...head, ...new Array<number>(zeros).fill(0), ...rest];
  return groups.length === 8 && groups.every((group) => group >= 0 && group <= 0xffff) ? groups : undefined;
}
