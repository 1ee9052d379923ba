import { createHash } from 'node:crypto';
import type { RedisClient } from '../../../redis/redis.js';
import { waitForRedis } from '../../../redis/redis.js';
import { BadRequestError, ConflictError } from '../../../errors/errors.js';

export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** The Idempotency-Key header, if any; printable ASCII only, at most 200 characters. */
export function idempotencyKeyOf(header: unknown): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
    throw new BadRequestError('idempotency_key_invalid', 'Idempotency-Key must be 1 to 200 printable ASCII characters');
  }
  return header;
}

/**
 * Idempotency keys in Redis, 24 h each: the first request with a key claims it for the job id it
 * is about to create; a repeat of the same route with the same key gets that job id back and
 * causes nothing. Reusing a key for a different request (another body) is a 409, not a silent
 * replay of the first. A lost Redis forgets keys — the worst case is one more resync.
 */
export class IdempotencyStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private keyFor(scope: string, key: string): string {
    return `${this.prefix}:idempotency:${createHash('sha256').update(`${scope}\0${key}`).digest('hex')}`;
  }

  /** The job id to answer with, and whether it is a replay (nothing new may be started then). */
  async claim(
    scope: string,
    key: string,
    fingerprint: string,
    jobId: string,
  ): Promise<{ jobId: string; replayed: boolean }> {
    const redisKey = this.keyFor(scope, key);
    await waitForRedis(this.redis, 2000);
    for (let round = 0; round < 3; round++) {
      const set = await this.redis.set(
        redisKey,
        JSON.stringify({ jobId, fingerprint }),
        'EX',
        IDEMPOTENCY_TTL_SECONDS,
        'NX',
      );
      if (set === 'OK') return { jobId, replayed: false };
      const stored = await this.redis.get(redisKey);
      if (stored === null) continue;
      const previous = JSON.parse(stored) as { jobId: string; fingerprint: string };
      if (previous.fingerprint !== fingerprint) {
        throw new ConflictError(
          'idempotency_key_reused',
          'this Idempotency-Key was used for a different request in the last 24 hours',
        );
      }
      return { jobId: previous.jobId, replayed: true };
    }
    throw new ConflictError('idempotency_key_busy', 'this Idempotency-Key is being claimed concurrently; retry');
  }

  /** Frees a key whose request failed before it started anything. */
  async release(scope: string, key: string): Promise<void> {
    await this.redis.del(this.keyFor(scope, key));
  }
}
