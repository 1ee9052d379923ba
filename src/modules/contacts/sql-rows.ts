import type { EntityManager, Knex } from '@mikro-orm/postgresql';

/**
 * Runs SQL through knex with real bind parameters (an array binds as one Postgres array, so
 * `= any(?::uuid[])` works), inside the manager's transaction when there is one. MikroORM's own
 * execute() inlines parameters and would expand an array into a list.
 */
export async function sqlRows<T>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  const knex = (em.getTransactionContext<Knex.Transaction>() ?? em.getKnex()) as Knex;
  const result = (await knex.raw(sql, params as unknown[])) as { rows: T[] };
  return result.rows;
}
