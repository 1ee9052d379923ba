/**
 * A device that cannot be rendered shows as such, not as a phone that never booted: the real
 * render worker records the reason, time and generation on the target; the device's sync state
 * reads render-failed with that reason, the fleet summary counts it, and the render failure
 * counter has it by reason. A later successful render clears it all.
 */
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fanoutRegistry } from '#src/app/fanout.js';
import { rendererRegistry } from '#src/app/renderers.js';
import { createRelay, renderHandlers } from '#src/modules/pipeline/pipeline.js';
import type { OutboxRelay } from '#src/modules/pipeline/relay.js';
import { startWorkers } from '#src/queues/worker-host.js';
import { seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { eventually } from '../../helpers/eventually.js';
import { created, PHONE_URL } from './render-scenario.js';

let ctx: TestContext;
let t: SeededTenant;
let relay: OutboxRelay;
let workers: Worker[] = [];
const api = (path: string) => `/api/v1/tenants/render-fail${path}`;

beforeAll(async () => {
  ctx = await createTestContext({ PROVD_PUBLIC_PHONE_URL: PHONE_URL });
  relay = createRelay(ctx.deps, fanoutRegistry(), { batchSize: 500, pollMs: 100 });
  workers = startWorkers(
    { render: renderHandlers(ctx.deps, rendererRegistry({ publicPhoneUrl: PHONE_URL })) },
    { connection: ctx.deps.workerRedis, prefix: ctx.config.queuePrefix, concurrency: 2, logger: ctx.deps.logger },
  );
  await relay.start();
  t = await seedTenant(ctx, 'render-fail');
});
afterAll(async () => {
  await relay?.stop();
  await Promise.all(workers.map((worker) => worker.close()));
  await ctx?.close();
});

describe('render failures are visible', () => {
  it('shows a device whose line 1 has no SIP server as render-failed, and clears it after a good render', async () => {
    const group = created(await t.admin.post(api('/groups'), { name: 'No profile' }));
    const account = created(
      await t.admin.post(api('/accounts'), { groupId: group.id, extension: '1001', displayName: 'Alice' }),
    );
    const device = created(
      await t.admin.post(api('/devices'), {
        mac: '00:15:65:fa:11:01',
        vendor: 'yealink',
        model: 'T46S',
        lines: [{ index: 1, accountId: account.id }],
      }),
    );

    const failed = await eventually(
      () => t.viewer.get(api(`/devices/${device.id}/sync`)),
      (response) => response.body?.state === 'render-failed',
    );
    expect(failed.body).toMatchObject({
      state: 'render-failed',
      renderError: {
        code: 'sip_server_missing',
        message: expect.stringContaining('line 1 has no SIP server'),
        at: expect.any(String),
        generation: expect.stringMatching(/^\d+$/),
      },
    });
    expect(
      (await t.viewer.get(api('/devices/sync?state=render-failed'))).body.items.map(
        (item: { deviceId: string }) => item.deviceId,
      ),
    ).toEqual([device.id]);
    expect((await t.viewer.get(api('/sync/summary'))).body).toMatchObject({ renderFailed: 1, neverSeen: 0, total: 1 });
    const metrics = await ctx.deps.metrics.registry.getSingleMetricAsString('provd_render_failures_total');
    expect(metrics).toMatch(
      /provd_render_failures_total\{[^}]*kind="device"[^}]*reason="sip_server_missing"[^}]*\} [1-9]/,
    );

    const profile = created(
      await t.admin.post(api('/profiles'), { name: 'Office', settings: { sipServer: 'pbx.example.com' } }),
    );
    created(await t.admin.patch(api(`/groups/${group.id}`), { profileId: profile.id }), 200);
    const healed = await eventually(
      () => t.viewer.get(api(`/devices/${device.id}/sync`)),
      (response) => response.body?.state !== 'render-failed',
    );
    expect(healed.body).toMatchObject({
      state: 'never-seen',
      renderError: null,
      renderedGen: expect.stringMatching(/^\d+$/),
    });
    expect((await t.viewer.get(api('/sync/summary'))).body).toMatchObject({ renderFailed: 0, neverSeen: 1, total: 1 });
  });
});
