import { describe, expect, it } from 'vitest';
import { BadRequestError } from '#src/errors/errors.js';
import { CidrSet, parseCidr } from '#src/modules/phone/cidr.js';

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/8', { address: '10.0.0.0', prefix: 8, family: 'ipv4' }],
    ['192.168.1.7', { address: '192.168.1.7', prefix: 32, family: 'ipv4' }],
    ['2001:DB8::/32', { address: '2001:db8::', prefix: 32, family: 'ipv6' }],
    ['::1', { address: '::1', prefix: 128, family: 'ipv6' }],
    ['::ffff:10.0.0.0/104', { address: '10.0.0.0', prefix: 8, family: 'ipv4' }],
    [' 0.0.0.0/0 ', { address: '0.0.0.0', prefix: 0, family: 'ipv4' }],
  ])('%s', (text, expected) => {
    expect(parseCidr(text)).toEqual(expected);
  });

  it.each([
    '',
    '10.0.0.0/33',
    '2001:db8::/129',
    '10.0.0.0/',
    '10.0.0.0/-1',
    '10.0.0.0/8/8',
    '10.0.0/8',
    '[::1]/128',
    '1.2.3.4:80',
    'any',
    '::ffff:10.0.0.0/64',
  ])('rejects %s', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe('CidrSet', () => {
  const set = CidrSet.parse(['10.0.0.0/8', '192.168.1.7', '2001:db8::/32']);

  it('matches IPv4, IPv6 and IPv4-mapped IPv6 clients', () => {
    expect(set.contains('10.200.3.4')).toBe(true);
    expect(set.contains('::ffff:10.200.3.4')).toBe(true);
    expect(set.contains('192.168.1.7')).toBe(true);
    expect(set.contains('2001:db8:ffff::1')).toBe(true);
    expect(set.contains('[2001:db8::1]:443')).toBe(true);
  });

  it('does not match outside the networks or on garbage', () => {
    expect(set.contains('11.0.0.1')).toBe(false);
    expect(set.contains('192.168.1.8')).toBe(false);
    expect(set.contains('::ffff:11.0.0.1')).toBe(false);
    expect(set.contains('2001:db9::1')).toBe(false);
    expect(set.contains('not-an-ip')).toBe(false);
    expect(set.contains(undefined)).toBe(false);
  });

  it('allow-list semantics: empty allows everyone, non-empty only members', () => {
    expect(CidrSet.empty().allows('203.0.113.1')).toBe(true);
    expect(CidrSet.empty().contains('203.0.113.1')).toBe(false);
    expect(set.allows('203.0.113.1')).toBe(false);
    expect(set.allows('10.1.1.1')).toBe(true);
  });

  it('an IPv4-mapped network admits plain IPv4 clients', () => {
    expect(CidrSet.parse(['::ffff:10.0.0.0/104']).contains('10.9.9.9')).toBe(true);
  });

  it('rejects malformed entries with a machine-readable error naming the entry', () => {
    expect(() => CidrSet.parse(['10.0.0.0/8', 'nonsense'])).toThrow(BadRequestError);
    try {
      CidrSet.parse(['10.0.0.0/8', 'nonsense']);
    } catch (error) {
      expect((error as BadRequestError).code).toBe('invalid_cidr');
      expect((error as BadRequestError).details).toEqual({ index: 1, value: 'nonsense' });
    }
  });
});
