import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account } from '#src/model/directory/account.entity.js';
import { GroupSharedNumber } from '#src/model/directory/group-shared-number.entity.js';
import { Group } from '#src/model/directory/group.entity.js';
import { HuntGroup } from '#src/model/directory/hunt-group.entity.js';
import { PhoneNumber } from '#src/model/directory/phone-number.entity.js';
import { Tenant } from '#src/model/directory/tenant.entity.js';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

let ctx: TestContext;
let t: SeededTenant;
let base: string;
let groups: Group[];

async function createGroups(tenant: SeededTenant, names: string[]): Promise<Group[]> {
  const em = ctx.deps.orm.em.fork() as EntityManager;
  const created = names.map((name) => em.create(Group, { tenant: em.getReference(Tenant, tenant.tenant.id), name }));
  await em.flush();
  return created;
}

beforeAll(async () => {
  ctx = await createTestContext();
  t = await seedTenant(ctx, 'pb', { defaultCountry: 'DE' });
  base = `/api/v1/tenants/${t.slug}/phonebooks`;
  groups = await createGroups(t, ['Sales', 'Support']);
});
afterAll(async () => ctx?.close());

describe('phonebooks', () => {
  it('creates phonebooks with a unique name and a random, URL-safe, stable token', async () => {
    const created = await t.admin.post(base, { name: 'Partners' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Partners',
      isDefault: false,
      visibility: 'all',
      groupIds: [],
      contactCount: 0,
    });
    expect(created.body.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const other = await t.admin.post(base, { name: 'Vendors' });
    expect(other.body.token).not.toBe(created.body.token);
    const renamed = await t.admin.patch(`${base}/${created.body.id}`, { name: 'Key Partners' });
    expect(renamed.body).toMatchObject({ name: 'Key Partners', token: created.body.token });
    const taken = await t.admin.post(base, { name: 'Vendors' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('phonebook_name_taken');
    const list = (await t.viewer.get(base)).body;
    expect(list.items.map((pb: { name: string }) => pb.name)).toEqual(['Key Partners', 'Vendors']);
  });

  it('allows at most one default phonebook per tenant, in the API and in the database', async () => {
    const s = await seedTenant(ctx, 'pb-default');
    const url = `/api/v1/tenants/${s.slug}/phonebooks`;
    const first = await s.admin.post(url, { name: 'All Company Contacts', isDefault: true });
    expect(first.body.isDefault).toBe(true);
    const second = await s.admin.post(url, { name: 'Another', isDefault: true });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('default_phonebook_exists');
    const plain = await s.admin.post(url, { name: 'Plain' });
    expect((await s.admin.patch(`${url}/${plain.body.id}`, { isDefault: true })).status).toBe(409);
    const raw = ctx.deps.orm.em.fork().getConnection();
    await expect(raw.execute(`update phonebooks set is_default = true where id = ?`, [plain.body.id])).rejects.toThrow(
      /phonebooks_one_default_per_tenant/,
    );
    // Moving the default: unset, then set elsewhere.
    expect((await s.admin.patch(`${url}/${first.body.id}`, { isDefault: false })).body.isDefault).toBe(false);
    expect((await s.admin.patch(`${url}/${plain.body.id}`, { isDefault: true })).body.isDefault).toBe(true);
  });

  it('is visible to all devices or to chosen groups of the same tenant', async () => {
    const [sales, support] = groups as [Group, Group];
    const missing = await t.admin.post(base, { name: 'Groups only', visibility: 'groups' });
    expect(missing.body.code).toBe('groups_required');
    const stray = await t.admin.post(base, { name: 'Stray', groupIds: [sales.id] });
    expect(stray.body.code).toBe('groups_not_allowed');
    const created = await t.admin.post(base, { name: 'Sales book', visibility: 'groups', groupIds: [sales.id] });
    expect(created.body).toMatchObject({ visibility: 'groups', groupIds: [sales.id] });
    const both = await t.admin.patch(`${base}/${created.body.id}`, { groupIds: [support.id, sales.id] });
    expect([...both.body.groupIds].sort()).toEqual([sales.id, support.id].sort());
    const everyone = await t.admin.patch(`${base}/${created.body.id}`, { visibility: 'all' });
    expect(everyone.body).toMatchObject({ visibility: 'all', groupIds: [] });
    expect(await countRows(ctx, 'phonebook_groups', 'phonebook_id = ?', [created.body.id])).toBe(0);
  });

  it('adds, lists and removes member contacts; deleting the phonebook keeps the contacts', async () => {
    const book = (await t.admin.post(base, { name: 'Members' })).body;
    const ids = [];
    for (const name of ['Cyan', 'Amber', 'Brown']) {
      ids.push(
        (
          await t.admin.post(`/api/v1/tenants/${t.slug}/contacts`, {
            lastName: name,
            numbers: [{ type: 'work', number: '4711' }],
          })
        ).body.id,
      );
    }
    expect((await t.admin.post(`${base}/${book.id}/contacts`, { contactIds: ids })).body).toEqual({
      changed: 3,
      contactCount: 3,
    });
    expect((await t.admin.post(`${base}/${book.id}/contacts`, { contactIds: ids })).body).toEqual({
      changed: 0,
      contactCount: 3,
    });
    const listed = (await t.viewer.get(`${base}/${book.id}/contacts`)).body;
    expect(listed.items.map((c: { lastName: string }) => c.lastName)).toEqual(['Amber', 'Brown', 'Cyan']);
    expect((await t.viewer.get(`${base}/${book.id}/contacts?q=brown`)).body.total).toBe(1);
    expect((await t.admin.post(`${base}/${book.id}/contacts/remove`, { contactIds: [ids[0]] })).body).toEqual({
      changed: 1,
      contactCount: 2,
    });
    expect((await t.admin.delete(`${base}/${book.id}/contacts/${ids[1]}`)).status).toBe(204);
    expect((await t.admin.delete(`${base}/${book.id}/contacts/${ids[1]}`)).status).toBe(404);
    expect((await t.viewer.get(`${base}/${book.id}`)).body.contactCount).toBe(1);
    expect((await t.admin.delete(`${base}/${book.id}`)).status).toBe(204);
    expect((await t.viewer.get(`${base}/${book.id}`)).status).toBe(404);
    expect(await countRows(ctx, 'contacts', 'id in (?)', [ids])).toBe(3);
  });

  it('captures phonebook, membership and visibility changes in the outbox', async () => {
    const raw = ctx.deps.orm.em.fork().getConnection();
    await raw.execute('delete from change_outbox');
    const book = (await t.admin.post(base, { name: 'Captured', visibility: 'groups', groupIds: [groups[0]!.id] })).body;
    const contact = (
      await t.admin.post(`/api/v1/tenants/${t.slug}/contacts`, {
        lastName: 'Member',
        numbers: [{ type: 'work', number: '4711' }],
        phonebookIds: [book.id],
      })
    ).body;
    const rows = await raw.execute<{ table_name: string; keys: Record<string, string> }[]>(
      `select table_name, keys from change_outbox order by id`,
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { table_name: 'phonebooks', keys: { id: book.id } },
        { table_name: 'phonebook_groups', keys: { phonebook_id: book.id, group_id: groups[0]!.id } },
        // Set-captured tables: one outbox row per statement (and tenant), key values as arrays.
        { table_name: 'contacts', keys: { id: [contact.id] } },
        { table_name: 'contact_numbers', keys: { contact_id: [contact.id] } },
        { table_name: 'phonebook_contacts', keys: { phonebook_id: [book.id], contact_id: [contact.id] } },
      ]),
    );
  });
});

describe('internal directory', () => {
  it('lists enabled accounts, hunt groups and shared numbers, live from the directory tables', async () => {
    const s = await seedTenant(ctx, 'pb-internal');
    const em = ctx.deps.orm.em.fork() as EntityManager;
    const tenant = em.getReference(Tenant, s.tenant.id);
    const group = em.create(Group, { tenant, name: 'Head Office' });
    const alice = em.create(Account, {
      tenant,
      homeGroup: group,
      extension: '100',
      sipUsername: 'alice',
      sipPassword: 'x'.repeat(24),
      displayName: 'Alice Adams',
    });
    em.create(Account, {
      tenant,
      homeGroup: group,
      extension: '101',
      sipUsername: 'bob',
      sipPassword: 'x'.repeat(24),
      displayName: 'Bob Disabled',
      enabled: false,
    });
    const hunt = em.create(HuntGroup, { tenant, name: 'Sales Line', extension: '600' });
    em.create(PhoneNumber, {
      tenant,
      e164: '+493012340100',
      status: 'assigned',
      account: alice,
      accountRole: 'primary',
    });
    em.create(PhoneNumber, {
      tenant,
      e164: '+493012340101',
      status: 'assigned',
      account: alice,
      accountRole: 'additional',
    });
    em.create(PhoneNumber, { tenant, e164: '+493012340600', status: 'assigned', huntGroup: hunt });
    const reception = em.create(PhoneNumber, { tenant, e164: '+493012340000' });
    em.create(GroupSharedNumber, { tenant, group, number: reception });
    await em.flush();
    const url = `/api/v1/tenants/${s.slug}/phonebooks/internal`;
    const directory = (await s.viewer.get(url)).body;
    expect(directory.total).toBe(3);
    expect(directory.items).toEqual([
      {
        kind: 'account',
        id: alice.id,
        name: 'Alice Adams',
        extension: '100',
        number: '+493012340100',
        group: 'Head Office',
      },
      {
        kind: 'shared_number',
        id: expect.any(String),
        name: 'Head Office',
        extension: null,
        number: '+493012340000',
        group: 'Head Office',
      },
      { kind: 'hunt_group', id: hunt.id, name: 'Sales Line', extension: '600', number: '+493012340600', group: null },
    ]);
    await em.getConnection().execute(`update accounts set display_name = 'Zed Adams' where id = ?`, [alice.id]);
    const after = (await s.viewer.get(`${url}?limit=1&offset=2`)).body;
    expect(after).toMatchObject({ total: 3, limit: 1, offset: 2 });
    expect(after.items[0]).toMatchObject({ kind: 'account', name: 'Zed Adams' });
    // The directory is read-only: a POST to it is a wrong method on an existing path.
    expect((await s.admin.post(url, {})).status).toBe(405);
  });
});
