import type { EntityManager } from '@mikro-orm/postgresql';
import { Account } from '../../model/directory/account.entity.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import type { Group } from '../../model/directory/group.entity.js';
import type { GroupViewType } from './groups.schemas.js';

async function countsBy(
  em: EntityManager,
  table: string,
  column: string,
  groupIds: string[],
): Promise<Map<string, number>> {
  const rows = await em.execute<{ id: string; n: string }[]>(
    `select "${column}" as id, count(*)::text as n from "${table}" where "${column}" in (?) group by 1`,
    [groupIds],
  );
  return new Map(rows.map((row) => [row.id, Number(row.n)]));
}

/** Group views for a page, with member counts against the tenant limit, in three queries. */
export async function groupViews(em: EntityManager, tenant: Tenant, groups: Group[]): Promise<GroupViewType[]> {
  if (groups.length === 0) return [];
  const ids = groups.map((group) => group.id);
  const [accounts, extras, tenantAccountCount] = await Promise.all([
    countsBy(em, 'accounts', 'home_group_id', ids),
    countsBy(em, 'group_members', 'group_id', ids),
    em.count(Account, { tenant }),
  ]);
  return groups.map((group) => ({
    id: group.id,
    name: group.name,
    profileId: group.profile?.id ?? null,
    classOfServiceId: group.classOfService?.id ?? null,
    address: {
      street: group.street ?? null,
      city: group.city ?? null,
      state: group.state ?? null,
      zip: group.zip ?? null,
      country: group.country ?? null,
    },
    adminContact: {
      surname: group.adminSurname ?? null,
      name: group.adminName ?? null,
      role: group.adminRole ?? null,
      phone: group.adminPhone ?? null,
      mobile: group.adminMobile ?? null,
      fax: group.adminFax ?? null,
      itEmail: group.adminItEmail ?? null,
    },
    accountCount: accounts.get(group.id) ?? 0,
    extraMemberCount: extras.get(group.id) ?? 0,
    accountLimit: tenant.maxAccounts,
    tenantAccountCount,
    createdAt: group.createdAt.toISOString(),
    updatedAt: group.updatedAt.toISOString(),
  }));
}

export async function groupView(em: EntityManager, tenant: Tenant, group: Group): Promise<GroupViewType> {
  return (await groupViews(em, tenant, [group]))[0]!;
}
