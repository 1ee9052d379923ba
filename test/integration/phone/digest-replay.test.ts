import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DigestAuthenticator } from '#src/modules/phone/digest-auth.js';
import { parseAuthParams } from '#src/modules/phone/digest-params.js';

const MAC = '0004f2aabbcc';
const SECRET = 'canary-device-secret-71c2';
const URI = '/0004f2aabbcc-phone.cfg';
const NONCE_KEY = randomBytes(32);

const clients: Redis[] = [];
afterAll(() => {
  for (const client of clients) client.disconnect();
});

/** Two serving processes: separate Redis connections, same nonce key and key prefix. */
function twoServers() {
  const keyPrefix = `t${randomBytes(5).toString('hex')}`;
  const make = () => {
    const client = new Redis(inject('redisUrl'), { maxRetriesPerRequest: 1 });
    clients.push(client);
    return new DigestAuthenticator(client, { nonceKey: NONCE_KEY, keyPrefix, algorithms: ['MD5'] });
  };
  return { a: make(), b: make(), keyPrefix };
}

function authorization(challenge: string, nc: string): string {
  const params = parseAuthParams(challenge)!.params;
  const md5 = (text: string) => createHash('md5').update(text).digest('hex');
  const realm = params.get('realm')!;
  const nonce = params.get('nonce')!;
  const cnonce = 'c0ffee42';
  const response = md5(`${md5(`${MAC}:${realm}:${SECRET}`)}:${nonce}:${nc}:${cnonce}:auth:${md5(`GET:${URI}`)}`);
  return `Digest username="${MAC}", realm="${realm}", nonce="${nonce}", uri="${URI}", qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}"`;
}

const lookup = (mac: string) => (mac === MAC ? SECRET : undefined);

describe('digest replay protection across serving processes (real Redis)', () => {
  it('a header accepted by one process is rejected as a replay by another', async () => {
    const { a, b } = twoServers();
    const challenge = a.challenge('provd')[0]!;
    const header = authorization(challenge, '00000001');
    expect(await a.verify(header, 'GET', URI, lookup)).toEqual({ ok: true, mac: MAC, algorithm: 'MD5' });
    // The other process does not own the nonce: it refuses it (stale, so a real phone retries with a fresh nonce).
    expect(await b.verify(header, 'GET', URI, lookup)).toEqual({
      ok: false,
      reason: 'nonce_elsewhere',
      stale: true,
      mac: MAC,
    });
    expect(await a.verify(header, 'GET', URI, lookup)).toMatchObject({ ok: false, reason: 'replay' });
  });

  it('a nonce issued by one process is accepted by whichever process sees it first, and only there', async () => {
    const { a, b } = twoServers();
    const challenge = a.challenge('provd')[0]!;
    expect((await b.verify(authorization(challenge, '00000001'), 'GET', URI, lookup)).ok).toBe(true);
    expect(await a.verify(authorization(challenge, '00000002'), 'GET', URI, lookup)).toMatchObject({
      ok: false,
      reason: 'nonce_elsewhere',
      stale: true,
    });
    expect((await b.verify(authorization(challenge, '00000002'), 'GET', URI, lookup)).ok).toBe(true);
    // The phone follows the stale challenge to a's own nonce and carries on there.
    const fresh = a.challenge('provd', true)[0]!;
    expect((await a.verify(authorization(fresh, '00000001'), 'GET', URI, lookup)).ok).toBe(true);
  });

  it('no header accepted before a restart is accepted after it (the restarted process has a new owner id)', async () => {
    const { a, keyPrefix } = twoServers();
    const challenge = a.challenge('provd')[0]!;
    const accepted = authorization(challenge, '00000001');
    expect((await a.verify(accepted, 'GET', URI, lookup)).ok).toBe(true);
    const client = new Redis(inject('redisUrl'), { maxRetriesPerRequest: 1 });
    clients.push(client);
    const restarted = new DigestAuthenticator(client, { nonceKey: NONCE_KEY, keyPrefix, algorithms: ['MD5'] });
    expect(await restarted.verify(accepted, 'GET', URI, lookup)).toMatchObject({ ok: false, stale: true });
    expect(await restarted.verify(authorization(challenge, '00000002'), 'GET', URI, lookup)).toMatchObject({
      ok: false,
      stale: true,
    });
  });

  it('the owner needs no Redis round trip for later requests with its nonce', async () => {
    const { a } = twoServers();
    const challenge = a.challenge('provd')[0]!;
    expect((await a.verify(authorization(challenge, '00000001'), 'GET', URI, lookup)).ok).toBe(true);
    for (let nc = 2; nc <= 20; nc++) {
      const result = a.verify(authorization(challenge, nc.toString(16).padStart(8, '0')), 'GET', URI, lookup);
      // Answered synchronously: no promise, so no I/O.
      expect(result).not.toBeInstanceOf(Promise);
      expect((result as { ok: boolean }).ok).toBe(true);
    }
    // A replay is refused the same way, also without I/O.
    expect(a.verify(authorization(challenge, '00000005'), 'GET', URI, lookup)).toMatchObject({
      ok: false,
      reason: 'replay',
    });
  });

  it('when two processes race on the same header, exactly one wins', async () => {
    const { a, b } = twoServers();
    const header = authorization(a.challenge('provd')[0]!, '00000001');
    const results = await Promise.all([a, b, a, b].map((server) => server.verify(header, 'GET', URI, lookup)));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
  });

  it('failed attempts burn no nc and store nothing secret in Redis', async () => {
    const { a, b, keyPrefix } = twoServers();
    const challenge = a.challenge('provd')[0]!;
    const wrong = authorization(challenge, '00000001').replace(/response="[0-9a-f]+"/, `response="${'0'.repeat(32)}"`);
    expect(await a.verify(wrong, 'GET', URI, lookup)).toMatchObject({ reason: 'bad_response' });
    expect((await b.verify(authorization(challenge, '00000001'), 'GET', URI, lookup)).ok).toBe(true);
    const redis = clients.at(-1)!;
    const keys = await redis.keys(`${keyPrefix}:*`);
    expect(keys).toHaveLength(1);
    const stored = [keys[0], await redis.get(keys[0]!), String(await redis.pttl(keys[0]!))].join(' ');
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain(MAC);
    expect(Number(await redis.pttl(keys[0]!))).toBeGreaterThan(0);
  });
});
