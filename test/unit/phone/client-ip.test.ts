import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv6Network, normaliseIp, resolveClientIp } from '#src/modules/phone/client-ip.js';

describe('resolveClientIp', () => {
  it('uses the socket address and ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(resolveClientIp('203.0.113.9', '198.51.100.1', 0)).toBe('203.0.113.9');
    expect(resolveClientIp('::ffff:203.0.113.9', undefined, 0)).toBe('203.0.113.9');
  });

  it('takes the n-th entry from the right behind n trusted proxies', () => {
    const xff = '6.6.6.6, 198.51.100.7, 10.0.0.2';
    expect(resolveClientIp('10.0.0.1', xff, 1)).toBe('10.0.0.2');
    expect(resolveClientIp('10.0.0.1', xff, 2)).toBe('198.51.100.7');
    expect(resolveClientIp('10.0.0.1', xff, 3)).toBe('6.6.6.6');
  });

  it('never lets a client-supplied prefix win', () => {
    // The client sent `X-Forwarded-For: 1.1.1.1`; our single proxy appended the real address.
    expect(resolveClientIp('10.0.0.1', '1.1.1.1, 203.0.113.50', 1)).toBe('203.0.113.50');
  });

  it('joins repeated headers in order', () => {
    expect(resolveClientIp('10.0.0.1', ['1.1.1.1', '203.0.113.50'], 1)).toBe('203.0.113.50');
    expect(resolveClientIp('10.0.0.1', ['1.1.1.1, 2.2.2.2', '203.0.113.50'], 2)).toBe('2.2.2.2');
  });

  it('falls back to the leftmost entry when the chain is shorter than the proxy count', () => {
    expect(resolveClientIp('10.0.0.1', '203.0.113.50', 2)).toBe('203.0.113.50');
  });

  it('falls back to the socket address when the header is missing, empty or garbage', () => {
    expect(resolveClientIp('10.0.0.1', undefined, 1)).toBe('10.0.0.1');
    expect(resolveClientIp('10.0.0.1', '', 1)).toBe('10.0.0.1');
    expect(resolveClientIp('10.0.0.1', ' , ,', 1)).toBe('10.0.0.1');
    expect(resolveClientIp('10.0.0.1', 'unknown', 1)).toBe('10.0.0.1');
  });

  it('accepts ports, brackets and IPv6 in entries', () => {
    expect(resolveClientIp('10.0.0.1', '203.0.113.50:41234', 1)).toBe('203.0.113.50');
    expect(resolveClientIp('10.0.0.1', '[2001:DB8::1]:5060', 1)).toBe('2001:db8::1');
    expect(resolveClientIp('10.0.0.1', '2001:db8::2', 1)).toBe('2001:db8::2');
  });

  it('handles a 16 KB header by looking only at the last entries', () => {
    const header = `${'9.9.9.9, '.repeat(1800)}203.0.113.50`;
    expect(resolveClientIp('10.0.0.1', header, 1)).toBe('203.0.113.50');
  });

  it('never throws and returns an IP or undefined', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string({ maxLength: 80 })),
        fc.option(fc.string({ maxLength: 200 })),
        fc.nat(5),
        (socket, xff, count) => {
          const ip = resolveClientIp(socket ?? undefined, xff ?? undefined, count);
          if (ip !== undefined) expect(normaliseIp(ip)).toBe(ip);
        },
      ),
    );
  });
});

describe('normaliseIp', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    [' 1.2.3.4 ', '1.2.3.4'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['::FFFF:1.2.3.4', '1.2.3.4'],
    ['0:0:0:0:0:ffff:1.2.3.4', '1.2.3.4'],
    ['[::1]', '::1'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['1.2.3.4:80', '1.2.3.4'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseIp(input)).toBe(expected);
  });

  it.each(['', 'unknown', '1.2.3', '256.1.1.1', '01.2.3.4', '[::1', 'a'.repeat(100), '::ffff:999.1.1.1'])(
    '%s → undefined',
    (input) => {
      expect(normaliseIp(input)).toBeUndefined();
    },
  );
});

describe('ipv6Network', () => {
  it.each([
    ['2001:db8:1:2:a:b:c:d', 64, '2001:db8:1:2::/64'],
    ['2001:db8:1:2::ffff', 64, '2001:db8:1:2::/64'],
    ['2001:db8::1', 64, '2001:db8:0:0::/64'],
    ['2001:db8:1:2ff:a:b:c:d', 56, '2001:db8:1:200::/56'],
    ['64:ff9b::1.2.3.4', 128, '64:ff9b:0:0:0:0:102:304/128'],
  ] as const)('%s /%i → %s', (ip, bits, expected) => {
    expect(ipv6Network(ip, bits)).toBe(expected);
  });

  it('is undefined for IPv4 and garbage', () => {
    expect(ipv6Network('1.2.3.4', 64)).toBeUndefined();
    expect(ipv6Network('nope', 64)).toBeUndefined();
  });
});
