import { describe, expect, it } from 'vitest';
import { RenderBatcher } from '#src/modules/pipeline/render-batcher.js';
import type { RenderOutcome } from '#src/modules/pipeline/render-target.handler.js';

function recordingBatcher(maxBatch: number, maxWaitMs: number, fail?: (id: string) => boolean) {
  const batches: string[][] = [];
  const batcher = new RenderBatcher(
    async (ids) => {
      batches.push(ids);
      return new Map<string, RenderOutcome | Error>(
        ids.map((id) => [id, fail?.(id) ? new Error(`failed ${id}`) : { status: 'rendered', generation: id }]),
      );
    },
    { maxBatch, maxWaitMs, maxInFlight: 2 },
  );
  return { batcher, batches };
}

describe('RenderBatcher', () => {
  it('collects concurrent submissions into one batch and settles each with its own outcome', async () => {
    const { batcher, batches } = recordingBatcher(100, 5, (id) => id === 'b');
    const settled = await Promise.allSettled(['a', 'b', 'c'].map((id) => batcher.submit(id)));
    expect(batches).toEqual([['a', 'b', 'c']]);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: { status: 'rendered', generation: 'a' } });
    expect(settled[1]).toMatchObject({ status: 'rejected', reason: new Error('failed b') });
    expect(settled[2]).toEqual({ status: 'fulfilled', value: { status: 'rendered', generation: 'c' } });
  });

  it('starts a batch as soon as it is full, and renders a target submitted twice once', async () => {
    const { batcher, batches } = recordingBatcher(2, 10_000);
    const outcomes = await Promise.all([
      batcher.submit('a'),
      batcher.submit('a'),
      batcher.submit('b'),
      batcher.submit('c'),
      batcher.submit('d'),
    ]);
    expect(batches).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(outcomes.map((outcome) => outcome.generation)).toEqual(['a', 'a', 'b', 'c', 'd']);
  });

  it('fails every job of a batch whose render threw, and keeps working afterwards', async () => {
    let calls = 0;
    const batcher = new RenderBatcher(
      async (ids) => {
        if (calls++ === 0) throw new Error('database down');
        return new Map(ids.map((id) => [id, { status: 'current' } as RenderOutcome]));
      },
      { maxBatch: 10, maxWaitMs: 1, maxInFlight: 1 },
    );
    await expect(Promise.all([batcher.submit('a'), batcher.submit('b')])).rejects.toThrow('database down');
    await expect(batcher.submit('a')).resolves.toEqual({ status: 'current' });
  });

  it('runs at most maxInFlight batches at once, the others in arrival order', async () => {
    let running = 0;
    let most = 0;
    const order: string[][] = [];
    const batcher = new RenderBatcher(
      async (ids) => {
        order.push(ids);
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return new Map(ids.map((id) => [id, { status: 'rendered' } as RenderOutcome]));
      },
      { maxBatch: 2, maxWaitMs: 1, maxInFlight: 2 },
    );
    await Promise.all(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => batcher.submit(id)));
    expect(order).toEqual([['a', 'b'], ['c', 'd'], ['e', 'f'], ['g']]);
    expect(most).toBe(2);
  });
});
