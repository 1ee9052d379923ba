import type { EntityManager } from '@mikro-orm/postgresql';
import { directoryTarget, phonebookTarget } from '../../pipeline/fanout.types.js';
import { sqlRows } from '../../contacts/sql-rows.js';
import type { PhonebookRef, VendorFamily } from '../device/index.js';
import type { PhonebookFormat } from '../phonebook/index.js';
import { VENDOR_REGISTRY } from '../../vendors/registry.js';
import { phonebookUrl } from './phonebook-urls.js';

/** Title of the tenant's automatic internal directory, in its files and on the phones' menus. */
export const INTERNAL_DIRECTORY_TITLE = 'Internal directory';

export interface VisiblePhonebook {
  kind: 'directory' | 'phonebook';
  /** Phonebook id; the tenant id for the internal directory. */
  id: string;
  name: string;
  token: string;
}

/**
 * What a device sees, in the order its phonebook slots are filled: the internal directory first
 * (vendors with one remote-phonebook slot get the colleagues' extensions), then the tenant's
 * default phonebook, then the others by name. A phonebook is visible when its visibility is
 * `all`, or when one of its groups is a group of an account on the device: the account's home
 * group or a group it is an extra member of.
 */
export async function phonebooksSeenBy(
  em: EntityManager,
  tenant: { id: string; directoryToken: string },
  accountIds: readonly string[],
): Promise<VisiblePhonebook[]> {
  const rows = await sqlRows<{ id: string; name: string; token: string }>(
    em,
    `select p.id, p.name, p.token
       from phonebooks p
      where p.tenant_id = ?
        and (p.visibility = 'all'
             or exists (select 1 from phonebook_groups pg
                         where pg.phonebook_id = p.id
                           and pg.group_id in (select a.home_group_id from accounts a where a.id = any(?::uuid[]) and a.tenant_id = p.tenant_id
                                               union
                                               select gm.group_id from group_members gm where gm.account_id = any(?::uuid[]) and gm.tenant_id = p.tenant_id)))
      order by p.is_default desc, p.name, p.id`,
    [tenant.id, [...accountIds], [...accountIds]],
  );
  return [
    { kind: 'directory', id: tenant.id, name: INTERNAL_DIRECTORY_TITLE, token: tenant.directoryToken },
    ...rows.map((row) => ({ kind: 'phonebook' as const, id: row.id, name: row.name, token: row.token })),
  ];
}

/** The phonebook format a family's phones read (its definition's `phonebookFormat`). */
export function phonebookFormatOf(vendor: VendorFamily): PhonebookFormat {
  return VENDOR_REGISTRY[vendor].phonebookFormat;
}

/** Remote phonebook entries for the device file, in the vendor's format. */
export function phonebookRefs(
  publicPhoneUrl: string,
  vendor: VendorFamily,
  books: readonly VisiblePhonebook[],
): PhonebookRef[] {
  const format = phonebookFormatOf(vendor);
  return books.map((book) => ({ name: book.name, url: phonebookUrl(publicPhoneUrl, book.token, format) }));
}

/** The render target key of a visible phonebook in one format. */
export function visiblePhonebookTargetKey(tenantId: string, book: VisiblePhonebook, format: PhonebookFormat): string {
  return (book.kind === 'directory' ? directoryTarget(tenantId, format) : phonebookTarget(tenantId, book.id, format))
    .targetKey;
}
