/**
 * The `sip` driver against SIPp playing the phone (UAS scenarios in test/fixtures/sipp/). What
 * SIPp received is read back from its -trace_msg file, so each assertion is about bytes that
 * crossed a real socket into a real SIP stack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSipp, startSippUas, type ReceivedMessage, type SippUas } from '../../helpers/sipp.js';
import { createNotifier, type Notifier } from '#src/modules/notify/notifier.js';
import { RESYNC_VENDORS, resolveResyncEvent, type ResyncVendor } from '#src/modules/notify/resync-events.js';
import { VENDOR_REGISTRY } from '#src/modules/vendors/registry.js';

beforeAll(() => {
  ensureSipp();
}, 600_000);

const T1_MS = 50;

function header(message: ReceivedMessage, name: string): string | undefined {
  return new RegExp(`^${name}:[ \\t]*(.*?)\\r?$`, 'im').exec(message.raw.split(/\r?\n\r?\n/)[0]!)?.[1];
}

function body(message: ReceivedMessage): string {
  const at = message.raw.search(/\r?\n\r?\n/);
  return message.raw.slice(at).replace(/^\r?\n\r?\n/, '');
}

function notifiesFor(uas: SippUas, user: string): ReceivedMessage[] {
  return uas.received().filter((m) => m.raw.startsWith(`NOTIFY sip:${user}@`));
}

/** SIPp logs asynchronously; wait (bounded) until it has logged at least `count` copies. */
async function settledNotifies(uas: SippUas, user: string, count: number): Promise<ReceivedMessage[]> {
  for (let i = 0; i < 100 && notifiesFor(uas, user).length < count; i++) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 4 * T1_MS));
  return notifiesFor(uas, user);
}

// What each family's definition says it takes (the wire values themselves are pinned once, in
// resync-events.test.ts); this file checks that the driver puts them on the wire unchanged.
const EXPECTED = (vendor: ResyncVendor) => VENDOR_REGISTRY[vendor].resync;

describe('sip driver → SIPp answering 200 over UDP', () => {
  let uas: SippUas;
  let notifier: Notifier;
  beforeAll(async () => {
    uas = await startSippUas('notify-200', 'udp');
    notifier = createNotifier({ driver: 'sip', bindAddress: '127.0.0.1', t1Ms: T1_MS, userAgent: 'provd-test' });
  });
  afterAll(async () => {
    await notifier?.close();
    await uas?.stop();
  });

  it.each(RESYNC_VENDORS)(
    '%s: the NOTIFY carries the vendor event and body, and the 200 completes it',
    async (vendor) => {
      const user = `ok-${vendor}`;
      const event = resolveResyncEvent(vendor, { reboot: false });
      const outcome = await notifier.notify(
        { vendor, mac: '001565000001', contactUri: `sip:${user}@127.0.0.1:${uas.port}` },
        event,
      );
      expect(outcome).toEqual({ ok: true, status: 200, reason: '200 OK', retryable: false });

      const [notify, ...extra] = notifiesFor(uas, user);
      expect(extra).toHaveLength(0);
      expect(header(notify!, 'Event')).toBe(EXPECTED(vendor).event);
      expect(body(notify!)).toBe(EXPECTED(vendor).body ?? '');
      expect(header(notify!, 'Content-Type')).toBe(EXPECTED(vendor).body ? 'text/plain' : undefined);
      expect(header(notify!, 'Content-Length')).toBe(String(Buffer.byteLength(EXPECTED(vendor).body ?? '')));
      expect(header(notify!, 'Subscription-State')).toBe('terminated');
      expect(header(notify!, 'Max-Forwards')).toBe('70');
      expect(header(notify!, 'CSeq')).toBe('1 NOTIFY');
      expect(header(notify!, 'Via')).toMatch(/^SIP\/2\.0\/UDP 127\.0\.0\.1:\d+;branch=z9hG4bK\w+/);
      expect(header(notify!, 'From')).toMatch(/^<sip:provd@127\.0\.0\.1>;tag=\w+$/);
      expect(header(notify!, 'To')).toBe(`<sip:${user}@127.0.0.1:${uas.port}>`);
      expect(header(notify!, 'Call-ID')).toMatch(/\S{8,}/);
      expect(header(notify!, 'User-Agent')).toBe('provd-test');
    },
  );

  it.each(RESYNC_VENDORS)('%s: the reboot variant reaches the phone too', async (vendor) => {
    const user = `reboot-${vendor}`;
    const event = resolveResyncEvent(vendor, { reboot: true });
    const outcome = await notifier.notify(
      { vendor, mac: '001565000002', contactUri: `sip:${user}@127.0.0.1:${uas.port}` },
      event,
    );
    expect(outcome.ok).toBe(true);
    const [notify] = notifiesFor(uas, user);
    expect(header(notify!, 'Event')).toBe(event.event);
    expect(body(notify!)).toBe(event.body ?? '');
  });

  it('runs concurrent NOTIFYs through one socket', async () => {
    const outcomes = await Promise.all(
      RESYNC_VENDORS.map((vendor) =>
        notifier.notify(
          { vendor, mac: '001565000003', contactUri: `sip:many-${vendor}@127.0.0.1:${uas.port}` },
          resolveResyncEvent(vendor, { reboot: false }),
        ),
      ),
    );
    expect(outcomes.every((o) => o.ok && o.status === 200)).toBe(true);
    const vias = RESYNC_VENDORS.map((vendor) => header(notifiesFor(uas, `many-${vendor}`)[0]!, 'Via')!);
    expect(new Set(vias.map((via) => /:(\d+);/.exec(via)![1])).size).toBe(1);
    expect(new Set(vias).size).toBe(RESYNC_VENDORS.length);
  });
});

describe('sip driver → SIPp refusing with 481', () => {
  let uas: SippUas;
  let notifier: Notifier;
  beforeAll(async () => {
    uas = await startSippUas('notify-481', 'udp');
    notifier = createNotifier({ driver: 'sip', bindAddress: '127.0.0.1', t1Ms: T1_MS });
  });
  afterAll(async () => {
    await notifier?.close();
    await uas?.stop();
  });

  it('reports a final, non-retryable failure with the status', async () => {
    const outcome = await notifier.notify(
      { vendor: 'yealink', mac: '001565000004', contactUri: `sip:refuse@127.0.0.1:${uas.port}` },
      { event: 'check-sync' },
    );
    expect(outcome).toEqual({
      ok: false,
      status: 481,
      reason: '481 Call/Transaction Does Not Exist',
      retryable: false,
    });
    expect(notifiesFor(uas, 'refuse')).toHaveLength(1);
  });
});

describe('sip driver → SIPp that never answers', () => {
  let uas: SippUas;
  let tcpUas: SippUas;
  let notifier: Notifier;
  beforeAll(async () => {
    [uas, tcpUas] = await Promise.all([startSippUas('notify-silent', 'udp'), startSippUas('notify-silent', 'tcp')]);
    notifier = createNotifier({ driver: 'sip', bindAddress: '127.0.0.1', t1Ms: T1_MS });
  });
  afterAll(async () => {
    await notifier?.close();
    await uas?.stop();
    await tcpUas?.stop();
  });

  it('retransmits over UDP on the RFC 3261 schedule, then times out', async () => {
    const outcome = await notifier.notify(
      { vendor: 'snom', mac: '000413000001', contactUri: `sip:silent@127.0.0.1:${uas.port}` },
      { event: 'check-sync;reboot=false' },
    );
    expect(outcome).toEqual({ ok: false, reason: 'timeout', retryable: true });
    // Sent at 0, T1, 3·T1, 7·T1, then every T2 = 8·T1 until Timer F = 64·T1: 1 + 10 retransmissions.
    const copies = await settledNotifies(uas, 'silent', 11);
    expect(copies).toHaveLength(11);
    expect(new Set(copies.map((c) => c.raw)).size).toBe(1);
  });

  it('sends once over TCP (no retransmissions on a reliable transport) and times out at Timer F', async () => {
    const outcome = await notifier.notify(
      { vendor: 'gigaset', mac: '7c2f80000001', contactUri: `sip:silent-tcp@127.0.0.1:${tcpUas.port};transport=tcp` },
      { event: 'check-sync;reboot=false' },
    );
    expect(outcome).toEqual({ ok: false, reason: 'timeout', retryable: true });
    expect(await settledNotifies(tcpUas, 'silent-tcp', 1)).toHaveLength(1);
  });
});

describe('sip driver → SIPp answering 200 over TCP', () => {
  let uas: SippUas;
  beforeAll(async () => {
    uas = await startSippUas('notify-200', 'tcp');
  });
  afterAll(async () => {
    await uas?.stop();
  });

  it.each(['contact parameter', 'driver default'] as const)('carries event and body over TCP (%s)', async (how) => {
    const notifier = createNotifier({
      driver: 'sip',
      bindAddress: '127.0.0.1',
      t1Ms: T1_MS,
      transport: how === 'driver default' ? 'tcp' : 'udp',
    });
    try {
      const user = how === 'driver default' ? 'tcp-default' : 'tcp-param';
      const contactUri = `sip:${user}@127.0.0.1:${uas.port}${how === 'contact parameter' ? ';transport=tcp' : ''}`;
      const event = resolveResyncEvent('cisco-enterprise', { reboot: false });
      const outcome = await notifier.notify({ vendor: 'cisco-enterprise', mac: '00562b000001', contactUri }, event);
      expect(outcome).toEqual({ ok: true, status: 200, reason: '200 OK', retryable: false });
      const [notify] = notifiesFor(uas, user);
      expect(notify!.transport).toBe('TCP');
      expect(header(notify!, 'Via')).toMatch(/^SIP\/2\.0\/TCP 127\.0\.0\.1:\d+;branch=z9hG4bK/);
      expect(header(notify!, 'Contact')).toMatch(/;transport=tcp>$/);
      expect(header(notify!, 'Event')).toBe('service-control');
      expect(body(notify!)).toBe('action=restart');
    } finally {
      await notifier.close();
    }
  });
});
