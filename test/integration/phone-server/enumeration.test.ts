import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fetchWithDigest,
  phoneFixture,
  putArtifact,
  seedDevice,
  startPhoneProcess,
  type PhoneFixture,
  type PhoneProcess,
} from './support.js';

const THRESHOLD = 8;
let fixture: PhoneFixture;

beforeAll(async () => {
  fixture = await phoneFixture({
    PROVD_PHONE_BAN_THRESHOLD: String(THRESHOLD),
    PROVD_PHONE_BAN_SECONDS: '600',
    PROVD_PHONE_BAN_WHITELIST: '192.0.2.0/28',
  });
});

afterAll(async () => {
  await fixture?.close();
});

const YEALINK_OUIS = ['001565', '805ec0', '249ad8'];

function randomVendorMac(): string {
  return `${YEALINK_OUIS[Math.floor(Math.random() * YEALINK_OUIS.length)]}${randomBytes(3).toString('hex')}`;
}

describe('anti-enumeration', () => {
  it('bans a source after a few guessed MACs, serves it nothing, and keeps the ban across a restart', async () => {
    const known = await seedDevice(fixture, { mac: '001565c0ffee', vendor: 'yealink' });
    await putArtifact(fixture, known.targetId, '001565c0ffee/001565c0ffee.cfg', `password=${known.secret}\n`);
    const ip = '198.51.100.77';
    let phone: PhoneProcess = await startPhoneProcess(fixture.ctx);
    const statuses: number[] = [];
    try {
      for (let i = 0; i < THRESHOLD + 5; i++) {
        const response = await phone.app.inject({
          url: `/${randomVendorMac()}.cfg`,
          remoteAddress: ip,
          headers: { 'user-agent': 'Yealink SIP-T46S 66.86.0.15' },
        });
        statuses.push(response.statusCode);
        expect(response.body).not.toContain(known.secret);
      }
      expect(statuses.slice(0, THRESHOLD)).toEqual(new Array(THRESHOLD).fill(401));
      expect(statuses.slice(THRESHOLD)).toEqual(new Array(5).fill(403));
      // Banned: even the right credentials for a real device get nothing, and the ban line was written once.
      expect(
        (await fetchWithDigest(phone.app, '/001565c0ffee.cfg', { username: known.mac, secret: known.secret }, { ip }))
          .statusCode,
      ).toBe(403);
      expect(
        fixture.ctx.logs
          .join('')
          .split('\n')
          .filter((line) => line.includes(`"msg":"provd ban ip=${ip} seconds=600`)),
      ).toHaveLength(1);
    } finally {
      await phone.close();
    }
    phone = await startPhoneProcess(fixture.ctx, 'phone-restarted');
    try {
      expect((await phone.app.inject({ url: '/001565c0ffee.cfg', remoteAddress: ip })).statusCode).toBe(403);
      expect((await phone.app.inject({ url: '/y000000000066.cfg', remoteAddress: ip })).statusCode).toBe(403);
      // Another source is unaffected.
      expect(
        (
          await fetchWithDigest(
            phone.app,
            '/001565c0ffee.cfg',
            { username: known.mac, secret: known.secret },
            { ip: '198.51.100.78' },
          )
        ).statusCode,
      ).toBe(200);
    } finally {
      await phone.close();
    }
  });

  it('counts phonebook token misses, bans behind a trusted proxy by the client address, never counts whitelisted sources', async () => {
    const phone = await startPhoneProcess(fixture.ctx);
    try {
      for (let i = 0; i < THRESHOLD; i++) {
        expect(
          (
            await phone.app.inject({
              url: `/pb/${randomBytes(24).toString('base64url')}/yealink.xml`,
              remoteAddress: '198.51.100.90',
            })
          ).statusCode,
        ).toBe(404);
      }
      expect(
        (
          await phone.app.inject({
            url: `/pb/${randomBytes(24).toString('base64url')}/yealink.xml`,
            remoteAddress: '198.51.100.90',
          })
        ).statusCode,
      ).toBe(403);
      for (let i = 0; i < THRESHOLD * 2; i++) {
        expect(
          (await phone.app.inject({ url: `/${randomVendorMac()}.cfg`, remoteAddress: '192.0.2.5' })).statusCode,
        ).toBe(401);
      }
      // Without trusted proxies, X-Forwarded-For is the client's claim and ignored.
      const spoofed = await phone.app.inject({
        url: '/y000000000066.cfg',
        remoteAddress: '198.51.100.90',
        headers: { 'x-forwarded-for': '192.0.2.5' },
      });
      expect(spoofed.statusCode).toBe(403);
    } finally {
      await phone.close();
    }
  });
});

describe('behind a trusted proxy', () => {
  it('keys bans on the client address the proxy appended', async () => {
    const proxied = await phoneFixture({ PROVD_PHONE_BAN_THRESHOLD: '3', PROVD_TRUSTED_PROXY_COUNT: '1' });
    const phone = await startPhoneProcess(proxied.ctx);
    try {
      const viaProxy = (client: string) => ({
        remoteAddress: '10.0.0.2',
        headers: { 'x-forwarded-for': `1.2.3.4, ${client}` },
      });
      for (let i = 0; i < 3; i++)
        expect(
          (await phone.app.inject({ url: `/${randomVendorMac()}.cfg`, ...viaProxy('198.51.100.5') })).statusCode,
        ).toBe(401);
      expect(
        (await phone.app.inject({ url: `/${randomVendorMac()}.cfg`, ...viaProxy('198.51.100.5') })).statusCode,
      ).toBe(403);
      expect(
        (await phone.app.inject({ url: `/${randomVendorMac()}.cfg`, ...viaProxy('198.51.100.6') })).statusCode,
      ).toBe(401);
    } finally {
      await phone.close();
      await proxied.close();
    }
  });
});
