import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, NotFoundError } from '../../errors/errors.js';
import { Account } from '../../model/directory/account.entity.js';
import { referenceInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import type { PhoneMapGroup } from '../../model/directory/phonemap-group.entity.js';
import { findPhoneMapGroup } from './phonemap-groups.service.js';
import { PhoneMapMember } from '../../model/directory/phonemap-member.entity.js';

/**
 * Member changes of one PhoneMap group, each in its own transaction holding the group row's lock.
 * The lock serialises concurrent changes to one group, so two "add first member" requests cannot
 * both make their member active, and two switches cannot both deactivate the same old member.
 * "Exactly one active" itself is enforced by the database (partial unique index + deferred
 * trigger phonemap_members_one_active); the services only keep every commit within it.
 */
async function withLockedGroup<T>(
  em: EntityManager,
  tenant: Tenant,
  token: string,
  work: (tx: EntityManager, group: PhoneMapGroup, members: PhoneMapMember[]) => Promise<T>,
): Promise<T> {
  return em.transactional(async (tx) => {
    const group = await findPhoneMapGroup(tx, tenant, token);
    await tx.execute('select id from phonemap_groups where id = ? for update', [group.id]);
    const members = await tx.find(
      PhoneMapMember,
      { phonemapGroup: group },
      { orderBy: { createdAt: 'asc', id: 'asc' }, refresh: true },
    );
    return work(tx, group, members);
  });
}

function memberOf(members: PhoneMapMember[], accountId: string): PhoneMapMember {
  const member = members.find((candidate) => candidate.account.id === accountId);
  if (!member) throw new NotFoundError('PhoneMap member');
  return member;
}

/** Adds an account of the tenant as a member; the first member of an empty group becomes active. */
export async function addPhoneMapMember(
  em: EntityManager,
  tenant: Tenant,
  token: string,
  accountId: string,
): Promise<PhoneMapGroup> {
  return withLockedGroup(em, tenant, token, async (tx, group, members) => {
    const account = await referenceInTenant(tx, Account, tenant, accountId, 'account');
    if (members.some((member) => member.account.id === account.id)) {
      throw new ConflictError(
        'already_member',
        `account ${account.id} is already a member of PhoneMap group ${token}`,
        { accountId },
      );
    }
    tx.create(PhoneMapMember, { tenant, phonemapGroup: group, account, active: members.length === 0 });
    await tx.flush();
    return group;
  });
}

/**
 * Removes a member. The active member can only go when it is the last one: otherwise the group
 * would have members and none active, so the admin activates another member first (409).
 */
export async function removePhoneMapMember(
  em: EntityManager,
  tenant: Tenant,
  token: string,
  accountId: string,
): Promise<PhoneMapGroup> {
  return withLockedGroup(em, tenant, token, async (tx, group, members) => {
    const member = memberOf(members, accountId);
    if (member.active && members.length > 1) {
      throw new ConflictError(
        'active_phonemap_member',
        'this is the active member: activate another member first, then remove it',
        {
          accountId,
          otherMembers: members.filter((other) => other !== member).map((other) => other.account.id),
        },
      );
    }
    tx.remove(member);
    await tx.flush();
    return group;
  });
}

/**
 * Makes one member the active one. Two flushes inside one transaction: first the old active
 * member is switched off, then the new one on, so the (immediate) partial unique index never
 * sees two active rows; the deferred trigger checks at commit that exactly one is active.
 */
export async function activatePhoneMapMember(
  em: EntityManager,
  tenant: Tenant,
  token: string,
  accountId: string,
): Promise<PhoneMapGroup> {
  return withLockedGroup(em, tenant, token, async (tx, group, members) => {
    const target = memberOf(members, accountId);
    if (target.active) return group;
    for (const member of members) if (member.active) member.active = false;
    await tx.flush();
    target.active = true;
    await tx.flush();
    return group;
  });
}
