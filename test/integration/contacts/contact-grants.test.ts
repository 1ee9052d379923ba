import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant, type ApiClient, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { sqlFromOrm, type Sql } from '#src/modules/phone/server/sql.js';

/*
 * Contact grants to users and groups (issue #24): the permission matrix on each route, the union
 * with its sources (own grant, home group, extra group), validation, tenant isolation and audit.
 */

let ctx: TestContext;
let sql: Sql;
let t: SeededTenant;
let other: SeededTenant;
let base: string;
let sales: string;
let support: string;
let ada: string;
let foreignAccount: string;

async function created(client: ApiClient, path: string, body: Record<string, unknown>): Promise<string> {
  const response = await client.post(path, body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id as string;
}

beforeAll(async () => {
  ctx = await createTestContext();
  sql = sqlFromOrm(ctx.deps.orm);
  t = await seedTenant(ctx, 'grants');
  other = await seedTenant(ctx, 'grantsother');
  base = `/api/v1/tenants/${t.slug}`;
  sales = await created(t.owner, `${base}/groups`, { name: 'Sales' });
  support = await created(t.owner, `${base}/groups`, { name: 'Support' });
  ada = await created(t.owner, `${base}/accounts`, {
    groupId: sales,
    extension: '301',
    displayName: 'Ada',
    sipUsername: 'g301',
    sipPassword: 'pw-301-secret',
  });
  const members = await t.owner.post(`${base}/groups/${support}/members`, { accountId: ada });
  expect(members.status, JSON.stringify(members.body)).toBeLessThan(300);
  const otherBase = `/api/v1/tenants/${other.slug}`;
  const otherGroup = await created(other.owner, `${otherBase}/groups`, { name: 'Elsewhere' });
  foreignAccount = await created(other.owner, `${otherBase}/accounts`, {
    groupId: otherGroup,
    extension: '401',
    displayName: 'Foreign',
    sipUsername: 'g401',
    sipPassword: 'pw-401-secret',
  });
});
afterAll(async () => ctx?.close());

const userPath = () => `${base}/accounts/${ada}/contact-permissions`;
const groupPath = (id: string) => `${base}/groups/${id}/contact-permissions`;

describe('contact grants', () => {
  it('only the owner reads or writes grants, for users and groups alike', async () => {
    for (const client of [t.admin, t.viewer]) {
      expect((await client.get(userPath())).status).toBe(403);
      expect((await client.put(userPath(), { permissions: ['view'] })).status).toBe(403);
      expect((await client.get(groupPath(sales))).status).toBe(403);
      expect((await client.put(groupPath(sales), { permissions: ['view'] })).status).toBe(403);
    }
    expect((await t.owner.get(userPath())).body).toEqual({ granted: [], effective: { permissions: [], sources: {} } });
    expect((await t.owner.get(groupPath(sales))).body).toEqual({ granted: [] });
  });

  it('the effective permission is the union of the own grant, the home group and extra groups, with sources', async () => {
    expect((await t.owner.put(groupPath(sales), { permissions: ['view', 'export'] })).body).toEqual({
      granted: ['view', 'export'],
    });
    expect((await t.owner.put(groupPath(support), { permissions: ['view'] })).status).toBe(200);
    const own = await t.owner.put(userPath(), { permissions: ['add', 'view'] });
    expect(own.status).toBe(200);
    expect(own.body.granted).toEqual(['view', 'add']);
    expect(own.body.effective.permissions).toEqual(['view', 'add', 'export']);
    expect(own.body.effective.sources).toEqual({
      view: [
        { kind: 'user' },
        { kind: 'group', groupId: sales, groupName: 'Sales' },
        { kind: 'group', groupId: support, groupName: 'Support' },
      ],
      add: [{ kind: 'user' }],
      export: [{ kind: 'group', groupId: sales, groupName: 'Sales' }],
    });
    // An empty list removes the grant; the groups' grants remain.
    const cleared = await t.owner.put(userPath(), { permissions: [] });
    expect(cleared.body.granted).toEqual([]);
    expect(cleared.body.effective.permissions).toEqual(['view', 'export']);
  });

  it('refuses unknown permissions and extra fields with 400, and writes nothing', async () => {
    for (const body of [{ permissions: ['fly'] }, { permissions: 'view' }, { permissions: ['view'], extra: 1 }, {}]) {
      const response = await t.owner.put(groupPath(support), body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(typeof response.body.code).toBe('string');
      expect(JSON.stringify(response.body)).not.toContain('    at ');
    }
    expect((await t.owner.get(groupPath(support))).body).toEqual({ granted: ['view'] });
  });

  it("another tenant's account or group is not found, and an unknown id neither", async () => {
    const foreign = `${base}/accounts/${foreignAccount}/contact-permissions`;
    expect((await t.owner.get(foreign)).status).toBe(404);
    expect((await t.owner.put(foreign, { permissions: ['view'] })).status).toBe(404);
    const unknown = groupPath('00000000-0000-4000-8000-000000000000');
    expect((await t.owner.put(unknown, { permissions: ['view'] })).status).toBe(404);
    expect((await t.owner.get(`${base}/accounts/not-a-uuid/contact-permissions`)).status).toBe(400);
    const [row] = await sql<{ n: string }>(`select count(*)::text as n from contact_grants where account_id = ?`, [
      foreignAccount,
    ]);
    expect(row!.n).toBe('0');
  });

  it('every grant change is audited with its actor', async () => {
    const [row] = await sql<{ n: string }>(
      `select count(*)::text as n from audit_entries where tenant_id = ? and entity_type = 'ContactGrant'`,
      [t.tenant.id],
    );
    expect(Number(row!.n)).toBeGreaterThanOrEqual(4);
  });
});
