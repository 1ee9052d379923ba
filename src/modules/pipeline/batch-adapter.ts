import type { EntityManager } from '@mikro-orm/postgresql';
import type { RenderTarget } from './render-target.entity.js';
import type { TargetBatchRenderer, TargetRender, TargetRenderer } from './renderer.registry.js';

/*
 * Single-target and batch renderers are two views of the same thing. The worker always renders in
 * batches; callers that hold one target (the battery's oracle, tests, previews) keep the
 * one-target API. A single renderer made from a batch one remembers its origin, so the worker
 * gets the set-based batch renderer back instead of a loop over the wrapper.
 */
const batchOrigin = new WeakMap<TargetRenderer, TargetBatchRenderer>();

/** One target through a batch renderer: its render, or its error thrown. */
export function singleFromBatch(batch: TargetBatchRenderer): TargetRenderer {
  const single: TargetRenderer = async (em, target) => {
    const outcome = (await batch(em, [target])).get(target.id);
    if (outcome instanceof Error) throw outcome;
    if (!outcome) throw new Error(`batch renderer returned nothing for target ${target.id}`);
    return outcome;
  };
  batchOrigin.set(single, batch);
  return single;
}

/**
 * A batch renderer for any single one: the batch renderer it was made from, or each target in
 * turn, each with a manager of its own (so one target's identity map never feeds the next) and
 * its own failure.
 */
export function batchFromSingle(single: TargetRenderer): TargetBatchRenderer {
  const origin = batchOrigin.get(single);
  if (origin) return origin;
  return async (em: EntityManager, targets: RenderTarget[]) => {
    const results = new Map<string, TargetRender | Error>();
    for (const target of targets) {
      try {
        results.set(target.id, await single(em.fork() as EntityManager, target));
      } catch (error) {
        results.set(target.id, error instanceof Error ? error : new Error(String(error)));
      }
    }
    return results;
  };
}
