import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/**
 * `command`: API-side connection; commands fail fast while Redis is down so requests answer 503
 * instead of hanging. `blocking`: BullMQ workers; retries forever (BullMQ requires
 * maxRetriesPerRequest = null) and reconnects on its own after Redis comes back.
 */
export type RedisRole = 'command' | 'blocking';

/** At most one log line per connection per this interval while a problem lasts. */
export const CONNECTION_ERROR_INTERVAL_MS = 10_000;

/**
 * An 'error' listener for a Redis client, BullMQ Queue, Worker or QueueEvents: every emitter of
 * these must have one (without it ioredis prints a stack per reconnect attempt, and BullMQ's
 * re-emitted error throws). Logs one line per `intervalMs` per connection, with the count of the
 * errors suppressed since the last line, so an outage cannot flood the logs.
 */
export function connectionErrorReporter(
  logger: Logger | undefined,
  connection: string,
  message = 'redis connection error',
  intervalMs = CONNECTION_ERROR_INTERVAL_MS,
): { onError: (error: Error) => void; reset: () => boolean } {
  let lastAt = -Infinity;
  let suppressed = 0;
  let failing = false;
  return {
    onError: (error: Error) => {
      failing = true;
      const now = Date.now();
      if (now - lastAt < intervalMs) {
        suppressed += 1;
        return;
      }
      logger?.warn({ connection, err: { message: error.message }, ...(suppressed ? { suppressed } : {}) }, message);
      lastAt = now;
      suppressed = 0;
    },
    /** The connection works again: true when it had failed (callers log the recovery). */
    reset: () => {
      const was = failing;
      failing = false;
      lastAt = -Infinity;
      suppressed = 0;
      return was;
    },
  };
}

export function createRedis(url: string, role: RedisRole, name: string, logger?: Logger): Redis {
  const options: RedisOptions = {
    connectionName: name,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
    ...(role === 'command'
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 3000 }
      : { maxRetriesPerRequest: null, enableReadyCheck: true }),
  };
  const client = new Redis(url, options);
  const reporter = connectionErrorReporter(logger, name);
  client.on('error', reporter.onError);
  client.on('ready', () => {
    if (reporter.reset()) logger?.info({ connection: name }, 'redis connection restored');
  });
  return client;
}

/**
 * `client.duplicate()` copies options, not listeners: a duplicate without its own 'error' listener
 * prints a stack per reconnect attempt. Use this instead of duplicate().
 */
export function duplicateRedis(
  client: Redis,
  name: string,
  logger?: Logger,
  overrides: Partial<RedisOptions> = {},
): Redis {
  const copy = client.duplicate({ ...overrides, connectionName: name });
  const reporter = connectionErrorReporter(logger, name);
  copy.on('error', reporter.onError);
  copy.on('ready', () => {
    if (reporter.reset()) logger?.info({ connection: name }, 'redis connection restored');
  });
  return copy;
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
