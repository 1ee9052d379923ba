import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/stack/ports.js';
import { startLocalRedis, type LocalRedis } from '../../../scripts/stack/redis.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

async function readyz(ctx: TestContext) {
  const response = await ctx.admin.inject({ method: 'GET', url: '/readyz' });
  return {
    status: response.statusCode,
    body: response.json() as { status: string; checks: Record<string, { ok: boolean; error?: string }> },
  };
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!accept(last) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    last = await probe();
  }
  return last;
}

describe('health and readiness with a Redis that goes away', () => {
  let redis: LocalRedis;
  let ctx: TestContext;
  let port: number;
  const dataDir = join('.data', `readiness-${process.pid}`);

  beforeAll(async () => {
    port = await freePort();
    redis = await startLocalRedis({ dataDir, port, appendOnly: false });
    ctx = await createTestContext({ PROVD_REDIS_URL: redis.url });
  });

  afterAll(async () => {
    await ctx?.close();
    await redis?.stop();
  });

  it('is live and ready when Postgres, Redis and the queue answer', async () => {
    expect((await ctx.admin.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await eventually(
      () => readyz(ctx),
      (r) => r.status === 200,
    );
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ postgres: { ok: true }, redis: { ok: true }, queue: { ok: true } });
  });

  it('answers 503 with a clear body while Redis is down, stays live, and recovers without a restart', async () => {
    await redis.stop();
    const down = await eventually(
      () => readyz(ctx),
      (r) => r.status === 503,
    );
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unavailable');
    expect(down.body.checks.postgres.ok).toBe(true);
    expect(down.body.checks.redis.ok).toBe(false);
    expect(JSON.stringify(down.body)).not.toMatch(/\bat .*\.ts:\d+/);
    expect((await ctx.admin.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);

    redis = await startLocalRedis({ dataDir, port, appendOnly: false });
    const back = await eventually(
      () => readyz(ctx),
      (r) => r.status === 200,
      30000,
    );
    expect(back.status).toBe(200);
  });
});
