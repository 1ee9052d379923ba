import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '#src/modules/accounts/accounts.service.js';
import { ClassOfService } from '#src/model/directory/class-of-service.entity.js';
import { createClassOfService } from '#src/modules/classes-of-service/classes-of-service.service.js';
import { createGroup } from '#src/modules/groups/groups.service.js';
import { createPhoneMapGroup } from '#src/modules/phonemap-groups/phonemap-groups.service.js';
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

describe('console Classes of Service screen', () => {
  let ctx: ConsoleTestContext;
  let tenantId: string;
  let usedId: string;
  let foreignId: string;
  const fork = () => ctx.deps.orm.em.fork() as EntityManager;
  const url = (path: string) => `${ctx.baseUrl}/console/t/cos/classes-of-service${path}`;

  beforeAll(async () => {
    ctx = await createConsoleContext();
    tenantId = (await seedTenant(ctx, 'cos')).id;
    const other = await seedTenant(ctx, 'cos-other');
    const em = fork();
    const tenant = await em.findOneOrFail(Tenant, tenantId);
    await seedConsoleUser(ctx, 'admin@cos.example', 'admin', tenant);
    await seedConsoleUser(ctx, 'viewer@cos.example', 'viewer', tenant);
    const used = await createClassOfService(em, tenant, { name: 'Internal only', level: 'internal' });
    usedId = used.id;
    const group = await createGroup(em, tenant, { name: 'Reception', classOfServiceId: used.id });
    await createAccount(em, tenant, { groupId: group.id, extension: '201', displayName: 'Desk' });
    await createPhoneMapGroup(em, tenant, { id: 'front-desk', name: 'Front desk', classOfServiceId: used.id });
    foreignId = (await createClassOfService(em, other, { name: 'Foreign', level: 'national' })).id;
  });
  afterAll(async () => ctx?.close());

  async function adminPage(): Promise<Page> {
    const page = await (await ctx.browser.newContext()).newPage();
    page.on('dialog', () => {
      throw new Error('a script dialog fired');
    });
    await signIn(page, ctx.baseUrl, 'admin@cos.example');
    return page;
  }

  it('creates, refuses bad input next to the field, edits, searches; deletes after a confirmation, refused while in use', async () => {
    const page = await adminPage();
    await page.getByRole('link', { name: 'Classes of Service' }).click();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'New class of service' }).click();
    await page.getByLabel('Name (required)').fill(XSS);
    await page.getByLabel(/^Level/).selectOption('international');
    await page.getByLabel('Description').fill('Sales floor');
    await page.getByLabel(/^Blocked prefixes/).fill('+49900\n0190 x');
    const [bad] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(bad.status()).toBe(400);
    expect(await page.getByLabel(/^Blocked prefixes/).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-blockedPrefixes-error').innerText()).toContain('entry 3');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await fork().count(ClassOfService, { tenant: tenantId })).toBe(1);

    await page.getByLabel(/^Blocked prefixes/).fill('+49900\n0190');
    await page.getByLabel(/^Allowed prefixes/).fill('112');
    await Promise.all([page.waitForURL(url('')), page.getByRole('button', { name: 'Save' }).click()]);
    expect(await page.locator('#result-line').innerText()).toContain('Changes Saved');
    const row = page.getByRole('row', { name: /Sales floor/ });
    expect(await row.innerText()).toContain(XSS);
    expect(await row.innerText()).toContain('+49900, 0190');
    expect(await page.locator('img').count()).toBe(0);
    const created = await fork().findOneOrFail(ClassOfService, { tenant: tenantId, name: XSS });
    expect(created).toMatchObject({
      level: 'international',
      blockedPrefixes: ['+49900', '0190'],
      allowedPrefixes: ['112'],
    });

    // Edit: a taken name is refused next to the field, nothing written; then a real change.
    await page.getByRole('link', { name: `Edit ${XSS}` }).click();
    await page.getByLabel('Name (required)').fill('Internal only');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.getByLabel('Name (required)').getAttribute('aria-invalid')).toBe('true');
    expect((await fork().findOneOrFail(ClassOfService, created.id)).name).toBe(XSS);
    await page.getByLabel('Name (required)').fill('Sales');
    await page.getByLabel(/^Allowed prefixes/).fill('');
    await Promise.all([page.waitForURL(url('')), page.getByRole('button', { name: 'Save' }).click()]);
    expect(await page.locator('#result-line').innerText()).toContain('Changes Saved');
    expect(await fork().findOneOrFail(ClassOfService, created.id)).toMatchObject({
      name: 'Sales',
      allowedPrefixes: [],
    });

    await page.getByLabel('Search by name').fill('inter');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Search' }).click()]);
    expect(await page.locator('tbody tr').count()).toBe(1);

    // In use: the pop-up names the group (with its accounts) and the PhoneMap group, and says OK is refused.
    await page.getByRole('link', { name: 'Delete Internal only' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete class of service Internal only?' });
    await dialog.waitFor();
    const text = await dialog.innerText();
    expect(text).toContain('Group Reception: 1 account(s) dial under it');
    expect(text).toContain('PhoneMap group Front desk (front-desk)');
    expect(text).toContain('the class of service is still used');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await Promise.all([page.waitForEvent('load'), dialog.getByRole('button', { name: 'OK' }).click()]);
    expect(await page.locator('#result-line').innerText()).toContain('Not deleted: the class of service is still used');
    expect(await fork().count(ClassOfService, { id: usedId })).toBe(1);

    await page.goto(url(''));
    await page.getByRole('link', { name: 'Delete Sales' }).click();
    await page
      .getByRole('dialog', { name: 'Delete class of service Sales?' })
      .getByRole('button', { name: 'OK' })
      .click();
    await page.waitForSelector('#result-line');
    expect(await page.locator('#result-line').innerText()).toContain('Class of service Sales deleted');
    expect(await fork().count(ClassOfService, { id: created.id })).toBe(0);
    await page.context().close();
  });

  it("a viewer sees no write controls and a forged POST is 403; another tenant's id is 404", async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    await signIn(page, ctx.baseUrl, 'viewer@cos.example');
    await page.goto(url(''));
    expect(await page.getByRole('button', { name: 'New class of service' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /^Delete/ }).count()).toBe(0);
    await page.getByRole('link', { name: 'View Internal only' }).click();
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    expect(
      (await page.request.post(url(''), { form: { _csrf: csrf, name: 'Forged', level: 'internal' } })).status(),
    ).toBe(403);
    expect(
      (
        await page.request.post(url(`/${usedId}`), { form: { _csrf: csrf, name: 'Forged', level: 'internal' } })
      ).status(),
    ).toBe(403);
    expect((await page.request.post(url(`/${usedId}/delete`), { form: { _csrf: csrf } })).status()).toBe(403);
    expect(await fork().count(ClassOfService, { tenant: tenantId, name: 'Forged' })).toBe(0);
    await page.context().close();

    const admin = await adminPage();
    expect((await admin.goto(url(`/${foreignId}`)))!.status()).toBe(404);
    expect((await admin.goto(url(`/${foreignId}/delete`)))!.status()).toBe(404);
    await admin.context().close();
  });
});
