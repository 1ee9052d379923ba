import { afterEach, describe, expect, it } from 'vitest';
import { createNotifier, type Notifier, type NotifyTarget } from '#src/modules/notify/notifier.js';
import { pjsipNotifyFields } from '#src/modules/notify/ami/ami-notifier.js';
import { amiField, createAmiDecoder, encodeAmiAction } from '#src/modules/notify/ami/ami-protocol.js';
import { resolveResyncEvent } from '#src/modules/notify/resync-events.js';
import { ScriptedAmiPeer, type Fields } from './peers/scripted-ami-peer.js';
import { memoryLogger, waitUntil } from './peers/memory-logger.js';

const SECRET = 'ami-canary-7f3e9c';
const target: NotifyTarget = { vendor: 'yealink', mac: '001565aabbcc', endpoint: '100' };
const get = (fields: Fields, name: string) => fields.filter(([k]) => k === name).map(([, v]) => v);

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { clientSecret?: string } = {}) {
  const peer = new ScriptedAmiPeer(SECRET);
  await peer.start();
  const log = memoryLogger();
  const notifier: Notifier = createNotifier(
    {
      driver: 'asterisk-ami',
      host: '127.0.0.1',
      port: peer.port,
      username: 'provd',
      secret: options.clientSecret ?? SECRET,
      actionTimeoutMs: 2000,
      reconnect: { initialDelayMs: 20, maxDelayMs: 100, connectTimeoutMs: 2000 },
    },
    { logger: log.logger },
  );
  cleanups.push(
    () => peer.stop(),
    () => notifier.close(),
  );
  return { peer, notifier, log };
}

describe('asterisk-ami driver against a scripted AMI peer', () => {
  it('logs in, sends PJSIPNotify to exactly one Endpoint with Variable: Event, and maps Success', async () => {
    const { peer, notifier } = await setup();
    const outcome = await notifier.notify(target, { event: 'check-sync' });
    expect(outcome).toEqual({ ok: true, reason: 'ami: NOTIFY sent', retryable: false });

    expect(peer.logins).toHaveLength(1);
    expect(get(peer.logins[0]!, 'Username')).toEqual(['provd']);
    expect(get(peer.logins[0]!, 'Secret')).toEqual([SECRET]);
    expect(get(peer.logins[0]!, 'Events')).toEqual(['off']);
    const [action] = peer.actions;
    expect(get(action!, 'Action')).toEqual(['PJSIPNotify']);
    expect(get(action!, 'Endpoint')).toEqual(['100']);
    expect(get(action!, 'URI')).toEqual([]);
    expect(get(action!, 'Channel')).toEqual([]);
    expect(get(action!, 'Variable')).toEqual(['Event=check-sync']);
    expect(get(action!, 'ActionID')[0]).not.toBe(get(peer.logins[0]!, 'ActionID')[0]);
  });

  it('uses URI when only the contact is known', async () => {
    const { peer, notifier } = await setup();
    const outcome = await notifier.notify(
      { vendor: 'snom', mac: '000413aabbcc', contactUri: '<sip:200@10.0.0.7:5060;transport=udp>;expires=60' },
      resolveResyncEvent('snom', { reboot: false }),
    );
    expect(outcome.ok).toBe(true);
    const [action] = peer.actions;
    expect(get(action!, 'URI')).toEqual(['sip:200@10.0.0.7:5060;transport=udp']);
    expect(get(action!, 'Endpoint')).toEqual([]);
    expect(get(action!, 'Variable')).toEqual(['Event=check-sync;reboot=false']);
  });

  it('passes a body as Content-Type and Content variables (Cisco service-control)', async () => {
    const { peer, notifier } = await setup();
    await notifier.notify(
      { ...target, vendor: 'cisco-enterprise' },
      resolveResyncEvent('cisco-enterprise', { reboot: false }),
    );
    expect(get(peer.actions[0]!, 'Variable')).toEqual([
      'Event=service-control',
      'Content-Type=text/plain',
      'Content=action=restart',
    ]);
  });

  it('reconnects with backoff after the peer drops the connection, and the next notify works', async () => {
    const { peer, notifier, log } = await setup();
    expect((await notifier.notify(target, { event: 'check-sync' })).ok).toBe(true);
    peer.dropAll();
    await waitUntil(() => peer.logins.length === 2, 'a second login');
    const outcome = await notifier.notify({ ...target, endpoint: '101' }, { event: 'check-sync' });
    expect(outcome.ok).toBe(true);
    expect(peer.connections).toBe(2);
    expect(get(peer.actions[1]!, 'Endpoint')).toEqual(['101']);
    expect(log.text()).toContain('reconnecting');
    expect(log.text()).not.toContain(SECRET);
  });

  it('fails a notify caught in a drop as retryable', async () => {
    const { peer, notifier } = await setup();
    peer.respond = () => {
      setTimeout(() => peer.dropAll(), 10);
      return undefined;
    };
    const outcome = await notifier.notify(target, { event: 'check-sync' });
    expect(outcome).toMatchObject({ ok: false, retryable: true });
    expect(outcome.reason).toMatch(/^ami 127\.0\.0\.1:\d+ connection closed$/);
  });

  it('maps an AMI error response to a failure with Asterisk’s message', async () => {
    const { peer, notifier } = await setup();
    peer.respond = () => [
      ['Response', 'Error'],
      ['Message', 'Unable to retrieve endpoint 999'],
    ];
    const outcome = await notifier.notify({ ...target, endpoint: '999' }, { event: 'check-sync' });
    expect(outcome).toEqual({ ok: false, reason: 'ami error: Unable to retrieve endpoint 999', retryable: false });
  });

  it('never lets the secret into an outcome or a log line when the login is refused', async () => {
    const wrong = 'wrong-canary-1b2c3d';
    const { peer, notifier, log } = await setup({ clientSecret: wrong });
    const outcome = await notifier.notify(target, { event: 'check-sync' });
    expect(outcome).toMatchObject({ ok: false, retryable: false });
    expect(outcome.reason).toContain('login rejected');
    expect(get(peer.logins[0]!, 'Secret')).toEqual([wrong]);
    for (const text of [outcome.reason, JSON.stringify(outcome), log.text()]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(SECRET);
    }
  });

  it('reports an unreachable manager port as retryable without the secret', async () => {
    const { peer, notifier, log } = await setup();
    await peer.stop();
    const outcome = await notifier.notify(target, { event: 'check-sync' });
    expect(outcome).toMatchObject({ ok: false, retryable: true });
    expect(outcome.reason).toContain('ECONNREFUSED');
    expect(outcome.reason + log.text()).not.toContain(SECRET);
  });

  it('sends Logoff on close', async () => {
    const { peer, notifier } = await setup();
    await notifier.notify(target, { event: 'check-sync' });
    await notifier.close();
    expect(peer.logoffs).toHaveLength(1);
    await expect(notifier.notify(target, { event: 'check-sync' })).resolves.toMatchObject({ ok: false });
  });
});

describe('PJSIPNotify fields', () => {
  it('refuses values AMI would split or that would inject header lines', () => {
    expect(pjsipNotifyFields(target, { event: 'check-sync,reboot=true' })).toMatchObject({ ok: false });
    expect(pjsipNotifyFields(target, { event: 'check-sync\r\nAction: Originate' })).toMatchObject({ ok: false });
    expect(
      pjsipNotifyFields({ ...target, endpoint: '100\r\nAction: Originate' }, { event: 'check-sync' }),
    ).toMatchObject({ ok: false });
    expect(pjsipNotifyFields({ vendor: 'fanvil', mac: '0c383e000001' }, { event: 'check-sync' })).toEqual({
      ok: false,
      reason: 'no endpoint, SIP user or contact URI',
    });
  });

  it('prefers the endpoint, then the SIP user, and splits a multi-line body into Content lines', () => {
    const result = pjsipNotifyFields(
      { vendor: 'cisco-enterprise', mac: '00562b000001', sipUser: '300', contactUri: 'sip:300@x' },
      {
        event: 'service-control',
        contentType: 'text/plain',
        body: 'action=restart\r\nRegisterCallId={abc}',
      },
    );
    expect(result).toEqual({
      ok: true,
      fields: [
        ['Endpoint', '300'],
        ['Variable', 'Event=service-control'],
        ['Variable', 'Content-Type=text/plain'],
        ['Variable', 'Content=action=restart'],
        ['Variable', 'Content=RegisterCallId={abc}'],
      ],
    });
  });
});

describe('AMI framing', () => {
  it('decodes the banner and blocks split anywhere, with CRLF or bare LF', () => {
    const wire =
      'Asterisk Call Manager/9.0.0\r\nResponse: Success\r\nActionID: a-1\r\nMessage: ok\r\n\r\nEvent: X\nK: v\n\n';
    for (const size of [1, 3, wire.length]) {
      const decode = createAmiDecoder();
      const messages = [];
      for (let i = 0; i < wire.length; i += size) messages.push(...decode(Buffer.from(wire.slice(i, i + size))));
      expect(messages.map((m) => m.fields)).toEqual([
        [['Banner', 'Asterisk Call Manager/9.0.0']],
        [
          ['Response', 'Success'],
          ['ActionID', 'a-1'],
          ['Message', 'ok'],
        ],
        [
          ['Event', 'X'],
          ['K', 'v'],
        ],
      ]);
      expect(amiField(messages[1]!, 'actionid')).toBe('a-1');
    }
  });

  it('encodes CRLF blocks and refuses injected lines', () => {
    expect(
      encodeAmiAction([
        ['Action', 'Ping'],
        ['ActionID', '1'],
      ]),
    ).toBe('Action: Ping\r\nActionID: 1\r\n\r\n');
    expect(() => encodeAmiAction([['Action', 'Ping\r\nAction: Originate']])).toThrow(TypeError);
  });
});
