import { Type, type Static } from '@sinclair/typebox';

/**
 * Every setting the service reads, in one place. Environment variable names are the keys
 * of ENV_KEYS (one prefix, PROVD_); `.env.example` lists each with its default.
 */
export const ConfigSchema = Type.Object({
  databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  /** `redis://host:port`; a Redis Cluster's or the Sentinels' nodes comma-separated: `redis://h1:7000,h2:7000,h3:7000`. */
  redisUrl: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  /**
   * `auto`: Cluster when the URL lists several nodes, else one standalone Redis; `cluster`: Cluster
   * even from one seed node; `sentinel`: the URL's nodes are Sentinels watching `redisSentinelName`.
   */
  redisMode: Type.Union(
    (['auto', 'standalone', 'cluster', 'sentinel'] as const).map((mode) => Type.Literal(mode)),
    { default: 'auto' },
  ),
  redisSentinelName: Type.String({ default: 'mymaster', pattern: '^[A-Za-z0-9_.-]{1,128}$' }),
  host: Type.String({ default: '127.0.0.1', minLength: 1 }),
  adminPort: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  phonePort: Type.Integer({ default: 8080, minimum: 0, maximum: 65535 }),
  publicPhoneUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
  /** `auto`: readable (pino-pretty) on a terminal, JSON lines otherwise; `json`: always JSON. */
  logFormat: Type.Union([Type.Literal('auto'), Type.Literal('json')], { default: 'auto' }),
  logLevel: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  /** Level of the line logged for each successful phone fetch (`info` to watch phones boot at the default log level). */
  fetchLogLevel: Type.Union(
    (['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const).map((level) => Type.Literal(level)),
    { default: 'debug' },
  ),
  /** Share of successful phone fetches logged (0..1), so a boot storm does not flood the log. */
  fetchLogSample: Type.Number({ default: 1, minimum: 0, maximum: 1 }),
  /** Prometheus /metrics on the admin port and the worker's status port (off: 404). */
  metrics: Type.Boolean({ default: true }),
  queuePrefix: Type.String({ default: 'provd', pattern: '^[A-Za-z0-9_.-]{1,64}$' }),
  dbPoolMax: Type.Integer({ default: 10, minimum: 1, maximum: 200 }),
  shutdownTimeoutMs: Type.Integer({ default: 25000, minimum: 1000, maximum: 120000 }),
  workerConcurrency: Type.Integer({ default: 8, minimum: 1, maximum: 256 }),
  jobLockMs: Type.Integer({ default: 30000, minimum: 1000, maximum: 600000 }),
  renderConcurrency: Type.Integer({ default: 200, minimum: 1, maximum: 2000 }),
  renderBatchSize: Type.Integer({ default: 100, minimum: 1, maximum: 1000 }),
  platformToken: Type.Optional(Type.String({ minLength: 24 })),
  demoAdminToken: Type.Optional(Type.String({ minLength: 24 })),
  demoAdminPassword: Type.Optional(Type.String({ minLength: 12, maxLength: 200 })),
  dataDir: Type.String({ default: '.data', minLength: 1 }),
  embeddedPgPort: Type.Integer({ default: 54320, minimum: 1, maximum: 65535 }),
  embeddedRedisPort: Type.Integer({ default: 63790, minimum: 1, maximum: 65535 }),
  importMaxBytes: Type.Integer({ default: 104857600, minimum: 1024, maximum: 2147483647 }),
  importInlineBytes: Type.Integer({ default: 1048576, minimum: 0, maximum: 104857600 }),
  digestNonceKey: Type.Optional(Type.String({ minLength: 32 })),
  digestNonceTtlSeconds: Type.Integer({ default: 300, minimum: 10, maximum: 86400 }),
  phoneBanThreshold: Type.Integer({ default: 30, minimum: 1, maximum: 100000 }),
  phoneBanSeconds: Type.Integer({ default: 3600, minimum: 1, maximum: 31536000 }),
  phoneBanWhitelist: Type.Optional(Type.String({ maxLength: 4096 })),
  trustedProxyCount: Type.Integer({ default: 0, minimum: 0, maximum: 10 }),
  autoEnrol: Type.Boolean({ default: false }),
  autoEnrolQuota: Type.Integer({ default: 50, minimum: 0, maximum: 1000000 }),
  firmwareDir: Type.Optional(Type.String({ minLength: 1 })),
  phoneCacheBytes: Type.Integer({ default: 268435456, minimum: 1048576, maximum: 17179869184 }),
  phoneTlsPort: Type.Integer({ default: 8443, minimum: 0, maximum: 65535 }),
  phoneTlsCert: Type.Optional(Type.String({ minLength: 1 })),
  phoneTlsKey: Type.Optional(Type.String({ minLength: 1 })),
  phoneTlsCa: Type.Optional(Type.String({ minLength: 1 })),
  phoneBasicOverTls: Type.Boolean({ default: true }),
  phoneProcesses: Type.Union([Type.Integer({ minimum: 1, maximum: 256 }), Type.Literal('auto')], { default: 1 }),
  notifyRatePerSecond: Type.Integer({ default: 20, minimum: 1, maximum: 10000 }),
  notifySyncTimeoutMs: Type.Integer({ default: 300000, minimum: 100, maximum: 86400000 }),
  notifyMaxAttempts: Type.Integer({ default: 3, minimum: 1, maximum: 20 }),
  notifyRetryBackoffMs: Type.Integer({ default: 30000, minimum: 10, maximum: 3600000 }),
  notifySipT1Ms: Type.Integer({ default: 500, minimum: 10, maximum: 5000 }),
  /** The worker's status listener (/metrics and /healthz) on PROVD_HOST; 0: none. */
  workerMetricsPort: Type.Integer({ default: 9464, minimum: 0, maximum: 65535 }),
  sessionKey: Type.Optional(Type.String({ minLength: 32 })),
  consoleIdleSeconds: Type.Integer({ default: 1800, minimum: 1, maximum: 86400 }),
  consoleSessionMaxSeconds: Type.Integer({ default: 43200, minimum: 1, maximum: 2592000 }),
  consoleInviteSeconds: Type.Integer({ default: 259200, minimum: 60, maximum: 2592000 }),
  consoleResetSeconds: Type.Integer({ default: 3600, minimum: 60, maximum: 604800 }),
  consoleImportDraftSeconds: Type.Integer({ default: 86400, minimum: 60, maximum: 2592000 }),
});

export type Config = Static<typeof ConfigSchema>;

/** Environment variable for each config key. */
export const ENV_KEYS: Record<keyof Config, string> = {
  databaseUrl: 'PROVD_DATABASE_URL',
  redisUrl: 'PROVD_REDIS_URL',
  redisMode: 'PROVD_REDIS_MODE',
  redisSentinelName: 'PROVD_REDIS_SENTINEL_NAME',
  host: 'PROVD_HOST',
  adminPort: 'PROVD_ADMIN_PORT',
  phonePort: 'PROVD_PHONE_PORT',
  publicPhoneUrl: 'PROVD_PUBLIC_PHONE_URL',
  logLevel: 'PROVD_LOG_LEVEL',
  logFormat: 'PROVD_LOG_FORMAT',
  fetchLogLevel: 'PROVD_FETCH_LOG_LEVEL',
  fetchLogSample: 'PROVD_FETCH_LOG_SAMPLE',
  metrics: 'PROVD_METRICS',
  queuePrefix: 'PROVD_QUEUE_PREFIX',
  dbPoolMax: 'PROVD_DB_POOL_MAX',
  shutdownTimeoutMs: 'PROVD_SHUTDOWN_TIMEOUT_MS',
  workerConcurrency: 'PROVD_WORKER_CONCURRENCY',
  jobLockMs: 'PROVD_JOB_LOCK_MS',
  renderConcurrency: 'PROVD_RENDER_CONCURRENCY',
  renderBatchSize: 'PROVD_RENDER_BATCH_SIZE',
  platformToken: 'PROVD_PLATFORM_TOKEN',
  demoAdminToken: 'PROVD_DEMO_ADMIN_TOKEN',
  demoAdminPassword: 'PROVD_DEMO_ADMIN_PASSWORD',
  dataDir: 'PROVD_DATA_DIR',
  embeddedPgPort: 'PROVD_EMBEDDED_PG_PORT',
  embeddedRedisPort: 'PROVD_EMBEDDED_REDIS_PORT',
  importMaxBytes: 'PROVD_IMPORT_MAX_BYTES',
  importInlineBytes: 'PROVD_IMPORT_INLINE_BYTES',
  digestNonceKey: 'PROVD_DIGEST_NONCE_KEY',
  digestNonceTtlSeconds: 'PROVD_DIGEST_NONCE_TTL_SECONDS',
  phoneBanThreshold: 'PROVD_PHONE_BAN_THRESHOLD',
  phoneBanSeconds: 'PROVD_PHONE_BAN_SECONDS',
  phoneBanWhitelist: 'PROVD_PHONE_BAN_WHITELIST',
  trustedProxyCount: 'PROVD_TRUSTED_PROXY_COUNT',
  autoEnrol: 'PROVD_AUTO_ENROL',
  autoEnrolQuota: 'PROVD_AUTO_ENROL_QUOTA',
  firmwareDir: 'PROVD_FIRMWARE_DIR',
  phoneCacheBytes: 'PROVD_PHONE_CACHE_BYTES',
  phoneTlsPort: 'PROVD_PHONE_TLS_PORT',
  phoneTlsCert: 'PROVD_PHONE_TLS_CERT',
  phoneTlsKey: 'PROVD_PHONE_TLS_KEY',
  phoneTlsCa: 'PROVD_PHONE_TLS_CA',
  phoneBasicOverTls: 'PROVD_PHONE_BASIC_OVER_TLS',
  phoneProcesses: 'PROVD_PHONE_PROCESSES',
  notifyRatePerSecond: 'PROVD_NOTIFY_RATE_PER_SECOND',
  notifySyncTimeoutMs: 'PROVD_NOTIFY_SYNC_TIMEOUT_MS',
  notifyMaxAttempts: 'PROVD_NOTIFY_MAX_ATTEMPTS',
  notifyRetryBackoffMs: 'PROVD_NOTIFY_RETRY_BACKOFF_MS',
  notifySipT1Ms: 'PROVD_NOTIFY_SIP_T1_MS',
  workerMetricsPort: 'PROVD_WORKER_METRICS_PORT',
  sessionKey: 'PROVD_SESSION_KEY',
  consoleIdleSeconds: 'PROVD_CONSOLE_IDLE_SECONDS',
  consoleSessionMaxSeconds: 'PROVD_CONSOLE_SESSION_MAX_SECONDS',
  consoleInviteSeconds: 'PROVD_CONSOLE_INVITE_SECONDS',
  consoleResetSeconds: 'PROVD_CONSOLE_RESET_SECONDS',
  consoleImportDraftSeconds: 'PROVD_CONSOLE_IMPORT_DRAFT_SECONDS',
};

/**
 * Conventional un-prefixed names honoured when the prefixed one is absent, so the service
 * drops into platforms that inject DATABASE_URL / REDIS_URL.
 */
export const ENV_FALLBACKS: Partial<Record<keyof Config, string>> = {
  databaseUrl: 'DATABASE_URL',
  redisUrl: 'REDIS_URL',
};

/** Keys whose values are secrets: never echoed in errors or logs. */
export const SECRET_KEYS: ReadonlySet<keyof Config> = new Set([
  'platformToken',
  'demoAdminToken',
  'demoAdminPassword',
  'databaseUrl',
  'redisUrl',
  'digestNonceKey',
  'sessionKey',
]);
