import type { RenderOutcome } from './render-target.handler.js';

export interface RenderBatcherOptions {
  /** A batch starts as soon as it holds this many targets. */
  maxBatch: number;
  /** …or this long after its first target arrived. */
  maxWaitMs: number;
}

interface Waiter {
  resolve: (outcome: RenderOutcome) => void;
  reject: (error: Error) => void;
}

/**
 * Collects the target ids of concurrently running render jobs of this process for a few
 * milliseconds and renders them as one batch (set-based loads, one store transaction). Each job
 * still waits for, and reports, only its own target's outcome: BullMQ's per-target jobs,
 * deduplication, retries and stall detection are unchanged. Without concurrent jobs a batch is
 * one target late by at most `maxWaitMs`.
 */
export class RenderBatcher {
  private pending = new Map<string, Waiter[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly renderBatch: (targetIds: string[]) => Promise<Map<string, RenderOutcome | Error>>,
    private readonly options: RenderBatcherOptions,
  ) {}

  submit(targetId: string): Promise<RenderOutcome> {
    return new Promise<RenderOutcome>((resolve, reject) => {
      const waiters = this.pending.get(targetId);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(targetId, [{ resolve, reject }]);
      if (this.pending.size >= this.options.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    if (batch.size > 0) void this.run(batch);
  }

  private async run(batch: Map<string, Waiter[]>): Promise<void> {
    let outcomes: Map<string, RenderOutcome | Error>;
    try {
      outcomes = await this.renderBatch([...batch.keys()]);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(failure);
      return;
    }
    for (const [targetId, waiters] of batch) {
      const outcome = outcomes.get(targetId) ?? new Error(`render batch returned nothing for target ${targetId}`);
      for (const waiter of waiters) {
        if (outcome instanceof Error) waiter.reject(outcome);
        else waiter.resolve(outcome);
      }
    }
  }
}
