import type { Knex } from '@mikro-orm/postgresql';
import type { FanoutResolver, FanoutResult, OutboxRow } from './fanout.types.js';

/**
 * Table → resolver. Features register the resolvers for their own tables; a captured table
 * without a resolver is a programming error and fails the relay batch loudly (the rows stay).
 */
export class FanoutRegistry {
  private readonly resolvers = new Map<string, FanoutResolver>();

  register(table: string, resolver: FanoutResolver): this {
    if (this.resolvers.has(table)) throw new Error(`fan-out resolver for ${table} registered twice`);
    this.resolvers.set(table, resolver);
    return this;
  }

  tables(): string[] {
    return [...this.resolvers.keys()].sort();
  }

  async resolve(trx: Knex.Transaction, rows: OutboxRow[]): Promise<FanoutResult> {
    const byTable = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const list = byTable.get(row.table_name) ?? [];
      list.push(row);
      byTable.set(row.table_name, list);
    }
    const result: FanoutResult = { bump: [], remove: [] };
    for (const [table, tableRows] of byTable) {
      const resolver = this.resolvers.get(table);
      if (!resolver) throw new Error(`no fan-out resolver for captured table ${table}`);
      const partial = await resolver(trx, tableRows);
      result.bump.push(...partial.bump);
      result.remove.push(...partial.remove);
    }
    const removed = new Set(result.remove);
    result.bump = result.bump.filter((spec) => !removed.has(spec.targetKey));
    return result;
  }
}
