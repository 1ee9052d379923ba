import type { RedisClient } from '../../../redis/redis.js';
import type { Logger } from 'pino';
import type { ArtifactCache } from './artifact-cache.js';
import { DEVICE_FINGERPRINT_SQL, type DeviceCache } from './device-cache.js';
import type { PhonebookSearch } from './phonebook-search.js';
import type { Sql } from './sql.js';
import type { TenantCache } from './tenant-cache.js';
import { connectionErrorReporter, duplicateRedis } from '../../../redis/redis.js';
import { safeError } from './safe-error.js';

export interface CoherenceCaches {
  artifacts: ArtifactCache;
  devices: DeviceCache;
  tenants: TenantCache;
  search: PhonebookSearch;
}

export interface CoherenceOptions {
  /** `<queuePrefix>:artifacts` and `<queuePrefix>:devices` are the hint channels. */
  channelPrefix: string;
  reconcileMs?: number;
  /** Every this many rounds, every cached entry is checked against the database (catches deletes). */
  verifyEveryRounds?: number;
}

/** A transaction that started before our last check may commit rows stamped earlier than it. */
const CLOCK_SLACK_SECONDS = 10;
const VERIFY_CHUNK = 5000;
const MAX_IDS_PER_MESSAGE = 10_000;
const TARGET_ID = /^\d{1,19}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/**
 * Keeps every serving process's caches in step with Postgres. Pub/sub messages (target ids,
 * device ids) drop entries at once; the periodic reconcile is the guarantee: rows changed since
 * the last round (by the database clock, with slack), the tenant table's fingerprint, and every
 * few rounds a full check of what is cached, which also finds deleted rows.
 */
export class CacheCoherence {
  private subscriber: RedisClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private since: string | undefined;
  private rounds = 0;
  /** Latest `updated_at` seen per target inside the slack window, so a change is handled once. */
  private targetStamps = new Map<string, string>();
  private running: Promise<void> | undefined;
  private failing = false;
  private readonly reconcileMs: number;
  private readonly verifyEveryRounds: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly sql: Sql,
    private readonly caches: CoherenceCaches,
    private readonly logger: Logger,
    private readonly options: CoherenceOptions,
  ) {
    this.reconcileMs = options.reconcileMs ?? 2000;
    this.verifyEveryRounds = options.verifyEveryRounds ?? 15;
  }

  get artifactsChannel(): string {
    return `${this.options.channelPrefix}:artifacts`;
  }

  get devicesChannel(): string {
    return `${this.options.channelPrefix}:devices`;
  }

  async start(): Promise<void> {
    // No logger for the copy's own listener: the reporter below logs this connection's errors.
    const subscriber = duplicateRedis(this.redis, 'phone:coherence', undefined, {
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      lazyConnect: true,
    });
    // Its own rate-limited line: a lost subscription means stale caches until it is back.
    const reporter = connectionErrorReporter(this.logger, 'phone:coherence');
    subscriber.on('error', reporter.onError);
    subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message));
    // Messages sent while disconnected are lost: reconcile as soon as the subscription is back.
    subscriber.on('ready', () => {
      reporter.reset();
      void this.reconcile();
    });
    this.subscriber = subscriber;
    await subscriber.connect();
    await subscriber.subscribe(this.artifactsChannel, this.devicesChannel);
    await this.reconcile();
    this.timer = setInterval(() => void this.reconcile(), this.reconcileMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    // disconnect, not quit: a quit queued while Redis is unreachable would hold up shutdown.
    subscriber?.disconnect();
    await this.running;
  }

  onMessage(channel: string, message: string): void {
    const ids = message.split(',', MAX_IDS_PER_MESSAGE).map((id) => id.trim());
    if (channel === this.artifactsChannel) {
      const targets = ids.filter((id) => TARGET_ID.test(id));
      this.caches.artifacts.dropTargets(targets);
      this.caches.search.dropTargets(targets);
    } else if (channel === this.devicesChannel) {
      this.caches.devices.dropIds(ids.filter((id) => UUID.test(id)));
    }
  }

  /** One round; rounds never overlap. Errors are logged once until a round succeeds again. */
  reconcile(): Promise<void> {
    this.running ??= this.round()
      .then(() => {
        if (this.failing) this.logger.info('phone cache reconcile restored');
        this.failing = false;
      })
      .catch((error: Error) => {
        if (!this.failing) this.logger.warn({ err: safeError(error) }, 'phone cache reconcile failed; retrying');
        this.failing = true;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<void> {
    const [{ now }] = (await this.sql<{ now: string }>(
      `select (clock_timestamp() - interval '${CLOCK_SLACK_SECONDS} seconds')::text as now`,
    )) as [{ now: string }];
    const since = this.since;
    if (since !== undefined) {
      const artifacts = await this.sql<{ serve_path: string; sha256: string; target_id: string; stamp: string }>(
        `select serve_path, sha256, target_id::text as target_id, to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as stamp from artifacts where updated_at > ?::timestamptz`,
        [since],
      );
      const changed = artifacts.filter((row) => {
        const cached = this.caches.artifacts.cachedSha256(row.serve_path);
        return cached !== undefined && cached !== row.sha256;
      });
      this.caches.artifacts.dropPaths(changed.map((row) => row.serve_path));
      const stamps = new Map<string, string>();
      for (const row of artifacts)
        if ((stamps.get(row.target_id) ?? '') < row.stamp) stamps.set(row.target_id, row.stamp);
      this.caches.search.dropTargets(
        [...stamps].filter(([id, stamp]) => this.targetStamps.get(id) !== stamp).map(([id]) => id),
      );
      this.targetStamps = stamps;
      const devices = await this.sql<{ id: string; mac: string }>(
        `select id::text as id, mac from devices where updated_at > ?::timestamptz`,
        [since],
      );
      if (devices.length) this.caches.devices.dropMacs(devices.map((row) => row.mac));
    }
    await this.caches.tenants.refresh();
    this.rounds++;
    if (this.rounds % this.verifyEveryRounds === 0) await this.verifyCached();
    this.since = now;
  }

  /** Drops cached files and devices that changed or vanished without a hint reaching us. */
  private async verifyCached(): Promise<void> {
    for (const paths of chunks(this.caches.artifacts.cachedPaths(), VERIFY_CHUNK)) {
      const rows = await this.sql<{ serve_path: string; sha256: string }>(
        `select serve_path, sha256 from artifacts where serve_path = any(?::text[])`,
        [paths],
      );
      const current = new Map(rows.map((row) => [row.serve_path, row.sha256]));
      this.caches.artifacts.dropPaths(
        paths.filter((path) => current.get(path) !== this.caches.artifacts.cachedSha256(path)),
      );
    }
    const cached = this.caches.devices.cachedFingerprints();
    for (const ids of chunks([...cached.keys()], VERIFY_CHUNK)) {
      const rows = await this.sql<{ id: string; fingerprint: string }>(
        `select d.id::text as id, ${DEVICE_FINGERPRINT_SQL} as fingerprint from devices d where d.id = any(?::uuid[])`,
        [ids],
      );
      const current = new Map(rows.map((row) => [row.id, row.fingerprint]));
      const stale = ids.filter((id) => current.get(id) !== cached.get(id));
      if (stale.length) this.caches.devices.dropIds(stale);
    }
  }
}
