import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

/**
 * Two admins acting on the same number at the same moment: the requests really run in parallel
 * (Promise.all of injected requests, each on its own connection), and exactly one may win.
 */
let ctx: TestContext;
let t: SeededTenant;
let group: string;
const api = (path: string) => `/api/v1/tenants/race/${path}`;
let next = 100;

beforeAll(async () => {
  ctx = await createTestContext();
  t = await seedTenant(ctx, 'race', { defaultCountry: 'DE' });
  group = (await t.admin.post(api('groups'), { name: 'G' })).body.id;
});
afterAll(async () => ctx?.close());

async function account(): Promise<string> {
  const response = await t.admin.post(api('accounts'), { groupId: group, extension: String(next++), displayName: 'A' });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id;
}

async function numbers(count: number): Promise<string[]> {
  const inputs = Array.from({ length: count }, () => `+4930123${String(next++).padStart(5, '0')}`);
  const response = await t.admin.post(api('numbers'), { numbers: inputs });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.items.map((item: { id: string }) => item.id);
}

const statuses = (responses: { status: number }[]) => responses.map((r) => r.status).sort();

describe('numbers under concurrency', () => {
  it('one unassigned number assigned to two targets at once: one 200, one 409, and the number has the winner', async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = [await account(), await account()];
      const hunt = (await t.admin.post(api('hunt-groups'), { name: `H${round}` })).body.id;
      const aa = (await t.admin.post(api('auto-attendants'), { name: `AA${round}` })).body.id;
      const [n] = await numbers(1);
      const bodies = [
        { accountId: a, role: 'primary' },
        { accountId: b },
        { huntGroupId: hunt },
        { autoAttendantId: aa },
      ];
      const responses = await Promise.all(bodies.map((body) => t.admin.post(api(`numbers/${n}/assign`), body)));
      expect(statuses(responses)).toEqual([200, 409, 409, 409]);
      for (const loser of responses.filter((r) => r.status === 409)) expect(loser.body.code).toBe('number_assigned');
      const winner = responses.find((r) => r.status === 200)!.body;
      expect((await t.viewer.get(api(`numbers/${n}`))).body).toEqual(winner);
    }
  });

  it('two numbers made primary of one account at once: one wins, the other is refused with primary_exists', async () => {
    for (let round = 0; round < 5; round++) {
      const acc = await account();
      const [n1, n2] = await numbers(2);
      const responses = await Promise.all(
        [n1, n2].map((n) => t.admin.post(api(`numbers/${n}/assign`), { accountId: acc, role: 'primary' })),
      );
      expect(statuses(responses)).toEqual([200, 409]);
      expect(responses.find((r) => r.status === 409)!.body.code).toBe('primary_exists');
      expect(await countRows(ctx, 'phone_numbers', `account_id = ? and account_role = 'primary'`, [acc])).toBe(1);
    }
  });

  it('one number swapped in as primary of two accounts at once: exactly one gets it', async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = [await account(), await account()];
      const [n] = await numbers(1);
      const responses = await Promise.all(
        [a, b].map((acc) => t.admin.post(api(`accounts/${acc}/swap-primary-number`), { numberId: n })),
      );
      expect(statuses(responses)).toEqual([200, 409]);
      expect(responses.find((r) => r.status === 409)!.body.code).toBe('number_assigned');
      expect(await countRows(ctx, 'phone_numbers', `id = ? and account_id is not null`, [n])).toBe(1);
    }
  });

  it('a swap and an assignment of the same number at once: exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = [await account(), await account()];
      const [n] = await numbers(1);
      const responses = await Promise.all([
        t.admin.post(api(`accounts/${a}/swap-primary-number`), { numberId: n }),
        t.admin.post(api(`numbers/${n}/assign`), { accountId: b }),
      ]);
      expect(statuses(responses)).toEqual([200, 409]);
      expect(responses.find((r) => r.status === 409)!.body.code).toBe('number_assigned');
    }
  });

  it('two swaps of one account at once leave it exactly one primary and lose no number', async () => {
    for (let round = 0; round < 5; round++) {
      const acc = await account();
      const [old, x, y] = await numbers(3);
      await t.admin.post(api(`numbers/${old}/assign`), { accountId: acc, role: 'primary' });
      const responses = await Promise.all(
        [x, y].map((n) => t.admin.post(api(`accounts/${acc}/swap-primary-number`), { numberId: n })),
      );
      expect(statuses(responses)).toEqual([200, 200]);
      expect(await countRows(ctx, 'phone_numbers', `account_id = ? and account_role = 'primary'`, [acc])).toBe(1);
      expect(await countRows(ctx, 'phone_numbers', `id in (?, ?, ?) and status = 'unassigned'`, [old, x, y])).toBe(2);
    }
  });

  it('a delete racing a sharing with a group never deletes a shared number unconfirmed', async () => {
    for (let round = 0; round < 5; round++) {
      const g = (await t.admin.post(api('groups'), { name: `Share ${round}` })).body.id;
      const [n] = await numbers(1);
      const [share, removal] = await Promise.all([
        t.admin.post(api(`groups/${g}/shared-numbers`), { numberId: n }),
        t.admin.delete(api(`numbers/${n}`)),
      ]);
      // Either the sharing came first (the delete is refused) or the delete did (the sharing finds no number).
      if (share.status === 201) expect(removal.status).toBe(409);
      else expect(removal.status).toBe(204);
      const rows = await countRows(ctx, 'phone_numbers', 'id = ?', [n]);
      expect(rows).toBe(share.status === 201 ? 1 : 0);
    }
  });
});
