import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { configFromProcessEnv, phoneProcessCount, type Config } from './config/config.js';
import { createLogger } from './logger/logger.js';
import { buildAdminApp } from './app/admin-app.js';
import { buildPhoneApp } from './app/phone-app.js';
import { closeDeps, createDeps, type Deps } from './app/deps.js';
import { CanaryProbe } from './modules/health/canary.js';
import { phoneTlsOptions } from './modules/phone/server/client-cert.js';
import { PhoneServer } from './modules/phone/server/phone-server.js';
import { bootOrExit } from './lifecycle/boot.js';
import { PhoneCluster } from './lifecycle/phone-cluster.js';
import { closeOnSignals, type Closer } from './lifecycle/shutdown.js';
import { duplicateRedis } from './redis/redis.js';
import { answerMetricsRequests, ClusterMetrics } from './metrics/cluster-metrics.js';

/** The phone server's listeners and state in this process, with their closers (listeners first). */
async function phoneListeners(
  deps: Deps,
): Promise<{ closers: Closer[]; start: () => Promise<void>; listen: () => Promise<void> }> {
  const config = deps.config;
  const phoneServer = new PhoneServer(deps);
  const phone = await buildPhoneApp(deps, { server: phoneServer });
  const tls = phoneTlsOptions(config);
  const phoneTls = tls ? await buildPhoneApp(deps, { server: phoneServer, https: tls }) : undefined;
  return {
    closers: [
      { name: 'phone-tls-server', close: async () => phoneTls?.close() },
      { name: 'phone-server', close: () => phone.close() },
      // After the listeners: the last fetch records are written while the database is still open.
      { name: 'phone-state', close: () => phoneServer.stop() },
    ],
    start: () => phoneServer.start(),
    listen: async () => {
      await phone.listen({ host: config.host, port: config.phonePort });
      if (phoneTls) await phoneTls.listen({ host: config.host, port: config.phoneTlsPort });
    },
  };
}

/**
 * API process: the admin API and, with PROVD_PHONE_PROCESSES=1, the phone-facing server on its
 * own port(s). With more, the phone server runs in that many cluster workers instead (below).
 */
async function apiProcess(config: Config, phoneProcesses: number): Promise<void> {
  const logger = createLogger(config.logLevel, 'provd-api', undefined, config.logFormat);
  const deps = await createDeps(config, logger, 'api');
  const canary = new CanaryProbe(deps.queues.get('canary'), duplicateRedis(deps.workerRedis, 'api:canary', logger));
  const adminClosers = (admin: { close: () => Promise<unknown> }): Closer[] => [
    { name: 'admin-server', close: () => admin.close() },
    { name: 'canary', close: () => canary.close() },
    { name: 'deps', close: () => closeDeps(deps) },
  ];
  if (phoneProcesses === 1) {
    const admin = await buildAdminApp(deps, { canary });
    const phone = await phoneListeners(deps);
    // Handlers first: a SIGTERM that arrives while ports are still opening must shut down cleanly too.
    closeOnSignals([...phone.closers, ...adminClosers(admin)], config.shutdownTimeoutMs, logger);
    await phone.start();
    await admin.listen({ host: config.host, port: config.adminPort });
    await phone.listen();
    return;
  }
  const phoneCluster = new PhoneCluster({
    processes: phoneProcesses,
    listenersPerProcess: phoneTlsOptions(config) ? 2 : 1,
    logger,
    // Leaves the primary time to close the admin API and its connections within its own deadline.
    stopTimeoutMs: Math.max(500, config.shutdownTimeoutMs - 3000),
  });
  const metrics = new ClusterMetrics(deps.metrics.registry, logger);
  const admin = await buildAdminApp(deps, { canary, phoneProcesses: phoneCluster, metricsText: () => metrics.text() });
  closeOnSignals(
    [{ name: 'phone-processes', close: () => phoneCluster.stop() }, ...adminClosers(admin)],
    config.shutdownTimeoutMs,
    logger,
  );
  await admin.listen({ host: config.host, port: config.adminPort });
  await phoneCluster.start();
}

/**
 * A phone-only process (cluster worker): the phone app on the shared phone port(s), nothing of
 * the admin API (no admin routes, no ORM request contexts, no canary). It leaves when the
 * primary tells it to (SIGTERM) or is gone (IPC channel closed).
 */
async function phoneProcess(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel, 'provd-phone', undefined, config.logFormat);
  const deps = await createDeps(config, logger, 'phone');
  answerMetricsRequests(deps.metrics.registry);
  const phone = await phoneListeners(deps);
  closeOnSignals([...phone.closers, { name: 'deps', close: () => closeDeps(deps) }], config.shutdownTimeoutMs, logger);
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  await phone.start();
  await phone.listen();
}

bootOrExit(cluster.isPrimary ? 'provd-api' : 'provd-phone', async () => {
  const config = configFromProcessEnv();
  if (cluster.isWorker) return phoneProcess(config);
  return apiProcess(config, phoneProcessCount(config, availableParallelism()));
});
