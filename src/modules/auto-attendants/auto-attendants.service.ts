import type { EntityManager } from '@mikro-orm/postgresql';
import type { PageResult } from '../../http/api-schemas.js';
import { containsPattern } from '../../db/like.js';
import { BadRequestError, ConflictError } from '../../errors/errors.js';
import { Account } from '../../model/directory/account.entity.js';
import { assertExtensionFree } from '../accounts/extensions.js';
import { HuntGroup } from '../../model/directory/hunt-group.entity.js';
import { e164FromRequest } from '../numbers/number-input.js';
import { PhoneNumber } from '../../model/directory/phone-number.entity.js';
import { findInTenant, lockTenant, referenceInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { AutoAttendantOption } from '../../model/directory/auto-attendant-option.entity.js';
import { AutoAttendant } from '../../model/directory/auto-attendant.entity.js';
import type {
  AutoAttendantViewType,
  CreateAutoAttendantInput,
  OptionInputType,
  UpdateAutoAttendantInput,
} from './auto-attendants.schemas.js';

async function assertNameFree(em: EntityManager, tenant: Tenant, name: string, selfId?: string): Promise<void> {
  const holder = await em.findOne(AutoAttendant, { tenant, name }, { fields: ['id'] });
  if (holder && holder.id !== selfId)
    throw new ConflictError('auto_attendant_name_taken', `an auto attendant named ${name} already exists`, { name });
}

async function claimExtension(em: EntityManager, tenant: Tenant, extension: string, selfId?: string): Promise<void> {
  await lockTenant(em, tenant);
  await assertExtensionFree(em, tenant, extension, selfId ? { owner: 'auto-attendant', id: selfId } : undefined);
}

/** Replaces every option. Each digit once; each option leads to exactly one destination of this tenant. */
async function setOptions(
  em: EntityManager,
  tenant: Tenant,
  autoAttendant: AutoAttendant,
  options: OptionInputType[],
): Promise<void> {
  const digits = options.map((option) => option.digit);
  const repeated = digits.filter((digit, index) => digits.indexOf(digit) !== index);
  if (repeated.length)
    throw new BadRequestError('duplicate_digit', `digit ${repeated[0]} is used twice`, {
      digits: [...new Set(repeated)],
    });
  const rows: Partial<AutoAttendantOption>[] = [];
  for (const [index, option] of options.entries()) {
    const targets = [option.accountId, option.huntGroupId, option.externalNumber].filter(
      (target) => target !== undefined,
    );
    if (targets.length !== 1)
      throw new BadRequestError(
        'option_target_required',
        `option ${index}: give exactly one of accountId, huntGroupId, externalNumber`,
        { index },
      );
    const row: Partial<AutoAttendantOption> = {
      digit: option.digit,
      targetAccount: null,
      targetHuntGroup: null,
      externalNumber: null,
    };
    if (option.accountId) {
      const account = await referenceInTenant(em, Account, tenant, option.accountId, 'account');
      if (!account.enabled)
        throw new ConflictError('account_disabled', `option ${index}: account ${account.extension} is disabled`, {
          index,
          accountId: account.id,
        });
      row.targetAccount = account;
    } else if (option.huntGroupId) {
      row.targetHuntGroup = await referenceInTenant(em, HuntGroup, tenant, option.huntGroupId, 'hunt group');
    } else {
      row.externalNumber = e164FromRequest(option.externalNumber!, tenant, `options[${index}].externalNumber`);
    }
    rows.push(row);
  }
  for (const existing of await em.find(AutoAttendantOption, { autoAttendant })) em.remove(existing);
  // Old options go before new ones land: (auto attendant, digit) is unique.
  await em.flush();
  for (const row of rows) em.create(AutoAttendantOption, { ...row, tenant, autoAttendant, digit: row.digit! });
}

export async function createAutoAttendant(
  em: EntityManager,
  tenant: Tenant,
  input: CreateAutoAttendantInput,
): Promise<AutoAttendant> {
  return em.transactional(async (tx) => {
    await assertNameFree(tx, tenant, input.name);
    if (input.extension) await claimExtension(tx, tenant, input.extension);
    const autoAttendant = tx.create(AutoAttendant, { tenant, name: input.name, extension: input.extension ?? null });
    await setOptions(tx, tenant, autoAttendant, input.options ?? []);
    await tx.flush();
    return autoAttendant;
  });
}

export async function updateAutoAttendant(
  em: EntityManager,
  tenant: Tenant,
  id: string,
  patch: UpdateAutoAttendantInput,
): Promise<AutoAttendant> {
  return em.transactional(async (tx) => {
    const autoAttendant = await findInTenant(tx, AutoAttendant, tenant, id, 'auto attendant');
    if (patch.name !== undefined) {
      await assertNameFree(tx, tenant, patch.name, autoAttendant.id);
      autoAttendant.name = patch.name;
    }
    if (patch.extension !== undefined && patch.extension !== autoAttendant.extension) {
      if (patch.extension) await claimExtension(tx, tenant, patch.extension, autoAttendant.id);
      autoAttendant.extension = patch.extension;
    }
    if (patch.options) await setOptions(tx, tenant, autoAttendant, patch.options);
    await tx.flush();
    return autoAttendant;
  });
}

export async function listAutoAttendants(
  em: EntityManager,
  tenant: Tenant,
  query: { q?: string; limit: number; offset: number },
): Promise<PageResult<AutoAttendant>> {
  const where = query.q ? { tenant, name: { $ilike: containsPattern(query.q) } } : { tenant };
  const [items, total] = await em.findAndCount(AutoAttendant, where, {
    orderBy: { name: 'asc' },
    limit: query.limit,
    offset: query.offset,
  });
  return { items, total, limit: query.limit, offset: query.offset };
}

/** What goes with an auto attendant (its delete confirmation): the numbers it frees and its options. */
export async function autoAttendantImpact(
  em: EntityManager,
  tenant: Tenant,
  autoAttendant: AutoAttendant,
): Promise<{ numbers: { id: string; e164: string }[]; options: number }> {
  const numbers = await em.find(PhoneNumber, { tenant, autoAttendant }, { orderBy: { e164: 'asc' } });
  const options = await em.count(AutoAttendantOption, { tenant, autoAttendant });
  return { numbers: numbers.map((number) => ({ id: number.id, e164: number.e164 })), options };
}

/** Removing an auto attendant unassigns its numbers. */
export async function deleteAutoAttendant(em: EntityManager, tenant: Tenant, id: string): Promise<void> {
  await em.transactional(async (tx) => {
    const autoAttendant = await findInTenant(tx, AutoAttendant, tenant, id, 'auto attendant');
    for (const number of await tx.find(PhoneNumber, { tenant, autoAttendant })) {
      number.autoAttendant = null;
      number.status = 'unassigned';
    }
    for (const option of await tx.find(AutoAttendantOption, { autoAttendant })) tx.remove(option);
    await tx.flush();
    tx.remove(autoAttendant);
    await tx.flush();
  });
}

export async function autoAttendantViews(
  em: EntityManager,
  autoAttendants: AutoAttendant[],
): Promise<AutoAttendantViewType[]> {
  if (autoAttendants.length === 0) return [];
  const [options, numbers] = await Promise.all([
    em.find(AutoAttendantOption, { autoAttendant: { $in: autoAttendants } }, { orderBy: { digit: 'asc' } }),
    em.find(PhoneNumber, { autoAttendant: { $in: autoAttendants } }, { orderBy: { e164: 'asc' } }),
  ]);
  return autoAttendants.map((autoAttendant) => ({
    id: autoAttendant.id,
    name: autoAttendant.name,
    extension: autoAttendant.extension ?? null,
    options: options
      .filter((option) => option.autoAttendant.id === autoAttendant.id)
      .map((option) => ({
        digit: option.digit,
        accountId: option.targetAccount?.id ?? null,
        huntGroupId: option.targetHuntGroup?.id ?? null,
        externalNumber: option.externalNumber ?? null,
      })),
    numbers: numbers
      .filter((number) => number.autoAttendant?.id === autoAttendant.id)
      .map((number) => ({ id: number.id, e164: number.e164 })),
    createdAt: autoAttendant.createdAt.toISOString(),
    updatedAt: autoAttendant.updatedAt.toISOString(),
  }));
}
