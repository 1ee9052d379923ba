import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DigestAuthenticator } from '../../../src/modules/phone/digest-auth.js';
import { parseAuthParams } from '../../../src/modules/phone/digest-params.js';

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
    expect(await b.verify(header, 'GET', URI, lookup)).toEqual({ ok: false, reason: 'replay', stale: false, mac: MAC });
    expect(await a.verify(header, 'GET', URI, lookup)).toMatchObject({ reason: 'replay' });
  });

  it('a nonce issued by one process works on another with the next nc', async () => {
    const { a, b } = twoServers();
    const challenge = a.challenge('provd')[0]!;
    expect((await b.verify(authorization(challenge, '00000001'), 'GET', URI, lookup)).ok).toBe(true);
    expect((await a.verify(authorization(challenge, '00000002'), 'GET', URI, lookup)).ok).toBe(true);
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
