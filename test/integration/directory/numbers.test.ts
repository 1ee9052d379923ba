import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

let ctx: TestContext;
let t: SeededTenant;
let other: SeededTenant;
let accountId: string;
let secondAccountId: string;
const url = (path = '') => `/api/v1/tenants/num/numbers${path}`;

beforeAll(async () => {
  ctx = await createTestContext();
  t = await seedTenant(ctx, 'num', { defaultCountry: 'DE' });
  other = await seedTenant(ctx, 'num-other');
  const group = (await t.admin.post('/api/v1/tenants/num/groups', { name: 'G' })).body.id;
  accountId = (
    await t.admin.post('/api/v1/tenants/num/accounts', { groupId: group, extension: '201', displayName: 'A' })
  ).body.id;
  secondAccountId = (
    await t.admin.post('/api/v1/tenants/num/accounts', { groupId: group, extension: '202', displayName: 'B' })
  ).body.id;
});
afterAll(async () => ctx?.close());

async function add(...numbers: string[]): Promise<string[]> {
  const response = await t.admin.post(url(), { numbers });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.items.map((item: { id: string }) => item.id);
}

describe('numbers: inventory', () => {
  it('normalises to E.164 (national notation via the tenant default country) and adds them unassigned', async () => {
    const response = await t.admin.post(url(), { numbers: ['030 12345670', '+49 (30) 1234-5671', '0049 30 12345672'] });
    expect(response.status).toBe(201);
    expect(response.body.items.map((n: { e164: string; status: string }) => [n.e164, n.status])).toEqual([
      ['+493012345670', 'unassigned'],
      ['+493012345671', 'unassigned'],
      ['+493012345672', 'unassigned'],
    ]);
  });

  it('rejects invalid numbers (naming each), duplicates and wrong types, writing nothing', async () => {
    const before = await countRows(ctx, 'phone_numbers');
    const invalid = await t.admin.post(url(), { numbers: ['+493012345680', 'hello', '+1 555'] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('invalid_number');
    expect(invalid.body.details.map((d: { index: number }) => d.index)).toEqual([1, 2]);
    const duplicate = await t.admin.post(url(), { numbers: ['+493012345681', '030 12345670'] });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ code: 'number_exists', details: { numbers: ['+493012345670'] } });
    for (const body of [
      { numbers: [] },
      { numbers: '+493012345682' },
      { numbers: [4930123] },
      { numbers: ['x'.repeat(41)] },
      { numbers: ['+493012345683'], extra: 1 },
    ]) {
      expect((await t.admin.post(url(), body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(await countRows(ctx, 'phone_numbers')).toBe(before);
  });

  it('lists by status and by digits', async () => {
    const [assigned] = await add('+493012345690');
    await t.admin.post(url(`/${assigned}/assign`), { accountId: secondAccountId, role: 'additional' });
    const unassigned = await t.viewer.get(url('?status=unassigned&limit=500'));
    expect(unassigned.body.items.every((n: { status: string }) => n.status === 'unassigned')).toBe(true);
    const onlyAssigned = await t.viewer.get(url('?status=assigned'));
    expect(onlyAssigned.body.items.map((n: { id: string }) => n.id)).toContain(assigned);
    expect(onlyAssigned.body.items.every((n: { status: string }) => n.status === 'assigned')).toBe(true);
    expect((await t.viewer.get(url('?q=12345690'))).body.items.map((n: { id: string }) => n.id)).toEqual([assigned]);
    expect((await t.viewer.get(url('?status=lost'))).status).toBe(400);
  });
});

describe('numbers: assignment', () => {
  it('assigns one primary and any number of additional numbers to an account', async () => {
    const [p, a1, a2, p2] = await add('+493012345700', '+493012345701', '+493012345702', '+493012345703');
    expect((await t.admin.post(url(`/${p}/assign`), { accountId, role: 'primary' })).body).toMatchObject({
      status: 'assigned',
      accountId,
      accountRole: 'primary',
    });
    expect((await t.admin.post(url(`/${a1}/assign`), { accountId })).body.accountRole).toBe('additional');
    expect((await t.admin.post(url(`/${a2}/assign`), { accountId, role: 'additional' })).status).toBe(200);
    const second = await t.admin.post(url(`/${p2}/assign`), { accountId, role: 'primary' });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('primary_exists');
    const account = await t.viewer.get(`/api/v1/tenants/num/accounts/${accountId}`);
    expect(account.body.primaryNumber).toEqual({ id: p, e164: '+493012345700' });
    expect(account.body.additionalNumbers.map((n: { id: string }) => n.id).sort()).toEqual([a1, a2].sort());
  });

  it('assigns a number to exactly one object at a time', async () => {
    const [n] = await add('+493012345710');
    const hunt = (await t.admin.post('/api/v1/tenants/num/hunt-groups', { name: 'H' })).body.id;
    const aa = (await t.admin.post('/api/v1/tenants/num/auto-attendants', { name: 'AA' })).body.id;
    expect((await t.admin.post(url(`/${n}/assign`), {})).body.code).toBe('assignment_target_required');
    expect((await t.admin.post(url(`/${n}/assign`), { huntGroupId: hunt, autoAttendantId: aa })).body.code).toBe(
      'assignment_target_required',
    );
    expect((await t.admin.post(url(`/${n}/assign`), { huntGroupId: hunt, role: 'primary' })).body.code).toBe(
      'role_needs_account',
    );
    expect((await t.admin.post(url(`/${n}/assign`), { huntGroupId: hunt })).body).toMatchObject({
      status: 'assigned',
      huntGroupId: hunt,
      accountId: null,
    });
    const taken = await t.admin.post(url(`/${n}/assign`), { autoAttendantId: aa });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('number_assigned');
    expect((await t.admin.post(url(`/${n}/unassign`))).body).toMatchObject({ status: 'unassigned', huntGroupId: null });
    expect((await t.admin.post(url(`/${n}/assign`), { autoAttendantId: aa })).body.autoAttendantId).toBe(aa);
    expect((await t.viewer.get(`/api/v1/tenants/num/auto-attendants/${aa}`)).body.numbers).toEqual([
      { id: n, e164: '+493012345710' },
    ]);
  });

  it('swaps the primary atomically with an unassigned number, leaving the caller ID alone', async () => {
    const group = (await t.admin.post('/api/v1/tenants/num/groups', { name: 'Swap' })).body.id;
    const acc = (
      await t.admin.post('/api/v1/tenants/num/accounts', {
        groupId: group,
        extension: '300',
        displayName: 'S',
        callerId: '+493012345720',
      })
    ).body.id;
    const [old, fresh, busy] = await add('+493012345720', '+493012345721', '+493012345722');
    await t.admin.post(url(`/${old}/assign`), { accountId: acc, role: 'primary' });
    await t.admin.post(url(`/${busy}/assign`), { accountId, role: 'additional' });
    const refused = await t.admin.post(`/api/v1/tenants/num/accounts/${acc}/swap-primary-number`, { numberId: busy });
    expect(refused.body.code).toBe('number_assigned');
    const swapped = await t.admin.post(`/api/v1/tenants/num/accounts/${acc}/swap-primary-number`, { numberId: fresh });
    expect(swapped.status).toBe(200);
    expect(swapped.body.primary).toMatchObject({ id: fresh, accountId: acc, accountRole: 'primary' });
    expect(swapped.body.previousPrimary).toMatchObject({ id: old, status: 'unassigned', accountId: null });
    const account = await t.viewer.get(`/api/v1/tenants/num/accounts/${acc}`);
    expect(account.body).toMatchObject({ primaryNumber: { id: fresh }, callerId: '+493012345720' });
  });

  it("promotes one of the account's own additional numbers to primary: the old primary becomes additional", async () => {
    const group = (await t.admin.post('/api/v1/tenants/num/groups', { name: 'Promote' })).body.id;
    const acc = (
      await t.admin.post('/api/v1/tenants/num/accounts', { groupId: group, extension: '301', displayName: 'P' })
    ).body.id;
    const [old, extra] = await add('+493012345725', '+493012345726');
    await t.admin.post(url(`/${old}/assign`), { accountId: acc, role: 'primary' });
    await t.admin.post(url(`/${extra}/assign`), { accountId: acc, role: 'additional' });
    const swapped = await t.admin.post(`/api/v1/tenants/num/accounts/${acc}/swap-primary-number`, { numberId: extra });
    expect(swapped.status, JSON.stringify(swapped.body)).toBe(200);
    expect(swapped.body.primary).toMatchObject({
      id: extra,
      accountId: acc,
      accountRole: 'primary',
      status: 'assigned',
    });
    expect(swapped.body.previousPrimary).toMatchObject({
      id: old,
      accountId: acc,
      accountRole: 'additional',
      status: 'assigned',
    });
    const account = await t.viewer.get(`/api/v1/tenants/num/accounts/${acc}`);
    expect(account.body.primaryNumber).toEqual({ id: extra, e164: '+493012345726' });
    expect(account.body.additionalNumbers).toEqual([{ id: old, e164: '+493012345725' }]);
    // Swapping in the number that already is the primary changes nothing.
    const same = await t.admin.post(`/api/v1/tenants/num/accounts/${acc}/swap-primary-number`, { numberId: extra });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ primary: { id: extra, accountRole: 'primary' }, previousPrimary: null });
  });

  it('refuses targets and numbers of another tenant, changing nothing', async () => {
    const [n] = await add('+493012345730');
    const g = (await other.admin.post('/api/v1/tenants/num-other/groups', { name: 'G' })).body.id;
    const foreignAccount = (
      await other.admin.post('/api/v1/tenants/num-other/accounts', { groupId: g, extension: '201', displayName: 'X' })
    ).body.id;
    const foreignNumber = (await other.admin.post('/api/v1/tenants/num-other/numbers', { numbers: ['+493012345731'] }))
      .body.items[0].id;
    expect((await t.admin.post(url(`/${n}/assign`), { accountId: foreignAccount })).body.code).toBe(
      'unknown_reference',
    );
    expect((await t.admin.post(url(`/${foreignNumber}/assign`), { accountId })).status).toBe(404);
    expect(
      (await t.admin.post(`/api/v1/tenants/num/accounts/${accountId}/swap-primary-number`, { numberId: foreignNumber }))
        .body.code,
    ).toBe('unknown_reference');
    expect((await t.admin.delete(url(`/${foreignNumber}`))).status).toBe(404);
    expect((await t.viewer.get(url(`/${n}`))).body.status).toBe('unassigned');
    expect((await other.viewer.get(`/api/v1/tenants/num-other/numbers/${foreignNumber}`)).body.status).toBe(
      'unassigned',
    );
  });

  it('is read-only for viewers', async () => {
    const [n] = await add('+493012345740');
    expect((await t.viewer.post(url(), { numbers: ['+493012345741'] })).status).toBe(403);
    expect((await t.viewer.post(url(`/${n}/assign`), { accountId })).status).toBe(403);
    expect((await t.viewer.delete(url(`/${n}`))).status).toBe(403);
  });
});

describe('numbers: delete and quarantine', () => {
  it('deletes an assigned number only when confirmed, with the impact in the 409 and at /impact; unassigning keeps the number', async () => {
    const [n] = await add('+493012345750');
    await t.admin.post(url(`/${n}/assign`), { accountId, role: 'additional' });
    const refused = await t.admin.delete(url(`/${n}`));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'confirmation_required',
      details: {
        numbers: 1,
        assigned: 1,
        groupShares: 0,
        items: [{ id: n, accountId, accountRole: 'additional', groupIds: [] }],
      },
    });
    expect((await t.viewer.get(url(`/${n}/impact`))).body).toEqual(refused.body.details);
    await t.admin.post(url(`/${n}/unassign`));
    expect((await t.viewer.get(url(`/${n}`))).body.status).toBe('unassigned');
    expect((await t.viewer.get(url(`/${n}/impact`))).body).toEqual({
      numbers: 0,
      assigned: 0,
      groupShares: 0,
      items: [],
    });
    expect((await t.admin.delete(url(`/${n}`))).status).toBe(204);
    expect((await t.viewer.get(url(`/${n}`))).status).toBe(404);
    const [confirmed] = await add('+493012345751');
    await t.admin.post(url(`/${confirmed}/assign`), { accountId, role: 'additional' });
    expect((await t.admin.delete(url(`/${confirmed}?confirm=true`))).status).toBe(204);
    expect((await t.viewer.get(url(`/${confirmed}`))).status).toBe(404);
  });

  it('does not delete a number shared with a group without confirmation', async () => {
    const [n] = await add('+493012345755');
    const group = (await t.admin.post('/api/v1/tenants/num/groups', { name: 'Shared in use' })).body.id;
    expect((await t.admin.post(`/api/v1/tenants/num/groups/${group}/shared-numbers`, { numberId: n })).status).toBe(
      201,
    );
    const refused = await t.admin.delete(url(`/${n}`));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'confirmation_required',
      details: { numbers: 1, assigned: 0, groupShares: 1, items: [{ id: n, accountId: null, groupIds: [group] }] },
    });
    expect(
      (await t.viewer.get(`/api/v1/tenants/num/groups/${group}/shared-numbers`)).body.items.map(
        (i: { id: string }) => i.id,
      ),
    ).toEqual([n]);
    const bulk = await t.admin.post(url('/bulk-delete'), { ids: [n] });
    expect(bulk.status).toBe(409);
    expect(bulk.body.code).toBe('confirmation_required');
    expect(await countRows(ctx, 'phone_numbers', 'id = ?', [n])).toBe(1);
  });

  it('bulk-deletes all or none; numbers in use need confirmation', async () => {
    const [a, b, c] = await add('+493012345760', '+493012345761', '+493012345762');
    await t.admin.post(url(`/${c}/assign`), { accountId: secondAccountId });
    const refused = await t.admin.post(url('/bulk-delete'), { ids: [a, b, c] });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'confirmation_required',
      details: { numbers: 1, assigned: 1, items: [{ id: c, e164: '+493012345762', accountId: secondAccountId }] },
    });
    expect(await countRows(ctx, 'phone_numbers', 'id in (?, ?, ?)', [a, b, c])).toBe(3);
    expect((await t.admin.post(url('/bulk-delete'), { ids: [a, b] })).body).toEqual({ deleted: 2 });
    expect(await countRows(ctx, 'phone_numbers', 'id in (?, ?)', [a, b])).toBe(0);
    expect((await t.admin.post(url('/bulk-delete?confirm=true'), { ids: [c] })).body).toEqual({ deleted: 1 });
    expect(await countRows(ctx, 'phone_numbers', 'id = ?', [c])).toBe(0);
  });

  it('quarantines deleted numbers: re-adding needs an explicit override', async () => {
    const [n] = await add('+493012345770');
    const group = (await t.admin.post('/api/v1/tenants/num/groups', { name: 'Share' })).body.id;
    await t.admin.post(`/api/v1/tenants/num/groups/${group}/shared-numbers`, { numberId: n });
    expect((await t.admin.delete(url(`/${n}?confirm=true`))).status).toBe(204);
    expect((await t.viewer.get(`/api/v1/tenants/num/groups/${group}/shared-numbers`)).body.items).toEqual([]);
    expect((await t.viewer.get(url('/quarantine'))).body.items.map((q: { e164: string }) => q.e164)).toContain(
      '+493012345770',
    );
    const refused = await t.admin.post(url(), { numbers: ['+493012345770'] });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'number_quarantined', details: { numbers: ['+493012345770'] } });
    expect(await countRows(ctx, 'phone_numbers', `e164 = '+493012345770'`)).toBe(0);
    const readded = await t.admin.post(url(), { numbers: ['+493012345770'], overrideQuarantine: true });
    expect(readded.status).toBe(201);
    expect((await t.viewer.get(url('/quarantine'))).body.items.map((q: { e164: string }) => q.e164)).not.toContain(
      '+493012345770',
    );
    // Quarantine is per tenant: another tenant may add the number.
    expect((await other.admin.post('/api/v1/tenants/num-other/numbers', { numbers: ['+493012345771'] })).status).toBe(
      201,
    );
  });
});
