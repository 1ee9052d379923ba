import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { TargetBatchRenderer, TargetRender } from '../../pipeline/renderer.registry.js';
import type { RenderTarget, TargetKind } from '../../pipeline/render-target.entity.js';
import type { PhonebookEntry, PhonebookFormat } from '../phonebook/index.js';
import { INTERNAL_DIRECTORY_TITLE } from './device-phonebooks.js';
import { directoryEntries } from './directory-entries.js';
import type { TargetRendererOptions } from './target-renderer.options.js';
import { ENTRY_BATCH_SIZE, phonebookEntries } from './phonebook-entries.js';
import { formatOf, renderVariant } from './phonebook-target.renderer.js';

const NOTHING: TargetRender = { files: [], warnings: [] };

interface BookSnapshot {
  title: string;
  token: string;
  /** Every entry once, in the renderers' order. */
  entries: PhonebookEntry[];
}

/** Reads one book (title, token and all its entries) inside the snapshot; undefined when it is gone. */
type BookLoader = (trx: Knex, tenantId: string, refId: string) => Promise<BookSnapshot | undefined>;

async function collect(source: AsyncIterable<PhonebookEntry>): Promise<PhonebookEntry[]> {
  const entries: PhonebookEntry[] = [];
  for await (const entry of source) entries.push(entry);
  return entries;
}

const loadPhonebook: BookLoader = async (trx, tenantId, phonebookId) => {
  const rows = (
    await trx.raw(`select name, token from phonebooks where id = ? and tenant_id = ?`, [phonebookId, tenantId])
  ).rows as { name: string; token: string }[];
  const book = rows[0];
  if (!book) return undefined;
  return { title: book.name, token: book.token, entries: await collect(phonebookEntries(trx, tenantId, phonebookId)) };
};

const loadDirectory: BookLoader = async (trx, tenantId, refId) => {
  // refId is the tenant the directory belongs to; a target naming another tenant renders nothing.
  if (refId !== tenantId) return undefined;
  const rows = (await trx.raw(`select directory_token from tenants where id = ?`, [tenantId])).rows as {
    directory_token: string;
  }[];
  const tenant = rows[0];
  if (!tenant) return undefined;
  return {
    title: INTERNAL_DIRECTORY_TITLE,
    token: tenant.directory_token,
    entries: await collect(directoryEntries(trx, tenantId)),
  };
};

/**
 * The held entries handed to one format's renderer. A 50,000-entry book takes about a second of
 * CPU per format, so the render gives the event loop a turn every batch (job lock renewals,
 * other jobs' I/O), as the streamed single-target render does while it waits for the next page.
 */
async function* replay(entries: readonly PhonebookEntry[]): AsyncGenerator<PhonebookEntry> {
  for (let i = 0; i < entries.length; i++) {
    if (i > 0 && i % ENTRY_BATCH_SIZE === 0) await nextTurn();
    yield entries[i]!;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Renders every requested format of each book from one read. Targets are grouped by (tenant,
 * refId); each group's entries are read once, in one read-only REPEATABLE READ transaction (so
 * every format shows the same moment), held once as plain entries, and every format is rendered
 * from that list after the transaction has ended. A format that fails (an unknown format id, a
 * renderer error) fails only its own target; a failed read fails the targets of that book only.
 */
function batchRenderer(kind: TargetKind, load: BookLoader, options: TargetRendererOptions): TargetBatchRenderer {
  return async (em, targets) => {
    const results = new Map<string, TargetRender | Error>();
    const groups = new Map<
      string,
      { tenantId: string; refId: string; targets: { target: RenderTarget; format: PhonebookFormat }[] }
    >();
    for (const target of targets) {
      if (target.kind !== kind) {
        results.set(
          target.id,
          new Error(`target ${target.targetKey}: a ${kind} renderer cannot render kind ${target.kind}`),
        );
        continue;
      }
      let format: PhonebookFormat;
      try {
        format = formatOf(target);
      } catch (error) {
        results.set(target.id, asError(error));
        continue;
      }
      const key = `${target.tenantId}:${target.refId}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { tenantId: target.tenantId, refId: target.refId, targets: [] }));
      group.targets.push({ target, format });
    }

    const knex = (em as EntityManager).getKnex();
    for (const group of groups.values()) {
      let book: BookSnapshot | undefined;
      try {
        book = await knex.transaction((trx) => load(trx, group.tenantId, group.refId), {
          isolationLevel: 'repeatable read',
          readOnly: true,
        });
      } catch (error) {
        for (const { target } of group.targets) results.set(target.id, asError(error));
        continue;
      }
      for (const { target, format } of group.targets) {
        if (!book) {
          results.set(target.id, NOTHING);
          continue;
        }
        try {
          results.set(target.id, await renderVariant(options, format, book, replay(book.entries)));
        } catch (error) {
          results.set(target.id, asError(error));
        }
      }
    }
    return results;
  };
}

/** Kind `phonebook`: every requested format of each phonebook from one read of its contacts. */
export function phonebookBatchRenderer(options: TargetRendererOptions): TargetBatchRenderer {
  return batchRenderer('phonebook', loadPhonebook, options);
}

/** Kind `directory`: every requested format of each tenant's internal directory from one read. */
export function directoryBatchRenderer(options: TargetRendererOptions): TargetBatchRenderer {
  return batchRenderer('directory', loadDirectory, options);
}
