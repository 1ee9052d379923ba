import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError } from '../../errors/errors.js';
import { ClassOfService } from '../../model/directory/class-of-service.entity.js';
import { Profile } from '../../model/directory/profile.entity.js';
import { findInTenant, referenceInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { Group } from '../../model/directory/group.entity.js';
import type { AddressInput, AdminContactInput, CreateGroupInput, UpdateGroupInput } from './groups.schemas.js';

async function assertNameFree(em: EntityManager, tenant: Tenant, name: string, selfId?: string): Promise<void> {
  const holder = await em.findOne(Group, { tenant, name }, { fields: ['id'] });
  if (holder && holder.id !== selfId)
    throw new ConflictError('group_name_taken', `a group named ${name} already exists`, { name });
}

/** Only the fields present in the request change; null clears one. */
function applyAddress(group: Group, address: AddressInput | undefined): void {
  if (!address) return;
  if (address.street !== undefined) group.street = address.street;
  if (address.city !== undefined) group.city = address.city;
  if (address.state !== undefined) group.state = address.state;
  if (address.zip !== undefined) group.zip = address.zip;
  if (address.country !== undefined) group.country = address.country;
}

function applyAdminContact(group: Group, contact: AdminContactInput | undefined): void {
  if (!contact) return;
  if (contact.surname !== undefined) group.adminSurname = contact.surname;
  if (contact.name !== undefined) group.adminName = contact.name;
  if (contact.role !== undefined) group.adminRole = contact.role;
  if (contact.phone !== undefined) group.adminPhone = contact.phone;
  if (contact.mobile !== undefined) group.adminMobile = contact.mobile;
  if (contact.fax !== undefined) group.adminFax = contact.fax;
  if (contact.itEmail !== undefined) group.adminItEmail = contact.itEmail;
}

async function applyReferences(
  em: EntityManager,
  tenant: Tenant,
  group: Group,
  input: { profileId?: string | null; classOfServiceId?: string | null },
): Promise<void> {
  if (input.profileId !== undefined)
    group.profile =
      input.profileId === null ? null : await referenceInTenant(em, Profile, tenant, input.profileId, 'profile');
  if (input.classOfServiceId !== undefined) {
    group.classOfService =
      input.classOfServiceId === null
        ? null
        : await referenceInTenant(em, ClassOfService, tenant, input.classOfServiceId, 'class of service');
  }
}

/** A new group takes the tenant's default profile unless the request names one (or null). */
export async function createGroup(em: EntityManager, tenant: Tenant, input: CreateGroupInput): Promise<Group> {
  await assertNameFree(em, tenant, input.name);
  const group = em.create(Group, { tenant, name: input.name, profile: tenant.defaultProfile ?? null });
  await applyReferences(em, tenant, group, input);
  applyAddress(group, input.address);
  applyAdminContact(group, input.adminContact);
  await em.flush();
  return group;
}

export async function updateGroup(
  em: EntityManager,
  tenant: Tenant,
  id: string,
  patch: UpdateGroupInput,
): Promise<Group> {
  const group = await findInTenant(em, Group, tenant, id, 'group');
  if (patch.name !== undefined && patch.name !== group.name) {
    await assertNameFree(em, tenant, patch.name, group.id);
    group.name = patch.name;
  }
  await applyReferences(em, tenant, group, patch);
  applyAddress(group, patch.address);
  applyAdminContact(group, patch.adminContact);
  await em.flush();
  return group;
}
