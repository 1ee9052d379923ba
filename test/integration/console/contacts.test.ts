import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Contact } from '#src/model/contacts/contact.entity.js';
import { createContact } from '#src/modules/contacts/contacts.service.js';
import { Phonebook } from '#src/model/phonebooks/phonebook.entity.js';
import { PhonebookContact } from '#src/model/phonebooks/phonebook-contact.entity.js';
import { phonebookTargetRenderer } from '#src/modules/render/targets/phonebook-target.renderer.js';
import { Tenant } from '#src/model/directory/tenant.entity.js';
import {
  createConsoleContext,
  seriousA11yViolations,
  seedConsoleUser,
  seedTenant,
  signIn,
  type ConsoleTestContext,
} from '../../helpers/console.js';
import { targetOf } from '../render/render-scenario.js';

const XSS = '<img src=x onerror=alert(1)>';

describe('console Company Contacts', () => {
  let ctx: ConsoleTestContext;
  let tenant: Tenant;
  let sales: Phonebook;
  let allContacts: Phonebook;
  let foreignContactId: string;
  const em = () => ctx.deps.orm.em.fork() as EntityManager;

  beforeAll(async () => {
    ctx = await createConsoleContext();
    tenant = await seedTenant(ctx, 'pbc');
    const other = await seedTenant(ctx, 'pbc-other');
    await seedConsoleUser(ctx, 'admin@pbc.example', 'admin', tenant);
    await seedConsoleUser(ctx, 'viewer@pbc.example', 'viewer', tenant);
    await seedConsoleUser(ctx, 'owner@pbc.example', 'owner', tenant);
    const e = em();
    allContacts = e.create(Phonebook, {
      tenant: e.getReference(Tenant, tenant.id),
      name: 'All Company Contacts',
      isDefault: true,
    });
    sales = e.create(Phonebook, { tenant: e.getReference(Tenant, tenant.id), name: 'Sales' });
    await e.flush();
    foreignContactId = (
      await createContact(em(), await em().findOneOrFail(Tenant, other.id), {
        lastName: 'Foreign',
        numbers: [{ type: 'work', number: '+4930111111' }],
      })
    ).id;
  });
  afterAll(async () => ctx?.close());

  async function adminPage(email = 'admin@pbc.example'): Promise<Page> {
    const page = await (await ctx.browser.newContext()).newPage();
    page.on('dialog', () => {
      throw new Error('a script dialog fired');
    });
    await signIn(page, ctx.baseUrl, email);
    await page.goto(`${ctx.baseUrl}/console/t/pbc/contacts`);
    return page;
  }

  it('adds a contact with typed numbers and a phonebook; it reaches the Yealink phonebook file; edit; delete; bulk delete', async () => {
    const page = await adminPage();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    expect(await page.getByText('default phonebook "All Company Contacts"').count()).toBe(1);
    await page.getByLabel('First Name').fill('Ada');
    await page.getByLabel('Last Name').fill('Lovelace');
    await page.getByLabel('Company').fill('Engines Ltd');
    await page.getByLabel('Type (number 1)').selectOption('work');
    await page.getByLabel('Number 1', { exact: true }).fill('+49 30 1234567');
    await page.getByLabel('Type (number 2)').selectOption('mobile');
    await page.getByLabel('Number 2', { exact: true }).fill('not a number');
    await page.getByLabel('Phonebook List').selectOption([sales.id]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save' }).click();
    // A bad number: the error next to its field, nothing written.
    expect(await page.locator('#f-number_1-error').innerText()).toMatch(/not a valid phone number/);
    expect(await page.getByLabel('Number 2', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await em().count(Contact, { tenant: tenant.id })).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel('Number 2', { exact: true }).fill('+49 171 7654321');
    await Promise.all([page.waitForURL(/\/contacts$/), page.getByRole('button', { name: 'Save' }).click()]);
    expect(await page.locator('#result-line').innerText()).toContain('Changes Saved');

    const ada = await em().findOneOrFail(
      Contact,
      { tenant: tenant.id, lastName: 'Lovelace' },
      { populate: ['numbers'] },
    );
    expect(ada.numbers.getItems().map((n) => [n.type, n.number])).toEqual([
      ['work', '+49301234567'],
      ['mobile', '+491717654321'],
    ]);
    const books = (await em().find(PhonebookContact, { contact: ada.id }, { populate: ['phonebook'] }))
      .map((m) => m.phonebook.name)
      .sort();
    expect(books).toEqual(['All Company Contacts', 'Sales']);
    const rendered = await phonebookTargetRenderer({ publicPhoneUrl: 'http://prov.example.test' })(
      em(),
      targetOf('phonebook', tenant.id, sales.id, 'yealink'),
    );
    const xml = rendered.files[0]!.body.toString('utf8');
    expect(xml).toContain('Lovelace');
    expect(xml).toContain('+49301234567');

    // Edit: the pencil, change the title, leave Sales.
    await page.getByRole('link', { name: 'Edit contact Ada Lovelace' }).click();
    await page.getByLabel('Title').fill('Analyst');
    await page.getByLabel('Phonebook List').selectOption([allContacts.id]);
    await Promise.all([page.waitForURL(/\/contacts$/), page.getByRole('button', { name: 'Save' }).click()]);
    expect(await page.locator('#result-line').innerText()).toContain('Changes Saved');
    expect((await em().findOneOrFail(Contact, ada.id)).title).toBe('Analyst');
    expect(await em().count(PhonebookContact, { contact: ada.id })).toBe(1);

    // Delete: the bin, then OK in the confirmation.
    await page.getByRole('link', { name: 'Delete contact Ada Lovelace' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete contact Ada Lovelace?' });
    await dialog.waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/\/contacts$/), dialog.getByRole('button', { name: 'OK' }).click()]);
    expect(await em().count(Contact, { id: ada.id })).toBe(0);

    // Bulk delete: tick two of three, Delete, OK.
    const t = await em().findOneOrFail(Tenant, tenant.id);
    for (const lastName of ['One', 'Two', 'Three'])
      await createContact(em(), t, { lastName, numbers: [{ type: 'work', number: '+4930555000' }] });
    await page.reload();
    await page.getByLabel('Select One').check();
    await page.getByLabel('Select Two').check();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const bulk = page.getByRole('dialog', { name: 'Delete 2 contact(s)?' });
    await bulk.waitFor();
    await Promise.all([page.waitForURL(/\/contacts$/), bulk.getByRole('button', { name: 'OK' }).click()]);
    expect((await em().find(Contact, { tenant: tenant.id })).map((c) => c.lastName)).toEqual(['Three']);
    expect(await page.locator('#result-line').innerText()).toContain('2 contact(s) deleted');

    // Search on the server; export CSV.
    await page.getByLabel('Search by name').fill('three');
    await page.getByRole('button', { name: 'Search' }).click();
    expect(await page.getByRole('cell', { name: 'Three', exact: true }).count()).toBe(1);
    const csv = await page.request.get(`${ctx.baseUrl}/console/t/pbc/contacts/export.csv`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect(await csv.text()).toContain('Three');
    await page.context().close();
  });

  it("a hostile name stays text; another tenant's contact is 404", async () => {
    await createContact(em(), await em().findOneOrFail(Tenant, tenant.id), {
      firstName: XSS,
      numbers: [{ type: 'work', number: '+4930999999' }],
    });
    const page = await adminPage();
    expect(await page.getByRole('cell', { name: XSS, exact: true }).count()).toBe(1);
    expect(await page.locator('td img').count()).toBe(0);
    const response = await page.goto(`${ctx.baseUrl}/console/t/pbc/contacts/${foreignContactId}/edit`);
    expect(response!.status()).toBe(404);
    const malformed = await page.goto(`${ctx.baseUrl}/console/t/pbc/contacts/nope/delete`);
    expect(malformed!.status()).toBe(404);
    await page.context().close();
  });

  it('a viewer sees no write control and a forged POST gets 403', async () => {
    const page = await adminPage('viewer@pbc.example');
    expect(await page.getByRole('cell', { name: 'Three' }).count()).toBe(1);
    for (const name of ['Add', 'Import', 'Export CSV', 'Export vCard', 'Delete'])
      expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    expect(await page.locator('a[aria-label^="Edit contact"], a[aria-label^="Delete contact"]').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const three = await em().findOneOrFail(Contact, { tenant: tenant.id, lastName: 'Three' });
    for (const [url, form] of [
      ['/console/t/pbc/contacts', { _csrf: csrf, lastName: 'Forged', type_0: 'work', number_0: '+4930123123' }],
      [`/console/t/pbc/contacts/${three.id}/delete`, { _csrf: csrf }],
      ['/console/t/pbc/contacts/bulk-delete', { _csrf: csrf, ids: three.id }],
    ] as const) {
      const forged = await page.request.post(`${ctx.baseUrl}${url}`, { form: form as Record<string, string> });
      expect(forged.status(), url).toBe(403);
      expect(forged.headers()['x-error-code']).toBe('permission_denied');
    }
    expect((await page.request.get(`${ctx.baseUrl}/console/t/pbc/contacts/export.csv`)).status()).toBe(403);
    expect(await em().count(Contact, { tenant: tenant.id, lastName: { $in: ['Forged'] } })).toBe(0);
    expect(await em().count(Contact, { id: three.id })).toBe(1);
    await page.context().close();
  });

  it('the owner sets the contact permissions; an admin without "delete" sees no delete control and is refused', async () => {
    const owner = await adminPage('owner@pbc.example');
    await owner.getByRole('link', { name: 'Contact permissions' }).click();
    expect(await owner.getByLabel('owner may delete').isDisabled()).toBe(true);
    expect(await seriousA11yViolations(owner)).toEqual([]);
    await owner.getByLabel('admin may delete').uncheck();
    await owner.getByLabel('viewer may export').check();
    await Promise.all([owner.waitForURL(/\/permissions$/), owner.getByRole('button', { name: 'Save' }).click()]);
    expect(await owner.locator('#result-line').innerText()).toContain('Changes Saved');
    expect(await owner.getByLabel('admin may delete').isChecked()).toBe(false);
    await owner.context().close();

    const admin = await adminPage();
    expect(await admin.getByRole('button', { name: 'Add', exact: true }).count()).toBe(1);
    expect(await admin.locator('a[aria-label^="Delete contact"]').count()).toBe(0);
    expect(await admin.getByRole('checkbox').count()).toBe(0);
    expect(await admin.getByRole('link', { name: 'Contact permissions' }).count()).toBe(0);
    const csrf = await admin.locator('input[name="_csrf"]').first().inputValue();
    const three = await em().findOneOrFail(Contact, { tenant: tenant.id, lastName: 'Three' });
    const forged = await admin.request.post(`${ctx.baseUrl}/console/t/pbc/contacts/${three.id}/delete`, {
      form: { _csrf: csrf },
    });
    expect(forged.status()).toBe(403);
    expect((await admin.request.get(`${ctx.baseUrl}/console/t/pbc/contacts/permissions`)).status()).toBe(403);
    expect(await em().count(Contact, { id: three.id })).toBe(1);
    await admin.context().close();

    const viewer = await adminPage('viewer@pbc.example');
    expect(await viewer.getByRole('button', { name: 'Export CSV' }).count()).toBe(1);
    await viewer.context().close();
  });
});
