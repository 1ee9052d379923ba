import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { slotTimes } from '#src/modules/notify/jobs/rate-limiter.js';
import { nextAttemptDelayMs } from '#src/modules/notify/jobs/notify-enqueue.js';
import { notifyResult } from '#src/modules/notify/jobs/notify.metrics.js';

describe('slotTimes', () => {
  it('spreads the places of a second evenly', () => {
    expect(slotTimes([{ second: 10, first: 0, count: 4 }], 4, 10_000)).toEqual([10_000, 10_250, 10_500, 10_750]);
  });

  it('continues a partly used second and runs on into the next', () => {
    expect(
      slotTimes(
        [
          { second: 10, first: 3, count: 1 },
          { second: 11, first: 0, count: 2 },
        ],
        4,
        10_000,
      ),
    ).toEqual([10_750, 11_000, 11_250]);
  });

  it('never schedules before "not before"', () => {
    expect(slotTimes([{ second: 10, first: 0, count: 2 }], 2, 10_300)).toEqual([10_300, 10_500]);
  });

  it('for full runs from an empty start, any one-second window holds at most rate + 1 places', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 1000 }), (rate, count) => {
        const runs = [];
        for (let second = 0, left = count; left > 0; second++) {
          runs.push({ second, first: 0, count: Math.min(rate, left) });
          left -= rate;
        }
        const times = slotTimes(runs, rate, 0);
        expect(times).toHaveLength(count);
        for (let i = 0; i + rate + 1 < times.length; i++)
          expect(times[i + rate + 1]! - times[i]!).toBeGreaterThanOrEqual(1000);
      }),
    );
  });
});

describe('nextAttemptDelayMs', () => {
  const config = { notifySyncTimeoutMs: 60_000, notifyRetryBackoffMs: 5_000 };

  it('waits the sync window after a delivered notify and the backoff after a failed one, doubling per attempt', () => {
    expect([1, 2, 3].map((attempt) => nextAttemptDelayMs('delivered', attempt, config))).toEqual([
      60_000, 120_000, 240_000,
    ]);
    expect([1, 2, 3].map((attempt) => nextAttemptDelayMs('failed', attempt, config))).toEqual([5_000, 10_000, 20_000]);
  });

  it('is capped at a day', () => {
    expect(nextAttemptDelayMs('delivered', 40, config)).toBe(24 * 3600 * 1000);
  });
});

describe('notifyResult', () => {
  it('tells delivered, refused, unanswered and broken apart', () => {
    expect(notifyResult({ ok: true, status: 200, reason: '200 OK', retryable: false })).toBe('ok');
    expect(
      notifyResult({ ok: false, status: 481, reason: '481 Call/Transaction Does Not Exist', retryable: false }),
    ).toBe('rejected');
    expect(notifyResult({ ok: false, reason: 'timeout', retryable: true })).toBe('timeout');
    expect(notifyResult({ ok: false, reason: 'transport error ECONNREFUSED', retryable: true })).toBe('error');
    expect(notifyResult({ ok: true, reason: 'ami: NOTIFY sent', retryable: false })).toBe('ok');
  });
});
