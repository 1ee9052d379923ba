import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

/** Memberships and sharings written by two admins at the same moment (really parallel requests). */
let ctx: TestContext;
let t: SeededTenant;
let home: string;
const api = (path: string) => `/api/v1/tenants/mrace/${path}`;
let next = 100;

beforeAll(async () => {
  ctx = await createTestContext();
  t = await seedTenant(ctx, 'mrace', { defaultCountry: 'DE' });
  home = (await t.admin.post(api('groups'), { name: 'Home' })).body.id;
});
afterAll(async () => ctx?.close());

async function account(): Promise<string> {
  const response = await t.admin.post(api('accounts'), { groupId: home, extension: String(next++), displayName: 'A' });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id;
}

const statuses = (responses: { status: number }[]) => responses.map((r) => r.status).sort();

describe('group memberships under concurrency', () => {
  it('the same extra member added twice at once: one 201, one 409 already_member, one row', async () => {
    for (let round = 0; round < 5; round++) {
      const g = (await t.admin.post(api('groups'), { name: `M${round}` })).body.id;
      const acc = await account();
      const responses = await Promise.all(
        [0, 1].map(() => t.admin.post(api(`groups/${g}/members`), { accountId: acc })),
      );
      expect(statuses(responses)).toEqual([201, 409]);
      expect(responses.find((r) => r.status === 409)!.body.code).toBe('already_member');
      expect(await countRows(ctx, 'group_members', 'group_id = ?', [g])).toBe(1);
    }
  });

  it('the same number shared twice at once: one 201, one 409 already_shared, one row', async () => {
    for (let round = 0; round < 5; round++) {
      const g = (await t.admin.post(api('groups'), { name: `S${round}` })).body.id;
      const n = (await t.admin.post(api('numbers'), { numbers: [`+4930123${String(next++).padStart(5, '0')}`] })).body
        .items[0].id;
      const responses = await Promise.all(
        [0, 1].map(() => t.admin.post(api(`groups/${g}/shared-numbers`), { numberId: n })),
      );
      expect(statuses(responses)).toEqual([201, 409]);
      expect(responses.find((r) => r.status === 409)!.body.code).toBe('already_shared');
      expect(await countRows(ctx, 'group_shared_numbers', 'group_id = ?', [g])).toBe(1);
    }
  });
});
