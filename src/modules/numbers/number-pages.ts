import type { EntityManager } from '@mikro-orm/postgresql';
import { BadRequestError } from '../../errors/errors.js';
import { GroupSharedNumber } from '../../model/directory/group-shared-number.entity.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import type { PhoneNumber } from '../../model/directory/phone-number.entity.js';

/** Most numbers one range adds (the REST create takes at most 500). */
export const RANGE_LIMIT = 500;

/**
 * Who holds each number, as the Phone Numbers screen says it: the fields of numberHolder() with
 * names, plus the groups it is shared with. One query per kind for the whole page.
 */
export async function holderTexts(
  em: EntityManager,
  tenant: Tenant,
  numbers: PhoneNumber[],
): Promise<Map<string, string>> {
  if (numbers.length === 0) return new Map();
  await em.populate(numbers, ['account', 'huntGroup', 'autoAttendant']);
  const shares = await em.find(
    GroupSharedNumber,
    { tenant, number: { $in: numbers } },
    { populate: ['group'], orderBy: { group: { name: 'asc' } } },
  );
  const texts = new Map<string, string>();
  for (const number of numbers) {
    const parts: string[] = [];
    if (number.account)
      parts.push(
        `Assigned to ${number.account.extension} ${number.account.displayName} (${number.accountRole ?? 'additional'})`,
      );
    if (number.huntGroup) parts.push(`Used by hunt group ${number.huntGroup.name}`);
    if (number.autoAttendant) parts.push(`Used by auto attendant ${number.autoAttendant.name}`);
    const groups = shares.filter((share) => share.number.id === number.id).map((share) => share.group.name);
    if (groups.length) parts.push(`Shared by ${groups.join(', ')}`);
    texts.set(number.id, parts.length ? parts.join('; ') : 'Unassigned');
  }
  return texts;
}

/**
 * The numbers of a range "from … to …" (inclusive, same length, the last digits counting up), as
 * the REST create body takes them. Normalisation to E.164 stays with the service.
 */
export function numbersInRange(from: string, to: string): string[] {
  const a = from.replace(/[^0-9+]/g, '');
  const b = to.replace(/[^0-9+]/g, '');
  if (!/^\+?[0-9]{3,15}$/.test(a) || !/^\+?[0-9]{3,15}$/.test(b) || a.length !== b.length) {
    throw new BadRequestError('invalid_range', 'a range needs two numbers of the same length');
  }
  let prefix = 0;
  while (prefix < a.length && a[prefix] === b[prefix]) prefix += 1;
  const head = a.slice(0, prefix);
  const start = Number(a.slice(prefix) || '0');
  const end = Number(b.slice(prefix) || '0');
  const width = a.length - prefix;
  if (end < start) throw new BadRequestError('invalid_range', 'the range ends before it starts');
  if (end - start + 1 > RANGE_LIMIT)
    throw new BadRequestError('invalid_range', `a range adds at most ${RANGE_LIMIT} numbers`);
  const numbers: string[] = [];
  for (let n = start; n <= end; n += 1) numbers.push(head + String(n).padStart(width, '0'));
  return numbers;
}
