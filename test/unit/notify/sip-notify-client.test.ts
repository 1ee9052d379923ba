import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SipNotifyClient } from '#src/modules/notify/sip/sip-notify-client.js';
import { parseSipUri } from '#src/modules/notify/sip/sip-uri.js';
import { timersFromT1 } from '#src/modules/notify/sip/sip-transaction.js';
import { SipNotifier } from '#src/modules/notify/sip/sip-notifier.js';

/** A hand-scripted phone on a local UDP port. */
async function udpPhone(
  onRequest: (raw: string, reply: (text: string) => void, from: RemoteInfo) => void,
): Promise<{ socket: Socket; port: number }> {
  const socket = createSocket('udp4');
  socket.on('message', (data, from) =>
    onRequest(data.toString(), (text) => socket.send(text, from.port, from.address), from),
  );
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return { socket, port: socket.address().port };
}

function headerOf(raw: string, name: string): string {
  const match = new RegExp(`^${name}:\\s*(.*?)\\r?$`, 'im').exec(raw);
  if (!match) throw new Error(`no ${name} header in ${raw}`);
  return match[1]!;
}

function responseTo(raw: string, status: string, overrides: { branch?: string; cseq?: string } = {}): string {
  const via = overrides.branch
    ? headerOf(raw, 'Via').replace(/branch=[^;]+/, `branch=${overrides.branch}`)
    : headerOf(raw, 'Via');
  // Compact forms and bare LF on purpose: phones send both.
  return `SIP/2.0 ${status}\nv: ${via}\nf: ${headerOf(raw, 'From')}\nt: ${headerOf(raw, 'To')};tag=x\ni: ${headerOf(raw, 'Call-ID')}\nCSeq: ${overrides.cseq ?? headerOf(raw, 'CSeq')}\nl: 0\n\n`;
}

function uri(text: string) {
  const parsed = parseSipUri(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.uri;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function client(t1Ms = 20) {
  const c = new SipNotifyClient({ bindAddress: '127.0.0.1', timers: timersFromT1(t1Ms) });
  cleanups.push(() => c.close());
  return c;
}

describe('SipNotifyClient over UDP', () => {
  it('absorbs 1xx, ignores responses of other transactions and completes on the matching final response', async () => {
    const phone = await udpPhone((raw, reply) => {
      reply(responseTo(raw, '100 Trying'));
      reply(responseTo(raw, '500 Wrong Branch', { branch: 'z9hG4bKsomeoneelse' }));
      reply(responseTo(raw, '500 Wrong CSeq', { cseq: '2 NOTIFY' }));
      reply(responseTo(raw, '500 Wrong Method', { cseq: '1 OPTIONS' }));
      reply(responseTo(raw, '200 OK'));
    });
    cleanups.push(() => void phone.socket.close());
    const result = await client().send({
      requestUri: uri(`sip:100@127.0.0.1:${phone.port}`),
      transport: 'udp',
      event: { event: 'check-sync' },
    });
    expect(result).toEqual({ kind: 'final', status: 200, reason: 'OK', transmissions: 1 });
  });

  it('retransmits the identical request until the phone answers', async () => {
    const copies: string[] = [];
    const phone = await udpPhone((raw, reply) => {
      copies.push(raw);
      if (copies.length === 3) reply(responseTo(raw, '200 OK'));
    });
    cleanups.push(() => void phone.socket.close());
    const result = await client().send({
      requestUri: uri(`sip:100@127.0.0.1:${phone.port}`),
      transport: 'udp',
      event: { event: 'check-sync' },
    });
    expect(result).toMatchObject({ kind: 'final', status: 200, transmissions: 3 });
    expect(copies).toHaveLength(3);
    expect(new Set(copies).size).toBe(1);
    expect(headerOf(copies[0]!, 'Via')).toMatch(/^SIP\/2\.0\/UDP 127\.0\.0\.1:\d+;branch=z9hG4bK[0-9a-f]{24};rport$/);
  });

  it('serves many concurrent transactions from one socket, matching each answer to its request', async () => {
    const pending: Array<{ raw: string; reply: (text: string) => void }> = [];
    const sources = new Set<number>();
    const count = 40;
    const phone = await udpPhone((raw, reply, from) => {
      sources.add(from.port);
      pending.push({ raw, reply });
      if (pending.length === count) {
        // Answer in reverse order: odd users are busy, even ones accept.
        for (const request of pending.reverse()) {
          const user = Number(/^NOTIFY sip:(\d+)@/.exec(request.raw)![1]);
          request.reply(responseTo(request.raw, user % 2 ? '486 Busy Here' : '200 OK'));
        }
      }
    });
    cleanups.push(() => void phone.socket.close());
    const c = client(200);
    const results = await Promise.all(
      Array.from({ length: count }, (_, user) =>
        c.send({
          requestUri: uri(`sip:${user}@127.0.0.1:${phone.port}`),
          transport: 'udp',
          event: { event: 'check-sync' },
        }),
      ),
    );
    results.forEach((result, user) => expect(result).toMatchObject({ kind: 'final', status: user % 2 ? 486 : 200 }));
    expect(sources.size).toBe(1);
  });

  it('ends pending transactions when the client closes', async () => {
    const phone = await udpPhone(() => {});
    cleanups.push(() => void phone.socket.close());
    const c = client(1000);
    const pending = c.send({
      requestUri: uri(`sip:100@127.0.0.1:${phone.port}`),
      transport: 'udp',
      event: { event: 'check-sync' },
    });
    await new Promise((r) => setTimeout(r, 50));
    await c.close();
    await expect(pending).resolves.toMatchObject({ kind: 'transport-error', code: 'ECLOSED' });
    await expect(
      c.send({ requestUri: uri(`sip:1@127.0.0.1:${phone.port}`), transport: 'udp', event: { event: 'x' } }),
    ).resolves.toMatchObject({
      kind: 'transport-error',
    });
  });
});

describe('SipNotifyClient over TCP', () => {
  async function tcpPhone(onConnection: Parameters<typeof createServer>[1]): Promise<{ server: Server; port: number }> {
    const server = createServer(onConnection!);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return { server, port: (server.address() as { port: number }).port };
  }

  it('reads a response split across segments after a provisional one', async () => {
    const phone = await tcpPhone((socket) => {
      let data = '';
      socket.on('data', (chunk) => {
        data += chunk.toString();
        if (!data.includes('\r\n\r\n')) return;
        const answer = responseTo(data, '100 Trying') + responseTo(data, '200 OK');
        socket.write(answer.slice(0, 37));
        setTimeout(() => socket.write(answer.slice(37)), 20);
      });
    });
    const result = await client().send({
      requestUri: uri(`sip:100@127.0.0.1:${phone.port}`),
      transport: 'tcp',
      event: { event: 'check-sync' },
    });
    expect(result).toEqual({ kind: 'final', status: 200, reason: 'OK', transmissions: 1 });
  });

  it('reports a phone that hangs up without answering as a transport error', async () => {
    const phone = await tcpPhone((socket) => socket.once('data', () => socket.destroy()));
    const result = await client().send({
      requestUri: uri(`sip:100@127.0.0.1:${phone.port}`),
      transport: 'tcp',
      event: { event: 'check-sync' },
    });
    expect(result).toMatchObject({ kind: 'transport-error', code: 'ECONNRESET' });
  });

  it('maps a refused connection to a retryable outcome', async () => {
    const phone = await tcpPhone(() => {});
    const port = phone.port;
    await new Promise<void>((resolve) => phone.server.close(() => resolve()));
    const notifier = new SipNotifier({ driver: 'sip', transport: 'tcp', bindAddress: '127.0.0.1', t1Ms: 20 });
    cleanups.push(() => notifier.close());
    const outcome = await notifier.notify(
      { vendor: 'yealink', mac: '001565aabbcc', contactUri: `sip:100@127.0.0.1:${port}` },
      { event: 'check-sync' },
    );
    expect(outcome).toEqual({ ok: false, reason: 'transport error ECONNREFUSED', retryable: true });
  });
});

describe('SipNotifier outcomes', () => {
  it('refuses targets it cannot reach without sending anything', async () => {
    const notifier = new SipNotifier({ driver: 'sip', bindAddress: '127.0.0.1' });
    cleanups.push(() => notifier.close());
    const mac = '001565aabbcc';
    await expect(notifier.notify({ vendor: 'yealink', mac }, { event: 'check-sync' })).resolves.toMatchObject({
      ok: false,
      retryable: false,
    });
    await expect(
      notifier.notify({ vendor: 'yealink', mac, contactUri: 'sips:1@10.0.0.1' }, { event: 'check-sync' }),
    ).resolves.toEqual({
      ok: false,
      reason: 'unsupported transport sips',
      retryable: false,
    });
    await expect(
      notifier.notify({ vendor: 'yealink', mac, contactUri: 'sip:1@10.0.0.1;transport=ws' }, { event: 'check-sync' }),
    ).resolves.toMatchObject({ ok: false, reason: 'unsupported transport ws' });
  });
});
