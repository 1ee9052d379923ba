import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

let ctx: TestContext;
let t: SeededTenant;
let other: SeededTenant;
let accounts: string[];
let foreignAccount: string;
const hunt = (path = '') => `/api/v1/tenants/route/hunt-groups${path}`;
const aa = (path = '') => `/api/v1/tenants/route/auto-attendants${path}`;

beforeAll(async () => {
  ctx = await createTestContext();
  t = await seedTenant(ctx, 'route');
  other = await seedTenant(ctx, 'route-other');
  const group = (await t.admin.post('/api/v1/tenants/route/groups', { name: 'G' })).body.id;
  accounts = [];
  for (const extension of ['201', '202', '203']) {
    accounts.push(
      (
        await t.admin.post('/api/v1/tenants/route/accounts', {
          groupId: group,
          extension,
          displayName: `U${extension}`,
        })
      ).body.id,
    );
  }
  const foreignGroup = (await other.admin.post('/api/v1/tenants/route-other/groups', { name: 'G' })).body.id;
  foreignAccount = (
    await other.admin.post('/api/v1/tenants/route-other/accounts', {
      groupId: foreignGroup,
      extension: '201',
      displayName: 'F',
    })
  ).body.id;
});
afterAll(async () => ctx?.close());

describe('hunt groups', () => {
  it('keeps members in ring order and replaces them on update', async () => {
    const created = await t.admin.post(hunt(), {
      name: 'Sales line',
      extension: '600',
      memberAccountIds: [accounts[2], accounts[0]],
    });
    expect(created.status).toBe(201);
    expect(created.body.members.map((m: { accountId: string; position: number }) => [m.accountId, m.position])).toEqual(
      [
        [accounts[2], 1],
        [accounts[0], 2],
      ],
    );
    const updated = await t.admin.patch(hunt(`/${created.body.id}`), {
      memberAccountIds: [accounts[0], accounts[1], accounts[2]],
      name: 'Sales',
    });
    expect(updated.body.members.map((m: { accountId: string }) => m.accountId)).toEqual(accounts);
    expect(updated.body.name).toBe('Sales');
    expect((await t.viewer.get(hunt('?q=sal'))).body.items.map((h: { id: string }) => h.id)).toEqual([created.body.id]);
    // q also finds part of the extension (the console searches by name or extension).
    expect((await t.viewer.get(hunt('?q=60'))).body.items.map((h: { id: string }) => h.id)).toEqual([created.body.id]);
  });

  it('refuses duplicates, foreign or repeated members, an extension in use, and bad input, writing nothing', async () => {
    await t.admin.post(hunt(), { name: 'Taken' });
    const before = await countRows(ctx, 'hunt_groups');
    expect((await t.admin.post(hunt(), { name: 'Taken' })).body.code).toBe('hunt_group_name_taken');
    expect((await t.admin.post(hunt(), { name: 'Ext', extension: '201' })).body.code).toBe('extension_taken');
    expect((await t.admin.post(hunt(), { name: 'Foreign', memberAccountIds: [foreignAccount] })).body.code).toBe(
      'unknown_reference',
    );
    expect((await t.admin.post(hunt(), { name: 'Twice', memberAccountIds: [accounts[0], accounts[0]] })).status).toBe(
      400,
    );
    expect((await t.admin.post(hunt(), { name: 'x'.repeat(201) })).status).toBe(400);
    expect((await t.admin.post(hunt(), { name: 'Bad ext', extension: '12a' })).status).toBe(400);
    expect((await t.viewer.post(hunt(), { name: 'Viewer' })).status).toBe(403);
    expect(await countRows(ctx, 'hunt_groups')).toBe(before);
  });

  it('unassigns its numbers and drops auto attendant options leading to it when deleted', async () => {
    const h = (await t.admin.post(hunt(), { name: 'Short-lived', memberAccountIds: [accounts[1]] })).body.id;
    const number = (await t.admin.post('/api/v1/tenants/route/numbers', { numbers: ['+493088800001'] })).body.items[0]
      .id;
    expect((await t.admin.post(`/api/v1/tenants/route/numbers/${number}/assign`, { huntGroupId: h })).status).toBe(200);
    expect((await t.viewer.get(hunt(`/${h}`))).body.numbers).toEqual([{ id: number, e164: '+493088800001' }]);
    const menu = (
      await t.admin.post(aa(), {
        name: 'Menu to hunt',
        options: [
          { digit: '5', huntGroupId: h },
          { digit: '9', accountId: accounts[0] },
        ],
      })
    ).body.id;
    // GET …/impact names what DELETE does, before anything is written.
    const impact = await t.viewer.get(hunt(`/${h}/impact`));
    expect(impact.status).toBe(200);
    expect(impact.body).toEqual({
      numbers: [{ id: number, e164: '+493088800001' }],
      autoAttendantOptions: [{ autoAttendantId: menu, name: 'Menu to hunt', digit: '5' }],
      members: 1,
    });
    expect((await t.admin.delete(hunt(`/${h}`))).status).toBe(204);
    expect((await t.viewer.get(`/api/v1/tenants/route/numbers/${number}`)).body).toMatchObject({
      status: 'unassigned',
      huntGroupId: null,
    });
    expect((await t.viewer.get(aa(`/${menu}`))).body.options.map((o: { digit: string }) => o.digit)).toEqual(['9']);
  });
});

describe('auto attendants', () => {
  it('maps digits to an account, a hunt group or an external number (normalised)', async () => {
    const h = (await t.admin.post(hunt(), { name: 'Support' })).body.id;
    const created = await t.admin.post(aa(), {
      name: 'Main menu',
      extension: '700',
      options: [
        { digit: '1', accountId: accounts[0] },
        { digit: '2', huntGroupId: h },
        { digit: '#', externalNumber: '089 1234567' },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body.options).toEqual([
      { digit: '#', accountId: null, huntGroupId: null, externalNumber: '+49891234567' },
      { digit: '1', accountId: accounts[0], huntGroupId: null, externalNumber: null },
      { digit: '2', accountId: null, huntGroupId: h, externalNumber: null },
    ]);
    const replaced = await t.admin.patch(aa(`/${created.body.id}`), {
      options: [{ digit: '1', accountId: accounts[1] }],
    });
    expect(replaced.body.options).toEqual([
      { digit: '1', accountId: accounts[1], huntGroupId: null, externalNumber: null },
    ]);
  });

  it('rejects options without exactly one target, repeated digits, foreign targets and bad numbers, writing nothing', async () => {
    const before = await countRows(ctx, 'auto_attendants');
    const cases: [unknown[], string | number][] = [
      [[{ digit: '1' }], 'option_target_required'],
      [[{ digit: '1', accountId: accounts[0], externalNumber: '+41441234567' }], 'option_target_required'],
      [
        [
          { digit: '1', accountId: accounts[0] },
          { digit: '1', accountId: accounts[1] },
        ],
        'duplicate_digit',
      ],
      [[{ digit: '1', accountId: foreignAccount }], 'unknown_reference'],
      [[{ digit: '1', externalNumber: 'call me' }], 'invalid_number'],
      [[{ digit: 'A', accountId: accounts[0] }], 400],
      [[{ digit: '1', accountId: accounts[0], weight: 3 }], 400],
    ];
    for (const [options, expected] of cases) {
      const response = await t.admin.post(aa(), { name: `Bad ${JSON.stringify(options)}`.slice(0, 200), options });
      if (typeof expected === 'number') expect(response.status, JSON.stringify(options)).toBe(expected);
      else expect(response.body.code, JSON.stringify(options)).toBe(expected);
    }
    expect(await countRows(ctx, 'auto_attendants')).toBe(before);
  });

  it('unassigns its numbers when deleted', async () => {
    const id = (await t.admin.post(aa(), { name: 'Night' })).body.id;
    const number = (await t.admin.post('/api/v1/tenants/route/numbers', { numbers: ['+493088800002'] })).body.items[0]
      .id;
    await t.admin.post(`/api/v1/tenants/route/numbers/${number}/assign`, { autoAttendantId: id });
    expect((await t.admin.delete(aa(`/${id}`))).status).toBe(204);
    expect((await t.viewer.get(`/api/v1/tenants/route/numbers/${number}`)).body.status).toBe('unassigned');
  });

  it("answers 404 for another tenant's hunt groups and auto attendants", async () => {
    const theirHunt = (await other.admin.post('/api/v1/tenants/route-other/hunt-groups', { name: 'Theirs' })).body.id;
    const theirMenu = (await other.admin.post('/api/v1/tenants/route-other/auto-attendants', { name: 'Theirs' })).body
      .id;
    for (const path of [hunt(`/${theirHunt}`), aa(`/${theirMenu}`)]) {
      expect((await t.owner.get(path)).status).toBe(404);
      expect((await t.owner.patch(path, { name: 'Mine' })).status).toBe(404);
      expect((await t.owner.delete(path)).status).toBe(404);
    }
    expect(
      (await t.admin.post(aa(), { name: 'To foreign hunt', options: [{ digit: '1', huntGroupId: theirHunt }] })).body
        .code,
    ).toBe('unknown_reference');
    expect((await other.viewer.get(`/api/v1/tenants/route-other/hunt-groups/${theirHunt}`)).body.name).toBe('Theirs');
  });
});
