import type { Queues } from '../../queues/queues.js';

export interface RenderJobRequest {
  id: string;
  kind: string;
  desiredGen: string;
}

/**
 * Throttle windows per target kind. A burst of changes to one target collapses into at most one
 * render per window plus one queued behind a running render (BullMQ `keepLastIfActive`), so
 * 10,000 contact edits cost a phonebook a bounded number of renders, and no change is dropped:
 * the worker always renders the latest committed state.
 */
export const THROTTLE_MS: Record<string, number> = { device: 50, phonebook: 250, directory: 250 };

/**
 * From this many targets of one kind in one call (a profile change reaching a whole tenant, a
 * sweep after Redis lost its jobs), renders go out as `render.targets` jobs of RENDER_CHUNK
 * targets. Measured: a queued job costs 100–250 µs of Redis and worker CPU, as much as rendering
 * a device, and adding 100,000 single jobs takes longer than the relay's 5 s enqueue bound.
 * Chunks skip per-target deduplication; that is safe because a render skips targets that are
 * already current and the stored generation only moves forward.
 */
export const LARGE_FANOUT = 500;
export const RENDER_CHUNK = 200;

export async function enqueueRenders(queues: Queues, targets: RenderJobRequest[]): Promise<void> {
  if (targets.length === 0) return;
  const byKind = new Map<string, RenderJobRequest[]>();
  for (const target of targets) {
    const list = byKind.get(target.kind);
    if (list) list.push(target);
    else byKind.set(target.kind, [target]);
  }
  const jobs: Parameters<ReturnType<Queues['get']>['addBulk']>[0] = [];
  for (const [kind, list] of byKind) {
    const delay = THROTTLE_MS[kind] ?? 100;
    if (list.length >= LARGE_FANOUT) {
      for (let start = 0; start < list.length; start += RENDER_CHUNK) {
        const chunk = list.slice(start, start + RENDER_CHUNK);
        jobs.push({
          name: 'render.targets',
          data: { targetIds: chunk.map((target) => target.id), generations: chunk.map((target) => target.desiredGen) },
          opts: { delay },
        });
      }
      continue;
    }
    for (const target of list) {
      jobs.push({
        name: 'render.target',
        data: { targetId: target.id, generation: target.desiredGen },
        opts: { delay, deduplication: { id: `target:${target.id}`, keepLastIfActive: true } },
      });
    }
  }
  await queues.get('render').addBulk(jobs);
}
