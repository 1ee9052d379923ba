import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account } from '#src/model/directory/account.entity.js';
import { createAccount } from '#src/modules/accounts/accounts.service.js';
import { Group } from '#src/model/directory/group.entity.js';
import { createGroup } from '#src/modules/groups/groups.service.js';
import { createProfile, setDefaultProfile } from '#src/modules/profiles/profiles.service.js';
import { PhoneNumber } from '#src/model/directory/phone-number.entity.js';
import { deviceTargetRenderer } from '#src/modules/render/targets/device-target.renderer.js';
import { Tenant } from '#src/model/directory/tenant.entity.js';
import {
  createConsoleContext,
  seriousA11yViolations,
  seedConsoleUser,
  seedTenant,
  signIn,
  type ConsoleTestContext,
} from '../../helpers/console.js';
import { seedDeviceWithLine } from '../../helpers/directory-seed.js';
import { fork, targetOf } from '../render/render-scenario.js';

const HOSTILE = '<img src=x onerror=alert(1)>';

describe('console Groups & Accounts: group page (update, delete, accounts, members, shared numbers)', () => {
  let ctx: ConsoleTestContext;
  let tenant: Tenant;
  let other: Group;

  beforeAll(async () => {
    ctx = await createConsoleContext();
    tenant = await seedTenant(ctx, 'grp');
    const full = await seedTenant(ctx, 'grpfull', 0);
    const foreign = await seedTenant(ctx, 'grpother');
    await seedConsoleUser(ctx, 'admin@grp.example', 'admin', tenant);
    await seedConsoleUser(ctx, 'viewer@grp.example', 'viewer', tenant);
    await seedConsoleUser(ctx, 'admin@grpfull.example', 'admin', full);
    // The tenant's default profile (the phone file needs a SIP server); New group preselects it.
    const pem = fork(ctx);
    const owner = await pem.findOneOrFail(Tenant, { slug: 'grp' });
    await setDefaultProfile(
      pem,
      owner,
      (await createProfile(pem, owner, { name: 'Base', settings: { sipServer: 'sip.example.net' } })).id,
      true,
    );
    const em = fork(ctx);
    other = await createGroup(em, em.getReference(Tenant, foreign.id), { name: 'Foreign' });
    await createGroup(fork(ctx), await fork(ctx).findOneOrFail(Tenant, { slug: 'grpfull' }), { name: 'Full' });
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
  const loadedTenant = () => fork(ctx).findOneOrFail(Tenant, { slug: 'grp' });

  it('create → update → account (password once, rotate) → the phone file → delete with its impact', async () => {
    const page = await pageOf('admin@grp.example');
    // No default group: the empty tenant shows an empty list and the prompt to create the first group.
    expect(await page.getByText('No groups yet. Create the first group with New group.').count()).toBe(1);
    expect(await page.locator('table').count()).toBe(0);
    await page.getByRole('button', { name: 'New group' }).click();
    expect(await page.getByLabel('Provisioning Profile').locator('option:checked').innerText()).toBe('Base');
    await page.getByLabel('Group Name (required)').fill('Sales');
    await page.getByRole('button', { name: 'Create' }).click();
    const created = await fork(ctx).findOneOrFail(Group, { name: 'Sales' });
    expect(await page.getByRole('status').filter({ hasText: 'created' }).innerText()).toBe(
      `Changes Saved — group ${created.id} created.`,
    );
    expect(await page.getByRole('row', { name: /Sales/ }).innerText()).toContain(created.id);
    await page.getByRole('link', { name: 'Open group Sales' }).click();
    expect(await page.getByLabel('Group Name (required)').inputValue()).toBe('Sales');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Update: a refused value stays in the form with its message, nothing written.
    await page.getByLabel('IT Email Address').fill('not-an-email');
    await page.getByRole('button', { name: 'Update' }).click();
    expect(await page.locator('#f-itEmail-error').innerText()).toMatch(/email/);
    expect(await page.getByLabel('IT Email Address').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Group Name (required)').fill('Sales EMEA');
    await page.getByLabel('IT Email Address').fill('it@sales.example');
    await Promise.all([page.waitForURL(/\/groups$/), page.getByRole('button', { name: 'Update' }).click()]);
    expect(await page.locator('#result-line').innerText()).toBe('Changes Saved');
    const row = page.getByRole('row', { name: /Sales EMEA/ });
    expect(await row.innerText()).toContain('it@sales.example');
    const group = await fork(ctx).findOneOrFail(Group, { name: 'Sales EMEA' });

    // Add account: the generated password shows once.
    await page.getByRole('link', { name: 'Open group Sales EMEA' }).click();
    await page.getByLabel('Extension (required)').fill('201');
    await page.getByLabel('Display name (required)').fill('Ada Park');
    await page.getByLabel('SIP username (defaults to the extension)').fill('ada.park');
    await page.getByRole('button', { name: 'Add account' }).click();
    const secret = await page.locator('#one-time-secret code').innerText();
    expect(secret.length).toBeGreaterThanOrEqual(12);
    expect(await page.getByRole('row', { name: /201/ }).innerText()).toMatch(/Ada Park\s+ada\.park/);
    expect(await page.getByText(/Users created: 1 — Max user limit 2000/).count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.reload();
    expect(await page.locator('#one-time-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    // A second account with the same extension is refused next to the field.
    await page.getByLabel('Extension (required)').fill('201');
    await page.getByLabel('Display name (required)').fill('Twin');
    await page.getByRole('button', { name: 'Add account' }).click();
    expect(await page.locator('#a-extension-error').innerText()).toMatch(/already in use/);
    expect(await fork(ctx).count(Account, { displayName: 'Twin' })).toBe(0);

    // Rotate (with confirmation) shows the new password once.
    await page.getByRole('link', { name: 'Rotate password of 201' }).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate the SIP password of 201?' });
    await rotate.waitFor();
    await Promise.all([page.waitForURL(new RegExp(`/groups/${group.id}$`)), page.keyboard.press('Enter')]);
    const rotated = await page.locator('#one-time-secret code').innerText();
    expect(rotated).not.toBe(secret);

    // What the browser did reaches the phone: a device whose line 1 is this account renders its name and new password.
    const account = await fork(ctx).findOneOrFail(Account, { sipUsername: 'ada.park' });
    const { deviceId } = await seedDeviceWithLine(ctx, tenant.id, account.id);
    const rendered = await deviceTargetRenderer({ publicPhoneUrl: 'https://phones.example' })(
      fork(ctx),
      targetOf('device', tenant.id, deviceId),
    );
    const cfg = rendered.files[0]!.body.toString('utf8');
    expect(cfg).toContain('account.1.display_name = Ada Park\n');
    expect(cfg).toContain('account.1.user_name = ada.park\n');
    expect(cfg).toContain(`account.1.password = ${rotated}\n`);

    // Delete from the edit form: the pop-up names the account that goes with the group.
    await page.getByRole('button', { name: 'Delete group Sales EMEA' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete group Sales EMEA?' });
    await dialog.waitFor();
    const text = await dialog.innerText();
    expect(text).toContain('deletes its 1 account(s) too');
    expect(text).toContain('1 account(s) deleted');
    expect(text).toContain('1 device(s) lose the lines bound to them');
    expect(text).toContain('0 number(s) become unassigned');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/\/groups$/), page.keyboard.press('Enter')]);
    expect(await page.locator('#result-line').innerText()).toMatch(/deleted with 1 account/);
    expect(await fork(ctx).count(Account, { tenant: tenant.id })).toBe(0);
    expect(await page.getByText('Users created: 0 — Max user limit 2000').count()).toBe(1);
    await page.context().close();
  });

  it('the licence limit shows next to the Add account form, nothing written', async () => {
    const page = await pageOf('admin@grpfull.example');
    await page.getByRole('link', { name: 'Open group Full' }).click();
    await page.getByLabel('Extension (required)').fill('300');
    await page.getByLabel('Display name (required)').fill('Over');
    await page.getByRole('button', { name: 'Add account' }).click();
    expect(await page.locator('#account-form-error').innerText()).toMatch(/0 of 0 licensed accounts/);
    expect(await fork(ctx).count(Account, { displayName: 'Over' })).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('extra members and shared numbers: added by extension and number, a repeat shows already_member / already_shared', async () => {
    const t = await loadedTenant();
    const home = await createGroup(fork(ctx), t, { name: 'Home' });
    const team = await createGroup(fork(ctx), t, { name: 'Team' });
    await createAccount(fork(ctx), t, { groupId: home.id, extension: '401', displayName: 'Mia Moss' });
    const em = fork(ctx);
    em.create(PhoneNumber, { tenant: em.getReference(Tenant, t.id), e164: '+4930111222' } as never);
    await em.flush();
    const page = await pageOf('admin@grp.example');
    await page.goto(`${ctx.baseUrl}/console/t/grp/groups/${team.id}`);
    for (let round = 0; round < 2; round += 1) {
      await page.getByLabel('Extension of the member to add').fill('401');
      await page.getByRole('button', { name: 'Add member' }).click();
      await page.getByLabel('Number to share (E.164)').fill('+49 30 111222');
      await page.getByRole('button', { name: 'Share number' }).click();
    }
    // Second round: the messages stand by the forms (the page re-rendered after the number refusal keeps only that one).
    expect(await page.locator('#n-number-error').innerText()).toMatch(/already shared/);
    await page.getByLabel('Extension of the member to add').fill('401');
    await page.getByRole('button', { name: 'Add member' }).click();
    expect(await page.locator('#m-extension-error').innerText()).toMatch(/already an extra member/);
    expect(await page.getByRole('listitem').filter({ hasText: 'Mia Moss' }).count()).toBe(1);
    expect(await page.getByRole('listitem').filter({ hasText: '+4930111222' }).count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.context().close();
  });

  it("a viewer sees the group without controls, a forged POST is 403; another tenant's id is 404; a hostile name stays text", async () => {
    const t = await loadedTenant();
    const group = await createGroup(fork(ctx), t, { name: HOSTILE });
    await createAccount(fork(ctx), t, { groupId: group.id, extension: '501', displayName: HOSTILE });
    const page = await pageOf('viewer@grp.example');
    await page.goto(`${ctx.baseUrl}/console/t/grp/groups/${group.id}`);
    expect(await page.locator('h1').innerText()).toBe(`Group ${HOSTILE}`);
    expect(await page.getByRole('row', { name: /501/ }).innerText()).toContain(HOSTILE);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    for (const name of ['Update', 'Add account', 'Add member', 'Share number'])
      expect(await page.getByRole('button', { name }).count(), name).toBe(0);
    for (const role of ['link', 'button'] as const)
      expect(await page.getByRole(role, { name: /Delete|Rotate|Remove/ }).count(), role).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const account = await fork(ctx).findOneOrFail(Account, { extension: '501', tenant: t.id });
    for (const [path, form] of [
      [`/groups/${group.id}`, { name: 'Forged' }],
      [`/groups/${group.id}/accounts`, { extension: '599', displayName: 'Forged' }],
      [`/groups/${group.id}/accounts/${account.id}/rotate`, {}],
      [`/groups/${group.id}/members`, { extension: '401' }],
      [`/groups/${group.id}/delete`, {}],
    ] as const) {
      const forged = await page.request.post(`${ctx.baseUrl}/console/t/grp${path}`, {
        form: { _csrf: csrf, ...form },
        maxRedirects: 0,
      });
      expect(forged.status(), path).toBe(403);
    }
    expect(await fork(ctx).count(Group, { name: 'Forged' })).toBe(0);
    expect((await page.goto(`${ctx.baseUrl}/console/t/grp/groups/${other.id}`))!.status()).toBe(404);
    expect((await page.goto(`${ctx.baseUrl}/console/t/grp/groups/not-a-uuid`))!.status()).toBe(404);
    await page.context().close();
  });
});
