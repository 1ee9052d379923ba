import type { Deps } from '../../deps/deps.js';
import type { QueueHandlers } from '../../queues/worker-host.js';
import { ArtifactEvents } from './artifact-events.js';
import type { FanoutRegistry } from './fanout.registry.js';
import { pipelineMetrics } from './pipeline.metrics.js';
import { OutboxRelay } from './relay.js';
import { RenderBatcher } from './render-batcher.js';
import { renderTargets, type RenderHandlerDeps } from './render-target.handler.js';
import type { RendererRegistry } from './renderer.registry.js';
import { sweepLaggingTargets } from './sweeper.js';
import { requireKey } from '../../config/config.js';

export function artifactEvents(deps: Deps): ArtifactEvents {
  return new ArtifactEvents(deps.redis, deps.config.queuePrefix);
}

/** How long a render job waits for others to share its batch (a few ms: the throttle window is 50 ms or more anyway). */
export const RENDER_BATCH_WAIT_MS = 20;
/** Batches of one process rendering at once: enough to overlap database round trips with rendering on two cores. */
export const RENDER_BATCHES_IN_FLIGHT = 4;

/**
 * The render queue's handler: each `render.target` job hands its target to this process's
 * batcher and settles with that target's own outcome. A renderer made from a batch renderer
 * (`singleFromBatch`) renders its kind set-based; any other one target after another.
 */
export function renderHandlers(
  deps: Deps,
  renderers: RendererRegistry,
  extra: Partial<RenderHandlerDeps> = {},
): QueueHandlers<'render'> {
  const handlerDeps: RenderHandlerDeps = {
    orm: deps.orm,
    queues: deps.queues,
    renderers,
    events: artifactEvents(deps),
    metrics: pipelineMetrics(deps.metrics.registry),
    logger: deps.logger,
    ...extra,
  };
  const batcher = new RenderBatcher((targetIds) => renderTargets(handlerDeps, targetIds), {
    maxBatch: deps.config.renderBatchSize,
    maxWaitMs: RENDER_BATCH_WAIT_MS,
    maxInFlight: RENDER_BATCHES_IN_FLIGHT,
  });
  return {
    'render.target': async (payload) => batcher.submit(payload.targetId),
    // A chunk fails (and BullMQ retries it with backoff) when any of its targets failed; on a
    // retry the targets rendered meanwhile are current and skipped, so only the failed ones render again.
    'render.targets': async (payload) => {
      const settled = await Promise.allSettled(payload.targetIds.map((targetId) => batcher.submit(targetId)));
      const failures = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []));
      if (failures.length > 0)
        throw new Error(
          `${failures.length} of ${payload.targetIds.length} targets failed; first: ${failures[0]!.message}`,
        );
      return {
        rendered: settled.filter((result) => result.status === 'fulfilled' && result.value.status === 'rendered')
          .length,
        targets: payload.targetIds.length,
      };
    },
  };
}

/** The periodic sweep: lagging render targets, then any other Postgres-held work the caller adds (by name). */
export function pipelineHandlers(
  deps: Deps,
  otherSweeps: Record<string, () => Promise<number>> = {},
): QueueHandlers<'pipeline'> {
  return {
    'pipeline.sweep': async () => {
      const result: Record<string, number> = {
        requeued: await sweepLaggingTargets(deps.orm, deps.queues, pipelineMetrics(deps.metrics.registry)),
      };
      for (const [name, sweep] of Object.entries(otherSweeps)) result[name] = await sweep();
      return result;
    },
  };
}

export function createRelay(
  deps: Deps,
  fanout: FanoutRegistry,
  options?: { batchSize: number; pollMs: number },
): OutboxRelay {
  return new OutboxRelay(
    deps.orm,
    requireKey(deps.config, 'databaseUrl'),
    deps.queues,
    fanout,
    artifactEvents(deps),
    deps.logger.child({ component: 'relay' }),
    pipelineMetrics(deps.metrics.registry),
    options,
  );
}
