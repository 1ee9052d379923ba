import type { EntityManager } from '@mikro-orm/postgresql';
import type { PageResult } from '../../http/api-schemas.js';
import { containsPattern } from '../../db/like.js';
import { readTogether } from '../../db/reads.js';
import { ConflictError, NotFoundError } from '../../errors/errors.js';
import { ClassOfService } from '../../model/directory/class-of-service.entity.js';
import { DeviceLine } from '../../model/directory/device-line.entity.js';
import { referenceInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { PhoneMapGroup } from '../../model/directory/phonemap-group.entity.js';
import type {
  CreatePhoneMapGroupInput,
  PhoneMapGroupListQueryType,
  PhoneMapGroupViewType,
  PhoneMapImpactType,
  UpdatePhoneMapGroupInput,
} from './phonemap-groups.schemas.js';
import { PhoneMapMember } from '../../model/directory/phonemap-member.entity.js';

const IMPACT_DEVICES_LISTED = 200;

/** A PhoneMap group of the tenant by its user-chosen id; another tenant's is "not found". */
export async function findPhoneMapGroup(em: EntityManager, tenant: Tenant, token: string): Promise<PhoneMapGroup> {
  const group = await em.findOne(PhoneMapGroup, { tenant, token });
  if (!group) throw new NotFoundError('PhoneMap group');
  return group;
}

/** Views of several groups with their members, loaded in one query. */
export async function phonemapGroupViews(em: EntityManager, groups: PhoneMapGroup[]): Promise<PhoneMapGroupViewType[]> {
  if (groups.length === 0) return [];
  const members = await em.find(
    PhoneMapMember,
    { phonemapGroup: { $in: groups } },
    { populate: ['account'], orderBy: { createdAt: 'asc', id: 'asc' }, refresh: true },
  );
  return groups.map((group) => {
    const own = members.filter((member) => member.phonemapGroup.id === group.id);
    return {
      id: group.token,
      uuid: group.id,
      name: group.name,
      classOfServiceId: group.classOfService.id,
      activeAccountId: own.find((member) => member.active)?.account.id ?? null,
      members: own.map((member) => ({
        accountId: member.account.id,
        extension: member.account.extension,
        displayName: member.account.displayName,
        active: member.active,
      })),
      createdAt: group.createdAt.toISOString(),
      updatedAt: group.updatedAt.toISOString(),
    };
  });
}

export async function phonemapGroupView(em: EntityManager, group: PhoneMapGroup): Promise<PhoneMapGroupViewType> {
  return (await phonemapGroupViews(em, [group]))[0]!;
}

export async function createPhoneMapGroup(
  em: EntityManager,
  tenant: Tenant,
  input: CreatePhoneMapGroupInput,
): Promise<PhoneMapGroup> {
  const classOfService = await referenceInTenant(
    em,
    ClassOfService,
    tenant,
    input.classOfServiceId,
    'class of service',
  );
  if (await em.count(PhoneMapGroup, { tenant, token: input.id })) {
    throw new ConflictError('phonemap_group_id_taken', `a PhoneMap group with id ${input.id} already exists`, {
      field: 'id',
    });
  }
  const group = em.create(PhoneMapGroup, { tenant, token: input.id, name: input.name, classOfService });
  await em.flush();
  return group;
}

export async function listPhoneMapGroups(
  em: EntityManager,
  tenant: Tenant,
  query: PhoneMapGroupListQueryType,
): Promise<PageResult<PhoneMapGroup>> {
  const where = query.q
    ? { tenant, $or: [{ token: { $ilike: containsPattern(query.q) } }, { name: { $ilike: containsPattern(query.q) } }] }
    : { tenant };
  const [items, total] = await em.findAndCount(PhoneMapGroup, where, {
    orderBy: { token: 'asc' },
    limit: query.limit,
    offset: query.offset,
  });
  return { items, total, limit: query.limit, offset: query.offset };
}

export async function updatePhoneMapGroup(
  em: EntityManager,
  tenant: Tenant,
  token: string,
  patch: UpdatePhoneMapGroupInput,
): Promise<PhoneMapGroup> {
  const group = await findPhoneMapGroup(em, tenant, token);
  if (patch.classOfServiceId !== undefined) {
    group.classOfService = await referenceInTenant(
      em,
      ClassOfService,
      tenant,
      patch.classOfServiceId,
      'class of service',
    );
  }
  if (patch.name !== undefined) group.name = patch.name;
  await em.flush();
  return group;
}

export async function phonemapImpact(
  em: EntityManager,
  tenant: Tenant,
  group: PhoneMapGroup,
): Promise<PhoneMapImpactType> {
  // deletePhoneMapGroup calls this inside its transaction: one query at a time there.
  const [members, lines] = await readTogether(em, [
    () => em.count(PhoneMapMember, { phonemapGroup: group }),
    () =>
      em.find(
        DeviceLine,
        { tenant, phonemapGroup: group },
        { populate: ['device'], orderBy: { device: { mac: 'asc' }, index: 'asc' } },
      ),
  ] as const);
  const devices = new Map<string, { id: string; mac: string; lines: number[] }>();
  for (const line of lines) {
    const entry = devices.get(line.device.id) ?? { id: line.device.id, mac: line.device.mac, lines: [] };
    entry.lines.push(line.index);
    devices.set(line.device.id, entry);
  }
  return { members, deviceLines: lines.length, devices: [...devices.values()].slice(0, IMPACT_DEVICES_LISTED) };
}

/**
 * Deletes the group and every mapping: device lines bound to it become unbound and its members
 * go, in one transaction and through the unit of work (so each change is audited). A group that
 * still maps anything needs `confirm`; the 409 carries the impact.
 */
export async function deletePhoneMapGroup(
  em: EntityManager,
  tenant: Tenant,
  token: string,
  confirm: boolean,
): Promise<PhoneMapImpactType> {
  return em.transactional(async (tx) => {
    const group = await findPhoneMapGroup(tx, tenant, token);
    await tx.execute('select id from phonemap_groups where id = ? for update', [group.id]);
    const impact = await phonemapImpact(tx, tenant, group);
    if ((impact.members > 0 || impact.deviceLines > 0) && !confirm) {
      throw new ConflictError(
        'confirmation_required',
        'the PhoneMap group still maps members and device lines: repeat with ?confirm=true to remove all mappings',
        impact,
      );
    }
    for (const line of await tx.find(DeviceLine, { tenant, phonemapGroup: group })) line.phonemapGroup = null;
    for (const member of await tx.find(PhoneMapMember, { phonemapGroup: group })) tx.remove(member);
    await tx.flush();
    tx.remove(group);
    await tx.flush();
    return impact;
  });
}
