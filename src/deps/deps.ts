import type { MikroORM } from '@mikro-orm/postgresql';
import type { RedisClient } from '../redis/redis.js';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Queues } from '../queues/queues.js';

/** Everything an app or worker needs, created once by an entry point and passed in. */
export interface Deps {
  config: Config;
  logger: Logger;
  orm: MikroORM;
  /** Fail-fast connection for API-side commands and queue producers. */
  redis: RedisClient;
  /** Retry-forever connection template for BullMQ workers (duplicate() per worker). */
  workerRedis: RedisClient;
  queues: Queues;
  metrics: Metrics;
}
