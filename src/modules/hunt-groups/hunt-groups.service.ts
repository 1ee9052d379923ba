import type { EntityManager } from '@mikro-orm/postgresql';
import type { PageResult } from '../../http/api-schemas.js';
import { containsPattern } from '../../db/like.js';
import { readTogether } from '../../db/reads.js';
import { BadRequestError, ConflictError } from '../../errors/errors.js';
import { Account } from '../../model/directory/account.entity.js';
import { assertExtensionFree } from '../accounts/extensions.js';
import { AutoAttendantOption } from '../../model/directory/auto-attendant-option.entity.js';
import { PhoneNumber } from '../../model/directory/phone-number.entity.js';
import { findInTenant, lockTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { HuntGroupMember } from '../../model/directory/hunt-group-member.entity.js';
import { HuntGroup } from '../../model/directory/hunt-group.entity.js';
import type {
  CreateHuntGroupInput,
  HuntGroupImpactType,
  HuntGroupViewType,
  UpdateHuntGroupInput,
} from './hunt-groups.schemas.js';

async function assertNameFree(em: EntityManager, tenant: Tenant, name: string, selfId?: string): Promise<void> {
  const holder = await em.findOne(HuntGroup, { tenant, name }, { fields: ['id'] });
  if (holder && holder.id !== selfId)
    throw new ConflictError('hunt_group_name_taken', `a hunt group named ${name} already exists`, { name });
}

/** Replaces the ring order. Every member must be an enabled account of the tenant. */
async function setMembers(
  em: EntityManager,
  tenant: Tenant,
  huntGroup: HuntGroup,
  accountIds: string[],
): Promise<void> {
  const accounts = accountIds.length ? await em.find(Account, { tenant, id: { $in: accountIds } }) : [];
  const missing = accountIds.filter((id) => !accounts.some((account) => account.id === id));
  if (missing.length)
    throw new BadRequestError('unknown_reference', 'some member accounts do not exist in this tenant', {
      field: 'memberAccountIds',
      ids: missing,
    });
  const disabled = accounts.filter((account) => !account.enabled);
  if (disabled.length)
    throw new ConflictError('account_disabled', 'disabled accounts cannot ring in a hunt group', {
      ids: disabled.map((account) => account.id),
    });
  const current = await em.find(HuntGroupMember, { huntGroup });
  for (const member of current) {
    if (!accountIds.includes(member.account.id)) em.remove(member);
  }
  accountIds.forEach((accountId, index) => {
    const existing = current.find((member) => member.account.id === accountId);
    if (existing) existing.position = index + 1;
    else
      em.create(HuntGroupMember, {
        tenant,
        huntGroup,
        account: accounts.find((account) => account.id === accountId)!,
        position: index + 1,
      });
  });
}

export async function createHuntGroup(
  em: EntityManager,
  tenant: Tenant,
  input: CreateHuntGroupInput,
): Promise<HuntGroup> {
  return em.transactional(async (tx) => {
    await assertNameFree(tx, tenant, input.name);
    if (input.extension) {
      await lockTenant(tx, tenant);
      await assertExtensionFree(tx, tenant, input.extension);
    }
    const huntGroup = tx.create(HuntGroup, { tenant, name: input.name, extension: input.extension ?? null });
    await setMembers(tx, tenant, huntGroup, input.memberAccountIds ?? []);
    await tx.flush();
    return huntGroup;
  });
}

export async function updateHuntGroup(
  em: EntityManager,
  tenant: Tenant,
  id: string,
  patch: UpdateHuntGroupInput,
): Promise<HuntGroup> {
  return em.transactional(async (tx) => {
    const huntGroup = await findInTenant(tx, HuntGroup, tenant, id, 'hunt group');
    if (patch.name !== undefined) {
      await assertNameFree(tx, tenant, patch.name, huntGroup.id);
      huntGroup.name = patch.name;
    }
    if (patch.extension !== undefined && patch.extension !== huntGroup.extension) {
      if (patch.extension) {
        await lockTenant(tx, tenant);
        await assertExtensionFree(tx, tenant, patch.extension, { owner: 'hunt-group', id: huntGroup.id });
      }
      huntGroup.extension = patch.extension;
    }
    if (patch.memberAccountIds) await setMembers(tx, tenant, huntGroup, patch.memberAccountIds);
    await tx.flush();
    return huntGroup;
  });
}

export async function listHuntGroups(
  em: EntityManager,
  tenant: Tenant,
  query: { q?: string; limit: number; offset: number },
): Promise<PageResult<HuntGroup>> {
  const where = query.q
    ? {
        tenant,
        $or: [{ name: { $ilike: containsPattern(query.q) } }, { extension: { $ilike: containsPattern(query.q) } }],
      }
    : { tenant };
  const [items, total] = await em.findAndCount(HuntGroup, where, {
    orderBy: { name: 'asc' },
    limit: query.limit,
    offset: query.offset,
  });
  return { items, total, limit: query.limit, offset: query.offset };
}

/** What deleteHuntGroup would do, by name, before anything is written (the same rules). Sequential: callers may be in a transaction. */
export async function huntGroupImpact(
  em: EntityManager,
  tenant: Tenant,
  huntGroup: HuntGroup,
): Promise<HuntGroupImpactType> {
  const numbers = await em.find(PhoneNumber, { tenant, huntGroup }, { orderBy: { e164: 'asc' } });
  const options = await em.find(
    AutoAttendantOption,
    { tenant, targetHuntGroup: huntGroup },
    { populate: ['autoAttendant'], orderBy: { autoAttendant: { name: 'asc' }, digit: 'asc' } },
  );
  const members = await em.count(HuntGroupMember, { huntGroup });
  return {
    numbers: numbers.map((number) => ({ id: number.id, e164: number.e164 })),
    autoAttendantOptions: options.map((option) => ({
      autoAttendantId: option.autoAttendant.id,
      name: option.autoAttendant.name,
      digit: option.digit,
    })),
    members,
  };
}

/** Removing a hunt group unassigns its numbers and drops auto attendant options that led to it. */
export async function deleteHuntGroup(em: EntityManager, tenant: Tenant, id: string): Promise<void> {
  await em.transactional(async (tx) => {
    const huntGroup = await findInTenant(tx, HuntGroup, tenant, id, 'hunt group');
    for (const number of await tx.find(PhoneNumber, { tenant, huntGroup })) {
      number.huntGroup = null;
      number.status = 'unassigned';
    }
    for (const option of await tx.find(AutoAttendantOption, { tenant, targetHuntGroup: huntGroup })) tx.remove(option);
    for (const member of await tx.find(HuntGroupMember, { huntGroup })) tx.remove(member);
    await tx.flush();
    tx.remove(huntGroup);
    await tx.flush();
  });
}

export async function huntGroupViews(em: EntityManager, huntGroups: HuntGroup[]): Promise<HuntGroupViewType[]> {
  if (huntGroups.length === 0) return [];
  const [members, numbers] = await readTogether(em, [
    () =>
      em.find(
        HuntGroupMember,
        { huntGroup: { $in: huntGroups } },
        { populate: ['account'], orderBy: { position: 'asc' } },
      ),
    () => em.find(PhoneNumber, { huntGroup: { $in: huntGroups } }, { orderBy: { e164: 'asc' } }),
  ] as const);
  return huntGroups.map((huntGroup) => ({
    id: huntGroup.id,
    name: huntGroup.name,
    extension: huntGroup.extension ?? null,
    members: members
      .filter((member) => member.huntGroup.id === huntGroup.id)
      .map((member) => ({
        accountId: member.account.id,
        position: member.position,
        extension: member.account.extension,
        displayName: member.account.displayName,
      })),
    numbers: numbers
      .filter((number) => number.huntGroup?.id === huntGroup.id)
      .map((number) => ({ id: number.id, e164: number.e164 })),
    createdAt: huntGroup.createdAt.toISOString(),
    updatedAt: huntGroup.updatedAt.toISOString(),
  }));
}
