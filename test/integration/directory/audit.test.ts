import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account } from '#src/model/directory/account.entity.js';
import { runAsActor } from '#src/modules/audit/audit-actor.js';
import { MASKED } from '#src/modules/audit/audit.mask.js';
import { Device } from '#src/model/directory/device.entity.js';
import { Group } from '#src/model/directory/group.entity.js';
import { Profile } from '#src/model/directory/profile.entity.js';
import { Tenant } from '#src/model/directory/tenant.entity.js';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

let ctx: TestContext;
let t: SeededTenant;
let other: SeededTenant;
const SIP_SECRET = 'canary-sip-Password-7f3a9c';
const DEVICE_SECRET = 'canary-device-secret-91be';
const ADMIN_SECRET = 'canary-admin-pw-55d1';

const fork = () => ctx.deps.orm.em.fork() as EntityManager;
const actor = { tokenId: null, name: 'test-actor', role: 'admin' };

beforeAll(async () => {
  ctx = await createTestContext();
  t = await seedTenant(ctx, 'audited');
  other = await seedTenant(ctx, 'audited-other');
});
afterAll(async () => ctx?.close());

async function audit(query = '') {
  const response = await t.viewer.get(`/api/v1/tenants/audited/audit${query}`);
  expect(response.status).toBe(200);
  return response.body as { items: any[]; total: number };
}

describe('audit trail', () => {
  it('records who, what, when and the before/after of an update made through the API', async () => {
    const response = await t.owner.patch('/api/v1/tenants/audited', { name: 'Audited Ltd' });
    expect(response.status).toBe(200);
    const { items } = await audit('?entityType=Tenant&action=update');
    expect(items[0]).toMatchObject({
      entityType: 'Tenant',
      entityId: t.tenant.id,
      action: 'update',
      actor: { name: 'owner test', role: 'owner' },
      before: { name: 'Tenant audited' },
      after: { name: 'Audited Ltd' },
    });
    expect(items[0].actor.tokenId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(items[0].after)).toEqual(['name']);
    expect(Date.parse(items[0].createdAt)).not.toBeNaN();
  });

  it('masks secrets: SIP password, device secret, passwords inside profile settings, token hashes', async () => {
    const em = fork();
    await runAsActor(actor, async () => {
      const tenant = em.getReference(Tenant, t.tenant.id);
      const group = em.create(Group, { tenant, name: 'Masking' });
      em.create(Account, {
        tenant,
        homeGroup: group,
        extension: '900',
        sipUsername: 'u900',
        sipPassword: SIP_SECRET,
        displayName: 'Mask',
      });
      em.create(Device, { tenant, mac: '001565aabbcc', vendor: 'yealink', provisioningSecret: DEVICE_SECRET });
      em.create(Profile, {
        tenant,
        name: 'P',
        settings: { adminPassword: ADMIN_SECRET, timezone: 'Europe/Berlin' },
        rawKeys: { yealink: { 'static.security.user_password': ADMIN_SECRET } },
      });
      await em.flush();
    });
    await t.owner.post('/api/v1/tenants/audited/api-tokens', { name: 'masked', role: 'viewer' });
    const all = JSON.stringify((await audit('?limit=500')).items);
    for (const secret of [SIP_SECRET, DEVICE_SECRET, ADMIN_SECRET]) expect(all).not.toContain(secret);
    const account = (await audit('?entityType=Account')).items[0];
    expect(account.after.sipPassword).toBe(MASKED);
    expect(account.actor).toEqual({ tokenId: null, name: 'test-actor', role: 'admin' });
    const profile = (await audit('?entityType=Profile')).items[0];
    expect(profile.after.settings).toEqual({ adminPassword: MASKED, timezone: 'Europe/Berlin' });
    const token = (await audit('?entityType=ApiToken&action=create')).items.find(
      (item) => item.after.name === 'masked',
    );
    expect(token.after.tokenHash).toBe(MASKED);

    const updating = fork();
    const stored = await updating.findOneOrFail(Profile, { name: 'P' });
    stored.settings = { ...stored.settings, adminPassword: `${ADMIN_SECRET}-2` };
    const account2 = await updating.findOneOrFail(Account, { extension: '900' });
    account2.sipPassword = `${SIP_SECRET}-2`;
    await updating.flush();
    const updates = JSON.stringify((await audit('?action=update&limit=500')).items);
    expect(updates).not.toContain(ADMIN_SECRET);
    expect(updates).not.toContain(SIP_SECRET);
    const profileUpdate = (await audit('?entityType=Profile&action=update')).items[0];
    expect(profileUpdate.before.settings.adminPassword).toBe(MASKED);
    expect(profileUpdate.after.settings.adminPassword).toBe(MASKED);
    expect((await audit('?entityType=Account&action=update')).items[0]).toMatchObject({
      before: {},
      after: { sipPassword: MASKED },
    });
  });

  it('writes nothing when the change rolls back (same transaction)', async () => {
    const before = await countRows(ctx, 'audit_entries');
    const em = fork();
    await expect(
      em.transactional(async (tx) => {
        tx.create(Profile, { tenant: tx.getReference(Tenant, t.tenant.id), name: 'Rolled back' });
        await tx.flush();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await expect(async () => {
      const failing = fork();
      failing.create(Profile, { tenant: failing.getReference(Tenant, t.tenant.id), name: 'ok' });
      failing.create(Device, {
        tenant: failing.getReference(Tenant, t.tenant.id),
        mac: 'NOT-A-MAC!!!',
        vendor: 'snom',
        provisioningSecret: 'x',
      });
      await failing.flush();
    }).rejects.toThrow();
    expect(await countRows(ctx, 'audit_entries')).toBe(before);
    expect(await countRows(ctx, 'profiles', `name in ('Rolled back', 'ok')`)).toBe(0);
  });

  it('records deletes with the last state, and filters by entity, actor, time window and page', async () => {
    const created = await t.owner.post('/api/v1/tenants/audited/api-tokens', { name: 'short-lived', role: 'viewer' });
    await t.owner.delete(`/api/v1/tenants/audited/api-tokens/${created.body.id}`);
    const trail = await audit(`?entityId=${created.body.id}`);
    expect(trail.items.map((item) => item.action)).toEqual(['update', 'create']);
    expect(trail.items[0].after.revokedAt).toEqual(expect.any(String));
    const em = fork();
    const group = await em.findOneOrFail(Group, { name: 'Masking' });
    const first = await em.findOneOrFail(Account, { homeGroup: group });
    em.remove(first);
    await em.flush();
    const deleted = (await audit(`?entityType=Account&action=delete`)).items[0];
    expect(deleted).toMatchObject({
      entityId: first.id,
      after: null,
      before: { extension: '900', homeGroup: group.id },
    });

    const ownerToken = (await audit('?entityType=Tenant&action=update')).items[0].actor.tokenId;
    const byOwner = await audit(`?actor=${ownerToken}&limit=500`);
    expect(byOwner.items.length).toBeGreaterThan(0);
    expect(byOwner.items.every((item) => item.actor.tokenId === ownerToken)).toBe(true);
    expect((await audit(`?until=2000-01-01T00:00:00Z`)).total).toBe(0);
    expect((await audit(`?since=2999-01-01T00:00:00Z`)).total).toBe(0);
    const page = await audit('?limit=2&offset=1');
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThan(3);
    expect((await t.viewer.get('/api/v1/tenants/audited/audit?limit=0')).status).toBe(400);
    expect((await t.viewer.get('/api/v1/tenants/audited/audit?since=yesterday')).status).toBe(400);
  });

  it('shows a tenant only its own trail', async () => {
    await other.owner.patch('/api/v1/tenants/audited-other', { name: 'Other renamed' });
    const mine = await audit(`?entityId=${other.tenant.id}`);
    expect(mine.total).toBe(0);
    expect((await other.owner.get('/api/v1/tenants/audited/audit')).status).toBe(404);
  });
});
