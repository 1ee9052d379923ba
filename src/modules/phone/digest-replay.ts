import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '../../redis/redis.js';
import { runScript, script } from './ban-scripts.js';

/**
 * Replay protection for Digest (nonce, nc) pairs without a Redis round trip per request.
 *
 * A nonce belongs to the serving process that first accepts a request with it: that process
 * claims it once in Redis (`SET` if absent, value = a random id drawn at process start, expiring
 * with the nonce) and from then on counts its nc values in memory. Any other process finds the
 * claim and answers `stale` (the phone retries with that process's fresh nonce), so each
 * (nonce, nc) is accepted at most once across all processes. A restarted process has a new id,
 * so its old claims are foreign to it too: nothing it forgot can be accepted again.
 *
 * The owner re-reads its claim every `recheckMs` on use. That bounds the one hole Redis data loss
 * opens (FLUSHALL, a failover without the key): for at most that long, another process may claim
 * a nonce this one owns and accept an nc it already accepted. If Redis is unreachable at a
 * re-check, the owner keeps going on its own count: no other process can claim the nonce then.
 */

export type ClaimResult = 'claimed' | 'mine' | 'other';

/** KEYS: claim key. ARGV: owner id, ttl ms. 1 = claimed now, 2 = already ours, 0 = someone else's. */
export const CLAIM_NONCE_SCRIPT = script(`
local owner = redis.call('GET', KEYS[1])
if owner == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
  return 1
end
if owner == ARGV[1] then return 2 end
return 0
`);

/** Where claims live: RedisClient in every serving process; tests may pass an in-memory one. */
export interface NonceClaimStore {
  claim(key: string, owner: string, ttlMs: number): Promise<ClaimResult>;
}

export function redisClaimStore(redis: RedisClient): NonceClaimStore {
  return {
    async claim(key, owner, ttlMs) {
      const result = Number(await runScript(redis, CLAIM_NONCE_SCRIPT, 1, key, owner, Math.max(1, Math.ceil(ttlMs))));
      return result === 1 ? 'claimed' : result === 2 ? 'mine' : 'other';
    },
  };
}

/** nc values this far below the highest seen are refused (phones count up; a few requests may overtake). */
export const NC_WINDOW = 256;
const WINDOW_WORDS = NC_WINDOW / 32;

/** One owned nonce: which nc values were used, in a sliding bitmap (as IPsec anti-replay, RFC 4303). */
export class NcWindow {
  private highest = -1;
  private readonly bits = new Uint32Array(WINDOW_WORDS);

  /** True the first time `nc` is offered, false for a repeat or one too far behind. */
  accept(nc: number): boolean {
    if (nc > this.highest) {
      const advance = nc - this.highest;
      if (advance >= NC_WINDOW) this.bits.fill(0);
      else for (let n = this.highest + 1; n <= nc; n++) this.clear(n);
      this.highest = nc;
      this.set(nc);
      return true;
    }
    if (this.highest - nc >= NC_WINDOW) return false;
    if (this.isSet(nc)) return false;
    this.set(nc);
    return true;
  }

  private index(nc: number): [number, number] {
    const slot = nc % NC_WINDOW;
    return [slot >>> 5, 1 << (slot & 31)];
  }

  private isSet(nc: number): boolean {
    const [word, bit] = this.index(nc);
    return (this.bits[word]! & bit) !== 0;
  }

  private set(nc: number): void {
    const [word, bit] = this.index(nc);
    this.bits[word]! |= bit;
  }

  private clear(nc: number): void {
    const [word, bit] = this.index(nc);
    this.bits[word]! &= ~bit;
  }
}

/** A nonce this process verified (its HMAC) and owns. */
export interface OwnedNonce {
  realm: string;
  issuedAtMs: number;
  expiresAtMs: number;
  confirmedAtMs: number;
  window: NcWindow;
}

export type ReplayVerdict = 'accepted' | 'replay' | 'elsewhere';

export interface ReplayGuardOptions {
  keyPrefix: string;
  /** How long an owner trusts its claim before reading it again (default 10 s). */
  recheckMs?: number;
  /** Upper bound on owned nonces held; the oldest are forgotten (their phones get a stale challenge). */
  maxNonces?: number;
  now?: () => number;
}

const CLAIM_SLACK_MS = 5000;
const SWEEP_EVERY_MS = 30_000;

export class NonceReplayGuard {
  /** Random per process (per guard): a restart never inherits claims it has no counts for. */
  readonly ownerId = randomBytes(12).toString('hex');
  private readonly owned = new Map<string, OwnedNonce>();
  private readonly claiming = new Map<string, Promise<void>>();
  private readonly recheckMs: number;
  private readonly maxNonces: number;
  private readonly now: () => number;
  private nextSweepMs: number;

  constructor(
    private readonly store: NonceClaimStore,
    private readonly options: ReplayGuardOptions,
  ) {
    this.recheckMs = options.recheckMs ?? 10_000;
    this.maxNonces = options.maxNonces ?? 500_000;
    this.now = options.now ?? Date.now;
    this.nextSweepMs = this.now() + SWEEP_EVERY_MS;
  }

  /** An owned, unexpired nonce for `realm` (its HMAC was checked when it was claimed). */
  known(nonce: string, realm: string): OwnedNonce | undefined {
    const state = this.owned.get(nonce);
    return state && state.realm === realm ? state : undefined;
  }

  get size(): number {
    return this.owned.size;
  }

  /**
   * Records (nonce, nc) once a request with it has been verified. Synchronous while this process
   * owns the nonce and its claim is recent; otherwise one Redis round trip.
   */
  use(
    nonce: string,
    nc: number,
    realm: string,
    issuedAtMs: number,
    expiresAtMs: number,
  ): ReplayVerdict | Promise<ReplayVerdict> {
    const now = this.now();
    if (now >= this.nextSweepMs) this.sweep(now);
    const state = this.owned.get(nonce);
    if (state && now - state.confirmedAtMs < this.recheckMs) return state.window.accept(nc) ? 'accepted' : 'replay';
    return this.claimAndUse(nonce, nc, realm, issuedAtMs, expiresAtMs);
  }

  private async claimAndUse(
    nonce: string,
    nc: number,
    realm: string,
    issuedAtMs: number,
    expiresAtMs: number,
  ): Promise<ReplayVerdict> {
    const before = this.owned.get(nonce);
    try {
      await this.claim(nonce, realm, issuedAtMs, expiresAtMs);
    } catch (error) {
      // A re-check that cannot reach Redis: nobody else can claim meanwhile, our count stands.
      if (before) return before.window.accept(nc) ? 'accepted' : 'replay';
      throw error;
    }
    const state = this.owned.get(nonce);
    if (!state) return 'elsewhere';
    return state.window.accept(nc) ? 'accepted' : 'replay';
  }

  /** One round trip per nonce at a time; concurrent requests of this process share it. */
  private claim(nonce: string, realm: string, issuedAtMs: number, expiresAtMs: number): Promise<void> {
    let pending = this.claiming.get(nonce);
    if (!pending) {
      const key = `${this.options.keyPrefix}:digest:claim:${createHash('sha256').update(nonce).digest('hex').slice(0, 32)}`;
      pending = this.store
        .claim(key, this.ownerId, expiresAtMs - this.now() + CLAIM_SLACK_MS)
        .then((result) => this.settle(nonce, result, { realm, issuedAtMs, expiresAtMs }))
        .finally(() => this.claiming.delete(nonce));
      this.claiming.set(nonce, pending);
    }
    return pending;
  }

  private settle(
    nonce: string,
    result: ClaimResult,
    fields: { realm: string; issuedAtMs: number; expiresAtMs: number },
  ): void {
    const state = this.owned.get(nonce);
    if (result === 'other') {
      this.owned.delete(nonce);
    } else if (state) {
      // 'claimed' with a count here: RedisClient lost the claim and we took it back; our count stands.
      state.confirmedAtMs = this.now();
    } else if (result === 'claimed') {
      this.remember(nonce, { ...fields, confirmedAtMs: this.now(), window: new NcWindow() });
    }
    // 'mine' without a count here: it was forgotten (evicted). Never start a new count for it.
  }

  private remember(nonce: string, state: OwnedNonce): void {
    if (this.owned.size >= this.maxNonces) {
      this.sweep(this.now());
      // Still full: forget the oldest claims; their phones get a stale challenge and a new nonce.
      for (const oldest of this.owned.keys()) {
        if (this.owned.size < this.maxNonces) break;
        this.owned.delete(oldest);
      }
    }
    this.owned.set(nonce, state);
  }

  private sweep(now: number): void {
    this.nextSweepMs = now + SWEEP_EVERY_MS;
    for (const [nonce, state] of this.owned) if (state.expiresAtMs + CLAIM_SLACK_MS < now) this.owned.delete(nonce);
  }
}
