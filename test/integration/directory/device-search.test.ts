import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceListQuery, listDevices } from '#src/modules/devices/device-list.js';
import { Tenant } from '#src/model/directory/tenant.entity.js';
import { seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { directoryFixtures } from './directory-fixtures.js';

/**
 * The device list's free-text search (REST `?q=`, also the console's search box) finds a device
 * by each thing it names, and its plan goes through the trigram and account indexes instead of
 * checking every device (bench console-lists: 100,000 devices took ~400 ms a page).
 */
let ctx: TestContext;
let t: SeededTenant;
let other: SeededTenant;
let fx: ReturnType<typeof directoryFixtures>;
const ids: Record<string, string> = {};
let bigId: string | undefined;
const url = (q: string) => `/api/v1/tenants/srch/devices?q=${encodeURIComponent(q)}&limit=500`;

beforeAll(async () => {
  ctx = await createTestContext();
  fx = directoryFixtures(ctx);
  t = await seedTenant(ctx, 'srch');
  other = await seedTenant(ctx, 'srch-other');
  const group = await fx.group(t.tenant.id, 'Office');
  const alice = await fx.account(t.tenant.id, group, '4711');
  await fx.sql(
    `update accounts set display_name = 'Alice Zebra', email = 'alice@corp.example', sip_username = 'sipalice' where id = ?`,
    [alice],
  );
  const bob = await fx.account(t.tenant.id, group, '4712');
  await fx.sql(`update accounts set display_name = 'Bob Quux' where id = ?`, [bob]);
  expect((await t.admin.post('/api/v1/tenants/srch/numbers', { numbers: ['+4930998877'] })).status).toBe(201);
  const number = (await fx.sql<{ id: string }>(`select id from phone_numbers where e164 = '+4930998877'`))[0]!.id;
  expect(
    (await t.admin.post(`/api/v1/tenants/srch/numbers/${number}/assign`, { accountId: bob, role: 'primary' })).status,
  ).toBe(200);
  const cos = await fx.classOfService(t.tenant.id, 'CoS');
  expect(
    (await t.admin.post('/api/v1/tenants/srch/phonemap-groups', { id: 'desk', name: 'Desk', classOfServiceId: cos }))
      .status,
  ).toBe(201);
  expect((await t.admin.post('/api/v1/tenants/srch/phonemap-groups/desk/members', { accountId: bob })).status).toBe(
    201,
  );
  const make = async (key: string, body: Record<string, unknown>) => {
    const response = await t.admin.post('/api/v1/tenants/srch/devices', body);
    expect(response.status).toBe(201);
    ids[key] = response.body.id;
  };
  await make('byMac', { mac: '0015650abc01', vendor: 'yealink' });
  await make('byModel', { mac: '001565000002', vendor: 'yealink', model: 'T54W' });
  await make('byReported', { mac: '001565000003', vendor: 'snom' });
  await make('byLabel', { mac: '001565000004', vendor: 'yealink', lines: [{ index: 1, label: 'Lobby Phone' }] });
  await make('byAlice', { mac: '001565000005', vendor: 'yealink', lines: [{ index: 1, accountId: alice }] });
  await make('byPhoneMap', { mac: '001565000006', vendor: 'yealink', lines: [{ index: 1, phonemapGroupId: 'desk' }] });
  await make('plain', { mac: '001565000007', vendor: 'yealink' });
  await fx.sql(
    `insert into device_last_seen (device_id, tenant_id, seen_at, ip, model) values (?, ?, now(), '10.0.0.3', 'D785')`,
    [ids.byReported, t.tenant.id],
  );
  // Another tenant's device that would match everything: never listed.
  const theirGroup = await fx.group(other.tenant.id, 'Theirs');
  const theirAlice = await fx.account(other.tenant.id, theirGroup, '4711');
  expect(
    (
      await other.admin.post('/api/v1/tenants/srch-other/devices', {
        mac: '0015650abc99',
        vendor: 'yealink',
        model: 'T54W',
        lines: [{ index: 1, accountId: theirAlice, label: 'Lobby' }],
      })
    ).status,
  ).toBe(201);
});
afterAll(async () => ctx?.close());

async function found(q: string): Promise<string[]> {
  const response = await t.viewer.get(url(q));
  expect(response.status).toBe(200);
  expect(response.body.total).toBe(response.body.items.length);
  const byId = new Map(Object.entries(ids).map(([key, id]) => [id, key]));
  return response.body.items.map((device: { id: string }) => byId.get(device.id) ?? `foreign ${device.id}`).sort();
}

/**
 * A tenant big enough for the planner to choose as it does in production (5,000 users, 20,000
 * devices with a line each, a number per user), written with set-based SQL, then analysed.
 */
async function bigTenant(): Promise<string> {
  const big = await seedTenant(ctx, 'srch-big', { maxAccounts: 6000 });
  const id = big.tenant.id;
  const group = await fx.group(id, 'Big');
  await fx.sql(
    `insert into accounts (id, tenant_id, home_group_id, extension, sip_username, sip_password, display_name, email)
     select gen_random_uuid(), ?, ?, (200000 + i)::text, 'sip' || i, md5(i::text), 'Big User ' || i, 'big' || i || '@big.example' from generate_series(0, 4999) as i`,
    [id, group],
  );
  await fx.sql(
    `insert into phone_numbers (id, tenant_id, e164, status, account_id, account_role)
    select gen_random_uuid(), tenant_id, '+4989' || extension, 'assigned', id, 'primary' from accounts where tenant_id = ?`,
    [id],
  );
  await fx.sql(
    `insert into devices (id, tenant_id, mac, vendor, provisioning_secret)
    select gen_random_uuid(), ?, '02bf' || lpad(to_hex(i), 8, '0'), 'yealink', md5(i::text) from generate_series(0, 19999) as i`,
    [id],
  );
  await fx.sql(
    `with a as (select id, row_number() over (order by extension) - 1 as n from accounts where tenant_id = ?),
      d as (select id, row_number() over (order by mac) - 1 as n from devices where tenant_id = ?)
    insert into device_lines (id, tenant_id, device_id, line_index, account_id) select gen_random_uuid(), ?, d.id, 1, a.id from d join a on a.n = d.n % 5000`,
    [id, id, id],
  );
  await fx.sql('analyze');
  return id;
}

/**
 * The plan of `sql` with sequential scans priced out: at these test sizes a scan of every row
 * still costs less than the indexes; at 100,000 devices it does not (bench console-lists).
 */
async function plan(sql: string): Promise<string> {
  const knex = (ctx.deps.orm.em.fork() as EntityManager).getKnex();
  return knex.transaction(async (trx) => {
    await trx.raw('set local enable_seqscan = off');
    const result = await trx.raw(`explain ${sql}`);
    return (result.rows as { 'QUERY PLAN': string }[]).map((row) => row['QUERY PLAN']).join('\n');
  });
}

describe('device search', () => {
  it('finds a device by MAC digits (with separators), model, reported model, line label, user and number', async () => {
    expect(await found('0a:bc')).toEqual(['byMac']);
    expect(await found('t54')).toEqual(['byModel']);
    expect(await found('d785')).toEqual(['byReported']);
    expect(await found('lobby')).toEqual(['byLabel']);
    expect(await found('zebra')).toEqual(['byAlice']);
    expect(await found('4711')).toEqual(['byAlice']);
    expect(await found('SIPALICE')).toEqual(['byAlice']);
    expect(await found('alice@corp')).toEqual(['byAlice']);
    // Bob is the PhoneMap group's active member (its first), and holds the number.
    expect(await found('quux')).toEqual(['byPhoneMap']);
    expect(await found('998877')).toEqual(['byPhoneMap']);
    expect(await found('nothing-like-this')).toEqual([]);
    expect(await found('100%')).toEqual([]);
  });

  it('pages the matches with the total of all of them', async () => {
    const page = await t.viewer.get('/api/v1/tenants/srch/devices?q=00156500000&limit=2&offset=1');
    expect(page.body.total).toBe(6);
    expect(page.body.items.map((device: { mac: string }) => device.mac)).toEqual(['001565000003', '001565000004']);
  });

  it('counts up to a cap when asked (the console), saying that there are more', async () => {
    const em = ctx.deps.orm.em.fork() as EntityManager;
    const tenant = em.getReference(Tenant, t.tenant.id);
    const query = { q: '00156500000', limit: 2, offset: 0 } as never;
    expect(await listDevices(em, tenant, query)).toMatchObject({ total: 6, more: false });
    const capped = await listDevices(em, tenant, query, { countCap: 4 });
    expect(capped).toMatchObject({ total: 4, more: true });
    expect(capped.items.map((device) => device.mac)).toEqual(['001565000002', '001565000003']);
    expect(await listDevices(em, tenant, query, { countCap: 6 })).toMatchObject({ total: 6, more: false });
  });

  it(
    'is planned through the trigram and account indexes, not a check of every device',
    { timeout: 60_000 },
    async () => {
      const em = ctx.deps.orm.em.fork() as EntityManager;
      const tenant = em.getReference(Tenant, (bigId ??= await bigTenant()));
      const text = await plan(
        deviceListQuery(em, tenant, { q: 'user 4711', limit: 50, offset: 0 } as never).getFormattedQuery(),
      );
      // The users are matched first (by whichever accounts index the planner prefers at this size), their lines by account id.
      for (const index of [
        'devices_mac_trgm_index',
        'devices_model_trgm_index',
        'device_lines_label_trgm_index',
        'device_lines_account_id_index',
      ]) {
        expect(text, text).toContain(index);
      }
      expect(text).not.toMatch(/Seq Scan on (devices|device_lines)|SubPlan/);
    },
  );
});
