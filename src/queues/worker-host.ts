import { Worker, type Job } from 'bullmq';
import type { RedisClient } from '../redis/redis.js';
import type { Logger } from 'pino';
import { connectionErrorReporter, duplicateRedis } from '../redis/redis.js';
import { JOB_NAMES, queuePrefixOf, type JobName, type JobPayload, type QueueName } from './catalogue.js';

export type JobHandler<Q extends QueueName, J extends JobName<Q>> = (
  payload: JobPayload<Q, J>,
  job: Job,
) => Promise<unknown>;
export type QueueHandlers<Q extends QueueName> = { [J in JobName<Q>]: JobHandler<Q, J> };
export type HandlerSet = { [Q in QueueName]?: QueueHandlers<Q> };

/** Fails at boot unless every job name of every served queue has exactly one handler. */
export function assertHandlers(handlers: HandlerSet): void {
  for (const queue of Object.keys(handlers) as QueueName[]) {
    const expected = new Set<string>(JOB_NAMES[queue]);
    const given = Object.keys(handlers[queue] ?? {});
    const missing = [...expected].filter((name) => !given.includes(name));
    const unknown = given.filter((name) => !expected.has(name));
    if (missing.length || unknown.length) {
      throw new Error(
        `queue ${queue}: handlers missing for [${missing.join(', ')}], unknown handlers [${unknown.join(', ')}]`,
      );
    }
  }
}

export interface WorkerHostOptions {
  connection: RedisClient;
  /** The deployment's prefix (PROVD_QUEUE_PREFIX); each queue gets its hash-tagged one from it. */
  prefix: string;
  concurrency: number;
  /** Per-queue concurrency instead of `concurrency` (the render queue runs many jobs that wait together in batches). */
  concurrencyByQueue?: Partial<Record<QueueName, number>>;
  logger: Logger;
  /** BullMQ lock duration; a killed worker's job is detected as stalled and re-run after it. */
  lockDurationMs?: number;
}

const workerConnections = new WeakMap<Worker, RedisClient>();

export function startWorkers(handlers: HandlerSet, options: WorkerHostOptions): Worker[] {
  assertHandlers(handlers);
  return (Object.keys(handlers) as QueueName[]).map((queue) => {
    // Its own connection (blocking commands); the worker reports that connection's errors below.
    const connection = duplicateRedis(options.connection, `worker:${queue}`);
    const table = handlers[queue] as Record<string, (payload: unknown, job: Job) => Promise<unknown>>;
    const worker = new Worker(
      queue,
      async (job: Job) => {
        const handler = table[job.name];
        if (!handler) throw new Error(`no handler for ${queue}/${job.name}`);
        return handler(job.data, job);
      },
      {
        connection,
        prefix: queuePrefixOf(options.prefix, queue),
        concurrency: options.concurrencyByQueue?.[queue] ?? options.concurrency,
        lockDuration: options.lockDurationMs ?? 30000,
        stalledInterval: options.lockDurationMs ?? 30000,
      },
    );
    worker.on('failed', (job, error) =>
      options.logger.warn({ queue, job: job?.name, jobId: job?.id, err: { message: error.message } }, 'job failed'),
    );
    const reporter = connectionErrorReporter(options.logger, `worker:${queue}`, 'worker error');
    worker.on('error', reporter.onError);
    workerConnections.set(worker, connection);
    return worker;
  });
}

/**
 * Graceful close (active jobs finish), bounded: after `graceMs` the workers are force-closed and
 * their unfinished jobs are left to BullMQ's stall detection, which re-runs them elsewhere.
 */
export async function closeWorkers(workers: Worker[], graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const graceful = Promise.all(workers.map((worker) => worker.close())).then(() => true);
  const expired = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
  const closedInTime = await Promise.race([graceful, expired]);
  clearTimeout(timer);
  if (closedInTime) return;
  // A worker whose blocking connection is mid-reconnect may never settle close(): cut the socket.
  for (const worker of workers) {
    void worker.close(true).catch(() => undefined);
    workerConnections.get(worker)?.disconnect();
  }
}
