import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tenant } from '#src/model/directory/tenant.entity.js';
import { commonFileNames } from '#src/modules/vendors/index.js';
import { apiClient, createToken, seedTenant } from '../../helpers/api.js';
import {
  FAST,
  fetchWithDigest,
  phoneFixture,
  putArtifact,
  seedDevice,
  startPhoneProcess,
  type PhoneFixture,
  type PhoneProcess,
} from './support.js';

// No hint and no reconcile reaches the serving process here (reconcile far away, nothing
// published): what the database holds must be served on the very next fetch, without waiting.
let fixture: PhoneFixture;
let phone: PhoneProcess;

beforeAll(async () => {
  fixture = await phoneFixture({ PROVD_PHONE_BAN_THRESHOLD: '100000' });
  phone = await startPhoneProcess(fixture.ctx, 'phone-fresh', { ...FAST, reconcileMs: 600_000 });
});

afterAll(async () => {
  await phone?.close();
  await fixture?.close();
});

const fetchCfg = (mac: string, secret: string, prefix = '') =>
  fetchWithDigest(phone.app, `${prefix}/${mac}.cfg`, { username: mac, secret });

describe('data committed a moment ago is served at once', () => {
  it('a device of a tenant created after the tenant cache loaded', async () => {
    // The caches are loaded: an existing device is served.
    const old = await seedDevice(fixture, { mac: '001565f0f001', vendor: 'yealink' });
    await putArtifact(fixture, old.targetId, `${old.mac}/${old.mac}.cfg`, 'old\n');
    expect((await fetchCfg(old.mac, old.secret)).statusCode).toBe(200);
    const fresh = await seedTenant(fixture.ctx, 'freshtenant');
    const device = await seedDevice(fixture, { mac: '001565f0f002', vendor: 'yealink', tenantId: fresh.tenant.id });
    await putArtifact(fixture, device.targetId, `${device.mac}/${device.mac}.cfg`, 'fresh\n');
    const response = await fetchCfg(device.mac, device.secret);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('fresh\n');
    const prefixed = await fetchCfg(device.mac, device.secret, '/t/freshtenant');
    expect(prefixed.statusCode).toBe(200);
  });

  it('a tenant and a device created through the API: the device file and the tenant-prefixed common file at once', async () => {
    const platform = apiClient(fixture.ctx, await createToken(fixture.ctx, 'platform', null));
    expect((await platform.post('/api/v1/tenants', { slug: 'viaapi', name: 'Via API' })).status).toBe(201);
    const tenant = await fixture.ctx.deps.orm.em.fork().findOneOrFail(Tenant, { slug: 'viaapi' });
    // Before any device fetch of the tenant (whose refusal would re-read the tenants first).
    const [common] = commonFileNames('yealink', 'T46S');
    expect((await phone.app.inject({ method: 'GET', url: `/t/viaapi/${common}` })).statusCode).toBe(200);
    const admin = apiClient(fixture.ctx, await createToken(fixture.ctx, 'admin', tenant));
    const mac = '001565f0f0a1';
    const created = await admin.post('/api/v1/tenants/viaapi/devices', { mac, vendor: 'yealink', model: 'T46S' });
    expect(created.status).toBe(201);
    // No relay runs here: stage the device's rendered file as the render worker would.
    const [target] = await fixture.sql<{ id: string }>(
      `insert into render_targets (target_key, tenant_id, kind, ref_id, desired_gen, rendered_gen, state, updated_at)
       values (?, ?, 'device', ?, 1, 1, 'ok', now())
       on conflict (target_key) do update set rendered_gen = excluded.rendered_gen returning id::text as id`,
      [`device:${created.body.id}`, tenant.id, created.body.id],
    );
    await putArtifact(fixture, target!.id, `${mac}/${mac}.cfg`, 'via api\n');
    const response = await fetchCfg(mac, created.body.provisioningSecret, '/t/viaapi');
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('via api\n');
  });

  it('a device whose MAC was just remembered as unknown', async () => {
    const mac = '001565f0f003';
    expect((await fetchCfg(mac, 'not-yet')).statusCode).toBe(401);
    const device = await seedDevice(fixture, { mac, vendor: 'yealink' });
    await putArtifact(fixture, device.targetId, `${mac}/${mac}.cfg`, 'new\n');
    expect((await fetchCfg(mac, device.secret)).statusCode).toBe(200);
  });

  it('a rotated secret and an activated device, the old secret refused', async () => {
    const device = await seedDevice(fixture, { mac: '001565f0f004', vendor: 'yealink' });
    await putArtifact(fixture, device.targetId, `${device.mac}/${device.mac}.cfg`, 'cfg\n');
    expect((await fetchCfg(device.mac, device.secret)).statusCode).toBe(200);
    const rotated = 'rotated-secret-canary-0099';
    await fixture.sql(`update devices set provisioning_secret = ? where id = ?`, [rotated, device.id]);
    expect((await fetchCfg(device.mac, rotated)).statusCode).toBe(200);
    expect((await fetchCfg(device.mac, device.secret)).statusCode).toBe(401);

    const pending = await seedDevice(fixture, { mac: '001565f0f005', vendor: 'yealink', status: 'pending' });
    await putArtifact(fixture, pending.targetId, `${pending.mac}/${pending.mac}.cfg`, 'cfg\n');
    expect((await fetchCfg(pending.mac, pending.secret)).statusCode).toBe(401);
    await fixture.sql(`update devices set status = 'active' where id = ?`, [pending.id]);
    expect((await fetchCfg(pending.mac, pending.secret)).statusCode).toBe(200);
  });
});
