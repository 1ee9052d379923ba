import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  answerShape,
  digestAuthorization,
  fetchWithDigest,
  phoneFixture,
  putArtifact,
  seedDevice,
  startPhoneProcess,
  type PhoneFixture,
  type PhoneProcess,
  type SeededDevice,
} from './support.js';

let fixture: PhoneFixture;
let phone: PhoneProcess;
let alice: SeededDevice;
let bob: SeededDevice;
let pending: SeededDevice;
let disabled: SeededDevice;
let ipCounter = 0;

/** A fresh source address per check, so the ban guard does not interfere. */
function nextIp(): string {
  ipCounter += 1;
  return `203.0.113.${ipCounter}`;
}

beforeAll(async () => {
  fixture = await phoneFixture();
  phone = await startPhoneProcess(fixture.ctx);
  alice = await seedDevice(fixture, { mac: '001565000a01', vendor: 'yealink', model: 'T46S' });
  bob = await seedDevice(fixture, { mac: '001565000b02', vendor: 'yealink', model: 'T46S' });
  pending = await seedDevice(fixture, { mac: '001565000c03', vendor: 'yealink', status: 'pending' });
  disabled = await seedDevice(fixture, { mac: '001565000d04', vendor: 'yealink', status: 'disabled' });
  for (const device of [alice, bob, pending, disabled]) {
    await putArtifact(
      fixture,
      device.targetId,
      `${device.mac}/${device.mac}.cfg`,
      `account.1.password = ${device.secret}\n`,
    );
  }
});

afterAll(async () => {
  await phone?.close();
  await fixture?.close();
});

async function answerFor(url: string, authorization?: string, userAgent?: string) {
  return phone.app.inject({
    url,
    remoteAddress: nextIp(),
    headers: { ...(authorization ? { authorization } : {}), ...(userAgent ? { 'user-agent': userAgent } : {}) },
  });
}

describe('device authentication', () => {
  it('serves a device its own file after Digest (MD5 and SHA-256)', async () => {
    for (const algorithm of ['MD5', 'SHA-256'] as const) {
      const url = `/${alice.mac}.cfg`;
      const first = await answerFor(url);
      const authorization = digestAuthorization(first.headers['www-authenticate'], {
        username: alice.mac,
        secret: alice.secret,
        uri: url,
        algorithm,
      });
      const response = await answerFor(url, authorization);
      expect(response.statusCode, algorithm).toBe(200);
      expect(response.body).toContain(alice.secret);
    }
  });

  it('gives unknown, pending, disabled and wrongly or un-authenticated requests the same answer', async () => {
    const url = (mac: string) => `/${mac}.cfg`;
    const challengeFor = async (mac: string) => (await answerFor(url(mac))).headers['www-authenticate'];
    const answers = {
      unknownNoCredentials: await answerFor(url('001565ffee01')),
      knownNoCredentials: await answerFor(url(alice.mac)),
      unknownWithCredentials: await answerFor(
        url('001565ffee02'),
        digestAuthorization(await challengeFor('001565ffee02'), {
          username: '001565ffee02',
          secret: 'guess',
          uri: url('001565ffee02'),
        }),
      ),
      knownWrongSecret: await answerFor(
        url(alice.mac),
        digestAuthorization(await challengeFor(alice.mac), {
          username: alice.mac,
          secret: 'wrong',
          uri: url(alice.mac),
        }),
      ),
      pendingRightSecret: await answerFor(
        url(pending.mac),
        digestAuthorization(await challengeFor(pending.mac), {
          username: pending.mac,
          secret: pending.secret,
          uri: url(pending.mac),
        }),
      ),
      disabledRightSecret: await answerFor(
        url(disabled.mac),
        digestAuthorization(await challengeFor(disabled.mac), {
          username: disabled.mac,
          secret: disabled.secret,
          uri: url(disabled.mac),
        }),
      ),
      malformed: await answerFor(url(alice.mac), 'Digest garbage'),
      basicOverPlainHttp: await answerFor(
        url(alice.mac),
        `Basic ${Buffer.from(`${alice.mac}:${alice.secret}`).toString('base64')}`,
      ),
    };
    const shapes = Object.entries(answers).map(([name, response]) => [name, answerShape(response)] as const);
    for (const [name, shape] of shapes) expect(shape, name).toBe(shapes[0]![1]);
    expect(answers.knownNoCredentials.statusCode).toBe(401);
    expect(answers.knownNoCredentials.body).toBe('Unauthorized\n');
    for (const response of Object.values(answers)) {
      expect(response.body).not.toContain(alice.secret);
      expect(response.body).not.toContain(pending.secret);
    }
  });

  it("never lets device A's secret fetch device B's file, whatever username or User-Agent MAC it claims", async () => {
    const url = `/${bob.mac}.cfg`;
    const asAlice = digestAuthorization((await answerFor(url)).headers['www-authenticate'], {
      username: alice.mac,
      secret: alice.secret,
      uri: url,
    });
    expect((await answerFor(url, asAlice, `Yealink SIP-T46S 66.86.0.15 ${alice.mac}`)).statusCode).toBe(401);
    const bobNameAliceSecret = digestAuthorization((await answerFor(url)).headers['www-authenticate'], {
      username: bob.mac,
      secret: alice.secret,
      uri: url,
    });
    expect((await answerFor(url, bobNameAliceSecret, `Yealink SIP-T46S 66.86.0.15 ${alice.mac}`)).statusCode).toBe(401);
    // A UA naming another MAC does not stop the path device's own secret from working.
    const own = digestAuthorization((await answerFor(url)).headers['www-authenticate'], {
      username: bob.mac,
      secret: bob.secret,
      uri: url,
    });
    const response = await answerFor(url, own, `Yealink SIP-T46S 66.86.0.15 ${alice.mac}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(bob.secret);
    expect(fixture.ctx.logs.join('').includes(`"userAgentMac":"${alice.mac}"`)).toBe(true);
  });

  it('rejects a replayed Digest header, here and on a second serving process', async () => {
    const url = `/${alice.mac}.cfg`;
    const authorization = digestAuthorization((await answerFor(url)).headers['www-authenticate'], {
      username: alice.mac,
      secret: alice.secret,
      uri: url,
    });
    expect((await answerFor(url, authorization)).statusCode).toBe(200);
    expect((await answerFor(url, authorization)).statusCode).toBe(401);
    const second = await startPhoneProcess(fixture.ctx, 'phone-b');
    try {
      const replayed = await second.app.inject({ url, remoteAddress: nextIp(), headers: { authorization } });
      expect(replayed.statusCode).toBe(401);
    } finally {
      await second.close();
    }
  });

  it('a nonce owned by another serving process gets a stale challenge there, and the phone carries on with that one', async () => {
    const url = `/${alice.mac}.cfg`;
    const challenge = (await answerFor(url)).headers['www-authenticate'];
    const first = digestAuthorization(challenge, {
      username: alice.mac,
      secret: alice.secret,
      uri: url,
      nc: '00000001',
    });
    expect((await answerFor(url, first)).statusCode).toBe(200);
    const second = await startPhoneProcess(fixture.ctx, 'phone-c');
    try {
      const next = digestAuthorization(challenge, {
        username: alice.mac,
        secret: alice.secret,
        uri: url,
        nc: '00000002',
      });
      const elsewhere = await second.app.inject({ url, remoteAddress: nextIp(), headers: { authorization: next } });
      expect(elsewhere.statusCode).toBe(401);
      expect(String(elsewhere.headers['www-authenticate'])).toContain('stale=true');
      expect(elsewhere.body).toBe('Unauthorized\n');
      const retried = digestAuthorization(elsewhere.headers['www-authenticate'], {
        username: alice.mac,
        secret: alice.secret,
        uri: url,
        nc: '00000001',
      });
      const served = await second.app.inject({ url, remoteAddress: nextIp(), headers: { authorization: retried } });
      expect(served.statusCode).toBe(200);
      // The first process still owns its nonce: nc 2 is fine there, and only once.
      expect((await answerFor(url, next)).statusCode).toBe(200);
      expect((await answerFor(url, next)).statusCode).toBe(401);
    } finally {
      await second.close();
    }
  });

  it('binds Digest to the requested URI', async () => {
    const authorization = digestAuthorization((await answerFor(`/${alice.mac}.cfg`)).headers['www-authenticate'], {
      username: alice.mac,
      secret: alice.secret,
      uri: `/${alice.mac}.cfg`,
    });
    expect((await answerFor(`/t/${fixture.tenantSlug}/${alice.mac}.cfg`, authorization)).statusCode).toBe(401);
  });

  it('writes one fail2ban line per failed credential, without secrets or headers', async () => {
    const before = fixture.ctx.logs.length;
    const url = `/${alice.mac}.cfg`;
    const wrong = digestAuthorization((await answerFor(url)).headers['www-authenticate'], {
      username: alice.mac,
      secret: 'not-the-secret',
      uri: url,
    });
    await answerFor(url, wrong);
    const lines = fixture.ctx.logs
      .slice(before)
      .join('')
      .split('\n')
      .filter((line) => line.includes('provd auth failure'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/"msg":"provd auth failure ip=203\.0\.113\.\d+ reason=bad_response mac=001565000a01"/);
    expect(lines[0]).not.toContain('not-the-secret');
    expect(lines[0]).not.toContain('Digest');
  });

  it('keeps seeded secrets out of logs, Redis keys and values, and error bodies', async () => {
    const redis = new Redis(inject('redisUrl'));
    try {
      const keys = await redis.keys(`${fixture.ctx.config.queuePrefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      const dump: string[] = [...keys];
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === 'string') dump.push((await redis.get(key)) ?? '');
        if (type === 'zset') dump.push(...(await redis.zrange(key, 0, -1, 'WITHSCORES')));
      }
      const logs = fixture.ctx.logs.join('');
      for (const device of [alice, bob, pending, disabled]) {
        expect(logs).not.toContain(device.secret);
        expect(dump.join('\n')).not.toContain(device.secret);
      }
    } finally {
      redis.disconnect();
    }
  });
});

describe('per-tenant CIDR allow-list', () => {
  it('refuses sources outside the list like an unknown device, and serves those inside', async () => {
    const carol = await seedDevice(fixture, { mac: '001565000e05', vendor: 'yealink' });
    await putArtifact(fixture, carol.targetId, `${carol.mac}/${carol.mac}.cfg`, 'carol\n');
    await fixture.sql(`update tenants set phone_allow_cidrs = array['10.20.0.0/16', '2001:db8::/32'] where id = ?`, [
      fixture.tenantId,
    ]);
    await expect
      .poll(
        async () =>
          (
            await fetchWithDigest(
              phone.app,
              `/${carol.mac}.cfg`,
              { username: carol.mac, secret: carol.secret },
              { ip: '203.0.113.200' },
            )
          ).statusCode,
        { timeout: 5000 },
      )
      .toBe(401);
    expect(
      (
        await fetchWithDigest(
          phone.app,
          `/${carol.mac}.cfg`,
          { username: carol.mac, secret: carol.secret },
          { ip: '10.20.3.4' },
        )
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await fetchWithDigest(
          phone.app,
          `/${carol.mac}.cfg`,
          { username: carol.mac, secret: carol.secret },
          { ip: '2001:db8::7' },
        )
      ).statusCode,
    ).toBe(200);
    await fixture.sql(`update tenants set phone_allow_cidrs = null where id = ?`, [fixture.tenantId]);
    await expect
      .poll(
        async () =>
          (
            await fetchWithDigest(
              phone.app,
              `/${carol.mac}.cfg`,
              { username: carol.mac, secret: carol.secret },
              { ip: '203.0.113.201' },
            )
          ).statusCode,
        { timeout: 5000 },
      )
      .toBe(200);
  });
});
