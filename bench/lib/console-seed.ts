import pg from 'pg';
import { knownModelIds, VENDOR_FAMILIES } from '../../src/modules/render/device/index.js';
import { hashPassword } from '../../src/modules/console/passwords.js';
import { nextBenchMacIndex } from './bulk-seed.js';
import type { Tenant } from './seed.js';

/**
 * A large tenant for the console benchmark, written with set-based SQL (generate_series): groups,
 * accounts spread over them, one primary number per account plus unassigned ones, devices with
 * line 1 bound to an account, and console users. The admin API would take hours for 100,000
 * devices (see bulk-seed.ts). Capture triggers are off (superuser, session_replication_role =
 * replica): the console reads the tables, the renders are not the subject and would load the
 * machine during the measurement. Contacts come through the real import (bench/lib/seed.ts).
 */
export interface ConsoleSizes {
  groups: number;
  accounts: number;
  /** Unassigned numbers on top of one primary number per account. */
  spareNumbers: number;
  devices: number;
  consoleUsers: number;
}

export interface SeededConsoleUser {
  email: string;
  password: string;
}

export const BENCH_PASSWORD = 'bench console password 42';

export async function seedConsoleTenant(
  databaseUrl: string,
  tenant: Tenant,
  sizes: ConsoleSizes,
): Promise<SeededConsoleUser> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(`set session_replication_role = replica`);
    const tenantId = (
      (await db.query('select id from tenants where slug = $1', [tenant.slug])).rows[0] as { id: string }
    ).id;
    await db.query('begin');
    await db.query(
      `insert into groups (id, tenant_id, name, city, admin_it_email)
       select gen_random_uuid(), $1, 'Site ' || lpad(g::text, 4, '0'), 'City ' || (g % 50), 'it' || g || '@site.example'
       from generate_series(1, $2::int) as g`,
      [tenantId, sizes.groups],
    );
    // Home group i % groups; extensions 100000… as bulk-seed.ts writes them.
    await db.query(
      `with g as (select id, row_number() over (order by name) - 1 as n from groups where tenant_id = $1)
       insert into accounts (id, tenant_id, home_group_id, extension, sip_username, sip_password, display_name, email)
       select gen_random_uuid(), $1, g.id, (100000 + i)::text, (100000 + i)::text, md5(i::text || random()::text), 'Bench User ' || i, 'user' || i || '@bench.example'
       from generate_series(0, $2::int - 1) as i join g on g.n = i % (select count(*) from g)`,
      [tenantId, sizes.accounts],
    );
    await db.query(
      `insert into phone_numbers (id, tenant_id, e164, status, account_id, account_role)
       select gen_random_uuid(), $1, '+4930' || (1000000 + extension::int - 100000), 'assigned', id, 'primary' from accounts where tenant_id = $1`,
      [tenantId],
    );
    await db.query(
      `insert into phone_numbers (id, tenant_id, e164) select gen_random_uuid(), $1, '+4940' || (1000000 + i) from generate_series(0, $2::int - 1) as i`,
      [tenantId, sizes.spareNumbers],
    );
    const vendors = [...VENDOR_FAMILIES];
    // MACs as benchMac(first + i) writes them, after any other tenant's (MACs are unique across tenants).
    const first = await nextBenchMacIndex(db);
    await db.query(
      `insert into devices (id, tenant_id, mac, vendor, model, provisioning_secret)
       select gen_random_uuid(), $1, '02be' || lpad(to_hex($5::bigint + i), 8, '0'), ($3::text[])[1 + i % cardinality($3::text[])], ($4::text[])[1 + i % cardinality($4::text[])], md5(random()::text) || md5(random()::text)
       from generate_series(0, $2::int - 1) as i`,
      [tenantId, sizes.devices, vendors, vendors.map((vendor) => knownModelIds(vendor)[0]!), first],
    );
    await db.query(
      `with a as (select id, row_number() over (order by extension) - 1 as n from accounts where tenant_id = $1),
            d as (select id, row_number() over (order by mac) - 1 as n from devices where tenant_id = $1)
       insert into device_lines (id, tenant_id, device_id, line_index, account_id)
       select gen_random_uuid(), $1, d.id, 1, a.id from d join a on a.n = d.n % (select count(*) from a)`,
      [tenantId],
    );
    const owner: SeededConsoleUser = { email: `owner@${tenant.slug}.example`, password: BENCH_PASSWORD };
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    await db.query(
      `insert into console_users (id, tenant_id, role, email, password_hash) values (gen_random_uuid(), $1, 'owner', $2, $3)`,
      [tenantId, owner.email, passwordHash],
    );
    await db.query(
      `insert into console_users (id, tenant_id, role, email, password_hash)
       select gen_random_uuid(), $1, (array['admin', 'viewer'])[1 + i % 2], 'person' || i || '@' || $3 || '.example', $4 from generate_series(1, $2::int) as i`,
      [tenantId, sizes.consoleUsers, tenant.slug, passwordHash],
    );
    await db.query('commit');
    // As autovacuum leaves a settled table: statistics, and the visibility map index-only scans need.
    await db.query('vacuum analyze');
    return owner;
  } catch (error) {
    await db.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await db.end();
  }
}
