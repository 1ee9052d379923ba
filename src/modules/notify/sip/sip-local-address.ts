import { createSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host to one address (A/AAAA through the system resolver; no SRV/NAPTR yet). */
export async function resolveHost(host: string): Promise<ResolvedAddress> {
  const literal = isIP(host);
  if (literal === 4 || literal === 6) return { address: host, family: literal };
  const found = await lookup(host);
  return { address: found.address, family: found.family === 6 ? 6 : 4 };
}

export function isWildcard(address: string | undefined): boolean {
  return address === undefined || address === '' || address === '0.0.0.0' || address === '::';
}

/**
 * The local address the kernel would use to reach `destination`: a connected UDP socket is routed
 * without sending anything. Used for Via/Contact when no address is configured and we listen on
 * the wildcard, so a multi-homed host still advertises the interface the phone can answer.
 */
export function localAddressFor(destination: ResolvedAddress, port: number): Promise<string> {
  return new Promise((resolve) => {
    const probe = createSocket(destination.family === 6 ? 'udp6' : 'udp4');
    const fallback = destination.family === 6 ? '::1' : '127.0.0.1';
    const done = (address: string) => {
      probe.close();
      resolve(address);
    };
    probe.once('error', () => done(fallback));
    probe.connect(port, destination.address, () => done(probe.address().address));
  });
}
