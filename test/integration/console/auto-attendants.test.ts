import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '#src/modules/accounts/accounts.service.js';
import { AutoAttendantOption } from '#src/model/directory/auto-attendant-option.entity.js';
import { AutoAttendant } from '#src/model/directory/auto-attendant.entity.js';
import { createAutoAttendant } from '#src/modules/auto-attendants/auto-attendants.service.js';
import { createGroup } from '#src/modules/groups/groups.service.js';
import { createHuntGroup } from '#src/modules/hunt-groups/hunt-groups.service.js';
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

describe('console Auto Attendants screen', () => {
  let ctx: ConsoleTestContext;
  let tenantId: string;
  let mainId: string;
  let foreignId: string;
  let accountId: string;
  let huntId: string;
  const fork = () => ctx.deps.orm.em.fork() as EntityManager;
  const url = (path: string) => `${ctx.baseUrl}/console/t/aa/auto-attendants${path}`;
  const optionsOf = async (id: string) =>
    (await fork().find(AutoAttendantOption, { autoAttendant: id }, { orderBy: { digit: 'asc' } })).map((option) => [
      option.digit,
      option.targetAccount?.id ?? option.targetHuntGroup?.id ?? option.externalNumber,
    ]);

  beforeAll(async () => {
    ctx = await createConsoleContext();
    tenantId = (await seedTenant(ctx, 'aa')).id;
    const other = await seedTenant(ctx, 'aa-other');
    const em = fork();
    const tenant = await em.findOneOrFail(Tenant, tenantId);
    await seedConsoleUser(ctx, 'admin@aa.example', 'admin', tenant);
    await seedConsoleUser(ctx, 'viewer@aa.example', 'viewer', tenant);
    const group = await createGroup(em, tenant, { name: 'Office' });
    accountId = (await createAccount(em, tenant, { groupId: group.id, extension: '201', displayName: XSS })).account.id;
    huntId = (await createHuntGroup(em, tenant, { name: 'Support line', memberAccountIds: [accountId] })).id;
    const main = await createAutoAttendant(em, tenant, {
      name: 'Main menu',
      extension: '300',
      options: [{ digit: '1', accountId }],
    });
    mainId = main.id;
    const [number] = await addNumbers(em, tenant, ['+4930555001'], false);
    await assignNumber(em, tenant, number!.id, { autoAttendantId: main.id });
    foreignId = (await createAutoAttendant(em, other, { name: 'Foreign' })).id;
  });
  afterAll(async () => ctx?.close());

  async function adminPage(): Promise<Page> {
    const page = await (await ctx.browser.newContext()).newPage();
    page.on('dialog', () => {
      throw new Error('a script dialog fired');
    });
    await signIn(page, ctx.baseUrl, 'admin@aa.example');
    return page;
  }

  it('creates with keypad options, refuses bad input next to the field or key, edits and deletes after a confirmation', async () => {
    const page = await adminPage();
    await page.getByRole('link', { name: 'Auto Attendants' }).click();
    expect(await page.getByRole('row', { name: /Main menu/ }).innerText()).toContain(`1 → user 201 ${XSS}`);
    expect(await page.locator('img').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'New auto attendant' }).click();
    await page.getByLabel('Name (required)').fill(XSS);
    await page.getByLabel(/^Extension/).fill('201');
    await page.getByLabel('Destination of key 1').selectOption(`account:${accountId}`);
    await page.getByLabel('Destination of key 2').selectOption(`hunt:${huntId}`);
    await page.getByLabel('Destination of key 0').selectOption('external');
    const [bad] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Create' }).click(),
    ]);
    expect(bad.status()).toBe(400);
    expect(await page.getByLabel('Destination of key 0').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-row-9-error').innerText()).toContain('type the external number');
    expect(await seriousA11yViolations(page)).toEqual([]);
    // The extension is a user's: the service refuses it next to the field, nothing written.
    await page.getByLabel('External number of key 0').fill('+49 30 123456');
    await page.getByRole('button', { name: 'Create' }).click();
    expect(await page.getByLabel(/^Extension/).getAttribute('aria-invalid')).toBe('true');
    expect(await fork().count(AutoAttendant, { tenant: tenantId })).toBe(1);

    await page.getByLabel(/^Extension/).fill('301');
    await Promise.all([
      page.waitForURL(/auto-attendants\/[0-9a-f-]{36}$/),
      page.getByRole('button', { name: 'Create' }).click(),
    ]);
    expect(await page.locator('#result-line').innerText()).toContain('Changes Saved');
    const created = await fork().findOneOrFail(AutoAttendant, { tenant: tenantId, name: XSS });
    expect(created.extension).toBe('301');
    expect(await optionsOf(created.id)).toEqual([
      ['0', '+4930123456'],
      ['1', accountId],
      ['2', huntId],
    ]);
    expect(await page.locator('img').count()).toBe(0);

    // Edit: key 1 to the hunt group, key 0 dropped.
    await page.getByLabel('Destination of key 1').selectOption(`hunt:${huntId}`);
    await page.getByLabel('Destination of key 0').selectOption('');
    await page.getByLabel('External number of key 0').fill('');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save' }).click()]);
    expect(await page.locator('#result-line').innerText()).toBe('Changes Saved');
    expect(await optionsOf(created.id)).toEqual([
      ['1', huntId],
      ['2', huntId],
    ]);

    await page.goto(url(''));
    await page.getByLabel('Search by name').fill('main');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Search' }).click()]);
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.getByRole('link', { name: 'Delete Main menu' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete auto attendant Main menu?' });
    await dialog.waitFor();
    const text = await dialog.innerText();
    expect(text).toContain('Number +4930555001 becomes unassigned');
    expect(text).toContain('1 menu option(s) removed');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await Promise.all([page.waitForEvent('load'), dialog.getByRole('button', { name: 'OK' }).click()]);
    expect(await page.locator('#result-line').innerText()).toContain(
      'Auto attendant Main menu deleted; 1 number(s) are unassigned now',
    );
    expect(await fork().count(AutoAttendant, { id: mainId })).toBe(0);
    expect((await fork().findOneOrFail(PhoneNumber, { e164: '+4930555001' })).status).toBe('unassigned');
    await page.context().close();
  });

  it("a viewer sees no write controls and a forged POST is 403; another tenant's id is 404", async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    await signIn(page, ctx.baseUrl, 'viewer@aa.example');
    await page.goto(url(''));
    expect(await page.getByRole('button', { name: 'New auto attendant' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /^Delete/ }).count()).toBe(0);
    await page.getByRole('link', { name: `View ${XSS}` }).click();
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await page.getByText('1 → hunt group Support line').count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const id = (await fork().findOneOrFail(AutoAttendant, { tenant: tenantId, name: XSS })).id;
    expect((await page.request.post(url(''), { form: { _csrf: csrf, name: 'Forged' } })).status()).toBe(403);
    expect((await page.request.post(url(`/${id}`), { form: { _csrf: csrf, name: 'Forged' } })).status()).toBe(403);
    expect((await page.request.post(url(`/${id}/delete`), { form: { _csrf: csrf } })).status()).toBe(403);
    expect(await fork().count(AutoAttendant, { tenant: tenantId })).toBe(1);
    await page.context().close();

    const admin = await adminPage();
    expect((await admin.goto(url(`/${foreignId}`)))!.status()).toBe(404);
    expect((await admin.goto(url(`/${foreignId}/delete`)))!.status()).toBe(404);
    await admin.context().close();
  });
});
