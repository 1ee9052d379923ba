import { describe, expect, it } from 'vitest';
import { basicChallenge, parseBasic, verifyBasic } from '#src/modules/phone/basic-auth.js';
import { digestsEqual, secretsEqual } from '#src/modules/phone/constant-time.js';

const MAC = '001565aabbcc';
const SECRET = 'pässwörd:with:colons';
const lookup = (mac: string) => (mac === MAC ? SECRET : undefined);
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

describe('Basic auth (TLS only)', () => {
  it('parses credentials, keeping colons in the password', () => {
    expect(parseBasic(basic(MAC, SECRET))).toEqual({ username: MAC, password: SECRET });
    expect(parseBasic('basic ' + Buffer.from('a:').toString('base64'))).toEqual({ username: 'a', password: '' });
  });

  it.each([
    undefined,
    '',
    'Basic',
    'Basic !!!',
    'Basic ' + Buffer.from('nocolon').toString('base64'),
    'Basic ' + Buffer.from(':pw').toString('base64'),
    'Digest x=y',
    'Basic ' + 'A'.repeat(5000),
  ])('rejects %s', (header) => {
    expect(parseBasic(header)).toBeUndefined();
  });

  it('accepts the right secret over TLS for any MAC spelling', async () => {
    expect(await verifyBasic(basic(MAC, SECRET), true, lookup)).toEqual({ ok: true, mac: MAC });
    expect(await verifyBasic(basic('00-15-65-AA-BB-CC', SECRET), true, lookup)).toEqual({ ok: true, mac: MAC });
  });

  it('refuses plain HTTP before looking at the credentials', async () => {
    expect(await verifyBasic(basic(MAC, SECRET), false, lookup)).toEqual({ ok: false, reason: 'insecure_transport' });
  });

  it('rejects wrong passwords, unknown MACs and non-MAC usernames', async () => {
    expect(await verifyBasic(basic(MAC, 'wrong'), true, lookup)).toEqual({
      ok: false,
      reason: 'bad_password',
      mac: MAC,
    });
    expect(await verifyBasic(basic(MAC, SECRET.slice(0, -1)), true, lookup)).toEqual({
      ok: false,
      reason: 'bad_password',
      mac: MAC,
    });
    expect(await verifyBasic(basic('001565000001', SECRET), true, lookup)).toEqual({
      ok: false,
      reason: 'unknown_user',
      mac: '001565000001',
    });
    expect(await verifyBasic(basic('admin', SECRET), true, lookup)).toEqual({ ok: false, reason: 'bad_username' });
    expect(await verifyBasic('Bearer x', true, lookup)).toEqual({ ok: false, reason: 'wrong_scheme' });
    expect(await verifyBasic(undefined, true, lookup)).toEqual({ ok: false, reason: 'missing' });
  });

  it('challenges with a quoted realm', () => {
    expect(basicChallenge('acme "east"')).toBe('Basic realm="acme \\"east\\"", charset="UTF-8"');
    expect(() => basicChallenge('x\r\nSet-Cookie: a')).toThrow(TypeError);
  });
});

describe('constant-time comparison helpers', () => {
  it('secretsEqual compares values of any length', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
    expect(secretsEqual('', '')).toBe(true);
  });

  it('digestsEqual is exact and length-safe', () => {
    expect(digestsEqual('a'.repeat(32), 'a'.repeat(32))).toBe(true);
    expect(digestsEqual('a'.repeat(32), 'a'.repeat(31) + 'b')).toBe(false);
    expect(digestsEqual('a'.repeat(31), 'a'.repeat(32))).toBe(false);
  });
});
