import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, NotFoundError } from '../../errors/errors.js';
import { Account } from '../accounts/account.entity.js';
import { PhoneNumber } from '../numbers/phone-number.entity.js';
import { findInTenant, referenceInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../tenants/tenant.entity.js';
import { GroupMember } from './group-member.entity.js';
import { GroupSharedNumber } from './group-shared-number.entity.js';
import { Group } from './group.entity.js';

/** Extra members: accounts whose home is another group. An account may be in many groups. */
export async function extraMembers(em: EntityManager, tenant: Tenant, groupId: string): Promise<Account[]> {
  const group = await findInTenant(em, Group, tenant, groupId, 'group');
  const memberships = await em.find(GroupMember, { group }, { populate: ['account'], orderBy: { account: { extension: 'asc' } } });
  return memberships.map((membership) => membership.account);
}

export async function addExtraMember(em: EntityManager, tenant: Tenant, groupId: string, accountId: string): Promise<Account> {
  const group = await findInTenant(em, Group, tenant, groupId, 'group');
  const account = await referenceInTenant(em, Account, tenant, accountId, 'account');
  if (account.homeGroup.id === group.id) throw new ConflictError('home_group_member', 'the account already lives in this group', { accountId });
  if (await em.count(GroupMember, { group, account })) throw new ConflictError('already_member', 'the account is already an extra member of this group', { accountId });
  em.create(GroupMember, { tenant, group, account });
  await em.flush();
  return account;
}

export async function removeExtraMember(em: EntityManager, tenant: Tenant, groupId: string, accountId: string): Promise<void> {
  const group = await findInTenant(em, Group, tenant, groupId, 'group');
  const membership = await em.findOne(GroupMember, { group, account: accountId });
  if (!membership) throw new NotFoundError('membership');
  em.remove(membership);
  await em.flush();
}

/** Numbers shared with the group (shown in its directory). Sharing is independent of assignment. */
export async function sharedNumbers(em: EntityManager, tenant: Tenant, groupId: string): Promise<PhoneNumber[]> {
  const group = await findInTenant(em, Group, tenant, groupId, 'group');
  const shares = await em.find(GroupSharedNumber, { group }, { populate: ['number'], orderBy: { number: { e164: 'asc' } } });
  return shares.map((share) => share.number);
}

export async function shareNumber(em: EntityManager, tenant: Tenant, groupId: string, numberId: string): Promise<PhoneNumber> {
  const group = await findInTenant(em, Group, tenant, groupId, 'group');
  const number = await referenceInTenant(em, PhoneNumber, tenant, numberId, 'number');
  if (await em.count(GroupSharedNumber, { group, number })) throw new ConflictError('already_shared', 'the number is already shared with this group', { numberId });
  em.create(GroupSharedNumber, { tenant, group, number });
  await em.flush();
  return number;
}

export async function unshareNumber(em: EntityManager, tenant: Tenant, groupId: string, numberId: string): Promise<void> {
  const group = await findInTenant(em, Group, tenant, groupId, 'group');
  const share = await em.findOne(GroupSharedNumber, { group, number: numberId });
  if (!share) throw new NotFoundError('shared number');
  em.remove(share);
  await em.flush();
}
