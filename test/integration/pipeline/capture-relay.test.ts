import { randomUUID } from 'node:crypto';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRelay, renderHandlers } from '#src/modules/pipeline/pipeline.js';
import type { OutboxRelay } from '#src/modules/pipeline/relay.js';
import { startWorkers } from '#src/queues/worker-host.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { eventually } from '../../helpers/eventually.js';
import { PROBE_SCHEMA, probeFanout, probeRenderers, renderProbeBook } from '../../helpers/pipeline-probe.js';

describe('change capture, relay and render', () => {
  let ctx: TestContext;
  let relay: OutboxRelay;
  let workers: Worker[] = [];
  const counts = new Map<string, number>();
  const tenantId = randomUUID();

  const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
    ctx.deps.orm.em.getConnection().execute<T[]>(query, params);
  const outbox = () =>
    sql<{ table_name: string; op: string; keys: Record<string, string> }>(
      `select table_name, op, keys from change_outbox order by id`,
    );

  beforeAll(async () => {
    ctx = await createTestContext();
    await sql(PROBE_SCHEMA);
    relay = createRelay(ctx.deps, probeFanout(), { batchSize: 1000, pollMs: 200 });
  });
  afterAll(async () => {
    await relay?.stop();
    await Promise.all(workers.map((worker) => worker.close()));
    await ctx?.close();
  });
  beforeEach(async () => {
    await sql(`delete from change_outbox`);
  });

  it('captures an insert, a bulk update and a delete, each with its keys, old and new', async () => {
    const [bookA, bookB, item] = [randomUUID(), randomUUID(), randomUUID()];
    await sql(`insert into probe_items values (?, ?, ?, 'one')`, [item, tenantId, bookA]);
    await sql(`update probe_items set book_id = ? where book_id = ?`, [bookB, bookA]);
    await sql(`update probe_items set label = label where id = ?`, [item]);
    await sql(`delete from probe_items where id = ?`, [item]);
    const rows = await outbox();
    expect(rows.map((row) => row.op)).toEqual(['I', 'U', 'D']);
    expect(rows[0]!.keys).toEqual({ id: item, book_id: bookA });
    expect(rows[1]!.keys).toEqual({ id: item, book_id: bookB, old_book_id: bookA });
    expect(rows[2]!.keys).toEqual({ id: item, book_id: bookB });
    expect(rows.every((row) => row.table_name === 'probe_items')).toBe(true);
  });

  it('captures nothing from a rolled-back transaction', async () => {
    const knex = ctx.deps.orm.em.getKnex();
    await knex
      .transaction(async (trx) => {
        await trx.raw(`insert into probe_items values (?, ?, ?, 'ghost')`, [randomUUID(), tenantId, randomUUID()]);
        throw new Error('abort');
      })
      .catch(() => undefined);
    expect(await outbox()).toEqual([]);
  });

  it('relays changes into bumped targets and leaves nothing behind', async () => {
    const book = randomUUID();
    await sql(`insert into probe_items select gen_random_uuid(), ?, ?, 'x' || g from generate_series(1, 50) g`, [
      tenantId,
      book,
    ]);
    expect(await relay.drainOnce()).toBe(50);
    expect(await outbox()).toEqual([]);
    const [target] = await sql<{ desired_gen: string; rendered_gen: string }>(
      `select desired_gen, rendered_gen from render_targets where target_key = ?`,
      [`probe:${book}`],
    );
    expect(target).toEqual({ desired_gen: '1', rendered_gen: '0' });
  });

  it('renders every lagging target to the bytes of a fresh render, end to end', async () => {
    workers = startWorkers(
      { render: renderHandlers(ctx.deps, probeRenderers({ counts })) },
      { connection: ctx.deps.workerRedis, prefix: ctx.config.queuePrefix, concurrency: 4, logger: ctx.deps.logger },
    );
    await relay.start();
    const book = randomUUID();
    await sql(`insert into probe_items values (gen_random_uuid(), ?, ?, 'alpha'), (gen_random_uuid(), ?, ?, 'beta')`, [
      tenantId,
      book,
      tenantId,
      book,
    ]);
    const artifact = await eventually(
      () =>
        sql<{ body: Buffer }>(
          `select a.body from artifacts a join render_targets t on t.id = a.target_id where t.target_key = ? and t.rendered_gen = t.desired_gen`,
          [`probe:${book}`],
        ),
      (rows) => rows.length === 1,
    );
    expect(artifact[0]!.body.equals(renderProbeBook(['alpha', 'beta']))).toBe(true);

    await sql(`update probe_items set label = 'gamma' where label = 'alpha' and book_id = ?`, [book]);
    const updated = await eventually(
      () =>
        sql<{ body: Buffer }>(
          `select a.body from artifacts a join render_targets t on t.id = a.target_id where t.target_key = ?`,
          [`probe:${book}`],
        ),
      (rows) => rows[0]?.body.equals(renderProbeBook(['beta', 'gamma'])) ?? false,
    );
    expect(updated[0]!.body.toString()).toBe('beta\ngamma\n');
  });

  it('coalesces a burst of 10,000 edits into a bounded number of renders', async () => {
    const book = randomUUID();
    await sql(`insert into probe_items select gen_random_uuid(), ?, ?, 'n' || g from generate_series(1, 100) g`, [
      tenantId,
      book,
    ]);
    const [{ id }] = await eventually(
      () =>
        sql<{ id: string }>(`select id from render_targets where target_key = ? and rendered_gen = desired_gen`, [
          `probe:${book}`,
        ]),
      (rows) => rows.length === 1,
    );
    const before = counts.get(String(id)) ?? 0;
    for (let round = 0; round < 100; round += 1) {
      await sql(`update probe_items set label = 'r${round}-' || id where book_id = ?`, [book]);
    }
    const converged = await eventually(
      () =>
        sql<{ body: Buffer; lag: boolean }>(
          `select a.body, t.rendered_gen < t.desired_gen as lag from artifacts a join render_targets t on t.id = a.target_id where t.id = ?`,
          [id],
        ),
      (rows) => rows[0]?.lag === false && rows[0].body.toString().startsWith('r99-'),
      30000,
    );
    expect(
      converged[0]!.body
        .toString()
        .split('\n')
        .filter(Boolean)
        .every((line) => line.startsWith('r99-')),
    ).toBe(true);
    const renders = (counts.get(String(id)) ?? 0) - before;
    expect(renders).toBeGreaterThanOrEqual(1);
    expect(renders).toBeLessThan(100);
  });
});
