import type { EntityManager } from '@mikro-orm/postgresql';
import type { PageResult } from '../../http/api-schemas.js';
import { containsPattern } from '../../db/like.js';
import { ConflictError } from '../../errors/errors.js';
import { Group } from '../groups/group.entity.js';
import { PhoneMapGroup } from '../phonemap-groups/phonemap-group.entity.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../tenants/tenant.entity.js';
import { ClassOfService } from './class-of-service.entity.js';
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
  if (holder && holder.id !== selfId) throw new ConflictError('name_taken', `a class of service named ${name} already exists`, { field: 'name', id: holder.id });
}

export async function createClassOfService(em: EntityManager, tenant: Tenant, input: CreateClassOfServiceInput): Promise<ClassOfService> {
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

export async function listClassesOfService(em: EntityManager, tenant: Tenant, query: ClassOfServiceListQueryType): Promise<PageResult<ClassOfService>> {
  const [items, total] = await em.findAndCount(
    ClassOfService,
    { tenant, ...(query.q ? { name: { $ilike: containsPattern(query.q) } } : {}), ...(query.level ? { level: query.level } : {}) },
    { orderBy: { name: 'asc', id: 'asc' }, limit: query.limit, offset: query.offset },
  );
  return { items, total, limit: query.limit, offset: query.offset };
}

export async function updateClassOfService(em: EntityManager, tenant: Tenant, id: string, patch: UpdateClassOfServiceInput): Promise<ClassOfService> {
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

export async function deleteClassOfService(em: EntityManager, tenant: Tenant, id: string): Promise<void> {
  const cos = await findInTenant(em, ClassOfService, tenant, id, 'class of service');
  const references = await classOfServiceReferences(em, tenant, cos);
  if (references.groups.length || references.phonemapGroups.length) {
    throw new ConflictError('class_of_service_in_use', 'the class of service is still used: change these groups and PhoneMap groups first', references);
  }
  em.remove(cos);
  await em.flush();
}
