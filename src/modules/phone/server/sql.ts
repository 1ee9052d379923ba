import type { Knex, MikroORM } from '@mikro-orm/postgresql';

/**
 * Plain SQL for the phone server: no entity manager, no identity map, no unit of work on the
 * request path. Parameters are bound (`?`), an array binds as one Postgres array.
 */
export type Sql = <T>(text: string, params?: readonly unknown[]) => Promise<T[]>;

export function sqlFromKnex(knex: Knex): Sql {
  return async <T>(text: string, params: readonly unknown[] = []) =>
    ((await knex.raw(text, params as unknown[])) as { rows: T[] }).rows;
}

export function sqlFromOrm(orm: MikroORM): Sql {
  return sqlFromKnex(orm.em.getKnex());
}

/** Runs `work` in one transaction, with an Sql bound to it. */
export async function inTransaction<T>(orm: MikroORM, work: (sql: Sql) => Promise<T>): Promise<T> {
  return orm.em.getKnex().transaction((trx) => work(sqlFromKnex(trx as unknown as Knex)));
}
