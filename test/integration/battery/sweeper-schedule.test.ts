import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepSweeperScheduled, scheduleSweeper, SWEEP_SCHEDULER_ID } from '#src/modules/pipeline/sweeper.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { eventually } from '../../helpers/eventually.js';

/*
 * Found by the battery: after a FLUSHALL the sweep's job scheduler was gone with everything
 * else, so renders lost with Redis never came back. The relay now puts it back.
 */
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

describe('sweep schedule', () => {
  it('is restored when Redis lost it (every key of the prefix deleted, as FLUSHALL would)', async () => {
    const pipeline = ctx.deps.queues.get('pipeline');
    await scheduleSweeper(ctx.deps.queues, 200);
    expect(await pipeline.getJobScheduler(SWEEP_SCHEDULER_ID)).toBeDefined();
    const keeper = keepSweeperScheduled(ctx.deps.queues, 200, ctx.deps.logger);
    try {
      // This file shares the test Redis: delete only this context's keys.
      const redis = new Redis(ctx.config.redisUrl!);
      const keys = await redis.keys(`${ctx.config.queuePrefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      expect(await pipeline.getJobScheduler(SWEEP_SCHEDULER_ID)).toBeUndefined();
      expect(
        await eventually(
          () => pipeline.getJobScheduler(SWEEP_SCHEDULER_ID),
          (scheduler) => scheduler !== undefined,
        ),
      ).toBeDefined();
      expect(ctx.logs.join('')).toContain('sweep schedule was missing from Redis; restored');
    } finally {
      keeper.stop();
      await pipeline.removeJobScheduler(SWEEP_SCHEDULER_ID);
    }
  });
});
