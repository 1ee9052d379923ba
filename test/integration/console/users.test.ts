import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererRegistry } from '#src/app/renderers.js';
import { Account } from '#src/model/directory/account.entity.js';
import { createAccount } from '#src/modules/accounts/accounts.service.js';
import { createAutoAttendant } from '#src/modules/auto-attendants/auto-attendants.service.js';
import { createGroup } from '#src/modules/groups/groups.service.js';
import { createHuntGroup } from '#src/modules/hunt-groups/hunt-groups.service.js';
import { assignNumber, swapPrimaryNumber } from '#src/modules/numbers/number-assignment.js';
import { addNumbers } from '#src/modules/numbers/numbers.service.js';
import { PhoneNumber } from '#src/model/directory/phone-number.entity.js';
import { createProfile, setDefaultProfile } from '#src/modules/profiles/profiles.service.js';
import { ArtifactEvents } from '#src/modules/pipeline/artifact-events.js';
import { deviceTarget } from '#src/modules/pipeline/fanout.types.js';
import { pipelineMetrics } from '#src/modules/pipeline/pipeline.metrics.js';
import { renderTarget } from '#src/modules/pipeline/render-target.handler.js';
import { bumpTargets } from '#src/modules/pipeline/targets.js';
import { Tenant } from '#src/model/directory/tenant.entity.js';
import {
  createConsoleContext,
  seedConsoleUser,
  seedTenant,
  seriousA11yViolations,
  signIn,
  type ConsoleTestContext,
} from '../../helpers/console.js';
import { lineAccount, seedDeviceWithLine } from '../../helpers/directory-seed.js';

const XSS = '<img src=x onerror=alert(1)>';

describe('console Users screen', () => {
  let ctx: ConsoleTestContext;
  let tenantId: string;
  const ids: Record<string, string> = {};
  const fork = () => ctx.deps.orm.em.fork() as EntityManager;
  const url = (path: string) => `${ctx.baseUrl}/console/t/usr${path}`;
  const numberOf = async (e164: string) => fork().findOneOrFail(PhoneNumber, { e164 });

  beforeAll(async () => {
    ctx = await createConsoleContext();
    tenantId = (await seedTenant(ctx, 'usr')).id;
    const other = await seedTenant(ctx, 'oth');
    await seedConsoleUser(ctx, 'admin@usr.example', 'admin', await fork().findOneOrFail(Tenant, tenantId));
    await seedConsoleUser(ctx, 'viewer@usr.example', 'viewer', await fork().findOneOrFail(Tenant, tenantId));
    const em = fork();
    const tenant = await em.findOneOrFail(Tenant, tenantId);
    const profile = await createProfile(em, tenant, { name: 'Base', settings: { sipServer: 'sip.example.net' } });
    await setDefaultProfile(em, tenant, profile.id, true);
    const group = await createGroup(em, tenant, { name: 'Sales' });
    const account = async (extension: string, displayName: string) =>
      (await createAccount(em, tenant, { groupId: group.id, extension, displayName })).account.id;
    ids.ann = await account('201', 'Ann Alpha');
    ids.bob = await account('202', 'Bob Beta');
    ids.xss = await account('203', XSS);
    const numbers = await addNumbers(
      em,
      tenant,
      ['+4930111001', '+4930111002', '+4930111003', '+4930111004', '+4930111005', '+4930111006'],
      false,
    );
    await swapPrimaryNumber(em, tenant, ids.ann, numbers[0]!.id);
    await assignNumber(em, tenant, numbers[1]!.id, { accountId: ids.ann, role: 'additional' });
    await createHuntGroup(em, tenant, { name: 'Support line', memberAccountIds: [ids.ann, ids.bob] });
    await createAutoAttendant(em, tenant, { name: 'Main menu', options: [{ digit: '1', accountId: ids.ann }] });
    const seeded = await seedDeviceWithLine(ctx, tenantId, ids.ann);
    ids.device = seeded.deviceId;
    ids.line = seeded.lineId;
    const otherGroup = await createGroup(em, other, { name: 'Elsewhere' });
    ids.foreign = (
      await createAccount(em, other, { groupId: otherGroup.id, extension: '900', displayName: 'Not yours' })
    ).account.id;
  });
  afterAll(async () => ctx?.close());

  async function adminPage(): Promise<Page> {
    const page = await (await ctx.browser.newContext()).newPage();
    page.on('dialog', () => {
      throw new Error('a script dialog fired');
    });
    await signIn(page, ctx.baseUrl, 'admin@usr.example');
    return page;
  }

  /** Renders the device as the render worker does and returns its Yealink file. */
  async function deviceFile(): Promise<string> {
    const [target] = await ctx.deps.orm.em
      .getKnex()
      .transaction((trx) => bumpTargets(trx, [deviceTarget(tenantId, ids.device!)]));
    await renderTarget(
      {
        orm: ctx.deps.orm,
        queues: ctx.deps.queues,
        renderers: rendererRegistry({ publicPhoneUrl: 'http://phones.test' }),
        events: new ArtifactEvents(ctx.deps.redis, ctx.config.queuePrefix),
        metrics: pipelineMetrics(ctx.deps.metrics.registry),
        logger: ctx.deps.logger,
      },
      target!.id,
    );
    const rows = (
      await ctx.deps.orm.em
        .getKnex()
        .raw(
          `select convert_from(body, 'UTF8') as text from artifacts where target_id = ? and serve_path like '%.cfg'`,
          [target!.id],
        )
    ).rows as { text: string }[];
    return rows.map((row) => row.text).join('\n');
  }

  it('lists users with group, primary number and devices, searched on the server (also by number); XSS stays text', async () => {
    const page = await adminPage();
    await page.getByRole('link', { name: 'Users' }).click();
    const row = page.getByRole('row', { name: /201/ });
    expect(await row.innerText()).toMatch(/201\s+Ann Alpha\s+Sales\s+\+4930111001\s+1/);
    expect(await page.getByText(XSS, { exact: true }).count()).toBe(1);
    expect(await page.locator('img').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel(/Search by extension/).fill('4930111002');
    await Promise.all([page.waitForURL(/q=/), page.getByRole('button', { name: 'Search' }).click()]);
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody').innerText()).toContain('Ann Alpha');
    await page.context().close();
  });

  it('swaps the primary number, assigns an additional one and removes one (it stays Unassigned)', async () => {
    const page = await adminPage();
    await page.goto(url(`/users/${ids.ann}`));
    await page.locator('#primary-number').click();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel('New primary phone number').selectOption({ label: '+4930111003' });
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Swap' }).click()]);
    expect(await page.locator('#result-line').innerText()).toContain('Changes Saved');
    expect(await page.locator('#primary-number').innerText()).toBe('+4930111003');
    expect(await numberOf('+4930111003')).toMatchObject({ accountRole: 'primary', status: 'assigned' });
    expect(await numberOf('+4930111001')).toMatchObject({ account: null, status: 'unassigned' });

    await page.getByLabel(/^Unassigned number/).selectOption({ label: '+4930111004' });
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Assign' }).click()]);
    expect(await page.locator('#additional-numbers').innerText()).toContain('+4930111004');
    expect(await numberOf('+4930111004')).toMatchObject({ accountRole: 'additional', status: 'assigned' });

    await page.getByRole('link', { name: 'Remove +4930111002' }).click();
    const dialog = page.getByRole('dialog', { name: /Remove \+4930111002/ });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('stays in the tenant as Unassigned');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await Promise.all([page.waitForEvent('load'), dialog.getByRole('button', { name: 'OK' }).click()]);
    expect(await page.locator('#additional-numbers').innerText()).not.toContain('+4930111002');
    expect(await numberOf('+4930111002')).toMatchObject({ account: null, status: 'unassigned' });
    await page.context().close();
  });

  it('a number taken meanwhile is a 409 message and nothing is written', async () => {
    const page = await adminPage();
    await page.goto(url(`/users/${ids.bob}`));
    await page.getByLabel(/^Unassigned number/).selectOption({ label: '+4930111005' });
    const em = fork();
    const taken = await numberOf('+4930111005');
    await assignNumber(em, await em.findOneOrFail(Tenant, tenantId), taken.id, { accountId: ids.xss });
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Assign' }).click(),
    ]);
    expect(response.status()).toBe(409);
    expect(await page.locator('#action-error').innerText()).toContain('+4930111005 is already assigned');
    expect((await numberOf('+4930111005')).account?.id).toBe(ids.xss);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.context().close();
  });

  it("a display name edited in the browser reaches the rendered device file of the user's phone", async () => {
    expect(await deviceFile()).toContain('Ann Alpha');
    const page = await adminPage();
    await page.goto(url(`/users/${ids.ann}`));
    await page.getByLabel('Display name').fill('Ann Renamed');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save' }).click()]);
    expect(await page.locator('#result-line').innerText()).toBe('Changes Saved');
    const file = await deviceFile();
    expect(file).toContain('Ann Renamed');
    expect(file).not.toContain('Ann Alpha');
    // A blank name is refused next to the field, nothing written.
    await page.getByLabel('Display name').fill('   ');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(response.status()).toBe(400);
    expect(await page.getByLabel('Display name').getAttribute('aria-invalid')).toBe('true');
    expect((await fork().findOneOrFail(Account, ids.ann!)).displayName).toBe('Ann Renamed');
    await page.context().close();
  });

  it('removing a user lists its numbers, devices, hunt groups and auto attendants, then unassigns them all', async () => {
    const page = await adminPage();
    await page.goto(url(`/users/${ids.ann}`));
    await page.getByRole('button', { name: 'Remove user' }).click();
    const dialog = page.getByRole('dialog', { name: /Remove user 201/ });
    await dialog.waitFor();
    const text = await dialog.innerText();
    expect(text).toContain('Phone number +4930111003 (primary) becomes unassigned');
    expect(text).toContain('Phone number +4930111004 (additional) becomes unassigned');
    expect(text).toMatch(/Device 0015aa[0-9a-f]{6} becomes unassigned \(line 1\)/);
    expect(text).toContain('Leaves hunt group Support line');
    expect(text).toContain('Auto attendant Main menu no longer forwards key 1 to this user');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/\/users$/), dialog.getByRole('button', { name: 'OK' }).click()]);
    expect(await page.locator('#result-line').innerText()).toContain('User 201 removed: 2 number(s)');
    expect(await fork().count(Account, { id: ids.ann })).toBe(0);
    expect(
      await fork().count(PhoneNumber, { e164: { $in: ['+4930111003', '+4930111004'] }, status: 'unassigned' }),
    ).toBe(2);
    expect(await lineAccount(ctx, ids.line!)).toBeNull();
    await page.context().close();
  });

  it("a viewer sees no write controls and a forged POST is 403; another tenant's or a malformed id is 404", async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    await signIn(page, ctx.baseUrl, 'viewer@usr.example');
    await page.goto(url(`/users/${ids.bob}`));
    for (const name of ['Save', 'Swap', 'Assign', 'Remove user'])
      expect(await page.getByRole('button', { name }).count()).toBe(0);
    expect(await page.locator('form[method="post"]').count()).toBe(1); // sign-out only
    expect(await seriousA11yViolations(page)).toEqual([]);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const free = await numberOf('+4930111006');
    for (const [path, form] of [
      [`/users/${ids.bob}/numbers`, { numberId: free.id }],
      [`/users/${ids.bob}/delete`, {}],
      [`/users/${ids.bob}`, { displayName: 'Forged' }],
    ] as const) {
      const response = await page.request.post(url(path), { form: { _csrf: csrf, ...form } });
      expect(response.status()).toBe(403);
    }
    expect((await numberOf('+4930111006')).status).toBe('unassigned');
    expect(await fork().count(Account, { id: ids.bob })).toBe(1);
    expect((await page.goto(url(`/users/${ids.foreign}`)))!.status()).toBe(404);
    expect((await page.goto(url('/users/not-a-uuid')))!.status()).toBe(404);
    await page.context().close();
  });
});
