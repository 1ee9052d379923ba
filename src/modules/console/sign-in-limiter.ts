import type { RedisClient } from '../../redis/redis.js';

export interface SignInLimits {
  /** Failures of one account from one client address: the strict limit, it locks only that pair. */
  perPair: number;
  /** Failures from one client address, whatever the account (a password spray from one place). */
  perAddress: number;
  /**
   * Failures of one account from everywhere. Much higher than perPair, and it does not lock the
   * account's known addresses (where it signed in before), so failing from many places cannot
   * keep the real user out.
   */
  perAccount: number;
  /** Window and lock length: a counter expires this long after its first failure. */
  windowSeconds: number;
  /** How long an address stays known after the account's last successful sign-in from it. */
  knownSeconds: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  perPair: 5,
  perAddress: 30,
  perAccount: 50,
  windowSeconds: 900,
  knownSeconds: 90 * 86400,
};

/**
 * Failed sign-ins counted in Redis. A lock must be one an attacker cannot turn against the real
 * user: failing five times for an account from anywhere used to lock that account everywhere, so
 * failing every 15 minutes kept its owner out for good. Now the strict limit counts per account
 * and address pair (the attacker locks only themselves), the per-address limit stops sprays, and
 * the per-account limit, reached only from many addresses, still lets the account in from the
 * addresses it signed in from before. The TTL is set on the first failure only (EXPIRE NX), so
 * every lock ends.
 */
export class SignInLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
  ) {}

  private keys(email: string, address: string) {
    const account = email.trim().toLowerCase();
    // One hash tag for every counter: MGET and MULTI below span them, which a Redis Cluster
    // allows within one slot only (sign-ins are few; one slot carries them easily).
    const base = `${this.prefix}:console:{signin}`;
    return {
      pair: `${base}:pair:${address}:${account}`,
      address: `${base}:addr:${address}`,
      account: `${base}:acct:${account}`,
      known: `${base}:known:${account}`,
    };
  }

  async isLocked(email: string, address: string): Promise<boolean> {
    const keys = this.keys(email, address);
    const [pair, perAddress, perAccount] = (await this.redis.mget(keys.pair, keys.address, keys.account)).map((value) =>
      Number(value ?? 0),
    );
    if (pair! >= this.limits.perPair || perAddress! >= this.limits.perAddress) return true;
    if (perAccount! < this.limits.perAccount) return false;
    return (await this.redis.sismember(keys.known, address)) === 0;
  }

  async recordFailure(email: string, address: string): Promise<void> {
    const keys = this.keys(email, address);
    const window = this.limits.windowSeconds;
    await this.redis
      .multi()
      .incr(keys.pair)
      .expire(keys.pair, window, 'NX')
      .incr(keys.address)
      .expire(keys.address, window, 'NX')
      .incr(keys.account)
      .expire(keys.account, window, 'NX')
      .exec();
  }

  /**
   * A successful sign-in clears the pair's and the account's counters (not the address's: one good
   * password must not reset a spray) and remembers the address as known for the account.
   */
  async recordSuccess(email: string, address: string): Promise<void> {
    const keys = this.keys(email, address);
    await this.redis
      .multi()
      .del(keys.pair, keys.account)
      .sadd(keys.known, address)
      .expire(keys.known, this.limits.knownSeconds)
      .exec();
  }
}
