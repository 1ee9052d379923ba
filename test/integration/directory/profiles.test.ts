import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { directoryFixtures } from './directory-fixtures.js';

let ctx: TestContext;
let t: SeededTenant;
let other: SeededTenant;
let fx: ReturnType<typeof directoryFixtures>;
const url = (path = '') => `/api/v1/tenants/prof-a/profiles${path}`;
const ADMIN_PASSWORD = 'Canary-Admin-Pw-4471';

beforeAll(async () => {
  ctx = await createTestContext();
  fx = directoryFixtures(ctx);
  t = await seedTenant(ctx, 'prof-a');
  other = await seedTenant(ctx, 'prof-b');
});
afterAll(async () => ctx?.close());

const fullSettings = {
  timeZone: 'Europe/Berlin',
  ntpServer: 'ntp.example.com',
  language: 'de',
  sipServer: 'sip.example.com',
  sipPort: 5061,
  sipTransport: 'tls',
  phonebookRefreshSeconds: 900,
  adminPassword: ADMIN_PASSWORD,
  firmware: { T46S: 'https://fw.example.com/T46S-66.86.rom' },
  provisioningUrl: 'https://prov.example.com/',
};

describe('profiles', () => {
  it('creates, reads, lists, updates (settings replaced as a whole) and deletes', async () => {
    const created = await t.admin.post(url(), {
      name: 'Berlin',
      settings: fullSettings,
      rawKeys: { yealink: { 'features.dnd.enable': '1' }, grandstream: { P1362: 'de' } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Berlin',
      description: null,
      settings: fullSettings,
      rawKeys: { yealink: { 'features.dnd.enable': '1' } },
      isDefault: false,
    });
    const id = created.body.id;
    expect((await t.admin.get(url('?q=berl'))).body.items.map((p: { id: string }) => p.id)).toEqual([id]);
    const updated = await t.admin.patch(url(`/${id}`), { settings: { language: 'fr' } });
    expect(updated.body.settings).toEqual({ language: 'fr' });
    expect(updated.body.rawKeys.grandstream).toEqual({ P1362: 'de' });
    expect((await t.admin.delete(url(`/${id}`))).status).toBe(204);
    expect((await t.admin.get(url(`/${id}`))).status).toBe(404);
  });

  it('normalises the time zone case and rejects what is not an IANA zone', async () => {
    const created = await t.admin.post(url(), { name: 'Case', settings: { timeZone: 'europe/zurich' } });
    expect(created.body.settings.timeZone).toBe('Europe/Zurich');
    const before = await countRows(ctx, 'profiles');
    for (const timeZone of ['Mars/Olympus_Mons', 'Europe/Berlinn', '+01:00', 'UTC+1']) {
      const response = await t.admin.post(url(), { name: `TZ ${timeZone}`, settings: { timeZone } });
      expect(response.status, timeZone).toBe(400);
      expect(['invalid_time_zone', 'validation_failed']).toContain(response.body.code);
    }
    expect((await t.admin.post(url(), { name: 'TZ bad', settings: { timeZone: 'Mars/Olympus_Mons' } })).body.code).toBe(
      'invalid_time_zone',
    );
    expect(await countRows(ctx, 'profiles')).toBe(before);
  });

  it('rejects unknown keys, wrong types and raw keys or values that could inject into a file format', async () => {
    const before = await countRows(ctx, 'profiles');
    const bad = [
      { settings: { timezone: 'Europe/Berlin' } },
      { settings: { sipPort: 70000 } },
      { settings: { sipPort: '5060' } },
      { settings: { sipTransport: 'sctp' } },
      { settings: { phonebookRefreshSeconds: 5 } },
      { settings: { ntpServer: 'ntp.example.com"/><evil' } },
      { settings: { provisioningUrl: 'ftp://x.example.com/' } },
      { settings: { adminPassword: 'has space' } },
      { settings: { firmware: { 'T46S<': 'https://fw.example.com/x.rom' } } },
      { rawKeys: { yealink: { 'a.b\nstatic.evil': '1' } } },
      { rawKeys: { yealink: { 'a=b': '1' } } },
      { rawKeys: { yealink: { '<P1>': '1' } } },
      { rawKeys: { yealink: { 'a.b': 'line\r\nstatic.evil = 1' } } },
      { rawKeys: { acme: { key: 'v' } } },
      { rawKeys: { yealink: { key: 1 } } },
    ];
    for (const body of bad) {
      const response = await t.admin.post(url(), { name: 'Bad', ...body });
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect(await countRows(ctx, 'profiles')).toBe(before);
    const duplicate = await t.admin.post(url(), { name: 'Case' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('name_taken');
  });

  it('masks the admin password and password-like raw keys for viewers, never logs them', async () => {
    const created = await t.admin.post(url(), {
      name: 'Secret',
      settings: { adminPassword: ADMIN_PASSWORD },
      rawKeys: { yealink: { 'static.security.user_password': 'Canary-Raw-Pw-1' } },
    });
    const viewed = await t.viewer.get(url(`/${created.body.id}`));
    expect(viewed.body.settings.adminPassword).toBe('[masked]');
    expect(viewed.body.rawKeys.yealink['static.security.user_password']).toBe('[masked]');
    expect(JSON.stringify((await t.viewer.get(url())).body)).not.toContain(ADMIN_PASSWORD);
    expect((await t.admin.get(url(`/${created.body.id}`))).body.settings.adminPassword).toBe(ADMIN_PASSWORD);
    const audit = await t.viewer.get(`/api/v1/tenants/prof-a/audit?entityType=Profile&entityId=${created.body.id}`);
    expect(audit.body.items[0].after.settings.adminPassword).toBe('[masked]');
    expect(JSON.stringify(audit.body)).not.toContain(ADMIN_PASSWORD);
    expect(ctx.logs.join('\n')).not.toContain(ADMIN_PASSWORD);
    expect(ctx.logs.join('\n')).not.toContain('Canary-Raw-Pw-1');
  });

  it('sets and clears the tenant default, and refuses to delete a profile in use', async () => {
    const profile = (await t.admin.post(url(), { name: 'Default' })).body.id;
    const set = await t.admin.put(url(`/${profile}/default`));
    expect(set.body.isDefault).toBe(true);
    expect((await t.viewer.get('/api/v1/tenants/prof-a')).body.defaultProfileId).toBe(profile);
    const refused = await t.admin.delete(url(`/${profile}`));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'profile_in_use',
      details: { tenantDefault: true, groups: [], devices: [] },
    });
    expect((await t.admin.delete(url(`/${profile}/default`))).body.isDefault).toBe(false);
    expect((await t.viewer.get('/api/v1/tenants/prof-a')).body.defaultProfileId).toBeNull();
    const group = await fx.group(t.tenant.id, 'Uses profile', { profileId: profile });
    expect((await t.admin.delete(url(`/${profile}`))).body.details).toEqual({
      tenantDefault: false,
      groups: [group],
      devices: [],
    });
    await fx.sql('update groups set profile_id = null where id = ?', [group]);
    expect((await t.admin.delete(url(`/${profile}`))).status).toBe(204);
  });

  it('isolates tenants (404, foreign default refused) and keeps viewers read-only (403)', async () => {
    const profile = (await t.admin.post(url(), { name: 'Isolated' })).body.id;
    expect((await other.owner.get(`/api/v1/tenants/prof-b/profiles/${profile}`)).status).toBe(404);
    expect((await other.owner.get(url(`/${profile}`))).status).toBe(404);
    expect((await other.owner.put(`/api/v1/tenants/prof-b/profiles/${profile}/default`)).status).toBe(404);
    expect((await other.owner.patch(`/api/v1/tenants/prof-b/profiles/${profile}`, { name: 'x' })).status).toBe(404);
    expect((await t.viewer.post(url(), { name: 'Viewer' })).status).toBe(403);
    expect((await t.viewer.patch(url(`/${profile}`), { name: 'V' })).status).toBe(403);
    expect((await t.viewer.put(url(`/${profile}/default`))).status).toBe(403);
    expect((await t.viewer.delete(url(`/${profile}`))).status).toBe(403);
  });
});
