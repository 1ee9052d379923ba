import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactEvents } from '#src/modules/pipeline/artifact-events.js';
import {
  FAST,
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
let events: ArtifactEvents;

beforeAll(async () => {
  fixture = await phoneFixture({ PROVD_PHONE_BAN_THRESHOLD: '100000' });
  events = new ArtifactEvents(fixture.ctx.deps.redis, fixture.ctx.config.queuePrefix);
});

afterAll(async () => {
  await fixture?.close();
});

async function fetchBody(phone: PhoneProcess, device: SeededDevice, secret = device.secret): Promise<string | number> {
  const response = await fetchWithDigest(phone.app, `/${device.mac}.cfg`, { username: device.mac, secret });
  return response.statusCode === 200 ? response.body : response.statusCode;
}

describe('cache coherence across serving processes', () => {
  it('a published artifact change is served by the next fetch on every process (pub/sub, reconcile far away)', async () => {
    const slowReconcile = { ...FAST, reconcileMs: 600_000 };
    const a = await startPhoneProcess(fixture.ctx, 'phone-a', slowReconcile);
    const b = await startPhoneProcess(fixture.ctx, 'phone-b', slowReconcile);
    try {
      const device = await seedDevice(fixture, { mac: '001565e0e001', vendor: 'yealink' });
      await putArtifact(fixture, device.targetId, `${device.mac}/${device.mac}.cfg`, 'version 1\n');
      expect(await fetchBody(a, device)).toBe('version 1\n');
      expect(await fetchBody(b, device)).toBe('version 1\n');
      for (let version = 2; version <= 4; version++) {
        // As the render worker does: write the row, then publish the target id.
        await putArtifact(fixture, device.targetId, `${device.mac}/${device.mac}.cfg`, `version ${version}\n`);
        await events.publishChanged([device.targetId]);
        await expect.poll(() => fetchBody(a, device), { timeout: 3000, interval: 10 }).toBe(`version ${version}\n`);
        await expect.poll(() => fetchBody(b, device), { timeout: 3000, interval: 10 }).toBe(`version ${version}\n`);
      }
      // A changed secret (device row change + hint) stops the old one at once on both.
      const newSecret = 'rotated-secret-canary-0042';
      await fixture.sql(`update devices set provisioning_secret = ? where id = ?`, [newSecret, device.id]);
      await events.publishDevicesChanged([device.id]);
      for (const phone of [a, b]) {
        await expect.poll(() => fetchBody(phone, device), { timeout: 3000, interval: 10 }).toBe(401);
        expect(await fetchBody(phone, device, newSecret)).toBe('version 4\n');
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('without any message, the periodic reconcile picks up changes, new devices and deletes', async () => {
    const a = await startPhoneProcess(fixture.ctx, 'phone-c');
    const b = await startPhoneProcess(fixture.ctx, 'phone-d');
    try {
      const device = await seedDevice(fixture, { mac: '001565e0e002', vendor: 'yealink' });
      await putArtifact(fixture, device.targetId, `${device.mac}/${device.mac}.cfg`, 'first\n');
      expect(await fetchBody(a, device)).toBe('first\n');
      expect(await fetchBody(b, device)).toBe('first\n');
      await putArtifact(fixture, device.targetId, `${device.mac}/${device.mac}.cfg`, 'second\n');
      for (const phone of [a, b])
        await expect.poll(() => fetchBody(phone, device), { timeout: 5000, interval: 50 }).toBe('second\n');

      // A MAC first seen as unknown becomes servable once the device exists.
      const lateMac = '001565e0e003';
      const unknown = await fetchWithDigest(a.app, `/${lateMac}.cfg`, {
        username: lateMac,
        secret: 'late-secret-canary',
      });
      expect(unknown.statusCode).toBe(401);
      const late = await seedDevice(fixture, { mac: lateMac, vendor: 'yealink', secret: 'late-secret-canary' });
      await putArtifact(fixture, late.targetId, `${lateMac}/${lateMac}.cfg`, 'late\n');
      await expect.poll(() => fetchBody(a, late), { timeout: 5000, interval: 50 }).toBe('late\n');

      // Deleted rows (no hint at all) disappear from every process.
      await fixture.sql(`delete from artifacts where serve_path = ?`, [`${device.mac}/${device.mac}.cfg`]);
      for (const phone of [a, b])
        await expect.poll(() => fetchBody(phone, device), { timeout: 5000, interval: 50 }).toBe(404);
      await fixture.sql(`update devices set status = 'disabled' where id = ?`, [late.id]);
      for (const phone of [a, b])
        await expect.poll(() => fetchBody(phone, late), { timeout: 5000, interval: 50 }).toBe(401);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
