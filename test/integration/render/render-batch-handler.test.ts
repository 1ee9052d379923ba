import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererRegistry } from '#src/app/renderers.js';
import { ArtifactEvents } from '#src/modules/pipeline/artifact-events.js';
import { deviceTarget } from '#src/modules/pipeline/fanout.types.js';
import { pipelineMetrics } from '#src/modules/pipeline/pipeline.metrics.js';
import { renderHandlers } from '#src/modules/pipeline/pipeline.js';
import { enqueueRenders, LARGE_FANOUT, RENDER_CHUNK } from '#src/modules/pipeline/render-jobs.js';
import { storeRenders } from '#src/modules/pipeline/render-store.js';
import {
  renderTargets,
  type ChangedDevice,
  type RenderHandlerDeps,
  type RenderOutcome,
} from '#src/modules/pipeline/render-target.handler.js';
import { bumpTargets, type BumpedTarget } from '#src/modules/pipeline/targets.js';
import { deviceBatchRenderer } from '#src/modules/render/targets/device-batch.renderer.js';
import { seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { created, createDevice, PHONE_URL, seedScenario, sql, type Scenario } from './render-scenario.js';

let ctx: TestContext;
let t: SeededTenant;
let s: Scenario;
let deps: RenderHandlerDeps;
const changedDevices: ChangedDevice[] = [];

/** Bumps the devices' targets; returned in the order of `deviceIds`. */
const bump = async (deviceIds: string[]): Promise<BumpedTarget[]> => {
  const specs = deviceIds.map((id) => deviceTarget(t.tenant.id, id));
  const bumped = await ctx.deps.orm.em.getKnex().transaction((trx) => bumpTargets(trx, specs));
  return specs.map((spec) => bumped.find((target) => target.targetKey === spec.targetKey)!);
};
const targetRows = (ids: string[]) =>
  sql<{
    id: string;
    rendered_gen: string;
    desired_gen: string;
    state: string;
    rendered_hash: string | null;
    last_error: string | null;
  }>(
    ctx,
    `select id::text, rendered_gen::text, desired_gen::text, state, rendered_hash, last_error from render_targets where id = any(?::bigint[]) order by array_position(?::bigint[], id)`,
    [ids, ids],
  );
const artifactsOf = (ids: string[]) =>
  sql<{ target_id: string; serve_path: string; sha256: string; generation: string; body: Buffer }>(
    ctx,
    `select target_id::text, serve_path, sha256, generation::text, body from artifacts where target_id = any(?::bigint[]) order by serve_path`,
    [ids],
  );

let mac = 0x20;
const device = (vendor = 'yealink', model = 'T46S', extra: Record<string, unknown> = {}) =>
  createDevice(s, `00:15:65:bb:00:${(mac++).toString(16).padStart(2, '0')}`, vendor, model, extra);

beforeAll(async () => {
  ctx = await createTestContext({ PROVD_PUBLIC_PHONE_URL: PHONE_URL });
  t = await seedTenant(ctx, 'batch-handler');
  s = await seedScenario(t);
  deps = {
    orm: ctx.deps.orm,
    queues: ctx.deps.queues,
    renderers: rendererRegistry({ publicPhoneUrl: PHONE_URL }),
    events: new ArtifactEvents(ctx.deps.redis, ctx.config.queuePrefix),
    metrics: pipelineMetrics(ctx.deps.metrics.registry),
    logger: ctx.deps.logger,
    onDevicesHashChanged: async (devices) => void changedDevices.push(...devices),
  };
});
afterAll(async () => ctx?.close());

describe('render handler, batches', () => {
  it('stores a batch set-based; a failing target fails alone and keeps its artifacts', async () => {
    const ids = [await device(), await device('cisco-mpp', 'CP-8841'), await device('poly', 'VVX 450')];
    const targets = await bump(ids);
    const targetIds = targets.map((target) => target.id);
    const first = await renderTargets(deps, targetIds);
    expect([...first.values()].map((outcome) => (outcome as RenderOutcome).status)).toEqual([
      'rendered',
      'rendered',
      'rendered',
    ]);
    expect(
      changedDevices
        .filter((changed) => targetIds.includes(changed.id))
        .map((changed) => changed.refId)
        .sort(),
    ).toEqual([...ids].sort());
    const before = await artifactsOf(targetIds);
    expect(new Set(before.map((row) => row.target_id))).toEqual(new Set(targetIds));

    // The middle device gets a profile its vendor's key grammar refuses; the others re-render unchanged.
    const broken = created(
      await s.admin.post(s.api('/profiles'), { name: 'Broken in batch', rawKeys: { yealink: { '9bad.key': '1' } } }),
    );
    created(await s.admin.patch(s.api(`/devices/${ids[0]}`), { profileId: broken.id }), 200);
    await bump(ids);
    changedDevices.length = 0;
    const second = await renderTargets(deps, targetIds);
    expect(second.get(targetIds[0]!)).toBeInstanceOf(Error);
    expect((second.get(targetIds[0]!) as Error).message).toBe('yealink: raw key "9bad.key" is not a valid key name');
    expect(second.get(targetIds[1]!)).toMatchObject({ status: 'unchanged', generation: '2' });
    expect(second.get(targetIds[2]!)).toMatchObject({ status: 'unchanged', generation: '2' });
    expect(changedDevices).toEqual([]);
    const rows = await targetRows(targetIds);
    expect(rows.map((row) => [row.state, row.rendered_gen, row.desired_gen])).toEqual([
      ['failed', '1', '2'],
      ['ok', '2', '2'],
      ['ok', '2', '2'],
    ]);
    expect(rows[0]!.last_error).toBe('yealink: raw key "9bad.key" is not a valid key name');
    // Unchanged bytes changed nothing: same rows, same generation on the files.
    expect(await artifactsOf(targetIds)).toEqual(before);
  });

  it('two concurrent batches sharing targets store each target once, at its newest generation', async () => {
    const ids: string[] = [];
    for (const [vendor, model] of [
      ['yealink', 'T46S'],
      ['grandstream', 'GRP2614'],
      ['snom', 'D785'],
      ['fanvil', 'X6U'],
      ['gigaset', 'N870'],
      ['cisco-mpp', 'CP-8841'],
    ] as const)
      ids.push(await device(vendor, model));
    await bump(ids);
    await bump(ids);
    const targets = await bump(ids);
    const targetIds = targets.map((target) => target.id);
    const [a, b] = await Promise.all([
      renderTargets(deps, targetIds.slice(0, 4)),
      renderTargets(deps, targetIds.slice(2)),
    ]);
    for (const id of targetIds.slice(2, 4)) {
      const statuses = [(a.get(id) as RenderOutcome).status, (b.get(id) as RenderOutcome).status].sort();
      expect(statuses).toEqual(['current', 'rendered']);
    }
    for (const id of [...targetIds.slice(0, 2)])
      expect(a.get(id)).toMatchObject({ status: 'rendered', generation: '3' });
    for (const id of [...targetIds.slice(4)]) expect(b.get(id)).toMatchObject({ status: 'rendered', generation: '3' });
    expect((await targetRows(targetIds)).map((row) => [row.state, row.rendered_gen])).toEqual(
      targetIds.map(() => ['ok', '3']),
    );
    const stored = await artifactsOf(targetIds);
    expect(stored).toHaveLength(targetIds.length);
    expect(stored.every((row) => row.generation === '3')).toBe(true);
  });

  it('an older render never overwrites a newer one, and a change that landed while rendering is queued again', async () => {
    const id = await device();
    const [target] = await bump([id]);
    const [rendered] = await renderTargets(deps, [target!.id]).then((outcomes) => [...outcomes.values()]);
    expect(rendered).toMatchObject({ status: 'rendered', generation: '1' });
    const before = await artifactsOf([target!.id]);

    // A render of generation 1 arriving late (different bytes) writes nothing.
    const late = await storeRenders(ctx.deps.orm.em.getKnex(), [
      {
        targetId: target!.id,
        generation: '1',
        files: [
          {
            servePath: before[0]!.serve_path,
            contentType: 'text/plain',
            body: Buffer.from('stale'),
            sha256: 'f'.repeat(64),
            carriesSecrets: false,
          },
        ],
        warnings: [],
      },
    ]);
    expect(late.get(target!.id)).toMatchObject({ stored: false, changed: false });
    expect(await artifactsOf([target!.id])).toEqual(before);

    // A bump while the batch renders: generation 2 is stored, generation 3 gets a job of its own.
    await bump([id]);
    const realBatch = deviceBatchRenderer({ publicPhoneUrl: PHONE_URL });
    const overtaking: RenderHandlerDeps = {
      ...deps,
      batchRenderers: {
        device: async (em, targets) => {
          const results = await realBatch(em, targets);
          await bump([id]);
          return results;
        },
      },
    };
    await ctx.deps.queues
      .get('render')
      .remove(`target:${target!.id}`)
      .catch(() => undefined);
    expect((await renderTargets(overtaking, [target!.id])).get(target!.id)).toMatchObject({
      status: 'unchanged',
      generation: '2',
    });
    expect((await targetRows([target!.id]))[0]).toMatchObject({ rendered_gen: '2', desired_gen: '3' });
    const jobs = await ctx.deps.queues.get('render').getJobs(['delayed', 'waiting', 'prioritized']);
    expect(jobs.some((job) => job.data.targetId === target!.id && job.data.generation === '3')).toBe(true);
  });

  it('sends a large fan-out as chunk jobs of ids and generations, and a chunk job renders its targets through the batcher', async () => {
    const queue = ctx.deps.queues.get('render');
    const many = Array.from({ length: LARGE_FANOUT + 1 }, (_, i) => ({
      id: String(900_000 + i),
      kind: 'device',
      desiredGen: '7',
    }));
    await enqueueRenders(ctx.deps.queues, [...many, { id: '899999', kind: 'phonebook', desiredGen: '1' }]);
    const jobs = (await queue.getJobs(['delayed', 'waiting'])).filter(
      (job) => job.name === 'render.targets' || job.data.targetId === '899999',
    );
    const chunks = jobs.filter((job) => job.name === 'render.targets');
    expect(chunks.map((job) => job.data.targetIds.length).sort((a, b) => b - a)).toEqual([
      RENDER_CHUNK,
      RENDER_CHUNK,
      LARGE_FANOUT + 1 - 2 * RENDER_CHUNK,
    ]);
    expect(chunks.flatMap((job) => job.data.targetIds).sort()).toEqual(many.map((target) => target.id).sort());
    expect(chunks.every((job) => job.data.generations.every((generation: string) => generation === '7'))).toBe(true);
    // A small fan-out keeps its deduplicated single job.
    expect(jobs.filter((job) => job.name === 'render.target').map((job) => job.data)).toEqual([
      { targetId: '899999', generation: '1' },
    ]);
    await Promise.all(jobs.map((job) => job.remove()));

    const ids = [await device(), await device('cisco-enterprise', 'CP-8845')];
    const targets = await bump(ids);
    const handlers = renderHandlers(ctx.deps, deps.renderers);
    const payload = {
      targetIds: targets.map((target) => target.id),
      generations: targets.map((target) => target.desiredGen),
    };
    expect(await handlers['render.targets'](payload, undefined as never)).toEqual({ rendered: 2, targets: 2 });
    expect((await targetRows(payload.targetIds)).map((row) => [row.state, row.rendered_gen])).toEqual([
      ['ok', '1'],
      ['ok', '1'],
    ]);
    // Run again: everything is current, nothing renders.
    expect(await handlers['render.targets'](payload, undefined as never)).toEqual({ rendered: 0, targets: 2 });
  });
});
