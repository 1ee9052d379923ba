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

export async function enqueueRenders(queues: Queues, targets: RenderJobRequest[]): Promise<void> {
  if (targets.length === 0) return;
  const queue = queues.get('render');
  await queue.addBulk(
    targets.map((target) => ({
      name: 'render.target',
      data: { targetId: target.id, generation: target.desiredGen },
      opts: {
        delay: THROTTLE_MS[target.kind] ?? 100,
        deduplication: { id: `target:${target.id}`, keepLastIfActive: true },
      },
    })),
  );
}
