import type { RedisClient } from '../../../redis/redis.js';
import type { Logger } from 'pino';
import type { MikroORM } from '@mikro-orm/postgresql';
import { waitForRedis } from '../../../redis/redis.js';
import type { Deps } from '../../../deps/deps.js';
import { ConfigError, publicPhoneUrl, requireKey } from '../../../config/config.js';
import { ENV_KEYS } from '../../../config/config.schema.js';
import { BanGuard } from '../ban-guard.js';
import { CidrSet } from '../cidr.js';
import { UserAgentCache } from '../user-agent.cache.js';
import { ArtifactCache } from './artifact-cache.js';
import { AutoEnroller } from './auto-enrol.js';
import { CacheCoherence } from './coherence.js';
import { CommonFiles } from './common-files.js';
import { DeviceAuthenticator } from './device-auth.js';
import { DeviceCache } from './device-cache.js';
import { FetchRecorder } from './fetch-recorder.js';
import { FetchOutcomes } from './fetch-outcomes.js';
import { phoneMetrics } from '../phone.metrics.js';
import { FirmwareFolder } from './firmware-folder.js';
import { PhonebookSearch } from './phonebook-search.js';
import { sqlFromOrm } from './sql.js';
import { TenantCache } from './tenant-cache.js';

export interface PhoneServerOptions {
  /** Periodic cache reconciliation with Postgres (default 2000 ms). */
  reconcileMs?: number;
  /** Full check of every cached entry every this many rounds (default 15). */
  verifyEveryRounds?: number;
  /** Batch interval of fetch records (default 1000 ms). */
  flushMs?: number;
  /** How often the in-process ban list is refreshed from Redis (default 1000 ms). */
  banRefreshMs?: number;
}

function banWhitelist(value: string | undefined): CidrSet | undefined {
  if (!value) return undefined;
  try {
    return CidrSet.parse(
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    );
  } catch {
    throw new ConfigError(
      ENV_KEYS.phoneBanWhitelist,
      'must be comma-separated networks, e.g. 10.0.0.0/8,2001:db8::/32',
    );
  }
}

/**
 * The phone-facing server's state, shared by its HTTP and HTTPS listeners: caches, the ban
 * guard, authentication, fetch recording. Constructing it has no side effects; `start()` loads
 * bans and tenants and starts the cache subscription, reconcile and flush timers, `stop()` ends
 * them and writes the last fetch records.
 */
export class PhoneServer {
  readonly logger: Logger;
  readonly artifacts: ArtifactCache;
  readonly devices: DeviceCache;
  readonly tenants: TenantCache;
  readonly common: CommonFiles;
  readonly search: PhonebookSearch;
  readonly recorder: FetchRecorder;
  readonly outcomes: FetchOutcomes;
  readonly banGuard: BanGuard;
  readonly auth: DeviceAuthenticator;
  readonly enroller: AutoEnroller;
  readonly firmware: FirmwareFolder;
  readonly coherence: CacheCoherence;
  readonly userAgents = new UserAgentCache();
  readonly trustedProxyCount: number;
  readonly baseUrl: string;
  /** For the contacts app (phone-app/): its reads and the contact it saves go through the services. */
  readonly orm: MikroORM;
  private started = false;
  private readonly redis: RedisClient;

  constructor(deps: Deps, options: PhoneServerOptions = {}) {
    const config = deps.config;
    const nonceKey = requireKey(config, 'digestNonceKey');
    const sql = sqlFromOrm(deps.orm);
    this.redis = deps.redis;
    this.orm = deps.orm;
    this.logger = deps.logger.child({ component: 'phone-server' });
    this.baseUrl = publicPhoneUrl(config);
    this.trustedProxyCount = config.trustedProxyCount;
    const metrics = phoneMetrics(deps.metrics.registry);
    this.outcomes = new FetchOutcomes(metrics, this.logger, {
      level: config.fetchLogLevel,
      sample: config.fetchLogSample,
    });
    this.artifacts = new ArtifactCache(sql, config.phoneCacheBytes);
    this.devices = new DeviceCache(sql);
    this.common = new CommonFiles(this.baseUrl);
    this.tenants = new TenantCache(sql, this.logger, () => this.common.forget());
    this.search = new PhonebookSearch(deps.orm.em.getKnex());
    this.recorder = new FetchRecorder(sql, this.logger, { flushMs: options.flushMs });
    this.banGuard = new BanGuard(deps.redis, {
      keyPrefix: config.queuePrefix,
      logger: this.logger,
      threshold: config.phoneBanThreshold,
      banSeconds: config.phoneBanSeconds,
      whitelist: banWhitelist(config.phoneBanWhitelist),
      refreshMs: options.banRefreshMs,
      metrics,
    });
    this.auth = new DeviceAuthenticator(deps.redis, {
      nonceKey,
      nonceTtlSeconds: config.digestNonceTtlSeconds,
      keyPrefix: config.queuePrefix,
      basicOverTls: config.phoneBasicOverTls,
    });
    this.enroller = new AutoEnroller(deps.orm, this.logger, {
      enabled: config.autoEnrol,
      quota: config.autoEnrolQuota,
    });
    this.firmware = new FirmwareFolder(config.firmwareDir);
    this.coherence = new CacheCoherence(
      deps.redis,
      sql,
      {
        artifacts: this.artifacts,
        devices: this.devices,
        tenants: this.tenants,
        search: this.search,
      },
      this.logger,
      {
        channelPrefix: config.queuePrefix,
        reconcileMs: options.reconcileMs,
        verifyEveryRounds: options.verifyEveryRounds,
      },
    );
  }

  /** Base URL phones use, with the tenant prefix when the request had one. */
  urlFor(tenantPrefix: string | undefined): string {
    return tenantPrefix === undefined ? this.baseUrl : `${this.baseUrl}/t/${tenantPrefix}`;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // Bans must be known before the first request is answered.
    await waitForRedis(this.redis, 10_000);
    await this.banGuard.start();
    await this.tenants.ready();
    await this.coherence.start();
    this.recorder.start();
  }

  async stop(): Promise<void> {
    this.banGuard.stop();
    await this.coherence.stop();
    await this.recorder.stop();
    this.started = false;
  }
}
