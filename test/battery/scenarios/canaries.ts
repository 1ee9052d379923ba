import { join } from 'node:path';
import type { CanaryHit } from '../lib/canaries.js';
import { scanErrorBodies, scanJobs, scanLogFiles, scanRedis } from '../lib/canaries.js';
import type { BatteryContext } from '../lib/context.js';
import type { Recorder } from '../lib/result.js';

/** Redis and job snapshots taken between scenarios (a later FLUSHALL must not hide an earlier leak). */
export interface CanarySnapshots {
  redisKeys: number;
  redisBytes: number;
  jobs: number;
  hits: CanaryHit[];
  taken: number;
}

export function emptySnapshots(): CanarySnapshots {
  return { redisKeys: 0, redisBytes: 0, jobs: 0, hits: [], taken: 0 };
}

export async function snapshotRedis(context: BatteryContext, snapshots: CanarySnapshots): Promise<void> {
  const redis = await scanRedis(context.canaries, context.stack.redisUrl);
  const jobs = await scanJobs(context.canaries, context.stack.redisUrl, context.stack.queuePrefix);
  snapshots.redisKeys += redis.keys;
  snapshots.redisBytes += redis.bytes;
  snapshots.jobs += jobs.jobs;
  snapshots.hits.push(...redis.hits, ...jobs.hits);
  snapshots.taken += 1;
}

const describe = (hits: CanaryHit[]) =>
  hits.length
    ? hits
        .slice(0, 3)
        .map((hit) => `${hit.kind} in ${hit.where}: …${hit.context}…`)
        .join(' | ')
    : '0';

/**
 * After everything else: every seeded secret searched in every captured process log (and the
 * Postgres and Redis server logs), in Redis (each snapshot: every key and value of every type),
 * in BullMQ job data, results, failure reasons and stack traces, and in every HTTP error body.
 */
export async function canarySearch(
  context: BatteryContext,
  record: Recorder,
  snapshots: CanarySnapshots,
): Promise<void> {
  const { stack, canaries, errors } = context;
  await snapshotRedis(context, snapshots);
  const logs = scanLogFiles(canaries, [
    stack.logDir,
    join(stack.dir, 'postgres.log'),
    join(stack.dir, 'redis', 'redis.log'),
  ]);
  // The append-only file holds every write Redis ever took, including keys deleted since.
  const aof = scanLogFiles(canaries, [join(stack.dir, 'redis')], (path) => path.includes('appendonly'));
  const bodies = scanErrorBodies(canaries, errors);
  record.figure(
    'canaries seeded',
    Object.entries(canaries.counts())
      .map(([kind, n]) => `${kind}: ${n}`)
      .join(', '),
  );
  record.figure('log files searched', `${logs.files} (${Math.round(logs.bytes / 1024)} KiB)`);
  record.figure(
    'Redis snapshots searched (keys, bytes)',
    `${snapshots.taken} (${snapshots.redisKeys} keys, ${Math.round(snapshots.redisBytes / 1024)} KiB)`,
  );
  record.figure(
    'Redis append-only files searched (every write, deleted keys included)',
    `${aof.files} (${Math.round(aof.bytes / 1024)} KiB)`,
  );
  record.figure('BullMQ jobs searched', snapshots.jobs);
  record.figure('HTTP error answers searched (distinct bodies)', `${bodies.bodies} (${bodies.distinct})`);
  record.expect('canary hits in logs', logs.hits.length, 0, describe(logs.hits));
  record.expect('canary hits in Redis keys, values and job data', snapshots.hits.length, 0, describe(snapshots.hits));
  record.expect('canary hits in the Redis append-only files', aof.hits.length, 0, describe(aof.hits));
  record.expect('canary hits in HTTP error bodies', bodies.hits.length, 0, describe(bodies.hits));
}
