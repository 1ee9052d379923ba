import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  NonInviteClientTransaction,
  RFC3261_TIMERS,
  timersFromT1,
  type TransactionResult,
} from '#src/modules/notify/sip/sip-transaction.js';

describe('non-INVITE client transaction timers', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  function run(reliable: boolean, timers = RFC3261_TIMERS) {
    const sentAt: number[] = [];
    const transaction = new NonInviteClientTransaction({ reliable, timers, transmit: () => sentAt.push(Date.now()) });
    let result: TransactionResult | undefined;
    void transaction.result.then((r) => (result = r));
    transaction.start();
    return { transaction, sentAt, result: () => result };
  }

  it('retransmits over UDP at T1 doubling to T2 and times out at 64·T1 (11 transmissions)', async () => {
    const { sentAt, result } = run(false);
    await vi.advanceTimersByTimeAsync(31_999);
    expect(result()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(sentAt).toEqual([0, 500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]);
    expect(result()).toEqual({ kind: 'timeout', transmissions: 11 });
  });

  it('keeps the same shape with a scaled-down T1', async () => {
    const { sentAt, result } = run(false, timersFromT1(50));
    await vi.advanceTimersByTimeAsync(3200);
    expect(sentAt).toEqual([0, 50, 150, 350, 750, 1150, 1550, 1950, 2350, 2750, 3150]);
    expect(result()).toEqual({ kind: 'timeout', transmissions: 11 });
  });

  it('retransmits every T2 once a provisional response arrived, and stops on the final one', async () => {
    const { transaction, sentAt, result } = run(false);
    await vi.advanceTimersByTimeAsync(600);
    transaction.onResponse(100, 'Trying');
    await vi.advanceTimersByTimeAsync(9_400);
    expect(sentAt).toEqual([0, 500, 1500, 5500, 9500]);
    transaction.onResponse(200, 'OK');
    await vi.advanceTimersByTimeAsync(40_000);
    expect(sentAt).toHaveLength(5);
    expect(result()).toEqual({ kind: 'final', status: 200, reason: 'OK', transmissions: 5 });
  });

  it('never retransmits over a reliable transport but still applies Timer F', async () => {
    const { sentAt, result } = run(true);
    await vi.advanceTimersByTimeAsync(32_000);
    expect(sentAt).toEqual([0]);
    expect(result()).toEqual({ kind: 'timeout', transmissions: 1 });
  });

  it('reports the first outcome only: later responses and errors are absorbed', async () => {
    const { transaction, result } = run(false);
    transaction.onResponse(481, 'Call/Transaction Does Not Exist');
    transaction.onResponse(200, 'OK');
    transaction.onTransportError('ECONNRESET');
    await vi.advanceTimersByTimeAsync(0);
    expect(result()).toEqual({
      kind: 'final',
      status: 481,
      reason: 'Call/Transaction Does Not Exist',
      transmissions: 1,
    });
  });

  it('turns a throwing transport into a transport-error outcome', async () => {
    const transaction = new NonInviteClientTransaction({
      reliable: false,
      timers: RFC3261_TIMERS,
      transmit: () => {
        throw Object.assign(new Error('gone'), { code: 'ERR_SOCKET_DGRAM_NOT_RUNNING' });
      },
    });
    transaction.start();
    await expect(transaction.result).resolves.toEqual({
      kind: 'transport-error',
      code: 'ERR_SOCKET_DGRAM_NOT_RUNNING',
      transmissions: 1,
    });
  });

  it('rejects nonsensical timers', () => {
    expect(() => timersFromT1(0)).toThrow(RangeError);
    expect(() => timersFromT1(500, 100)).toThrow(RangeError);
  });
});
