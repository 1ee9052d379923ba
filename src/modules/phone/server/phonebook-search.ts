import type { Knex } from '@mikro-orm/postgresql';
import { PhonebookSearchIndex } from '../../render/phonebook/browse.js';
import { Lru } from './lru.js';
import { loadSearchSource } from './phonebook-entries.js';
import { sqlFromKnex, type Sql } from './sql.js';

export interface SearchBook {
  title: string;
  index: PhonebookSearchIndex;
}

/**
 * Search indexes of phonebook targets, built from SQL on first use and dropped when the target's
 * artifacts change (the same hints and reconciliation that drop cached files). Bounded by the
 * number of entries held.
 */
export class PhonebookSearch {
  private readonly lru: Lru<string, SearchBook>;
  private readonly loading = new Map<string, Promise<SearchBook | undefined>>();
  private readonly trackers = new Set<{ targetId: string; dropped: boolean }>();
  private readonly sql: Sql;

  constructor(
    private readonly knex: Knex,
    maxEntries = 500_000,
  ) {
    this.sql = sqlFromKnex(knex);
    this.lru = new Lru(maxEntries);
  }

  get(targetId: string): Promise<SearchBook | undefined> {
    const hit = this.lru.get(targetId);
    if (hit) return Promise.resolve(hit);
    let pending = this.loading.get(targetId);
    if (!pending) {
      pending = this.load(targetId).finally(() => this.loading.delete(targetId));
      this.loading.set(targetId, pending);
    }
    return pending;
  }

  dropTargets(targetIds: Iterable<string>): void {
    for (const id of targetIds) {
      this.lru.delete(id);
      for (const tracker of this.trackers) if (tracker.targetId === id) tracker.dropped = true;
    }
  }

  private async load(targetId: string): Promise<SearchBook | undefined> {
    const tracker = { targetId, dropped: false };
    this.trackers.add(tracker);
    try {
      const [target] = await this.sql<{ kind: string; ref_id: string; tenant_id: string }>(
        `select kind, ref_id::text as ref_id, tenant_id::text as tenant_id from render_targets where id = ?`,
        [targetId],
      );
      if (!target) return undefined;
      const source = await loadSearchSource(this.knex, {
        kind: target.kind,
        refId: target.ref_id,
        tenantId: target.tenant_id,
      });
      if (!source) return undefined;
      const book: SearchBook = { title: source.title, index: new PhonebookSearchIndex(source.entries) };
      if (!tracker.dropped) this.lru.set(targetId, book, Math.max(1, source.entries.length));
      return book;
    } finally {
      this.trackers.delete(tracker);
    }
  }
}
