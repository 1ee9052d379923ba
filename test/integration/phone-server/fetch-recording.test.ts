import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAST,
  fetchWithDigest,
  phoneFixture,
  putArtifact,
  seedDevice,
  startPhoneProcess,
  type PhoneFixture,
} from './support.js';

let fixture: PhoneFixture;

beforeAll(async () => {
  fixture = await phoneFixture({ PROVD_PHONE_BAN_THRESHOLD: '100000' });
});

afterAll(async () => {
  await fixture?.close();
});

const UA = 'FileTransport PolycomVVX-VVX_450-UA/6.4.6.2578 Type/Application';

describe('fetch recording', () => {
  it('buffers served files in memory and writes them in one batch (device_fetches, device_last_seen)', async () => {
    const phone = await startPhoneProcess(fixture.ctx, 'phone-batch', { ...FAST, flushMs: 600_000 });
    try {
      const devices = [];
      for (let i = 0; i < 5; i++) {
        const mac = `0004f2f0000${i}`;
        const device = await seedDevice(fixture, { mac, vendor: 'poly', model: 'VVX450' });
        await putArtifact(
          fixture,
          device.targetId,
          `${mac}/${mac}.cfg`,
          `master ${i}\n`,
          'text/xml; charset=utf-8',
          false,
        );
        await putArtifact(
          fixture,
          device.targetId,
          `${mac}/${mac}-phone.cfg`,
          `phone ${i}\n`,
          'text/xml; charset=utf-8',
        );
        devices.push(device);
      }
      for (const device of devices) {
        for (const name of [`${device.mac}.cfg`, `${device.mac}-phone.cfg`]) {
          const response = await fetchWithDigest(
            phone.app,
            `/${name}`,
            { username: device.mac, secret: device.secret },
            { ip: '192.0.2.50', userAgent: UA },
          );
          expect(response.statusCode).toBe(200);
        }
      }
      // Nothing written per request: everything waits in the buffer.
      const ids = devices.map((device) => device.id);
      expect((await fixture.sql(`select 1 from device_fetches where device_id = any(?::uuid[])`, [ids])).length).toBe(
        0,
      );
      expect(phone.server.recorder.pendingCount).toBe(10);
      await phone.server.recorder.flush();
      const fetches = await fixture.sql<{ device_id: string; serve_path: string; sha256: string }>(
        `select device_id::text as device_id, serve_path, sha256 from device_fetches where device_id = any(?::uuid[]) order by serve_path`,
        [ids],
      );
      expect(fetches).toHaveLength(10);
      const artifacts = await fixture.sql<{ serve_path: string; sha256: string }>(
        `select serve_path, sha256 from artifacts where serve_path = any(?::text[])`,
        [fetches.map((row) => row.serve_path)],
      );
      const hashes = new Map(artifacts.map((row) => [row.serve_path, row.sha256]));
      for (const row of fetches) expect(row.sha256).toBe(hashes.get(row.serve_path));
      const seen = await fixture.sql<{
        ip: string;
        user_agent: string;
        firmware: string;
        model: string;
        file: string;
        served_hash: string;
      }>(`select ip, user_agent, firmware, model, file, served_hash from device_last_seen where device_id = ?`, [
        devices[0]!.id,
      ]);
      expect(seen[0]).toMatchObject({
        ip: '192.0.2.50',
        user_agent: UA,
        firmware: '6.4.6.2578',
        model: 'VVX450',
        file: '0004f2f00000-phone.cfg',
        served_hash: hashes.get('0004f2f00000/0004f2f00000-phone.cfg'),
      });
      // The reported firmware lands beside the device, never in the devices row (change capture watches it).
      expect(
        (
          await fixture.sql<{ firmware: string | null }>(`select firmware from devices where id = ?`, [devices[0]!.id])
        )[0]!.firmware,
      ).toBeNull();
      // …and the admin API shows it: on the device, in its last fetch, and as list filters.
      const base = `/api/v1/tenants/${fixture.tenantSlug}/devices`;
      const view = await fixture.admin.get(`${base}/${devices[0]!.id}`);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({
        model: 'VVX450',
        firmware: '6.4.6.2578',
        lastSeen: { firmware: '6.4.6.2578', model: 'VVX450' },
      });
      const byFirmware = await fixture.admin.get(`${base}?firmware=6.4.6.2578&limit=100`);
      expect(byFirmware.status).toBe(200);
      expect(byFirmware.body.items.map((item: { id: string }) => item.id).sort()).toEqual([...ids].sort());
      expect((await fixture.admin.get(`${base}?firmware=1.0.0`)).body.total).toBe(0);
      expect((await fixture.admin.get(`${base}?model=vvx450&limit=100`)).body.total).toBeGreaterThanOrEqual(5);
    } finally {
      await phone.close();
    }
  });

  it('records 304 answers with the current hash, flushes on its timer and on stop, and skips deleted devices', async () => {
    const phone = await startPhoneProcess(fixture.ctx, 'phone-timer');
    const device = await seedDevice(fixture, { mac: '0004f2f00010', vendor: 'poly' });
    const gone = await seedDevice(fixture, { mac: '0004f2f00011', vendor: 'poly' });
    const hash = await putArtifact(fixture, device.targetId, '0004f2f00010/0004f2f00010.cfg', 'x\n');
    await putArtifact(fixture, gone.targetId, '0004f2f00011/0004f2f00011.cfg', 'y\n');
    try {
      const response = await fetchWithDigest(
        phone.app,
        '/0004f2f00010.cfg',
        { username: device.mac, secret: device.secret },
        { headers: { 'if-none-match': `"${hash}"` } },
      );
      expect(response.statusCode).toBe(304);
      await expect
        .poll(
          async () =>
            (
              await fixture.sql<{ sha256: string }>(`select sha256 from device_fetches where device_id = ?`, [
                device.id,
              ])
            )[0]?.sha256,
          { timeout: 5000 },
        )
        .toBe(hash);
      expect(
        (await fetchWithDigest(phone.app, '/0004f2f00011.cfg', { username: gone.mac, secret: gone.secret })).statusCode,
      ).toBe(200);
      await fixture.sql(`delete from devices where id = ?`, [gone.id]);
      expect(
        (await fetchWithDigest(phone.app, '/0004f2f00010.cfg', { username: device.mac, secret: device.secret }))
          .statusCode,
      ).toBe(200);
    } finally {
      await phone.close();
    }
    const rows = await fixture.sql<{ device_id: string }>(
      `select device_id::text as device_id from device_last_seen where device_id = any(?::uuid[])`,
      [[device.id, gone.id]],
    );
    expect(rows.map((row) => row.device_id)).toEqual([device.id]);
    expect(fixture.ctx.logs.join('')).not.toContain('fetch records not written');
  });
});
