import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { migrateUp, openOrm } from '#src/db/orm.js';
import { MIGRATIONS } from '#src/db/migrations/index.js';

/** An empty database (not the migrated template), so the migrations are proven from scratch. */
async function createEmptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = inject('pgAdminUrl');
  const name = `m_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

async function pendingSchemaDiff(orm: MikroORM): Promise<string> {
  return (await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false })).trim();
}

describe('migrations', () => {
  let database: { url: string; drop: () => Promise<void> };
  let orm: MikroORM;
  let applied: string[];

  beforeAll(async () => {
    database = await createEmptyDatabase();
    orm = await openOrm({ databaseUrl: database.url, poolMax: 2 });
    applied = await migrateUp(orm);
  });

  afterAll(async () => {
    await orm?.close(true);
    await database?.drop();
  });

  it('apply every committed migration, in order, to an empty database', () => {
    expect(applied).toEqual(MIGRATIONS.map((migration) => migration.name));
  });

  it('leave no difference between the entities and the database (schema is up to date)', async () => {
    // Fails when an entity changes without a migration: run `npm run migration:create -- <name>`.
    expect(await pendingSchemaDiff(orm)).toBe('');
  });

  it('detect drift, so the check above can fail', async () => {
    const connection = orm.em.getConnection();
    await connection.execute('alter table "accounts" drop column "caller_id"');
    await connection.execute('drop index "phone_numbers_one_primary_per_account"');
    await connection.execute('alter table "devices" drop constraint "devices_mac_canonical"');
    try {
      const diff = await pendingSchemaDiff(orm);
      expect(diff).toContain('caller_id');
      expect(diff).toContain('phone_numbers_one_primary_per_account');
      expect(diff).toContain('devices_mac_canonical');
    } finally {
      await connection.execute('alter table "accounts" add column "caller_id" varchar(40) null');
      await connection.execute(
        `create unique index "phone_numbers_one_primary_per_account" on "phone_numbers" ("account_id") where account_role = 'primary'`,
      );
      await connection.execute(
        `alter table "devices" add constraint devices_mac_canonical check (mac ~ '^[0-9a-f]{12}$')`,
      );
    }
    expect(await pendingSchemaDiff(orm)).toBe('');
  });

  it('roll back to empty and apply again', async () => {
    const migrator = orm.getMigrator();
    await migrator.down({ to: 0 });
    expect(await migrator.getExecutedMigrations()).toHaveLength(0);
    const tables = await orm.em
      .getConnection()
      .execute<{ count: string }[]>(
        `select count(*)::text as count from information_schema.tables where table_schema = 'public' and table_name <> 'mikro_orm_migrations'`,
      );
    expect(tables[0]!.count).toBe('0');
    await migrateUp(orm);
    expect(await pendingSchemaDiff(orm)).toBe('');
  });
});

describe('migrations started by several replicas at once', () => {
  it('run one after another under the advisory lock: every replica succeeds and each migration is applied once', async () => {
    const database = await createEmptyDatabase();
    const orms = await Promise.all([0, 1, 2].map(() => openOrm({ databaseUrl: database.url, poolMax: 2 })));
    try {
      const results = await Promise.allSettled(orms.map((orm) => migrateUp(orm)));
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      const applied = results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
      expect(applied.sort()).toEqual(MIGRATIONS.map((migration) => migration.name).sort());
      const rows = await orms[0]!.em
        .getConnection()
        .execute<{ n: number }[]>('select count(*)::int as n from mikro_orm_migrations');
      expect(rows[0]!.n).toBe(MIGRATIONS.length);
    } finally {
      await Promise.all(orms.map((orm) => orm.close(true)));
      await database.drop();
    }
  });
});
