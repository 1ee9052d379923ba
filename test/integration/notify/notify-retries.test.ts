/**
 * The retry half of a notify round, with small windows: a phone that does not answer is asked
 * again after the backoff and then marked stale with the reason; a phone that answers but never
 * fetches is asked again after the sync window and then marked stale too; one that fetches in
 * between is in-sync and asked nothing more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { eventually } from '../../helpers/eventually.js';
import { ensureSipp, startSippUas, type ReceivedMessage, type SippUas } from '../../helpers/sipp.js';
import { bumpDevices, recordCurrentFetches, seedDevice, startNotifyWorkers, syncRow } from './support.js';

const callIds = (messages: ReceivedMessage[]) =>
  new Set(messages.map((m) => /^Call-ID:\s*(.*?)\r?$/im.exec(m.raw)?.[1]));
const notifiesTo = (uas: SippUas, user: string) =>
  uas.received().filter((m) => m.raw.startsWith(`NOTIFY sip:${user}@`));

describe('notify retries, stale and in-sync', () => {
  let ctx: TestContext;
  let answering: SippUas;
  let silent: SippUas;
  let tenant: SeededTenant;
  let running: ReturnType<typeof startNotifyWorkers>;

  beforeAll(async () => {
    ensureSipp();
    ctx = await createTestContext({
      // Timer F = 64·T1 = 1.6 s per unanswered NOTIFY.
      PROVD_NOTIFY_SIP_T1_MS: '25',
      PROVD_NOTIFY_RATE_PER_SECOND: '1000',
      PROVD_NOTIFY_SYNC_TIMEOUT_MS: '400',
      PROVD_NOTIFY_RETRY_BACKOFF_MS: '100',
      PROVD_NOTIFY_MAX_ATTEMPTS: '2',
    });
    [answering, silent] = await Promise.all([startSippUas('notify-200', 'udp'), startSippUas('notify-silent', 'udp')]);
    tenant = await seedTenant(ctx, 'retry');
    await tenant.admin.put(`/api/v1/tenants/retry/notifier`, { driver: 'sip' });
    running = startNotifyWorkers(ctx);
  }, 600_000);
  afterAll(async () => {
    await running?.close();
    await answering?.stop();
    await silent?.stop();
    await ctx?.close();
  });

  it('a phone that never answers is retried, then stale with the reason', async () => {
    const device = await seedDevice(ctx, tenant.tenant.id, { sipContact: `sip:mute@${silent.host}:${silent.port}` });
    await bumpDevices(ctx, tenant.tenant.id, [device.id]);
    const row = await eventually(
      () => syncRow(ctx, device.id),
      (r) => r?.state === 'stale',
      30_000,
    );
    expect(row).toMatchObject({
      state: 'stale',
      attempts: 2,
      last_outcome: 'timeout',
      stale_reason: 'timeout (after 2 attempts)',
    });
    // Two NOTIFY transactions, each retransmitted over UDP per RFC 3261 timers.
    const received = notifiesTo(silent, 'mute');
    expect(callIds(received).size).toBe(2);
    expect(received.length).toBeGreaterThan(2);
    const view = await tenant.viewer.get(`/api/v1/tenants/retry/devices/${device.id}/sync`);
    expect(view.body).toMatchObject({ state: 'stale', staleReason: 'timeout (after 2 attempts)', attempts: 2 });
    const stale = await tenant.viewer.get(`/api/v1/tenants/retry/devices/sync?state=stale`);
    expect(stale.body.items).toEqual([
      expect.objectContaining({ deviceId: device.id, mac: device.mac, state: 'stale' }),
    ]);
    expect(stale.body.total).toBe(1);
  });

  it('a phone that answers but never fetches is notified again after the sync window, then stale', async () => {
    const device = await seedDevice(ctx, tenant.tenant.id, {
      sipContact: `sip:lazy@${answering.host}:${answering.port}`,
    });
    await bumpDevices(ctx, tenant.tenant.id, [device.id]);
    const row = await eventually(
      () => syncRow(ctx, device.id),
      (r) => r?.state === 'stale',
      30_000,
    );
    expect(row).toMatchObject({
      state: 'stale',
      attempts: 2,
      last_outcome: '200 OK',
      stale_reason: 'not in sync after 2 notifies (last: 200 OK)',
    });
    expect(callIds(notifiesTo(answering, 'lazy')).size).toBe(2);
  });

  it('a phone that fetches after the notify is in-sync and not asked again', async () => {
    const device = await seedDevice(ctx, tenant.tenant.id, {
      sipContact: `sip:eager@${answering.host}:${answering.port}`,
    });
    await bumpDevices(ctx, tenant.tenant.id, [device.id]);
    // The phone fetches well inside the 400 ms window (polled every 10 ms).
    await eventually(
      () => syncRow(ctx, device.id),
      (r) => r?.state === 'notified',
      10_000,
      10,
    );
    await recordCurrentFetches(ctx, device.id);
    const row = await eventually(
      () => syncRow(ctx, device.id),
      (r) => r?.state === 'in-sync',
      10_000,
    );
    expect(row).toMatchObject({ state: 'in-sync', attempts: 1 });
    expect(callIds(notifiesTo(answering, 'eager')).size).toBe(1);
    const summary = await tenant.viewer.get(`/api/v1/tenants/retry/sync/summary`);
    expect(summary.body).toEqual({
      inSync: 1,
      pending: 0,
      notified: 0,
      stale: 2,
      neverSeen: 0,
      renderFailed: 0,
      total: 3,
      notifier: 'sip',
    });
  });
});
