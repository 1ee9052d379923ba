import type { Knex } from '@mikro-orm/postgresql';
import type { PhonebookEntry } from '../../render/phonebook/index.js';
import { INTERNAL_DIRECTORY_TITLE } from '../../render/targets/device-phonebooks.js';
import { directoryEntries } from '../../render/targets/directory-entries.js';
import { phonebookEntries } from '../../render/targets/phonebook-entries.js';

/**
 * Entries of a phonebook render target for server-side search, read with the same loaders (same
 * rows, same order) the render worker uses for the files, so search answers match the files.
 */

export interface SearchSource {
  title: string;
  entries: PhonebookEntry[];
}

async function collect(entries: AsyncIterable<PhonebookEntry>): Promise<PhonebookEntry[]> {
  const result: PhonebookEntry[] = [];
  for await (const entry of entries) result.push(entry);
  return result;
}

export async function loadSearchSource(
  knex: Knex,
  target: { kind: string; refId: string; tenantId: string },
): Promise<SearchSource | undefined> {
  if (target.kind === 'phonebook') {
    const book = (
      await knex.raw(`select name from phonebooks where id = ? and tenant_id = ?`, [target.refId, target.tenantId])
    ).rows[0] as { name: string } | undefined;
    if (!book) return undefined;
    return { title: book.name, entries: await collect(phonebookEntries(knex, target.tenantId, target.refId)) };
  }
  if (target.kind === 'directory') {
    return { title: INTERNAL_DIRECTORY_TITLE, entries: await collect(directoryEntries(knex, target.refId)) };
  }
  return undefined;
}
