import type { EntityManager, QueryBuilder } from '@mikro-orm/postgresql';
import type { PageResult } from '../../http/api-schemas.js';
import { syncRowsSql } from '../notify/sync/sync-state.sql.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { Device } from '../../model/directory/device.entity.js';
import type { DeviceListQueryType } from './devices.schemas.js';

/** Devices of the tenant whose lines reach an account of `groupId` (directly or via a PhoneMap group's active member). */
const IN_GROUP = `d0.id in (
  select dl.device_id from device_lines dl
  left join accounts a on a.id = dl.account_id
  left join phonemap_members pm on pm.phonemap_group_id = dl.phonemap_group_id and pm.active
  left join accounts pa on pa.id = pm.account_id
  where dl.tenant_id = ? and (a.home_group_id = ? or pa.home_group_id = ?))`;

/**
 * The free-text search: MAC digits, declared or reported model, a line's label, and the user a
 * line provisions (directly or as a PhoneMap group's active member) by name, extension, SIP user
 * name, email or one of the user's numbers. Written as a union of id sets, each found through its
 * own (trigram) index, rather than an OR of per-device EXISTS: with 100,000 devices the OR form
 * checked every device of the tenant (~400 ms a page with its count; bench console-lists).
 * The users are matched first and their lines looked up by account id (`= any(array(…))`, so the
 * planner uses device_lines_account_id_index instead of hashing every line).
 * Bindings: see `searchBindings`.
 */
const SEARCH = `d0.id in (
  with users as (
    select a.id from accounts a where a.tenant_id = ? and (a.display_name ilike ? escape '\\' or a.extension ilike ? escape '\\'
      or a.sip_username ilike ? escape '\\' or a.email ilike ? escape '\\')
    union select n.account_id from phone_numbers n where n.tenant_id = ? and n.account_id is not null and n.e164 like ? escape '\\')
  select d.id from devices d where d.tenant_id = ? and d.mac like ? escape '\\'
  union all select d.id from devices d where d.tenant_id = ? and lower(coalesce(d.model, '')) like ? escape '\\'
  union all select s.device_id from device_last_seen s where s.tenant_id = ? and lower(s.model) like ? escape '\\'
  union all select dl.device_id from device_lines dl where dl.tenant_id = ? and lower(coalesce(dl.label, '')) like ? escape '\\'
  union all select dl.device_id from device_lines dl where dl.account_id = any(array(select id from users))
  union all select dl.device_id from device_lines dl join phonemap_members pm on pm.phonemap_group_id = dl.phonemap_group_id and pm.active
    where pm.account_id = any(array(select id from users)))`;

function searchBindings(tenantId: string, mac: string, text: string): string[] {
  return [
    tenantId,
    text,
    text,
    text,
    text,
    tenantId,
    text,
    tenantId,
    mac,
    tenantId,
    text,
    tenantId,
    text,
    tenantId,
    text,
  ];
}

const LAST_SEEN: Record<NonNullable<DeviceListQueryType['lastSeen']>, string> = {
  '24h': `exists (select 1 from device_last_seen s where s.device_id = d0.id and s.seen_at >= now() - interval '24 hours')`,
  '7d': `exists (select 1 from device_last_seen s where s.device_id = d0.id and s.seen_at >= now() - interval '7 days')`,
  'over-7d': `exists (select 1 from device_last_seen s where s.device_id = d0.id and s.seen_at < now() - interval '7 days')`,
  never: `not exists (select 1 from device_last_seen s where s.device_id = d0.id)`,
};

const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The query of one page of the tenant's devices, filtered (its plan is tested: device-search.test.ts). */
export function deviceListQuery(em: EntityManager, tenant: Tenant, query: DeviceListQueryType) {
  const qb = em.createQueryBuilder(Device, 'd0').select('*').where({ tenant });
  if (query.vendor) qb.andWhere({ vendor: query.vendor });
  if (query.status) qb.andWhere({ status: query.status });
  if (query.profile) qb.andWhere({ profile: query.profile });
  if (query.mac) {
    const digits = query.mac.replace(/[:.\- ]/g, '').toLowerCase();
    if (digits) qb.andWhere({ mac: { $like: `%${digits}%` } });
  }
  if (query.group) qb.andWhere(IN_GROUP, [tenant.id, query.group, query.group]);
  // Reported values live in device_last_seen (written by the phone server's fetch recorder).
  if (query.model) {
    qb.andWhere(
      `(lower(d0.model) = lower(?) or (d0.model is null and exists (select 1 from device_last_seen s where s.device_id = d0.id and lower(s.model) = lower(?))))`,
      [query.model, query.model],
    );
  }
  if (query.firmware) {
    qb.andWhere(`exists (select 1 from device_last_seen s where s.device_id = d0.id and s.firmware = ?)`, [
      query.firmware,
    ]);
  }
  const q = query.q?.trim();
  if (q) {
    // A MAC typed with separators still matches its stored 12 digits.
    const mac =
      /^[0-9a-f:.\- ]+$/i.test(q) && /[0-9a-f]/i.test(q) ? likePattern(q.replace(/[:.\- ]/g, '')) : likePattern(q);
    const text = likePattern(q);
    qb.andWhere(SEARCH, searchBindings(tenant.id, mac, text));
  }
  if (query.lastSeen) qb.andWhere(LAST_SEEN[query.lastSeen]);
  // The same derived state as the sync API (sync-state.sql.ts), so a filter never disagrees with it.
  if (query.syncState)
    qb.andWhere(`d0.id in (select x.device_id from (${syncRowsSql('d.tenant_id = ?')}) x where x.state = ?)`, [
      tenant.id,
      query.syncState,
    ]);
  return qb.orderBy({ mac: 'asc' }).limit(query.limit).offset(query.offset);
}

/**
 * One page of the tenant's devices (REST list and console list), filtered in SQL, with one count.
 * `countCap`: count at most that many matches (`more` says there were more): counting all
 * 100,000 devices of a tenant costs ~10 ms on every page, a capped count a fraction of that.
 */
export async function listDevices(
  em: EntityManager,
  tenant: Tenant,
  query: DeviceListQueryType,
  options: { countCap?: number } = {},
): Promise<PageResult<Device> & { more: boolean }> {
  const qb = deviceListQuery(em, tenant, query);
  // The page and its count side by side (getResultAndCount runs them one after the other).
  const counter = qb.clone();
  const count = options.countCap === undefined ? counter.getCount() : cappedCount(em, counter, options.countCap);
  const [items, counted] = await Promise.all([qb.getResult(), count]);
  const more = options.countCap !== undefined && counted > options.countCap;
  return { items, total: more ? options.countCap! : counted, limit: query.limit, offset: query.offset, more };
}

/** The number of rows `qb` matches, counted up to `cap + 1` (so more than `cap` is known). */
async function cappedCount(em: EntityManager, qb: QueryBuilder<Device>, cap: number): Promise<number> {
  const knex = em.getKnex();
  const inner = qb
    .select('d0.id')
    .limit(cap + 1)
    .offset(0)
    .getKnexQuery();
  const row = (await knex.count({ n: '*' }).from(inner.as('capped')).first()) as { n: string | number };
  return Number(row.n);
}
