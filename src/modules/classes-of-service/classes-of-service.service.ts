import { raw, type EntityManager } from '@mikro-orm/postgresql';
import type { PageResult } from '../../http/api-schemas.js';
import { containsPattern } from '../../db/like.js';
import { ConflictError } from '../../errors/errors.js';
import { Account } from '../../model/directory/account.entity.js';
import { Group } from '../../model/directory/group.entity.js';
import { PhoneMapGroup } from '../../model/directory/phonemap-group.entity.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { ClassOfService } from '../../model/directory/class-of-service.entity.js';
import type {
  ClassOfServiceListQueryType,
  ClassOfServiceViewType,
  CreateClassOfServiceInput,
  UpdateClassOfServiceInput,
} from './classes-of-service.schemas.js';

export function classOfServiceView(cos: ClassOfService): ClassOfServiceViewType {
  return {
    id: cos.id,
    name: cos.name,
    level: cos.level,
    description: cos.description ?? null,
    blockedPrefixes: cos.blockedPrefixes,
    allowedPrefixes: cos.allowedPrefixes,
    createdAt: cos.createdAt.toISOString(),
    updatedAt: cos.updatedAt.toISOString(),
  };
}

async function assertNameFree(em: EntityManager, tenant: Tenant, name: string, selfId?: string): Promise<void> {
  const holder = await em.findOne(ClassOfService, { tenant, name }, { fields: ['id'] });
  if (holder && holder.id !== selfId)
    throw new ConflictError('name_taken', `a class of service named ${name} already exists`, {
      field: 'name',
      id: holder.id,
    });
}

export async function createClassOfService(
  em: EntityManager,
  tenant: Tenant,
  input: CreateClassOfServiceInput,
): Promise<ClassOfService> {
  await assertNameFree(em, tenant, input.name);
  const cos = em.create(ClassOfService, {
    tenant,
    name: input.name,
    level: input.level,
    description: input.description ?? null,
    blockedPrefixes: input.blockedPrefixes ?? [],
    allowedPrefixes: input.allowedPrefixes ?? [],
  });
  await em.flush();
  return cos;
}

export async function listClassesOfService(
  em: EntityManager,
  tenant: Tenant,
  query: ClassOfServiceListQueryType,
): Promise<PageResult<ClassOfService>> {
  const [items, total] = await em.findAndCount(
    ClassOfService,
    {
      tenant,
      ...(query.q ? { name: { $ilike: containsPattern(query.q) } } : {}),
      ...(query.level ? { level: query.level } : {}),
    },
    { orderBy: { name: 'asc', id: 'asc' }, limit: query.limit, offset: query.offset },
  );
  return { items, total, limit: query.limit, offset: query.offset };
}

export async function updateClassOfService(
  em: EntityManager,
  tenant: Tenant,
  id: string,
  patch: UpdateClassOfServiceInput,
): Promise<ClassOfService> {
  const cos = await findInTenant(em, ClassOfService, tenant, id, 'class of service');
  if (patch.name !== undefined && patch.name !== cos.name) await assertNameFree(em, tenant, patch.name, cos.id);
  if (patch.name !== undefined) cos.name = patch.name;
  if (patch.level !== undefined) cos.level = patch.level;
  if (patch.description !== undefined) cos.description = patch.description;
  if (patch.blockedPrefixes !== undefined) cos.blockedPrefixes = patch.blockedPrefixes;
  if (patch.allowedPrefixes !== undefined) cos.allowedPrefixes = patch.allowedPrefixes;
  await em.flush();
  return cos;
}

/** Ids of what still points at a class of service; it can only go when both lists are empty. */
export async function classOfServiceReferences(em: EntityManager, tenant: Tenant, cos: ClassOfService) {
  const [groups, phonemapGroups] = await Promise.all([
    em.find(Group, { tenant, classOfService: cos }, { fields: ['id'], orderBy: { id: 'asc' } }),
    em.find(PhoneMapGroup, { tenant, classOfService: cos }, { fields: ['token'], orderBy: { token: 'asc' } }),
  ]);
  return { groups: groups.map((group) => group.id), phonemapGroups: phonemapGroups.map((phonemap) => phonemap.token) };
}

/** The refusal of a delete while in use (REST 409 and the console's pop-up say the same). */
export const CLASS_OF_SERVICE_IN_USE =
  'the class of service is still used: change these groups and PhoneMap groups first';

export interface ClassOfServiceImpact {
  groups: { id: string; name: string; accounts: number }[];
  phonemapGroups: { id: string; name: string }[];
}

/**
 * Who dials under a class of service, by name: the groups (with their accounts) and the PhoneMap
 * groups that name it. The delete confirmation shows it; the delete itself refuses while any is left.
 */
export async function classOfServiceImpact(
  em: EntityManager,
  tenant: Tenant,
  cos: ClassOfService,
): Promise<ClassOfServiceImpact> {
  const groups = await em.find(
    Group,
    { tenant, classOfService: cos },
    { fields: ['id', 'name'], orderBy: { name: 'asc', id: 'asc' }, limit: 200 },
  );
  const phonemapGroups = await em.find(
    PhoneMapGroup,
    { tenant, classOfService: cos },
    { fields: ['token', 'name'], orderBy: { name: 'asc', token: 'asc' }, limit: 200 },
  );
  const counts = new Map<string, number>();
  if (groups.length) {
    const rows = await em
      .createQueryBuilder(Account, 'a')
      .select(['a.home_group_id', raw('count(*) as n')])
      .where({ tenant, homeGroup: { $in: groups.map((group) => group.id) } })
      .groupBy('a.home_group_id')
      .execute<{ home_group_id: string; n: string }[]>('all', false);
    for (const row of rows) counts.set(row.home_group_id, Number(row.n));
  }
  return {
    groups: groups.map((group) => ({ id: group.id, name: group.name, accounts: counts.get(group.id) ?? 0 })),
    phonemapGroups: phonemapGroups.map((phonemap) => ({ id: phonemap.token, name: phonemap.name })),
  };
}

export async function deleteClassOfService(em: EntityManager, tenant: Tenant, id: string): Promise<void> {
  const cos = await findInTenant(em, ClassOfService, tenant, id, 'class of service');
  const references = await classOfServiceReferences(em, tenant, cos);
  if (references.groups.length || references.phonemapGroups.length) {
    throw new ConflictError('class_of_service_in_use', CLASS_OF_SERVICE_IN_USE, references);
  }
  em.remove(cos);
  await em.flush();
}
