import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, configFromProcessEnv, publicPhoneUrl, type Config } from '../src/config/config.js';
import { ENV_KEYS } from '../src/config/config.schema.js';
import { generateToken } from '../src/modules/auth/token.js';
import { DEMO_ADMIN_EMAIL } from '../src/modules/tenants/demo-seed.js';
import { ensureDatabase, startLocalPostgres, type LocalPostgres } from './stack/postgres.js';
import { startLocalRedis, type LocalRedis } from './stack/redis.js';
import { seedDemoContent } from './stack/demo-content.js';
import { assertPortFree } from './stack/ports.js';
import { stopChild, waitFor } from './stack/processes.js';

/**
 * `npm start`: the configured Postgres and Redis, or local ones started here; then migrate, seed
 * the demo tenant, run the API and worker processes, and stop everything on Ctrl-C.
 */
const started: { stop: () => Promise<void> }[] = [];
const children: ChildProcess[] = [];
let stopping: Promise<never> | undefined;

/**
 * Idempotent: Ctrl-C in a terminal signals the whole process group, so tsx relays a second SIGINT
 * to this process while the first stop is still running. Every later call waits for the same stop
 * instead of exiting early and leaving the local Postgres and Redis running.
 */
function stopAll(code: number): Promise<never> {
  stopping ??= (async () => {
    await Promise.all(children.map((child) => stopChild(child, 'SIGTERM', 30000)));
    for (const service of started.reverse()) await service.stop().catch(() => undefined);
    process.exit(code);
  })();
  return stopping;
}

function persistedToken(dir: string, file: string, generate: () => string = generateToken): string {
  const path = join(dir, file);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const token = generate();
  writeFileSync(path, token + '\n', { mode: 0o600 });
  return token;
}

function runEntry(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const tsx = resolve('node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [script], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  child.once('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[start] ${script} exited (${signal ?? code}); stopping everything`);
      void stopAll(1);
    }
  });
  return child;
}

async function main(config: Config): Promise<void> {
  // Checked before anything starts: with a port taken, the API would reach (and announce) the
  // instance already listening there instead of the one started here.
  await assertPortFree(config.adminPort, 'the admin API', ENV_KEYS.adminPort, config.host);
  await assertPortFree(config.phonePort, 'the phone server', ENV_KEYS.phonePort, config.host);
  if (config.phoneTlsCert && config.phoneTlsKey)
    await assertPortFree(config.phoneTlsPort, 'the phone server (TLS)', ENV_KEYS.phoneTlsPort, config.host);
  const devDir = resolve(config.dataDir, 'dev');
  mkdirSync(devDir, { recursive: true, mode: 0o755 });
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const postgres: LocalPostgres = await startLocalPostgres({
      dataDir: join(devDir, 'pg'),
      port: config.embeddedPgPort,
    });
    started.push(postgres);
    if (await ensureDatabase(postgres.url(), 'provd'))
      console.log('[start] created database "provd" in the local Postgres');
    databaseUrl = postgres.url('provd');
    console.log(`[start] local Postgres on 127.0.0.1:${config.embeddedPgPort} (data in ${join(devDir, 'pg')})`);
  }
  let redisUrl = config.redisUrl;
  if (!redisUrl) {
    const redis: LocalRedis = await startLocalRedis({ dataDir: join(devDir, 'redis'), port: config.embeddedRedisPort });
    started.push(redis);
    redisUrl = redis.url;
    console.log(`[start] local Redis on 127.0.0.1:${config.embeddedRedisPort} (AOF, noeviction)`);
  }
  const demoAdminToken = config.demoAdminToken ?? persistedToken(devDir, 'demo-admin-token');
  const platformToken = config.platformToken ?? persistedToken(devDir, 'platform-token');
  // Kept across restarts so nonces a phone holds stay valid; every api process must share it.
  const digestNonceKey =
    config.digestNonceKey ?? persistedToken(devDir, 'digest-nonce-key', () => randomBytes(32).toString('base64url'));
  const demoAdminPassword =
    config.demoAdminPassword ??
    persistedToken(devDir, 'demo-admin-password', () => randomBytes(12).toString('base64url'));
  // The console's cookie key: kept, so sessions survive a restart; every api process must share it.
  const sessionKey =
    config.sessionKey ?? persistedToken(devDir, 'session-key', () => randomBytes(32).toString('base64url'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    [ENV_KEYS.databaseUrl]: databaseUrl,
    [ENV_KEYS.redisUrl]: redisUrl,
    [ENV_KEYS.demoAdminToken]: demoAdminToken,
    [ENV_KEYS.platformToken]: platformToken,
    [ENV_KEYS.digestNonceKey]: digestNonceKey,
    [ENV_KEYS.demoAdminPassword]: demoAdminPassword,
    [ENV_KEYS.sessionKey]: sessionKey,
  };
  const migrate = spawn(resolve('node_modules', '.bin', 'tsx'), ['src/db/migrate.ts'], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const migrateCode = await new Promise<number | null>((done) => migrate.once('exit', done));
  if (migrateCode !== 0) throw new Error('migration failed (see above)');

  children.push(runEntry('src/main.ts', env), runEntry('workers/main.ts', env));
  const adminUrl = `http://${config.host}:${config.adminPort}`;
  await waitFor(async () => (await fetch(`${adminUrl}/readyz`)).ok, 60000, 'the API');
  if (await seedDemoContent(adminUrl, demoAdminToken))
    console.log(
      '[start] filled the demo tenant: groups, accounts, numbers, PhoneMap and hunt groups, an auto attendant, contacts, one phone per vendor family',
    );
  console.log('');
  console.log(`  console       ${adminUrl}/console`);
  console.log(
    `  sign in as    ${DEMO_ADMIN_EMAIL}   password ${demoAdminPassword}   (owner of tenant "demo"; kept in ${join(devDir, 'demo-admin-password')})`,
  );
  console.log(`  admin API     ${adminUrl}/api/v1   (OpenAPI docs: ${adminUrl}/docs)`);
  console.log(`  phone base    ${publicPhoneUrl(config)}/`);
  console.log(`  demo tenant   demo`);
  console.log(`  demo token    ${demoAdminToken}   (owner of tenant "demo")`);
  console.log(`  platform      ${platformToken}   (manages tenants)`);
  console.log('  Ctrl-C stops everything started here.');
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
try {
  await main(configFromProcessEnv());
} catch (error) {
  console.error(
    error instanceof ConfigError ? `[start] ${error.message}` : `[start] failed: ${(error as Error).message}`,
  );
  await stopAll(1);
}
