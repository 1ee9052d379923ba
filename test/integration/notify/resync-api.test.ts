/**
 * Admin resync through the API: 202 with a job id, the job's state and progress for its own tenant
 * only, Idempotency-Key replays, the reboot variant only when asked — SIPp plays the phone — and
 * the platform-only queue dashboard.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createToken, seedTenant, type ApiClient, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { eventually } from '../../helpers/eventually.js';
import { ensureSipp, startSippUas, type ReceivedMessage, type SippUas } from '../../helpers/sipp.js';
import { bumpDevices, seedDevice, sql, startNotifyWorkers } from './support.js';

const eventOf = (message: ReceivedMessage) => /^Event:\s*(.*?)\r?$/im.exec(message.raw)?.[1];
const notifiesTo = (uas: SippUas, user: string) => {
  const byCall = new Map<string, ReceivedMessage>();
  for (const m of uas.received().filter((m) => m.raw.startsWith(`NOTIFY sip:${user}@`)))
    byCall.set(/^Call-ID:\s*(.*?)\r?$/im.exec(m.raw)![1]!, m);
  return [...byCall.values()];
};

describe('admin resync API', () => {
  let ctx: TestContext;
  let uas: SippUas;
  let tenant: SeededTenant;
  let platform: ApiClient;
  let running: ReturnType<typeof startNotifyWorkers>;
  /** POST with a bearer token and, optionally, an Idempotency-Key header. */
  const post = (token: string, url: string, body: unknown, key?: string) =>
    ctx.admin
      .inject({
        method: 'POST',
        url,
        payload: body as object,
        headers: { authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
      })
      .then((response) => ({ status: response.statusCode, body: response.json(), headers: response.headers }));

  /**
   * A device already rendered once (its first render is a hash change and would notify by
   * itself), then given a SIP contact: from here on only resyncs and real changes notify it.
   */
  async function renderedDevice(user: string): Promise<{ id: string; mac: string }> {
    const device = await seedDevice(ctx, tenant.tenant.id, {});
    await bumpDevices(ctx, tenant.tenant.id, [device.id]);
    await eventually(
      () =>
        sql<{ ok: boolean }>(ctx, `select rendered_gen = desired_gen as ok from render_targets where target_key = ?`, [
          `device:${device.id}`,
        ]),
      (rows) => rows[0]?.ok === true,
    );
    // The render job's hash hook runs after rendered_gen is committed and reads reachability then:
    // a contact set before the job finished would get its own hash-changed NOTIFY on top of the
    // resync's. Wait until the render queue is idle.
    await eventually(
      () => ctx.deps.queues.get('render').getJobCounts('waiting', 'active', 'delayed'),
      (counts) => counts.waiting + counts.active + counts.delayed === 0,
    );
    await sql(ctx, `update devices set overrides = ?::jsonb where id = ?`, [
      JSON.stringify({ sipContact: `sip:${user}@${uas.host}:${uas.port}` }),
      device.id,
    ]);
    return device;
  }

  beforeAll(async () => {
    ensureSipp();
    // The default T1 (500 ms, Timer F 32 s): with T1 = 50 ms a loaded machine's late 200 OK timed
    // the first transaction out and the retry sent a second NOTIFY with a new Call-ID.
    ctx = await createTestContext({ PROVD_NOTIFY_RATE_PER_SECOND: '1000', PROVD_NOTIFY_SYNC_TIMEOUT_MS: '600000' });
    uas = await startSippUas('notify-200', 'udp');
    tenant = await seedTenant(ctx, 'ops');
    platform = apiClient(ctx, await createToken(ctx, 'platform', null));
    await tenant.admin.put(`/api/v1/tenants/ops/notifier`, { driver: 'sip' });
    running = startNotifyWorkers(ctx);
  }, 600_000);
  afterAll(async () => {
    await running?.close();
    await uas?.stop();
    await ctx?.close();
  });

  it('resyncs one device with its normal event, and with the reboot variant only when asked', async () => {
    const device = await renderedDevice('desk');
    const plain = await post(tenant.tokens.admin, `/api/v1/tenants/ops/devices/${device.id}/resync`, {});
    expect(plain.status).toBe(202);
    expect(plain.body).toEqual({
      jobId: expect.stringMatching(/^resync-/),
      replayed: false,
      notifier: 'sip',
      warnings: [],
    });
    expect(plain.headers.location).toBe(`/api/v1/jobs/${plain.body.jobId}`);
    await eventually(
      async () => notifiesTo(uas, 'desk'),
      (list) => list.length === 1,
    );
    expect(notifiesTo(uas, 'desk').map(eventOf)).toEqual(['check-sync']);

    const reboot = await post(tenant.tokens.admin, `/api/v1/tenants/ops/devices/${device.id}/resync`, { reboot: true });
    expect(reboot.status).toBe(202);
    await eventually(
      async () => notifiesTo(uas, 'desk'),
      (list) => list.length === 2,
    );
    expect(notifiesTo(uas, 'desk').map(eventOf)).toEqual(['check-sync', 'check-sync;reboot=true']);

    const job = await eventually(
      () => tenant.viewer.get(`/api/v1/jobs/${reboot.body.jobId}`),
      (r) => r.body?.state === 'completed',
    );
    expect(job.body).toMatchObject({
      id: reboot.body.jobId,
      name: 'notify.resync',
      state: 'completed',
      result: { devices: 1, notifies: 1, renders: 1, driver: 'sip' },
    });
    expect(job.body.progress).toMatchObject({ total: 1, processed: 1, notifies: 1 });
    // Both resyncs re-rendered the device; the bytes did not change, so the hash path added no NOTIFY.
    const [target] = await eventually(
      () =>
        sql<{ desired_gen: string; rendered_gen: string }>(
          ctx,
          `select desired_gen, rendered_gen from render_targets where target_key = ?`,
          [`device:${device.id}`],
        ),
      (rows) => rows[0]?.rendered_gen === '3',
    );
    expect(target).toEqual({ desired_gen: '3', rendered_gen: '3' });
    expect(notifiesTo(uas, 'desk')).toHaveLength(2);
  });

  it('accepts a bodiless POST and refuses unknown body fields', async () => {
    const device = await seedDevice(ctx, tenant.tenant.id, {});
    const bare = await ctx.admin.inject({
      method: 'POST',
      url: `/api/v1/tenants/ops/devices/${device.id}/resync`,
      headers: { authorization: `Bearer ${tenant.tokens.admin}` },
    });
    expect(bare.statusCode).toBe(202);
    expect(
      (await post(tenant.tokens.admin, `/api/v1/tenants/ops/devices/${device.id}/resync`, { reboot: 'yes' })).status,
    ).toBe(400);
    expect(
      (await post(tenant.tokens.admin, `/api/v1/tenants/ops/devices/${device.id}/resync`, { force: true })).status,
    ).toBe(400);
    expect((await post(tenant.tokens.viewer, `/api/v1/tenants/ops/devices/${device.id}/resync`, {})).status).toBe(403);
    expect((await post(tenant.tokens.admin, `/api/v1/tenants/ops/devices/${randomUUID()}/resync`, {})).status).toBe(
      404,
    );
  });

  it('honours Idempotency-Key: same key and route → same job, no second effect; another body → 409', async () => {
    const device = await renderedDevice('idem');
    const url = `/api/v1/tenants/ops/devices/${device.id}/resync`;
    const first = await post(tenant.tokens.admin, url, {}, 'key-1');
    const second = await post(tenant.tokens.admin, url, {}, 'key-1');
    expect(first.status).toBe(202);
    expect(second).toMatchObject({ status: 202, body: { jobId: first.body.jobId, replayed: true } });
    await eventually(
      () => tenant.admin.get(`/api/v1/jobs/${first.body.jobId}`),
      (r) => r.body?.state === 'completed',
    );
    const resyncJobs = (
      await ctx.deps.queues.get('notify').getJobs(['completed', 'waiting', 'active', 'delayed'])
    ).filter((job) => job.name === 'notify.resync' && job.data.refId === device.id);
    expect(resyncJobs).toHaveLength(1);
    await eventually(
      async () => notifiesTo(uas, 'idem'),
      (list) => list.length === 1,
    );
    expect(notifiesTo(uas, 'idem')).toHaveLength(1);

    expect((await post(tenant.tokens.admin, url, { reboot: true }, 'key-1')).body.code).toBe('idempotency_key_reused');
    const otherRoute = await post(tenant.tokens.admin, `/api/v1/tenants/ops/resync`, {}, 'key-1');
    expect(otherRoute.status).toBe(202);
    expect(otherRoute.body.jobId).not.toBe(first.body.jobId);
    await eventually(
      () => tenant.admin.get(`/api/v1/jobs/${otherRoute.body.jobId}`),
      (r) => r.body?.state === 'completed',
    );
    expect((await post(tenant.tokens.admin, url, {}, 'bad key with spaces')).body.code).toBe('idempotency_key_invalid');
  });

  it("resyncs a group's devices (home accounts and extra members) and the whole tenant", async () => {
    const [home, extraGroup, accountA, accountB] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await sql(ctx, `insert into groups (id, tenant_id, name) values (?, ?, 'home'), (?, ?, 'extra')`, [
      home,
      tenant.tenant.id,
      extraGroup,
      tenant.tenant.id,
    ]);
    await sql(
      ctx,
      `insert into accounts (id, tenant_id, home_group_id, extension, sip_username, sip_password, display_name) values (?, ?, ?, '2001', '2001', 'x', 'A'), (?, ?, ?, '2002', '2002', 'x', 'B')`,
      [accountA, tenant.tenant.id, home, accountB, tenant.tenant.id, extraGroup],
    );
    await sql(ctx, `insert into group_members (id, tenant_id, group_id, account_id) values (?, ?, ?, ?)`, [
      randomUUID(),
      tenant.tenant.id,
      home,
      accountB,
    ]);
    const onA = await renderedDevice('ga');
    const onB = await renderedDevice('gb');
    await renderedDevice('go');
    for (const [device, account] of [
      [onA, accountA],
      [onB, accountB],
    ] as const) {
      await sql(
        ctx,
        `insert into device_lines (id, tenant_id, device_id, line_index, account_id) values (?, ?, ?, 1, ?)`,
        [randomUUID(), tenant.tenant.id, device.id, account],
      );
    }
    // The line inserts re-render both devices and may notify them on their own (hash changed):
    // let that settle and count the resync's notifies on top of it.
    const settled = async () => {
      const lagging = await sql<{ n: number }>(
        ctx,
        `select count(*)::int as n from render_targets where rendered_gen < desired_gen and target_key in (?, ?)`,
        [`device:${onA.id}`, `device:${onB.id}`],
      );
      const pending = await ctx.deps.queues.get('notify').getJobCounts('waiting', 'active', 'delayed');
      return lagging[0]!.n === 0 && pending.waiting + pending.active + pending.delayed === 0;
    };
    await eventually(settled, (ok) => ok, 30000);
    const before = [notifiesTo(uas, 'ga').length, notifiesTo(uas, 'gb').length];
    const group = await post(tenant.tokens.admin, `/api/v1/tenants/ops/groups/${home}/resync`, {});
    expect(group.status).toBe(202);
    const done = await eventually(
      () => tenant.admin.get(`/api/v1/jobs/${group.body.jobId}`),
      (r) => r.body?.state === 'completed',
    );
    expect(done.body.result).toMatchObject({ devices: 2, notifies: 2 });
    const expected = [before[0]! + 1, before[1]! + 1];
    const reached = await eventually(
      async () => [notifiesTo(uas, 'ga').length, notifiesTo(uas, 'gb').length],
      ([a, b]) => a === expected[0] && b === expected[1],
    );
    expect(reached).toEqual(expected);
    expect(notifiesTo(uas, 'go')).toHaveLength(0);

    const all = await post(tenant.tokens.admin, `/api/v1/tenants/ops/resync`, {});
    const finished = await eventually(
      () => tenant.admin.get(`/api/v1/jobs/${all.body.jobId}`),
      (r) => r.body?.state === 'completed',
    );
    const [{ n }] = await sql<{ n: number }>(ctx, `select count(*)::int as n from devices where tenant_id = ?`, [
      tenant.tenant.id,
    ]);
    expect(finished.body.result.devices).toBe(n);
    await eventually(
      async () => notifiesTo(uas, 'go'),
      (list) => list.length === 1,
    );
  }, 180000);

  it('shows a job only to its own tenant (and the platform)', async () => {
    const device = await seedDevice(ctx, tenant.tenant.id, {});
    const { body } = await post(tenant.tokens.admin, `/api/v1/tenants/ops/devices/${device.id}/resync`, {});
    const other = await seedTenant(ctx, 'ops-other');
    expect((await other.owner.get(`/api/v1/jobs/${body.jobId}`)).status).toBe(404);
    expect((await other.owner.get(`/api/v1/jobs/no-such-job`)).status).toBe(404);
    expect((await platform.get(`/api/v1/jobs/${body.jobId}`)).status).toBe(200);
    expect((await tenant.viewer.get(`/api/v1/jobs/${body.jobId}`)).status).toBe(200);
    expect((await apiClient(ctx).get(`/api/v1/jobs/${body.jobId}`)).status).toBe(401);
    // notify.device jobs name no tenant: no tenant token can read them, whatever their id.
    const deviceJob = (await ctx.deps.queues.get('notify').getJobs(['completed'])).find(
      (job) => job.name === 'notify.device',
    )!;
    expect((await tenant.admin.get(`/api/v1/jobs/${deviceJob.id}`)).status).toBe(404);
  });

  it('mounts bull-board at /admin/queues for the platform token only', async () => {
    const anonymous = await ctx.admin.inject({ method: 'GET', url: '/admin/queues' });
    expect(anonymous.statusCode).toBe(401);
    const apiAnonymous = await ctx.admin.inject({ method: 'GET', url: '/admin/queues/api/queues' });
    expect(apiAnonymous.statusCode).toBe(401);
    const owner = await ctx.admin.inject({
      method: 'GET',
      url: '/admin/queues',
      headers: { authorization: `Bearer ${tenant.tokens.owner}` },
    });
    expect(owner.statusCode).toBe(403);
    const token = await createToken(ctx, 'platform', null, 'board');
    const page = await ctx.admin.inject({
      method: 'GET',
      url: '/admin/queues',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/html/);
    const queues = await ctx.admin.inject({
      method: 'GET',
      url: '/admin/queues/api/queues',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(queues.statusCode).toBe(200);
    expect(queues.json().queues.map((queue: { name: string }) => queue.name)).toContain('notify');
  });

  it('reports queue depths and notify outcomes in /metrics', async () => {
    const metrics = await ctx.admin.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/provd_queue_jobs\{[^}]*queue="notify"[^}]*state="delayed"[^}]*\} \d+/);
    expect(await ctx.deps.metrics.registry.metrics()).toMatch(
      /provd_notify_outcomes_total\{[^}]*driver="sip"[^}]*result="ok"/,
    );
  });
});
