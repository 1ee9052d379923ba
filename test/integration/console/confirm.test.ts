import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Group } from '#src/model/directory/group.entity.js';
import {
  createConsoleContext,
  seriousA11yViolations,
  seedConsoleUser,
  seedTenant,
  signIn,
  type ConsoleTestContext,
} from '../../helpers/console.js';

describe('console confirmation dialog and result line (group delete)', () => {
  let ctx: ConsoleTestContext;

  beforeAll(async () => {
    ctx = await createConsoleContext();
    const tenant = await seedTenant(ctx, 'conf');
    await seedConsoleUser(ctx, 'admin@conf.example', 'admin', tenant);
    const em = ctx.deps.orm.em.fork();
    em.create(Group, { tenant: em.getReference('Tenant', tenant.id) as never, name: 'Keep me' } as never);
    em.create(Group, { tenant: em.getReference('Tenant', tenant.id) as never, name: 'Drop me' } as never);
    await em.flush();
  });
  afterAll(async () => ctx?.close());

  it('Esc cancels and Enter confirms in the modal; the list then shows the warning line', async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await signIn(page, ctx.baseUrl, 'admin@conf.example');
    await page.getByRole('link', { name: 'Delete group Drop me' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete group Drop me?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('0 account(s) deleted');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await ctx.deps.orm.em.fork().count(Group, { name: 'Drop me' })).toBe(1);

    await page.getByRole('link', { name: 'Delete group Drop me' }).click();
    await dialog.waitFor();
    await Promise.all([page.waitForURL(/\/groups$/), page.keyboard.press('Enter')]);
    expect(await page.locator('#result-line').innerText()).toMatch(/deleted/);
    expect(await ctx.deps.orm.em.fork().count(Group, { name: 'Drop me' })).toBe(0);
    // The result line shows once.
    await page.reload();
    expect(await page.locator('#result-line').count()).toBe(0);
    await context.close();
  });

  it('works as a page of its own without htmx; a malformed id is a 404 page', async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await signIn(page, ctx.baseUrl, 'admin@conf.example');
    const id = (await ctx.deps.orm.em.fork().findOneOrFail(Group, { name: 'Keep me' })).id;
    await page.goto(`${ctx.baseUrl}/console/t/conf/groups/${id}/delete`);
    const dialog = page.getByRole('dialog', { name: 'Delete group Keep me?' });
    await dialog.waitFor();
    await Promise.all([page.waitForURL(/\/groups$/), dialog.getByRole('button', { name: 'Cancel' }).click()]);
    expect(await ctx.deps.orm.em.fork().count(Group, { name: 'Keep me' })).toBe(1);
    const response = await page.goto(`${ctx.baseUrl}/console/t/conf/groups/not-a-uuid/delete`);
    expect(response!.status()).toBe(404);
    await context.close();
  });
});
