import { describe, expect, it } from 'vitest';
import { NOTIFIER_DISABLED_REASON, NoneNotifier, createNotifier } from '#src/modules/notify/notifier.js';
import { SipNotifier } from '#src/modules/notify/sip/sip-notifier.js';
import { AsteriskAmiNotifier } from '#src/modules/notify/ami/ami-notifier.js';
import { FreeswitchNotifier } from '#src/modules/notify/freeswitch/esl-notifier.js';
import { sipOutcome } from '#src/modules/notify/sip/sip-notifier.js';
import { backoffDelay } from '#src/modules/notify/backoff.js';

describe('createNotifier', () => {
  it('builds the driver the tenant chose', async () => {
    const drivers = [
      createNotifier({ driver: 'sip' }),
      createNotifier({ driver: 'asterisk-ami', host: '127.0.0.1', username: 'u', secret: 's' }),
      createNotifier({ driver: 'freeswitch', host: '127.0.0.1', password: 'p', profile: 'internal' }),
      createNotifier({ driver: 'none' }),
    ];
    expect(drivers[0]).toBeInstanceOf(SipNotifier);
    expect(drivers[1]).toBeInstanceOf(AsteriskAmiNotifier);
    expect(drivers[2]).toBeInstanceOf(FreeswitchNotifier);
    expect(drivers[3]).toBeInstanceOf(NoneNotifier);
    await Promise.all(drivers.map((d) => d.close()));
  });

  it('none sends nothing and says so', async () => {
    await expect(
      createNotifier({ driver: 'none' }).notify({ vendor: 'poly', mac: '0004f2000001' }, { event: 'check-sync' }),
    ).resolves.toEqual({
      ok: false,
      reason: NOTIFIER_DISABLED_REASON,
      retryable: false,
    });
  });

  it('keeps AMI and ESL credentials out of what the driver object shows', () => {
    const ami = createNotifier({
      driver: 'asterisk-ami',
      host: '127.0.0.1',
      username: 'u',
      secret: 'ami-inspect-canary',
    });
    const esl = createNotifier({
      driver: 'freeswitch',
      host: '127.0.0.1',
      password: 'esl-inspect-canary',
      profile: 'internal',
    });
    for (const [driver, secret] of [
      [ami, 'ami-inspect-canary'],
      [esl, 'esl-inspect-canary'],
    ] as const) {
      expect(JSON.stringify(driver)).not.toContain(secret);
      expect(Object.values(driver).map(String).join()).not.toContain(secret);
    }
  });
});

describe('SIP outcome mapping', () => {
  it.each([
    [200, 'OK', { ok: true, status: 200, reason: '200 OK', retryable: false }],
    [202, 'Accepted', { ok: true, status: 202, reason: '202 Accepted', retryable: false }],
    [
      481,
      'Call/Transaction Does Not Exist',
      { ok: false, status: 481, reason: '481 Call/Transaction Does Not Exist', retryable: false },
    ],
    [404, 'Not Found', { ok: false, status: 404, reason: '404 Not Found', retryable: false }],
    [489, 'Bad Event', { ok: false, status: 489, reason: '489 Bad Event', retryable: false }],
    [486, 'Busy Here', { ok: false, status: 486, reason: '486 Busy Here', retryable: true }],
    [503, 'Service Unavailable', { ok: false, status: 503, reason: '503 Service Unavailable', retryable: true }],
    [603, 'Decline', { ok: false, status: 603, reason: '603 Decline', retryable: false }],
  ])('%i %s', (status, reason, expected) => {
    expect(sipOutcome({ kind: 'final', status, reason, transmissions: 1 })).toEqual(expected);
  });

  it('keeps phone-supplied reason phrases printable and short', () => {
    const outcome = sipOutcome({
      kind: 'final',
      status: 500,
      reason: 'Oops\u0000\u001b[31m' + 'x'.repeat(500),
      transmissions: 1,
    });
    expect(outcome.reason).toMatch(/^500 Oops\[31mx+$/);
    expect(outcome.reason.length).toBeLessThanOrEqual(124);
  });

  it('timeouts and transport errors are retryable', () => {
    expect(sipOutcome({ kind: 'timeout', transmissions: 11 })).toEqual({
      ok: false,
      reason: 'timeout',
      retryable: true,
    });
    expect(sipOutcome({ kind: 'transport-error', code: 'EHOSTUNREACH', transmissions: 1 })).toEqual({
      ok: false,
      reason: 'transport error EHOSTUNREACH',
      retryable: true,
    });
  });
});

describe('backoffDelay', () => {
  it('doubles up to the ceiling with half of it jittered', () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, 500, 30_000, () => 0))).toEqual([250, 500, 1000, 2000, 15_000]);
    expect([0, 1, 10].map((a) => backoffDelay(a, 500, 30_000, () => 1))).toEqual([500, 1000, 30_000]);
    expect(backoffDelay(1e6, 500, 30_000, () => 1)).toBe(30_000);
  });
});
