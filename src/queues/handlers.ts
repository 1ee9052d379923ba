import type { Deps } from '../app/deps.js';
import { publicPhoneUrl } from '../config/config.js';
import { rendererRegistry } from '../app/renderers.js';
import { importHandlers } from '../modules/contacts/import/import-job.js';
import { pipelineHandlers, renderHandlers } from '../modules/pipeline/pipeline.js';
import type { HandlerSet } from './worker-host.js';

export type WorkerRole = 'render' | 'notify' | 'relay';

/** The handler of every job in the catalogue, grouped by the worker role that runs the queue. */
export function workerHandlers(deps: Deps, roles: WorkerRole[]): HandlerSet {
  const handlers: HandlerSet = { canary: { 'canary.ping': async () => 'pong' } };
  if (roles.includes('render')) handlers.render = renderHandlers(deps, rendererRegistry({ publicPhoneUrl: publicPhoneUrl(deps.config) }));
  // Contact imports are occasional and I/O-bound: the render tier runs them too.
  if (roles.includes('render')) handlers.import = importHandlers(deps);
  if (roles.includes('relay')) handlers.pipeline = pipelineHandlers(deps);
  return handlers;
}
