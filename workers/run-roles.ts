import { configFromProcessEnv } from '../src/config/config.js';
import { createLogger } from '../src/logger/logger.js';
import { closeDeps, createDeps } from '../src/app/deps.js';
import { bootOrExit } from '../src/lifecycle/boot.js';
import { closeOnSignals, type Closer } from '../src/lifecycle/shutdown.js';
import { closeWorkers, startWorkers } from '../src/queues/worker-host.js';
import { workerHandlers, type WorkerRole } from '../src/queues/handlers.js';
import { createRelay } from '../src/modules/pipeline/pipeline.js';
import { keepSweeperScheduled, scheduleSweeper } from '../src/modules/pipeline/sweeper.js';
import { fanoutRegistry } from '../src/app/fanout.js';
import { serveStatus } from '../src/metrics/metrics-server.js';
import { dependencyChecks } from '../src/modules/health/health.routes.js';

/**
 * Shared body of every worker entry point: config → deps → the BullMQ workers of the given
 * roles (each job name checked against the catalogue at boot) → graceful close on SIGTERM.
 */
export function runWorkerRoles(processName: string, roles: WorkerRole[]): void {
  bootOrExit(processName, async () => {
    const config = configFromProcessEnv();
    const logger = createLogger(config.logLevel, processName, undefined, config.logFormat);
    const deps = await createDeps(config, logger, processName);
    const closers: Closer[] = [];
    if (roles.includes('relay')) {
      const relay = createRelay(deps, fanoutRegistry());
      await relay.start();
      await scheduleSweeper(deps.queues, 5000);
      const schedule = keepSweeperScheduled(deps.queues, 5000, logger);
      closers.push({ name: 'relay', close: async () => (schedule.stop(), relay.stop()) });
    }
    const handlerClosers: Closer[] = [];
    const workers = startWorkers(workerHandlers(deps, roles, handlerClosers), {
      connection: deps.workerRedis,
      prefix: config.queuePrefix,
      concurrency: config.workerConcurrency,
      concurrencyByQueue: { render: config.renderConcurrency },
      lockDurationMs: config.jobLockMs,
      logger,
    });
    // Worker.close() waits for active jobs; a job cut off by a kill is re-run after BullMQ's stall check.
    closers.push({
      name: 'workers',
      close: () => closeWorkers(workers, Math.max(1000, config.shutdownTimeoutMs - 5000)),
    });
    closers.push(...handlerClosers);
    // On by default (port 9464, one per container/host): Prometheus scrapes /metrics, the
    // container healthcheck asks /healthz. A taken port stops the boot, loudly.
    if (config.workerMetricsPort !== 0) {
      const status = await serveStatus({
        registry: config.metrics ? deps.metrics.registry : undefined,
        health: () => dependencyChecks(deps),
        host: config.host,
        port: config.workerMetricsPort,
      });
      closers.unshift({ name: 'status', close: () => status.close() });
    }
    closers.push({ name: 'deps', close: () => closeDeps(deps) });
    logger.info({ roles, queues: workers.map((worker) => worker.name) }, 'workers started');
    closeOnSignals(closers, config.shutdownTimeoutMs, logger);
  });
}
