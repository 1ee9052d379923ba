import type { EntityManager } from '@mikro-orm/postgresql';
import type { PageResult } from '../../http/api-schemas.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import type { DirectoryEntryType } from './phonebooks.schemas.js';
import { sqlRows } from '../contacts/sql-rows.js';
import { readTogether } from '../../db/reads.js';

/**
 * The tenant's internal directory, read live from the directory tables (so it is never stale):
 * enabled accounts with extension and primary number, hunt groups with their first number, and
 * the numbers shared with groups. Ordered by name, then kind and id, for stable paging.
 */
const DIRECTORY_SQL = `
  select 'account' as kind, a.id, a.display_name as name, a.extension, pn.e164 as number, g.name as "group"
    from accounts a
    join groups g on g.id = a.home_group_id
    left join phone_numbers pn on pn.account_id = a.id and pn.account_role = 'primary'
   where a.tenant_id = ? and a.enabled
  union all
  select 'hunt_group', h.id, h.name, h.extension,
         (select min(n.e164) from phone_numbers n where n.hunt_group_id = h.id), null
    from hunt_groups h
   where h.tenant_id = ?
  union all
  select 'shared_number', s.id, g.name, null, n.e164, g.name
    from group_shared_numbers s
    join groups g on g.id = s.group_id
    join phone_numbers n on n.id = s.number_id
   where s.tenant_id = ?`;

export async function internalDirectory(
  em: EntityManager,
  tenant: Tenant,
  page: { limit: number; offset: number },
): Promise<PageResult<DirectoryEntryType>> {
  const tenantParams = [tenant.id, tenant.id, tenant.id];
  const [items, counted] = await readTogether(em, [
    () =>
      sqlRows<DirectoryEntryType>(
        em,
        `select * from (${DIRECTORY_SQL}) d order by d.name, d.kind, d.id limit ? offset ?`,
        [...tenantParams, page.limit, page.offset],
      ),
    () => sqlRows<{ n: string }>(em, `select count(*)::text as n from (${DIRECTORY_SQL}) d`, tenantParams),
  ]);
  return { items, total: Number(counted[0]?.n ?? 0), limit: page.limit, offset: page.offset };
}
