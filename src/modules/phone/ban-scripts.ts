import { createHash } from 'node:crypto';
import type { RedisClient } from '../../redis/redis.js';

/**
 * Lua scripts for the ban guard: each is one round trip and atomic, so concurrent processes
 * agree on the count and exactly one of them sees the request that crosses the threshold.
 * Time comes from Redis (TIME) so serving processes with drifting clocks share one window.
 * Each script touches the keys of one hash tag only, so it runs on a Redis Cluster (no CROSSSLOT).
 */

/**
 * KEYS: window sorted set, ban key (one subject's, hash-tagged to one Redis Cluster slot). ARGV:
 * window ms, threshold, ban ms, random member suffix. Returns {-1, remaining ban ms} when already
 * banned, {count, ban ms, redis now ms} when this request crossed the threshold (the caller then
 * adds the subject to the ban index, which lives in another slot), {count, 0} otherwise.
 */
export const RECORD_SENSITIVE_SCRIPT = script(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local remaining = redis.call('PTTL', KEYS[2])
if remaining > 0 then
  return {-1, remaining}
end
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[4])
local count = redis.call('ZCARD', KEYS[1])
redis.call('PEXPIRE', KEYS[1], window)
if count > tonumber(ARGV[2]) then
  local ban = tonumber(ARGV[3])
  redis.call('SET', KEYS[2], '1', 'PX', ban)
  redis.call('DEL', KEYS[1])
  return {count, ban, now}
end
return {count, 0}
`);

/**
 * KEYS: ban index. ARGV: max entries. Prunes expired bans and returns
 * {{subject, expiresAtMs, …}, redisNowMs} so callers can correct for clock skew.
 */
export const REFRESH_BANS_SCRIPT = script(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local entries = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[1]))
return {entries, now}
`);

export interface LuaScript {
  lua: string;
  sha: string;
}

export function script(lua: string): LuaScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/** EVALSHA (the script body is not resent per request), loading it once when Redis lacks it. */
export async function runScript(
  redis: RedisClient,
  lua: LuaScript,
  keyCount: number,
  ...args: (string | number)[]
): Promise<unknown> {
  try {
    return await redis.evalsha(lua.sha, keyCount, ...args);
  } catch (error) {
    if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
    return redis.eval(lua.lua, keyCount, ...args);
  }
}
