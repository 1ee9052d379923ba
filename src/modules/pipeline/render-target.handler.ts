import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Queues } from '../../queues/queues.js';
import type { ArtifactEvents } from './artifact-events.js';
import { batchFromSingle } from './batch-adapter.js';
import type { PipelineMetrics } from './pipeline.metrics.js';
import type { RenderTarget, TargetKind } from './render-target.entity.js';
import { enqueueRenders } from './render-jobs.js';
import { storeRenders, type RenderToStore } from './render-store.js';
import type {
  BatchRendererRegistry,
  RendererRegistry,
  TargetBatchRenderer,
  TargetRender,
} from './renderer.registry.js';

export interface RenderOutcome {
  status: 'rendered' | 'unchanged' | 'current' | 'gone';
  generation?: string;
  hash?: string;
}

export interface RenderHandlerDeps {
  orm: MikroORM;
  queues: Queues;
  /** Single-target renderers; a kind without a batch renderer is rendered through these, one target at a time. */
  renderers: RendererRegistry;
  /** Set-based renderers, preferred over `renderers` for their kinds. */
  batchRenderers?: BatchRendererRegistry;
  events: ArtifactEvents;
  metrics: PipelineMetrics;
  logger: Logger;
  /** Called after a device target's combined hash changed (push resync hooks in here). */
  onDeviceHashChanged?: (target: ChangedDevice) => Promise<void>;
  /** The same for every changed device of a batch at once; used instead of `onDeviceHashChanged` when given. */
  onDevicesHashChanged?: (targets: ChangedDevice[]) => Promise<void>;
}

export interface ChangedDevice {
  id: string;
  refId: string;
  tenantId: string;
  hash: string;
}

interface TargetRow {
  id: string;
  target_key: string;
  tenant_id: string;
  kind: TargetKind;
  ref_id: string;
  format: string | null;
  desired_gen: string;
  rendered_gen: string;
  rendered_hash: string | null;
  state: RenderTarget['state'];
  failures: number;
}

function asTarget(row: TargetRow): RenderTarget {
  return {
    id: String(row.id),
    targetKey: row.target_key,
    tenantId: row.tenant_id,
    kind: row.kind,
    refId: row.ref_id,
    format: row.format,
    desiredGen: String(row.desired_gen),
    renderedGen: String(row.rendered_gen),
    renderedHash: row.rendered_hash,
    state: row.state,
    failures: row.failures,
    updatedAt: new Date(),
  } as RenderTarget;
}

/**
 * The stable reason of a failed render: a RenderError's own code (sip_server_missing, …,
 * render_error), `internal` for anything else (a bug or an unreachable database, not the data).
 * Duck-typed on the name so the pipeline does not depend on one renderer family.
 */
export function renderFailureReason(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return error.name === 'RenderError' && typeof code === 'string' && /^[a-z_]{1,64}$/.test(code) ? code : 'internal';
}

function batchRendererOf(deps: RenderHandlerDeps, kind: TargetKind): TargetBatchRenderer | undefined {
  const batch = deps.batchRenderers?.[kind];
  if (batch) return batch;
  const single = deps.renderers[kind];
  return single ? batchFromSingle(single) : undefined;
}

async function renderKind(
  deps: RenderHandlerDeps,
  kind: TargetKind,
  targets: RenderTarget[],
): Promise<Map<string, TargetRender | Error>> {
  const renderer = batchRendererOf(deps, kind);
  if (!renderer) return new Map(targets.map((target) => [target.id, new Error(`no renderer for target kind ${kind}`)]));
  try {
    const results = await renderer(deps.orm.em.fork() as EntityManager, targets);
    for (const target of targets)
      if (!results.has(target.id))
        results.set(target.id, new Error(`renderer returned nothing for target ${target.id}`));
    return results;
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return new Map(targets.map((target) => [target.id, failure]));
  }
}

/**
 * Renders a batch of targets from committed state. Safe to run twice: the stored generation only
 * moves forward, and identical bytes change nothing downstream. A failed render marks only its
 * target failed (with its error) and leaves its previous artifacts untouched; the other targets
 * of the batch are stored. Each target id gets its outcome or the error that failed it.
 */
export async function renderTargets(
  deps: RenderHandlerDeps,
  targetIds: readonly string[],
): Promise<Map<string, RenderOutcome | Error>> {
  const outcomes = new Map<string, RenderOutcome | Error>();
  const ids = [...new Set(targetIds)];
  if (ids.length === 0) return outcomes;
  const knex = deps.orm.em.getKnex();
  const loaded = await knex.raw(
    `select id, target_key, tenant_id, kind, ref_id, format, desired_gen, rendered_gen, rendered_hash, state, failures
       from render_targets where id = any(?::bigint[])`,
    [ids],
  );
  const rows = new Map((loaded.rows as TargetRow[]).map((row) => [String(row.id), row]));
  const byKind = new Map<TargetKind, RenderTarget[]>();
  for (const id of ids) {
    const row = rows.get(id);
    if (!row) outcomes.set(id, { status: 'gone' });
    else if (BigInt(row.rendered_gen) >= BigInt(row.desired_gen)) outcomes.set(id, { status: 'current' });
    else if (byKind.has(row.kind)) byKind.get(row.kind)!.push(asTarget(row));
    else byKind.set(row.kind, [asTarget(row)]);
  }

  const toStore: RenderToStore[] = [];
  const failed: { target: RenderTarget; error: Error }[] = [];
  const kindOf = new Map<string, RenderTarget>();
  const started = performance.now();
  for (const [kind, targets] of byKind) {
    const results = await renderKind(deps, kind, targets);
    for (const target of targets) {
      kindOf.set(target.id, target);
      const result = results.get(target.id)!;
      if (result instanceof Error) failed.push({ target, error: result });
      else
        toStore.push({
          targetId: target.id,
          generation: target.desiredGen,
          files: result.files,
          warnings: result.warnings,
        });
    }
  }

  if (failed.length > 0) {
    await knex.raw(
      `update render_targets t set state = 'failed', last_error = f.message, last_error_code = f.code, last_error_at = now(),
              last_error_gen = f.generation, failures = t.failures + 1, updated_at = now()
         from unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[]) as f(id, message, code, generation) where t.id = f.id`,
      [
        failed.map(({ target }) => target.id),
        failed.map(({ error }) => error.message.slice(0, 1000)),
        failed.map(({ error }) => renderFailureReason(error)),
        failed.map(({ target }) => target.desiredGen),
      ],
    );
    for (const { target, error } of failed) {
      deps.metrics.renders.inc({ kind: target.kind, outcome: 'failed' });
      deps.metrics.renderFailures.inc({ kind: target.kind, reason: renderFailureReason(error) });
      outcomes.set(target.id, error);
    }
  }

  let stored: Awaited<ReturnType<typeof storeRenders>>;
  try {
    stored = await storeRenders(knex, toStore);
  } catch (error) {
    // Nothing of the batch was written; every job retries (BullMQ backoff), the targets stay as they were.
    for (const render of toStore)
      outcomes.set(render.targetId, error instanceof Error ? error : new Error(String(error)));
    return outcomes;
  }
  // Per target, as before batching: each stored target took the whole batch's time.
  const seconds = (performance.now() - started) / 1000;
  for (const kind of byKind.keys()) {
    const histogram = deps.metrics.renderDuration.labels({ kind });
    for (const render of toStore) if (kindOf.get(render.targetId)!.kind === kind) histogram.observe(seconds);
  }
  deps.metrics.renderBatchSize.observe(ids.length);

  const changed: RenderTarget[] = [];
  const settled: string[] = [];
  for (const render of toStore) {
    const target = kindOf.get(render.targetId)!;
    const outcome = stored.get(render.targetId)!;
    if (!outcome.stored) {
      outcomes.set(target.id, { status: 'current' });
      continue;
    }
    settled.push(target.id);
    deps.metrics.renders.inc({ kind: target.kind, outcome: outcome.changed ? 'changed' : 'unchanged' });
    outcomes.set(target.id, {
      status: outcome.changed ? 'rendered' : 'unchanged',
      generation: render.generation,
      hash: outcome.hash,
    });
    if (outcome.changed) changed.push(target);
  }
  if (changed.length > 0) {
    await deps.events.publishChanged(changed.map((target) => target.id)).catch(() => undefined);
    const devices = changed
      .filter((target) => target.kind === 'device')
      .map((target) => ({
        id: target.id,
        refId: target.refId,
        tenantId: target.tenantId,
        hash: stored.get(target.id)!.hash,
      }));
    if (deps.onDevicesHashChanged) await deps.onDevicesHashChanged(devices);
    else if (deps.onDeviceHashChanged) await Promise.all(devices.map((device) => deps.onDeviceHashChanged!(device)));
  }
  await requeueOvertaken(deps, settled);
  return outcomes;
}

/** A change that landed while we rendered: queue the next render now rather than wait for the sweeper. */
async function requeueOvertaken(deps: RenderHandlerDeps, targetIds: string[]): Promise<void> {
  if (targetIds.length === 0) return;
  const latest = await deps.orm.em
    .getKnex()
    .raw(
      `select id, kind, desired_gen from render_targets where id = any(?::bigint[]) and desired_gen > rendered_gen`,
      [targetIds],
    );
  const overtaken = (latest.rows as { id: string; kind: string; desired_gen: string }[]).map((row) => ({
    id: String(row.id),
    kind: row.kind,
    desiredGen: String(row.desired_gen),
  }));
  await enqueueRenders(deps.queues, overtaken);
}

/** One target: its outcome, or the error that failed it thrown (the job fails and BullMQ retries it). */
export async function renderTarget(deps: RenderHandlerDeps, targetId: string): Promise<RenderOutcome> {
  const outcome = (await renderTargets(deps, [targetId])).get(targetId)!;
  if (outcome instanceof Error) throw outcome;
  return outcome;
}
