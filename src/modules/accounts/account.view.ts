import type { EntityManager } from '@mikro-orm/postgresql';
import { PhoneNumber } from '../../model/directory/phone-number.entity.js';
import type { Account } from '../../model/directory/account.entity.js';
import type { AccountViewType } from './accounts.schemas.js';

/** Account views with their numbers, loaded for a whole page in one query. */
export async function accountViews(em: EntityManager, accounts: Account[]): Promise<AccountViewType[]> {
  const numbers = accounts.length
    ? await em.find(PhoneNumber, { account: { $in: accounts } }, { orderBy: { e164: 'asc' } })
    : [];
  return accounts.map((account) => {
    const own = numbers.filter((number) => number.account?.id === account.id);
    const primary = own.find((number) => number.accountRole === 'primary');
    return {
      id: account.id,
      groupId: account.homeGroup.id,
      extension: account.extension,
      sipUsername: account.sipUsername,
      displayName: account.displayName,
      email: account.email ?? null,
      callerId: account.callerId ?? null,
      enabled: account.enabled,
      primaryNumber: primary ? { id: primary.id, e164: primary.e164 } : null,
      additionalNumbers: own
        .filter((number) => number.accountRole === 'additional')
        .map((number) => ({ id: number.id, e164: number.e164 })),
      createdAt: account.createdAt.toISOString(),
      updatedAt: account.updatedAt.toISOString(),
    };
  });
}

export async function accountView(em: EntityManager, account: Account): Promise<AccountViewType> {
  return (await accountViews(em, [account]))[0]!;
}
