import { rmSync } from 'node:fs';
import { ensureChromium } from './chromium.js';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { openOrm, migrateUp } from '#src/db/orm.js';
import { freePort } from '../../scripts/stack/ports.js';
import { startLocalPostgres, type LocalPostgres } from '../../scripts/stack/postgres.js';
import { startLocalRedis, type LocalRedis } from '../../scripts/stack/redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDatabase: string;
    redisUrl: string;
    /** Why the browser tests cannot run (one line), or '' when Chromium is there. */
    chromiumProblem: string;
  }
}

const TEMPLATE = 'provd_template';

/**
 * Starts a throw-away Postgres and Redis for this run (own ports and data folder, so parallel
 * runs never collide), migrates a template database each test file clones, and tears down after.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runDir = resolve('.data', `test-${process.pid}`);
  let postgres: LocalPostgres | undefined;
  let redis: LocalRedis | undefined;
  const given = process.env.PROVD_TEST_DATABASE_URL;
  let adminUrl: string;
  if (given) {
    adminUrl = given;
  } else {
    postgres = await startLocalPostgres({
      dataDir: join(runDir, 'pg'),
      port: await freePort(),
      fast: true,
      maxConnections: 300,
    });
    adminUrl = postgres.url();
  }
  const redisUrl =
    process.env.PROVD_TEST_REDIS_URL ??
    (redis = await startLocalRedis({ dataDir: join(runDir, 'redis'), port: await freePort(), appendOnly: false })).url;

  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE} with (force)`);
  await admin.query(`create database ${TEMPLATE}`);
  await admin.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE}`;
  const orm = await openOrm({ databaseUrl: templateUrl.toString(), poolMax: 2 });
  await migrateUp(orm);
  await orm.close(true);

  project.provide('pgAdminUrl', adminUrl);
  project.provide('templateDatabase', TEMPLATE);
  project.provide('redisUrl', redisUrl);
  project.provide('chromiumProblem', ensureChromium());

  return async () => {
    await redis?.stop();
    await postgres?.stop();
    rmSync(runDir, { recursive: true, force: true });
  };
}
