import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildAdminApp } from '#src/app/admin-app.js';
import { buildPhoneApp } from '#src/app/phone-app.js';
import { closeDeps, createDeps, type Deps } from '#src/app/deps.js';
import { loadConfig, type Config } from '#src/config/config.js';
import { createLogger } from '#src/logger/logger.js';
import { CanaryProbe } from '#src/modules/health/canary.js';
import { createTestDatabase } from './database.js';

export interface TestContext {
  deps: Deps;
  config: Config;
  admin: FastifyInstance;
  phone: FastifyInstance;
  /** Every log line written so far (JSON), for secret-canary assertions. */
  logs: string[];
  close: () => Promise<void>;
}

/**
 * The real apps on a fresh database and a private Redis key prefix. Nothing is mocked.
 * `env` overrides configuration keys by their PROVD_ environment names.
 * Each context gets its own data directory unless `env` names one: test files run in parallel, and an app's
 * start-up sweeps (abandoned console import previews, stranded import spools) would otherwise delete another
 * file's fixtures from a shared `.data`.
 */
export async function createTestContext(env: Record<string, string> = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  const ownDataDir = env.PROVD_DATA_DIR ? null : await mkdtemp(join(tmpdir(), 'provd-test-data-'));
  const config = loadConfig({
    ...(ownDataDir ? { PROVD_DATA_DIR: ownDataDir } : {}),
    PROVD_DATABASE_URL: database.url,
    PROVD_REDIS_URL: inject('redisUrl'),
    PROVD_QUEUE_PREFIX: `t${randomBytes(5).toString('hex')}`,
    PROVD_LOG_LEVEL: 'info',
    PROVD_DB_POOL_MAX: '5',
    PROVD_DIGEST_NONCE_KEY: randomBytes(32).toString('hex'),
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger(config.logLevel, 'test', sink);
  const deps = await createDeps(config, logger, 'test');
  const canary = new CanaryProbe(deps.queues.get('canary'), deps.workerRedis.duplicate());
  const admin = await buildAdminApp(deps, { canary });
  const phone = await buildPhoneApp(deps);
  await admin.ready();
  await phone.ready();
  return {
    deps,
    config,
    admin,
    phone,
    logs,
    close: async () => {
      await admin.close();
      await phone.close();
      await canary.close();
      await closeDeps(deps);
      await database.drop();
      if (ownDataDir) await rm(ownDataDir, { recursive: true, force: true });
    },
  };
}
