import { raw, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PageResult } from '../../http/api-schemas.js';
import { containsPattern } from '../../db/like.js';
import { BadRequestError, ConflictError, NotFoundError } from '../../errors/errors.js';
import { GroupMember } from '../../model/directory/group-member.entity.js';
import { Group } from '../../model/directory/group.entity.js';
import { e164FromRequest } from '../numbers/number-input.js';
import { findInTenant, lockTenant, referenceInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { Account } from '../../model/directory/account.entity.js';
import { deleteAccounts, detachAccounts, type DetachReport } from './account-removal.js';
import type { AccountListQueryType, CreateAccountInput, UpdateAccountInput } from './accounts.schemas.js';
import {
  assertExtensionFree,
  EXTENSION_HOLDER_PARAMS,
  EXTENSION_HOLDERS_SQL,
  extensionTaken,
  type ExtensionOwner,
} from './extensions.js';
import { generateSipPassword } from './sip-password.js';

async function assertSipUsernameFree(
  em: EntityManager,
  tenant: Tenant,
  sipUsername: string,
  selfId?: string,
): Promise<void> {
  const holder = await em.findOne(Account, { tenant, sipUsername }, { fields: ['id'] });
  if (holder && holder.id !== selfId)
    throw new ConflictError('sip_username_taken', `SIP username ${sipUsername} is already in use`, { sipUsername });
}

function callerIdFrom(input: string | null | undefined, tenant: Tenant): string | null | undefined {
  return input === undefined || input === null ? input : e164FromRequest(input, tenant, 'callerId');
}

interface CreateChecks {
  accounts: number;
  group_found: boolean;
  ext_owner: ExtensionOwner | null;
  ext_id: string | null;
  sip_holder: string | null;
}

/**
 * Everything a create checks, in one statement run after the tenant lock is taken (so its
 * snapshot sees every create committed before): the lock is held for this one round trip, the
 * insert and the commit, not for six lookups (account creation with 16 in flight was bounded by
 * the lock's hold time; bench/results/admin-writes.md).
 */
async function createChecks(
  tx: EntityManager,
  tenant: Tenant,
  input: { groupId: string; extension: string; sipUsername: string },
): Promise<CreateChecks> {
  const rows = await tx.execute<CreateChecks[]>(
    `select (select count(*)::int from accounts where tenant_id = ?) as accounts,
            exists (select 1 from groups where tenant_id = ? and id = ?) as group_found,
            ext.owner as ext_owner, ext.id as ext_id,
            (select id::text from accounts where tenant_id = ? and sip_username = ? limit 1) as sip_holder
       from (select 1) one
       left join lateral (select owner, id from (${EXTENSION_HOLDERS_SQL}) holders order by rank limit 1) ext on true`,
    [
      tenant.id,
      tenant.id,
      input.groupId,
      tenant.id,
      input.sipUsername,
      ...EXTENSION_HOLDER_PARAMS(tenant.id, input.extension),
    ],
  );
  return rows[0]!;
}

/**
 * Creates an account in its home group. The tenant row is locked for the transaction, so the
 * licence limit and extension uniqueness hold under concurrent creates. The checks answer in the
 * order: licence limit, unknown group, extension taken, SIP username taken.
 */
export async function createAccount(
  em: EntityManager,
  tenant: Tenant,
  input: CreateAccountInput,
): Promise<{ account: Account; sipPassword: string }> {
  const sipUsername = input.sipUsername ?? input.extension;
  return em.transactional(async (tx) => {
    const { maxAccounts } = await lockTenant(tx, tenant);
    const checks = await createChecks(tx, tenant, { groupId: input.groupId, extension: input.extension, sipUsername });
    if (checks.accounts >= maxAccounts) {
      throw new ConflictError(
        'account_limit_reached',
        `the tenant holds ${checks.accounts} of ${maxAccounts} licensed accounts`,
        { limit: maxAccounts, accounts: checks.accounts },
      );
    }
    if (!checks.group_found)
      throw new BadRequestError('unknown_reference', `group ${input.groupId} does not exist in this tenant`, {
        field: 'group',
        id: input.groupId,
      });
    if (checks.ext_owner && checks.ext_id) throw extensionTaken(input.extension, checks.ext_owner, checks.ext_id);
    if (checks.sip_holder)
      throw new ConflictError('sip_username_taken', `SIP username ${sipUsername} is already in use`, { sipUsername });
    const sipPassword = input.sipPassword ?? generateSipPassword();
    const account = tx.create(Account, {
      tenant,
      homeGroup: tx.getReference(Group, input.groupId),
      extension: input.extension,
      sipUsername,
      sipPassword,
      displayName: input.displayName,
      email: input.email ?? null,
      callerId: callerIdFrom(input.callerId, tenant) ?? null,
      enabled: input.enabled ?? true,
    });
    await tx.flush();
    return { account, sipPassword };
  });
}

/** The filter of the account list (its plan is tested: test/integration/directory/device-search.test.ts). */
export function accountListWhere(
  tenant: Tenant,
  query: Pick<AccountListQueryType, 'groupId' | 'enabled' | 'q'>,
): FilterQuery<Account> {
  const where: FilterQuery<Account> = { tenant };
  if (query.groupId) where.homeGroup = query.groupId;
  if (query.enabled !== undefined) where.enabled = query.enabled;
  if (query.q) {
    const pattern = containsPattern(query.q);
    // A number matches by the digits it contains ("030 1234" finds +49301234…).
    const digits = query.q.replace(/[^0-9]/g, '');
    // `id = any(array(…))` rather than `id in (subquery)`: the planner then combines it with the
    // per-field trigram indexes (a BitmapOr); with the IN subquery it scanned every account
    // (~12 ms for 10,000, twice per page with the count; bench console-lists).
    const holders = digits
      ? raw(
          (alias: string) =>
            `${alias}.id = any(array(select n.account_id from phone_numbers n where n.tenant_id = ? and n.account_id is not null and n.e164 like ?))`,
          [tenant.id, containsPattern(digits)],
        )
      : null;
    where.$or = [
      { displayName: { $ilike: pattern } },
      { extension: { $ilike: pattern } },
      { sipUsername: { $ilike: pattern } },
      { email: { $ilike: pattern } },
      ...(holders ? [{ [holders]: [] }] : []),
    ];
  }
  return where;
}

export async function listAccounts(
  em: EntityManager,
  tenant: Tenant,
  query: AccountListQueryType,
): Promise<PageResult<Account>> {
  const [items, total] = await em.findAndCount(Account, accountListWhere(tenant, query), {
    orderBy: { extension: 'asc' },
    limit: query.limit,
    offset: query.offset,
  });
  return { items, total, limit: query.limit, offset: query.offset };
}

export async function updateAccount(
  em: EntityManager,
  tenant: Tenant,
  id: string,
  patch: UpdateAccountInput,
): Promise<Account> {
  return em.transactional(async (tx) => {
    const account = await findInTenant(tx, Account, tenant, id, 'account');
    if (patch.extension !== undefined && patch.extension !== account.extension) {
      await lockTenant(tx, tenant);
      await assertExtensionFree(tx, tenant, patch.extension, { owner: 'account', id: account.id });
      account.extension = patch.extension;
    }
    if (patch.sipUsername !== undefined && patch.sipUsername !== account.sipUsername) {
      await assertSipUsernameFree(tx, tenant, patch.sipUsername, account.id);
      account.sipUsername = patch.sipUsername;
    }
    if (patch.groupId !== undefined && patch.groupId !== account.homeGroup.id) {
      const group = await referenceInTenant(tx, Group, tenant, patch.groupId, 'group');
      account.homeGroup = group;
      // Its new home is no longer an "extra" group for it.
      const extra = await tx.findOne(GroupMember, { group, account });
      if (extra) tx.remove(extra);
    }
    if (patch.sipPassword !== undefined) account.sipPassword = patch.sipPassword;
    if (patch.displayName !== undefined) account.displayName = patch.displayName;
    if (patch.email !== undefined) account.email = patch.email;
    if (patch.callerId !== undefined) account.callerId = callerIdFrom(patch.callerId, tenant) ?? null;
    if (patch.enabled !== undefined && patch.enabled !== account.enabled) {
      account.enabled = patch.enabled;
      if (!patch.enabled) await detachAccounts(tx, tenant, [account]);
    }
    await tx.flush();
    return account;
  });
}

/** Sets a new generated password and returns it (shown once). */
export async function rotateSipPassword(
  em: EntityManager,
  tenant: Tenant,
  id: string,
): Promise<{ account: Account; sipPassword: string }> {
  const account = await findInTenant(em, Account, tenant, id, 'account');
  const sipPassword = generateSipPassword();
  account.sipPassword = sipPassword;
  await em.flush();
  return { account, sipPassword };
}

export async function sipCredentials(
  em: EntityManager,
  tenant: Tenant,
  id: string,
): Promise<{ sipUsername: string; sipPassword: string }> {
  const account = await em.findOne(Account, { id, tenant }, { populate: ['sipPassword'] });
  if (!account) throw new NotFoundError('account');
  return { sipUsername: account.sipUsername, sipPassword: account.sipPassword };
}

export async function deleteAccount(em: EntityManager, tenant: Tenant, id: string): Promise<DetachReport> {
  return em.transactional(async (tx) =>
    deleteAccounts(tx, tenant, [await findInTenant(tx, Account, tenant, id, 'account')]),
  );
}
