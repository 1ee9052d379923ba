import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError } from '../../errors/errors.js';
import { AutoAttendantOption } from '../../model/directory/auto-attendant-option.entity.js';
import { DeviceLine } from '../../model/directory/device-line.entity.js';
import { GroupMember } from '../../model/directory/group-member.entity.js';
import { HuntGroupMember } from '../../model/directory/hunt-group-member.entity.js';
import { PhoneNumber } from '../../model/directory/phone-number.entity.js';
import { PhoneMapMember } from '../../model/directory/phonemap-member.entity.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import type { Account } from '../../model/directory/account.entity.js';
import type { AccountImpactType } from './accounts.schemas.js';

export interface DetachReport {
  numbersUnassigned: number;
  deviceLinesUnassigned: number;
  huntGroupMembershipsRemoved: number;
  autoAttendantOptionsRemoved: number;
}

/**
 * The cleanup rules for an account that is disabled or removed: its numbers become unassigned,
 * the device lines bound to it become free, it leaves every hunt group and every auto attendant
 * option pointing at it goes. Changes go through the unit of work (so each is audited); the
 * caller flushes inside its transaction.
 */
export async function detachAccounts(em: EntityManager, tenant: Tenant, accounts: Account[]): Promise<DetachReport> {
  if (accounts.length === 0)
    return {
      numbersUnassigned: 0,
      deviceLinesUnassigned: 0,
      huntGroupMembershipsRemoved: 0,
      autoAttendantOptionsRemoved: 0,
    };
  // Sequential: inside a transaction every query shares one connection.
  const numbers = await em.find(PhoneNumber, { tenant, account: { $in: accounts } });
  const lines = await em.find(DeviceLine, { tenant, account: { $in: accounts } });
  const huntMembers = await em.find(HuntGroupMember, { tenant, account: { $in: accounts } });
  const options = await em.find(AutoAttendantOption, { tenant, targetAccount: { $in: accounts } });
  for (const number of numbers) {
    number.account = null;
    number.accountRole = null;
    number.status = 'unassigned';
  }
  for (const line of lines) line.account = null;
  for (const member of huntMembers) em.remove(member);
  for (const option of options) em.remove(option);
  return {
    numbersUnassigned: numbers.length,
    deviceLinesUnassigned: lines.length,
    huntGroupMembershipsRemoved: huntMembers.length,
    autoAttendantOptionsRemoved: options.length,
  };
}

/**
 * What removing (or disabling) the account would do, by name, before anything is written: the
 * numbers that become unassigned, the devices whose lines it leaves, the hunt groups it leaves,
 * the auto attendant options that forwarded to it. The same rules detachAccounts applies.
 */
export async function accountImpact(em: EntityManager, tenant: Tenant, account: Account): Promise<AccountImpactType> {
  const found = await em.find(PhoneNumber, { tenant, account }, { orderBy: { e164: 'asc' } });
  // The primary first, then the additional numbers.
  const numbers = [
    ...found.filter((n) => n.accountRole === 'primary'),
    ...found.filter((n) => n.accountRole !== 'primary'),
  ];
  const lines = await em.find(
    DeviceLine,
    { tenant, account },
    { populate: ['device'], orderBy: { device: { mac: 'asc' }, index: 'asc' } },
  );
  const huntMembers = await em.find(
    HuntGroupMember,
    { tenant, account },
    { populate: ['huntGroup'], orderBy: { huntGroup: { name: 'asc' } } },
  );
  const options = await em.find(
    AutoAttendantOption,
    { tenant, targetAccount: account },
    { populate: ['autoAttendant'], orderBy: { autoAttendant: { name: 'asc' }, digit: 'asc' } },
  );
  const devices = new Map<string, { id: string; mac: string; lines: number[] }>();
  for (const line of lines) {
    const entry = devices.get(line.device.id) ?? { id: line.device.id, mac: line.device.mac, lines: [] };
    entry.lines.push(line.index);
    devices.set(line.device.id, entry);
  }
  return {
    numbers: numbers.map((number) => ({ id: number.id, e164: number.e164, role: number.accountRole ?? 'additional' })),
    devices: [...devices.values()],
    huntGroups: huntMembers.map((member) => ({ id: member.huntGroup.id, name: member.huntGroup.name })),
    autoAttendantOptions: options.map((option) => ({
      autoAttendantId: option.autoAttendant.id,
      name: option.autoAttendant.name,
      digit: option.digit,
    })),
  };
}

/**
 * Deleting the active member of a PhoneMap group that keeps other members would leave it with no
 * active member (the database refuses that at commit). Say so clearly instead, before anything
 * is written: the admin activates another member first.
 */
async function assertNotActivePhoneMapTarget(
  em: EntityManager,
  tenant: Tenant,
  accounts: Account[],
): Promise<PhoneMapMember[]> {
  const memberships = await em.find(
    PhoneMapMember,
    { tenant, account: { $in: accounts } },
    { populate: ['phonemapGroup'] },
  );
  const leaving = new Set(accounts.map((account) => account.id));
  for (const membership of memberships.filter((m) => m.active)) {
    const remaining = await em.count(PhoneMapMember, {
      phonemapGroup: membership.phonemapGroup,
      account: { $nin: [...leaving] },
    });
    if (remaining > 0) {
      throw new ConflictError(
        'active_phonemap_member',
        `account ${membership.account.id} is the active member of PhoneMap group ${membership.phonemapGroup.token}: activate another member first`,
        { accountId: membership.account.id, phonemapGroup: membership.phonemapGroup.token },
      );
    }
  }
  return memberships;
}

/**
 * Removes accounts with everything that hangs on them, inside the caller's transaction:
 * the cleanup rules, then their extra group and PhoneMap memberships, then the accounts.
 */
export async function deleteAccounts(em: EntityManager, tenant: Tenant, accounts: Account[]): Promise<DetachReport> {
  if (accounts.length === 0) return detachAccounts(em, tenant, accounts);
  const phonemapMemberships = await assertNotActivePhoneMapTarget(em, tenant, accounts);
  const report = await detachAccounts(em, tenant, accounts);
  for (const membership of phonemapMemberships) em.remove(membership);
  for (const membership of await em.find(GroupMember, { tenant, account: { $in: accounts } })) em.remove(membership);
  // Unassign first, then delete: the number foreign keys are "no action" on purpose.
  await em.flush();
  for (const account of accounts) em.remove(account);
  await em.flush();
  return report;
}
