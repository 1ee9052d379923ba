import type { EntityManager } from '@mikro-orm/postgresql';
import { listNumbers } from '../numbers/numbers.service.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import type { Account } from '../../model/directory/account.entity.js';
import { accountView, accountViews } from './account.view.js';
import { listAccounts } from './accounts.service.js';

/** Most unassigned numbers a pick list offers; the Phone Numbers screen has the whole inventory. */
export const PICK_LIMIT = 500;

/** Devices per account: distinct devices with a line bound to it, one query for a whole page. */
async function deviceCounts(em: EntityManager, accountIds: string[]): Promise<Map<string, number>> {
  if (accountIds.length === 0) return new Map();
  const rows = await em.execute<{ account_id: string; n: string }[]>(
    'select account_id, count(distinct device_id)::text as n from device_lines where account_id in (?) group by account_id',
    [accountIds],
  );
  return new Map(rows.map((row) => [row.account_id, Number(row.n)]));
}

/** One page of the Users list: the REST list service, plus group names and device counts for the page. */
export async function userListPage(
  em: EntityManager,
  tenant: Tenant,
  query: { q?: string; limit: number; offset: number },
) {
  const page = await listAccounts(em, tenant, query);
  await em.populate(page.items, ['homeGroup']);
  const views = await accountViews(em, page.items);
  const devices = await deviceCounts(
    em,
    page.items.map((account) => account.id),
  );
  return {
    total: page.total,
    rows: page.items.map((account, index) => ({
      id: account.id,
      extension: account.extension,
      displayName: account.displayName,
      group: account.homeGroup.name,
      primaryNumber: views[index]!.primaryNumber?.e164 ?? null,
      devices: devices.get(account.id) ?? 0,
    })),
  };
}

/** What a user's page shows: the account view, its group, devices, and the numbers it could take. */
export async function userPageData(em: EntityManager, tenant: Tenant, account: Account) {
  await em.populate(account, ['homeGroup']);
  const view = await accountView(em, account);
  const unassigned = await listNumbers(em, tenant, { status: 'unassigned', limit: PICK_LIMIT, offset: 0 });
  const devices = await deviceCounts(em, [account.id]);
  return {
    view,
    group: account.homeGroup.name,
    devices: devices.get(account.id) ?? 0,
    unassigned: unassigned.items.map((number) => ({ id: number.id, e164: number.e164 })),
    unassignedTotal: unassigned.total,
  };
}
