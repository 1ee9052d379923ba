import type { FastifyInstance } from 'fastify';
import type { Deps } from './deps.js';

/** Mounts every feature's admin routes under /api/v1. Features register here. */
export function apiRoutes(_deps: Deps) {
  return async function register(_app: FastifyInstance): Promise<void> {};
}
