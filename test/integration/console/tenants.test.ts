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

describe('Tenants screen: platform operators create tenants and open any tenant', () => {
  let ctx: ConsoleTestContext;

  beforeAll(async () => {
    ctx = await createConsoleContext();
    const tenant = await seedTenant(ctx, 'own');
    await seedConsoleUser(ctx, 'op@platform.example', 'platform', null);
    await seedConsoleUser(ctx, 'owner@own.example', 'owner', tenant);
  });
  afterAll(async () => ctx?.close());

  it('a platform operator creates a tenant (REST schema errors next to the field), opens it and sees the queue link', async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    let dialogs = 0;
    page.on('dialog', async (dialog) => {
      dialogs += 1;
      await dialog.dismiss();
    });
    await signIn(page, ctx.baseUrl, 'op@platform.example');
    expect(new URL(page.url()).pathname).toBe('/console/tenants');
    expect(await page.getByRole('link', { name: 'Queue dashboard' }).count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel(/^Slug/).fill('Bad Slug');
    await page.getByLabel(/^Name/).fill('<img src=x onerror=alert(1)>');
    const [bad] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Create tenant' }).click(),
    ]);
    expect(bad.status()).toBe(400);
    expect(await page.locator('#f-slug-error').innerText()).toMatch(/pattern/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await ctx.deps.orm.em.fork().count(Tenant, {})).toBe(1);
    await page.getByLabel(/^Slug/).fill('newco');
    await page.getByLabel(/^Licence limit/).fill('25');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#result-line').innerText()).toMatch(/tenant newco created/);
    const row = page.getByRole('row', { name: /newco/ });
    expect(await row.innerText()).toContain('<img src=x onerror=alert(1)>');
    expect(await row.innerText()).toContain('0 / 25');
    expect(dialogs).toBe(0);
    await page.getByRole('link', { name: 'Console users of <img src=x onerror=alert(1)>' }).click();
    await page.waitForLoadState();
    expect(new URL(page.url()).pathname).toBe('/console/t/newco/settings/users');
    expect(await page.getByRole('button', { name: 'Invite' }).count()).toBe(1);
    await page.goto(`${ctx.baseUrl}/console/t/own/groups`);
    expect(await page.getByRole('heading', { name: 'Groups & Accounts' }).count()).toBe(1);
    await context.close();
  });

  it('a tenant owner cannot list or create tenants (403) and sees no queue link', async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await signIn(page, ctx.baseUrl, 'owner@own.example');
    expect(await page.getByRole('link', { name: 'Queue dashboard' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Tenants' }).count()).toBe(0);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    expect((await page.goto(`${ctx.baseUrl}/console/tenants`))!.status()).toBe(403);
    const response = await page.request.post(`${ctx.baseUrl}/console/tenants`, {
      form: { slug: 'forged', name: 'Forged', _csrf: csrf },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    expect(await ctx.deps.orm.em.fork().count(Tenant, { slug: 'forged' })).toBe(0);
    await context.close();
  });
});
