/**
 * The asterisk-ami driver end to end, against the scripted AMI peer of the notify unit tests:
 * tenant settings through the API, a hash change → PJSIPNotify to the device's SIP user, the
 * profile's resync event override, reconnect after a drop — and the AMI secret nowhere it must
 * not be (logs, Redis, API answers, audit trail).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { eventually } from '../../helpers/eventually.js';
import { ScriptedAmiPeer, type Fields } from '../../unit/notify/peers/scripted-ami-peer.js';
import { bumpDevices, seedDevice, sql, startNotifyWorkers, syncRow } from './support.js';

const SECRET = `ami-canary-${randomBytes(6).toString('hex')}`;
const get = (fields: Fields, name: string) => fields.filter(([k]) => k === name).map(([, v]) => v);

/** Every value under the test's Redis prefix, whatever its type. */
async function redisDump(ctx: TestContext): Promise<string> {
  const redis = ctx.deps.redis;
  const keys = await redis.keys(`${ctx.config.queuePrefix}*`);
  const parts: string[] = [];
  for (const key of keys) {
    const type = await redis.type(key);
    if (type === 'string') parts.push((await redis.get(key)) ?? '');
    else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
    else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
    else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1)));
    else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    parts.push(key);
  }
  return parts.join('\n');
}

describe('asterisk-ami notifier', () => {
  let ctx: TestContext;
  let peer: ScriptedAmiPeer;
  let tenant: SeededTenant;
  let running: ReturnType<typeof startNotifyWorkers>;
  const responses: string[] = [];

  async function deviceOnAccount(sipUser: string): Promise<{ id: string }> {
    const groupId = randomUUID();
    const accountId = randomUUID();
    await sql(ctx, `insert into groups (id, tenant_id, name) values (?, ?, ?)`, [
      groupId,
      tenant.tenant.id,
      `g-${sipUser}`,
    ]);
    await sql(
      ctx,
      `insert into accounts (id, tenant_id, home_group_id, extension, sip_username, sip_password, display_name) values (?, ?, ?, ?, ?, 'pw-for-tests', ?)`,
      [accountId, tenant.tenant.id, groupId, sipUser, sipUser, `User ${sipUser}`],
    );
    const device = await seedDevice(ctx, tenant.tenant.id, { lastSeenIp: '192.0.2.10' });
    await sql(
      ctx,
      `insert into device_lines (id, tenant_id, device_id, line_index, account_id) values (?, ?, ?, 1, ?)`,
      [randomUUID(), tenant.tenant.id, device.id, accountId],
    );
    return device;
  }

  beforeAll(async () => {
    ctx = await createTestContext({ PROVD_NOTIFY_RATE_PER_SECOND: '1000', PROVD_LOG_LEVEL: 'debug' });
    peer = new ScriptedAmiPeer(SECRET);
    await peer.start();
    tenant = await seedTenant(ctx, 'pbx');
    const put = await tenant.owner.put(`/api/v1/tenants/pbx/notifier`, {
      driver: 'asterisk-ami',
      ami: { host: '127.0.0.1', port: peer.port, username: 'provd', secret: SECRET },
    });
    expect(put.status).toBe(200);
    responses.push(put.raw);
    running = startNotifyWorkers(ctx);
  });
  afterAll(async () => {
    await running?.close();
    await peer?.stop();
    await ctx?.close();
  });

  it('shows the settings without the secret, and only to admins and owners', async () => {
    const view = await tenant.admin.get(`/api/v1/tenants/pbx/notifier`);
    responses.push(view.raw);
    expect(view.body).toMatchObject({
      driver: 'asterisk-ami',
      ami: { host: '127.0.0.1', port: peer.port, username: 'provd', secretSet: true },
      effectiveRatePerSecond: 1000,
    });
    expect((await tenant.viewer.get(`/api/v1/tenants/pbx/notifier`)).status).toBe(403);
    const other = await seedTenant(ctx, 'pbx-other');
    expect((await other.owner.get(`/api/v1/tenants/pbx/notifier`)).status).toBe(404);
    expect((await other.owner.get(`/api/v1/tenants/pbx-other/notifier`)).body).toMatchObject({
      driver: 'none',
      updatedAt: null,
    });
  });

  it('refuses options of another driver, a missing secret and a line break in a credential', async () => {
    const bad = [
      [{ driver: 'freeswitch', freeswitch: { host: '127.0.0.1', profile: 'internal' } }, 'notifier_secret_required'],
      [{ driver: 'sip', ami: { host: 'pbx', username: 'u', secret: 's' } }, 'notifier_options_mismatch'],
      [{ driver: 'asterisk-ami' }, 'notifier_options_required'],
    ] as const;
    for (const [body, code] of bad) {
      const response = await tenant.admin.put(`/api/v1/tenants/pbx/notifier`, body);
      expect(response.status, code).toBe(400);
      expect(response.body.code).toBe(code);
    }
    const injected = await tenant.admin.put(`/api/v1/tenants/pbx/notifier`, {
      driver: 'asterisk-ami',
      ami: { host: 'pbx', username: 'u', secret: 'a\r\nAction: Originate' },
    });
    expect(injected.status).toBe(400);
    expect((await tenant.admin.get(`/api/v1/tenants/pbx/notifier`)).body.ami.host).toBe('127.0.0.1');
  });

  it("a hash change sends PJSIPNotify to the device's SIP user with the vendor event", async () => {
    const device = await deviceOnAccount('1001');
    await bumpDevices(ctx, tenant.tenant.id, [device.id]);
    const row = await eventually(
      () => syncRow(ctx, device.id),
      (r) => r?.state === 'notified',
    );
    expect(row).toMatchObject({ state: 'notified', last_outcome: 'ami: NOTIFY sent' });
    const action = peer.actions.find((fields) => get(fields, 'Endpoint')[0] === '1001')!;
    expect(get(action, 'Action')).toEqual(['PJSIPNotify']);
    expect(get(action, 'URI')).toEqual([]);
    expect(get(action, 'Variable')).toEqual(['Event=check-sync']);
    expect(peer.logins).toHaveLength(1);
    expect(get(peer.logins[0]!, 'Secret')).toEqual([SECRET]);
  });

  it("applies the profile's resync event override for the vendor", async () => {
    const bad = await tenant.admin.post(`/api/v1/tenants/pbx/profiles`, {
      name: 'broken',
      settings: { resyncEvents: { yealink: { event: 'check-sync\r\nX-Evil: 1' } } },
    });
    expect(bad.status).toBe(400);
    const profile = await tenant.admin.post(`/api/v1/tenants/pbx/profiles`, {
      name: 'resync',
      settings: { resyncEvents: { yealink: { event: 'resync' } } },
    });
    expect(profile.status).toBe(201);
    const device = await deviceOnAccount('1002');
    await sql(ctx, `update devices set profile_id = ? where id = ?`, [profile.body.id, device.id]);
    await bumpDevices(ctx, tenant.tenant.id, [device.id]);
    await eventually(
      () => syncRow(ctx, device.id),
      (r) => r?.state === 'notified',
    );
    const action = peer.actions.find((fields) => get(fields, 'Endpoint')[0] === '1002')!;
    expect(get(action, 'Variable')).toEqual(['Event=resync']);
  });

  it('keeps one logged-in session, reconnects after a drop, and re-logs in after a settings change', async () => {
    const connections = peer.connections;
    peer.dropAll();
    const device = await deviceOnAccount('1003');
    await bumpDevices(ctx, tenant.tenant.id, [device.id]);
    await eventually(
      () => syncRow(ctx, device.id),
      (r) => r?.state === 'notified',
      20_000,
    );
    expect(peer.connections).toBe(connections + 1);

    // New settings without the secret keep the stored one; the pool builds a new driver for them.
    const put = await tenant.admin.put(`/api/v1/tenants/pbx/notifier`, {
      driver: 'asterisk-ami',
      ratePerSecond: 500,
      ami: { host: '127.0.0.1', port: peer.port, username: 'provd' },
    });
    responses.push(put.raw);
    expect(put.body).toMatchObject({ ratePerSecond: 500, effectiveRatePerSecond: 500, ami: { secretSet: true } });
    const again = await deviceOnAccount('1004');
    await bumpDevices(ctx, tenant.tenant.id, [again.id]);
    await eventually(
      () => syncRow(ctx, again.id),
      (r) => r?.state === 'notified',
      20_000,
    );
    expect(get(peer.logins.at(-1)!, 'Secret')).toEqual([SECRET]);
    expect(running.notify.pool.size).toBe(1);
  });

  it('the secret appears in no log line, Redis value, job payload, API answer or audit entry', async () => {
    expect(ctx.logs.length).toBeGreaterThan(0);
    expect(ctx.logs.join('')).not.toContain(SECRET);
    const redis = await redisDump(ctx);
    expect(redis).toContain('notify.device');
    expect(redis).not.toContain(SECRET);
    for (const raw of responses) expect(raw).not.toContain(SECRET);
    const audit = await sql<{ n: string }>(
      ctx,
      `select count(*)::text as n from audit_entries where coalesce(after::text, '') || coalesce(before::text, '') like ?`,
      [`%${SECRET}%`],
    );
    expect(audit[0]!.n).toBe('0');
    const trail = await sql<{ n: string }>(
      ctx,
      `select count(*)::text as n from audit_entries where entity_type = 'TenantNotifierSettings'`,
    );
    expect(Number(trail[0]!.n)).toBeGreaterThanOrEqual(2);
  });
});
