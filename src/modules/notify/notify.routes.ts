import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps/deps.js';
import { resyncRoutes } from './resync/resync.routes.js';
import { notifierSettingsRoutes } from './settings/notifier-settings.routes.js';
import { syncRoutes } from './sync/sync.routes.js';

/** Every admin route of push resync: notifier settings, sync state, resync requests and their jobs. */
export function notifyRoutes(deps: Deps) {
  return async function register(app: FastifyInstance): Promise<void> {
    await app.register(notifierSettingsRoutes(deps));
    await app.register(syncRoutes(deps));
    await app.register(resyncRoutes(deps));
  };
}
