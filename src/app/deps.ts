import type { Logger } from 'pino';
import type { Deps } from '../deps/deps.js';
import { requireKey, type Config } from '../config/config.js';
import { openOrm } from '../db/orm.js';
import { createMetrics } from '../metrics/metrics.js';
import { Queues } from '../queues/queues.js';
import { createRedis } from '../redis/redis.js';
import { registerAllFamilies } from './metric-families.js';

export type { Deps };

export async function createDeps(config: Config, logger: Logger, processName: string): Promise<Deps> {
  const databaseUrl = requireKey(config, 'databaseUrl');
  const redisUrl = requireKey(config, 'redisUrl');
  const orm = await openOrm({ databaseUrl, poolMax: config.dbPoolMax }, logger);
  const topology = { mode: config.redisMode, sentinelName: config.redisSentinelName };
  const redis = createRedis(redisUrl, 'command', `${processName}:command`, logger, topology);
  const workerRedis = createRedis(redisUrl, 'blocking', `${processName}:worker`, logger, topology);
  const queues = new Queues(redis, config.queuePrefix, logger);
  const metrics = createMetrics(processName);
  registerAllFamilies(metrics.registry, orm, queues);
  return { config, logger, orm, redis, workerRedis, queues, metrics };
}

export async function closeDeps(deps: Deps): Promise<void> {
  await deps.queues.close().catch(() => undefined);
  await deps.orm.close(true).catch(() => undefined);
  deps.redis.disconnect();
  deps.workerRedis.disconnect();
}
