import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../../redis/redis.js';
import type { Logger } from 'pino';
import type { CidrSet } from './cidr.js';
import { ipv6Network, normaliseIp } from './client-ip.js';
import { banLine, authFailureLine } from './ban-log.js';
import { RECORD_SENSITIVE_SCRIPT, REFRESH_BANS_SCRIPT, runScript } from './ban-scripts.js';
import type { PhoneMetrics } from './phone.metrics.js';

/**
 * Anti-enumeration: every sensitive request (a per-device file, hit or miss) from one source is
 * counted in a sliding window in Redis; past the threshold the source is banned. Bans live in
 * Redis with a TTL, so they hold across processes and restarts. `isBanned` answers from an
 * in-process copy of the ban list that `start()` refreshes every `refreshMs`, so a ban made by
 * any process is seen by all within about that long, without a Redis round trip per request.
 */
export interface BanGuardOptions {
  /** Redis key prefix, e.g. the queue prefix; keys are `<prefix>:ban:*`. */
  keyPrefix: string;
  logger: Logger;
  /** Sensitive requests allowed per window; one more bans. */
  threshold: number;
  banSeconds: number;
  windowSeconds?: number;
  /** Sources that are never counted or banned (monitoring, the operator's office). */
  whitelist?: CidrSet;
  /** IPv6 sources are counted and banned per network of this size (default /64). */
  ipv6PrefixBits?: number;
  refreshMs?: number;
  /** Upper bound on bans held in memory; a botnet must not exhaust the heap. */
  maxCachedBans?: number;
  /** Counts auth failures and bans, and reports the size of the in-process ban list. */
  metrics?: Pick<PhoneMetrics, 'authFailures' | 'bans' | 'bannedSources'>;
}

export interface SensitiveRequestOutcome {
  /** The source is banned now (before or because of this request). */
  banned: boolean;
  /** Requests counted in the current window (0 when whitelisted or already banned). */
  count: number;
}

const MAX_REMEMBERED_SUBJECTS = 10_000;

export class BanGuard {
  private bans = new Map<string, number>();
  private readonly subjects = new Map<string, string | null>();
  private timer: NodeJS.Timeout | undefined;
  private refreshFailed = false;
  private readonly windowMs: number;
  private readonly banMs: number;
  private readonly ipv6PrefixBits: number;
  private readonly refreshMs: number;
  private readonly maxCachedBans: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: BanGuardOptions,
  ) {
    if (!(options.threshold >= 1) || !(options.banSeconds >= 1))
      throw new RangeError('ban threshold and duration must be at least 1');
    this.windowMs = (options.windowSeconds ?? 60) * 1000;
    this.banMs = options.banSeconds * 1000;
    this.ipv6PrefixBits = options.ipv6PrefixBits ?? 64;
    this.refreshMs = options.refreshMs ?? 1000;
    this.maxCachedBans = options.maxCachedBans ?? 100_000;
  }

  /** Loads the current bans, then keeps them fresh. Await it before serving. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer ??= setInterval(() => void this.refresh().catch(() => undefined), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Synchronous, from the in-process ban list. */
  isBanned(ip: string | undefined): boolean {
    if (this.bans.size === 0) return false;
    const subject = this.subjectOf(ip);
    if (!subject) return false;
    const until = this.bans.get(subject);
    return until !== undefined && until > Date.now();
  }

  /** Counts one sensitive request (a hit or a miss) and bans the source past the threshold. */
  async recordSensitive(ip: string | undefined): Promise<SensitiveRequestOutcome> {
    const subject = this.subjectOf(ip);
    if (!subject) return { banned: false, count: 0 };
    const [count, banMs, redisNowMs] = (await runScript(
      this.redis,
      RECORD_SENSITIVE_SCRIPT,
      2,
      this.key('window', subject),
      this.key('until', subject),
      this.windowMs,
      this.options.threshold,
      this.banMs,
      randomBytes(6).toString('hex'),
    )) as [number, number, number?];
    if (count < 0) {
      this.remember(subject, Date.now() + banMs);
      return { banned: true, count: 0 };
    }
    if (banMs > 0) {
      this.remember(subject, Date.now() + banMs);
      // The index is another slot than the subject's keys, hence not in the script. Should this
      // write fail, the ban still holds (its key answers every later request from the source);
      // only other processes' in-memory copies learn of it later, from such a request.
      await this.redis
        .zadd(this.key('index'), (redisNowMs ?? Date.now()) + banMs, subject)
        .catch((error: Error) =>
          this.options.logger.warn({ err: { message: error.message } }, 'ban index write failed; the ban holds'),
        );
      this.options.metrics?.bans.inc({ by: 'threshold' });
      this.options.logger.warn(banLine(normaliseIp(ip)!, Math.round(banMs / 1000), subject, count));
      return { banned: true, count };
    }
    return { banned: false, count };
  }

  /** Writes the one ban-tool line for a failed authentication. Never pass secrets or headers here. */
  authFailure(ip: string | undefined, reason: string, mac?: string): void {
    this.options.metrics?.authFailures.inc({ reason });
    const address = normaliseIp(ip);
    if (address) this.options.logger.warn(authFailureLine(address, reason, mac));
  }

  /** Operator action: ban a source now for `seconds` (default: the configured duration). */
  async ban(ip: string, seconds = this.options.banSeconds): Promise<void> {
    const subject = this.subjectOf(ip);
    if (!subject) return;
    const until = Date.now() + seconds * 1000;
    // Two slots on a Redis Cluster: the subject's keys together, the index apart.
    await this.redis
      .multi()
      .set(this.key('until', subject), '1', 'PX', seconds * 1000)
      .del(this.key('window', subject))
      .exec();
    await this.redis.zadd(this.key('index'), until, subject);
    this.remember(subject, until);
    this.options.metrics?.bans.inc({ by: 'operator' });
    this.options.logger.warn(banLine(normaliseIp(ip)!, seconds, subject, 0));
  }

  async unban(ip: string): Promise<void> {
    const subject = this.subjectOf(ip, true);
    if (!subject) return;
    await this.redis.zrem(this.key('index'), subject);
    await this.redis.del(this.key('until', subject), this.key('window', subject));
    this.bans.delete(subject);
  }

  /** Replaces the in-process ban list with Redis' (expired entries are pruned on the way). */
  async refresh(): Promise<void> {
    try {
      const flat = (await runScript(this.redis, REFRESH_BANS_SCRIPT, 1, this.key('index'), this.maxCachedBans)) as [
        string[],
        number,
      ];
      const [entries, redisNowMs] = flat;
      const skew = Date.now() - redisNowMs;
      const next = new Map<string, number>();
      for (let i = 0; i + 1 < entries.length; i += 2) next.set(entries[i]!, Number(entries[i + 1]) + skew);
      this.bans = next;
      this.options.metrics?.bannedSources.set(next.size);
      if (this.refreshFailed) this.options.logger.info('ban list refresh restored');
      this.refreshFailed = false;
    } catch (error) {
      // Keep the last known bans: a Redis hiccup must not lift them.
      if (!this.refreshFailed)
        this.options.logger.warn(
          { err: { message: (error as Error).message } },
          'ban list refresh failed; keeping the last known bans',
        );
      this.refreshFailed = true;
      throw error;
    }
  }

  /** What is counted and banned: the IPv4 address, or the IPv6 network around the address. */
  private subjectOf(ip: string | undefined, ignoreWhitelist = false): string | undefined {
    if (ip === undefined) return undefined;
    if (ignoreWhitelist) return this.computeSubject(ip, true);
    // Asked on every request; the whitelist and prefix never change, so remember per spelling.
    const known = this.subjects.get(ip);
    if (known !== undefined) return known === null ? undefined : known;
    const subject = this.computeSubject(ip, false);
    if (this.subjects.size >= MAX_REMEMBERED_SUBJECTS) this.subjects.clear();
    this.subjects.set(ip, subject ?? null);
    return subject;
  }

  private computeSubject(ip: string, ignoreWhitelist: boolean): string | undefined {
    const address = normaliseIp(ip);
    if (!address) return undefined;
    if (!ignoreWhitelist && this.options.whitelist?.contains(address)) return undefined;
    return address.includes(':') ? ipv6Network(address, this.ipv6PrefixBits) : address;
  }

  private remember(subject: string, until: number): void {
    if (this.bans.size < this.maxCachedBans || this.bans.has(subject)) this.bans.set(subject, until);
    this.options.metrics?.bannedSources.set(this.bans.size);
  }

  /**
   * `<prefix>:ban:index`, and `<prefix>:ban:{<subject>}:window|until`: a subject's two keys share
   * a hash tag (one Redis Cluster slot, so the script may touch both) and the subjects spread
   * over the cluster's masters.
   */
  private key(kind: 'window' | 'until' | 'index', subject?: string): string {
    return subject === undefined
      ? `${this.options.keyPrefix}:ban:${kind}`
      : `${this.options.keyPrefix}:ban:{${subject}}:${kind}`;
  }
}
