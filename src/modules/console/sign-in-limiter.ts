import type { Redis } from 'ioredis';

export interface SignInLimits {
  /** Failures per account, and per client address, within the window before sign-in is locked. */
  perAccount: number;
  perAddress: number;
  /** Window and lock length: the counter expires this long after the first failure. */
  windowSeconds: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perAccount: 5, perAddress: 30, windowSeconds: 900 };

/**
 * Failed sign-ins counted in Redis, per account and per address. The TTL is set on the first
 * failure only (EXPIRE NX), so a lock always ends: an attacker who keeps guessing cannot keep a
 * real user out past the window, and nothing is ever locked for good.
 */
export class SignInLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
  ) {}

  private keys(email: string, address: string): [string, string] {
    return [`${this.prefix}:console:signin:acct:${email.toLowerCase()}`, `${this.prefix}:console:signin:addr:${address}`];
  }

  async isLocked(email: string, address: string): Promise<boolean> {
    const [account, addr] = this.keys(email, address);
    const [a, b] = await this.redis.mget(account, addr);
    return Number(a ?? 0) >= this.limits.perAccount || Number(b ?? 0) >= this.limits.perAddress;
  }

  async recordFailure(email: string, address: string): Promise<void> {
    const [account, addr] = this.keys(email, address);
    await this.redis
      .multi()
      .incr(account)
      .expire(account, this.limits.windowSeconds, 'NX')
      .incr(addr)
      .expire(addr, this.limits.windowSeconds, 'NX')
      .exec();
  }

  /** A successful sign-in clears the account's counter (not the address's: one good password must not reset a spray). */
  async recordSuccess(email: string, address: string): Promise<void> {
    await this.redis.del(this.keys(email, address)[0]);
  }
}
