import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/**
 * `command`: API-side connection; commands fail fast while Redis is down so requests answer 503
 * instead of hanging. `blocking`: BullMQ workers; retries forever (BullMQ requires
 * maxRetriesPerRequest = null) and reconnects on its own after Redis comes back.
 */
export type RedisRole = 'command' | 'blocking';

export function createRedis(url: string, role: RedisRole, name: string, logger?: Logger): Redis {
  const options: RedisOptions = {
    connectionName: name,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
    ...(role === 'command'
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 3000 }
      : { maxRetriesPerRequest: null, enableReadyCheck: true }),
  };
  const client = new Redis(url, options);
  let reported = false;
  client.on('error', (error: Error) => {
    if (!reported) logger?.warn({ connection: name, err: { message: error.message } }, 'redis connection error');
    reported = true;
  });
  client.on('ready', () => {
    if (reported) logger?.info({ connection: name }, 'redis connection restored');
    reported = false;
  });
  return client;
}

/** Resolves once the client is ready, so boot fails clearly instead of on first use. */
export async function waitForRedis(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`redis not reachable within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}
