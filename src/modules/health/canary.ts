import { randomUUID } from 'node:crypto';
import { Worker, type Queue } from 'bullmq';
import type { RedisClient } from '../../redis/redis.js';

/**
 * Readiness canary: a tiny job that must travel producer → Redis → worker → completed.
 * Every API process runs one canary worker, so readiness does not depend on the worker tier.
 */
export class CanaryProbe {
  private readonly worker: Worker;

  constructor(
    private readonly queue: Queue,
    workerConnection: RedisClient,
  ) {
    // The queue's own (hash-tagged) prefix, so the worker reads the keys the producer writes.
    this.worker = new Worker(queue.name, async () => 'pong', {
      connection: workerConnection,
      prefix: queue.opts.prefix,
      concurrency: 1,
    });
    this.worker.on('error', () => undefined);
  }

  async roundTrip(timeoutMs: number): Promise<void> {
    const job = await this.queue.add(
      'canary.ping',
      { nonce: randomUUID() },
      { attempts: 1, removeOnComplete: true, removeOnFail: true },
    );
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const state = await this.queue.getJobState(job.id!);
      // A completed job is removed at once (removeOnComplete), so "unknown" means it finished.
      if (state === 'completed' || state === 'unknown') return;
      if (state === 'failed') throw new Error('canary job failed');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await job.remove().catch(() => undefined);
    throw new Error('canary job not processed in time');
  }

  async close(): Promise<void> {
    await this.worker.close();
  }
}
