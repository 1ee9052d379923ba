import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { directoryFixtures } from './directory-fixtures.js';

let ctx: TestContext;
let t: SeededTenant;
let other: SeededTenant;
let fx: ReturnType<typeof directoryFixtures>;
let cos: string;
let accounts: string[];
let foreignAccount: string;
const url = (path = '') => `/api/v1/tenants/pm-a/phonemap-groups${path}`;

beforeAll(async () => {
  ctx = await createTestContext();
  fx = directoryFixtures(ctx);
  t = await seedTenant(ctx, 'pm-a');
  other = await seedTenant(ctx, 'pm-b');
  cos = await fx.classOfService(t.tenant.id, 'National');
  const group = await fx.group(t.tenant.id, 'Office');
  accounts = [];
  for (const extension of ['201', '202', '203', '204']) accounts.push(await fx.account(t.tenant.id, group, extension));
  foreignAccount = await fx.account(other.tenant.id, await fx.group(other.tenant.id, 'Theirs'), '201');
});
afterAll(async () => ctx?.close());

async function createGroup(id: string, members: string[] = []) {
  const created = await t.admin.post(url(), { id, name: `Group ${id}`, classOfServiceId: cos });
  expect(created.status).toBe(201);
  for (const accountId of members) expect((await t.admin.post(url(`/${id}/members`), { accountId })).status).toBe(201);
}

async function activeMembers(token: string): Promise<string[]> {
  const rows = await fx.sql<{ account_id: string }>(
    'select m.account_id from phonemap_members m join phonemap_groups g on g.id = m.phonemap_group_id where g.tenant_id = ? and g.token = ? and m.active',
    [t.tenant.id, token],
  );
  return rows.map((row) => row.account_id);
}

describe('PhoneMap groups: ids and references', () => {
  it('accepts a token id, rejects malformed ones and duplicates, writing nothing', async () => {
    await createGroup('Front_Desk-1');
    expect((await t.viewer.get(url('/Front_Desk-1'))).body).toMatchObject({
      id: 'Front_Desk-1',
      name: 'Group Front_Desk-1',
      classOfServiceId: cos,
      members: [],
      activeAccountId: null,
    });
    const before = await countRows(ctx, 'phonemap_groups');
    for (const id of ['', 'has space', 'semi;colon', 'dot.ted', 'x'.repeat(65), 'ümlaut', '../up']) {
      const response = await t.admin.post(url(), { id, name: 'Bad', classOfServiceId: cos });
      expect(response.status, id).toBe(400);
    }
    const duplicate = await t.admin.post(url(), { id: 'Front_Desk-1', name: 'Again', classOfServiceId: cos });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('phonemap_group_id_taken');
    expect((await t.admin.post(url(), { id: 'no-cos', name: 'No CoS' })).status).toBe(400);
    const otherCos = await fx.classOfService(other.tenant.id, 'Theirs');
    const foreign = await t.admin.post(url(), { id: 'foreign-cos', name: 'F', classOfServiceId: otherCos });
    expect(foreign.status).toBe(400);
    expect(foreign.body.code).toBe('unknown_reference');
    expect(await countRows(ctx, 'phonemap_groups')).toBe(before);
  });

  it('lets the same token exist in another tenant', async () => {
    await createGroup('shared-token');
    const theirCos = await fx.classOfService(other.tenant.id, 'Other national');
    expect(
      (
        await other.admin.post('/api/v1/tenants/pm-b/phonemap-groups', {
          id: 'shared-token',
          name: 'Theirs',
          classOfServiceId: theirCos,
        })
      ).status,
    ).toBe(201);
  });

  it("refuses another tenant's account as a member", async () => {
    await createGroup('no-foreigners');
    const response = await t.admin.post(url('/no-foreigners/members'), { accountId: foreignAccount });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('unknown_reference');
    expect((await t.viewer.get(url('/no-foreigners'))).body.members).toEqual([]);
  });
});

describe('PhoneMap groups: exactly one active member', () => {
  it('makes the first member active, later ones inactive', async () => {
    await createGroup('first', [accounts[0]!, accounts[1]!]);
    const view = (await t.viewer.get(url('/first'))).body;
    expect(view.activeAccountId).toBe(accounts[0]);
    expect(view.members.map((m: { accountId: string; active: boolean }) => [m.accountId, m.active])).toEqual([
      [accounts[0], true],
      [accounts[1], false],
    ]);
    const again = await t.admin.post(url('/first/members'), { accountId: accounts[0] });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_member');
  });

  it('keeps exactly one active after any sequence of switches, sequential and concurrent', async () => {
    await createGroup('switching', accounts);
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % accounts.length;
    for (let step = 0; step < 25; step += 1) {
      const target = accounts[next()]!;
      const response = await t.admin.post(url(`/switching/members/${target}/activate`));
      expect(response.status).toBe(200);
      expect(response.body.activeAccountId).toBe(target);
      expect(await activeMembers('switching')).toEqual([target]);
    }
    for (let round = 0; round < 5; round += 1) {
      const responses = await Promise.all(
        accounts.map((accountId) => t.admin.post(url(`/switching/members/${accountId}/activate`))),
      );
      expect(responses.map((response) => response.status)).toEqual(accounts.map(() => 200));
      const active = await activeMembers('switching');
      expect(active).toHaveLength(1);
    }
  });

  it('has the database refuse raw SQL that would leave zero or two active members', async () => {
    await createGroup('raw', [accounts[0]!, accounts[1]!]);
    const [group] = await fx.sql<{ id: string }>('select id from phonemap_groups where tenant_id = ? and token = ?', [
      t.tenant.id,
      'raw',
    ]);
    const client = new pg.Client({ connectionString: ctx.config.databaseUrl });
    await client.connect();
    try {
      const attempt = async (...statements: string[]) => {
        await client.query('begin');
        try {
          for (const statement of statements) await client.query(statement, [group!.id]);
          await client.query('commit');
          return null;
        } catch (error) {
          await client.query('rollback').catch(() => undefined);
          return error as { code: string };
        }
      };
      expect((await attempt('update phonemap_members set active = true where phonemap_group_id = $1'))?.code).toBe(
        '23505',
      );
      expect((await attempt('update phonemap_members set active = false where phonemap_group_id = $1'))?.code).toBe(
        '23514',
      );
      expect((await attempt('delete from phonemap_members where phonemap_group_id = $1 and active'))?.code).toBe(
        '23514',
      );
    } finally {
      await client.end();
    }
    expect(await activeMembers('raw')).toEqual([accounts[0]]);
  });

  it('removes inactive members, and the active one only when it is the last', async () => {
    await createGroup('removal', [accounts[0]!, accounts[1]!]);
    const refused = await t.admin.delete(url(`/removal/members/${accounts[0]}`));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'active_phonemap_member', details: { otherMembers: [accounts[1]] } });
    expect((await t.admin.delete(url(`/removal/members/${accounts[1]}`))).body.members).toHaveLength(1);
    expect((await t.admin.delete(url(`/removal/members/${accounts[0]}`))).body).toMatchObject({
      members: [],
      activeAccountId: null,
    });
    expect((await t.admin.delete(url(`/removal/members/${accounts[0]}`))).status).toBe(404);
    expect((await t.admin.post(url(`/removal/members/${accounts[2]}/activate`))).status).toBe(404);
  });
});

describe('PhoneMap groups: delete', () => {
  it('shows the affected device lines first, then removes every mapping when confirmed', async () => {
    await createGroup('doomed', [accounts[0]!, accounts[1]!]);
    const device = await t.admin.post('/api/v1/tenants/pm-a/devices', {
      mac: '00:15:65:12:34:56',
      vendor: 'yealink',
      model: 'T46S',
      lines: [
        { index: 1, phonemapGroupId: 'doomed', label: 'Desk' },
        { index: 2, accountId: accounts[2] },
        { index: 3, phonemapGroupId: 'doomed' },
      ],
    });
    expect(device.status).toBe(201);
    const refused = await t.admin.delete(url('/doomed'));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'confirmation_required',
      details: { members: 2, deviceLines: 2, devices: [{ id: device.body.id, mac: '001565123456', lines: [1, 3] }] },
    });
    expect((await t.viewer.get(url('/doomed'))).status).toBe(200);
    // GET …/impact answers the same impact without trying, to viewers too; another tenant's id is 404.
    const impact = await t.viewer.get(url('/doomed/impact'));
    expect(impact.status).toBe(200);
    expect(impact.body).toEqual(refused.body.details);
    expect((await other.viewer.get(`/api/v1/tenants/pm-b/phonemap-groups/doomed/impact`)).status).toBe(404);
    const confirmed = await t.admin.delete(url('/doomed?confirm=true'));
    expect(confirmed.status).toBe(200);
    expect((await t.viewer.get(url('/doomed'))).status).toBe(404);
    const lines = (await t.viewer.get(`/api/v1/tenants/pm-a/devices/${device.body.id}`)).body.lines;
    expect(lines).toEqual([
      { index: 1, accountId: null, phonemapGroupId: null, label: 'Desk' },
      { index: 2, accountId: accounts[2], phonemapGroupId: null, label: null },
      { index: 3, accountId: null, phonemapGroupId: null, label: null },
    ]);
    const trail = (await t.viewer.get('/api/v1/tenants/pm-a/audit?entityType=DeviceLine&action=update')).body.items;
    expect(trail.length).toBeGreaterThanOrEqual(2);
  });

  it('deletes an empty group without confirmation', async () => {
    await createGroup('empty');
    expect((await t.admin.delete(url('/empty'))).status).toBe(200);
  });
});

describe('PhoneMap groups: isolation and roles', () => {
  it('answers 404 to another tenant and 403 to viewers writing', async () => {
    await createGroup('private', [accounts[0]!]);
    expect((await other.owner.get(url('/private'))).status).toBe(404);
    expect((await other.owner.get('/api/v1/tenants/pm-b/phonemap-groups/private')).status).toBe(404);
    expect(
      (await other.owner.post(`/api/v1/tenants/pm-b/phonemap-groups/private/members/${accounts[0]}/activate`)).status,
    ).toBe(404);
    expect((await other.owner.delete('/api/v1/tenants/pm-b/phonemap-groups/private?confirm=true')).status).toBe(404);
    expect((await t.viewer.post(url(), { id: 'viewer', name: 'V', classOfServiceId: cos })).status).toBe(403);
    expect((await t.viewer.post(url('/private/members'), { accountId: accounts[1] })).status).toBe(403);
    expect((await t.viewer.post(url(`/private/members/${accounts[0]}/activate`))).status).toBe(403);
    expect((await t.viewer.patch(url('/private'), { name: 'V' })).status).toBe(403);
    expect((await t.viewer.delete(url('/private?confirm=true'))).status).toBe(403);
    expect((await t.viewer.get(url('/private'))).status).toBe(200);
  });
});
