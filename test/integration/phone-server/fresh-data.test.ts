import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../helpers/api.js';
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
