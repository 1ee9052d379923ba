import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, NotFoundError } from '../../errors/errors.js';
import { Account } from '../../model/directory/account.entity.js';
import { PhoneNumber } from '../../model/directory/phone-number.entity.js';
import { findInTenant, referenceInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { GroupMember } from '../../model/directory/group-member.entity.js';
import { GroupSharedNumber } from '../../model/directory/group-shared-number.entity.js';
import { Group } from '../../model/directory/group.entity.js';

/** Extra members: accounts whose home is another group. An account may be in many groups. */
export async function extraMembers(em: EntityManager, tenant: Tenant, groupId: string): Promise<Account[]> {
  const group = await findInTenant(em, Group, tenant, groupId, 'group');
  const memberships = await em.find(
    GroupMember,
    { group },
    { populate: ['account'], orderBy: { account: { extension: 'asc' } } },
  );
  return memberships.map((membership) => membership.account);
}

/**
 * Locks the group row (FOR UPDATE) for the transaction, so two concurrent additions to one group
 * run one after the other and the second sees the first's row (409, not a duplicate-key error).
 */
async function lockGroup(tx: EntityManager, tenant: Tenant, groupId: string): Promise<Group> {
  const group = await tx.findOne(Group, { id: groupId, tenant }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!group) throw new NotFoundError('group');
  return group;
}

export async function addExtraMember(
  em: EntityManager,
  tenant: Tenant,
  groupId: string,
  accountId: string,
): Promise<Account> {
  return em.transactional(async (tx) => {
    const group = await lockGroup(tx, tenant, groupId);
    const account = await referenceInTenant(tx, Account, tenant, accountId, 'account');
    if (account.homeGroup.id === group.id)
      throw new ConflictError('home_group_member', 'the account already lives in this group', { accountId });
    if (await tx.count(GroupMember, { group, account }))
      throw new ConflictError('already_member', 'the account is already an extra member of this group', { accountId });
    tx.create(GroupMember, { tenant, group, account });
    await tx.flush();
    return account;
  });
}

export async function removeExtraMember(
  em: EntityManager,
  tenant: Tenant,
  groupId: string,
  accountId: string,
): Promise<void> {
  const group = await findInTenant(em, Group, tenant, groupId, 'group');
  const membership = await em.findOne(GroupMember, { group, account: accountId });
  if (!membership) throw new NotFoundError('membership');
  em.remove(membership);
  await em.flush();
}

/** Numbers shared with the group (shown in its directory). Sharing is independent of assignment. */
export async function sharedNumbers(em: EntityManager, tenant: Tenant, groupId: string): Promise<PhoneNumber[]> {
  const group = await findInTenant(em, Group, tenant, groupId, 'group');
  const shares = await em.find(
    GroupSharedNumber,
    { group },
    { populate: ['number'], orderBy: { number: { e164: 'asc' } } },
  );
  return shares.map((share) => share.number);
}

export async function shareNumber(
  em: EntityManager,
  tenant: Tenant,
  groupId: string,
  numberId: string,
): Promise<PhoneNumber> {
  return em.transactional(async (tx) => {
    const group = await lockGroup(tx, tenant, groupId);
    const number = await referenceInTenant(tx, PhoneNumber, tenant, numberId, 'number');
    if (await tx.count(GroupSharedNumber, { group, number }))
      throw new ConflictError('already_shared', 'the number is already shared with this group', { numberId });
    tx.create(GroupSharedNumber, { tenant, group, number });
    await tx.flush();
    return number;
  });
}

export async function unshareNumber(
  em: EntityManager,
  tenant: Tenant,
  groupId: string,
  numberId: string,
): Promise<void> {
  const group = await findInTenant(em, Group, tenant, groupId, 'group');
  const share = await em.findOne(GroupSharedNumber, { group, number: numberId });
  if (!share) throw new NotFoundError('shared number');
  em.remove(share);
  await em.flush();
}
