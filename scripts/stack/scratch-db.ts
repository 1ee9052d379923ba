import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { startLocalPostgres, type LocalPostgres } from './postgres.js';
import { freePort } from './ports.js';

/** A throw-away Postgres (or a scratch database on PROVD_DATABASE_URL's server) for tooling. */
export async function withScratchDatabase<T>(run: (url: string) => Promise<T>): Promise<T> {
  const given = process.env.PROVD_DATABASE_URL ?? process.env.DATABASE_URL;
  let server: LocalPostgres | undefined;
  let adminUrl: string;
  if (given) {
    adminUrl = given;
  } else {
    server = await startLocalPostgres({
      dataDir: join('.data', `scratch-${process.pid}`, 'pg'),
      port: await freePort(),
      fast: true,
    });
    adminUrl = server.url();
  }
  const name = `scratch_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await run(url.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
    await admin.end();
    await server?.stop();
  }
}
