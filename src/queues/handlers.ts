import type { Deps } from '../app/deps.js';
import type { HandlerSet } from './worker-host.js';

/** The handler for every job in the catalogue. Features add their queues here. */
export function workerHandlers(_deps: Deps): HandlerSet {
  return {
    canary: { 'canary.ping': async () => 'pong' },
  };
}
