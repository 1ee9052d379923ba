import type { EntityManager } from '@mikro-orm/postgresql';
import type { PageResult } from '../../http/api-schemas.js';
import { containsPattern } from '../../db/like.js';
import { BadRequestError, ConflictError } from '../../errors/errors.js';
import { Group } from '../../model/directory/group.entity.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { PhonebookGroup } from '../../model/phonebooks/phonebook-group.entity.js';
import { Phonebook, type PhonebookVisibility } from '../../model/phonebooks/phonebook.entity.js';
import type { CreatePhonebookInput, PhonebookViewType, UpdatePhonebookInput } from './phonebooks.schemas.js';
import { sqlRows } from '../contacts/sql-rows.js';

export async function phonebookViews(em: EntityManager, phonebooks: Phonebook[]): Promise<PhonebookViewType[]> {
  if (phonebooks.length === 0) return [];
  const ids = phonebooks.map((pb) => pb.id);
  const [groups, counts] = await Promise.all([
    sqlRows<{ phonebook_id: string; group_id: string }>(
      em,
      `select phonebook_id, group_id from phonebook_groups where phonebook_id = any(?::uuid[]) order by group_id`,
      [ids],
    ),
    sqlRows<{ phonebook_id: string; n: string }>(
      em,
      `select phonebook_id, count(*)::text as n from phonebook_contacts where phonebook_id = any(?::uuid[]) group by phonebook_id`,
      [ids],
    ),
  ]);
  return phonebooks.map((pb) => ({
    id: pb.id,
    name: pb.name,
    isDefault: pb.isDefault,
    visibility: pb.visibility,
    groupIds: groups.filter((g) => g.phonebook_id === pb.id).map((g) => g.group_id),
    token: pb.token,
    contactCount: Number(counts.find((c) => c.phonebook_id === pb.id)?.n ?? 0),
    createdAt: pb.createdAt.toISOString(),
    updatedAt: pb.updatedAt.toISOString(),
  }));
}

export async function phonebookView(em: EntityManager, phonebook: Phonebook): Promise<PhonebookViewType> {
  return (await phonebookViews(em, [phonebook]))[0]!;
}

async function groupsById(em: EntityManager, tenant: Tenant, ids: string[]): Promise<Group[]> {
  if (ids.length === 0) return [];
  const found = await em.find(Group, { tenant, id: { $in: ids } });
  const missing = ids.filter((id) => !found.some((g) => g.id === id));
  if (missing.length)
    throw new BadRequestError('unknown_reference', `group ${missing[0]} does not exist in this tenant`, {
      field: 'groupIds',
      ids: missing,
    });
  return found;
}

/** `groups` visibility needs at least one group; `all` takes none (a leftover list would mislead). */
function checkVisibility(visibility: PhonebookVisibility, groupCount: number): void {
  if (visibility === 'groups' && groupCount === 0) {
    throw new BadRequestError('groups_required', 'a phonebook visible to groups needs at least one group', {
      field: 'groupIds',
    });
  }
  if (visibility === 'all' && groupCount > 0) {
    throw new BadRequestError(
      'groups_not_allowed',
      'a phonebook visible to all devices takes no group list; set visibility to "groups"',
      { field: 'groupIds' },
    );
  }
}

async function assertNameFree(em: EntityManager, tenant: Tenant, name: string, selfId?: string): Promise<void> {
  const holder = await em.findOne(Phonebook, { tenant, name });
  if (holder && holder.id !== selfId)
    throw new ConflictError('phonebook_name_taken', `a phonebook named "${name}" already exists`, { id: holder.id });
}

async function assertNoOtherDefault(em: EntityManager, tenant: Tenant, selfId?: string): Promise<void> {
  const holder = await em.findOne(Phonebook, { tenant, isDefault: true });
  if (holder && holder.id !== selfId) {
    throw new ConflictError(
      'default_phonebook_exists',
      `"${holder.name}" is already the default phonebook; unset it first`,
      { id: holder.id },
    );
  }
}

/**
 * The default phonebook is "All Company Contacts": on becoming the default it takes in every
 * existing contact (later ones join as they are created). Runs inside the caller's flush transaction.
 */
async function addAllContacts(em: EntityManager, tenant: Tenant, phonebook: Phonebook): Promise<void> {
  await sqlRows(
    em,
    `insert into phonebook_contacts (id, tenant_id, phonebook_id, contact_id)
     select gen_random_uuid(), c.tenant_id, ?, c.id from contacts c where c.tenant_id = ?
     on conflict (phonebook_id, contact_id) do nothing`,
    [phonebook.id, tenant.id],
  );
}

export async function createPhonebook(
  em: EntityManager,
  tenant: Tenant,
  input: CreatePhonebookInput,
): Promise<Phonebook> {
  return em.transactional(async (tx) => {
    const visibility = input.visibility ?? 'all';
    const groups = await groupsById(tx, tenant, input.groupIds ?? []);
    checkVisibility(visibility, groups.length);
    await assertNameFree(tx, tenant, input.name);
    if (input.isDefault) await assertNoOtherDefault(tx, tenant);
    const phonebook = tx.create(Phonebook, {
      tenant,
      name: input.name,
      isDefault: input.isDefault ?? false,
      visibility,
    });
    for (const group of groups) tx.create(PhonebookGroup, { tenant, phonebook, group });
    await tx.flush();
    if (phonebook.isDefault) await addAllContacts(tx, tenant, phonebook);
    return phonebook;
  });
}

export async function listPhonebooks(
  em: EntityManager,
  tenant: Tenant,
  query: { q?: string; limit: number; offset: number },
): Promise<PageResult<Phonebook>> {
  const where = query.q ? { tenant, name: { $ilike: containsPattern(query.q) } } : { tenant };
  const [items, total] = await em.findAndCount(Phonebook, where, {
    orderBy: { name: 'asc', id: 'asc' },
    limit: query.limit,
    offset: query.offset,
  });
  return { items, total, limit: query.limit, offset: query.offset };
}

export async function updatePhonebook(
  em: EntityManager,
  tenant: Tenant,
  id: string,
  patch: UpdatePhonebookInput,
): Promise<Phonebook> {
  return em.transactional(async (tx) => {
    const phonebook = await findInTenant(tx, Phonebook, tenant, id, 'phonebook');
    const current = await tx.find(PhonebookGroup, { phonebook });
    const visibility = patch.visibility ?? phonebook.visibility;
    // Switching to `all` drops the group list unless one is given (which checkVisibility then refuses).
    const groupIds = patch.groupIds ?? (visibility === 'all' ? [] : current.map((pg) => pg.group.id));
    const groups = await groupsById(tx, tenant, groupIds);
    checkVisibility(visibility, groups.length);
    if (patch.name !== undefined) await assertNameFree(tx, tenant, patch.name, phonebook.id);
    const becomesDefault = patch.isDefault === true && !phonebook.isDefault;
    if (becomesDefault) await assertNoOtherDefault(tx, tenant, phonebook.id);
    if (patch.name !== undefined) phonebook.name = patch.name;
    if (patch.isDefault !== undefined) phonebook.isDefault = patch.isDefault;
    phonebook.visibility = visibility;
    const wanted = new Set(groups.map((g) => g.id));
    for (const pg of current) if (!wanted.has(pg.group.id)) tx.remove(pg);
    for (const group of groups)
      if (!current.some((pg) => pg.group.id === group.id)) tx.create(PhonebookGroup, { tenant, phonebook, group });
    await tx.flush();
    if (becomesDefault) await addAllContacts(tx, tenant, phonebook);
    return phonebook;
  });
}

export async function deletePhonebook(em: EntityManager, tenant: Tenant, id: string): Promise<void> {
  const phonebook = await findInTenant(em, Phonebook, tenant, id, 'phonebook');
  em.remove(phonebook);
  await em.flush();
}
