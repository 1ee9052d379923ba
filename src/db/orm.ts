import { MikroORM, PostgreSqlDriver, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Logger } from 'pino';
import { AuditSubscriber } from '../modules/audit/audit.subscriber.js';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';

export interface OrmSettings {
  databaseUrl: string;
  poolMax: number;
}

export function ormOptions(settings: OrmSettings, logger?: Logger): Options {
  return {
    driver: PostgreSqlDriver,
    clientUrl: settings.databaseUrl,
    entities: ENTITIES,
    discovery: { warnWhenNoEntities: true, requireEntitiesArray: true },
    extensions: [Migrator],
    // Every unit-of-work change writes its audit entry in the same flush (same transaction).
    subscribers: [new AuditSubscriber()],
    migrations: {
      migrationsList: MIGRATIONS,
      path: 'src/db/migrations',
      pathTs: 'src/db/migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      fileName: (timestamp: string, name?: string) => `Migration${timestamp}${name ? '_' + name : ''}`,
    },
    pool: { min: 0, max: settings.poolMax, acquireTimeoutMillis: 5000 },
    // compileSqlOnError off: knex would otherwise put bound values (SIP passwords, artifact bodies) into error messages.
    driverOptions: { connection: { connectionTimeoutMillis: 3000 }, compileSqlOnError: false },
    // Schema changes only through committed migrations, never synced at runtime.
    ensureDatabase: false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    debug: false,
    logger: logger ? (message: string) => logger.debug({ orm: message }) : undefined,
  };
}

export async function openOrm(settings: OrmSettings, logger?: Logger): Promise<MikroORM> {
  return MikroORM.init(ormOptions(settings, logger));
}

/** Key of the session advisory lock the migration runner holds (any constant shared by every deploy). */
export const MIGRATION_LOCK_KEY = 7_423_011;

/**
 * Applies pending migrations under a Postgres advisory lock, so replicas that start together
 * (several api containers, a migrate job beside them) run them one after another: the first
 * applies, the others wait, then find nothing pending. The lock is held on one dedicated pool
 * connection (a session lock), which the migrator's own connections do not share; the pool
 * needs at least two connections.
 */
export async function migrateUp(orm: MikroORM): Promise<string[]> {
  const knex = orm.em.getKnex();
  const connection = (await knex.client.acquireConnection()) as {
    query: (sql: string, values?: unknown[]) => Promise<unknown>;
  };
  try {
    await connection.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await orm.getMigrator().up();
      return applied.map((migration) => migration.name);
    } finally {
      await connection.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await knex.client.releaseConnection(connection);
  }
}
