import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '../contacts/sql-rows.js';
import { type CleanEntry, rowName } from '../render/phonebook/entry-view.js';
import { PhonebookSearchIndex, searchClean } from '../render/phonebook/search.js';
import { foldForSearch } from '../render/phonebook/xml-text.js';
import { loadSearchSource } from '../phone/server/phonebook-entries.js';
import type { PhoneServer } from '../phone/server/phone-server.js';
import { phonebooksSeenBy } from '../render/targets/device-phonebooks.js';
import type { DirectoryRow } from './app-pages.types.js';

export interface AppUser {
  id: string;
  displayName: string;
}

/**
 * The user of a phone: the account on line 1, directly or as the active member of the PhoneMap
 * group bound there. A disabled account is no user.
 */
export async function lineOneUser(em: EntityManager, deviceId: string): Promise<AppUser | undefined> {
  const [row] = await sqlRows<{ id: string; display_name: string }>(
    em,
    `select a.id::text as id, a.display_name
       from device_lines l
       join accounts a on a.id = coalesce(l.account_id,
         (select m.account_id from phonemap_members m where m.phonemap_group_id = l.phonemap_group_id and m.active limit 1))
      where l.device_id = ? and l.line_index = 1 and a.enabled`,
    [deviceId],
  );
  return row ? { id: row.id, displayName: row.display_name } : undefined;
}

/** The company phonebooks the user sees (the same rule as the books rendered into their phone). */
export async function userPhonebooks(
  em: EntityManager,
  tenant: { id: string; directoryToken: string },
  userId: string,
): Promise<{ id: string; name: string }[]> {
  const books = await phonebooksSeenBy(em, tenant, [userId]);
  return books.filter((book) => book.kind === 'phonebook').map(({ id, name }) => ({ id, name }));
}

/**
 * Search indexes of the books, from the phone server's index cache (the one server-side search
 * of the phonebook URLs uses, dropped when a book's files change). A book no phone has been
 * rendered for yet has no render target: its entries are read directly, uncached.
 */
export async function bookIndexes(
  server: PhoneServer,
  em: EntityManager,
  tenantId: string,
  bookIds: readonly string[],
): Promise<PhonebookSearchIndex[]> {
  if (bookIds.length === 0) return [];
  const targets = await sqlRows<{ id: string; ref_id: string }>(
    em,
    `select distinct on (ref_id) id::text as id, ref_id::text as ref_id from render_targets
      where tenant_id = ? and kind = 'phonebook' and ref_id = any(?::uuid[]) order by ref_id, id`,
    [tenantId, [...bookIds]],
  );
  return Promise.all(
    bookIds.map(async (bookId) => {
      const target = targets.find((row) => row.ref_id === bookId);
      const cached = target ? await server.search.get(target.id) : undefined;
      if (cached) return cached.index;
      const source = await loadSearchSource(em.getKnex(), { kind: 'phonebook', refId: bookId, tenantId });
      return new PhonebookSearchIndex(source?.entries ?? []);
    }),
  );
}

function sortKey(entry: CleanEntry): string {
  return `${foldForSearch(entry.lastName || entry.displayName)}\u0000${foldForSearch(entry.firstName)}\u0000${entry.id}`;
}

/** First letter a contact is browsed under: a-z, or `#` for anything else. */
export function browseLetter(entry: CleanEntry): string {
  const first = foldForSearch(entry.lastName || entry.displayName).charAt(0);
  return first >= 'a' && first <= 'z' ? first : '#';
}

/**
 * Matching contacts of every book, each once, in last-name order. One book keeps its own order
 * (already last name, first name); several are merged by the same key.
 */
export function matching(indexes: readonly PhonebookSearchIndex[], query: string, letter?: string): CleanEntry[] {
  const lists = indexes.map((index) => searchClean(index, query));
  let entries: CleanEntry[];
  if (lists.length === 1) entries = lists[0]!;
  else {
    const seen = new Set<string>();
    entries = [];
    for (const list of lists)
      for (const entry of list)
        if (!seen.has(entry.id)) {
          seen.add(entry.id);
          entries.push(entry);
        }
    const keys = new Map(entries.map((entry) => [entry, sortKey(entry)]));
    entries.sort((a, b) => (keys.get(a)! < keys.get(b)! ? -1 : keys.get(a)! > keys.get(b)! ? 1 : 0));
  }
  return letter === undefined ? entries : entries.filter((entry) => browseLetter(entry) === letter);
}

/** One row per number ("Ada Lovelace (Mobile)" when a contact has several). */
export function directoryRows(entries: readonly CleanEntry[]): DirectoryRow[] {
  return entries.flatMap((entry) =>
    entry.numbers.map((number) => ({ name: rowName(entry, number), number: number.number })),
  );
}
