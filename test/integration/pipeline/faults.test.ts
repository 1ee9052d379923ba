import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/stack/ports.js';
import { startLocalRedis, type LocalRedis } from '../../../scripts/stack/redis.js';
import { pipelineMetrics } from '#src/modules/pipeline/pipeline.metrics.js';
import { createRelay, renderHandlers } from '#src/modules/pipeline/pipeline.js';
import type { OutboxRelay } from '#src/modules/pipeline/relay.js';
import { sweepLaggingTargets } from '#src/modules/pipeline/sweeper.js';
import { closeWorkers, startWorkers } from '#src/queues/worker-host.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { eventually } from '../../helpers/eventually.js';
import { PROBE_SCHEMA, probeFanout, probeRenderers, renderProbeBook } from '../../helpers/pipeline-probe.js';

/** Faults need a Redis of their own: FLUSHALL and restarts must not touch other test files. */
describe('pipeline under Redis and worker faults', () => {
  let redis: LocalRedis;
  let redisPort: number;
  let ctx: TestContext;
  let relay: OutboxRelay;
  const tenantId = randomUUID();
  const redisDir = join('.data', `pipeline-faults-${process.pid}`);
  const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
    ctx.deps.orm.em.getConnection().execute<T[]>(query, params);

  /** Every probe target rendered at its desired generation, with bytes equal to a fresh render. */
  async function converged(): Promise<boolean> {
    const [{ pending }] = await sql<{ pending: number }>(`select count(*)::int as pending from change_outbox`);
    if (pending > 0) return false;
    const targets = await sql<{ ref_id: string; lag: boolean; body: Buffer | null }>(
      `select t.ref_id, t.rendered_gen < t.desired_gen as lag, a.body from render_targets t left join artifacts a on a.target_id = t.id`,
    );
    if (targets.length === 0) return false;
    for (const target of targets) {
      if (target.lag || !target.body) return false;
      const labels = await sql<{ label: string }>(
        `select label from probe_items where book_id = ? order by label, id`,
        [target.ref_id],
      );
      if (!target.body.equals(renderProbeBook(labels.map((row) => row.label)))) return false;
    }
    return true;
  }

  async function edit(book: string, rounds: number): Promise<void> {
    for (let round = 0; round < rounds; round += 1)
      await sql(`update probe_items set label = ? || id where book_id = ?`, [`${randomUUID().slice(0, 6)}-`, book]);
  }

  async function newBook(items: number): Promise<string> {
    const book = randomUUID();
    await sql(`insert into probe_items select gen_random_uuid(), ?, ?, 'i' || g from generate_series(1, ?) g`, [
      tenantId,
      book,
      items,
    ]);
    return book;
  }

  beforeAll(async () => {
    redisPort = await freePort();
    redis = await startLocalRedis({ dataDir: redisDir, port: redisPort, appendOnly: false });
    ctx = await createTestContext({ PROVD_REDIS_URL: redis.url });
    await sql(PROBE_SCHEMA);
    relay = createRelay(ctx.deps, probeFanout(), { batchSize: 1000, pollMs: 200 });
  });
  afterAll(async () => {
    await relay?.stop();
    await ctx?.close();
    await redis?.stop();
  });

  it('restores convergence through the sweeper after FLUSHALL lost every queued job', async () => {
    const book = await newBook(20);
    await edit(book, 3);
    while ((await relay.drainOnce()) > 0);
    await ctx.deps.redis.flushall();
    const workers: Worker[] = startWorkers(
      { render: renderHandlers(ctx.deps, probeRenderers()) },
      { connection: ctx.deps.workerRedis, prefix: ctx.config.queuePrefix, concurrency: 2, logger: ctx.deps.logger },
    );
    try {
      expect(await converged()).toBe(false);
      const requeued = await sweepLaggingTargets(
        ctx.deps.orm,
        ctx.deps.queues,
        pipelineMetrics(ctx.deps.metrics.registry),
      );
      expect(requeued).toBeGreaterThan(0);
      expect(await eventually(converged, (ok) => ok)).toBe(true);
    } finally {
      await closeWorkers(workers, 5000);
    }
  });

  it('keeps changes in the outbox while Redis is down and resumes without a process restart', async () => {
    const workers = startWorkers(
      { render: renderHandlers(ctx.deps, probeRenderers()) },
      { connection: ctx.deps.workerRedis, prefix: ctx.config.queuePrefix, concurrency: 2, logger: ctx.deps.logger },
    );
    await relay.start();
    try {
      await redis.stop();
      const book = await newBook(10);
      await edit(book, 2);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const [{ waiting }] = await sql<{ waiting: number }>(`select count(*)::int as waiting from change_outbox`);
      expect(waiting).toBeGreaterThan(0);
      redis = await startLocalRedis({ dataDir: redisDir, port: redisPort, appendOnly: false });
      expect(await eventually(converged, (ok) => ok, 40000)).toBe(true);
      const [{ left }] = await sql<{ left: number }>(`select count(*)::int as left from change_outbox`);
      expect(left).toBe(0);
    } finally {
      await relay.stop();
      await closeWorkers(workers, 5000);
    }
  });

  it('converges after a worker is killed with SIGKILL in the middle of renders', async () => {
    const env = {
      ...process.env,
      PROVD_DATABASE_URL: ctx.config.databaseUrl!,
      PROVD_REDIS_URL: redis.url,
      PROVD_QUEUE_PREFIX: ctx.config.queuePrefix,
    };
    const startWorker = (delayMs: number): Promise<ChildProcess> =>
      new Promise((resolve, reject) => {
        const child = spawn('node_modules/.bin/tsx', ['test/fixtures/probe-worker.ts'], {
          env: { ...env, PROBE_DELAY_MS: String(delayMs) },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        child.stdout!.once('data', () => resolve(child));
        child.once('exit', (code) => reject(new Error(`probe worker exited ${code}`)));
      });
    relay = createRelay(ctx.deps, probeFanout(), { batchSize: 1000, pollMs: 200 });
    await relay.start();
    const slow = await startWorker(800);
    const books = await Promise.all([newBook(5), newBook(5), newBook(5), newBook(5)]);
    await eventually(
      () => ctx.deps.queues.get('render').getActiveCount(),
      (active) => active > 0,
    );
    slow.kill('SIGKILL');
    await new Promise((resolve) => slow.once('exit', resolve));
    await edit(books[0]!, 1);
    const fresh = await startWorker(0);
    try {
      expect(await eventually(converged, (ok) => ok, 45000)).toBe(true);
    } finally {
      fresh.kill('SIGTERM');
      await new Promise((resolve) => fresh.once('exit', resolve));
    }
  });
});
