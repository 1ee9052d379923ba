/**
 * Rate limiting without wall-clock assertions: the per-tenant limiter's reservations are checked
 * against a fixed "now", and a tenant-wide resync of 10,000 phones is checked by the send times
 * its jobs were scheduled for (no notify worker runs here, so nothing is sent).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotifyRateLimiter } from '#src/modules/notify/jobs/rate-limiter.js';
import { notifyScheduler } from '#src/modules/notify/notify.worker.js';
import { runResync } from '#src/modules/notify/resync/resync-job.js';
import { seedTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { sql } from './support.js';

/** The most sends scheduled in any window of `windowMs` (sliding over every send time). */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe('per-tenant notify pacing', () => {
  let ctx: TestContext;
  let limiter: NotifyRateLimiter;

  beforeAll(async () => {
    ctx = await createTestContext({ PROVD_NOTIFY_RATE_PER_SECOND: '50' });
    limiter = new NotifyRateLimiter(ctx.deps.redis, ctx.config.queuePrefix);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('spaces reservations evenly at the rate, continuing where the last one stopped', async () => {
    const now = 1_000_000_000_000; // on a second boundary
    const first = await limiter.reserve('tenant-a', 120, 50, { nowMs: now });
    expect(first.slice(0, 4)).toEqual([0, 20, 40, 60]);
    expect(first.at(-1)).toBe(119 * 20);
    const next = await limiter.reserve('tenant-a', 3, 50, { nowMs: now });
    expect(next).toEqual([2400, 2420, 2440]);
    // Another tenant has its own budget.
    expect(await limiter.reserve('tenant-b', 2, 50, { nowMs: now })).toEqual([0, 20]);
  });

  it('places a retry at its own time without holding back what is due now', async () => {
    const now = 1_000_000_100_000;
    expect(await limiter.reserve('tenant-c', 1, 50, { nowMs: now, notBeforeMs: now + 60_000 })).toEqual([60_000]);
    expect(await limiter.reserve('tenant-c', 2, 50, { nowMs: now })).toEqual([0, 20]);
    // Mid-second: the places of that second before the requested time are skipped, not bunched.
    expect(await limiter.reserve('tenant-c', 2, 50, { nowMs: now, notBeforeMs: now + 60_500 })).toEqual([
      60_500, 60_520,
    ]);
  });

  it('never gives two concurrent callers the same place', async () => {
    const now = 1_000_000_200_000;
    const batches = await Promise.all(
      Array.from({ length: 20 }, () => limiter.reserve('tenant-d', 10, 50, { nowMs: now })),
    );
    const all = batches.flat();
    expect(new Set(all).size).toBe(200);
    expect(Math.max(...all)).toBe(199 * 20);
  });

  it("spreads a tenant-wide resync of 10,000 phones at the tenant's rate", async () => {
    const tenant = await seedTenant(ctx, 'big');
    await tenant.admin.put(`/api/v1/tenants/big/notifier`, { driver: 'sip' });
    await sql(
      ctx,
      `insert into devices (id, tenant_id, mac, vendor, model, provisioning_secret)
       select gen_random_uuid(), ?, '0016cc' || lpad(to_hex(g), 6, '0'), 'yealink', 'T46S', 'secret-for-tests-only' from generate_series(1, 10000) g`,
      [tenant.tenant.id],
    );
    await sql(
      ctx,
      `insert into device_last_seen (device_id, tenant_id, seen_at, ip) select id, tenant_id, now(), '192.0.2.1' from devices where tenant_id = ?`,
      [tenant.tenant.id],
    );
    const progress: unknown[] = [];
    const result = await runResync(
      { knex: ctx.deps.orm.em.getKnex(), config: ctx.config, scheduler: notifyScheduler(ctx.deps) },
      { tenantId: tenant.tenant.id, scope: 'tenant', refId: tenant.tenant.id, reboot: false },
      { progress: 0, updateProgress: async (value: unknown) => void progress.push(value) } as never,
    );
    expect(result).toEqual({ devices: 10000, renders: 10000, notifies: 10000, driver: 'sip' });
    expect(progress).toHaveLength(10);
    expect(progress.at(-1)).toMatchObject({ total: 10000, processed: 10000, notifies: 10000 });

    const jobs = (await ctx.deps.queues.get('notify').getJobs(['delayed', 'waiting'], 0, -1)).filter(
      (job) => job.name === 'notify.device',
    );
    expect(jobs).toHaveLength(10000);
    expect(
      jobs.every((job) => job.data.reason === 'admin' && job.data.attempt === 1 && job.data.reboot === false),
    ).toBe(true);
    const sendTimes = jobs.map((job) => job.timestamp + (job.opts.delay ?? 0));
    // At most 50 in any second (plus one at the window's edge), and the whole batch takes ~200 s.
    expect(busiestWindow(sendTimes, 1000)).toBeLessThanOrEqual(51);
    expect(Math.max(...sendTimes) - Math.min(...sendTimes)).toBeGreaterThanOrEqual(199_000);
    expect(jobs.filter((job) => (job.opts.delay ?? 0) === 0).length).toBeLessThanOrEqual(50);
    const states = await sql<{ n: number }>(
      ctx,
      `select count(*)::int as n from device_sync where tenant_id = ? and state = 'pending' and attempts = 0`,
      [tenant.tenant.id],
    );
    expect(states[0]!.n).toBe(10000);
  }, 120_000);

  it('queues no notify for a tenant that does not push, but still re-renders', async () => {
    const tenant = await seedTenant(ctx, 'quiet');
    const deviceId = randomUUID();
    await sql(
      ctx,
      `insert into devices (id, tenant_id, mac, vendor, provisioning_secret) values (?, ?, '0016dd000001', 'snom', 'x')`,
      [deviceId, tenant.tenant.id],
    );
    await sql(
      ctx,
      `insert into device_last_seen (device_id, tenant_id, seen_at, ip) values (?, ?, now(), '192.0.2.2')`,
      [deviceId, tenant.tenant.id],
    );
    const result = await runResync(
      { knex: ctx.deps.orm.em.getKnex(), config: ctx.config, scheduler: notifyScheduler(ctx.deps) },
      { tenantId: tenant.tenant.id, scope: 'device', refId: deviceId, reboot: true },
    );
    expect(result).toEqual({ devices: 1, renders: 1, notifies: 0, driver: 'none' });
  });
});
