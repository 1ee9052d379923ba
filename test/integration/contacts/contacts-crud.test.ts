import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

let ctx: TestContext;
let t: SeededTenant;
let url: string;

beforeAll(async () => {
  ctx = await createTestContext();
  t = await seedTenant(ctx, 'crud', { defaultCountry: 'DE' });
  url = `/api/v1/tenants/${t.slug}/contacts`;
});
afterAll(async () => ctx?.close());

const jane = {
  firstName: 'Jane',
  lastName: 'Doe',
  company: 'Acme',
  numbers: [{ type: 'work', number: '030 12345678' }],
};

describe('contact create and read', () => {
  it('creates a contact with E.164-normalised public numbers and digit extensions', async () => {
    const created = await t.admin.post(url, {
      ...jane,
      title: 'CTO',
      email: 'jane@example.com',
      numbers: [
        { type: 'mobile', number: '+49 171 2345678' },
        { type: 'work', number: '030 12345678' },
        { type: 'other', number: '4711' },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      firstName: 'Jane',
      lastName: 'Doe',
      company: 'Acme',
      title: 'CTO',
      email: 'jane@example.com',
    });
    // Grouped by type in the fixed order work, mobile, home, fax, other.
    expect(created.body.numbers).toEqual([
      { type: 'work', number: '+493012345678' },
      { type: 'mobile', number: '+491712345678' },
      { type: 'other', number: '4711' },
    ]);
    const read = await t.viewer.get(`${url}/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('needs a name (first, last or company) and at least one valid number', async () => {
    const noName = await t.admin.post(url, { numbers: [{ type: 'work', number: '+493012345678' }] });
    expect(noName.status).toBe(400);
    expect(noName.body.code).toBe('invalid_contact');
    expect(noName.body.details.errors.map((e: { code: string }) => e.code)).toContain('name_required');
    const noNumber = await t.admin.post(url, { lastName: 'Nobody', numbers: [] });
    expect(noNumber.body.details.errors.map((e: { code: string }) => e.code)).toEqual(['number_required']);
    const badNumber = await t.admin.post(url, { lastName: 'Bad', numbers: [{ type: 'work', number: '12ab' }] });
    expect(badNumber.status).toBe(400);
    expect(badNumber.body.details.errors[0]).toMatchObject({ field: 'numbers[0].number', code: 'invalid_number' });
    const badType = await t.admin.post(url, { lastName: 'Bad', numbers: [{ type: 'pager', number: '4711' }] });
    expect(badType.status).toBe(400);
    expect(await countRows(ctx, 'contacts', 'last_name in (?, ?)', ['Bad', 'Nobody'])).toBe(0);
  });

  it('keeps Unicode and markup characters exactly as sent', async () => {
    const names = [
      { firstName: 'Zoë', lastName: 'Ångström-Müller' },
      { firstName: '太郎', lastName: '山田' },
      { firstName: '🎉 Party', lastName: '👩‍👩‍👧 Family' },
      { firstName: 'שלום', lastName: 'مرحبا\u200F' },
      { firstName: `Tom & "Jerry"`, lastName: `<O'Brien> & Co` },
    ];
    for (const name of names) {
      const created = await t.admin.post(url, {
        ...name,
        company: `<b>&amp;</b> '"`,
        numbers: [{ type: 'home', number: '+33 1 23 45 67 89' }],
      });
      expect(created.status).toBe(201);
      const read = await t.viewer.get(`${url}/${created.body.id}`);
      expect(read.body).toMatchObject({ ...name, company: `<b>&amp;</b> '"` });
      expect(read.raw).not.toContain('&lt;');
    }
  });

  it('records the insert in the change outbox (capture trigger)', async () => {
    const created = await t.admin.post(url, { lastName: 'Captured', numbers: [{ type: 'work', number: '4712' }] });
    const rows = await ctx.deps.orm.em
      .fork()
      .getConnection()
      .execute<{ table_name: string; op: string; tenant_id: string }[]>(
        `select table_name, op, tenant_id from change_outbox where keys->'id' @> to_jsonb(?::text) or keys->'contact_id' @> to_jsonb(?::text) order by id`,
        [created.body.id, created.body.id],
      );
    expect(rows.map((r) => `${r.table_name}:${r.op}`)).toEqual(
      expect.arrayContaining(['contacts:I', 'contact_numbers:I']),
    );
    expect(rows.every((r) => r.tenant_id === t.tenant.id)).toBe(true);
  });
});

describe('default and chosen phonebooks', () => {
  it('adds a new contact to the chosen phonebooks and to the default phonebook', async () => {
    const before = await t.admin.post(url, { lastName: 'Before Default', numbers: [{ type: 'work', number: '4713' }] });
    expect(before.body.phonebookIds).toEqual([]);
    const all = await t.admin.post(`/api/v1/tenants/${t.slug}/phonebooks`, {
      name: 'All Company Contacts',
      isDefault: true,
    });
    const sales = await t.admin.post(`/api/v1/tenants/${t.slug}/phonebooks`, { name: 'Sales' });
    // Becoming the default takes in every existing contact.
    expect((await t.viewer.get(`${url}/${before.body.id}`)).body.phonebookIds).toEqual([all.body.id]);
    const created = await t.admin.post(url, {
      lastName: 'Seller',
      numbers: [{ type: 'work', number: '4714' }],
      phonebookIds: [sales.body.id],
    });
    expect(created.status).toBe(201);
    expect([...created.body.phonebookIds].sort()).toEqual([all.body.id, sales.body.id].sort());
    const unknown = await t.admin.post(url, {
      lastName: 'Lost',
      numbers: [{ type: 'work', number: '4715' }],
      phonebookIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('unknown_reference');
  });
});

describe('update and delete', () => {
  it('updates fields, clears one with null and replaces the numbers', async () => {
    const created = await t.admin.post(url, { ...jane, title: 'Boss' });
    const patched = await t.admin.patch(`${url}/${created.body.id}`, {
      title: null,
      company: 'Acme GmbH',
      numbers: [{ type: 'fax', number: '+49 30 87654321' }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      firstName: 'Jane',
      lastName: 'Doe',
      company: 'Acme GmbH',
      title: null,
      numbers: [{ type: 'fax', number: '+493087654321' }],
    });
    expect(await countRows(ctx, 'contact_numbers', 'contact_id = ?', [created.body.id])).toBe(1);
    const invalid = await t.admin.patch(`${url}/${created.body.id}`, {
      firstName: null,
      lastName: null,
      company: null,
    });
    expect(invalid.status).toBe(400);
    expect((await t.viewer.get(`${url}/${created.body.id}`)).body.company).toBe('Acme GmbH');
  });

  it('deletes one contact (with its numbers and memberships) and bulk-deletes by ids', async () => {
    const one = await t.admin.post(url, { lastName: 'Gone', numbers: [{ type: 'work', number: '4716' }] });
    expect((await t.admin.delete(`${url}/${one.body.id}`)).status).toBe(204);
    expect((await t.viewer.get(`${url}/${one.body.id}`)).status).toBe(404);
    expect(await countRows(ctx, 'contact_numbers', 'contact_id = ?', [one.body.id])).toBe(0);
    expect(await countRows(ctx, 'phonebook_contacts', 'contact_id = ?', [one.body.id])).toBe(0);
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (await t.admin.post(url, { lastName: `Bulk ${i}`, numbers: [{ type: 'work', number: `480${i}` }] })).body.id,
      );
    const missing = '00000000-0000-4000-8000-000000000001';
    const result = await t.admin.post(`${url}/bulk-delete`, { ids: [...ids, missing] });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ deleted: 3, notFound: [missing] });
    expect(await countRows(ctx, 'contacts', 'id in (?)', [ids])).toBe(0);
  });
});

describe('list, search and paging', () => {
  let s: SeededTenant;
  let list: string;
  beforeAll(async () => {
    s = await seedTenant(ctx, 'search', { defaultCountry: 'DE' });
    list = `/api/v1/tenants/${s.slug}/contacts`;
    const people = [
      ['Émile', 'Zola', 'Le Figaro', '+33 1 42 68 53 00'],
      ['Ada', 'Lovelace', 'Analytical Engines', '+44 20 7946 0018'],
      ['Alan', 'Turing', 'Bletchley Park', '+44 1908 640404'],
      ['Grace', 'Hopper', 'US Navy', '+1 202 555 0143'],
      ['Ada', 'Byron', 'Analytical Engines', '030 22334455'],
    ];
    for (const [firstName, lastName, company, number] of people) {
      await s.admin.post(list, { firstName, lastName, company, numbers: [{ type: 'work', number }] });
    }
    // Identical names: the id decides their order.
    for (let i = 0; i < 3; i++)
      await s.admin.post(list, { firstName: 'Sam', lastName: 'Same', numbers: [{ type: 'work', number: `50${i}` }] });
  });

  it('sorts by last name, first name, id and pages without overlap', async () => {
    const all = (await s.viewer.get(`${list}?limit=500`)).body;
    expect(all.total).toBe(8);
    const last = all.items.map((c: { lastName: string }) => c.lastName);
    expect(last).toEqual(['Byron', 'Hopper', 'Lovelace', 'Same', 'Same', 'Same', 'Turing', 'Zola']);
    const sameIds = all.items
      .filter((c: { lastName: string }) => c.lastName === 'Same')
      .map((c: { id: string }) => c.id);
    expect(sameIds).toEqual([...sameIds].sort());
    const paged = [];
    for (let offset = 0; offset < 8; offset += 3)
      paged.push(...(await s.viewer.get(`${list}?limit=3&offset=${offset}`)).body.items);
    expect(paged.map((c: { id: string }) => c.id)).toEqual(all.items.map((c: { id: string }) => c.id));
  });

  it('searches names without case or accents, company words and numbers in any common format', async () => {
    const names = async (q: string) =>
      (await s.viewer.get(`${list}?q=${encodeURIComponent(q)}`)).body.items.map(
        (c: { lastName: string }) => c.lastName,
      );
    expect(await names('emile')).toEqual(['Zola']);
    expect(await names('ADA')).toEqual(['Byron', 'Lovelace']);
    expect(await names('analytical lovelace')).toEqual(['Lovelace']);
    expect(await names('bletchley')).toEqual(['Turing']);
    expect(await names('+44 20 7946')).toEqual(['Lovelace']);
    expect(await names('030 22334455')).toEqual(['Byron']);
    expect(await names('4930223')).toEqual(['Byron']);
    expect(await names('nobody-here')).toEqual([]);
    expect(await names('100%_')).toEqual([]);
  });
});

describe('control characters in a number', () => {
  it('are refused with 400 invalid_contact, never stripped and stored', async () => {
    const before = await countRows(ctx, 'contacts');
    for (const number of ['030 123\n4567', '030 123\u00004567', '030 123\u00074567', '\r030 1234567', '\r12']) {
      const response = await t.admin.post(url, { lastName: 'Broken', numbers: [{ type: 'work', number }] });
      expect(response.status, JSON.stringify(number)).toBe(400);
      expect(response.body.code).toBe('invalid_contact');
      expect(response.body.details.errors[0]).toMatchObject({ field: 'numbers[0].number', code: 'invalid_number' });
    }
    expect(await countRows(ctx, 'contacts')).toBe(before);
  });
});
