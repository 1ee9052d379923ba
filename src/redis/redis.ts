import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/**
 * `command`: API-side connection; commands fail fast while Redis is down so requests answer 503
 * instead of hanging. `blocking`: BullMQ workers; retries forever (BullMQ requires
 * maxRetriesPerRequest = null) and reconnects on its own after Redis comes back.
 */
export type RedisRole = 'command' | 'blocking';

/** A connection to one Redis (standalone or through Sentinel) or to a Redis Cluster: the same commands. */
export type RedisClient = Redis | Cluster;

/**
 * How the daemon reaches Redis (PROVD_REDIS_MODE). `auto`: a URL naming several nodes
 * (`redis://h1:6379,h2:6379,h3:6379`) is a Cluster's seed list, one node is a standalone Redis.
 * `cluster` forces Cluster with a single seed; `sentinel` reads the nodes as Sentinels and asks
 * them for the master named PROVD_REDIS_SENTINEL_NAME (and follows it across failovers).
 */
export type RedisMode = 'auto' | 'standalone' | 'cluster' | 'sentinel';

export interface RedisTopology {
  mode: Exclude<RedisMode, 'auto'>;
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
  db: number;
  tls: boolean;
}

/**
 * Parses `redis[s]://[user[:password]@]host[:port][,host[:port]…][/db]`. WHATWG URL refuses a
 * comma-separated host list, hence by hand. Never echoes the URL (it may hold a password).
 */
export function redisTopology(url: string, mode: RedisMode = 'auto'): RedisTopology {
  const match = /^(rediss?):\/\/(?:([^@/]*)@)?([^/?#]+)(?:\/(\d*))?(?:[?#].*)?$/.exec(url);
  if (!match) throw new Error('redis URL must look like redis://[user:password@]host:port[,host:port…][/db]');
  const [, scheme, userinfo, hostList, db] = match;
  const defaultPort = mode === 'sentinel' ? 26379 : 6379;
  const nodes = hostList!.split(',').map((entry) => {
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    const [host, port] = bracketed
      ? [bracketed[1]!, bracketed[2]]
      : [entry.replace(/:\d+$/, ''), /:(\d+)$/.exec(entry)?.[1]];
    if (!host) throw new Error('redis URL has an empty host');
    return { host, port: port ? Number(port) : defaultPort };
  });
  let username: string | undefined;
  let password: string | undefined;
  if (userinfo) {
    const colon = userinfo.indexOf(':');
    username = decodeURIComponent(colon < 0 ? userinfo : userinfo.slice(0, colon)) || undefined;
    password = colon < 0 ? undefined : decodeURIComponent(userinfo.slice(colon + 1)) || undefined;
  }
  const resolved = mode === 'auto' ? (nodes.length > 1 ? 'cluster' : 'standalone') : mode;
  if (resolved === 'standalone' && nodes.length > 1)
    throw new Error('redis URL lists several nodes but PROVD_REDIS_MODE is standalone');
  const dbIndex = db ? Number(db) : 0;
  if (resolved === 'cluster' && dbIndex !== 0) throw new Error('a Redis Cluster has only database 0');
  return { mode: resolved, nodes, username, password, db: dbIndex, tls: scheme === 'rediss' };
}

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

export interface RedisConnectOptions {
  mode?: RedisMode;
  /** Sentinel mode: the master's name as the Sentinels know it. */
  sentinelName?: string;
}

const retryStrategy = (attempt: number) => Math.min(100 * attempt, 2000);

function roleOptions(role: RedisRole): RedisOptions {
  return role === 'command'
    ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 3000 }
    : { maxRetriesPerRequest: null, enableReadyCheck: true };
}

/** Cluster-level options (the rest of a RedisOptions goes to each node's connection). */
const CLUSTER_LEVEL = ['enableOfflineQueue', 'enableReadyCheck', 'lazyConnect'] as const;

function clusterOptions(options: RedisOptions, base: ClusterOptions = {}): ClusterOptions {
  const cluster: ClusterOptions = { ...base };
  const node: Record<string, unknown> = { ...base.redisOptions };
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if ((CLUSTER_LEVEL as readonly string[]).includes(key)) (cluster as Record<string, unknown>)[key] = value;
    else if (key !== 'retryStrategy') node[key] = value;
  }
  cluster.redisOptions = node as ClusterOptions['redisOptions'];
  return cluster;
}

function watch<T extends RedisClient>(client: T, name: string, logger?: Logger): T {
  const reporter = connectionErrorReporter(logger, name);
  client.on('error', reporter.onError);
  client.on('ready', () => {
    if (reporter.reset()) logger?.info({ connection: name }, 'redis connection restored');
  });
  return client;
}

export function createRedis(
  url: string,
  role: RedisRole,
  name: string,
  logger?: Logger,
  connect: RedisConnectOptions = {},
): RedisClient {
  const topology = redisTopology(url, connect.mode);
  const options: RedisOptions = { connectionName: name, retryStrategy, ...roleOptions(role) };
  if (topology.mode === 'standalone') return watch(new Redis(url, options), name, logger);
  const auth = {
    ...(topology.username ? { username: topology.username } : {}),
    ...(topology.password ? { password: topology.password } : {}),
    ...(topology.tls ? { tls: {} } : {}),
  };
  if (topology.mode === 'sentinel') {
    const sentinel = new Redis({
      ...options,
      ...auth,
      ...(topology.tls ? { enableTLSForSentinelMode: true } : {}),
      sentinels: topology.nodes,
      name: connect.sentinelName ?? 'mymaster',
      db: topology.db,
    });
    return watch(sentinel, name, logger);
  }
  const cluster = new Cluster(
    topology.nodes,
    clusterOptions(
      { ...options, ...auth },
      // A failover moves slots: refresh them quickly and retry what hit the moving master.
      { clusterRetryStrategy: retryStrategy, slotsRefreshTimeout: 2000, retryDelayOnFailover: 200 },
    ),
  );
  return watch(cluster, name, logger);
}

/**
 * `client.duplicate()` copies options, not listeners: a duplicate without its own 'error' listener
 * prints a stack per reconnect attempt. Use this instead of duplicate(). Works for a Cluster too
 * (whose duplicate() takes its node options apart from its own).
 */
export function duplicateRedis<T extends RedisClient>(
  client: T,
  name: string,
  logger?: Logger,
  overrides: Partial<RedisOptions> = {},
): T {
  const copy =
    client instanceof Cluster
      ? client.duplicate([], clusterOptions({ ...overrides, connectionName: name }, client.options))
      : (client as Redis).duplicate({ ...overrides, connectionName: name });
  return watch(copy as T, name, logger);
}

/** Resolves once the client is ready, so boot fails clearly instead of on first use. */
export async function waitForRedis(client: RedisClient, timeoutMs: number): Promise<void> {
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
