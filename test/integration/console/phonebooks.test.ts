import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '#src/modules/accounts/accounts.service.js';
import { createContact } from '#src/modules/contacts/contacts.service.js';
import { createGroup } from '#src/modules/groups/groups.service.js';
import { createRelay } from '#src/modules/pipeline/pipeline.js';
import type { OutboxRelay } from '#src/modules/pipeline/relay.js';
import { defaultFanoutRegistry } from '#src/modules/pipeline/resolvers/resolvers.js';
import { Phonebook } from '#src/model/phonebooks/phonebook.entity.js';
import { PhonebookGroup } from '#src/model/phonebooks/phonebook-group.entity.js';
import { createPhonebook } from '#src/modules/phonebooks/phonebooks.service.js';
import { Tenant } from '#src/model/directory/tenant.entity.js';
import {
  createConsoleContext,
  seedConsoleUser,
  seedTenant,
  seriousA11yViolations,
  signIn,
  type ConsoleTestContext,
} from '../../helpers/console.js';
import { targetsBumpedBy } from '../../helpers/target-bumps.js';

const XSS = '<img src=x onerror=alert(1)>';

describe('console Phonebooks screen', () => {
  let ctx: ConsoleTestContext;
  let relay: OutboxRelay;
  let tenantId: string;
  let salesId: string;
  let deviceId: string;
  let defaultId: string;
  let foreignBook: string;
  const fork = () => ctx.deps.orm.em.fork() as EntityManager;
  const sql = (query: string, params: unknown[] = []) => ctx.deps.orm.em.getConnection().execute(query, params);
  const url = (path: string) => `${ctx.baseUrl}/console/t/pb/phonebooks${path}`;

  beforeAll(async () => {
    ctx = await createConsoleContext();
    relay = createRelay(ctx.deps, defaultFanoutRegistry(), { batchSize: 1000, pollMs: 200 });
    tenantId = (await seedTenant(ctx, 'pb')).id;
    const other = await seedTenant(ctx, 'pb-other');
    const em = fork();
    const tenant = await em.findOneOrFail(Tenant, tenantId);
    await seedConsoleUser(ctx, 'admin@pb.example', 'admin', tenant);
    await seedConsoleUser(ctx, 'viewer@pb.example', 'viewer', tenant);
    const sales = await createGroup(em, tenant, { name: 'Sales' });
    salesId = sales.id;
    await createGroup(em, tenant, { name: 'Support' });
    const { account } = await createAccount(em, tenant, { groupId: sales.id, extension: '201', displayName: 'Alice' });
    deviceId = randomUUID();
    await sql(
      `insert into devices (id, tenant_id, mac, vendor, model, status, overrides, provisioning_secret) values (?, ?, '001565000001', 'yealink', 'T46S', 'active', '{}'::jsonb, 's')`,
      [deviceId, tenantId],
    );
    await sql(`insert into device_lines (id, tenant_id, device_id, line_index, account_id) values (?, ?, ?, 1, ?)`, [
      randomUUID(),
      tenantId,
      deviceId,
      account.id,
    ]);
    defaultId = (await createPhonebook(em, tenant, { name: 'All Company Contacts', isDefault: true })).id;
    const partners = await createPhonebook(em, tenant, { name: 'Partners' });
    await createContact(em, tenant, {
      lastName: 'Both',
      numbers: [{ type: 'work', number: '4711' }],
      phonebookIds: [defaultId, partners.id],
    });
    await createContact(em, tenant, {
      lastName: 'Only',
      numbers: [{ type: 'work', number: '4712' }],
      phonebookIds: [partners.id],
    });
    // createContact puts every contact in the default book too; "Only" keeps Partners as its only book.
    await sql(
      `delete from phonebook_contacts pc using contacts c where c.id = pc.contact_id and c.last_name = 'Only' and pc.phonebook_id = ?`,
      [defaultId],
    );
    foreignBook = (await createPhonebook(fork(), other, { name: 'Foreign' })).id;
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
    await signIn(page, ctx.baseUrl, 'admin@pb.example');
    return page;
  }

  it("lists books with counts and visibility, creates with name rules, edits visibility (reaching the group's phone)", async () => {
    const page = await adminPage();
    await page.getByRole('link', { name: 'Phonebooks' }).click();
    const defaultRow = page.getByRole('row', { name: /All Company Contacts/ });
    expect(await defaultRow.innerText()).toContain('Default');
    expect(await page.getByRole('row', { name: /Partners/ }).innerText()).toMatch(/Partners\s+2\s+All groups\s+0 of 1/);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'New phonebook' }).click();
    // Blank after trimming and a taken name: 400, the message next to the field, nothing written.
    for (const name of ['   ', ' Partners ']) {
      await page.getByLabel('Phonebook name (required)').fill(name);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Create' }).click(),
      ]);
      expect(response.status()).toBe(400);
      expect(await page.getByLabel('Phonebook name (required)').getAttribute('aria-invalid')).toBe('true');
    }
    expect(await page.locator('#f-name-error').innerText()).toContain('already exists');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await fork().count(Phonebook, { tenant: tenantId })).toBe(2);
    await page.getByLabel('Phonebook name (required)').fill(`  ${XSS}  `);
    await Promise.all([
      page.waitForURL(/phonebooks\/[0-9a-f-]{36}$/),
      page.getByRole('button', { name: 'Create' }).click(),
    ]);
    expect(await page.locator('#result-line').innerText()).toContain('Changes Saved');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain(XSS);
    expect(await page.locator('img').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Groups visibility without a group is refused next to the group list.
    await page.getByLabel('Only the ticked groups').check();
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(refused.status()).toBe(400);
    expect(await page.locator('#f-groupIds-error').innerText()).toContain('at least one group');
    expect(await seriousA11yViolations(page)).toEqual([]);

    const book = await fork().findOneOrFail(Phonebook, { tenant: tenantId, name: XSS });
    const bumped = await targetsBumpedBy(ctx, relay, async () => {
      await page.getByLabel('Only the ticked groups').check();
      await page.getByLabel('Sales').check();
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save' }).click()]);
    });
    expect(await page.locator('#result-line').innerText()).toContain('Changes Saved');
    expect(bumped).toContain(`device:${deviceId}`);
    expect((await fork().find(PhonebookGroup, { phonebook: book.id })).map((pg) => pg.group.id)).toEqual([salesId]);
    await page.goto(url('?q=img'));
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody').innerText()).toMatch(/0\s+Sales\s+0 of 1/);
    await page.context().close();
  });

  it('delete confirms with the impact on contacts, groups and phones', async () => {
    const page = await adminPage();
    await page.goto(url(''));
    await page.getByRole('link', { name: 'Delete phonebook Partners' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete phonebook Partners?' });
    await dialog.waitFor();
    const text = await dialog.innerText();
    expect(text).toContain('1 contact(s) stay in other phonebooks');
    expect(text).toContain('1 contact(s) lose their only phonebook');
    expect(text).toContain('Seen by every group of the tenant');
    expect(text).toContain('1 phone(s) get a changed phonebook file');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await Promise.all([page.waitForEvent('load'), dialog.getByRole('button', { name: 'OK' }).click()]);
    expect(await page.locator('#result-line').innerText()).toContain('Phonebook Partners deleted');
    expect(await fork().count(Phonebook, { tenant: tenantId, name: 'Partners' })).toBe(0);
    expect(await fork().count(Phonebook, { id: defaultId })).toBe(1);
    await page.context().close();
  });

  it("a viewer sees no write controls and a forged POST is 403; another tenant's id is 404", async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    await signIn(page, ctx.baseUrl, 'viewer@pb.example');
    await page.goto(url(''));
    expect(await page.getByRole('button', { name: 'New phonebook' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /^Delete/ }).count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.goto(url(`/${defaultId}`));
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete phonebook' }).count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    expect((await page.request.post(url(''), { form: { _csrf: csrf, name: 'Forged' } })).status()).toBe(403);
    expect((await page.request.post(url(`/${defaultId}`), { form: { _csrf: csrf, name: 'Forged' } })).status()).toBe(
      403,
    );
    expect((await page.request.post(url(`/${defaultId}/delete`), { form: { _csrf: csrf } })).status()).toBe(403);
    expect(await fork().count(Phonebook, { tenant: tenantId, name: 'Forged' })).toBe(0);
    await page.context().close();

    const admin = await adminPage();
    expect((await admin.goto(url(`/${foreignBook}`)))!.status()).toBe(404);
    expect((await admin.goto(url(`/${foreignBook}/delete`)))!.status()).toBe(404);
    await admin.context().close();
  });
});
