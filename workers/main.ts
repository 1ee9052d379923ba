import { configFromProcessEnv } from '../src/config/config.js';
import { createLogger } from '../src/logger/logger.js';
import { closeDeps, createDeps } from '../src/app/deps.js';
import { bootOrExit } from '../src/lifecycle/boot.js';
import { closeOnSignals } from '../src/lifecycle/shutdown.js';
import { startWorkers } from '../src/queues/worker-host.js';
import { workerHandlers } from '../src/queues/handlers.js';

/** Worker process: every queue's handlers, checked against the catalogue at boot. */
bootOrExit('provd-worker', async () => {
  const config = configFromProcessEnv();
  const logger = createLogger(config.logLevel, 'provd-worker');
  const deps = await createDeps(config, logger, 'worker');
  const workers = startWorkers(workerHandlers(deps), {
    connection: deps.workerRedis,
    prefix: config.queuePrefix,
    concurrency: config.workerConcurrency,
    logger,
  });
  logger.info({ queues: workers.map((worker) => worker.name) }, 'workers started');
  closeOnSignals(
    [
      // Worker.close() waits for active jobs to finish; unfinished ones are released on the next boot via stall detection.
      { name: 'workers', close: () => Promise.all(workers.map((worker) => worker.close())) },
      { name: 'deps', close: () => closeDeps(deps) },
    ],
    config.shutdownTimeoutMs,
    logger,
  );
});
