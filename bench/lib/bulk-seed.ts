import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { knownModelIds, type VendorFamily } from '../../src/modules/render/device/index.js';
import { benchMac, extensionOf, type SeededDevice, type Tenant } from './seed.js';

/**
 * Accounts and devices at scale, written with set-based SQL. Why not the admin API: at the time of
 * writing it creates ~45 accounts/s (tenant lock + audit per request) and its atomic device CSV
 * import grows quadratically (5,000 rows > 300 s), so 100,000 devices would take hours. The rows
 * are the ones the API writes (same columns, canonical MACs, generated secrets) and the capture
 * triggers fire as for any write, so the pipeline renders them like API-made devices.
 */

const BATCH = 5000;

export interface CaptureOption {
  /**
   * false: write with the capture triggers off (session_replication_role = replica, superuser
   * only), so nothing is rendered — for benchmarks where the rows must exist but their renders
   * are not the subject and would take longer than the measurement.
   */
  capture?: boolean;
}

async function connect(databaseUrl: string, options: CaptureOption): Promise<pg.Client> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  if (options.capture === false) await db.query(`set session_replication_role = replica`);
  return db;
}

function secret(): string {
  return randomBytes(24).toString('base64url');
}

async function tenantIds(db: pg.Client, tenant: Tenant): Promise<{ tenantId: string }> {
  const row = (await db.query('select id from tenants where slug = $1', [tenant.slug])).rows[0] as
    { id: string } | undefined;
  if (!row) throw new Error(`tenant ${tenant.slug} not found`);
  return { tenantId: row.id };
}

/**
 * The first `benchMac` index no device of the database holds yet. MACs are unique across tenants,
 * and a database can hold other benchmarks' devices (the smoke run shares one); on a fresh one: 0.
 */
export async function nextBenchMacIndex(db: pg.Client): Promise<number> {
  const row = (
    await db.query(
      `select coalesce(max(('x' || substr(mac, 5))::bit(32)::bigint) + 1, 0)::bigint as next
         from devices where mac ~ '^02be[0-9a-f]{8}$'`,
    )
  ).rows[0] as { next: string };
  return Number(row.next);
}

/** Accounts with extensions 100000…, home group = the tenant's bench group. Returns their ids in order. */
export async function bulkAccounts(
  databaseUrl: string,
  tenant: Tenant,
  count: number,
  options: CaptureOption = {},
): Promise<string[]> {
  const db = await connect(databaseUrl, options);
  try {
    const { tenantId } = await tenantIds(db, tenant);
    const ids: string[] = [];
    for (let start = 0; start < count; start += BATCH) {
      const extensions = Array.from({ length: Math.min(BATCH, count - start) }, (_, i) => extensionOf(start + i));
      const result = await db.query(
        `insert into accounts (id, tenant_id, home_group_id, extension, sip_username, sip_password, display_name)
         select gen_random_uuid(), $1, $2, e, e, $4 || e, 'Bench User ' || e from unnest($3::text[]) with ordinality as t(e, n) order by n
         returning id`,
        [tenantId, tenant.groupId, extensions, secret().slice(0, 16)],
      );
      ids.push(...(result.rows as { id: string }[]).map((row) => row.id));
    }
    return ids;
  } finally {
    await db.end();
  }
}

/**
 * Devices (vendors round-robin, the vendor's first known model), line 1 bound to account
 * `i % accounts.length`. MACs from `benchMac(firstIndex + i)`; without `firstIndex`, after the
 * database's highest bench MAC.
 */
export async function bulkDevices(
  databaseUrl: string,
  tenant: Tenant,
  count: number,
  vendors: readonly VendorFamily[],
  accounts: readonly string[],
  options: CaptureOption & { firstIndex?: number } = {},
): Promise<SeededDevice[]> {
  const db = await connect(databaseUrl, options);
  const devices: SeededDevice[] = [];
  try {
    const firstIndex = options.firstIndex ?? (await nextBenchMacIndex(db));
    const { tenantId } = await tenantIds(db, tenant);
    for (let start = 0; start < count; start += BATCH) {
      const batch: Omit<SeededDevice, 'id'>[] = [];
      for (let i = start; i < Math.min(count, start + BATCH); i++) {
        const vendor = vendors[i % vendors.length]!;
        batch.push({ mac: benchMac(firstIndex + i), vendor, model: knownModelIds(vendor)[0]!, secret: secret() });
      }
      const inserted = await db.query(
        `insert into devices (id, tenant_id, mac, vendor, model, provisioning_secret)
         select gen_random_uuid(), $1, m, v, md, s from unnest($2::text[], $3::text[], $4::text[], $5::text[]) with ordinality as t(m, v, md, s, n) order by n
         returning id, mac`,
        [
          tenantId,
          batch.map((d) => d.mac),
          batch.map((d) => d.vendor),
          batch.map((d) => d.model),
          batch.map((d) => d.secret),
        ],
      );
      const idByMac = new Map((inserted.rows as { id: string; mac: string }[]).map((row) => [row.mac, row.id]));
      const seeded = batch.map((device) => ({ ...device, id: idByMac.get(device.mac)! }));
      if (accounts.length) {
        await db.query(
          `insert into device_lines (id, tenant_id, device_id, line_index, account_id)
           select gen_random_uuid(), $1, d, 1, a from unnest($2::uuid[], $3::uuid[]) as t(d, a)`,
          [tenantId, seeded.map((device) => device.id), seeded.map((_, i) => accounts[(start + i) % accounts.length]!)],
        );
      }
      devices.push(...seeded);
    }
    return devices;
  } finally {
    await db.end();
  }
}
