import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadRequestError, ConflictError } from '../../errors/errors.js';
import { GroupSharedNumber } from '../../model/directory/group-shared-number.entity.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { numberHolder } from './number.view.js';
import type { NumberImpactType } from './numbers.schemas.js';
import { PhoneNumber } from '../../model/directory/phone-number.entity.js';
import { QuarantinedNumber } from '../../model/directory/quarantined-number.entity.js';

const IMPACT_ITEMS = 100;

/** What deleting these numbers would take with them: their assignments and their group sharings. */
export async function numbersImpact(
  em: EntityManager,
  tenant: Tenant,
  numbers: PhoneNumber[],
): Promise<NumberImpactType> {
  const shares = numbers.length
    ? await em.find(GroupSharedNumber, { tenant, number: { $in: numbers } }, { orderBy: { group: 'asc' } })
    : [];
  // Group ids per number, gathered in one pass (shares arrive ordered by group).
  const groupIds = new Map<string, string[]>();
  for (const share of shares) {
    const ids = groupIds.get(share.number.id);
    if (ids) ids.push(share.group.id);
    else groupIds.set(share.number.id, [share.group.id]);
  }
  const groupsOf = (number: PhoneNumber) => groupIds.get(number.id) ?? [];
  const inUse = numbers
    .filter((number) => number.status !== 'unassigned' || groupIds.has(number.id))
    .sort((a, b) => a.e164.localeCompare(b.e164));
  return {
    numbers: inUse.length,
    assigned: numbers.filter((number) => number.status !== 'unassigned').length,
    groupShares: shares.length,
    items: inUse.slice(0, IMPACT_ITEMS).map((number) => ({
      id: number.id,
      e164: number.e164,
      ...numberHolder(number),
      groupIds: groupsOf(number),
    })),
  };
}

/**
 * Deletes numbers, all or none, and quarantines them. A number in use (assigned, or shared with a
 * group) needs `confirm`; without it the answer is 409 `confirmation_required` with the impact.
 * Confirmed, its assignment and sharings end with it. The rows are locked first (FOR UPDATE), so
 * an assignment or sharing racing the delete either commits before it (and shows in the impact)
 * or waits and then finds the number gone.
 */
export async function deleteNumbers(
  em: EntityManager,
  tenant: Tenant,
  ids: string[],
  confirm: boolean,
): Promise<{ deleted: number; impact: NumberImpactType }> {
  return em.transactional(async (tx) => {
    const numbers = await tx.find(
      PhoneNumber,
      { tenant, id: { $in: ids } },
      { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
    );
    const missing = ids.filter((id) => !numbers.some((number) => number.id === id));
    if (missing.length)
      throw new BadRequestError('unknown_reference', 'some numbers do not exist in this tenant', { ids: missing });
    const impact = await numbersImpact(tx, tenant, numbers);
    if (impact.numbers > 0 && !confirm) {
      throw new ConflictError(
        'confirmation_required',
        'some numbers are in use (assigned or shared with a group): repeat with ?confirm=true to delete them anyway',
        impact,
      );
    }
    for (const share of await tx.find(GroupSharedNumber, { tenant, number: { $in: numbers } })) tx.remove(share);
    const quarantined = await tx.find(QuarantinedNumber, { tenant, e164: { $in: numbers.map((n) => n.e164) } });
    for (const number of numbers) {
      const entry = quarantined.find((q) => q.e164 === number.e164);
      if (entry) entry.deletedAt = new Date();
      else tx.create(QuarantinedNumber, { tenant, e164: number.e164 });
      tx.remove(number);
    }
    await tx.flush();
    return { deleted: numbers.length, impact };
  });
}
