import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PageResult } from '../../http/api-schemas.js';
import { containsPattern } from '../../db/like.js';
import { e164FromRequest } from '../numbers/number-input.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { Group } from '../../model/directory/group.entity.js';
import type { GroupListQueryType } from './groups.schemas.js';

/** Groups that hold any of the numbers: assigned to one of their home accounts, or shared with them. */
async function groupIdsHoldingNumbers(em: EntityManager, tenant: Tenant, e164s: string[]): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select a.home_group_id as id from phone_numbers n join accounts a on a.id = n.account_id
       where n.tenant_id = ? and n.e164 in (?)
     union
     select s.group_id as id from group_shared_numbers s join phone_numbers n on n.id = s.number_id
       where n.tenant_id = ? and n.e164 in (?)`,
    [tenant.id, e164s, tenant.id, e164s],
  );
  return rows.map((row) => row.id);
}

export async function groupList(
  em: EntityManager,
  tenant: Tenant,
  query: GroupListQueryType,
): Promise<PageResult<Group>> {
  const where: FilterQuery<Group> = { tenant };
  if (query.q) where.name = { $ilike: containsPattern(query.q) };
  if (query.number?.length) {
    const e164s = query.number.map((input, index) => e164FromRequest(input, tenant, `number[${index}]`));
    where.id = { $in: await groupIdsHoldingNumbers(em, tenant, e164s) };
  }
  const [items, total] = await em.findAndCount(Group, where, {
    orderBy: { name: 'asc', id: 'asc' },
    limit: query.limit,
    offset: query.offset,
  });
  return { items, total, limit: query.limit, offset: query.offset };
}
