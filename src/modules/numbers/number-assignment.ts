import type { EntityManager } from '@mikro-orm/postgresql';
import { BadRequestError, ConflictError } from '../../errors/errors.js';
import { Account } from '../accounts/account.entity.js';
import { AutoAttendant } from '../auto-attendants/auto-attendant.entity.js';
import { HuntGroup } from '../hunt-groups/hunt-group.entity.js';
import { findInTenant, referenceInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../tenants/tenant.entity.js';
import { PhoneNumber } from './phone-number.entity.js';
import type { AssignInput } from './numbers.schemas.js';

function assertUnassigned(number: PhoneNumber): void {
  if (number.status !== 'unassigned') {
    throw new ConflictError('number_assigned', `${number.e164} is already assigned: unassign it first`, { numberId: number.id, e164: number.e164 });
  }
}

function assertEnabled(account: Account): void {
  if (!account.enabled) throw new ConflictError('account_disabled', `account ${account.extension} is disabled`, { accountId: account.id });
}

async function primaryOf(em: EntityManager, tenant: Tenant, account: Account): Promise<PhoneNumber | null> {
  return em.findOne(PhoneNumber, { tenant, account, accountRole: 'primary' });
}

/** Assigns an unassigned number to exactly one target: an account (primary or additional), a hunt group or an auto attendant. */
export async function assignNumber(em: EntityManager, tenant: Tenant, id: string, input: AssignInput): Promise<PhoneNumber> {
  const targets = [input.accountId, input.huntGroupId, input.autoAttendantId].filter((target) => target !== undefined);
  if (targets.length !== 1) throw new BadRequestError('assignment_target_required', 'give exactly one of accountId, huntGroupId, autoAttendantId');
  if (input.role && !input.accountId) throw new BadRequestError('role_needs_account', 'role applies to account assignments only');
  return em.transactional(async (tx) => {
    const number = await findInTenant(tx, PhoneNumber, tenant, id, 'number');
    assertUnassigned(number);
    if (input.accountId) {
      const account = await referenceInTenant(tx, Account, tenant, input.accountId, 'account');
      assertEnabled(account);
      const role = input.role ?? 'additional';
      if (role === 'primary' && (await primaryOf(tx, tenant, account))) {
        throw new ConflictError('primary_exists', 'the account already has a primary number: swap it instead', { accountId: account.id });
      }
      number.account = account;
      number.accountRole = role;
    } else if (input.huntGroupId) {
      number.huntGroup = await referenceInTenant(tx, HuntGroup, tenant, input.huntGroupId, 'hunt group');
    } else {
      number.autoAttendant = await referenceInTenant(tx, AutoAttendant, tenant, input.autoAttendantId!, 'auto attendant');
    }
    number.status = 'assigned';
    await tx.flush();
    return number;
  });
}

/** The number stays in the tenant's inventory, unassigned. */
export async function unassignNumber(em: EntityManager, tenant: Tenant, id: string): Promise<PhoneNumber> {
  const number = await findInTenant(em, PhoneNumber, tenant, id, 'number');
  number.account = null;
  number.accountRole = null;
  number.huntGroup = null;
  number.autoAttendant = null;
  number.status = 'unassigned';
  await em.flush();
  return number;
}

/**
 * Exchanges the account's primary number for an unassigned one, atomically: the old primary
 * becomes unassigned, the new one primary. The caller ID is a separate setting and is untouched.
 * Two flushes inside one transaction because the one-primary index is checked row by row.
 */
export async function swapPrimaryNumber(em: EntityManager, tenant: Tenant, accountId: string, numberId: string) {
  return em.transactional(async (tx) => {
    const account = await findInTenant(tx, Account, tenant, accountId, 'account');
    assertEnabled(account);
    const replacement = await referenceInTenant(tx, PhoneNumber, tenant, numberId, 'number');
    assertUnassigned(replacement);
    const previous = await primaryOf(tx, tenant, account);
    if (previous) {
      previous.account = null;
      previous.accountRole = null;
      previous.status = 'unassigned';
      await tx.flush();
    }
    replacement.account = account;
    replacement.accountRole = 'primary';
    replacement.status = 'assigned';
    await tx.flush();
    return { primary: replacement, previousPrimary: previous };
  });
}
