import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../helpers/database.js';

/**
 * The invariants the database itself holds, proven with raw SQL (no ORM, no service): whatever
 * writes the tables — the API, a bulk job, a hand-typed query — cannot break them.
 */
let database: { url: string; drop: () => Promise<void> };
let db: pg.Client;
let tenantId: string;
let groupId: string;
let accountIds: string[];

async function insert(table: string, row: Record<string, unknown>): Promise<string> {
  const id = (row.id as string | undefined) ?? randomUUID();
  const values = { id, ...row };
  const columns = Object.keys(values);
  await db.query(
    `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    Object.values(values),
  );
  return id;
}

async function sqlError(run: () => Promise<unknown>): Promise<{ code?: string; constraint?: string }> {
  try {
    await run();
  } catch (error) {
    return error as { code?: string; constraint?: string };
  }
  throw new Error('expected the statement to fail');
}

async function transaction(statements: () => Promise<void>): Promise<void> {
  await db.query('begin');
  try {
    await statements();
    await db.query('commit');
  } catch (error) {
    await db.query('rollback');
    throw error;
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await database?.drop();
});

beforeEach(async () => {
  tenantId = await insert('tenants', { slug: `t${randomUUID().slice(0, 8)}`, name: 'T' });
  groupId = await insert('groups', { tenant_id: tenantId, name: 'Sales' });
  accountIds = [];
  for (const extension of ['201', '202', '203']) {
    accountIds.push(
      await insert('accounts', {
        tenant_id: tenantId,
        home_group_id: groupId,
        extension,
        sip_username: `u${extension}`,
        sip_password: 'x'.repeat(24),
        display_name: extension,
      }),
    );
  }
});

describe('PhoneMap members: exactly one active', () => {
  async function phonemapGroup(): Promise<string> {
    const cos = await insert('classes_of_service', {
      tenant_id: tenantId,
      name: `cos-${randomUUID()}`,
      level: 'national',
    });
    return insert('phonemap_groups', {
      tenant_id: tenantId,
      token: `pm-${randomUUID().slice(0, 8)}`,
      name: 'Desk',
      class_of_service_id: cos,
    });
  }
  const member = (group: string, account: string, active: boolean) =>
    insert('phonemap_members', { tenant_id: tenantId, phonemap_group_id: group, account_id: account, active });

  it('rejects a second active member at once (partial unique index)', async () => {
    const group = await phonemapGroup();
    await member(group, accountIds[0]!, true);
    const error = await sqlError(() => member(group, accountIds[1]!, true));
    expect(error.code).toBe('23505');
    expect(error.constraint).toBe('phonemap_members_one_active_per_group');
  });

  it('fails the commit of a group with members but none active (deferred trigger)', async () => {
    const group = await phonemapGroup();
    const error = await sqlError(() => transaction(async () => void (await member(group, accountIds[0]!, false))));
    expect(error.code).toBe('23514');
    expect(error.constraint).toBe('phonemap_members_one_active');
    const { rows } = await db.query('select count(*)::int as n from phonemap_members where phonemap_group_id = $1', [
      group,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('fails the commit that deactivates the only active member, or deletes it while others remain', async () => {
    const group = await phonemapGroup();
    const active = await member(group, accountIds[0]!, true);
    await member(group, accountIds[1]!, false);
    expect(
      (await sqlError(() => db.query('update phonemap_members set active = false where id = $1', [active]))).code,
    ).toBe('23514');
    expect((await sqlError(() => db.query('delete from phonemap_members where id = $1', [active]))).code).toBe('23514');
    // Deleting the active member's account cascades to the membership: same rule.
    expect((await sqlError(() => db.query('delete from accounts where id = $1', [accountIds[0]]))).code).toBe('23514');
  });

  it('allows an atomic switch inside one transaction, and emptying or deleting the group', async () => {
    const group = await phonemapGroup();
    const first = await member(group, accountIds[0]!, true);
    const second = await member(group, accountIds[1]!, false);
    await transaction(async () => {
      await db.query('update phonemap_members set active = false where id = $1', [first]);
      await db.query('update phonemap_members set active = true where id = $1', [second]);
    });
    const { rows } = await db.query('select id from phonemap_members where phonemap_group_id = $1 and active', [group]);
    expect(rows.map((row) => row.id)).toEqual([second]);
    await db.query('delete from phonemap_members where phonemap_group_id = $1', [group]);
    const other = await phonemapGroup();
    await member(other, accountIds[2]!, true);
    await db.query('delete from phonemap_groups where id = $1', [other]);
  });
});

describe('phone numbers: assignment invariants', () => {
  const number = (row: Record<string, unknown>) =>
    insert('phone_numbers', { tenant_id: tenantId, e164: `+4930${Math.floor(1e6 + Math.random() * 8e6)}`, ...row });

  it('allows at most one assignee', async () => {
    const hunt = await insert('hunt_groups', { tenant_id: tenantId, name: 'Support' });
    const error = await sqlError(() =>
      number({ status: 'assigned', account_id: accountIds[0], account_role: 'additional', hunt_group_id: hunt }),
    );
    expect(error.constraint).toBe('phone_numbers_one_assignee');
  });

  it('keeps status in step with the assignee', async () => {
    expect((await sqlError(() => number({ status: 'assigned' }))).constraint).toBe(
      'phone_numbers_status_matches_assignee',
    );
    expect(
      (await sqlError(() => number({ status: 'unassigned', account_id: accountIds[0], account_role: 'additional' })))
        .constraint,
    ).toBe('phone_numbers_status_matches_assignee');
  });

  it('needs a role exactly when assigned to an account', async () => {
    expect((await sqlError(() => number({ status: 'assigned', account_id: accountIds[0] }))).constraint).toBe(
      'phone_numbers_role_iff_account',
    );
    const hunt = await insert('hunt_groups', { tenant_id: tenantId, name: 'Hunt' });
    expect(
      (await sqlError(() => number({ status: 'assigned', hunt_group_id: hunt, account_role: 'primary' }))).constraint,
    ).toBe('phone_numbers_role_iff_account');
  });

  it('allows one primary per account, any number of additional ones', async () => {
    await number({ status: 'assigned', account_id: accountIds[0], account_role: 'primary' });
    await number({ status: 'assigned', account_id: accountIds[0], account_role: 'additional' });
    await number({ status: 'assigned', account_id: accountIds[0], account_role: 'additional' });
    await number({ status: 'assigned', account_id: accountIds[1], account_role: 'primary' });
    const error = await sqlError(() =>
      number({ status: 'assigned', account_id: accountIds[0], account_role: 'primary' }),
    );
    expect(error.constraint).toBe('phone_numbers_one_primary_per_account');
  });

  it('rejects a non-E.164 value and a duplicate in the tenant', async () => {
    expect((await sqlError(() => number({ e164: '030123456' }))).constraint).toBe('phone_numbers_e164_format');
    await number({ e164: '+493012345678' });
    expect((await sqlError(() => number({ e164: '+493012345678' }))).constraint).toBe(
      'phone_numbers_tenant_e164_unique',
    );
  });

  it('refuses a raw delete of an account that still holds numbers', async () => {
    await number({ status: 'assigned', account_id: accountIds[2], account_role: 'primary' });
    expect((await sqlError(() => db.query('delete from accounts where id = $1', [accountIds[2]]))).code).toBe('23503');
  });
});

describe('devices and lines', () => {
  const device = (mac: string) =>
    insert('devices', { tenant_id: tenantId, mac, vendor: 'yealink', provisioning_secret: 's'.repeat(32) });

  it('stores only canonical MACs, once across the platform', async () => {
    for (const bad of ['00156512345g', '0015651234AB', '0015651234a', '0015-6512-34']) {
      expect((await sqlError(() => device(bad))).constraint).toBe('devices_mac_canonical');
    }
    const mac = `0015${randomUUID().replace(/-/g, '').slice(0, 8)}`;
    await device(mac);
    const otherTenant = await insert('tenants', { slug: `o${randomUUID().slice(0, 8)}`, name: 'Other' });
    const error = await sqlError(() =>
      insert('devices', { tenant_id: otherTenant, mac, vendor: 'snom', provisioning_secret: 'x'.repeat(32) }),
    );
    expect(error.constraint).toBe('devices_mac_unique');
  });

  it('binds a line to an account or a PhoneMap group, never both, and unbinds it when the account goes', async () => {
    const deviceId = await device(`0015${randomUUID().replace(/-/g, '').slice(0, 8)}`);
    const cos = await insert('classes_of_service', { tenant_id: tenantId, name: 'cos', level: 'internal' });
    const pm = await insert('phonemap_groups', {
      tenant_id: tenantId,
      token: 'desk_1',
      name: 'Desk',
      class_of_service_id: cos,
    });
    const line = (row: Record<string, unknown>) =>
      insert('device_lines', { tenant_id: tenantId, device_id: deviceId, ...row });
    expect(
      (await sqlError(() => line({ line_index: 1, account_id: accountIds[0], phonemap_group_id: pm }))).constraint,
    ).toBe('device_lines_one_binding');
    expect((await sqlError(() => line({ line_index: 0 }))).constraint).toBe('device_lines_index_positive');
    const bound = await line({ line_index: 1, account_id: accountIds[0] });
    expect((await sqlError(() => line({ line_index: 1 }))).constraint).toBe('device_lines_device_index_unique');
    await db.query('delete from accounts where id = $1', [accountIds[0]]);
    const { rows } = await db.query('select account_id from device_lines where id = $1', [bound]);
    expect(rows[0].account_id).toBeNull();
  });
});

describe('auto attendant options and cleanup by foreign keys', () => {
  it('need exactly one target and a dial-pad digit', async () => {
    const aa = await insert('auto_attendants', { tenant_id: tenantId, name: 'Main' });
    const option = (row: Record<string, unknown>) =>
      insert('auto_attendant_options', { tenant_id: tenantId, auto_attendant_id: aa, ...row });
    expect((await sqlError(() => option({ digit: '1' }))).constraint).toBe('auto_attendant_options_one_target');
    expect(
      (await sqlError(() => option({ digit: '1', target_account_id: accountIds[0], external_number: '+4930123456' })))
        .constraint,
    ).toBe('auto_attendant_options_one_target');
    expect((await sqlError(() => option({ digit: 'a', external_number: '+4930123456' }))).constraint).toBe(
      'auto_attendant_options_digit_format',
    );
    await option({ digit: '#', external_number: '+4930123456' });
  });

  it('remove a deleted account from hunt groups and auto attendant options', async () => {
    const hunt = await insert('hunt_groups', { tenant_id: tenantId, name: 'H' });
    await insert('hunt_group_members', {
      tenant_id: tenantId,
      hunt_group_id: hunt,
      account_id: accountIds[1],
      position: 1,
    });
    const aa = await insert('auto_attendants', { tenant_id: tenantId, name: 'AA' });
    await insert('auto_attendant_options', {
      tenant_id: tenantId,
      auto_attendant_id: aa,
      digit: '2',
      target_account_id: accountIds[1],
    });
    await db.query('delete from accounts where id = $1', [accountIds[1]]);
    const { rows } = await db.query(
      'select (select count(*) from hunt_group_members where hunt_group_id = $1)::int as members, (select count(*) from auto_attendant_options where auto_attendant_id = $2)::int as options',
      [hunt, aa],
    );
    expect(rows[0]).toEqual({ members: 0, options: 0 });
  });

  it('delete everything of a tenant with the tenant', async () => {
    await insert('phone_numbers', { tenant_id: tenantId, e164: '+493099999999' });
    const profile = await insert('profiles', { tenant_id: tenantId, name: 'Default' });
    await db.query('update tenants set default_profile_id = $1 where id = $2', [profile, tenantId]);
    await db.query('update groups set profile_id = $1 where id = $2', [profile, groupId]);
    await db.query('delete from tenants where id = $1', [tenantId]);
    const { rows } = await db.query(
      `select (select count(*) from accounts where tenant_id = $1)::int + (select count(*) from groups where tenant_id = $1)::int
        + (select count(*) from phone_numbers where tenant_id = $1)::int + (select count(*) from profiles where tenant_id = $1)::int as left`,
      [tenantId],
    );
    expect(rows[0].left).toBe(0);
  });
});
