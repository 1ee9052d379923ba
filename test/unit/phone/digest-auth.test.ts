import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { DigestAuthenticator, digestResponse, type DigestAlgorithm } from '#src/modules/phone/digest-auth.js';
import { DigestNonces } from '#src/modules/phone/digest-nonce.js';
import { parseAuthParams } from '#src/modules/phone/digest-params.js';

const KEY = 'k'.repeat(32);
const MAC = '001565aabbcc';
const SECRET = 'device-secret-Zq8#';
const REALM = 'provd';
const URI = '/001565aabbcc.cfg';

/** Only the one command the authenticator uses (the nonce-claim script), with its semantics (expiry ignored). */
function memorySet(): Redis {
  const owners = new Map<string, string>();
  return {
    evalsha: async (_sha: string, _keys: number, key: string, owner: string) => {
      const current = owners.get(key);
      if (current === undefined) {
        owners.set(key, owner);
        return 1;
      }
      return current === owner ? 2 : 0;
    },
  } as unknown as Redis;
}

/** What a phone does, written from RFC 7616 §3.4 independently of the code under test. */
function clientAuthorization(
  challenge: string,
  options: { username?: string; secret?: string; uri?: string; method?: string; nc?: string; cnonce?: string } = {},
): string {
  const params = parseAuthParams(challenge)!.params;
  const algorithm = params.get('algorithm') ?? 'MD5';
  const h = (text: string) =>
    createHash(algorithm === 'MD5' ? 'md5' : 'sha256')
      .update(text)
      .digest('hex');
  const username = options.username ?? MAC;
  const uri = options.uri ?? URI;
  const nc = options.nc ?? '00000001';
  const cnonce = options.cnonce ?? '0a4f113b';
  const realm = params.get('realm')!;
  const nonce = params.get('nonce')!;
  const ha1 = h(`${username}:${realm}:${options.secret ?? SECRET}`);
  const ha2 = h(`${options.method ?? 'GET'}:${uri}`);
  const response = h(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", algorithm=${algorithm}, qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}"`;
}

function setup(options: { algorithms?: DigestAlgorithm[]; ttl?: number } = {}) {
  let now = 1_700_000_000_000;
  const auth = new DigestAuthenticator(memorySet(), {
    nonceKey: KEY,
    keyPrefix: 'test',
    nonceTtlSeconds: options.ttl,
    algorithms: options.algorithms,
    now: () => now,
  });
  const lookups: string[] = [];
  const lookup = (mac: string) => {
    lookups.push(mac);
    return mac === MAC ? SECRET : undefined;
  };
  return { auth, lookup, lookups, advance: (ms: number) => (now += ms) };
}

describe('digestResponse', () => {
  // RFC 7616 §3.9.1 worked example.
  const example = {
    username: 'Mufasa',
    realm: 'http-auth@example.org',
    secret: 'Circle of Life',
    method: 'GET',
    uri: '/dir/index.html',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    qop: 'auth' as const,
  };
  it('matches the RFC 7616 MD5 and SHA-256 examples', () => {
    expect(digestResponse({ ...example, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(digestResponse({ ...example, algorithm: 'SHA-256' })).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });
});

describe('DigestAuthenticator', () => {
  it('offers SHA-256 then MD5 with qop=auth and one fresh nonce', () => {
    const { auth } = setup();
    const [sha, md5] = auth.challenge(REALM);
    expect(sha).toMatch(/^Digest realm="provd", qop="auth", algorithm=SHA-256, nonce="[A-Za-z0-9_-]{54}"$/);
    expect(md5).toMatch(/algorithm=MD5/);
    expect(parseAuthParams(sha)!.params.get('nonce')).toBe(parseAuthParams(md5)!.params.get('nonce'));
    expect(auth.challenge(REALM)[0]).not.toBe(sha);
  });

  it.each(['MD5', 'SHA-256'] as const)(
    'accepts a correct %s response and reports the canonical MAC',
    async (algorithm) => {
      const { auth, lookup } = setup();
      const challenge = auth.challenge(REALM).find((value) => value.includes(`algorithm=${algorithm}`))!;
      const result = await auth.verify(clientAuthorization(challenge), 'GET', URI, lookup);
      expect(result).toEqual({ ok: true, mac: MAC, algorithm });
    },
  );

  it('accepts a MAC username in another spelling, computing with what the phone sent', async () => {
    const { auth, lookup, lookups } = setup();
    const header = clientAuthorization(auth.challenge(REALM)[1]!, { username: '00:15:65:AA:BB:CC' });
    expect(await auth.verify(header, 'GET', URI, lookup)).toMatchObject({ ok: true, mac: MAC });
    expect(lookups).toEqual([MAC]);
  });

  it('rejects a wrong password and an unknown MAC with distinct reasons but the same shape', async () => {
    const { auth, lookup } = setup();
    const challenge = auth.challenge(REALM)[1]!;
    expect(await auth.verify(clientAuthorization(challenge, { secret: 'wrong' }), 'GET', URI, lookup)).toEqual({
      ok: false,
      reason: 'bad_response',
      stale: false,
      mac: MAC,
    });
    const unknown = clientAuthorization(challenge, { username: '001565000001', uri: '/001565000001.cfg' });
    expect(await auth.verify(unknown, 'GET', '/001565000001.cfg', lookup)).toEqual({
      ok: false,
      reason: 'unknown_user',
      stale: false,
      mac: '001565000001',
    });
  });

  it('accepts each (nonce, nc) once: a replayed header fails, the next nc passes', async () => {
    const { auth, lookup } = setup();
    const challenge = auth.challenge(REALM)[1]!;
    const first = clientAuthorization(challenge);
    expect((await auth.verify(first, 'GET', URI, lookup)).ok).toBe(true);
    expect(await auth.verify(first, 'GET', URI, lookup)).toEqual({
      ok: false,
      reason: 'replay',
      stale: false,
      mac: MAC,
    });
    expect((await auth.verify(clientAuthorization(challenge, { nc: '00000002' }), 'GET', URI, lookup)).ok).toBe(true);
  });

  it('answers an expired nonce with a correct response as stale (so the phone retries silently)', async () => {
    const { auth, lookup, advance } = setup({ ttl: 300 });
    const challenge = auth.challenge(REALM)[1]!;
    advance(299_000);
    expect((await auth.verify(clientAuthorization(challenge), 'GET', URI, lookup)).ok).toBe(true);
    advance(2_000);
    expect(await auth.verify(clientAuthorization(challenge, { nc: '00000002' }), 'GET', URI, lookup)).toEqual({
      ok: false,
      reason: 'stale_nonce',
      stale: true,
      mac: MAC,
    });
    // A stale nonce with a wrong password is simply wrong: stale=true would invite guessing.
    expect(
      await auth.verify(clientAuthorization(challenge, { secret: 'x', nc: '00000003' }), 'GET', URI, lookup),
    ).toMatchObject({ reason: 'bad_response', stale: false });
    expect(auth.challenge(REALM, true)[0]).toMatch(/, stale=true$/);
  });

  it('rejects a response computed for another uri or method', async () => {
    const { auth, lookup } = setup();
    const challenge = auth.challenge(REALM)[1]!;
    const other = clientAuthorization(challenge, { uri: '/001565aabbcd.cfg' });
    expect(await auth.verify(other, 'GET', URI, lookup)).toMatchObject({ ok: false, reason: 'uri_mismatch' });
    expect(await auth.verify(clientAuthorization(challenge), 'HEAD', URI, lookup)).toMatchObject({
      ok: false,
      reason: 'bad_response',
    });
  });

  it('rejects nonces it did not issue, issued for another realm or by another key', async () => {
    const { auth, lookup } = setup();
    const foreign = new DigestNonces('x'.repeat(32), 300_000).issue(REALM);
    const forged = `Digest realm="${REALM}", algorithm=MD5, nonce="${foreign}"`;
    expect(await auth.verify(clientAuthorization(forged), 'GET', URI, lookup)).toMatchObject({ reason: 'bad_nonce' });
    const otherRealm = clientAuthorization(auth.challenge('tenant-b')[1]!).replace(
      'realm="tenant-b"',
      `realm="${REALM}"`,
    );
    expect(await auth.verify(otherRealm, 'GET', URI, lookup)).toMatchObject({ reason: 'bad_nonce' });
    const tampered = clientAuthorization(auth.challenge(REALM)[1]!).replace(
      /nonce="(.)/,
      (_m, c: string) => `nonce="${c === 'A' ? 'B' : 'A'}`,
    );
    expect(await auth.verify(tampered, 'GET', URI, lookup)).toMatchObject({ reason: 'bad_nonce' });
    expect(
      await auth.verify(clientAuthorization(auth.challenge('tenant-b')[1]!), 'GET', URI, lookup, REALM),
    ).toMatchObject({ reason: 'realm_mismatch' });
  });

  it('refuses algorithms it did not offer, missing qop and malformed headers', async () => {
    const { auth, lookup } = setup({ algorithms: ['SHA-256'] });
    const md5 = clientAuthorization(
      `Digest realm="${REALM}", algorithm=MD5, nonce="${parseAuthParams(auth.challenge(REALM)[0]!)!.params.get('nonce')}"`,
    );
    expect(await auth.verify(md5, 'GET', URI, lookup)).toMatchObject({ reason: 'unsupported_algorithm' });
    const good = clientAuthorization(auth.challenge(REALM)[0]!);
    expect(await auth.verify(good.replace('qop=auth, ', ''), 'GET', URI, lookup)).toMatchObject({
      reason: 'unsupported_qop',
    });
    expect(await auth.verify(undefined, 'GET', URI, lookup)).toMatchObject({ reason: 'missing' });
    expect(await auth.verify('Basic YTpi', 'GET', URI, lookup)).toMatchObject({ reason: 'wrong_scheme' });
    expect(await auth.verify('Digest username="a', 'GET', URI, lookup)).toMatchObject({ reason: 'malformed' });
    expect(await auth.verify(`${good}, uri="/other"`, 'GET', URI, lookup)).toMatchObject({ reason: 'malformed' });
    expect(await auth.verify(good.replace('nc=00000001', 'nc=1'), 'GET', URI, lookup)).toMatchObject({
      reason: 'malformed',
    });
    expect(await auth.verify(good.replace(`username="${MAC}"`, 'username="admin"'), 'GET', URI, lookup)).toMatchObject({
      reason: 'bad_username',
    });
    expect(await auth.verify(`Digest ${'a=b, '.repeat(2000)}`, 'GET', URI, lookup)).toMatchObject({
      reason: 'malformed',
    });
  });

  it('does not look up a secret before the cheap checks pass', async () => {
    const { auth, lookup, lookups } = setup();
    await auth.verify(clientAuthorization(auth.challenge(REALM)[1]!, { uri: '/x.cfg' }), 'GET', URI, lookup);
    await auth.verify(
      'Digest username="001565aabbcc", realm="provd", nonce="bogus", uri="/001565aabbcc.cfg", qop=auth, nc=00000001, cnonce="a", response="' +
        'a'.repeat(32) +
        '"',
      'GET',
      URI,
      lookup,
    );
    expect(lookups).toEqual([]);
  });

  it('needs a nonce key of at least 32 bytes', () => {
    expect(() => new DigestAuthenticator(memorySet(), { nonceKey: 'short', keyPrefix: 'x' })).toThrow(RangeError);
  });
});

describe('parseAuthParams', () => {
  it('reads quoted strings with commas and escapes, unquoted tokens and odd spacing', () => {
    const parsed = parseAuthParams('Digest  username="a\\"b" ,realm="x, y",nc=00000001 , uri=/p?q=1,algorithm=SHA-256');
    expect(parsed?.scheme).toBe('digest');
    expect(Object.fromEntries(parsed!.params)).toEqual({
      username: 'a"b',
      realm: 'x, y',
      nc: '00000001',
      uri: '/p?q=1',
      algorithm: 'SHA-256',
    });
  });

  it.each(['Digest', 'Digest a', 'Digest a=', 'Digest a="x', 'Digest a=b c=d', 'Digest =b', 'Digest a=b, a=c'])(
    'rejects %s',
    (header) => {
      expect(parseAuthParams(header)).toBeUndefined();
    },
  );
});
