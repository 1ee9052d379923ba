import { createHash } from 'node:crypto';
import type { RedisClient } from '../../../redis/redis.js';
import { waitForRedis } from '../../../redis/redis.js';

/**
 * Per-tenant NOTIFY pacing. Each tenant has one counter per wall-clock second in Redis; a
 * reservation takes the free places of the earliest seconds that still have room, so a tenant
 * never gets more than `ratePerSecond` sends scheduled in any second, whichever process asked.
 * Inside a second the places are spread evenly (place i at i/rate of the second), so sends are
 * paced rather than bunched at the start of each second, and places already in the past are not
 * handed out: any one-second window holds at most `ratePerSecond` (+1 at its edge) sends. Jobs then carry the computed delay:
 * nothing waits in a worker, and a tenant-wide resync of 10,000 phones at 20/s is spread over
 * 500 s as 10,000 delayed jobs. A retry reserves places at its own future time and so never
 * holds back what is due now.
 */

/** A run of consecutive places reserved in one second: places first … first+count-1. */
export interface SlotRun {
  second: number;
  first: number;
  count: number;
}

/** Pure: the send time of every reserved place, never earlier than `notBeforeMs`. */
export function slotTimes(runs: SlotRun[], ratePerSecond: number, notBeforeMs: number): number[] {
  const times: number[] = [];
  for (const run of runs) {
    for (let place = run.first; place < run.first + run.count; place++) {
      times.push(Math.max(notBeforeMs, run.second * 1000 + Math.floor((place * 1000) / ratePerSecond)));
    }
  }
  return times;
}

/**
 * KEYS: the tenant's counter prefix `<prefix>:notify-rate:{<tenant>}:` (one counter per second is
 * named from it; the hash tag keeps all of a tenant's counters in one Redis Cluster slot, and
 * declaring it routes the script to that slot's master). ARGV: first second, first usable place
 * in it (places before "not before" are gone), places wanted, rate, max seconds to look ahead,
 * the caller's current second (counters live 120 s past their second).
 * Returns flat triples {second, first place, count}.
 */
const RESERVE_LUA = `
local prefix = KEYS[1]
local second = tonumber(ARGV[1])
local firstPlace = tonumber(ARGV[2])
local remaining = tonumber(ARGV[3])
local rate = tonumber(ARGV[4])
local last = second + tonumber(ARGV[5])
local nowSecond = tonumber(ARGV[6])
local start = second
local out = {}
while remaining > 0 and second < last do
  local key = prefix .. second
  local used = tonumber(redis.call('GET', key) or '0')
  if second == start and used < firstPlace then used = firstPlace end
  if used < rate then
    local take = math.min(rate - used, remaining)
    redis.call('SET', key, used + take, 'EX', math.max(1, second - nowSecond + 120))
    out[#out + 1] = second
    out[#out + 1] = used
    out[#out + 1] = take
    remaining = remaining - take
  end
  second = second + 1
end
return out
`;
const RESERVE_SHA = createHash('sha1').update(RESERVE_LUA).digest('hex');

/** A week of seconds: a reservation further out than that means the tenant's queue is hopeless anyway. */
const MAX_LOOKAHEAD_SECONDS = 7 * 24 * 3600;

export class NotifyRateLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  /**
   * Reserves `count` sends for the tenant and returns each one's delay from `nowMs`, in order.
   * `notBeforeMs` (default now) is the earliest a send may happen: retries pass their backoff.
   */
  async reserve(
    tenantId: string,
    count: number,
    ratePerSecond: number,
    options: { nowMs?: number; notBeforeMs?: number } = {},
  ): Promise<number[]> {
    if (count <= 0) return [];
    const nowMs = options.nowMs ?? Date.now();
    const notBeforeMs = Math.max(nowMs, options.notBeforeMs ?? nowMs);
    const rate = Math.max(1, Math.floor(ratePerSecond));
    const firstSecond = Math.floor(notBeforeMs / 1000);
    // Places of the first second that lie before notBefore are not handed out (no catch-up burst).
    const firstPlace = Math.ceil(((notBeforeMs - firstSecond * 1000) * rate) / 1000);
    const key = `${this.prefix}:notify-rate:{${tenantId}}:`;
    const args = [firstSecond, firstPlace, count, rate, MAX_LOOKAHEAD_SECONDS, Math.floor(nowMs / 1000)];
    const flat = (await this.evalReserve(key, args)) as number[];
    const runs: SlotRun[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3)
      runs.push({ second: flat[i]!, first: flat[i + 1]!, count: flat[i + 2]! });
    const times = slotTimes(runs, rate, notBeforeMs);
    if (times.length < count)
      throw new Error(`tenant ${tenantId}: no NOTIFY capacity within ${MAX_LOOKAHEAD_SECONDS} s`);
    return times.map((time) => time - nowMs);
  }

  private async evalReserve(key: string, args: (string | number)[]): Promise<unknown> {
    // The command connection queues nothing while (re)connecting: give a fresh one a moment.
    await waitForRedis(this.redis, 2000);
    try {
      return await this.redis.evalsha(RESERVE_SHA, 1, key, ...args);
    } catch (error) {
      if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
      return this.redis.eval(RESERVE_LUA, 1, key, ...args);
    }
  }
}
