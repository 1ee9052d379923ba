import type { Logger } from 'pino';

export type Closer = { name: string; close: () => Promise<unknown> };

/**
 * Runs closers in order on SIGTERM/SIGINT and exits. A hard deadline guarantees the process
 * exits even if a closer hangs (the orchestrator's kill would be worse: no logs).
 */
export function closeOnSignals(closers: Closer[], timeoutMs: number, logger: Logger): void {
  let closing = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown deadline passed; exiting');
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    let failed = false;
    for (const closer of closers) {
      try {
        await closer.close();
      } catch (error) {
        failed = true;
        logger.error({ err: error, closer: closer.name }, 'close failed');
      }
    }
    logger.info('shutdown complete');
    process.exit(failed ? 1 : 0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
