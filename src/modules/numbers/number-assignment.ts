import { LockMode, type EntityName, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadRequestError, ConflictError, NotFoundError } from '../../errors/errors.js';
import { Account } from '../../model/directory/account.entity.js';
import { AutoAttendant } from '../../model/directory/auto-attendant.entity.js';
import { HuntGroup } from '../../model/directory/hunt-group.entity.js';
import { referenceInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { PhoneNumber } from '../../model/directory/phone-number.entity.js';
import type { AssignInput } from './numbers.schemas.js';

function assertUnassigned(number: PhoneNumber): void {
  if (number.status !== 'unassigned') {
    throw new ConflictError('number_assigned', `${number.e164} is already assigned: unassign it first`, {
      numberId: number.id,
      e164: number.e164,
    });
  }
}

function assertEnabled(account: Account): void {
  if (!account.enabled)
    throw new ConflictError('account_disabled', `account ${account.extension} is disabled`, { accountId: account.id });
}

async function primaryOf(em: EntityManager, tenant: Tenant, account: Account): Promise<PhoneNumber | null> {
  return em.findOne(PhoneNumber, { tenant, account, accountRole: 'primary' }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

/**
 * Loads a row of the tenant and locks it (FOR UPDATE) until the transaction ends, so a concurrent
 * assignment waits and then sees the committed state instead of overwriting it. Lock order is
 * always account first, then numbers, so two writers can never wait on each other.
 */
async function lockInTenant<T extends { id: string }>(
  tx: EntityManager,
  entity: EntityName<T>,
  tenant: Tenant,
  id: string,
  what: string,
  missing: 'not_found' | 'reference',
): Promise<T> {
  const row = await tx.findOne(entity, { id, tenant } as FilterQuery<T>, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (row) return row;
  if (missing === 'not_found') throw new NotFoundError(what);
  return referenceInTenant(tx, entity, tenant, id, what);
}

/** Assigns an unassigned number to exactly one target: an account (primary or additional), a hunt group or an auto attendant. */
export async function assignNumber(
  em: EntityManager,
  tenant: Tenant,
  id: string,
  input: AssignInput,
): Promise<PhoneNumber> {
  const targets = [input.accountId, input.huntGroupId, input.autoAttendantId].filter((target) => target !== undefined);
  if (targets.length !== 1)
    throw new BadRequestError(
      'assignment_target_required',
      'give exactly one of accountId, huntGroupId, autoAttendantId',
    );
  if (input.role && !input.accountId)
    throw new BadRequestError('role_needs_account', 'role applies to account assignments only');
  return em.transactional(async (tx) => {
    // The account is locked before the number (the lock order of every path here).
    const account = input.accountId
      ? await lockInTenant(tx, Account, tenant, input.accountId, 'account', 'reference')
      : undefined;
    const number = await lockInTenant(tx, PhoneNumber, tenant, id, 'number', 'not_found');
    assertUnassigned(number);
    if (account) {
      assertEnabled(account);
      const role = input.role ?? 'additional';
      if (role === 'primary' && (await primaryOf(tx, tenant, account))) {
        throw new ConflictError('primary_exists', 'the account already has a primary number: swap it instead', {
          accountId: account.id,
        });
      }
      number.account = account;
      number.accountRole = role;
    } else if (input.huntGroupId) {
      number.huntGroup = await referenceInTenant(tx, HuntGroup, tenant, input.huntGroupId, 'hunt group');
    } else {
      number.autoAttendant = await referenceInTenant(
        tx,
        AutoAttendant,
        tenant,
        input.autoAttendantId!,
        'auto attendant',
      );
    }
    number.status = 'assigned';
    await tx.flush();
    return number;
  });
}

/**
 * The number stays in the tenant's inventory, unassigned. With `fromAccountId` (a user's page
 * removing one of its numbers) the number must still be that account's once locked; otherwise
 * 409 and nothing is written, so a stale page never unassigns a number someone else holds now.
 */
export async function unassignNumber(
  em: EntityManager,
  tenant: Tenant,
  id: string,
  fromAccountId?: string,
): Promise<PhoneNumber> {
  return em.transactional(async (tx) => {
    const number = await lockInTenant(tx, PhoneNumber, tenant, id, 'number', 'not_found');
    if (fromAccountId !== undefined && number.account?.id !== fromAccountId) {
      throw new ConflictError('number_not_held', `${number.e164} is no longer assigned to this account`, {
        numberId: number.id,
        e164: number.e164,
      });
    }
    number.account = null;
    number.accountRole = null;
    number.huntGroup = null;
    number.autoAttendant = null;
    number.status = 'unassigned';
    await tx.flush();
    return number;
  });
}

/**
 * Makes a number the account's primary, atomically. The number is either unassigned (the old
 * primary becomes unassigned) or already one of the account's own additional numbers (promoted:
 * the old primary becomes an additional number of the same account). The caller ID is a separate
 * setting and is untouched. Two flushes inside one transaction because the one-primary index is
 * checked row by row. The account row is locked first, so swaps of one account run one after
 * the other; the number row is locked so nothing else can take it meanwhile.
 */
export async function swapPrimaryNumber(em: EntityManager, tenant: Tenant, accountId: string, numberId: string) {
  return em.transactional(async (tx) => {
    const account = await lockInTenant(tx, Account, tenant, accountId, 'account', 'not_found');
    assertEnabled(account);
    const replacement = await lockInTenant(tx, PhoneNumber, tenant, numberId, 'number', 'reference');
    const promoted = replacement.account?.id === account.id;
    if (promoted && replacement.accountRole === 'primary') return { primary: replacement, previousPrimary: null };
    if (!promoted) assertUnassigned(replacement);
    const previous = await primaryOf(tx, tenant, account);
    if (previous) {
      if (promoted) {
        previous.accountRole = 'additional';
      } else {
        previous.account = null;
        previous.accountRole = null;
        previous.status = 'unassigned';
      }
      await tx.flush();
    }
    replacement.account = account;
    replacement.accountRole = 'primary';
    replacement.status = 'assigned';
    await tx.flush();
    return { primary: replacement, previousPrimary: previous };
  });
}
