/**
 * Push resync end to end: a render that changes a device's hash queues a notify, the notify
 * worker sends the vendor's NOTIFY with the `sip` driver, and SIPp (test/fixtures/sipp/) plays the
 * phone. The sync window is long here, so "notified" stays put; retries have their own file.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENDOR_FAMILIES } from '#src/model/directory/vendor-family.js';
import { VENDOR_REGISTRY } from '#src/modules/vendors/registry.js';
import { apiClient, createToken, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { eventually } from '../../helpers/eventually.js';
import { ensureSipp, startSippUas, type ReceivedMessage, type SippUas } from '../../helpers/sipp.js';
import {
  bumpDevices,
  recordCurrentFetches,
  relayCapturedChanges,
  seedDevice,
  sql,
  startNotifyWorkers,
  syncRow,
} from './support.js';

const header = (message: ReceivedMessage, name: string) =>
  new RegExp(`^${name}:[ \\t]*(.*?)\\r?$`, 'im').exec(message.raw.split(/\r?\n\r?\n/)[0]!)?.[1];
const body = (message: ReceivedMessage) =>
  message.raw.slice(message.raw.search(/\r?\n\r?\n/)).replace(/^\r?\n\r?\n/, '');
const notifiesTo = (uas: SippUas, user: string) =>
  uas.received().filter((m) => m.raw.startsWith(`NOTIFY sip:${user}@`));
const callIds = (messages: ReceivedMessage[]) => new Set(messages.map((m) => header(m, 'Call-ID')));

// What each family's definition says it takes (the wire values themselves are pinned once, in
// test/unit/notify/resync-events.test.ts): a new family is covered here without editing this file.
const EXPECTED = Object.fromEntries(VENDOR_FAMILIES.map((vendor) => [vendor, VENDOR_REGISTRY[vendor].resync]));

describe('hash change → sip NOTIFY → SIPp', () => {
  let ctx: TestContext;
  let uas: SippUas;
  let tenant: SeededTenant;
  let running: ReturnType<typeof startNotifyWorkers>;
  const contact = (user: string) => `sip:${user}@${uas.host}:${uas.port}`;

  beforeAll(async () => {
    ensureSipp();
    ctx = await createTestContext({
      PROVD_NOTIFY_SIP_T1_MS: '50',
      PROVD_NOTIFY_RATE_PER_SECOND: '1000',
      PROVD_NOTIFY_SYNC_TIMEOUT_MS: '600000',
    });
    uas = await startSippUas('notify-200', 'udp');
    tenant = await seedTenant(ctx, 'push');
    expect(
      (await tenant.admin.put(`/api/v1/tenants/push/notifier`, { driver: 'sip', sip: { transport: 'udp' } })).status,
    ).toBe(200);
    running = startNotifyWorkers(ctx);
  }, 600_000);
  afterAll(async () => {
    await running?.close();
    await uas?.stop();
    await ctx?.close();
  });

  it('sends each vendor its own Event (and body), a 200 completes the job and the device is notified', async () => {
    const devices = await Promise.all(
      VENDOR_FAMILIES.map(async (vendor, i) => ({
        vendor,
        user: `v${i}`,
        ...(await seedDevice(ctx, tenant.tenant.id, { vendor, sipContact: `sip:v${i}@${uas.host}:${uas.port}` })),
      })),
    );
    await bumpDevices(
      ctx,
      tenant.tenant.id,
      devices.map((device) => device.id),
    );

    for (const device of devices) {
      const received = await eventually(
        async () => notifiesTo(uas, device.user),
        (list) => list.length > 0,
      );
      expect(received.length, device.vendor).toBeGreaterThan(0);
      expect(header(received[0]!, 'Event'), device.vendor).toBe(EXPECTED[device.vendor]!.event);
      if (EXPECTED[device.vendor]!.body) {
        expect(header(received[0]!, 'Content-Type')).toBe('text/plain');
        expect(body(received[0]!)).toBe(EXPECTED[device.vendor]!.body);
      } else {
        expect(Number(header(received[0]!, 'Content-Length'))).toBe(0);
      }
      const state = await eventually(
        () => syncRow(ctx, device.id),
        (row) => row?.state === 'notified',
      );
      expect(state).toMatchObject({ state: 'notified', attempts: 1, last_outcome: '200 OK' });
      const view = await tenant.viewer.get(`/api/v1/tenants/push/devices/${device.id}/sync`);
      expect(view.body).toMatchObject({ deviceId: device.id, state: 'notified', attempts: 1, lastOutcome: '200 OK' });
      expect(view.body.renderedHash).toMatch(/^[0-9a-f]{64}$/);
    }
    const completed = await ctx.deps.queues.get('notify').getJobs(['completed']);
    const first = completed.filter((job) => job.name === 'notify.device' && job.data.attempt === 1);
    expect(first).toHaveLength(devices.length);
    expect(first.every((job) => job.returnvalue?.status === 'notified')).toBe(true);
    // The check after the sync window is queued, not due for ten minutes.
    const checks = await ctx.deps.queues.get('notify').getJobs(['delayed']);
    expect(checks.filter((job) => job.data.attempt === 2).length).toBe(devices.length);

    const metrics = await ctx.deps.metrics.registry.metrics();
    expect(metrics).toMatch(/provd_notify_outcomes_total\{[^}]*driver="sip"[^}]*result="ok"[^}]*\} 8/);
  });

  it('a recorded fetch of the current files makes the device in-sync', async () => {
    const device = await seedDevice(ctx, tenant.tenant.id, { sipContact: contact('fetcher') });
    await bumpDevices(ctx, tenant.tenant.id, [device.id]);
    await eventually(
      () => syncRow(ctx, device.id),
      (row) => row?.state === 'notified',
    );
    expect((await tenant.viewer.get(`/api/v1/tenants/push/devices/${device.id}/sync`)).body.state).toBe('notified');
    expect(await recordCurrentFetches(ctx, device.id)).toBe(1);
    const view = await tenant.viewer.get(`/api/v1/tenants/push/devices/${device.id}/sync`);
    expect(view.body).toMatchObject({ state: 'in-sync', lastFetchedHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const summary = await tenant.viewer.get(`/api/v1/tenants/push/sync/summary`);
    expect(summary.body.inSync).toBeGreaterThanOrEqual(1);
    const listed = await tenant.viewer.get(`/api/v1/tenants/push/devices/sync?state=in-sync`);
    expect(listed.body.items.map((item: { deviceId: string }) => item.deviceId)).toContain(device.id);
  });

  it('a change the API accepted makes its phone pending at once, before the relay ran; a contact does not', async () => {
    const groupId = (await tenant.admin.post('/api/v1/tenants/push/groups', { name: 'Desks' })).body.id;
    const account = await tenant.admin.post('/api/v1/tenants/push/accounts', {
      groupId,
      extension: '2100',
      displayName: 'Desk',
    });
    expect(account.status).toBe(201);
    const device = await seedDevice(ctx, tenant.tenant.id, { sipContact: contact('desk') });
    await sql(
      ctx,
      `insert into device_lines (id, tenant_id, device_id, line_index, account_id) values (?, ?, ?, 1, ?)`,
      [randomUUID(), tenant.tenant.id, device.id, account.body.id],
    );
    await bumpDevices(ctx, tenant.tenant.id, [device.id]);
    await eventually(
      () => syncRow(ctx, device.id),
      (row) => row?.state === 'notified',
    );
    await recordCurrentFetches(ctx, device.id);
    const state = async () =>
      (await tenant.viewer.get(`/api/v1/tenants/push/devices/${device.id}/sync`)).body.state as string;
    expect(await state()).toBe('in-sync');

    // Contacts reach phonebook files only, which the device state does not cover.
    expect(
      (
        await tenant.admin.post('/api/v1/tenants/push/contacts', {
          firstName: 'Supplier',
          numbers: [{ type: 'work', number: '+4930123456' }],
        })
      ).status,
    ).toBe(201);
    expect(await state()).toBe('in-sync');

    // No relay runs in this file: the change waits in the outbox and the target's generation has not moved.
    expect(
      (await tenant.admin.patch(`/api/v1/tenants/push/accounts/${account.body.id}`, { displayName: 'Front desk' }))
        .status,
    ).toBe(200);
    expect(await state()).toBe('pending');
    const listed = await tenant.viewer.get(`/api/v1/tenants/push/devices/sync?state=pending`);
    expect(listed.body.items.map((item: { deviceId: string }) => item.deviceId)).toContain(device.id);
    expect((await tenant.viewer.get(`/api/v1/tenants/push/sync/summary`)).body.pending).toBeGreaterThanOrEqual(1);

    // Relayed and re-rendered: the stand-in renderer's bytes do not depend on the account, so the
    // files the phone fetched are current again.
    await relayCapturedChanges(ctx);
    await eventually(state, (value) => value === 'in-sync');
  });

  it('notifies nothing when a re-render produces the same bytes', async () => {
    const device = await seedDevice(ctx, tenant.tenant.id, { sipContact: contact('steady') });
    await bumpDevices(ctx, tenant.tenant.id, [device.id]);
    await eventually(
      async () => notifiesTo(uas, 'steady'),
      (list) => list.length > 0,
    );
    await eventually(
      () => syncRow(ctx, device.id),
      (row) => row?.state === 'notified',
    );
    const before = callIds(notifiesTo(uas, 'steady')).size;
    const deviceJobs = async () =>
      (await ctx.deps.queues.get('notify').getJobs(['completed', 'waiting', 'delayed', 'active'])).filter(
        (job) => job.data.deviceId === device.id,
      ).length;
    // The notify (completed) and the check after the sync window (delayed).
    const jobsBefore = await eventually(deviceJobs, (n) => n === 2);
    expect(jobsBefore).toBe(2);

    await bumpDevices(ctx, tenant.tenant.id, [device.id]);
    const [target] = await eventually(
      () =>
        sql<{ rendered_gen: string; desired_gen: string }>(
          ctx,
          `select rendered_gen, desired_gen from render_targets where target_key = ?`,
          [`device:${device.id}`],
        ),
      (rows) => rows[0]?.rendered_gen === rows[0]?.desired_gen && rows[0]?.desired_gen === '2',
    );
    expect(target).toEqual({ rendered_gen: '2', desired_gen: '2' });
    expect(await deviceJobs()).toBe(jobsBefore);
    expect(callIds(notifiesTo(uas, 'steady')).size).toBe(before);

    // A real change does notify again.
    await sql(ctx, `update devices set model = 'T48S' where id = ?`, [device.id]);
    await bumpDevices(ctx, tenant.tenant.id, [device.id]);
    const again = await eventually(
      async () => callIds(notifiesTo(uas, 'steady')).size,
      (n) => n === before + 1,
    );
    expect(again).toBe(before + 1);
  });

  it('does not queue notifies for devices that were never seen and have no contact', async () => {
    const device = await seedDevice(ctx, tenant.tenant.id, {});
    await bumpDevices(ctx, tenant.tenant.id, [device.id]);
    await eventually(
      () =>
        sql<{ n: string }>(
          ctx,
          `select count(*)::text as n from render_targets where target_key = ? and rendered_gen = desired_gen`,
          [`device:${device.id}`],
        ),
      (rows) => rows[0]?.n === '1',
    );
    const jobs = (await ctx.deps.queues.get('notify').getJobs(['completed', 'waiting', 'delayed', 'active'])).filter(
      (job) => job.data.deviceId === device.id,
    );
    expect(jobs).toHaveLength(0);
    expect((await tenant.viewer.get(`/api/v1/tenants/push/devices/${device.id}/sync`)).body.state).toBe('never-seen');
  });

  it("keeps one tenant's sync state from another", async () => {
    const other = await seedTenant(ctx, 'push-other');
    const device = await seedDevice(ctx, tenant.tenant.id, { sipContact: contact('private') });
    expect((await other.admin.get(`/api/v1/tenants/push/devices/${device.id}/sync`)).status).toBe(404);
    expect((await other.admin.get(`/api/v1/tenants/push-other/devices/${device.id}/sync`)).status).toBe(404);
    const list = await other.viewer.get(`/api/v1/tenants/push-other/devices/sync`);
    expect(list.body).toMatchObject({ items: [], total: 0 });
    const platform = apiClient(ctx, await createToken(ctx, 'platform', null));
    expect((await platform.get(`/api/v1/tenants/push/devices/${device.id}/sync`)).status).toBe(200);
  });
});
