import type { RenderOutcome } from './render-target.handler.js';

export interface RenderBatcherOptions {
  /** A batch starts as soon as it holds this many targets. */
  maxBatch: number;
  /** …or this long after its first target arrived. */
  maxWaitMs: number;
  /** Batches rendering at once; more wait their turn (bounds connections and memory when chunk jobs submit thousands of targets). */
  maxInFlight: number;
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
 * one target late by at most `maxWaitMs`. A `render.targets` chunk job submits all its targets
 * at once; they are rendered in batches like any others, at most `maxInFlight` at a time.
 */
export class RenderBatcher {
  private pending = new Map<string, Waiter[]>();
  private timer: NodeJS.Timeout | undefined;
  private readonly ready: Map<string, Waiter[]>[] = [];
  private inFlight = 0;

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
    if (batch.size > 0) this.ready.push(batch);
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.ready.length > 0) {
      const batch = this.ready.shift()!;
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
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
