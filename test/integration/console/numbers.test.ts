import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '#src/modules/accounts/accounts.service.js';
import { createGroup } from '#src/modules/groups/groups.service.js';
import { assignNumber } from '#src/modules/numbers/number-assignment.js';
import { addNumbers } from '#src/modules/numbers/numbers.service.js';
import { PhoneNumber } from '#src/model/directory/phone-number.entity.js';
import { Tenant } from '#src/model/directory/tenant.entity.js';
import {
  createConsoleContext,
  seedConsoleUser,
  seedTenant,
  seriousA11yViolations,
  signIn,
  type ConsoleTestContext,
} from '../../helpers/console.js';

const XSS = '<img src=x onerror=alert(1)>';

describe('console Phone Numbers screen', () => {
  let ctx: ConsoleTestContext;
  let tenantId: string;
  let foreignNumber: string;
  const fork = () => ctx.deps.orm.em.fork() as EntityManager;
  const url = (path: string) => `${ctx.baseUrl}/console/t/num/numbers${path}`;

  beforeAll(async () => {
    ctx = await createConsoleContext();
    tenantId = (await seedTenant(ctx, 'num')).id;
    const other = await seedTenant(ctx, 'num-other');
    const em = fork();
    const tenant = await em.findOneOrFail(Tenant, tenantId);
    await seedConsoleUser(ctx, 'admin@num.example', 'admin', tenant);
    await seedConsoleUser(ctx, 'viewer@num.example', 'viewer', tenant);
    const group = await createGroup(em, tenant, { name: 'Sales' });
    const { account } = await createAccount(em, tenant, { groupId: group.id, extension: '201', displayName: XSS });
    const [held] = await addNumbers(em, tenant, ['+4930222001'], false);
    await assignNumber(em, tenant, held!.id, { accountId: account.id, role: 'primary' });
    foreignNumber = (await addNumbers(em, other, ['+4930999001'], false))[0]!.id;
  });
  afterAll(async () => ctx?.close());

  async function adminPage(): Promise<Page> {
    const page = await (await ctx.browser.newContext()).newPage();
    page.on('dialog', () => {
      throw new Error('a script dialog fired');
    });
    await signIn(page, ctx.baseUrl, 'admin@num.example');
    return page;
  }

  it('adds one number and a range, lists them with their holder, filters by status and searches on the server', async () => {
    const page = await adminPage();
    await page.getByRole('link', { name: 'Phone Numbers' }).click();
    await page.getByLabel('Number', { exact: true }).fill('+49 30 222 100');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Add' }).click()]);
    expect(await page.locator('#result-line').innerText()).toContain('1 number(s) added');
    await page.getByLabel('First number of the range').fill('+4930222010');
    await page.getByLabel('Last number of the range').fill('+4930222012');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Add' }).click()]);
    expect(await page.locator('#result-line').innerText()).toContain('3 number(s) added');
    const held = page.getByRole('row', { name: /\+4930222001/ });
    expect(await held.innerText()).toContain(`Assigned to 201 ${XSS} (primary)`);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.getByRole('row', { name: /\+4930222011/ }).innerText()).toContain('Unassigned');
    expect(await seriousA11yViolations(page)).toEqual([]);
    // An existing number is refused next to the field, nothing written.
    await page.getByLabel('Number', { exact: true }).fill('+4930222011');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Add' }).click(),
    ]);
    expect(response.status()).toBe(409);
    expect(await page.getByLabel('Number', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Status').selectOption('assigned');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Search' }).click()]);
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Search by digits').fill('22201');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Search' }).click()]);
    expect(await page.locator('tbody tr').count()).toBe(3);
    await page.context().close();
  });

  it('bulk delete: the confirmation lists the deleted and the skipped (with holder); only unassigned ones go', async () => {
    const page = await adminPage();
    await page.goto(url(''));
    for (const e164 of ['+4930222001', '+4930222010', '+4930222011']) await page.getByLabel(`Select ${e164}`).check();
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete phone numbers?' });
    await dialog.waitFor();
    const text = await dialog.innerText();
    expect(text).toContain('Deleted: +4930222010');
    expect(text).toContain('Deleted: +4930222011');
    expect(text).toContain(`Skipped: +4930222001 — Assigned to 201 ${XSS} (primary); unassign it first`);
    expect(text).toContain('A deleted number may not be added back');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await Promise.all([page.waitForEvent('load'), dialog.getByRole('button', { name: 'OK' }).click()]);
    expect(await page.locator('#result-line').innerText()).toContain('2 number(s) deleted');
    const left = (await fork().find(PhoneNumber, { tenant: tenantId })).map((n) => n.e164).sort();
    expect(left).toEqual(['+4930222001', '+4930222012', '+4930222100']);
    await page.context().close();
  });

  it("a viewer sees no write controls and a forged POST is 403; another tenant's ids are 404", async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    await signIn(page, ctx.baseUrl, 'viewer@num.example');
    await page.goto(url(''));
    for (const name of ['Add', 'Delete']) expect(await page.getByRole('button', { name }).count()).toBe(0);
    expect(await page.locator('input[type="checkbox"]').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const free = await fork().findOneOrFail(PhoneNumber, { e164: '+4930222012' });
    expect((await page.request.post(url('/delete'), { form: { _csrf: csrf, ids: free.id } })).status()).toBe(403);
    expect((await page.request.post(url(''), { form: { _csrf: csrf, number: '+4930222555' } })).status()).toBe(403);
    expect(await fork().count(PhoneNumber, { tenant: tenantId })).toBe(3);
    await page.context().close();

    const admin = await adminPage();
    expect((await admin.goto(url(`/delete?ids=${foreignNumber}`)))!.status()).toBe(404);
    await admin.context().close();
  });
});
