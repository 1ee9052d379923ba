import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '#src/modules/accounts/accounts.service.js';
import { AutoAttendantOption } from '#src/model/directory/auto-attendant-option.entity.js';
import { createAutoAttendant } from '#src/modules/auto-attendants/auto-attendants.service.js';
import { createGroup } from '#src/modules/groups/groups.service.js';
import { HuntGroupMember } from '#src/model/directory/hunt-group-member.entity.js';
import { HuntGroup } from '#src/model/directory/hunt-group.entity.js';
import { createHuntGroup } from '#src/modules/hunt-groups/hunt-groups.service.js';
import { assignNumber } from '#src/modules/numbers/number-assignment.js';
import { addNumbers } from '#src/modules/numbers/numbers.service.js';
import { PhoneNumber } from '#src/model/directory/phone-number.entity.js';
import {
  createConsoleContext,
  seedConsoleUser,
  seedTenant,
  seriousA11yViolations,
  signIn,
  type ConsoleTestContext,
} from '../../helpers/console.js';

const XSS = '<img src=x onerror=alert(1)>';

describe('console Hunt Groups screen', () => {
  let ctx: ConsoleTestContext;
  let tenantId: string;
  let foreignId: string;
  let salesId: string;
  const fork = () => ctx.deps.orm.em.fork() as EntityManager;
  const url = (path = '') => `${ctx.baseUrl}/console/t/hg/hunt${path}`;
  const ringOrder = async (id: string) =>
    (
      await fork().find(HuntGroupMember, { huntGroup: id }, { populate: ['account'], orderBy: { position: 'asc' } })
    ).map((member) => member.account.extension);

  beforeAll(async () => {
    ctx = await createConsoleContext();
    const tenant = await seedTenant(ctx, 'hg');
    tenantId = tenant.id;
    const other = await seedTenant(ctx, 'hg-other');
    await seedConsoleUser(ctx, 'admin@hg.example', 'admin', tenant);
    await seedConsoleUser(ctx, 'viewer@hg.example', 'viewer', tenant);
    const em = fork();
    const group = await createGroup(em, tenant, { name: 'Office' });
    for (const [extension, displayName] of [
      ['201', 'Ann'],
      ['202', 'Ben'],
      ['203', 'Cy'],
    ] as const)
      await createAccount(em, tenant, { groupId: group.id, extension, displayName });
    const sales = await createHuntGroup(em, tenant, { name: 'Sales', extension: '600' });
    salesId = sales.id;
    const [number] = await addNumbers(em, tenant, ['+4930555600'], false);
    await assignNumber(em, tenant, number!.id, { huntGroupId: sales.id });
    await createAutoAttendant(em, tenant, { name: 'Main menu', options: [{ digit: '1', huntGroupId: sales.id }] });
    foreignId = (await createHuntGroup(em, other, { name: 'Theirs' })).id;
  });
  afterAll(async () => ctx?.close());

  async function adminPage(): Promise<Page> {
    const page = await (await ctx.browser.newContext()).newPage();
    page.on('dialog', () => {
      throw new Error('a script dialog fired');
    });
    await signIn(page, ctx.baseUrl, 'admin@hg.example');
    return page;
  }

  it('creates a hunt group with members in ring order, edits the order, refuses bad input next to the field', async () => {
    const page = await adminPage();
    await page.getByRole('link', { name: 'Hunt Groups' }).click();
    await page.getByRole('heading', { name: 'Hunt Groups' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'New hunt group' }).click();
    await page.getByLabel('Name (required)').fill(XSS);
    await page.getByLabel('Extension (2 to 8 digits, optional)').fill('600');
    await page.getByLabel('Member 1', { exact: true }).selectOption({ label: '203 Cy' });
    await page.getByLabel('Member 2', { exact: true }).selectOption({ label: '201 Ann' });
    expect(await seriousA11yViolations(page)).toEqual([]);
    // 600 is Sales' extension: refused next to the field, status 400, nothing written.
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Create' }).click(),
    ]);
    expect(refused.status()).toBe(400);
    await page.waitForLoadState();
    expect(await page.getByLabel('Extension (2 to 8 digits, optional)').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-extension-error').innerText()).toContain('extension 600 is already in use');
    expect(await page.getByLabel('Member 1', { exact: true }).inputValue()).not.toBe('');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await fork().count(HuntGroup, { tenant: tenantId })).toBe(1);
    await page.getByLabel('Extension (2 to 8 digits, optional)').fill('610');
    await Promise.all([
      page.waitForURL(/\/hunt\/[0-9a-f-]{36}$/),
      page.getByRole('button', { name: 'Create' }).click(),
    ]);
    expect(await page.locator('#result-line').innerText()).toContain('Changes Saved');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`Hunt group ${XSS}`);
    expect(await page.locator('img').count()).toBe(0);
    const created = await fork().findOneOrFail(HuntGroup, { tenant: tenantId, extension: '610' });
    expect(await ringOrder(created.id)).toEqual(['203', '201']);

    // Edit: a duplicate member is refused (schema), then a new order is saved.
    await page.getByLabel('Member 2', { exact: true }).selectOption({ label: '203 Cy' });
    const [duplicate] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(duplicate.status()).toBe(400);
    await page.locator('#f-members-error').waitFor();
    expect(await ringOrder(created.id)).toEqual(['203', '201']);
    await page.getByLabel('Member 1', { exact: true }).selectOption({ label: '202 Ben' });
    await page.getByLabel('Member 3', { exact: true }).selectOption({ label: '201 Ann' });
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save' }).click()]);
    expect(await page.locator('#result-line').innerText()).toBe('Changes Saved');
    expect(await ringOrder(created.id)).toEqual(['202', '203', '201']);

    await page.goto(url());
    expect(await page.getByRole('row', { name: /610/ }).innerText()).toContain('202 Ben, 203 Cy, 201 Ann');
    await page.getByLabel('Search by name or extension').fill('60');
    await Promise.all([page.waitForURL(/q=60/), page.getByRole('button', { name: 'Search' }).click()]);
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody').innerText()).toContain('Sales');
    await page.context().close();
  });

  it('delete asks first with what forwards to the group and the numbers it frees', async () => {
    const page = await adminPage();
    await page.goto(url());
    await page.getByRole('link', { name: 'Delete Sales' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete hunt group Sales?' });
    await dialog.waitFor();
    const text = await dialog.innerText();
    expect(text).toContain('Phone number +4930555600 becomes unassigned');
    expect(text).toContain('Auto attendant Main menu: key 1 no longer forwards here');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await Promise.all([page.waitForEvent('load'), dialog.getByRole('button', { name: 'OK' }).click()]);
    expect(await page.locator('#result-line').innerText()).toContain('Hunt group Sales deleted');
    expect(await fork().count(HuntGroup, { id: salesId })).toBe(0);
    expect(await fork().count(AutoAttendantOption, { tenant: tenantId })).toBe(0);
    expect((await fork().findOneOrFail(PhoneNumber, { e164: '+4930555600' })).status).toBe('unassigned');
    expect(await seriousA11yViolations(page)).toEqual([]);
    for (const path of [`/${foreignId}`, `/${foreignId}/delete`, '/not-a-uuid'])
      expect((await page.goto(url(path)))!.status(), path).toBe(404);
    await page.context().close();
  });

  it('a viewer sees no write controls and a forged POST is 403', async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    await signIn(page, ctx.baseUrl, 'viewer@hg.example');
    await page.goto(url());
    expect(await page.getByRole('button', { name: 'New hunt group' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /^Delete / }).count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    const id = (await fork().findOneOrFail(HuntGroup, { tenant: tenantId, extension: '610' })).id;
    await page.goto(url(`/${id}`));
    expect(await page.locator('form[method="post"]').filter({ hasNotText: 'Sign out' }).count()).toBe(0);
    expect(await page.locator('ol li').count()).toBe(3);
    expect(await seriousA11yViolations(page)).toEqual([]);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    expect((await page.request.post(url(), { form: { _csrf: csrf, name: 'Forged' } })).status()).toBe(403);
    expect((await page.request.post(url(`/${id}`), { form: { _csrf: csrf, name: 'Forged' } })).status()).toBe(403);
    expect((await page.request.post(url(`/${id}/delete`), { form: { _csrf: csrf } })).status()).toBe(403);
    expect(await fork().count(HuntGroup, { tenant: tenantId })).toBe(1);
    expect((await fork().findOneOrFail(HuntGroup, id)).name).toBe(XSS);
    await page.context().close();
  });
});
