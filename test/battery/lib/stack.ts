import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { freePort } from '../../../scripts/stack/ports.js';
import { ensureDatabase, startLocalPostgres, type LocalPostgres } from '../../../scripts/stack/postgres.js';
import { stopChild, waitFor } from '../../../scripts/stack/processes.js';
import { startLocalRedis, type LocalRedis } from '../../../scripts/stack/redis.js';
import { generateToken } from '#src/modules/auth/token.js';
import { ServiceProcess, type ServiceExit } from './service.js';

/** Entry points the battery runs, each as its own OS process. */
export const SERVICES = {
  api: 'src/main.ts',
  'render-1': 'workers/render.ts',
  'render-2': 'workers/render.ts',
  relay: 'workers/relay.ts',
  notify: 'workers/notify.ts',
} as const;
export type ServiceName = keyof typeof SERVICES;
export const RENDER_WORKERS: ServiceName[] = ['render-1', 'render-2'];

export interface BatteryStack {
  dir: string;
  logDir: string;
  env: Record<string, string>;
  databaseUrl: string;
  redisUrl: string;
  adminUrl: string;
  phoneUrl: string;
  phonePort: number;
  publicPhoneUrl: string;
  queuePrefix: string;
  platformToken: string;
  services: Record<ServiceName, ServiceProcess>;
  /** Every exit of a service process; those the battery did not ask for are failures. */
  exits: ServiceExit[];
  redis: { kill9(): Promise<void>; start(): Promise<void>; readonly running: boolean };
  postgres: { stop(): Promise<void>; start(): Promise<void> };
  startService(name: ServiceName): Promise<void>;
  waitReady(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Folder under .data (wiped at start). */
  name: string;
  /** Extra PROVD_ settings for every service process. */
  env?: Record<string, string>;
}

/** `workers started` is logged once a worker's BullMQ workers (and the relay) run. */
const READY_MARKER: Record<ServiceName, string> = {
  api: '"msg":"Server listening',
  'render-1': '"msg":"workers started"',
  'render-2': '"msg":"workers started"',
  relay: '"msg":"workers started"',
  notify: '"msg":"workers started"',
};

/**
 * Postgres (durable settings: a restart must keep what was committed) and Redis (AOF, as in
 * production) of the battery's own under `.data/battery-<name>/`, on free ports, then the
 * migrations and the service processes.
 */
export async function startStack(options: StackOptions): Promise<BatteryStack> {
  const dir = resolve('.data', `battery-${options.name}`);
  rmSync(dir, { recursive: true, force: true });
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true, mode: 0o755 });
  const pgPort = await freePort();
  const redisPort = await freePort();
  const pgDir = join(dir, 'pg');
  const redisDir = join(dir, 'redis');
  let postgres: LocalPostgres | undefined = await startLocalPostgres({
    dataDir: pgDir,
    port: pgPort,
    maxConnections: 300,
  });
  let redis: LocalRedis | undefined;
  try {
    redis = await startLocalRedis({ dataDir: redisDir, port: redisPort });
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  await ensureDatabase(postgres.url(), 'provd');
  const databaseUrl = postgres.url('provd');
  const [adminPort, phonePort] = [await freePort(), await freePort()];
  const platformToken = generateToken();
  const publicPhoneUrl = `http://127.0.0.1:${phonePort}`;
  const env: Record<string, string> = {
    PROVD_DATABASE_URL: databaseUrl,
    PROVD_REDIS_URL: redis.url,
    // The phone server listens on loopback: clients bind other 127.x.y.z addresses as their source.
    PROVD_HOST: '127.0.0.1',
    PROVD_ADMIN_PORT: String(adminPort),
    PROVD_PHONE_PORT: String(phonePort),
    PROVD_PUBLIC_PHONE_URL: publicPhoneUrl,
    PROVD_QUEUE_PREFIX: `bat${randomBytes(3).toString('hex')}`,
    PROVD_PLATFORM_TOKEN: platformToken,
    PROVD_DIGEST_NONCE_KEY: randomBytes(32).toString('base64url'),
    PROVD_LOG_LEVEL: 'info',
    PROVD_DATA_DIR: dir,
    // Only the battery's own legitimate client address; attack sources are 127.x.y.z others.
    PROVD_PHONE_BAN_WHITELIST: '127.0.0.1/32',
    // Every contact import goes through the job queue (the path a killed worker interrupts).
    PROVD_IMPORT_INLINE_BYTES: '16384',
    ...options.env,
  };
  const exits: ServiceExit[] = [];
  // Each worker process its own status port (several share this host; the default 9464 would clash).
  const statusPorts: Record<string, string> = {};
  for (const name of Object.keys(SERVICES)) statusPorts[name] = String(await freePort());
  const services = Object.fromEntries(
    (Object.keys(SERVICES) as ServiceName[]).map((name) => [
      name,
      new ServiceProcess(
        name,
        SERVICES[name],
        () => ({ ...env, PROVD_WORKER_METRICS_PORT: statusPorts[name]! }),
        logDir,
        (exit) => exits.push(exit),
      ),
    ]),
  ) as Record<ServiceName, ServiceProcess>;

  const migrate = spawnSync(process.execPath, ['--import', 'tsx', 'src/db/migrate.ts'], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`migrations failed: ${migrate.stderr.slice(-2000)}`);

  const stack: BatteryStack = {
    dir,
    logDir,
    env,
    databaseUrl,
    redisUrl: redis.url,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    phoneUrl: `http://127.0.0.1:${phonePort}`,
    phonePort,
    publicPhoneUrl,
    queuePrefix: env.PROVD_QUEUE_PREFIX!,
    platformToken,
    services,
    exits,
    redis: {
      get running() {
        return !!redis && redis.child.exitCode === null && redis.child.signalCode === null;
      },
      async kill9() {
        if (!redis) return;
        await stopChild(redis.child, 'SIGKILL');
        redis = undefined;
      },
      async start() {
        redis = await startLocalRedis({ dataDir: redisDir, port: redisPort });
      },
    },
    postgres: {
      async stop() {
        await postgres?.stop();
        postgres = undefined;
      },
      async start() {
        postgres = await startLocalPostgres({ dataDir: pgDir, port: pgPort, maxConnections: 300 });
      },
    },
    async startService(name) {
      services[name].start();
      await services[name].waitForLog(READY_MARKER[name], 120_000);
    },
    async waitReady(timeoutMs = 120_000) {
      await waitFor(async () => (await fetch(`${stack.adminUrl}/readyz`)).ok, timeoutMs, 'the API (/readyz)');
    },
    async stop() {
      await Promise.all(Object.values(services).map((service) => service.stop().catch(() => undefined)));
      await stack.redis.kill9().catch(() => undefined);
      await postgres?.stop().catch(() => undefined);
    },
  };
  try {
    // Workers first: the API's readiness needs a worker to answer the queue canary.
    await Promise.all((Object.keys(SERVICES) as ServiceName[]).map((name) => stack.startService(name)));
    await stack.waitReady();
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}

/** A direct connection to the battery's database (the truth the oracle reads). */
export async function openDb(stack: BatteryStack): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: 4 });
  pool.on('error', () => undefined);
  return pool;
}
