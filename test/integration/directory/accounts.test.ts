import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { lineAccount, seedDeviceWithLine } from '../../helpers/directory-seed.js';

let ctx: TestContext;
let t: SeededTenant;
let other: SeededTenant;
let groupId: string;
const url = (path = '') => `/api/v1/tenants/acc/accounts${path}`;

beforeAll(async () => {
  ctx = await createTestContext();
  t = await seedTenant(ctx, 'acc', { maxAccounts: 100 });
  other = await seedTenant(ctx, 'acc-other');
  groupId = (await t.admin.post('/api/v1/tenants/acc/groups', { name: 'Staff' })).body.id;
});
afterAll(async () => ctx?.close());

async function create(extension: string, body: Record<string, unknown> = {}) {
  return t.admin.post(url(), { groupId, extension, displayName: `User ${extension}`, ...body });
}

async function numberFor(accountId: string, e164: string, role: 'primary' | 'additional') {
  const id = (await t.admin.post('/api/v1/tenants/acc/numbers', { numbers: [e164] })).body.items[0].id;
  expect((await t.admin.post(`/api/v1/tenants/acc/numbers/${id}/assign`, { accountId, role })).status).toBe(200);
  return id;
}

describe('accounts: create', () => {
  it('lives in a group: no group is a 400, an unknown or foreign group is a 400, nothing written', async () => {
    const before = await countRows(ctx, 'accounts');
    const missing = await t.admin.post(url(), { extension: '100', displayName: 'No group' });
    expect(missing.status).toBe(400);
    const foreignGroup = (await other.admin.post('/api/v1/tenants/acc-other/groups', { name: 'Theirs' })).body.id;
    const foreign = await create('100', { groupId: foreignGroup });
    expect(foreign.status).toBe(400);
    expect(foreign.body.code).toBe('unknown_reference');
    expect(await countRows(ctx, 'accounts')).toBe(before);
  });

  it('generates a strong SIP password by default, shows it once, never in reads, lists or logs', async () => {
    const first = await create('101');
    const second = await create('102');
    expect(first.status).toBe(201);
    const password: string = first.body.sipPassword;
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(password).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(second.body.sipPassword).not.toBe(password);
    expect(first.body.sipUsername).toBe('101');
    const read = await t.admin.get(url(`/${first.body.id}`));
    const list = await t.admin.get(url('?limit=500'));
    expect(read.raw).not.toContain(password);
    expect(list.raw).not.toContain(password);
    expect(read.body).not.toHaveProperty('sipPassword');
    await t.admin.patch(url(`/${first.body.id}`), { displayName: 'Renamed' });
    expect(ctx.logs.join('\n')).not.toContain(password);
    const credentials = await t.admin.get(url(`/${first.body.id}/sip-credentials`));
    expect(credentials.body).toEqual({ sipUsername: '101', sipPassword: password });
    expect((await t.viewer.get(url(`/${first.body.id}/sip-credentials`))).status).toBe(403);
  });

  it('accepts a chosen password only if it is long enough', async () => {
    expect((await create('103', { sipPassword: 'short' })).status).toBe(400);
    const chosen = await create('104', { sipPassword: 'Correct-Horse-Battery-9' });
    expect(chosen.body.sipPassword).toBe('Correct-Horse-Battery-9');
    const rotated = await t.admin.post(url(`/${chosen.body.id}/rotate-sip-password`));
    expect(rotated.body.sipPassword).not.toBe('Correct-Horse-Battery-9');
    expect(rotated.body.sipPassword.length).toBeGreaterThanOrEqual(20);
  });

  it('keeps extensions and SIP usernames unique in the tenant, across accounts, hunt groups and auto attendants', async () => {
    expect((await create('110')).status).toBe(201);
    const again = await create('110', { sipUsername: 'other-name' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('extension_taken');
    expect((await create('111', { sipUsername: '110' })).body.code).toBe('sip_username_taken');
    expect((await t.admin.post('/api/v1/tenants/acc/hunt-groups', { name: 'H110', extension: '110' })).body.code).toBe(
      'extension_taken',
    );
    expect((await t.admin.post('/api/v1/tenants/acc/auto-attendants', { name: 'AA', extension: '112' })).status).toBe(
      201,
    );
    expect((await create('112')).body.code).toBe('extension_taken');
    const otherGroup = (await other.admin.post('/api/v1/tenants/acc-other/groups', { name: 'G' })).body.id;
    expect(
      (
        await other.admin.post('/api/v1/tenants/acc-other/accounts', {
          groupId: otherGroup,
          extension: '110',
          displayName: 'Same ext',
        })
      ).status,
    ).toBe(201);
  });

  it('rejects bad input with a code and writes nothing', async () => {
    const before = await countRows(ctx, 'accounts');
    for (const body of [
      { extension: 'abc' },
      { extension: 120 },
      { extension: '1' },
      { extension: '121', displayName: 'x'.repeat(201) },
      { extension: '122', email: 'not-mail' },
      { extension: '123', callerId: 'not a number' },
      { extension: '124', sipUsername: 'has space' },
      { extension: '125', enabled: 'yes' },
      { extension: '126', admin: true },
    ]) {
      const response = await create(String(body.extension), body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.code).toEqual(expect.any(String));
    }
    expect(await countRows(ctx, 'accounts')).toBe(before);
  });

  it('normalises the caller ID with the tenant default country', async () => {
    const created = await create('130', { callerId: '030 1234567' });
    expect(created.body.callerId).toBe('+49301234567');
  });
});

describe('accounts: tenant account limit', () => {
  it('answers a clear 409 at the limit, also under concurrent creates', async () => {
    const small = await seedTenant(ctx, 'acc-small', { maxAccounts: 3 });
    const g = (await small.admin.post('/api/v1/tenants/acc-small/groups', { name: 'G' })).body.id;
    expect(
      (await small.admin.post('/api/v1/tenants/acc-small/accounts', { groupId: g, extension: '200', displayName: 'A' }))
        .status,
    ).toBe(201);
    const racers = await Promise.all(
      ['201', '202', '203', '204', '205'].map((extension) =>
        small.admin.post('/api/v1/tenants/acc-small/accounts', { groupId: g, extension, displayName: extension }),
      ),
    );
    expect(racers.filter((r) => r.status === 201)).toHaveLength(2);
    const refused = racers.filter((r) => r.status === 409);
    expect(refused).toHaveLength(3);
    expect(refused[0]!.body).toMatchObject({ code: 'account_limit_reached', details: { limit: 3, accounts: 3 } });
    expect(await countRows(ctx, 'accounts', 'tenant_id = ?', [small.tenant.id])).toBe(3);
    expect((await small.viewer.get(`/api/v1/tenants/acc-small/groups/${g}`)).body).toMatchObject({
      accountCount: 3,
      accountLimit: 3,
    });
  });
});

describe('accounts: update, disable, delete', () => {
  it('moves an account to another group of the tenant, not to a foreign one', async () => {
    const acc = (await create('300')).body.id;
    const target = (await t.admin.post('/api/v1/tenants/acc/groups', { name: 'Target' })).body.id;
    await t.admin.post(`/api/v1/tenants/acc/groups/${target}/members`, { accountId: acc });
    const moved = await t.admin.patch(url(`/${acc}`), { groupId: target });
    expect(moved.body.groupId).toBe(target);
    expect((await t.viewer.get(`/api/v1/tenants/acc/groups/${target}/members`)).body.items).toEqual([]);
    const foreignGroup = (await other.admin.post('/api/v1/tenants/acc-other/groups', { name: 'Foreign target' })).body
      .id;
    expect((await t.admin.patch(url(`/${acc}`), { groupId: foreignGroup })).body.code).toBe('unknown_reference');
    expect((await t.admin.patch(url(`/${acc}`), {})).status).toBe(400);
  });

  async function hangEverythingOn(acc: string, digits: string) {
    const primary = await numberFor(acc, `+4930777${digits}1`, 'primary');
    const additional = await numberFor(acc, `+4930777${digits}2`, 'additional');
    const { lineId } = await seedDeviceWithLine(ctx, t.tenant.id, acc);
    const hunt = (
      await t.admin.post('/api/v1/tenants/acc/hunt-groups', { name: `Hunt ${digits}`, memberAccountIds: [acc] })
    ).body.id;
    const aa = (
      await t.admin.post('/api/v1/tenants/acc/auto-attendants', {
        name: `AA ${digits}`,
        options: [
          { digit: '1', accountId: acc },
          { digit: '0', externalNumber: '+41441234567' },
        ],
      })
    ).body.id;
    return { primary, additional, lineId, hunt, aa };
  }

  async function expectDetached(refs: Awaited<ReturnType<typeof hangEverythingOn>>) {
    for (const id of [refs.primary, refs.additional]) {
      expect((await t.viewer.get(`/api/v1/tenants/acc/numbers/${id}`)).body).toMatchObject({
        status: 'unassigned',
        accountId: null,
        accountRole: null,
      });
    }
    expect(await lineAccount(ctx, refs.lineId)).toBeNull();
    expect((await t.viewer.get(`/api/v1/tenants/acc/hunt-groups/${refs.hunt}`)).body.members).toEqual([]);
    expect(
      (await t.viewer.get(`/api/v1/tenants/acc/auto-attendants/${refs.aa}`)).body.options.map(
        (o: { digit: string }) => o.digit,
      ),
    ).toEqual(['0']);
  }

  it('disabling applies the cleanup rules and keeps the account', async () => {
    const acc = (await create('310')).body.id;
    const refs = await hangEverythingOn(acc, '31');
    const disabled = await t.admin.patch(url(`/${acc}`), { enabled: false });
    expect(disabled.body).toMatchObject({ enabled: false, primaryNumber: null, additionalNumbers: [] });
    await expectDetached(refs);
    expect(await countRows(ctx, 'accounts', 'id = ?', [acc])).toBe(1);
    const assign = await t.admin.post(`/api/v1/tenants/acc/numbers/${refs.primary}/assign`, { accountId: acc });
    expect(assign.body.code).toBe('account_disabled');
  });

  it('deleting applies the cleanup rules, reports them, and removes the account', async () => {
    const acc = (await create('320')).body.id;
    const refs = await hangEverythingOn(acc, '32');
    // The impact names what DELETE would do, and writes nothing.
    const impact = await t.viewer.get(url(`/${acc}/impact`));
    expect(impact.status).toBe(200);
    expect(impact.body).toMatchObject({
      numbers: [
        { id: refs.primary, e164: '+4930777321', role: 'primary' },
        { id: refs.additional, e164: '+4930777322', role: 'additional' },
      ],
      devices: [{ lines: [1] }],
      huntGroups: [{ id: refs.hunt, name: 'Hunt 32' }],
      autoAttendantOptions: [{ autoAttendantId: refs.aa, name: 'AA 32', digit: '1' }],
    });
    // A number's digits find its account.
    expect((await t.viewer.get(url('?q=30777322'))).body.items.map((a: { id: string }) => a.id)).toEqual([acc]);
    const deleted = await t.admin.delete(url(`/${acc}`));
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({
      numbersUnassigned: 2,
      deviceLinesUnassigned: 1,
      huntGroupMembershipsRemoved: 1,
      autoAttendantOptionsRemoved: 1,
    });
    await expectDetached(refs);
    expect((await t.viewer.get(url(`/${acc}`))).status).toBe(404);
    const trail = (await t.viewer.get(`/api/v1/tenants/acc/audit?entityId=${refs.primary}`)).body.items;
    expect(trail[0]).toMatchObject({
      action: 'update',
      before: { accountRole: 'primary', status: 'assigned' },
      after: { accountRole: null, status: 'unassigned' },
    });
  });

  it('lists with search, group and enabled filters and pages', async () => {
    const listed = await t.viewer.get(url('?q=User%2031&enabled=false'));
    expect(listed.body.items.map((a: { extension: string }) => a.extension)).toEqual(['310']);
    const page = await t.viewer.get(url(`?groupId=${groupId}&limit=2&offset=1`));
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBeGreaterThan(3);
    expect((await t.viewer.get(url('?limit=501'))).status).toBe(400);
  });

  it("answers 404 for another tenant's account on every route", async () => {
    const foreignGroup = (await other.admin.post('/api/v1/tenants/acc-other/groups', { name: 'F2' })).body.id;
    const foreign = (
      await other.admin.post('/api/v1/tenants/acc-other/accounts', {
        groupId: foreignGroup,
        extension: '999',
        displayName: 'F',
      })
    ).body.id;
    expect((await t.owner.get(url(`/${foreign}`))).status).toBe(404);
    expect((await t.owner.get(url(`/${foreign}/sip-credentials`))).status).toBe(404);
    expect((await t.owner.get(url(`/${foreign}/impact`))).status).toBe(404);
    expect((await t.owner.patch(url(`/${foreign}`), { displayName: 'Hijack' })).status).toBe(404);
    expect((await t.owner.delete(url(`/${foreign}`))).status).toBe(404);
    expect((await t.owner.get(`/api/v1/tenants/acc-other/accounts/${foreign}`)).status).toBe(404);
    expect((await other.viewer.get(`/api/v1/tenants/acc-other/accounts/${foreign}`)).body.displayName).toBe('F');
  });
});
