import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { directoryFixtures } from './directory-fixtures.js';

let ctx: TestContext;
let t: SeededTenant;
let other: SeededTenant;
let fx: ReturnType<typeof directoryFixtures>;
let group: string;
let account: string;
let account2: string;
let foreignAccount: string;
const url = (path = '') => `/api/v1/tenants/dev-a/devices${path}`;
const hexMac = (n: number) => `0015650000${n.toString(16).padStart(2, '0')}`;

beforeAll(async () => {
  ctx = await createTestContext();
  fx = directoryFixtures(ctx);
  t = await seedTenant(ctx, 'dev-a');
  other = await seedTenant(ctx, 'dev-b');
  group = await fx.group(t.tenant.id, 'Office');
  account = await fx.account(t.tenant.id, group, '301');
  account2 = await fx.account(t.tenant.id, await fx.group(t.tenant.id, 'Lab'), '302');
  foreignAccount = await fx.account(other.tenant.id, await fx.group(other.tenant.id, 'Theirs'), '301');
});
afterAll(async () => ctx?.close());

describe('devices: MAC rules', () => {
  it('canonicalises every common MAC form to 12 lowercase hex digits', async () => {
    const forms = [
      '00:15:65:AA:00:01',
      '00-15-65-aa-00-02',
      '0015.65aa.0003',
      '001565AA0004',
      '00 15 65 aa 00 05',
      ' 00:15:65:aa:00:06 ',
    ];
    const stored = [];
    for (const mac of forms) {
      const response = await t.admin.post(url(), { mac, vendor: 'yealink' });
      expect(response.status, mac).toBe(201);
      stored.push(response.body.mac);
    }
    expect(stored).toEqual([
      '001565aa0001',
      '001565aa0002',
      '001565aa0003',
      '001565aa0004',
      '001565aa0005',
      '001565aa0006',
    ]);
  });

  it('rejects invalid, multicast, all-zero and broadcast MACs with their own code, writing nothing', async () => {
    const before = await countRows(ctx, 'devices');
    const cases: [string, string][] = [
      ['00:15:65:aa:bb', 'mac_invalid'],
      ['00:15:65:aa:bb:cc:dd', 'mac_invalid'],
      ['00:15:65:aa:bb:zz', 'mac_invalid'],
      ['00:15-65:aa:bb:cc', 'mac_invalid'],
      ['01:00:5e:00:00:01', 'mac_multicast'],
      ['33:33:00:00:00:01', 'mac_multicast'],
      ['00:00:00:00:00:00', 'mac_zero'],
      ['ff:ff:ff:ff:ff:ff', 'mac_broadcast'],
    ];
    for (const [mac, code] of cases) {
      const response = await t.admin.post(url(), { mac, vendor: 'yealink' });
      expect(response.status, mac).toBe(400);
      expect(response.body.code, mac).toBe(code);
    }
    expect(await countRows(ctx, 'devices')).toBe(before);
  });

  it('keeps a MAC unique across the platform: 409 in the same and in another tenant, naming no tenant', async () => {
    expect((await t.admin.post(url(), { mac: '00:15:65:bb:00:01', vendor: 'yealink' })).status).toBe(201);
    const same = await t.admin.post(url(), { mac: '001565BB0001', vendor: 'poly' });
    expect(same.status).toBe(409);
    const cross = await other.admin.post('/api/v1/tenants/dev-b/devices', { mac: '0015.65bb.0001', vendor: 'snom' });
    expect(cross.status).toBe(409);
    expect(cross.body.code).toBe('mac_taken');
    expect(cross.raw).not.toContain('dev-a');
    expect(cross.raw).not.toContain(t.tenant.id);
    expect(cross.body).toEqual(same.body);
    expect(await countRows(ctx, 'devices', 'tenant_id = ?', [other.tenant.id])).toBe(0);
  });
});

describe('devices: lines', () => {
  it('binds lines to an account, a PhoneMap group or nothing, and replaces the whole set', async () => {
    const cos = await fx.classOfService(t.tenant.id, 'Lines CoS');
    expect(
      (
        await t.admin.post('/api/v1/tenants/dev-a/phonemap-groups', {
          id: 'reception',
          name: 'Reception',
          classOfServiceId: cos,
        })
      ).status,
    ).toBe(201);
    const created = await t.admin.post(url(), {
      mac: hexMac(1),
      vendor: 'yealink',
      model: 'T46S',
      lines: [
        { index: 2, phonemapGroupId: 'reception', label: 'Front' },
        { index: 1, accountId: account, label: 'Me' },
        { index: 3, label: 'spare' },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body.lines).toEqual([
      { index: 1, accountId: account, phonemapGroupId: null, label: 'Me' },
      { index: 2, accountId: null, phonemapGroupId: 'reception', label: 'Front' },
      { index: 3, accountId: null, phonemapGroupId: null, label: 'spare' },
    ]);
    const replaced = await t.admin.put(url(`/${created.body.id}/lines`), {
      lines: [{ index: 1, accountId: account2 }],
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.lines).toEqual([{ index: 1, accountId: account2, phonemapGroupId: null, label: null }]);
  });

  it("refuses another tenant's account, unknown PhoneMap groups, double bindings and lines beyond the model, writing nothing", async () => {
    const device = (
      await t.admin.post(url(), {
        mac: hexMac(2),
        vendor: 'yealink',
        model: 'T31G',
        lines: [{ index: 1, accountId: account }],
      })
    ).body;
    const before = { devices: await countRows(ctx, 'devices'), lines: await countRows(ctx, 'device_lines') };
    const refusedCreate = await t.admin.post(url(), {
      mac: hexMac(3),
      vendor: 'yealink',
      lines: [{ index: 1, accountId: foreignAccount }],
    });
    expect(refusedCreate.status).toBe(400);
    expect(refusedCreate.body.code).toBe('unknown_reference');
    const cases: [unknown[], string][] = [
      [
        [
          { index: 1, accountId: account2 },
          { index: 2, accountId: foreignAccount },
        ],
        'unknown_reference',
      ],
      [[{ index: 1, phonemapGroupId: 'no-such-group' }], 'unknown_reference'],
      [[{ index: 1, accountId: account, phonemapGroupId: 'reception' }], 'line_binding_ambiguous'],
      [[{ index: 3, accountId: account }], 'line_index_out_of_range'],
      [[{ index: 1 }, { index: 1 }], 'line_index_duplicate'],
      [[{ index: 0 }], 'validation_failed'],
      [[{ index: 1, extra: true }], 'validation_failed'],
    ];
    for (const [lines, code] of cases) {
      const response = await t.admin.put(url(`/${device.id}/lines`), { lines });
      expect(response.status, JSON.stringify(lines)).toBe(400);
      expect(response.body.code, JSON.stringify(lines)).toBe(code);
    }
    expect(await countRows(ctx, 'devices')).toBe(before.devices);
    expect(await countRows(ctx, 'device_lines')).toBe(before.lines);
    expect((await t.viewer.get(url(`/${device.id}`))).body.lines).toEqual([
      { index: 1, accountId: account, phonemapGroupId: null, label: null },
    ]);
    const shrink = await t.admin.patch(url(`/${device.id}`), { model: 'T30' });
    expect(shrink.status).toBe(200);
    expect(
      (await t.admin.put(url(`/${device.id}/lines`), { lines: [{ index: 2, accountId: account }] })).body.code,
    ).toBe('line_index_out_of_range');
  });
});

describe('devices: provisioning secret', () => {
  it('shows the secret once on create and on rotate, never in reads, lists, the audit trail or the logs', async () => {
    const created = await t.admin.post(url(), { mac: hexMac(4), vendor: 'poly', model: 'VVX450' });
    const secret: string = created.body.provisioningSecret;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const [stored] = await fx.sql<{ provisioning_secret: string }>(
      'select provisioning_secret from devices where id = ?',
      [created.body.id],
    );
    expect(stored!.provisioning_secret).toBe(secret);
    const rotated = await t.admin.post(url(`/${created.body.id}/secret/rotate`));
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({
      id: created.body.id,
      provisioningSecret: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
    });
    const fresh: string = rotated.body.provisioningSecret;
    expect(fresh).not.toBe(secret);
    const reads = [
      await t.admin.get(url(`/${created.body.id}`)),
      await t.admin.get(url()),
      await t.viewer.get(url()),
      await t.admin.get(url('?vendor=poly')),
      await t.admin.get(url(`/${created.body.id}/settings`)),
    ];
    for (const read of reads) {
      expect(read.status).toBe(200);
      expect(read.raw).not.toContain('provisioningSecret');
    }
    const audit = await t.admin.get('/api/v1/tenants/dev-a/audit?entityType=Device');
    expect(audit.body.items.find((entry: { action: string }) => entry.action === 'update').after).toEqual({
      provisioningSecret: '[masked]',
    });
    for (const read of [...reads, audit]) {
      expect(read.raw).not.toContain(secret);
      expect(read.raw).not.toContain(fresh);
    }
    const logs = ctx.logs.join('\n');
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain(fresh);
  });
});

describe('devices: list, update, delete', () => {
  it('filters by vendor, status, group and MAC fragment, with pagination', async () => {
    const make = async (n: number, vendor: string, status: string, lines: unknown[] = []) =>
      (await t.admin.post(url(), { mac: `00:15:66:00:00:${n.toString(16).padStart(2, '0')}`, vendor, status, lines }))
        .body.id as string;
    const a = await make(1, 'snom', 'active', [{ index: 1, accountId: account }]);
    const b = await make(2, 'snom', 'disabled', [{ index: 1, accountId: account2 }]);
    const c = await make(3, 'fanvil', 'pending');
    const ids = async (query: string) => (await t.viewer.get(url(query))).body.items.map((d: { id: string }) => d.id);
    expect(await ids('?vendor=snom')).toEqual([a, b]);
    expect(await ids('?vendor=snom&status=disabled')).toEqual([b]);
    expect(await ids(`?group=${group}&mac=00:15:66`)).toEqual([a]);
    expect(await ids('?mac=0015.6600.0003')).toEqual([c]);
    expect(await ids('?mac=15-66')).toEqual([a, b, c]);
    const page = (await t.viewer.get(url('?mac=001566&limit=2&offset=1'))).body;
    expect(page).toMatchObject({ total: 3, limit: 2, offset: 1 });
    expect(page.items.map((d: { id: string }) => d.id)).toEqual([b, c]);
    expect((await t.viewer.get(url('?vendor=nokia'))).status).toBe(400);
    expect((await t.viewer.get(url('?unknown=1'))).status).toBe(400);
  });

  it('updates the MAC (same rules), profile override and overrides, and deletes', async () => {
    const id = (await t.admin.post(url(), { mac: hexMac(5), vendor: 'gigaset' })).body.id;
    expect((await t.admin.patch(url(`/${id}`), { mac: 'ff:ff:ff:ff:ff:ff' })).body.code).toBe('mac_broadcast');
    expect((await t.admin.patch(url(`/${id}`), { mac: '00:15:65:bb:00:01' })).body.code).toBe('mac_taken');
    const foreignProfile = await fx.sql<{ id: string }>(
      `insert into profiles (id, tenant_id, name) values (gen_random_uuid(), ?, 'Foreign') returning id`,
      [other.tenant.id],
    );
    expect((await t.admin.patch(url(`/${id}`), { profileId: foreignProfile[0]!.id })).body.code).toBe(
      'unknown_reference',
    );
    expect((await t.admin.patch(url(`/${id}`), { overrides: { sipPort: 'x' } })).status).toBe(400);
    expect((await t.admin.patch(url(`/${id}`), { overrides: { timeZone: 'Nowhere/City' } })).body.code).toBe(
      'invalid_time_zone',
    );
    const updated = await t.admin.patch(url(`/${id}`), {
      mac: '00:15:65:cc:00:05',
      status: 'disabled',
      overrides: { language: 'fr', adminPassword: 'Device-Admin-Pw' },
    });
    expect(updated.body).toMatchObject({
      mac: '001565cc0005',
      status: 'disabled',
      overrides: { language: 'fr', adminPassword: 'Device-Admin-Pw' },
    });
    expect((await t.viewer.get(url(`/${id}`))).body.overrides.adminPassword).toBe('[masked]');
    expect((await t.admin.delete(url(`/${id}`))).status).toBe(204);
    expect((await t.viewer.get(url(`/${id}`))).status).toBe(404);
  });
});

describe('devices: isolation and roles', () => {
  it('answers 404 to another tenant and 403 to viewers writing', async () => {
    const id = (await t.admin.post(url(), { mac: hexMac(6), vendor: 'yealink' })).body.id;
    for (const response of [
      await other.owner.get(`/api/v1/tenants/dev-b/devices/${id}`),
      await other.owner.get(url(`/${id}`)),
      await other.owner.patch(`/api/v1/tenants/dev-b/devices/${id}`, { status: 'disabled' }),
      await other.owner.put(`/api/v1/tenants/dev-b/devices/${id}/lines`, { lines: [] }),
      await other.owner.post(`/api/v1/tenants/dev-b/devices/${id}/secret/rotate`),
      await other.owner.get(`/api/v1/tenants/dev-b/devices/${id}/settings`),
      await other.owner.delete(`/api/v1/tenants/dev-b/devices/${id}`),
    ]) {
      expect(response.status).toBe(404);
    }
    for (const response of [
      await t.viewer.post(url(), { mac: hexMac(7), vendor: 'yealink' }),
      await t.viewer.patch(url(`/${id}`), { status: 'disabled' }),
      await t.viewer.put(url(`/${id}/lines`), { lines: [] }),
      await t.viewer.post(url(`/${id}/secret/rotate`)),
      await t.viewer.delete(url(`/${id}`)),
    ]) {
      expect(response.status).toBe(403);
    }
    expect((await t.viewer.get(url(`/${id}`))).body.status).toBe('active');
  });
});
