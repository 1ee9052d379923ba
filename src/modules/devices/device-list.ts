import type { EntityManager } from '@mikro-orm/postgresql';
import type { PageResult } from '../../http/api-schemas.js';
import { syncRowsSql } from '../notify/sync/sync-state.sql.js';
import type { Tenant } from '../tenants/tenant.entity.js';
import { Device } from './device.entity.js';
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
 * name, email or one of the user's numbers. Bindings: tenant id, then the pattern 9 times.
 */
const SEARCH = `(d0.mac like ? escape '\\'
  or lower(coalesce(d0.model, '')) like ? escape '\\'
  or exists (select 1 from device_last_seen s where s.device_id = d0.id and lower(s.model) like ? escape '\\')
  or exists (
    select 1 from device_lines dl
      left join phonemap_members pm on pm.phonemap_group_id = dl.phonemap_group_id and pm.active
      left join accounts a on a.id = coalesce(dl.account_id, pm.account_id)
     where dl.device_id = d0.id and dl.tenant_id = ?
       and (lower(coalesce(dl.label, '')) like ? escape '\\' or lower(a.display_name) like ? escape '\\' or a.extension like ? escape '\\'
            or lower(a.sip_username) like ? escape '\\' or lower(coalesce(a.email, '')) like ? escape '\\'
            or exists (select 1 from phone_numbers n where n.account_id = a.id and n.e164 like ? escape '\\'))))`;

const LAST_SEEN: Record<NonNullable<DeviceListQueryType['lastSeen']>, string> = {
  '24h': `exists (select 1 from device_last_seen s where s.device_id = d0.id and s.seen_at >= now() - interval '24 hours')`,
  '7d': `exists (select 1 from device_last_seen s where s.device_id = d0.id and s.seen_at >= now() - interval '7 days')`,
  'over-7d': `exists (select 1 from device_last_seen s where s.device_id = d0.id and s.seen_at < now() - interval '7 days')`,
  never: `not exists (select 1 from device_last_seen s where s.device_id = d0.id)`,
};

const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** One page of the tenant's devices (REST list and console list), filtered in SQL, with one count. */
export async function listDevices(em: EntityManager, tenant: Tenant, query: DeviceListQueryType): Promise<PageResult<Device>> {
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
    qb.andWhere(`(lower(d0.model) = lower(?) or (d0.model is null and exists (select 1 from device_last_seen s where s.device_id = d0.id and lower(s.model) = lower(?))))`, [query.model, query.model]);
  }
  if (query.firmware) {
    qb.andWhere(`exists (select 1 from device_last_seen s where s.device_id = d0.id and s.firmware = ?)`, [query.firmware]);
  }
  const q = query.q?.trim();
  if (q) {
    // A MAC typed with separators still matches its stored 12 digits.
    const mac = /^[0-9a-f:.\- ]+$/i.test(q) && /[0-9a-f]/i.test(q) ? likePattern(q.replace(/[:.\- ]/g, '')) : likePattern(q);
    const text = likePattern(q);
    qb.andWhere(SEARCH, [mac, text, text, tenant.id, text, text, text, text, text, text]);
  }
  if (query.lastSeen) qb.andWhere(LAST_SEEN[query.lastSeen]);
  // The same derived state as the sync API (sync-state.sql.ts), so a filter never disagrees with it.
  if (query.syncState) qb.andWhere(`d0.id in (select x.device_id from (${syncRowsSql('d.tenant_id = ?')}) x where x.state = ?)`, [tenant.id, query.syncState]);
  qb.orderBy({ mac: 'asc' }).limit(query.limit).offset(query.offset);
  const [items, total] = await qb.getResultAndCount();
  return { items, total, limit: query.limit, offset: query.offset };
}
