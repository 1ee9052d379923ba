import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tenant } from '#src/model/directory/tenant.entity.js';
import {
  createConsoleContext,
  seedConsoleUser,
  seedTenant,
  seriousA11yViolations,
  signIn,
  type ConsoleTestContext,
} from '../../helpers/console.js';

describe('console Sync dashboard', () => {
  let ctx: ConsoleTestContext;
  let tenantId: string;
  const sql = (query: string, params: unknown[] = []) => ctx.deps.orm.em.getConnection().execute(query, params);
  const url = (path: string) => `${ctx.baseUrl}/console/t/sy/sync${path}`;
  const device = async (tenant: string, mac: string) => {
    const id = randomUUID();
    await sql(
      `insert into devices (id, tenant_id, mac, vendor, model, status, overrides, provisioning_secret) values (?, ?, ?, 'yealink', 'T46S', 'active', '{}'::jsonb, 's')`,
      [id, tenant, mac],
    );
    return id;
  };

  beforeAll(async () => {
    ctx = await createConsoleContext();
    tenantId = (await seedTenant(ctx, 'sy')).id;
    const other = await seedTenant(ctx, 'sy-other');
    await seedConsoleUser(
      ctx,
      'viewer@sy.example',
      'viewer',
      await ctx.deps.orm.em.fork().findOneOrFail(Tenant, tenantId),
    );
    await seedConsoleUser(
      ctx,
      'viewer@sy-other.example',
      'viewer',
      await ctx.deps.orm.em.fork().findOneOrFail(Tenant, other.id),
    );
    // never fetched; pending (seen, nothing current fetched); stale (as the notify worker recorded it)
    await device(tenantId, '001565000001');
    const seen = await device(tenantId, '001565000002');
    await sql(`insert into device_last_seen (device_id, tenant_id, seen_at, ip) values (?, ?, now(), '192.0.2.1')`, [
      seen,
      tenantId,
    ]);
    const stale = await device(tenantId, '001565000003');
    await sql(
      `insert into device_sync (device_id, tenant_id, state, stale_reason) values (?, ?, 'stale', 'no answer')`,
      [stale, tenantId],
    );
    await device(other.id, '001565000099');
  });
  afterAll(async () => ctx?.close());

  it('shows the fleet summary as counts linking to the filtered Devices list, refreshed in place', async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    page.on('dialog', () => {
      throw new Error('a script dialog fired');
    });
    await signIn(page, ctx.baseUrl, 'viewer@sy.example');
    await page.getByRole('link', { name: 'Sync' }).click();
    await page.waitForURL(/\/sync$/);
    const summary = page.locator('#sync-summary');
    expect(await summary.getAttribute('hx-trigger')).toBe('every 5s');
    expect(await summary.innerText()).toContain('3 phones');
    const count = (label: string) =>
      page
        .getByRole('row', { name: new RegExp(`^${label}`) })
        .getByRole('link')
        .innerText();
    expect([
      await count('In sync'),
      await count('Pending'),
      await count('Notified'),
      await count('Stale'),
      await count('Never fetched'),
    ]).toEqual(['0', '1', '0', '1', '1']);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // A change in the fleet shows up after the poll without a reload.
    await device(tenantId, '001565000004');
    await page.locator('#sync-summary h2', { hasText: '4 phones' }).waitFor({ timeout: 15_000 });
    expect(await count('Never fetched')).toBe('2');

    await Promise.all([
      page.waitForURL(/devices\?syncState=stale$/),
      page
        .getByRole('row', { name: /^Stale/ })
        .getByRole('link')
        .click(),
    ]);
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody').innerText()).toMatch(/00:?15:?65:?00:?00:?03/i);
    await page.context().close();
  });

  it("another tenant's dashboard is 404 for a tenant user; the fragment counts only the own tenant", async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    await signIn(page, ctx.baseUrl, 'viewer@sy-other.example');
    expect((await page.goto(url('')))!.status()).toBe(404);
    const own = await page.request.get(`${ctx.baseUrl}/console/t/sy-other/sync/summary`);
    expect(own.status()).toBe(200);
    expect(await own.text()).toContain('1 phones');
    await page.context().close();
  });
});
