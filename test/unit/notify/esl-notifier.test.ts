import { afterEach, describe, expect, it } from 'vitest';
import { createNotifier, type Notifier, type NotifyTarget } from '#src/modules/notify/notifier.js';
import { EslClient } from '#src/modules/notify/freeswitch/esl-client.js';
import { createEslDecoder, encodeEslCommand, eslHeader } from '#src/modules/notify/freeswitch/esl-protocol.js';
import { ScriptedEslPeer } from './peers/scripted-esl-peer.js';
import { memoryLogger, waitUntil } from './peers/memory-logger.js';

const PASSWORD = 'esl-canary-5d8a2f';
const target: NotifyTarget = { vendor: 'yealink', mac: '001565aabbcc', sipUser: '1000', domain: 'pbx.example.com' };
const RECONNECT = { initialDelayMs: 20, maxDelayMs: 100, connectTimeoutMs: 2000 };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { clientPassword?: string } = {}) {
  const peer = new ScriptedEslPeer(PASSWORD);
  await peer.start();
  const log = memoryLogger();
  const notifier: Notifier = createNotifier(
    {
      driver: 'freeswitch',
      host: '127.0.0.1',
      port: peer.port,
      password: options.clientPassword ?? PASSWORD,
      profile: 'internal',
      commandTimeoutMs: 2000,
      reconnect: RECONNECT,
    },
    { logger: log.logger },
  );
  cleanups.push(
    () => peer.stop(),
    () => notifier.close(),
  );
  return { peer, notifier, log };
}

describe('freeswitch driver against a scripted event socket', () => {
  it('authenticates and runs sofia profile check_sync for user@domain', async () => {
    const { peer, notifier } = await setup();
    const outcome = await notifier.notify(target, { event: 'check-sync' });
    expect(outcome).toEqual({
      ok: true,
      reason: 'freeswitch: +OK syncing all registrations matching specified call_id',
      retryable: false,
    });
    expect(peer.auths).toEqual([PASSWORD]);
    expect(peer.commands).toEqual(['sofia profile internal check_sync 1000@pbx.example.com']);
  });

  it('reconnects after the socket drops and the next notify works', async () => {
    const { peer, notifier, log } = await setup();
    expect((await notifier.notify(target, { event: 'check-sync' })).ok).toBe(true);
    peer.dropAll();
    await waitUntil(() => peer.auths.length === 2, 'a second auth');
    expect((await notifier.notify({ ...target, sipUser: '1001' }, { event: 'check-sync' })).ok).toBe(true);
    expect(peer.connections).toBe(2);
    expect(peer.commands.at(-1)).toBe('sofia profile internal check_sync 1001@pbx.example.com');
    expect(log.text()).not.toContain(PASSWORD);
  });

  it('maps an error reply to a non-retryable failure', async () => {
    const { peer, notifier } = await setup();
    peer.respond = () => 'Invalid Profile [internal]\n';
    await expect(notifier.notify(target, { event: 'check-sync' })).resolves.toEqual({
      ok: false,
      reason: 'freeswitch: Invalid Profile [internal]',
      retryable: false,
    });
  });

  it('keeps a timed-out command’s slot so its late reply is not handed to the next command', async () => {
    const peer = new ScriptedEslPeer(PASSWORD);
    await peer.start();
    const client = new EslClient({
      host: '127.0.0.1',
      port: peer.port,
      password: PASSWORD,
      commandTimeoutMs: 100,
      reconnect: RECONNECT,
    });
    cleanups.push(
      () => peer.stop(),
      () => client.close(),
    );
    peer.respond = () => undefined;
    await expect(client.api('status')).rejects.toThrow('esl command timed out');
    peer.respond = (command) => `+OK ${command}\n`;
    const next = client.api('version');
    peer.answerLate((command) => `+OK late ${command}\n`);
    await expect(next).resolves.toBe('+OK version\n');
  });

  it('never lets the password into an outcome or a log line when auth is refused', async () => {
    const wrong = 'wrong-esl-canary-9e8d';
    const { peer, notifier, log } = await setup({ clientPassword: wrong });
    const outcome = await notifier.notify(target, { event: 'check-sync' });
    expect(outcome).toMatchObject({ ok: false, retryable: false });
    expect(outcome.reason).toContain('authentication rejected');
    expect(peer.auths).toEqual([wrong]);
    for (const text of [JSON.stringify(outcome), log.text()]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(PASSWORD);
    }
  });

  it('refuses targets that cannot form a command, without contacting FreeSWITCH', async () => {
    const { peer, notifier } = await setup();
    await expect(notifier.notify({ ...target, domain: undefined }, { event: 'check-sync' })).resolves.toMatchObject({
      ok: false,
      retryable: false,
    });
    await expect(notifier.notify({ ...target, sipUser: '1000 1001' }, { event: 'check-sync' })).resolves.toMatchObject({
      ok: false,
    });
    await expect(
      notifier.notify({ ...target, sipUser: '1000\n\napi shutdown' }, { event: 'check-sync' }),
    ).resolves.toMatchObject({ ok: false });
    expect(peer.commands).toEqual([]);
  });

  it('says goodbye with exit on close', async () => {
    const { peer, notifier } = await setup();
    await notifier.notify(target, { event: 'check-sync' });
    await notifier.close();
    expect(peer.commands.at(-1)).toBe('exit');
  });
});

describe('ESL framing', () => {
  it('reads headers and Content-Length bodies split anywhere', () => {
    const wire =
      'Content-Type: auth/request\n\nContent-Type: api/response\nContent-Length: 6\n\n+OK ü\nContent-Type: command/reply\nReply-Text: +OK accepted\n\n';
    for (const size of [1, 5, wire.length]) {
      const decode = createEslDecoder();
      const bytes = Buffer.from(wire);
      const messages = [];
      for (let i = 0; i < bytes.length; i += size) messages.push(...decode(bytes.subarray(i, i + size)));
      expect(messages.map((m) => eslHeader(m, 'Content-Type'))).toEqual([
        'auth/request',
        'api/response',
        'command/reply',
      ]);
      expect(messages[1]!.body).toBe('+OK ü');
      expect(eslHeader(messages[2]!, 'reply-text')).toBe('+OK accepted');
    }
  });

  it('refuses a command that would smuggle a second one', () => {
    expect(encodeEslCommand('api status')).toBe('api status\n\n');
    expect(() => encodeEslCommand('api status\n\napi shutdown')).toThrow(TypeError);
  });
});
