import type { EntityManager } from '@mikro-orm/postgresql';

type Reads<T extends readonly unknown[]> = { readonly [K in keyof T]: () => Promise<T[K]> };

/**
 * Independent reads of one request: at once on the pool, one after another inside a transaction.
 * A transaction owns one connection, and pg (8.x deprecation, an error in pg 9) refuses a second
 * query sent to a client that is still busy, which is what Promise.all of two reads would do.
 */
export async function readTogether<T extends readonly unknown[]>(em: EntityManager, reads: Reads<T>): Promise<T> {
  if (!em.isInTransaction()) return (await Promise.all(reads.map((read) => read()))) as unknown as T;
  const results: unknown[] = [];
  for (const read of reads) results.push(await read());
  return results as unknown as T;
}
