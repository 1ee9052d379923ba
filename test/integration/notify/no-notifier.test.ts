/**
 * With the default notifier (none) a resync is accepted but tells no phone: the answer says so
 * (notifier + a no_notifier_configured warning), and so do the device's sync state and the
 * fleet summary. Once a notifier is set the warning goes away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { seedDevice } from './support.js';

describe('resync without a notifier', () => {
  let ctx: TestContext;
  let tenant: SeededTenant;

  beforeAll(async () => {
    ctx = await createTestContext();
    tenant = await seedTenant(ctx, 'quiet');
  });
  afterAll(async () => ctx?.close());

  it('says in the 202, the device sync state and the summary that no phone will be told', async () => {
    const device = await seedDevice(ctx, tenant.tenant.id, {});
    const accepted = await tenant.admin.post(`/api/v1/tenants/quiet/devices/${device.id}/resync`, {});
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({
      jobId: expect.stringMatching(/^resync-/),
      replayed: false,
      notifier: 'none',
      warnings: [{ code: 'no_notifier_configured', message: expect.stringContaining('no notifier is configured') }],
    });
    const whole = await tenant.admin.post(`/api/v1/tenants/quiet/resync`, {});
    expect(whole.body.warnings.map((warning: { code: string }) => warning.code)).toEqual(['no_notifier_configured']);

    const sync = await tenant.viewer.get(`/api/v1/tenants/quiet/devices/${device.id}/sync`);
    expect(sync.status).toBe(200);
    expect(sync.body.notifier).toBe('none');
    const list = await tenant.viewer.get(`/api/v1/tenants/quiet/devices/sync`);
    expect(list.body.items.map((item: { notifier: string }) => item.notifier)).toEqual(['none']);
    const summary = await tenant.viewer.get(`/api/v1/tenants/quiet/sync/summary`);
    expect(summary.body).toMatchObject({ total: 1, notifier: 'none' });
  });

  it('drops the warning once a notifier is configured', async () => {
    expect((await tenant.owner.put(`/api/v1/tenants/quiet/notifier`, { driver: 'sip' })).status).toBe(200);
    const accepted = await tenant.admin.post(`/api/v1/tenants/quiet/resync`, {});
    expect(accepted.body).toMatchObject({ notifier: 'sip', warnings: [] });
    expect((await tenant.viewer.get(`/api/v1/tenants/quiet/sync/summary`)).body.notifier).toBe('sip');
  });
});
