import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { generateToken } from '../../src/modules/auth/token.js';
import { freePort } from '../../scripts/stack/ports.js';
import { startLocalPostgres, type LocalPostgres } from '../../scripts/stack/postgres.js';
import { startLocalRedis, type LocalRedis } from '../../scripts/stack/redis.js';
import { withChildren } from './proc.js';
import { runService, type ServiceProcess } from './service.js';
import { until } from './stats.js';

/**
 * The service as an operator runs it — Postgres, Redis, the API process (admin API; the phone
 * server in it or in its phone processes, see `phoneProcesses`) and the worker process — on a
 * fresh database. Local Postgres/Redis live under
 * `.data/bench-<name>/`; PROVD_DATABASE_URL / PROVD_REDIS_URL point at existing servers instead
 * (a database is created and dropped per run; a random queue prefix keeps Redis keys apart).
 *
 * BENCH_SHARED_STACK=1 (the smoke test): every benchmark of the process gets the same stack, one
 * database and, while the environment a benchmark asks for matches, the same running service
 * processes: starting them is most of a smoke run's time, and under load they were the part that
 * timed out. Benchmarks keep apart by tenant (each its own slugs; PipelineWatch reads one tenant).
 */
export interface BenchStack {
  name: string;
  workDir: string;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  platformToken: string;
  adminUrl: string;
  phoneUrl: string;
  /** Prometheus text of the worker process (provd_renders_total, …). */
  workerMetricsUrl: string;
  /** Environment of every service process started by this stack. */
  env: Record<string, string>;
  /**
   * PROVD_PHONE_PROCESSES of the API process: BENCH_PHONE_PROCESSES, else `auto` (one phone
   * process per CPU, what an operator of a dedicated box sets; docs/phone-server.md).
   */
  phoneProcesses: string;
  /** The API process and its phone processes (CPU accounting), as they are now. */
  apiPids(): number[];
  api?: ServiceProcess;
  worker?: ServiceProcess;
  /** Starts the API and worker processes (migrations first) and waits for /readyz. */
  startServices(extraEnv?: Record<string, string>): Promise<void>;
  stopServices(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Postgres `max_connections`; the default fits a few service processes. */
  maxConnections?: number;
}

async function freshDatabase(adminUrl: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists "${name}" with (force)`).catch(() => undefined);
      await client.end();
    },
  };
}

/**
 * How long a start may take until /readyz answers. A shared stack still restarts where a benchmark
 * asks for another environment (serving's one-process run, import's, and back); on a CI runner at
 * load 11 one start took more than 90 s, so the wait leaves room for that (it is a timeout, not a figure).
 */
const READY_TIMEOUT_MS = 240_000;

let shared: Promise<{ stack: BenchStack; close: () => Promise<void> }> | undefined;

export async function startStack(name: string, options: StackOptions = {}): Promise<BenchStack> {
  if (process.env.BENCH_SHARED_STACK !== '1') {
    const own = await createStack(name, options, false);
    return own.stack;
  }
  shared ??= createStack('shared', options, true).catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return (await shared).stack;
}

/** Stops the shared stack (BENCH_SHARED_STACK=1) once every benchmark has run; nothing otherwise. */
export async function stopSharedStack(): Promise<void> {
  const current = shared;
  shared = undefined;
  if (current) await (await current.catch(() => undefined))?.close();
}

/** Same keys, same values. */
function sameEnv(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

async function createStack(
  name: string,
  options: StackOptions,
  isShared: boolean,
): Promise<{ stack: BenchStack; close: () => Promise<void> }> {
  const workDir = resolve('.data', `bench-${name}`);
  mkdirSync(workDir, { recursive: true, mode: 0o755 });
  const cleanups: (() => Promise<void>)[] = [];
  let postgres: LocalPostgres | undefined;
  let redis: LocalRedis | undefined;
  try {
    let adminDbUrl = process.env.PROVD_DATABASE_URL;
    if (!adminDbUrl) {
      postgres = await startLocalPostgres({
        dataDir: join(workDir, 'pg'),
        port: await freePort(),
        maxConnections: options.maxConnections ?? 200,
      });
      cleanups.push(() => postgres!.stop());
      adminDbUrl = postgres.url();
    }
    // On a shared server a random suffix keeps concurrent runs apart; the local cluster is ours alone.
    const suffix = postgres ? '' : `_${randomBytes(3).toString('hex')}`;
    const database = await freshDatabase(adminDbUrl, `bench_${name.replace(/[^a-z0-9]/g, '_')}${suffix}`);
    cleanups.unshift(database.drop);
    let redisUrl = process.env.PROVD_REDIS_URL;
    if (!redisUrl) {
      // As `npm start`: AOF on, noeviction. A fresh folder each run: no jobs left over.
      rmSync(join(workDir, 'redis'), { recursive: true, force: true });
      redis = await startLocalRedis({ dataDir: join(workDir, 'redis'), port: await freePort() });
      cleanups.push(() => redis!.stop());
      redisUrl = redis.url;
    }
    const [adminPort, phonePort, metricsPort] = [await freePort(), await freePort(), await freePort()];
    const queuePrefix = `bench${randomBytes(4).toString('hex')}`;
    const phoneProcesses = process.env.BENCH_PHONE_PROCESSES ?? 'auto';
    const platformToken = generateToken();
    const env: Record<string, string> = {
      PROVD_DATABASE_URL: database.url,
      PROVD_REDIS_URL: redisUrl,
      PROVD_HOST: '127.0.0.1',
      PROVD_ADMIN_PORT: String(adminPort),
      PROVD_PHONE_PORT: String(phonePort),
      PROVD_WORKER_METRICS_PORT: String(metricsPort),
      PROVD_QUEUE_PREFIX: queuePrefix,
      PROVD_PLATFORM_TOKEN: platformToken,
      PROVD_DIGEST_NONCE_KEY: randomBytes(32).toString('base64url'),
      PROVD_LOG_LEVEL: 'warn',
      PROVD_DATA_DIR: workDir,
      // Every simulated phone comes from 127.0.0.1: without this the first 401 challenges would ban it.
      PROVD_PHONE_BAN_WHITELIST: '127.0.0.0/8',
      PROVD_PHONE_PROCESSES: phoneProcesses,
    };
    // What startServices' extra environment is laid over each time (not the last call's).
    const baseEnv = { ...env };
    let migrated = false;
    const running = () =>
      stack.api !== undefined &&
      stack.worker !== undefined &&
      stack.api.child.exitCode === null &&
      stack.worker.child.exitCode === null;
    const stack: BenchStack = {
      name,
      workDir,
      databaseUrl: database.url,
      redisUrl,
      queuePrefix,
      platformToken,
      adminUrl: `http://127.0.0.1:${adminPort}`,
      phoneUrl: `http://127.0.0.1:${phonePort}`,
      workerMetricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
      env,
      get phoneProcesses() {
        return env.PROVD_PHONE_PROCESSES!;
      },
      apiPids() {
        return stack.api ? withChildren(stack.api.pid) : [];
      },
      async startServices(extraEnv = {}) {
        const wanted = { ...baseEnv, ...extraEnv };
        // Shared: the processes another benchmark left running serve this one if they run with the same environment.
        if (isShared && running() && sameEnv(env, wanted)) return;
        await stack.stopServices();
        for (const key of Object.keys(env)) delete env[key];
        Object.assign(env, wanted);
        if (!migrated) {
          const migrate = runService('migrate', 'src/db/migrate.ts', env, workDir);
          const code = await migrate.exited;
          if (code !== 0) throw new Error(`migrations failed (see ${migrate.logPath})`);
          migrated = true;
        }
        stack.api = runService('api', 'src/main.ts', env, workDir);
        stack.worker = runService('worker', 'workers/main.ts', env, workDir);
        await until(
          async () => {
            for (const service of [stack.api!, stack.worker!]) {
              if (service.child.exitCode !== null)
                throw new Error(`${service.name} exited during start (see ${service.logPath})`);
            }
            return (await fetch(`${stack.adminUrl}/readyz`).catch(() => undefined))?.ok;
          },
          READY_TIMEOUT_MS,
          'service readiness (/readyz)',
          200,
        );
      },
      async stopServices() {
        await Promise.all([stack.api?.stop(), stack.worker?.stop()]);
        stack.api = stack.worker = undefined;
      },
      async stop() {
        // Shared: the next benchmark may use the processes; stopSharedStack closes it at the end.
        if (!isShared) await close();
      },
    };
    const close = async () => {
      await stack.stopServices();
      for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    };
    return { stack, close };
  } catch (error) {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    throw error;
  }
}
