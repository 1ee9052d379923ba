import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PageResult } from '../../http/api-schemas.js';
import { containsPattern } from '../../db/like.js';
import { BadRequestError, ConflictError } from '../../errors/errors.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { normaliseE164 } from './e164.js';
import { PhoneNumber } from '../../model/directory/phone-number.entity.js';
import type { NumberListQueryType } from './numbers.schemas.js';
import { QuarantinedNumber } from '../../model/directory/quarantined-number.entity.js';

/** Normalises every input; any invalid one rejects the whole request, naming each bad entry. */
function normaliseAll(inputs: string[], tenant: Tenant): string[] {
  const problems: { index: number; input: string; reason: string }[] = [];
  const e164s = new Set<string>();
  inputs.forEach((input, index) => {
    const result = normaliseE164(input, tenant.defaultCountry ?? undefined);
    if (result.ok) e164s.add(result.e164);
    else problems.push({ index, input, reason: result.reason });
  });
  if (problems.length)
    throw new BadRequestError(
      'invalid_number',
      `${problems.length} of ${inputs.length} numbers are not valid phone numbers`,
      problems,
    );
  return [...e164s];
}

/**
 * Adds numbers to the tenant's inventory as unassigned, all or none. Numbers already there
 * conflict; deleted (quarantined) numbers conflict unless the caller explicitly overrides, which
 * lifts their quarantine.
 */
export async function addNumbers(
  em: EntityManager,
  tenant: Tenant,
  inputs: string[],
  overrideQuarantine: boolean,
): Promise<PhoneNumber[]> {
  const e164s = normaliseAll(inputs, tenant);
  return em.transactional(async (tx) => {
    const existing = await tx.find(PhoneNumber, { tenant, e164: { $in: e164s } }, { fields: ['e164'] });
    if (existing.length)
      throw new ConflictError('number_exists', 'some numbers are already in the inventory', {
        numbers: existing.map((n) => n.e164).sort(),
      });
    const quarantined = await tx.find(QuarantinedNumber, { tenant, e164: { $in: e164s } });
    if (quarantined.length && !overrideQuarantine) {
      throw new ConflictError(
        'number_quarantined',
        'some numbers were deleted recently and are quarantined; repeat with overrideQuarantine=true to re-add them',
        {
          numbers: quarantined.map((q) => q.e164).sort(),
        },
      );
    }
    for (const entry of quarantined) tx.remove(entry);
    const created = e164s.map((e164) => tx.create(PhoneNumber, { tenant, e164 }));
    await tx.flush();
    return created;
  });
}

export async function listNumbers(
  em: EntityManager,
  tenant: Tenant,
  query: NumberListQueryType,
): Promise<PageResult<PhoneNumber>> {
  const where: FilterQuery<PhoneNumber> = { tenant };
  if (query.status) where.status = query.status;
  if (query.accountId) where.account = query.accountId;
  if (query.q) where.e164 = { $like: containsPattern(query.q) };
  const [items, total] = await em.findAndCount(PhoneNumber, where, {
    orderBy: { e164: 'asc' },
    limit: query.limit,
    offset: query.offset,
  });
  return { items, total, limit: query.limit, offset: query.offset };
}
