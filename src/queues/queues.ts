import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../redis/redis.js';
import type { Logger } from 'pino';
import { connectionErrorReporter } from '../redis/redis.js';
import { QUEUE_NAMES, queuePrefixOf, type JobName, type JobPayload, type QueueName } from './catalogue.js';

/** Default retention keeps Redis bounded while leaving recent failures visible. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 1000, age: 3600 },
  removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
};

export class Queues {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    connection: RedisClient,
    /** The deployment's prefix (PROVD_QUEUE_PREFIX); each queue's own is queuePrefixOf(prefix, name). */
    readonly prefix: string,
    logger?: Logger,
  ) {
    // Every queue re-emits its connection's errors: without a listener each one throws. All
    // queues share one connection, so they share one rate-limited reporter too.
    const reporter = connectionErrorReporter(logger, 'queues', 'queue connection error');
    for (const name of QUEUE_NAMES) {
      const queue = new Queue(name, {
        connection,
        prefix: queuePrefixOf(prefix, name),
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      queue.on('error', reporter.onError);
      this.queues.set(name, queue);
    }
  }

  get(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`unknown queue ${name}`);
    return queue;
  }

  async add<Q extends QueueName, J extends JobName<Q>>(
    queue: Q,
    job: J,
    payload: JobPayload<Q, J>,
    options?: JobsOptions,
  ) {
    return this.get(queue).add(job, payload, options);
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((queue) => queue.close()));
  }
}
