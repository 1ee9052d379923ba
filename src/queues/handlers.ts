import type { Deps } from '../deps/deps.js';
import { publicPhoneUrl } from '../config/config.js';
import { rendererRegistry } from '../app/renderers.js';
import { importHandlers } from '../modules/contacts/import/import-job.js';
import { requeueStrandedImports } from '../modules/contacts/import/import-sweep.js';
import { pipelineHandlers, renderHandlers } from '../modules/pipeline/pipeline.js';
import { devicesHashChangedHook, notifyWorker } from '../modules/notify/notify.worker.js';
import type { Closer } from '../lifecycle/shutdown.js';
import type { HandlerSet } from './worker-host.js';

export type WorkerRole = 'render' | 'notify' | 'relay';

/**
 * The handler of every job in the catalogue, grouped by the worker role that runs the queue.
 * Resources the handlers hold (the notify role's PBX sessions) get a closer in `closers`, to run
 * after the BullMQ workers have stopped.
 */
export function workerHandlers(deps: Deps, roles: WorkerRole[], closers: Closer[] = []): HandlerSet {
  const handlers: HandlerSet = { canary: { 'canary.ping': async () => 'pong' } };
  if (roles.includes('render')) {
    const renderers = rendererRegistry({ publicPhoneUrl: publicPhoneUrl(deps.config) });
    handlers.render = renderHandlers(deps, renderers, { onDevicesHashChanged: devicesHashChangedHook(deps) });
  }
  // Contact imports are occasional and I/O-bound: the render tier runs them too.
  if (roles.includes('render')) handlers.import = importHandlers(deps);
  // The sweep also requeues imports whose job Redis lost: Postgres holds what is still to do.
  if (roles.includes('relay'))
    handlers.pipeline = pipelineHandlers(deps, { imports: () => requeueStrandedImports(deps) });
  if (roles.includes('notify')) {
    const notify = notifyWorker(deps);
    handlers.notify = notify.handlers;
    closers.push({ name: 'notifiers', close: () => notify.close() });
  }
  return handlers;
}
