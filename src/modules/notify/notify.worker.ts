import type { Deps } from '../../deps/deps.js';
import type { QueueHandlers } from '../../queues/worker-host.js';
import { onDeviceHashChanged, onDevicesHashChanged } from './jobs/hash-changed.hook.js';
import { NotifierPool, type NotifierFactory } from './jobs/notifier-pool.js';
import { notifyDevice } from './jobs/notify-device.handler.js';
import type { NotifyScheduler } from './jobs/notify-enqueue.js';
import { notifyMetrics, registerQueueDepthGauge } from './jobs/notify.metrics.js';
import { NotifyRateLimiter } from './jobs/rate-limiter.js';
import { runResync } from './resync/resync-job.js';

export function notifyScheduler(deps: Pick<Deps, 'queues' | 'redis' | 'config'>): NotifyScheduler {
  return { queues: deps.queues, limiter: new NotifyRateLimiter(deps.redis, deps.config.queuePrefix) };
}

/** The render worker's hook: a changed device hash starts a notify round (see hash-changed.hook.ts). */
export function deviceHashChangedHook(deps: Pick<Deps, 'orm' | 'queues' | 'redis' | 'config' | 'logger'>) {
  return onDeviceHashChanged({
    knex: deps.orm.em.getKnex(),
    config: deps.config,
    logger: deps.logger.child({ component: 'notify' }),
    scheduler: notifyScheduler(deps),
  });
}

/** The same hook for a render batch: one statement and one enqueue per tenant for all its changed devices. */
export function devicesHashChangedHook(deps: Pick<Deps, 'orm' | 'queues' | 'redis' | 'config' | 'logger'>) {
  return onDevicesHashChanged({
    knex: deps.orm.em.getKnex(),
    config: deps.config,
    logger: deps.logger.child({ component: 'notify' }),
    scheduler: notifyScheduler(deps),
  });
}

export interface NotifyWorker {
  handlers: QueueHandlers<'notify'>;
  pool: NotifierPool;
  /** Closes every tenant's notifier (AMI/ESL sessions, SIP sockets); call after the BullMQ workers closed. */
  close(): Promise<void>;
}

/** Handlers of the notify queue, with the per-tenant notifier cache they share. */
export function notifyWorker(deps: Deps, options: { factory?: NotifierFactory } = {}): NotifyWorker {
  const logger = deps.logger.child({ component: 'notify' });
  const scheduler = notifyScheduler(deps);
  const pool = new NotifierPool(deps.config, logger, options.factory);
  const metrics = notifyMetrics(deps.metrics.registry);
  registerQueueDepthGauge(deps.metrics.registry, deps.queues);
  const handlerDeps = { orm: deps.orm, config: deps.config, logger, pool, scheduler, metrics };
  return {
    handlers: {
      'notify.device': async (payload) => notifyDevice(handlerDeps, payload),
      'notify.resync': async (payload, job) =>
        runResync({ knex: deps.orm.em.getKnex(), config: deps.config, scheduler }, payload, job),
    },
    pool,
    close: () => pool.close(),
  };
}
