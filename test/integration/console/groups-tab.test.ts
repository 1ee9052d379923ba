import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '#src/modules/accounts/accounts.service.js';
import { Group } from '#src/model/directory/group.entity.js';
import { addExtraMember, shareNumber } from '#src/modules/groups/group-members.service.js';
import { createGroup } from '#src/modules/groups/groups.service.js';
import { PhoneNumber } from '#src/model/directory/phone-number.entity.js';
import { Tenant } from '#src/model/directory/tenant.entity.js';
import {
  createConsoleContext,
  seriousA11yViolations,
  seedConsoleUser,
  seedTenant,
  signIn,
  type ConsoleTestContext,
} from '../../helpers/console.js';
import { fork } from '../render/render-scenario.js';

const HOSTILE = '<img src=x onerror=alert(1)>';

describe('console Groups tab: members as initials, shared numbers with country, search and number filter, paging', () => {
  let ctx: ConsoleTestContext;
  const tab = () => `${ctx.baseUrl}/console/t/gtab/groups/tab`;

  beforeAll(async () => {
    ctx = await createConsoleContext();
    const seeded = await seedTenant(ctx, 'gtab');
    await seedTenant(ctx, 'gtabother');
    await seedConsoleUser(ctx, 'admin@gtab.example', 'admin', seeded);
    await seedConsoleUser(ctx, 'viewer@gtab.example', 'viewer', seeded);
    const em = fork(ctx);
    const tenant = await em.findOneOrFail(Tenant, { slug: 'gtab' });
    const alpha = await createGroup(em, tenant, { name: 'Alpha' });
    const beta = await createGroup(em, tenant, { name: 'Beta' });
    const gamma = await createGroup(em, tenant, { name: 'Gamma' });
    const hostile = await createGroup(em, tenant, { name: HOSTILE });
    await createAccount(em, tenant, { groupId: alpha.id, extension: '201', displayName: 'Ada Park' });
    const mia = await createAccount(em, tenant, { groupId: alpha.id, extension: '202', displayName: 'Mia Moss' });
    await createAccount(em, tenant, { groupId: hostile.id, extension: '301', displayName: HOSTILE });
    await addExtraMember(em, tenant, beta.id, mia.account.id);
    const de = em.create(PhoneNumber, { tenant, e164: '+4930111222' } as never);
    const us = em.create(PhoneNumber, { tenant, e164: '+14155550100' } as never);
    await em.flush();
    await shareNumber(em, tenant, beta.id, de.id);
    await shareNumber(em, tenant, gamma.id, us.id);
    for (let index = 0; index < 23; index += 1)
      await createGroup(em, tenant, { name: `Zulu ${String(index).padStart(2, '0')}` });
  });
  afterAll(async () => ctx?.close());

  async function pageOf(email: string): Promise<Page> {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    page.on('dialog', () => {
      throw new Error('a script dialog fired');
    });
    await signIn(page, ctx.baseUrl, email);
    return page;
  }

  it('shows members as initials and shared numbers with their country; search narrows it as you type', async () => {
    const page = await pageOf('admin@gtab.example');
    await page.getByRole('link', { name: 'Groups tab' }).click();
    expect(new URL(page.url()).pathname).toBe('/console/t/gtab/groups/tab');
    expect(await page.getByRole('row', { name: /^Alpha/ }).innerText()).toMatch(/Alpha\s+AP\s+MM/);
    expect(await page.getByRole('row', { name: /^Beta/ }).innerText()).toMatch(/^Beta\s+MM\s+🇩🇪 DE \+4930111222$/u);
    expect(await page.getByRole('row', { name: /^Gamma/ }).innerText()).toContain('🇺🇸 US +14155550100');
    expect(await page.locator('abbr[title="Ada Park"]').innerText()).toBe('AP');
    expect(await page.getByText('Page 1 of 2 (27 groups)').count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Search as you type: the table is replaced by the server's filtered page.
    await page.getByLabel('Search').pressSequentially('alp');
    await page.getByRole('row', { name: /^Beta/ }).waitFor({ state: 'detached' });
    expect(await page.locator('#groups-table tbody tr').count()).toBe(1);
    expect(await page.getByText('Page 1 of 1 (1 groups)').count()).toBe(1);
    await page.waitForURL(/q=alp/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('the Phone numbers filter shows only the groups using the picked numbers; paging; Create new group opens the form', async () => {
    const page = await pageOf('admin@gtab.example');
    await page.goto(tab());
    await page.getByLabel('Phone numbers').selectOption(['+4930111222', '+14155550100']);
    await page.getByRole('row', { name: /^Alpha/ }).waitFor({ state: 'detached' });
    const names = await page.locator('#groups-table tbody tr td:first-child').allInnerTexts();
    expect(names).toEqual(['Beta', 'Gamma']);

    // Paging keeps the filters; Create new group opens the group settings form.
    await page.goto(tab());
    await page.getByRole('link', { name: 'Next' }).click();
    expect(await page.getByText('Page 2 of 2 (27 groups)').count()).toBe(1);
    await page.getByRole('button', { name: 'Create new group' }).click();
    expect(await page.getByLabel('Group Name (required)').count()).toBe(1);
    await page.context().close();
  });

  it('a viewer looks and filters only; a forged create is 403; another tenant is 404; a hostile name stays text', async () => {
    const page = await pageOf('viewer@gtab.example');
    await page.goto(`${tab()}?q=${encodeURIComponent('<img')}`);
    const row = page.getByRole('row', { name: /onerror/ });
    expect(await row.innerText()).toContain(HOSTILE);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Create new group' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Create new group' }).count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Phone numbers').selectOption(['+14155550100']);
    await page.getByRole('row', { name: /onerror/ }).waitFor({ state: 'detached' });
    expect(await page.locator('#groups-table tbody tr td:first-child').allInnerTexts()).toEqual(['Gamma']);
    const csrf = await page
      .locator('input[name="_csrf"]')
      .first()
      .inputValue()
      .catch(() => '');
    const forged = await page.request.post(`${ctx.baseUrl}/console/t/gtab/groups`, {
      form: { _csrf: csrf, name: 'Forged' },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    expect(await fork(ctx).count(Group, { name: 'Forged' })).toBe(0);
    expect((await page.goto(`${ctx.baseUrl}/console/t/gtabother/groups/tab`))!.status()).toBe(404);
    await page.context().close();
  });
});
