import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { directoryFixtures } from './directory-fixtures.js';

let ctx: TestContext;
let t: SeededTenant;
let fx: ReturnType<typeof directoryFixtures>;
const api = (path: string) => `/api/v1/tenants/set-a${path}`;

beforeAll(async () => {
  ctx = await createTestContext({ PROVD_PUBLIC_PHONE_URL: 'https://phones.example.net/' });
  fx = directoryFixtures(ctx);
  t = await seedTenant(ctx, 'set-a');
});
afterAll(async () => ctx?.close());

async function profile(name: string, body: Record<string, unknown>): Promise<string> {
  const response = await t.admin.post(api('/profiles'), { name, ...body });
  expect(response.status).toBe(201);
  return response.body.id;
}

describe('GET devices/{id}/settings: effective settings with provenance', () => {
  it('names the layer that set each value: platform, tenant, profile (device, group), group, PhoneMap group, device', async () => {
    const tenantProfile = await profile('Tenant default', {
      settings: {
        timeZone: 'Europe/Berlin',
        ntpServer: 'ntp.tenant.example',
        language: 'en',
        adminPassword: 'Tenant-Admin-Pw',
        firmware: { T46S: 'https://fw.example/tenant-T46S.rom' },
      },
      rawKeys: { yealink: { 'features.a': 'tenant', 'features.b': 'tenant' }, snom: { other_vendor: '1' } },
    });
    expect((await t.admin.put(api(`/profiles/${tenantProfile}/default`))).status).toBe(200);
    const groupProfile = await profile('Group', {
      settings: { language: 'de' },
      rawKeys: { yealink: { 'features.b': 'group' } },
    });
    const deviceProfile = await profile('Device', {
      settings: { language: 'fr', sipServer: 'sip.device-profile.example' },
    });
    const groupCos = await fx.classOfService(t.tenant.id, 'Group CoS');
    const phonemapCos = await fx.classOfService(t.tenant.id, 'PhoneMap CoS');
    const group = await fx.group(t.tenant.id, 'Berlin office', { profileId: groupProfile, classOfServiceId: groupCos });
    const account = await fx.account(t.tenant.id, group, '401');

    const device = await t.admin.post(api('/devices'), {
      mac: '00:15:65:40:00:01',
      vendor: 'yealink',
      model: 'T46S',
      overrides: { sipServer: 'sip.device.example' },
      lines: [{ index: 1, accountId: account }],
    });
    expect(device.status).toBe(201);
    const id = device.body.id;
    const settings = async (client = t.admin) => {
      const response = await client.get(api(`/devices/${id}/settings`));
      expect(response.status).toBe(200);
      return response.body;
    };

    const first = await settings();
    expect(first.deviceId).toBe(id);
    expect(first.profile).toEqual({ id: groupProfile, via: 'group' });
    expect(first.settings).toMatchObject({
      sipPort: { value: 5060, source: 'platform', sourceId: null },
      provisioningUrl: { value: 'https://phones.example.net', source: 'platform', sourceId: null },
      timeZone: { value: 'Europe/Berlin', source: 'tenant', sourceId: tenantProfile },
      ntpServer: { value: 'ntp.tenant.example', source: 'tenant', sourceId: tenantProfile },
      firmwareUrl: { value: 'https://fw.example/tenant-T46S.rom', source: 'tenant', sourceId: tenantProfile },
      language: { value: 'de', source: 'profile', sourceId: groupProfile },
      classOfService: {
        source: 'group',
        sourceId: group,
        value: { id: groupCos, name: 'Group CoS', level: 'national' },
      },
      sipServer: { value: 'sip.device.example', source: 'device', sourceId: id },
    });
    expect(first.rawKeys).toEqual({
      'features.a': { value: 'tenant', source: 'tenant', sourceId: tenantProfile },
      'features.b': { value: 'group', source: 'profile', sourceId: groupProfile },
    });

    expect((await t.admin.patch(api(`/devices/${id}`), { profileId: deviceProfile, overrides: {} })).status).toBe(200);
    const second = await settings();
    expect(second.profile).toEqual({ id: deviceProfile, via: 'device' });
    expect(second.settings.language).toEqual({ value: 'fr', source: 'profile', sourceId: deviceProfile });
    expect(second.settings.sipServer).toEqual({
      value: 'sip.device-profile.example',
      source: 'profile',
      sourceId: deviceProfile,
    });
    expect(second.rawKeys['features.b']).toEqual({ value: 'tenant', source: 'tenant', sourceId: tenantProfile });

    const otherGroup = await fx.group(t.tenant.id, 'Munich office');
    const mapped = await fx.account(t.tenant.id, otherGroup, '402');
    expect(
      (await t.admin.post(api('/phonemap-groups'), { id: 'night', name: 'Night', classOfServiceId: phonemapCos }))
        .status,
    ).toBe(201);
    expect((await t.admin.post(api('/phonemap-groups/night/members'), { accountId: mapped })).status).toBe(201);
    expect((await t.admin.patch(api(`/devices/${id}`), { profileId: null })).status).toBe(200);
    expect(
      (
        await t.admin.put(api(`/devices/${id}/lines`), {
          lines: [
            { index: 1, phonemapGroupId: 'night' },
            { index: 2, accountId: account },
          ],
        })
      ).status,
    ).toBe(200);
    const third = await settings();
    expect(third.profile).toEqual({ id: tenantProfile, via: 'tenant' });
    expect(third.settings.language).toEqual({ value: 'en', source: 'tenant', sourceId: tenantProfile });
    expect(third.settings.classOfService).toMatchObject({ source: 'phonemap-group', value: { id: phonemapCos } });
  });

  it('masks the admin password for viewers', async () => {
    const id = (
      await t.admin.post(api('/devices'), {
        mac: '00:15:65:40:00:02',
        vendor: 'snom',
        overrides: { adminPassword: 'Device-Only-Pw' },
      })
    ).body.id;
    const admin = await t.admin.get(api(`/devices/${id}/settings`));
    expect(admin.body.settings.adminPassword).toEqual({ value: 'Device-Only-Pw', source: 'device', sourceId: id });
    const viewer = await t.viewer.get(api(`/devices/${id}/settings`));
    expect(viewer.body.settings.adminPassword).toEqual({ value: '[masked]', source: 'device', sourceId: id });
    expect(viewer.raw).not.toContain('Device-Only-Pw');
    expect(viewer.body.rawKeys).toEqual({
      other_vendor: { value: '1', source: 'tenant', sourceId: expect.any(String) },
    });
  });
});
