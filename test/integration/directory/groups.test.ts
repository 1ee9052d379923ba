import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Profile } from '#src/model/directory/profile.entity.js';
import { Tenant } from '#src/model/directory/tenant.entity.js';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { lineAccount, seedDeviceWithLine } from '../../helpers/directory-seed.js';

let ctx: TestContext;
let t: SeededTenant;
let other: SeededTenant;
const url = (path = '') => `/api/v1/tenants/grp/groups${path}`;

beforeAll(async () => {
  ctx = await createTestContext();
  t = await seedTenant(ctx, 'grp', { maxAccounts: 50 });
  other = await seedTenant(ctx, 'grp-other');
});
afterAll(async () => ctx?.close());

async function group(name: string, body: Record<string, unknown> = {}): Promise<string> {
  const response = await t.admin.post(url(), { name, ...body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id;
}

async function account(groupId: string, extension: string): Promise<string> {
  const response = await t.admin.post('/api/v1/tenants/grp/accounts', {
    groupId,
    extension,
    displayName: `User ${extension}`,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id;
}

async function number(e164: string): Promise<string> {
  const response = await t.admin.post('/api/v1/tenants/grp/numbers', { numbers: [e164] });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.items[0].id;
}

describe('groups: create and update', () => {
  it('creates a group with address and admin contact, and reads it back', async () => {
    const created = await t.admin.post(url(), {
      name: 'Headquarters',
      address: { street: 'Main St 1', city: 'Berlin', state: 'BE', zip: '10115', country: 'Germany' },
      adminContact: {
        surname: 'Doe',
        name: 'Jane',
        role: 'IT lead',
        phone: '+49301234',
        mobile: '+49170123',
        fax: null,
        itEmail: 'it@example.com',
      },
    });
    expect(created.status).toBe(201);
    const read = await t.viewer.get(url(`/${created.body.id}`));
    expect(read.body).toMatchObject({
      name: 'Headquarters',
      address: { street: 'Main St 1', city: 'Berlin', state: 'BE', zip: '10115', country: 'Germany' },
      adminContact: {
        surname: 'Doe',
        name: 'Jane',
        role: 'IT lead',
        phone: '+49301234',
        mobile: '+49170123',
        fax: null,
        itEmail: 'it@example.com',
      },
      accountCount: 0,
      accountLimit: 50,
    });
    const patched = await t.admin.patch(url(`/${created.body.id}`), { address: { city: 'Hamburg' } });
    expect(patched.body.address).toMatchObject({ city: 'Hamburg', street: 'Main St 1' });
  });

  it('requires a name, unique in the tenant (another tenant may reuse it)', async () => {
    await group('Unique');
    const before = await countRows(ctx, 'groups');
    expect((await t.admin.post(url(), {})).status).toBe(400);
    const duplicate = await t.admin.post(url(), { name: 'Unique' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('group_name_taken');
    expect(await countRows(ctx, 'groups')).toBe(before);
    expect((await other.admin.post('/api/v1/tenants/grp-other/groups', { name: 'Unique' })).status).toBe(201);
    const second = await group('Second');
    expect((await t.admin.patch(url(`/${second}`), { name: 'Unique' })).body.code).toBe('group_name_taken');
  });

  it('rejects wrong types, unknown fields and over-long strings with a code, writing nothing', async () => {
    const before = await countRows(ctx, 'groups');
    for (const body of [
      { name: 42 },
      { name: 'x'.repeat(201) },
      { name: 'ok', color: 'red' },
      { name: 'ok', address: { street: 'x', planet: 'Mars' } },
      { name: 'ok', address: { zip: '1'.repeat(21) } },
      { name: 'ok', adminContact: { itEmail: 'not-an-email' } },
      { name: 'ok', profileId: 'not-a-uuid' },
    ]) {
      const response = await t.admin.post(url(), body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.code).toEqual(expect.any(String));
    }
    expect(await countRows(ctx, 'groups')).toBe(before);
  });

  it('takes the tenant default profile unless one is given; a profile of another tenant is refused', async () => {
    const em = ctx.deps.orm.em.fork() as EntityManager;
    const fallback = em.create(Profile, { tenant: em.getReference(Tenant, t.tenant.id), name: 'Default' });
    const chosen = em.create(Profile, { tenant: em.getReference(Tenant, t.tenant.id), name: 'Chosen' });
    const foreign = em.create(Profile, { tenant: em.getReference(Tenant, other.tenant.id), name: 'Foreign' });
    await em.flush();
    expect((await t.owner.patch('/api/v1/tenants/grp', { defaultProfileId: fallback.id })).status).toBe(200);
    expect((await t.viewer.get(url(`/${await group('Inherits')}`))).body.profileId).toBe(fallback.id);
    expect((await t.viewer.get(url(`/${await group('Chooses', { profileId: chosen.id })}`))).body.profileId).toBe(
      chosen.id,
    );
    const before = await countRows(ctx, 'groups');
    const cross = await t.admin.post(url(), { name: 'Cross', profileId: foreign.id });
    expect(cross.status).toBe(400);
    expect(cross.body.code).toBe('unknown_reference');
    expect(await countRows(ctx, 'groups')).toBe(before);
  });

  it('keeps viewers read-only', async () => {
    const id = await group('ReadOnly');
    expect((await t.viewer.post(url(), { name: 'Nope' })).status).toBe(403);
    expect((await t.viewer.patch(url(`/${id}`), { name: 'Nope' })).status).toBe(403);
    expect((await t.viewer.delete(url(`/${id}`))).status).toBe(403);
    expect((await t.viewer.get(url(`/${id}`))).status).toBe(200);
  });
});

describe('groups: list', () => {
  it('searches by name, filters by one or more numbers, pages, and counts members against the tenant limit', async () => {
    const alpha = await group('List Alpha');
    const beta = await group('List Beta');
    const gamma = await group('List Gamma');
    const a1 = await account(alpha, '501');
    await account(alpha, '502');
    const own = await number('+493055501001');
    expect(
      (await t.admin.post(`/api/v1/tenants/grp/numbers/${own}/assign`, { accountId: a1, role: 'primary' })).status,
    ).toBe(200);
    const shared = await number('+493055501002');
    expect((await t.admin.post(url(`/${beta}/shared-numbers`), { numberId: shared })).status).toBe(201);
    expect((await t.admin.post(url(`/${beta}/members`), { accountId: a1 })).status).toBe(201);

    const byName = await t.viewer.get(url('?q=list%20g'));
    expect(byName.body.items.map((g: { name: string }) => g.name)).toEqual(['List Gamma']);
    const byOne = await t.viewer.get(url('?number=%2B493055501001'));
    expect(byOne.body.items.map((g: { id: string }) => g.id)).toEqual([alpha]);
    const byTwo = await t.viewer.get(url('?number=030%2055501001&number=%2B493055501002'));
    expect(byTwo.body.items.map((g: { id: string }) => g.id).sort()).toEqual([alpha, beta].sort());
    expect((await t.viewer.get(url('?number=not-a-number'))).status).toBe(400);

    const listed = (await t.viewer.get(url('?q=List'))).body;
    expect(listed.total).toBe(3);
    const alphaRow = listed.items.find((g: { id: string }) => g.id === alpha);
    expect(alphaRow).toMatchObject({ accountCount: 2, extraMemberCount: 0, accountLimit: 50 });
    expect(alphaRow.tenantAccountCount).toBeGreaterThanOrEqual(2);
    expect(listed.items.find((g: { id: string }) => g.id === beta)).toMatchObject({
      accountCount: 0,
      extraMemberCount: 1,
    });
    const page = await t.viewer.get(url('?q=List&limit=1&offset=1'));
    expect(page.body).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(page.body.items.map((g: { id: string }) => g.id)).toEqual([beta]);
    expect(gamma).toBeTruthy();
  });
});

describe('groups: extra members and shared numbers', () => {
  it('lets an account belong to many groups besides its home, and a number be shared by many groups', async () => {
    const home = await group('Home');
    const g1 = await group('Extra One');
    const g2 = await group('Extra Two');
    const member = await account(home, '601');
    expect((await t.admin.post(url(`/${home}/members`), { accountId: member })).body.code).toBe('home_group_member');
    expect((await t.admin.post(url(`/${g1}/members`), { accountId: member })).status).toBe(201);
    expect((await t.admin.post(url(`/${g2}/members`), { accountId: member })).status).toBe(201);
    expect((await t.admin.post(url(`/${g2}/members`), { accountId: member })).body.code).toBe('already_member');
    expect((await t.viewer.get(url(`/${g1}/members`))).body.items.map((a: { id: string }) => a.id)).toEqual([member]);
    const shared = await number('+493055502001');
    for (const g of [g1, g2])
      expect((await t.admin.post(url(`/${g}/shared-numbers`), { numberId: shared })).status).toBe(201);
    expect((await t.viewer.get(url(`/${g2}/shared-numbers`))).body.items).toEqual([
      { id: shared, e164: '+493055502001', status: 'unassigned' },
    ]);
    expect((await t.admin.delete(url(`/${g1}/members/${member}`))).status).toBe(204);
    expect((await t.admin.delete(url(`/${g1}/shared-numbers/${shared}`))).status).toBe(204);
    expect((await t.viewer.get(url(`/${g1}/members`))).body.items).toEqual([]);
    expect((await t.viewer.get(url(`/${g2}/shared-numbers`))).body.items).toHaveLength(1);
  });

  it('refuses accounts and numbers of another tenant', async () => {
    const g = await group('No Foreigners');
    const foreignGroup = (await other.admin.post('/api/v1/tenants/grp-other/groups', { name: 'F' })).body.id;
    const foreignAccount = (
      await other.admin.post('/api/v1/tenants/grp-other/accounts', {
        groupId: foreignGroup,
        extension: '700',
        displayName: 'F',
      })
    ).body.id;
    const foreignNumber = (await other.admin.post('/api/v1/tenants/grp-other/numbers', { numbers: ['+493055503001'] }))
      .body.items[0].id;
    expect((await t.admin.post(url(`/${g}/members`), { accountId: foreignAccount })).body.code).toBe(
      'unknown_reference',
    );
    expect((await t.admin.post(url(`/${g}/shared-numbers`), { numberId: foreignNumber })).body.code).toBe(
      'unknown_reference',
    );
    expect(await countRows(ctx, 'group_members', 'group_id = ?', [g])).toBe(0);
    expect(await countRows(ctx, 'group_shared_numbers', 'group_id = ?', [g])).toBe(0);
  });
});

describe('groups: delete', () => {
  it('deletes an empty group at once', async () => {
    const id = await group('Empty');
    expect((await t.admin.delete(url(`/${id}`))).status).toBe(200);
    expect((await t.viewer.get(url(`/${id}`))).status).toBe(404);
  });

  it('answers 409 with the impact for a non-empty group, changing nothing', async () => {
    const id = await group('Busy');
    const acc = await account(id, '801');
    const num = await number('+493055504001');
    await t.admin.post(`/api/v1/tenants/grp/numbers/${num}/assign`, { accountId: acc, role: 'primary' });
    await seedDeviceWithLine(ctx, t.tenant.id, acc);
    const refused = await t.admin.delete(url(`/${id}`));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'confirmation_required',
      details: { accounts: 1, devices: 1, numbers: 1, accountIds: [acc] },
    });
    expect((await t.viewer.get(url(`/${id}/impact`))).body).toMatchObject({ accounts: 1, devices: 1, numbers: 1 });
    expect(await countRows(ctx, 'accounts', 'id = ?', [acc])).toBe(1);
    expect(await countRows(ctx, 'groups', 'id = ?', [id])).toBe(1);
  });

  it('with confirm=true deletes the home accounts and unassigns what hung on them', async () => {
    const id = await group('Doomed');
    const keep = await group('Survivor');
    const acc = await account(id, '802');
    const outsider = await account(keep, '803');
    const num = await number('+493055504002');
    await t.admin.post(`/api/v1/tenants/grp/numbers/${num}/assign`, { accountId: acc, role: 'primary' });
    const { lineId } = await seedDeviceWithLine(ctx, t.tenant.id, acc);
    const hunt = await t.admin.post('/api/v1/tenants/grp/hunt-groups', {
      name: 'Doomed Hunt',
      memberAccountIds: [acc, outsider],
    });
    expect(hunt.status).toBe(201);
    await t.admin.post(url(`/${keep}/members`), { accountId: acc });
    await t.admin.post(url(`/${id}/members`), { accountId: outsider });

    const deleted = await t.admin.delete(url(`/${id}?confirm=true`));
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ accounts: 1, numbers: 1, devices: 1, extraMembers: 1 });
    expect(await countRows(ctx, 'accounts', 'id = ?', [acc])).toBe(0);
    expect(await countRows(ctx, 'groups', 'id = ?', [id])).toBe(0);
    expect((await t.viewer.get(`/api/v1/tenants/grp/numbers/${num}`)).body).toMatchObject({
      status: 'unassigned',
      accountId: null,
    });
    expect(await lineAccount(ctx, lineId)).toBeNull();
    const huntAfter = await t.viewer.get(`/api/v1/tenants/grp/hunt-groups/${hunt.body.id}`);
    expect(huntAfter.body.members.map((m: { accountId: string }) => m.accountId)).toEqual([outsider]);
    expect(await countRows(ctx, 'accounts', 'id = ?', [outsider])).toBe(1);
  });

  it('changes nothing when a confirmed delete cannot complete (one transaction)', async () => {
    const id = await group('Half');
    const acc = await account(id, '804');
    const other1 = await account(await group('Elsewhere'), '805');
    const num = await number('+493055504003');
    await t.admin.post(`/api/v1/tenants/grp/numbers/${num}/assign`, { accountId: acc, role: 'additional' });
    // acc is the active member of a PhoneMap group that keeps another member: deleting it must fail as a whole.
    const em = ctx.deps.orm.em.fork();
    await em.getConnection().execute(
      `with cos as (insert into classes_of_service (id, tenant_id, name, level) values (gen_random_uuid(), ?, 'cos-half', 'internal') returning id),
            pm as (insert into phonemap_groups (id, tenant_id, token, name, class_of_service_id) select gen_random_uuid(), ?, 'half', 'Half', id from cos returning id)
       insert into phonemap_members (id, tenant_id, phonemap_group_id, account_id, active)
       select gen_random_uuid(), ?, pm.id, x.account_id, x.active from pm, (values (?::uuid, true), (?::uuid, false)) as x(account_id, active)`,
      [t.tenant.id, t.tenant.id, t.tenant.id, acc, other1],
    );
    const refused = await t.admin.delete(url(`/${id}?confirm=true`));
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('active_phonemap_member');
    expect(await countRows(ctx, 'accounts', 'id = ?', [acc])).toBe(1);
    expect((await t.viewer.get(`/api/v1/tenants/grp/numbers/${num}`)).body.accountId).toBe(acc);
  });

  it("answers 404 for another tenant's group and does not touch it", async () => {
    const foreign = (await other.admin.post('/api/v1/tenants/grp-other/groups', { name: 'Theirs' })).body.id;
    expect((await t.owner.delete(`/api/v1/tenants/grp/groups/${foreign}?confirm=true`)).status).toBe(404);
    expect((await t.owner.get(`/api/v1/tenants/grp/groups/${foreign}`)).status).toBe(404);
    expect((await t.owner.patch(`/api/v1/tenants/grp/groups/${foreign}`, { name: 'Mine' })).status).toBe(404);
    expect((await t.owner.delete(`/api/v1/tenants/grp-other/groups/${foreign}?confirm=true`)).status).toBe(404);
    expect(await countRows(ctx, 'groups', 'id = ?', [foreign])).toBe(1);
  });
});
