import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '#src/modules/accounts/accounts.service.js';
import { createClassOfService } from '#src/modules/classes-of-service/classes-of-service.service.js';
import { DeviceLine } from '#src/model/directory/device-line.entity.js';
import { createDevice } from '#src/modules/devices/devices.service.js';
import { createGroup } from '#src/modules/groups/groups.service.js';
import { PhoneMapGroup } from '#src/model/directory/phonemap-group.entity.js';
import { PhoneMapMember } from '#src/model/directory/phonemap-member.entity.js';
import { createPhoneMapGroup } from '#src/modules/phonemap-groups/phonemap-groups.service.js';
import { addPhoneMapMember } from '#src/modules/phonemap-groups/phonemap-members.service.js';
import { createRelay } from '#src/modules/pipeline/pipeline.js';
import type { OutboxRelay } from '#src/modules/pipeline/relay.js';
import { defaultFanoutRegistry } from '#src/modules/pipeline/resolvers/resolvers.js';
import {
  createConsoleContext,
  seedConsoleUser,
  seedTenant,
  seriousA11yViolations,
  signIn,
  type ConsoleTestContext,
} from '../../helpers/console.js';
import { targetGenerations } from '../../helpers/target-bumps.js';

const XSS = '<img src=x onerror=alert(1)>';

describe('console Phone Map Groups screen', () => {
  let ctx: ConsoleTestContext;
  let relay: OutboxRelay;
  let tenantId: string;
  let cosName: string;
  let bob: string;
  let deskId: string;
  const fork = () => ctx.deps.orm.em.fork() as EntityManager;
  const url = (path = '') => `${ctx.baseUrl}/console/t/pm/phonemap${path}`;

  beforeAll(async () => {
    ctx = await createConsoleContext();
    relay = createRelay(ctx.deps, defaultFanoutRegistry(), { batchSize: 1000, pollMs: 1000 });
    const tenant = await seedTenant(ctx, 'pm');
    tenantId = tenant.id;
    const other = await seedTenant(ctx, 'pm-other');
    await seedConsoleUser(ctx, 'admin@pm.example', 'admin', tenant);
    await seedConsoleUser(ctx, 'viewer@pm.example', 'viewer', tenant);
    const em = fork();
    const cos = await createClassOfService(em, tenant, { name: 'National', level: 'national' });
    cosName = cos.name;
    const group = await createGroup(em, tenant, { name: 'Office' });
    const alice = (await createAccount(em, tenant, { groupId: group.id, extension: '201', displayName: 'Alice Day' }))
      .account;
    bob = (await createAccount(em, tenant, { groupId: group.id, extension: '202', displayName: 'Bob Night' })).account
      .id;
    await createPhoneMapGroup(em, tenant, { id: 'night', name: 'Night service', classOfServiceId: cos.id });
    await addPhoneMapMember(em, tenant, 'night', alice.id);
    await addPhoneMapMember(em, tenant, 'night', bob);
    deskId = (
      await createDevice(em, tenant, {
        mac: '001565aa0001',
        vendor: 'yealink',
        model: 'T46S',
        lines: [{ index: 1, phonemapGroupId: 'night' }],
      })
    ).device.id;
    const otherCos = await createClassOfService(em, other, { name: 'Theirs', level: 'internal' });
    await createPhoneMapGroup(em, other, { id: 'theirs', name: 'Theirs', classOfServiceId: otherCos.id });
  });
  afterAll(async () => {
    await relay?.stop();
    await ctx?.close();
  });

  async function adminPage(): Promise<Page> {
    const page = await (await ctx.browser.newContext()).newPage();
    page.on('dialog', () => {
      throw new Error('a script dialog fired');
    });
    await signIn(page, ctx.baseUrl, 'admin@pm.example');
    return page;
  }

  it('creates a group in the row editor, the id checked as it is typed', async () => {
    const page = await adminPage();
    await page.getByRole('link', { name: 'PhoneMap Groups' }).click();
    await page.getByRole('heading', { name: 'Phone Map Groups' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'New PhoneMap Group' }).click();
    const row = page.locator('tr#new-row');
    await row.getByLabel('PhoneMap Group ID').waitFor();
    expect(page.url()).toBe(url());
    await row.getByLabel('PhoneMap Group ID').pressSequentially('bad id');
    await row.locator('#f-id-hint .field-error').waitFor();
    expect(await row.locator('#f-id-hint').innerText()).toContain('must be a token');
    expect(
      await row
        .getByLabel('PhoneMap Group ID')
        .evaluate((input) => (input as unknown as { validity: { patternMismatch: boolean } }).validity.patternMismatch),
    ).toBe(true);
    await row.getByLabel('PhoneMap Group ID').fill('');
    await row.getByLabel('PhoneMap Group ID').pressSequentially('night');
    await page.getByText('a PhoneMap group with id night already exists').waitFor();
    await row.getByLabel('PhoneMap Group ID').fill('');
    await row.getByLabel('PhoneMap Group ID').pressSequentially('lobby_1');
    await page.getByText('This PhoneMap Group ID is free.').waitFor();
    await row.getByLabel('PhoneMap Group Name').fill(XSS);
    await row.getByLabel('Class of Service').selectOption({ label: cosName });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(url()), row.getByRole('button', { name: 'Save New PhoneMap Group' }).click()]);
    expect(await page.locator('#result-line').innerText()).toContain('Changes Saved');
    expect(await page.getByRole('row', { name: /lobby_1/ }).innerText()).toContain(XSS);
    expect(await page.locator('img').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('the server checks the id with the REST schema too (400 next to the field, nothing written); no-htmx editor; search', async () => {
    const page = await adminPage();
    await page.goto(url());
    // A bad id is 400 next to the field, nothing written.
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const bad = await page.request.post(url(), {
      form: { _csrf: csrf, id: 'semi;colon', name: 'Bad', classOfServiceId: '' },
      maxRedirects: 0,
    });
    expect(bad.status()).toBe(400);
    const html = await bad.text();
    expect(html).toContain('must be a token');
    expect(html).toContain('aria-invalid="true"');
    expect(await fork().count(PhoneMapGroup, { tenant: tenantId })).toBe(2);

    // Without htmx the same control is a page with the editor row open.
    await page.goto(url('?new=1'));
    await page.locator('tr#new-row').getByRole('button', { name: 'Cancel' }).waitFor();
    await page.getByLabel('Search by PhoneMap Group Name or ID').fill('lobby');
    await Promise.all([page.waitForURL(/q=lobby/), page.getByRole('button', { name: 'Search' }).click()]);
    expect(await page.locator('tbody tr:not([hidden])').count()).toBe(1);
    await page.context().close();
  });

  it('switches the active member in one click, names the phones that follow, and bumps their render target', async () => {
    const page = await adminPage();
    await page.goto(url('/g/night'));
    expect(await page.getByRole('table', { name: 'Phones that follow the switch' }).innerText()).toContain(
      '001565aa0001',
    );
    expect(await seriousA11yViolations(page)).toEqual([]);
    while ((await relay.drainOnce()) > 0);
    const before = (await targetGenerations(ctx)).get(`device:${deskId}`);
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Make active: 202 Bob Night' }).click(),
    ]);
    expect(await page.locator('#result-line').innerText()).toContain(
      'Changes Saved — 202 Bob Night is active; 1 phone(s) follow the switch: 001565aa0001',
    );
    const active = await fork().find(PhoneMapMember, { tenant: tenantId, active: true }, { populate: ['account'] });
    expect(active.map((member) => member.account.id)).toEqual([bob]);
    while ((await relay.drainOnce()) > 0);
    const after = (await targetGenerations(ctx)).get(`device:${deskId}`);
    expect(BigInt(after!)).toBeGreaterThan(BigInt(before ?? '0'));
    expect(await page.getByRole('row', { name: /202/ }).innerText()).toContain('Active');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('delete: the red X asks first, listing the mappings and the phones on them; OK removes all mappings', async () => {
    const page = await adminPage();
    await page.goto(url());
    await page.getByRole('link', { name: 'Delete Night service' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete PhoneMap group Night service?' });
    await dialog.waitFor();
    const text = await dialog.innerText();
    expect(text).toContain('Mapping to 201 Alice Day removed');
    expect(text).toContain('Mapping to 202 Bob Night (active) removed');
    expect(text).toContain('Phone 001565aa0001 loses line 1');
    expect(text).toContain('double-check that no phone critical to the system is removed');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await fork().count(PhoneMapGroup, { tenant: tenantId, token: 'night' })).toBe(1);
    await page.getByRole('link', { name: 'Delete Night service' }).click();
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('dialog').getByRole('button', { name: 'OK' }).click(),
    ]);
    expect(await page.locator('#result-line').innerText()).toContain(
      'PhoneMap group night deleted; 2 mapping(s) removed, 1 phone line(s) unbound',
    );
    expect(await fork().count(PhoneMapGroup, { tenant: tenantId, token: 'night' })).toBe(0);
    expect(await fork().count(PhoneMapMember, { tenant: tenantId })).toBe(0);
    expect((await fork().findOneOrFail(DeviceLine, { device: deskId })).phonemapGroup).toBeNull();
    expect(await seriousA11yViolations(page)).toEqual([]);
    // Another tenant's group is 404, as is a malformed id.
    for (const path of ['/g/theirs', '/g/theirs/delete', '/g/bad%20id'])
      expect((await page.goto(url(path)))!.status(), path).toBe(404);
    await page.context().close();
  });

  it('a viewer sees no write controls and a forged POST is 403', async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    await signIn(page, ctx.baseUrl, 'viewer@pm.example');
    await page.goto(url());
    expect(await page.getByRole('button', { name: 'New PhoneMap Group' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /^Delete / }).count()).toBe(0);
    expect(await page.getByRole('columnheader', { name: 'Controls' }).count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.goto(url('/g/lobby_1'));
    expect(await page.getByRole('button').filter({ hasNotText: 'Sign out' }).count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const cos = (await fork().findOneOrFail(PhoneMapGroup, { tenant: tenantId, token: 'lobby_1' })).classOfService.id;
    expect(
      (
        await page.request.post(url(), { form: { _csrf: csrf, id: 'forged', name: 'Forged', classOfServiceId: cos } })
      ).status(),
    ).toBe(403);
    expect((await page.request.post(url('/g/lobby_1/delete'), { form: { _csrf: csrf } })).status()).toBe(403);
    expect(
      (await page.request.post(url('/g/lobby_1/members'), { form: { _csrf: csrf, accountId: bob } })).status(),
    ).toBe(403);
    expect(await fork().count(PhoneMapGroup, { tenant: tenantId })).toBe(1);
    expect(await fork().count(PhoneMapMember, { tenant: tenantId })).toBe(0);
    await page.context().close();
  });
});
