import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError } from '../../errors/errors.js';
import { Account } from '../../model/directory/account.entity.js';
import { deleteAccounts } from '../accounts/account-removal.js';
import { PhoneNumber } from '../../model/directory/phone-number.entity.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { GroupMember } from '../../model/directory/group-member.entity.js';
import { GroupSharedNumber } from '../../model/directory/group-shared-number.entity.js';
import { Group } from '../../model/directory/group.entity.js';
import type { GroupImpactType } from './groups.schemas.js';

/** What deleting the group would take with it. */
export async function groupImpact(em: EntityManager, tenant: Tenant, group: Group): Promise<GroupImpactType> {
  const accounts = await em.find(
    Account,
    { tenant, homeGroup: group },
    { fields: ['id'], orderBy: { extension: 'asc' } },
  );
  const accountIds = accounts.map((account) => account.id);
  // Sequential: deleteGroup calls this inside a transaction, where queries share one connection.
  const deviceRows = accountIds.length
    ? await em.execute<{ n: string }[]>(
        'select count(distinct device_id)::text as n from device_lines where account_id in (?)',
        [accountIds],
      )
    : [{ n: '0' }];
  const numbers = accountIds.length ? await em.count(PhoneNumber, { tenant, account: { $in: accountIds } }) : 0;
  const extraMembers = await em.count(GroupMember, { group });
  const sharedNumbers = await em.count(GroupSharedNumber, { group });
  return {
    accounts: accounts.length,
    devices: Number(deviceRows[0]!.n),
    numbers,
    extraMembers,
    sharedNumbers,
    accountIds: accountIds.slice(0, 100),
  };
}

/**
 * Deletes a group. A group that is not empty (home accounts, extra members or shared numbers)
 * needs `confirm`; without it the answer is 409 with the impact. Confirmed, its home accounts go
 * with the cleanup rules (numbers unassigned, device lines freed, hunt groups and auto attendant
 * options left), all in one transaction.
 */
export async function deleteGroup(
  em: EntityManager,
  tenant: Tenant,
  id: string,
  confirm: boolean,
): Promise<GroupImpactType> {
  return em.transactional(async (tx) => {
    const group = await findInTenant(tx, Group, tenant, id, 'group');
    const impact = await groupImpact(tx, tenant, group);
    if (impact.accounts + impact.extraMembers + impact.sharedNumbers > 0 && !confirm) {
      throw new ConflictError(
        'confirmation_required',
        'the group is not empty: repeat with ?confirm=true to delete it with its accounts',
        impact,
      );
    }
    await deleteAccounts(tx, tenant, await tx.find(Account, { tenant, homeGroup: group }));
    for (const member of await tx.find(GroupMember, { group })) tx.remove(member);
    for (const share of await tx.find(GroupSharedNumber, { group })) tx.remove(share);
    await tx.flush();
    tx.remove(group);
    await tx.flush();
    return impact;
  });
}
