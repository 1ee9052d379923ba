import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createLogger } from '#src/logger/logger.js';
import { BanGuard, type BanGuardOptions } from '#src/modules/phone/ban-guard.js';
import { CidrSet } from '#src/modules/phone/cidr.js';

const FAIL2BAN_AUTH = /"msg":"provd auth failure ip=(\S+) reason=([a-z_]+)( mac=[0-9a-f]{12})?"/;
const FAIL2BAN_BAN = /"msg":"provd ban ip=(\S+) seconds=(\d+) requests=(\d+)( net=\S+)?"/;

const clients: Redis[] = [];
const guards: BanGuard[] = [];

afterEach(async () => {
  for (const guard of guards.splice(0)) guard.stop();
  for (const client of clients.splice(0)) client.disconnect();
});

function redis(): Redis {
  const client = new Redis(inject('redisUrl'), { maxRetriesPerRequest: 1 });
  clients.push(client);
  return client;
}

function memoryLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger('info', 'phone-test', sink), lines };
}

function setup(overrides: Partial<BanGuardOptions> = {}) {
  const keyPrefix = `t${randomBytes(5).toString('hex')}`;
  const log = memoryLogger();
  const make = (client = redis()) => {
    const guard = new BanGuard(client, {
      keyPrefix,
      logger: log.logger,
      threshold: 5,
      banSeconds: 600,
      refreshMs: 50,
      ...overrides,
    });
    guards.push(guard);
    return guard;
  };
  return { keyPrefix, make, lines: log.lines };
}

describe('BanGuard (real Redis)', () => {
  it('counts hits and misses and bans the source once the threshold is exceeded, with one ban line', async () => {
    const { make, lines } = setup();
    const guard = make();
    await guard.start();
    for (let i = 1; i <= 5; i++)
      expect(await guard.recordSensitive('203.0.113.7')).toEqual({ banned: false, count: i });
    expect(guard.isBanned('203.0.113.7')).toBe(false);
    expect(await guard.recordSensitive('203.0.113.7')).toEqual({ banned: true, count: 6 });
    expect(guard.isBanned('203.0.113.7')).toBe(true);
    expect(guard.isBanned('::ffff:203.0.113.7')).toBe(true);
    expect(guard.isBanned('203.0.113.8')).toBe(false);
    // Further requests while banned are neither counted nor logged again.
    expect(await guard.recordSensitive('203.0.113.7')).toEqual({ banned: true, count: 0 });
    const banLines = lines.filter((line) => line.includes('provd ban'));
    expect(banLines).toHaveLength(1);
    expect(banLines[0]).toMatch(FAIL2BAN_BAN);
    expect(FAIL2BAN_BAN.exec(banLines[0]!)!.slice(1, 4)).toEqual(['203.0.113.7', '600', '6']);
  });

  it('makes a ban visible to a second guard (another process) within its refresh interval', async () => {
    const { make } = setup();
    const first = make();
    const second = make();
    await first.start();
    await second.start();
    for (let i = 0; i < 6; i++) await first.recordSensitive('198.51.100.20');
    expect(first.isBanned('198.51.100.20')).toBe(true);
    await expect.poll(() => second.isBanned('198.51.100.20'), { timeout: 5000, interval: 20 }).toBe(true);
  });

  it('shares one window across processes: requests through two guards add up', async () => {
    const { make } = setup();
    const first = make();
    const second = make();
    for (let i = 0; i < 3; i++) await first.recordSensitive('198.51.100.30');
    for (let i = 0; i < 2; i++) await second.recordSensitive('198.51.100.30');
    expect(await second.recordSensitive('198.51.100.30')).toEqual({ banned: true, count: 6 });
  });

  it('keeps the ban across a restart (new Redis client, new guard)', async () => {
    const { make } = setup();
    const before = make();
    for (let i = 0; i < 6; i++) await before.recordSensitive('192.0.2.44');
    before.stop();
    clients[0]!.disconnect();

    const after = make(redis());
    expect(after.isBanned('192.0.2.44')).toBe(false); // nothing loaded yet
    await after.start();
    expect(after.isBanned('192.0.2.44')).toBe(true);
    expect(await after.recordSensitive('192.0.2.44')).toMatchObject({ banned: true });
  });

  it('bans a whole IPv6 /64, so rotating addresses inside it does not help', async () => {
    const { make, lines } = setup();
    const guard = make();
    for (let i = 1; i <= 6; i++) await guard.recordSensitive(`2001:db8:7:1::${i.toString(16)}`);
    expect(guard.isBanned('2001:db8:7:1:ffff::1')).toBe(true);
    expect(guard.isBanned('2001:db8:7:2::1')).toBe(false);
    const line = lines.find((entry) => entry.includes('provd ban'))!;
    expect(FAIL2BAN_BAN.exec(line)!.slice(1, 5)).toEqual(['2001:db8:7:1::6', '600', '6', ' net=2001:db8:7:1::/64']);
  });

  it('never counts or bans whitelisted sources', async () => {
    const { make, lines } = setup({ whitelist: CidrSet.parse(['10.0.0.0/8']) });
    const guard = make();
    for (let i = 0; i < 20; i++) expect(await guard.recordSensitive('10.1.2.3')).toEqual({ banned: false, count: 0 });
    await guard.ban('10.1.2.3');
    await guard.refresh();
    expect(guard.isBanned('10.1.2.3')).toBe(false);
    expect(lines.filter((line) => line.includes('provd ban'))).toHaveLength(0);
  });

  it('lets an operator ban and unban, on every process', async () => {
    const { make } = setup();
    const first = make();
    const second = make();
    await first.ban('203.0.113.99', 120);
    await second.refresh();
    expect(second.isBanned('203.0.113.99')).toBe(true);
    await second.unban('203.0.113.99');
    await first.refresh();
    expect(first.isBanned('203.0.113.99')).toBe(false);
    expect(await first.recordSensitive('203.0.113.99')).toEqual({ banned: false, count: 1 });
  });

  it('writes one matchable auth-failure line per failure and never a secret', async () => {
    const { make, lines, keyPrefix } = setup();
    const guard = make();
    const secret = 'canary-SIP-password-9f3b';
    guard.authFailure('203.0.113.5', 'bad_response', '001565aabbcc');
    guard.authFailure('::ffff:203.0.113.6', 'unknown_user');
    // A careless caller passing something that is not a reason code or MAC still cannot leak it.
    guard.authFailure('203.0.113.7', `Digest response="${secret}"`, secret);
    guard.authFailure('not-an-ip', 'bad_response');
    const failures = lines.filter((line) => line.includes('provd auth failure'));
    expect(failures).toHaveLength(3);
    expect(failures.map((line) => FAIL2BAN_AUTH.exec(line)!.slice(1, 3))).toEqual([
      ['203.0.113.5', 'bad_response'],
      ['203.0.113.6', 'unknown_user'],
      ['203.0.113.7', 'other'],
    ]);
    expect(failures[0]).toContain(' mac=001565aabbcc"');
    expect(lines.join('\n')).not.toContain(secret);
    const keys = await clients[0]!.keys(`${keyPrefix}:*`);
    for (const key of keys) expect(key).not.toContain(secret);
  });

  it('keeps the last known bans when Redis goes away', async () => {
    const { make } = setup();
    const client = redis();
    const guard = make(client);
    await guard.ban('203.0.113.77');
    client.disconnect();
    await expect(guard.refresh()).rejects.toThrow();
    expect(guard.isBanned('203.0.113.77')).toBe(true);
  });
});
